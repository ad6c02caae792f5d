import type { TipCategory } from '@tinbao/shared';
import { type TipSort, TipSortSchema } from '@tinbao/shared/api/tips';
import type { Unit } from '@tinbao/shared/api/units';
import { TipCategorySchema } from '@tinbao/shared/tips/schemas';
import { useEffect, useRef, useState } from 'react';
import { CommuneSearch } from '../admin-units/CommuneSearch';
import { ProvinceCommuneFields } from '../admin-units/ProvinceCommuneFields';
import { useCommunes, useProvinces } from '../admin-units/use-communes';
import { useI18n } from '../i18n/i18n';
import { EnumSelect, SelectField } from '../layout/select';
import { Button } from '../layout/ui';
import { unitsApi } from '../units/units-api';

export interface QueueFilters {
  status?: string;
  category?: string;
  provinceCode?: string;
  communeCode?: string;
  unitId?: string;
  period?: string;
  overdue?: boolean;
  sort?: string;
}

const FILTER_KEYS = [
  'status',
  'category',
  'provinceCode',
  'communeCode',
  'unitId',
  'period',
  'sort',
] as const;

/** Filters live in the URL, so back/forward and reload keep them (they hold no tip content). */
export function filtersFromSearch(search: URLSearchParams): QueueFilters {
  const filters: QueueFilters = {};
  for (const key of FILTER_KEYS) {
    const value = search.get(key);
    if (value) filters[key] = value;
  }
  if (search.get('overdue') === 'true') filters.overdue = true;
  return filters;
}

export function filtersToSearch(filters: QueueFilters): string {
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) search.set(key, value);
  }
  if (filters.overdue) search.set('overdue', 'true');
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** `period` (days) → the `from` bound of the list query. */
export function periodStart(period: string | undefined): string | undefined {
  const days = Number(period);
  if (!period || !Number.isFinite(days) || days <= 0) return undefined;
  return new Date(Date.now() - days * 86_400_000).toISOString();
}

const WIDE = '(min-width: 1000px)';

export function TipFilters({
  filters,
  onChange,
  showUnit = true,
  provinceLocked = false,
}: {
  filters: QueueFilters;
  onChange(next: QueueFilters): void;
  showUnit?: boolean;
  /** A province moderator: the province is shown but cannot be changed. */
  provinceLocked?: boolean;
}) {
  const { t } = useI18n();
  const provinces = useProvinces();
  const communes = useCommunes(filters.provinceCode);
  const [units, setUnits] = useState<Unit[]>([]);
  // Open beside the list on wide screens; folded on phones so the tips come first. The
  // width decides until the user opens or closes the filters themselves.
  const [open, setOpen] = useState(() => window.matchMedia(WIDE).matches);
  const userToggled = useRef(false);
  useEffect(() => {
    const query = window.matchMedia(WIDE);
    const follow = () => {
      if (!userToggled.current) setOpen(query.matches);
    };
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);
  const active = Object.keys(filters).filter((key) => key !== 'status' && key !== 'sort').length;

  useEffect(() => {
    if (!filters.provinceCode) {
      setUnits([]);
      return;
    }
    if (showUnit)
      unitsApi.list({ provinceCode: filters.provinceCode, limit: 200 }).then(
        (body) => setUnits(body.units),
        () => setUnits([]),
      );
  }, [filters.provinceCode, showUnit]);

  const set = (patch: Partial<QueueFilters>) => {
    const next: QueueFilters = { ...filters, ...patch };
    for (const [key, value] of Object.entries(next))
      if (value === '' || value === false) delete next[key as keyof QueueFilters];
    onChange(next);
  };

  return (
    <details
      className="card filters"
      open={open}
      onToggle={(event) => {
        const now = event.currentTarget.open;
        if (now !== open) {
          userToggled.current = true;
          setOpen(now);
        }
      }}
      data-testid="filters"
    >
      <summary>
        <h2>
          {t.queue.filters}
          {active > 0 ? <span className="filter-count"> ({active})</span> : null}
        </h2>
      </summary>
      <EnumSelect
        label={t.queue.sort}
        values={TipSortSchema.options}
        labels={{
          priority: t.queue.sortPriority,
          deadline: t.queue.sortDeadline,
          received: t.queue.sortReceived,
        }}
        value={(filters.sort || 'priority') as TipSort}
        onChange={(sort) => set({ sort: sort === 'priority' ? '' : sort })}
        testId="filter-sort"
      />
      <EnumSelect
        label={t.queue.category}
        values={TipCategorySchema.options}
        labels={t.category}
        value={(filters.category ?? '') as TipCategory | ''}
        onChange={(category) => set({ category })}
        emptyLabel={t.all}
        testId="filter-category"
      />
      <ProvinceCommuneFields
        provinces={provinces}
        communes={communes}
        provinceCode={filters.provinceCode ?? ''}
        communeCode={filters.communeCode ?? ''}
        onProvinceChange={(code) => set({ provinceCode: code, communeCode: '', unitId: '' })}
        onCommuneChange={(code) => set({ communeCode: code })}
        emptyLabel={t.all}
        communeNeedsProvince
        provinceDisabled={provinceLocked}
        provinceTestId="filter-province"
        communeTestId="filter-commune"
      />
      <CommuneSearch
        provinceCode={provinceLocked ? filters.provinceCode : undefined}
        onPick={(place) =>
          set({
            provinceCode: place.provinceCode,
            communeCode: place.code,
            ...(place.provinceCode === filters.provinceCode ? {} : { unitId: '' }),
          })
        }
        testId="filter-commune-search"
      />
      {showUnit ? (
        <SelectField
          label={t.queue.unit}
          value={filters.unitId ?? ''}
          disabled={!filters.provinceCode}
          onChange={(unitId) => set({ unitId })}
          emptyLabel={t.all}
          options={units.map((unit) => ({ value: unit.id, label: unit.name }))}
          testId="filter-unit"
        />
      ) : null}
      <SelectField
        label={t.queue.period}
        value={filters.period ?? ''}
        onChange={(period) => set({ period })}
        emptyLabel={t.queue.periodAll}
        options={[
          { value: '7', label: t.queue.period7 },
          { value: '30', label: t.queue.period30 },
          { value: '90', label: t.queue.period90 },
        ]}
        testId="filter-period"
      />
      <label className="check">
        <input
          type="checkbox"
          checked={filters.overdue ?? false}
          onChange={(event) => set({ overdue: event.target.checked })}
          data-testid="filter-overdue"
        />
        {t.queue.overdueOnly}
      </label>
      <Button variant="ghost" onClick={() => onChange({})} data-testid="clear-filters">
        {t.queue.clearFilters}
      </Button>
    </details>
  );
}
