import { ProvinceField } from '../admin-units/ProvinceCommuneFields';
import { useProvinceNames, useProvinces } from '../admin-units/use-communes';
import { useI18n } from '../i18n/i18n';
import { AsyncState } from '../layout/async';
import { EmptyState } from '../layout/EmptyState';
import { Field } from '../layout/ui';
import { provinceName } from './unit-label';
import type { UnitSearch } from './use-units';

/** The unit search (province, code or name) and what it found; a click opens a unit in the editor. */
export function UnitList({
  search,
  selected,
  onSelect,
}: {
  search: UnitSearch;
  selected: string | null;
  onSelect(unitId: string): void;
}) {
  const { t } = useI18n();
  const provinces = useProvinces();
  const provinceNames = useProvinceNames();
  const units = search.units.data?.units;
  return (
    <section className="card" aria-labelledby="unit-list">
      <h2 id="unit-list">{t.admin.searchUnits}</h2>
      <div className="form-grid">
        <ProvinceField
          provinces={provinces}
          value={search.provinceCode}
          onChange={search.setProvinceCode}
          emptyLabel={t.all}
        />
        <Field label={t.admin.searchUnits}>
          {(id) => (
            <input
              id={id}
              type="search"
              value={search.q}
              onChange={(event) => search.setQ(event.target.value)}
            />
          )}
        </Field>
      </div>
      <AsyncState state={search.units} />
      {units?.length === 0 ? <EmptyState testId="units-empty">{t.none}</EmptyState> : null}
      <ul className="routes units-list" data-testid="units-list">
        {(units ?? []).map((unit) => (
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
              onClick={() => onSelect(unit.id)}
              data-testid="unit-item"
            >
              <span>
                <strong>{unit.name}</strong> <span className="muted">({unit.code})</span>
                <br />
                <span className="hint">
                  {t.unitKind[unit.kind]}
                  {unit.provinceCode ? ` · ${provinceName(provinceNames, unit.provinceCode)}` : ''} ·{' '}
                  {t.admin.communeCount(unit.communeCount)}
                  {unit.active ? '' : ` · ${t.admin.disabled}`}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
