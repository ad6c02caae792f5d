import type { TipListQueryInput, TipSummary } from '@tinbao/shared/api/tips';
import { TipStatusSchema } from '@tinbao/shared/tips/schemas';
import { useMemo } from 'react';
import { useUser } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { navigate, useLocation } from '../layout/router';
import { PageTitle } from '../layout/ui';
import { useApi } from '../layout/use-api';
import { filtersFromSearch, filtersToSearch, periodStart, type QueueFilters, TipFilters } from './TipFilters';
import { TipList } from './TipList';
import { tipsApi } from './tips-api';
import { useTipQueue } from './use-tip-queue';

export function queryOf(filters: QueueFilters): TipListQueryInput {
  const from = periodStart(filters.period);
  return {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.category ? { category: filters.category } : {}),
    ...(filters.provinceCode ? { provinceCode: filters.provinceCode } : {}),
    ...(filters.communeCode ? { communeCode: filters.communeCode } : {}),
    ...(filters.unitId ? { unitId: filters.unitId } : {}),
    ...(from ? { from } : {}),
    ...(filters.overdue ? { overdue: 'true' as const } : {}),
    sort: filters.sort === 'deadline' || filters.sort === 'received' ? filters.sort : 'priority',
    limit: 50,
  } as TipListQueryInput;
}

const hrefOf = (tip: TipSummary) => `/tips/${tip.id}`;

export function QueuePage() {
  const { t, formatNumber } = useI18n();
  const { search, pathname } = useLocation();
  const me = useUser();
  // A province moderator's queue is always their province (the API enforces it too).
  const fixedProvince = me.role === 'moderator' ? me.provinceCode : null;
  const fromUrl = filtersFromSearch(search);
  const filters = fixedProvince ? { ...fromUrl, provinceCode: fixedProvince } : fromUrl;
  const filterKey = filtersToSearch(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey stands for the filters
  const query = useMemo(() => queryOf(filters), [filterKey]);
  const queue = useTipQueue(query);
  const counts = useApi(
    (signal) =>
      tipsApi.counts(
        {
          ...(filters.provinceCode ? { provinceCode: filters.provinceCode } : {}),
          ...(filters.communeCode ? { communeCode: filters.communeCode } : {}),
          ...(filters.unitId ? { unitId: filters.unitId } : {}),
        },
        signal,
      ),
    [filters.provinceCode, filters.communeCode, filters.unitId],
  );

  const setFilters = (next: QueueFilters) =>
    navigate(`${pathname}${filtersToSearch(next)}`, { replace: true });

  return (
    <>
      <PageTitle>{t.queue.title}</PageTitle>
      <div className="queue-layout">
        <TipFilters filters={filters} onChange={setFilters} provinceLocked={fixedProvince !== null} />
        <section aria-label={t.queue.title}>
          <h2 className="visually-hidden">{t.queue.counts}</h2>
          <ul className="counts" data-testid="status-counts">
            <li>
              <button
                type="button"
                aria-pressed={!filters.status}
                onClick={() => setFilters({ ...filters, status: undefined })}
              >
                {t.all}
                <span className="count">{counts.data ? formatNumber(counts.data.total) : '–'}</span>
              </button>
            </li>
            {TipStatusSchema.options.map((status) => (
              <li key={status}>
                <button
                  type="button"
                  aria-pressed={filters.status === status}
                  onClick={() =>
                    setFilters({ ...filters, status: filters.status === status ? undefined : status })
                  }
                  data-testid={`count-${status}`}
                >
                  {t.status[status]}
                  <span className="count" data-testid={`count-value-${status}`}>
                    {counts.data ? formatNumber(counts.data.byStatus[status] ?? 0) : '–'}
                  </span>
                </button>
              </li>
            ))}
            {counts.data ? (
              <li>
                <button
                  type="button"
                  aria-pressed={filters.overdue === true}
                  onClick={() => setFilters({ ...filters, overdue: !filters.overdue })}
                  data-testid="count-overdue"
                >
                  {t.deadline.overdue}
                  <span className="count">{formatNumber(counts.data.overdue)}</span>
                </button>
              </li>
            ) : null}
          </ul>
          <TipList queue={queue} hrefOf={hrefOf} emptyText={t.queue.empty} />
        </section>
      </div>
    </>
  );
}
