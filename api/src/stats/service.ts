import type { StatsQuery, StatsResponse } from '@tinbao/shared/api/stats';
import type { TipOutcome } from '@tinbao/shared/api/tips';
import { OPEN_STATUSES } from '@tinbao/shared/permissions/index';
import { and, count, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../platform/db';
import { badRequest, forbidden } from '../platform/errors';
import { adminUnits, tipRoutes, tips } from '../platform/schema';

const YEAR_MS = 365 * 24 * 3600 * 1000;
const OUTCOMES: TipOutcome[] = [
  'verified_true',
  'verified_false',
  'case_opened',
  'arrests',
  'hot_spot_cleared',
];

export interface StatsWindow {
  from: Date;
  to: Date;
  provinceCode: string | null;
}

export function statsWindow(query: StatsQuery, now: Date): StatsWindow {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - YEAR_MS);
  if (from >= to) throw badRequest('from must be before to');
  return { from, to, provinceCode: query.provinceCode ?? null };
}

/**
 * A province moderator's statistics cover their province only: no province means theirs,
 * another province is refused.
 */
export function scopeWindow(window: StatsWindow, actor: { provinceCode: string | null }): StatsWindow {
  if (!actor.provinceCode) return window;
  if (window.provinceCode && window.provinceCode !== actor.provinceCode)
    throw forbidden('your account sees statistics of its own province only');
  return { ...window, provinceCode: actor.provinceCode };
}

function windowConditions(window: StatsWindow): SQL {
  return and(
    gte(tips.receivedAt, window.from),
    lt(tips.receivedAt, window.to),
    window.provinceCode ? eq(tips.provinceCode, window.provinceCode) : undefined,
  )!;
}

// Months as people in Vietnam count them, whatever the server's time zone.
const month = sql<string>`to_char(${tips.receivedAt} AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM')`;

/**
 * Counts and medians for reports, from the clear columns of tips and from tip_routes only:
 * no envelope is opened here.
 */
export async function computeStats(db: Db, window: StatsWindow, now: Date): Promise<StatsResponse> {
  const where = windowConditions(window);
  const [byCommune, byCategory, byStatus, byMonth, outcomes, [overdue], [medians]] = await Promise.all([
    db
      .select({ communeCode: tips.communeCode, communeName: adminUnits.name, count: count() })
      .from(tips)
      .leftJoin(adminUnits, eq(adminUnits.code, tips.communeCode))
      .where(where)
      .groupBy(tips.communeCode, adminUnits.name)
      .orderBy(sql`count(*) DESC`, tips.communeCode),
    db
      .select({ key: tips.category, count: count() })
      .from(tips)
      .where(where)
      .groupBy(tips.category)
      .orderBy(tips.category),
    db
      .select({ key: tips.status, count: count() })
      .from(tips)
      .where(where)
      .groupBy(tips.status)
      .orderBy(tips.status),
    db.select({ key: month, count: count() }).from(tips).where(where).groupBy(month).orderBy(month),
    db
      .select({ key: tipRoutes.outcome, count: count() })
      .from(tipRoutes)
      .innerJoin(tips, eq(tips.id, tipRoutes.tipId))
      .where(and(where, sql`${tipRoutes.outcome} IS NOT NULL`))
      .groupBy(tipRoutes.outcome),
    db
      .select({ count: count() })
      .from(tips)
      .where(and(where, inArray(tips.status, [...OPEN_STATUSES]), lt(tips.deadlineAt, now))),
    db
      .select({
        route: sql<
          number | null
        >`percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (first_route.routed_at - ${tips.receivedAt})))`,
      })
      .from(tips)
      .innerJoin(
        sql`(SELECT ${tipRoutes.tipId} AS tip_id, min(${tipRoutes.routedAt}) AS routed_at FROM ${tipRoutes} GROUP BY ${tipRoutes.tipId}) AS first_route`,
        sql`first_route.tip_id = ${tips.id}`,
      )
      .where(where),
  ]);
  const [ackMedian] = await db
    .select({
      ack: sql<
        number | null
      >`percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (${tipRoutes.acknowledgedAt} - ${tipRoutes.routedAt})))`,
    })
    .from(tipRoutes)
    .innerJoin(tips, eq(tips.id, tipRoutes.tipId))
    .where(and(where, sql`${tipRoutes.acknowledgedAt} IS NOT NULL`));
  const hours = (seconds: number | string | null | undefined) =>
    seconds === null || seconds === undefined ? null : Math.round((Number(seconds) / 3600) * 10) / 10;
  const outcomeCounts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<TipOutcome, number>;
  for (const row of outcomes) if (row.key) outcomeCounts[row.key] = row.count;
  return {
    ok: true,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    provinceCode: window.provinceCode,
    total: byStatus.reduce((sum, row) => sum + row.count, 0),
    byCommune: byCommune.map((row) => ({ ...row, communeName: row.communeName ?? null })),
    byCategory: byCategory as StatsResponse['byCategory'],
    byStatus: byStatus as StatsResponse['byStatus'],
    byMonth,
    outcomes: outcomeCounts,
    overdue: overdue?.count ?? 0,
    medianHoursToRoute: hours(medians?.route),
    medianHoursToAcknowledge: hours(ackMedian?.ack),
  };
}

function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // Quote everything textual, and defuse spreadsheet formulas.
  return typeof value === 'number'
    ? text
    : `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replaceAll('"', '""')}"`;
}

/** One row per commune, category, status and month: the figures behind every chart, for spreadsheets. */
export async function statsCsv(db: Db, window: StatsWindow): Promise<{ csv: string; rows: number }> {
  const rows = await db
    .select({
      month,
      provinceCode: tips.provinceCode,
      communeCode: tips.communeCode,
      communeName: adminUnits.name,
      category: tips.category,
      status: tips.status,
      count: count(),
    })
    .from(tips)
    .leftJoin(adminUnits, eq(adminUnits.code, tips.communeCode))
    .where(windowConditions(window))
    .groupBy(month, tips.provinceCode, tips.communeCode, adminUnits.name, tips.category, tips.status)
    .orderBy(month, tips.communeCode, tips.category, tips.status);
  const lines = ['month,province_code,commune_code,commune_name,category,status,count'];
  for (const row of rows) {
    lines.push(
      [row.month, row.provinceCode, row.communeCode, row.communeName, row.category, row.status, row.count]
        .map(csvField)
        .join(','),
    );
  }
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows: rows.length };
}
