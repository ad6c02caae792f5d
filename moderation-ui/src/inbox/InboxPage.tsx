import type { TipSummary } from '@tinbao/shared/api/tips';
import { useMemo } from 'react';
import { useUser } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { navigate, useLocation } from '../layout/router';
import { PageTitle } from '../layout/ui';
import { queryOf } from '../tips/QueuePage';
import { filtersFromSearch, filtersToSearch } from '../tips/TipFilters';
import { TipList } from '../tips/TipList';
import { useTipQueue } from '../tips/use-tip-queue';

const INBOX_STATUSES = ['routed', 'acknowledged', 'outcome_reported', 'closed'] as const;
const hrefOf = (tip: TipSummary) => `/inbox/${tip.id}`;

/**
 * The unit officer's cases. The API scopes the list to the officer's unit; the UI only
 * offers the statuses a routed case can be in.
 */
export function InboxPage() {
  const { t } = useI18n();
  const { search, pathname } = useLocation();
  const filters = filtersFromSearch(search);
  const filterKey = filtersToSearch(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey stands for the filters
  const query = useMemo(() => ({ ...queryOf(filters), sort: 'deadline' as const }), [filterKey]);
  const queue = useTipQueue(query);
  const user = useUser();
  // The session carries the unit id only; a routed case names the unit.
  const unitName = queue.items
    .flatMap((tip) => tip.routes)
    .find((route) => route.unitId === user.unitId)?.unitName;

  return (
    <>
      <PageTitle>{t.inbox.title}</PageTitle>
      <p className="muted">
        {t.inbox.intro}
        {unitName ? (
          <>
            {' '}
            {t.inbox.unit}: <strong data-testid="inbox-unit">{unitName}</strong>
          </>
        ) : null}
      </p>
      <fieldset className="row inbox-filters">
        <legend className="visually-hidden">{t.queue.status}</legend>
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={!filters.status}
          onClick={() => navigate(pathname, { replace: true })}
        >
          {t.all}
        </button>
        {INBOX_STATUSES.map((status) => (
          <button
            key={status}
            type="button"
            className="btn btn-small"
            aria-pressed={filters.status === status}
            onClick={() =>
              navigate(`${pathname}${filtersToSearch({ ...filters, status })}`, { replace: true })
            }
            data-testid={`inbox-status-${status}`}
          >
            {t.status[status]}
          </button>
        ))}
        <label className="check">
          <input
            type="checkbox"
            checked={filters.overdue ?? false}
            onChange={(event) =>
              navigate(`${pathname}${filtersToSearch({ ...filters, overdue: event.target.checked })}`, {
                replace: true,
              })
            }
          />
          {t.queue.overdueOnly}
        </label>
      </fieldset>
      <TipList queue={queue} hrefOf={hrefOf} emptyText={t.inbox.empty} />
    </>
  );
}
