import type { Province } from '@tinbao/shared/api/units';
import { type UnitDetail, type UnitKind, UnitKindSchema } from '@tinbao/shared/api/units';
import { type FormEvent, useState } from 'react';
import { ProvinceField } from '../admin-units/ProvinceCommuneFields';
import { useI18n } from '../i18n/i18n';
import { FormField } from '../layout/FormField';
import { EnumSelect } from '../layout/select';
import { Button, ErrorNotice, ValidationSummary } from '../layout/ui';
import { normalizeUnitCode, type UnitFormErrors, validateNewUnit } from './unit-form';
import type { UnitInput } from './units-api';

/** A new unit (a border guard station, a specialised unit); the commune police exist already. */
export function CreateUnitForm({
  provinces,
  onCreate,
  onCreated,
}: {
  provinces: Province[];
  onCreate(request: UnitInput): Promise<UnitDetail>;
  onCreated(unit: UnitDetail): void;
}) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<UnitKind>('border_guard');
  const [provinceCode, setProvinceCode] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [errors, setErrors] = useState<UnitFormErrors>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const found = validateNewUnit(t, code, name);
    setErrors(found);
    if (found.code || found.name) return;
    try {
      const unit = await onCreate({
        code: normalizeUnitCode(code),
        name,
        kind,
        provinceCode: provinceCode || null,
      });
      setCode('');
      setName('');
      onCreated(unit);
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <form
      className="card"
      onSubmit={submit}
      aria-labelledby="new-unit"
      style={{ marginTop: '1rem' }}
      noValidate
      data-testid="create-unit"
    >
      <h2 id="new-unit">{t.admin.newUnit}</h2>
      <ErrorNotice error={error} context="unit" />
      <ValidationSummary errors={errors} />
      <div className="form-grid">
        <FormField
          label={t.admin.unitCode}
          error={errors.code}
          value={code}
          onChange={setCode}
          autoCapitalize="characters"
          data-testid="new-unit-code"
        />
        <FormField
          label={t.admin.unitName}
          error={errors.name}
          value={name}
          onChange={setName}
          data-testid="new-unit-name"
        />
        <EnumSelect
          label={t.admin.unitKind}
          values={UnitKindSchema.options}
          labels={t.unitKind}
          value={kind}
          onChange={(value) => value && setKind(value)}
        />
        <ProvinceField provinces={provinces} value={provinceCode} onChange={setProvinceCode} emptyLabel="—" />
      </div>
      <Button type="submit" variant="primary">
        {t.admin.newUnit}
      </Button>
    </form>
  );
}
