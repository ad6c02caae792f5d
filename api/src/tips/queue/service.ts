import { type TipStatus, TipStatusSchema } from '@tinbao/shared';
import type { TipCountsResponse, TipListQuery, TipListResponse } from '@tinbao/shared/api/tips';
import { tipFieldAccess } from '@tinbao/shared/permissions/index';
import { unreadAnswerCounts } from '../../questions/repository';
import { mayAsk } from '../../questions/service';
import type { Actor } from '../access';
import { nowOf, type TipsDeps } from '../deps';
import { presentTipSummaries } from '../presenter';
import { encodeCursor } from './cursor';
import { type CountsQuery, countTipsByStatus, tipListQuery } from './repository';

/** The moderators' queue (and a unit's inbox): filtered, sorted, keyset-paginated. */
export async function listTips(
  deps: Pick<TipsDeps, 'db' | 'now' | 'officersMayAsk'>,
  actor: Actor,
  query: TipListQuery,
): Promise<TipListResponse> {
  const now = nowOf(deps);
  const rows = await tipListQuery(deps.db, actor, query, now);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const items = await presentTipSummaries(deps.db, page, now, tipFieldAccess(actor));
  // The badge of unread answers, for those who read the answers (officers when allowed to ask).
  if (mayAsk(actor, deps.officersMayAsk ?? false)) {
    const unread = await unreadAnswerCounts(
      deps.db,
      items.map((item) => item.id),
    );
    for (const item of items) item.unreadAnswers = unread.get(item.id) ?? 0;
  }
  return {
    ok: true,
    items,
    nextCursor: rows.length > query.limit && last ? encodeCursor(query.sort, last) : null,
  };
}

/** Counts per status for the queue tabs, with the same scoping as the list. */
export async function countTips(
  deps: Pick<TipsDeps, 'db' | 'now'>,
  actor: Actor,
  query: CountsQuery,
): Promise<TipCountsResponse> {
  const { byStatus: rows, overdue } = await countTipsByStatus(deps.db, actor, query, nowOf(deps));
  const byStatus = Object.fromEntries(TipStatusSchema.options.map((status) => [status, 0])) as Record<
    TipStatus,
    number
  >;
  for (const row of rows) byStatus[row.status] = row.n;
  return { ok: true, byStatus, overdue, total: rows.reduce((sum, row) => sum + row.n, 0) };
}
