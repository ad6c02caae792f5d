import type { Unit, UnitDetail } from '@tinbao/shared/api/units';
import { UnitKindSchema } from '@tinbao/shared/api/units';
import { type FormEvent, useEffect, useState } from 'react';
import { type CommuneOption, loadCommunes, loadProvinces, type ProvinceOption } from '../api/admin-units';
import { api } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Button, ErrorNotice, Field, Loading, Notice, PageTitle } from '../layout/ui';
import { useApi } from '../layout/use-api';

/** Units and the communes each covers; a new unit (border guard station, specialised unit). */
export function UnitsPage() {
  const { t } = useI18n();
  const [provinces, setProvinces] = useState<ProvinceOption[]>([]);
  const [provinceCode, setProvinceCode] = useState('');
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    loadProvinces().then(setProvinces, () => undefined);
  }, []);
  const units = useApi(
    (signal) =>
      api<{ units: Unit[] }>('/units', {
        query: { q: q.trim() || undefined, provinceCode: provinceCode || undefined, limit: 100 },
        signal,
      }),
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
            <Field label={t.queue.province}>
              {(id) => (
                <select
                  id={id}
                  value={provinceCode}
                  onChange={(event) => setProvinceCode(event.target.value)}
                >
                  <option value="">{t.all}</option>
                  {provinces.map((province) => (
                    <option key={province.code} value={province.code}>
                      {province.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t.admin.searchUnits}>
              {(id) => (
                <input id={id} type="search" value={q} onChange={(event) => setQ(event.target.value)} />
              )}
            </Field>
          </div>
          {units.loading && !units.data ? <Loading /> : null}
          <ErrorNotice error={units.error} onRetry={units.reload} />
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
                      {t.unitKind[unit.kind]} · {t.admin.communeCount(unit.communeCount)}
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
            <UnitEditor key={selected} unitId={selected} onSaved={() => setNotice(t.admin.updated)} />
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
  const unit = useApi((signal) => api<{ unit: UnitDetail }>(`/units/${unitId}`, { signal }), [unitId]);
  const [communeCodes, setCommuneCodes] = useState<{ code: string; name: string }[] | null>(null);
  const [provinces, setProvinces] = useState<ProvinceOption[]>([]);
  const [provinceCode, setProvinceCode] = useState('');
  const [communes, setCommunes] = useState<CommuneOption[]>([]);
  const [commune, setCommune] = useState('');
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    loadProvinces().then(setProvinces, () => undefined);
  }, []);
  useEffect(() => {
    if (unit.data) {
      setCommuneCodes(unit.data.unit.communes);
      setProvinceCode((current) => current || unit.data?.unit.provinceCode || '');
    }
  }, [unit.data]);
  useEffect(() => {
    if (provinceCode) loadCommunes(provinceCode).then(setCommunes, () => setCommunes([]));
  }, [provinceCode]);

  if (!unit.data || !communeCodes) return unit.error ? <ErrorNotice error={unit.error} /> : <Loading />;

  const add = () => {
    const found = communes.find((item) => item.code === commune);
    if (found && !communeCodes.some((item) => item.code === found.code))
      setCommuneCodes([...communeCodes, { code: found.code, name: found.name }]);
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api(`/units/${unitId}/communes`, {
        method: 'PUT',
        body: { communeCodes: communeCodes.map((item) => item.code) },
      });
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
      </p>
      <ErrorNotice error={error} />
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
        <Field label={t.queue.province}>
          {(id) => (
            <select id={id} value={provinceCode} onChange={(event) => setProvinceCode(event.target.value)}>
              <option value="">—</option>
              {provinces.map((province) => (
                <option key={province.code} value={province.code}>
                  {province.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.queue.commune}>
          {(id) => (
            <select id={id} value={commune} onChange={(event) => setCommune(event.target.value)}>
              <option value="">—</option>
              {communes.map((item) => (
                <option key={item.code} value={item.code}>
                  {item.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field">
          <Button onClick={add} disabled={!commune}>
            {t.admin.addCommune}
          </Button>
        </div>
      </div>
      <Button type="submit" variant="primary">
        {t.save}
      </Button>
    </form>
  );
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
  const [kind, setKind] = useState<string>('border_guard');
  const [provinceCode, setProvinceCode] = useState('');
  const [error, setError] = useState<unknown>(undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const body = await api<{ unit: UnitDetail }>('/units', {
        method: 'POST',
        body: { code: code.trim().toUpperCase(), name, kind, provinceCode: provinceCode || null },
      });
      setCode('');
      setName('');
      onCreated(body.unit);
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-unit" style={{ marginTop: '1rem' }}>
      <h2 id="new-unit">{t.admin.newUnit}</h2>
      <ErrorNotice error={error} />
      <div className="form-grid">
        <Field label={t.admin.unitCode}>
          {(id) => <input id={id} value={code} required onChange={(event) => setCode(event.target.value)} />}
        </Field>
        <Field label={t.admin.unitName}>
          {(id) => <input id={id} value={name} required onChange={(event) => setName(event.target.value)} />}
        </Field>
        <Field label={t.admin.unitKind}>
          {(id) => (
            <select id={id} value={kind} onChange={(event) => setKind(event.target.value)}>
              {UnitKindSchema.options.map((value) => (
                <option key={value} value={value}>
                  {t.unitKind[value]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.queue.province}>
          {(id) => (
            <select id={id} value={provinceCode} onChange={(event) => setProvinceCode(event.target.value)}>
              <option value="">—</option>
              {provinces.map((province) => (
                <option key={province.code} value={province.code}>
                  {province.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Button type="submit" variant="primary">
        {t.admin.newUnit}
      </Button>
    </form>
  );
}
