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
import { FormField } from '../layout/FormField';
import { EnumSelect } from '../layout/select';
import { Button, ValidationSummary } from '../layout/ui';
import { UnitPicker } from '../units/UnitPicker';
import type { RoutingRuleInput } from './routing-api';

/** A new rule: where and for which tips, and the unit it proposes; true from onCreate clears the name. */
export function CreateRuleForm({ onCreate }: { onCreate(request: RoutingRuleInput): Promise<boolean> }) {
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
