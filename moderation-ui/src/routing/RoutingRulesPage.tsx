import type { RoutingRule } from '@tinbao/shared/api/units';
import {
  type TipCategory,
  TipCategorySchema,
  type VenueType,
  VenueTypeSchema,
} from '@tinbao/shared/tips/schemas';
import { type FormEvent, useState } from 'react';
import { CommuneSearch } from '../admin-units/CommuneSearch';
import { ProvinceCommuneFields } from '../admin-units/ProvinceCommuneFields';
import { useCommunes, useProvinces } from '../admin-units/use-communes';
import { useI18n } from '../i18n/i18n';
import { AsyncState } from '../layout/async';
import { FormField } from '../layout/FormField';
import { EnumSelect } from '../layout/select';
import { Button, ErrorNotice, Notice, PageTitle, ValidationSummary } from '../layout/ui';
import { useApi } from '../layout/use-api';
import { UnitPicker } from '../units/UnitPicker';
import { routingApi } from './routing-api';

/** Routing rules: which units are proposed for which tips, on top of the commune's police. */
export function RoutingRulesPage() {
  const { t } = useI18n();
  const rules = useApi((signal) => routingApi.list(signal), []);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  const act = async (work: () => Promise<unknown>): Promise<boolean> => {
    setError(undefined);
    setNotice(null);
    try {
      await work();
      setNotice(t.admin.updated);
      rules.reload();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    }
  };

  const describe = (rule: RoutingRule) =>
    [
      rule.provinceCode ? `${t.queue.province} ${rule.provinceCode}` : null,
      rule.communeCode ? `${t.queue.commune} ${rule.communeCode}` : null,
      rule.category ? t.category[rule.category] : null,
      rule.venueType ? t.venue[rule.venueType] : null,
      rule.borderAreaOnly ? t.admin.ruleBorder : null,
    ]
      .filter(Boolean)
      .join(' · ') || t.admin.ruleAnyCommune;

  return (
    <>
      <PageTitle>{t.admin.rulesTitle}</PageTitle>
      <p className="muted">{t.admin.ruleDefault}</p>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <ErrorNotice error={error} context="rule" />
      <section className="card" aria-labelledby="rules-list">
        <h2 id="rules-list">{t.admin.rulesTitle}</h2>
        <AsyncState state={rules} />
        {rules.data && rules.data.rules.length === 0 ? <p className="muted">{t.none}</p> : null}
        {rules.data && rules.data.rules.length > 0 ? (
          <table className="table" data-testid="rules-table">
            <thead>
              <tr>
                <th scope="col">{t.admin.ruleName}</th>
                <th scope="col">{t.admin.ruleMatch}</th>
                <th scope="col">{t.admin.ruleTarget}</th>
                <th scope="col">{t.admin.enabledRule}</th>
                <th scope="col">{t.tip.actions}</th>
              </tr>
            </thead>
            <tbody>
              {rules.data.rules.map((rule) => (
                <tr key={rule.id} data-testid="rule-row">
                  <td data-label={t.admin.ruleName}>{rule.name}</td>
                  <td data-label={t.admin.ruleMatch}>{describe(rule)}</td>
                  <td data-label={t.admin.ruleTarget}>{rule.unitName}</td>
                  <td data-label={t.admin.enabledRule}>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={rule.enabled}
                        onChange={(event) =>
                          void act(() => routingApi.update(rule.id, { enabled: event.target.checked }))
                        }
                      />
                      <span className="visually-hidden">
                        {t.admin.enabledRule}: {rule.name}
                      </span>
                    </label>
                  </td>
                  <td data-label={t.tip.actions}>
                    <Button
                      className="btn-small"
                      variant="danger"
                      onClick={() => void act(() => routingApi.remove(rule.id))}
                    >
                      {t.admin.deleteRule}
                      <span className="visually-hidden"> {rule.name}</span>
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <CreateRuleForm onCreate={(body) => act(() => routingApi.create(body))} />
    </>
  );
}

function CreateRuleForm({
  onCreate,
}: {
  onCreate(body: Parameters<typeof routingApi.create>[0]): Promise<boolean>;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [unitId, setUnitId] = useState('');
  const [provinceCode, setProvinceCode] = useState('');
  const [communeCode, setCommuneCode] = useState('');
  const [category, setCategory] = useState<TipCategory | ''>('');
  const [venueType, setVenueType] = useState<VenueType | ''>('');
  const [borderAreaOnly, setBorderAreaOnly] = useState(false);
  const provinces = useProvinces();
  const communes = useCommunes(provinceCode);

  const [errors, setErrors] = useState<Partial<Record<'name' | 'unitId', string>>>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = {
      name: !name.trim()
        ? t.validation.required(t.admin.ruleName)
        : name.trim().length > 200
          ? t.validation.tooLong(t.admin.ruleName, 200)
          : undefined,
      unitId: unitId ? undefined : t.validation.choose(t.admin.ruleTarget),
    };
    setErrors(found);
    if (found.name || found.unitId) return;
    const created = await onCreate({
      name,
      unitId,
      provinceCode: provinceCode || null,
      communeCode: communeCode || null,
      category: category || null,
      venueType: venueType || null,
      borderAreaOnly,
    });
    if (created) setName('');
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-rule" data-testid="create-rule" noValidate>
      <h2 id="new-rule">{t.admin.newRule}</h2>
      <ValidationSummary errors={errors} />
      <div className="form-grid">
        <FormField label={t.admin.ruleName} error={errors.name} value={name} onChange={setName} />
        <ProvinceCommuneFields
          provinces={provinces}
          communes={communes}
          provinceCode={provinceCode}
          communeCode={communeCode}
          onProvinceChange={(code) => {
            setProvinceCode(code);
            setCommuneCode('');
          }}
          onCommuneChange={setCommuneCode}
          emptyLabel={t.all}
          communeNeedsProvince
        />
        <CommuneSearch
          onPick={(place) => {
            setProvinceCode(place.provinceCode);
            setCommuneCode(place.code);
          }}
          testId="rule-commune-search"
        />
        <EnumSelect
          label={t.queue.category}
          values={TipCategorySchema.options}
          labels={t.category}
          value={category}
          onChange={setCategory}
          emptyLabel={t.all}
        />
        <EnumSelect
          label={t.tip.venue}
          values={VenueTypeSchema.options}
          labels={t.venue}
          value={venueType}
          onChange={setVenueType}
          emptyLabel={t.all}
        />
        <label className="check check-in-grid">
          <input
            type="checkbox"
            checked={borderAreaOnly}
            onChange={(event) => setBorderAreaOnly(event.target.checked)}
          />
          {t.admin.ruleBorder}
        </label>
      </div>
      <UnitPicker label={t.admin.ruleTarget} value={unitId} onChange={setUnitId} error={errors.unitId} />
      <Button type="submit" variant="primary">
        {t.admin.newRule}
      </Button>
    </form>
  );
}
