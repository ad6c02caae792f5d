import { type FormEvent, useEffect, useState } from 'react';
import { CommuneSearch } from '../admin-units/CommuneSearch';
import { ProvinceCommuneFields } from '../admin-units/ProvinceCommuneFields';
import { useCommunes, useProvinceNames, useProvinces } from '../admin-units/use-communes';
import { useI18n } from '../i18n/i18n';
import { Button, ErrorNotice, Loading } from '../layout/ui';
import { NotificationTargetsEditor } from './NotificationTargetsEditor';
import { provinceName } from './unit-label';
import { useUnit } from './use-units';

/**
 * One unit: the communes it covers (picked by province and commune, or found by an old name),
 * saved together, and where its notifications go.
 */
export function UnitEditor({ unitId, onSaved }: { unitId: string; onSaved(): void }) {
  const { t } = useI18n();
  const { unit, saveCommunes, saveNotificationTargets } = useUnit(unitId);
  const [communeCodes, setCommuneCodes] = useState<{ code: string; name: string }[] | null>(null);
  const provinces = useProvinces();
  const provinceNames = useProvinceNames();
  const [provinceCode, setProvinceCode] = useState('');
  const communes = useCommunes(provinceCode);
  const [commune, setCommune] = useState('');
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    if (unit.data) {
      setCommuneCodes(unit.data.unit.communes);
      setProvinceCode((current) => current || unit.data?.unit.provinceCode || '');
    }
  }, [unit.data]);

  if (!unit.data || !communeCodes)
    return unit.error ? <ErrorNotice error={unit.error} context="unit" /> : <Loading />;

  const add = (found: { code: string; name: string } | undefined) => {
    if (found && !communeCodes.some((item) => item.code === found.code))
      setCommuneCodes([...communeCodes, { code: found.code, name: found.name }]);
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await saveCommunes(communeCodes.map((item) => item.code));
      onSaved();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <form className="card" onSubmit={save} aria-labelledby="unit-editor" data-testid="unit-editor">
      <h2 id="unit-editor">{unit.data.unit.name}</h2>
      <p className="muted">
        {unit.data.unit.code} · {t.unitKind[unit.data.unit.kind]}
        {unit.data.unit.provinceCode ? ` · ${provinceName(provinceNames, unit.data.unit.provinceCode)}` : ''}
      </p>
      <ErrorNotice error={error} context="unit" />
      <h3>{t.admin.communes}</h3>
      <ul className="chips" data-testid="unit-communes">
        {communeCodes.map((item) => (
          <li key={item.code}>
            {item.name}
            <button
              type="button"
              className="btn btn-ghost btn-small"
              aria-label={t.admin.removeCommune(item.name)}
              onClick={() => setCommuneCodes(communeCodes.filter((other) => other.code !== item.code))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="form-grid">
        <ProvinceCommuneFields
          provinces={provinces}
          communes={communes}
          provinceCode={provinceCode}
          communeCode={commune}
          onProvinceChange={setProvinceCode}
          onCommuneChange={setCommune}
          emptyLabel="—"
        />
        <div className="field">
          <Button onClick={() => add(communes.find((item) => item.code === commune))} disabled={!commune}>
            {t.admin.addCommune}
          </Button>
        </div>
        <CommuneSearch onPick={add} testId="unit-commune-search" />
      </div>
      <Button type="submit" variant="primary">
        {t.save}
      </Button>
      <NotificationTargetsEditor
        unitId={unitId}
        targets={unit.data.unit.notificationTargets}
        onSave={saveNotificationTargets}
        onSaved={onSaved}
      />
    </form>
  );
}
