import type { NotificationTarget, UnitDetail } from '@tinbao/shared/api/units';
import { TelegramGroupIdSchema, type UnitKind, UnitKindSchema } from '@tinbao/shared/api/units';
import { type FormEvent, useEffect, useState } from 'react';
import { CommuneSearch } from '../admin-units/CommuneSearch';
import { ProvinceCommuneFields, ProvinceField } from '../admin-units/ProvinceCommuneFields';
import { useCommunes, useProvinces } from '../admin-units/use-communes';
import type { ProvinceOption } from '../api/admin-units';
import { useI18n } from '../i18n/i18n';
import type { Messages } from '../i18n/vi';
import { AsyncState } from '../layout/async';
import { FormField } from '../layout/FormField';
import { EnumSelect } from '../layout/select';
import { Button, ErrorNotice, Field, Loading, Notice, PageTitle, ValidationSummary } from '../layout/ui';
import { useApi } from '../layout/use-api';
import { unitsApi } from './units-api';

/** Units and the communes each covers; a new unit (border guard station, specialised unit). */
export function UnitsPage() {
  const { t } = useI18n();
  const provinces = useProvinces();
  const [provinceCode, setProvinceCode] = useState('');
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const units = useApi(
    (signal) =>
      unitsApi.list(
        { q: q.trim() || undefined, provinceCode: provinceCode || undefined, limit: 100 },
        signal,
      ),
    [q, provinceCode],
  );

  return (
    <>
      <PageTitle>{t.admin.unitsTitle}</PageTitle>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <div className="grid-2">
        <section className="card" aria-labelledby="unit-list">
          <h2 id="unit-list">{t.admin.searchUnits}</h2>
          <div className="form-grid">
            <ProvinceField
              provinces={provinces}
              value={provinceCode}
              onChange={setProvinceCode}
              emptyLabel={t.all}
            />
            <Field label={t.admin.searchUnits}>
              {(id) => (
                <input id={id} type="search" value={q} onChange={(event) => setQ(event.target.value)} />
              )}
            </Field>
          </div>
          <AsyncState state={units} />
          <ul className="routes units-list" data-testid="units-list">
            {(units.data?.units ?? []).map((unit) => (
              <li key={unit.id}>
                <button
                  type="button"
                  className="btn btn-ghost"
                  style={{
                    width: '100%',
                    justifyContent: 'flex-start',
                    whiteSpace: 'normal',
                    textAlign: 'left',
                  }}
                  aria-pressed={selected === unit.id}
                  onClick={() => setSelected(unit.id)}
                  data-testid="unit-item"
                >
                  <span>
                    <strong>{unit.name}</strong> <span className="muted">({unit.code})</span>
                    <br />
                    <span className="hint">
                      {t.unitKind[unit.kind]}
                      {unit.provinceCode
                        ? ` · ${provinces.find((p) => p.code === unit.provinceCode)?.name ?? unit.provinceCode}`
                        : ''}{' '}
                      · {t.admin.communeCount(unit.communeCount)}
                      {unit.active ? '' : ` · ${t.admin.disabled}`}
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <div>
          {selected ? (
            <UnitEditor
              key={selected}
              unitId={selected}
              onSaved={() => {
                setNotice(t.admin.updated);
                units.reload();
              }}
            />
          ) : null}
          <CreateUnitForm
            provinces={provinces}
            onCreated={(unit) => {
              setNotice(t.admin.created);
              setSelected(unit.id);
              units.reload();
            }}
          />
        </div>
      </div>
    </>
  );
}

function UnitEditor({ unitId, onSaved }: { unitId: string; onSaved(): void }) {
  const { t } = useI18n();
  const unit = useApi((signal) => unitsApi.get(unitId, signal), [unitId]);
  const [communeCodes, setCommuneCodes] = useState<{ code: string; name: string }[] | null>(null);
  const provinces = useProvinces();
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

  const add = () => {
    const found = communes.find((item) => item.code === commune);
    if (found && !communeCodes.some((item) => item.code === found.code))
      setCommuneCodes([...communeCodes, { code: found.code, name: found.name }]);
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await unitsApi.setCommunes(
        unitId,
        communeCodes.map((item) => item.code),
      );
      onSaved();
      unit.reload();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <form className="card" onSubmit={save} aria-labelledby="unit-editor" data-testid="unit-editor">
      <h2 id="unit-editor">{unit.data.unit.name}</h2>
      <p className="muted">
        {unit.data.unit.code} · {t.unitKind[unit.data.unit.kind]}
        {unit.data.unit.provinceCode
          ? ` · ${provinces.find((p) => p.code === unit.data?.unit.provinceCode)?.name ?? unit.data.unit.provinceCode}`
          : ''}
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
          <Button onClick={add} disabled={!commune}>
            {t.admin.addCommune}
          </Button>
        </div>
        <CommuneSearch
          onPick={(place) => {
            if (!communeCodes.some((item) => item.code === place.code))
              setCommuneCodes([...communeCodes, { code: place.code, name: place.name }]);
          }}
          testId="unit-commune-search"
        />
      </div>
      <Button type="submit" variant="primary">
        {t.save}
      </Button>
      <NotificationTargetsEditor
        unitId={unitId}
        targets={unit.data.unit.notificationTargets}
        onSaved={() => {
          onSaved();
          unit.reload();
        }}
      />
    </form>
  );
}

/**
 * Where the unit's notifications go (no tip content): a list with add and remove, each change
 * saving the whole list. Telegram groups today; another channel is one more add field.
 */
function NotificationTargetsEditor({
  unitId,
  targets,
  onSaved,
}: {
  unitId: string;
  targets: NotificationTarget[];
  onSaved(): void;
}) {
  const { t } = useI18n();
  const [groupId, setGroupId] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [saving, setSaving] = useState(false);
  // The list as the server last answered it, so a second change never starts from a stale one.
  const [current, setCurrent] = useState(targets);
  useEffect(() => setCurrent(targets), [targets]);
  const save = async (next: NotificationTarget[]): Promise<boolean> => {
    setError(undefined);
    setSaving(true);
    try {
      const body = await unitsApi.setNotificationTargets(unitId, next);
      setCurrent(body.unit.notificationTargets);
      onSaved();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setSaving(false);
    }
  };
  const addTelegramGroup = async () => {
    const address = groupId.trim().replace(/\s/g, '');
    if (!address) return setProblem(t.validation.required(t.admin.telegramGroupIdLabel));
    if (!TelegramGroupIdSchema.safeParse(address).success) return setProblem(t.validation.telegramGroupId);
    if (current.some((target) => target.channel === 'telegram' && target.address === address))
      return setProblem(t.validation.telegramGroupTwice);
    setProblem(undefined);
    if (await save([...current, { channel: 'telegram', address }])) setGroupId('');
  };
  const headingId = `targets-${unitId}`;
  // Its own section inside the editor form: Enter in the field adds the group, not the communes.
  return (
    <section aria-labelledby={headingId} className="subsection" data-testid="unit-targets">
      <h3 id={headingId}>{t.admin.notificationTargets}</h3>
      <p className="hint">{t.admin.notificationTargetsHint}</p>
      <ErrorNotice error={error} context="unit" />
      {current.length === 0 ? (
        <p className="muted" data-testid="unit-targets-empty">
          {t.admin.noNotificationTargets}
        </p>
      ) : (
        <ul className="chips" aria-labelledby={headingId} data-testid="unit-targets-list">
          {current.map((target) => {
            const channel = t.admin.notificationChannel[target.channel] ?? target.channel;
            return (
              <li key={`${target.channel} ${target.address}`} data-testid="unit-target">
                {channel}: {target.address}
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  aria-label={t.admin.removeNotificationTarget(channel, target.address)}
                  disabled={saving}
                  onClick={() => void save(current.filter((other) => other !== target))}
                  data-testid="unit-target-remove"
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <FormField
        label={t.admin.telegramGroupIdLabel}
        hint={t.admin.telegramGroupHint}
        error={problem}
        value={groupId}
        onChange={setGroupId}
        inputMode="numeric"
        autoComplete="off"
        placeholder="-100…"
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            void addTelegramGroup();
          }
        }}
        data-testid="unit-telegram-input"
      />
      <div className="row">
        <Button onClick={() => void addTelegramGroup()} disabled={saving} data-testid="unit-telegram-add">
          {t.admin.addTelegramGroup}
        </Button>
      </div>
    </section>
  );
}

type UnitFormErrors = Partial<Record<'code' | 'name', string>>;

function validateNewUnit(t: Messages, code: string, name: string): UnitFormErrors {
  const errors: UnitFormErrors = {};
  if (!code.trim()) errors.code = t.validation.required(t.admin.unitCode);
  else if (!/^[A-Z0-9][A-Z0-9-]{1,39}$/.test(code.trim().toUpperCase())) errors.code = t.validation.unitCode;
  if (!name.trim()) errors.name = t.validation.required(t.admin.unitName);
  else if (name.trim().length > 200) errors.name = t.validation.tooLong(t.admin.unitName, 200);
  return errors;
}

function CreateUnitForm({
  provinces,
  onCreated,
}: {
  provinces: ProvinceOption[];
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
    if (Object.values(found).some(Boolean)) return;
    try {
      const body = await unitsApi.create({
        code: code.trim().toUpperCase(),
        name,
        kind,
        provinceCode: provinceCode || null,
      });
      setCode('');
      setName('');
      onCreated(body.unit);
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
