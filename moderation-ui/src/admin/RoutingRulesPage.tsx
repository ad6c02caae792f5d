import type { RoutingRule } from '@tinbao/shared/api/units';
import { TipCategorySchema, VenueTypeSchema } from '@tinbao/shared/tips/schemas';
import { type FormEvent, useState } from 'react';
import { CommuneSearch } from '../admin-units/CommuneSearch';
import { ProvinceCommuneFields } from '../admin-units/ProvinceCommuneFields';
import { useCommunes, useProvinces } from '../admin-units/use-communes';
import { api } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { FormField } from '../layout/FormField';
import { Button, ErrorNotice, Field, Loading, Notice, PageTitle, ValidationSummary } from '../layout/ui';
import { useApi } from '../layout/use-api';
import { UnitPicker } from './UnitPicker';

/** Routing rules: which units are proposed for which tips, on top of the commune's police. */
export function RoutingRulesPage() {
  const { t } = useI18n();
  const rules = useApi((signal) => api<{ rules: RoutingRule[] }>('/routing-rules', { signal }), []);
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
        {rules.loading && !rules.data ? <Loading /> : null}
        <ErrorNotice error={rules.error} onRetry={rules.reload} />
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
                          void act(() =>
                            api(`/routing-rules/${rule.id}`, {
                              method: 'PATCH',
                              body: { enabled: event.target.checked },
                            }),
                          )
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
                      onClick={() => void act(() => api(`/routing-rules/${rule.id}`, { method: 'DELETE' }))}
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
      <CreateRuleForm onCreate={(body) => act(() => api('/routing-rules', { method: 'POST', body }))} />
    </>
  );
}

function CreateRuleForm({ onCreate }: { onCreate(body: Record<string, unknown>): Promise<boolean> }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [unitId, setUnitId] = useState('');
  const [provinceCode, setProvinceCode] = useState('');
  const [communeCode, setCommuneCode] = useState('');
  const [category, setCategory] = useState('');
  const [venueType, setVenueType] = useState('');
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
        <Field label={t.queue.category}>
          {(id) => (
            <select id={id} value={category} onChange={(event) => setCategory(event.target.value)}>
              <option value="">{t.all}</option>
              {TipCategorySchema.options.map((value) => (
                <option key={value} value={value}>
                  {t.category[value]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.tip.venue}>
          {(id) => (
            <select id={id} value={venueType} onChange={(event) => setVenueType(event.target.value)}>
              <option value="">{t.all}</option>
              {VenueTypeSchema.options.map((value) => (
                <option key={value} value={value}>
                  {t.venue[value]}
                </option>
              ))}
            </select>
          )}
        </Field>
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
