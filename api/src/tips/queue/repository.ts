import type { TipListQuery } from '@tinbao/shared/api/tips';
import { OPEN_STATUSES } from '@tinbao/shared/permissions/index';
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  inArray,
  lt,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Db } from '../../platform/db';
import { badRequest } from '../../platform/errors';
import { tips } from '../../platform/schema';
import { type Actor, routedToUnit, visibilityCondition } from '../access';
import { decodeCursor } from './cursor';

const DAY_MS = 24 * 3600 * 1000;
const SHORT_PERIOD_MS = 92 * DAY_MS;

// The queue never reads the envelope: it can hold megabytes of photos.
const { envelope: _envelope, replyToken: _replyToken, ...CLEAR_COLUMNS } = getTableColumns(tips);
const SUMMARY_COLUMNS = { ...CLEAR_COLUMNS, hasReplyToken: sql<boolean>`${tips.replyToken} IS NOT NULL` };

export type CountsQuery = {
  provinceCode?: string | undefined;
  communeCode?: string | undefined;
  unitId?: string | undefined;
};

/** Filters shared by the list and the counts. */
function filterConditions(actor: Actor, query: Partial<TipListQuery>, now: Date): SQL[] {
  const conditions: (SQL | undefined)[] = [visibilityCondition(actor)];
  if (query.status?.length) conditions.push(inArray(tips.status, query.status));
  if (query.category?.length) conditions.push(inArray(tips.category, query.category));
  if (query.provinceCode) conditions.push(eq(tips.provinceCode, query.provinceCode));
  if (query.communeCode) conditions.push(eq(tips.communeCode, query.communeCode));
  if (query.unitId) conditions.push(routedToUnit(query.unitId));
  if (query.receiptCode) conditions.push(eq(tips.receiptCode, query.receiptCode));
  if (query.from) conditions.push(gte(tips.receivedAt, new Date(query.from)));
  if (query.to) conditions.push(lt(tips.receivedAt, new Date(query.to)));
  if (query.priority !== undefined) conditions.push(eq(tips.priority, query.priority));
  if (query.overdue === true) conditions.push(overdueCondition(now));
  if (query.overdue === false) {
    conditions.push(or(notInArray(tips.status, [...OPEN_STATUSES]), gte(tips.deadlineAt, now)));
  }
  return conditions.filter((c): c is SQL => c !== undefined);
}

function overdueCondition(now: Date): SQL {
  return and(inArray(tips.status, [...OPEN_STATUSES]), lt(tips.deadlineAt, now))!;
}

/** The queue's one SQL query (exported so the benchmark can EXPLAIN exactly what runs). */
export function tipListQuery(db: Db, actor: Actor, query: TipListQuery, now: Date) {
  const conditions = filterConditions(actor, query, now);
  if (query.from && query.to && new Date(query.from) >= new Date(query.to))
    throw badRequest('from must be before to');
  if (query.cursor) {
    const [, priority, time, id] = decodeCursor(query.cursor, query.sort);
    const at = new Date(time);
    if (query.sort === 'priority') {
      conditions.push(
        or(
          lt(tips.priority, priority),
          and(
            eq(tips.priority, priority),
            or(gt(tips.deadlineAt, at), and(eq(tips.deadlineAt, at), gt(tips.id, id))),
          ),
        )!,
      );
    } else if (query.sort === 'deadline') {
      conditions.push(or(gt(tips.deadlineAt, at), and(eq(tips.deadlineAt, at), gt(tips.id, id)))!);
    } else {
      conditions.push(or(lt(tips.receivedAt, at), and(eq(tips.receivedAt, at), lt(tips.id, id)))!);
    }
  }
  // NULLS LAST like the indexes (the column is NOT NULL, but the planner matches the clause).
  const priorityDesc = sql`${tips.priority} DESC NULLS LAST`;
  // Deadlines follow receipt times, so for a short period an ordered index scan walks past
  // every older tip first (60 ms at 200k tips). Sorting by an expression makes the planner
  // take the period's index and sort the few rows found instead.
  const shortPeriod =
    query.from !== undefined &&
    (query.to ? new Date(query.to) : now).getTime() - new Date(query.from).getTime() <= SHORT_PERIOD_MS;
  const deadlineAsc = shortPeriod
    ? sql`(${tips.deadlineAt} + interval '0 seconds') ASC`
    : asc(tips.deadlineAt);
  const order =
    query.sort === 'priority'
      ? [shortPeriod ? sql`(${tips.priority} + 0) DESC` : priorityDesc, deadlineAsc, asc(tips.id)]
      : query.sort === 'deadline'
        ? [deadlineAsc, asc(tips.id)]
        : [desc(tips.receivedAt), desc(tips.id)];
  return db
    .select(SUMMARY_COLUMNS)
    .from(tips)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(query.limit + 1);
}

/** Per status and overdue, with the list's scoping and filters. */
export async function countTipsByStatus(db: Db, actor: Actor, query: CountsQuery, now: Date) {
  const conditions = filterConditions(actor, query, now);
  const [byStatus, [overdue]] = await Promise.all([
    db
      .select({ status: tips.status, n: count() })
      .from(tips)
      .where(and(...conditions))
      .groupBy(tips.status),
    db
      .select({ n: count() })
      .from(tips)
      .where(and(...conditions, overdueCondition(now))),
  ]);
  return { byStatus, overdue: overdue?.n ?? 0 };
}
