import type { TipRoute, TipSummary } from '@tinbao/shared/api/tips';
import { isOpenStatus, type TipFieldAccess } from '@tinbao/shared/permissions/index';
import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db';
import { adminUnits, tipRoutes, units } from '../platform/schema';
import type { TipRow } from './repository';

export function isOverdue(tip: Pick<TipRow, 'status' | 'deadlineAt'>, now: Date): boolean {
  return isOpenStatus(tip.status) && tip.deadlineAt.getTime() < now.getTime();
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A tip row without its ciphertext: the queue selects `hasReplyToken` instead of the token. */
export type SummaryRow = Omit<TipRow, 'envelope' | 'replyToken'> &
  ({ replyToken: Uint8Array | null } | { hasReplyToken: boolean });

/**
 * Clear fields of tips with their routes and place names; two queries for a whole page.
 * Who routed, acknowledged and reported is sent only with `fields.staffNames`.
 */
export async function presentTipSummaries(
  db: DbOrTx,
  rows: SummaryRow[],
  now: Date,
  fields: Pick<TipFieldAccess, 'staffNames'>,
): Promise<TipSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const codes = [
    ...new Set(
      rows.flatMap((row) => (row.communeCode ? [row.provinceCode, row.communeCode] : [row.provinceCode])),
    ),
  ];
  const [routeRows, nameRows] = await Promise.all([
    db
      .select({
        tipId: tipRoutes.tipId,
        unitId: tipRoutes.unitId,
        unitCode: units.code,
        unitName: units.name,
        routedAt: tipRoutes.routedAt,
        routedBy: tipRoutes.routedBy,
        acknowledgedAt: tipRoutes.acknowledgedAt,
        acknowledgedBy: tipRoutes.acknowledgedBy,
        outcome: tipRoutes.outcome,
        outcomeAt: tipRoutes.outcomeAt,
        outcomeBy: tipRoutes.outcomeBy,
      })
      .from(tipRoutes)
      .innerJoin(units, eq(units.id, tipRoutes.unitId))
      .where(inArray(tipRoutes.tipId, ids))
      .orderBy(asc(tipRoutes.routedAt), asc(units.code)),
    db
      .select({ code: adminUnits.code, name: adminUnits.name })
      .from(adminUnits)
      .where(inArray(adminUnits.code, codes)),
  ]);
  const names = new Map(nameRows.map((row) => [row.code, row.name]));
  const routesByTip = new Map<string, TipRoute[]>();
  for (const route of routeRows) {
    const list = routesByTip.get(route.tipId) ?? [];
    list.push({
      unitId: route.unitId,
      unitCode: route.unitCode,
      unitName: route.unitName,
      routedAt: route.routedAt.toISOString(),
      acknowledgedAt: iso(route.acknowledgedAt),
      outcome: route.outcome,
      outcomeAt: iso(route.outcomeAt),
      ...(fields.staffNames
        ? { routedBy: route.routedBy, acknowledgedBy: route.acknowledgedBy, outcomeBy: route.outcomeBy }
        : {}),
    });
    routesByTip.set(route.tipId, list);
  }
  return rows.map((row) => presentTipSummary(row, routesByTip.get(row.id) ?? [], names, now));
}

export function presentTipSummary(
  row: SummaryRow,
  routes: TipRoute[],
  names: Map<string, string>,
  now: Date,
): TipSummary {
  return {
    id: row.id,
    receiptCode: row.receiptCode,
    status: row.status,
    statusReason: row.statusReason,
    duplicateOf: row.duplicateOf,
    category: row.category,
    provinceCode: row.provinceCode,
    provinceName: names.get(row.provinceCode) ?? null,
    communeCode: row.communeCode,
    communeName: (row.communeCode && names.get(row.communeCode)) ?? null,
    venueType: row.venueType,
    observed: row.observed,
    channel: row.channel,
    priority: row.priority,
    submittedAt: row.submittedAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    deadlineAt: row.deadlineAt.toISOString(),
    overdue: isOverdue(row, now),
    followUpPossible: 'hasReplyToken' in row ? row.hasReplyToken : row.replyToken !== null,
    version: row.version,
    routes,
  };
}
