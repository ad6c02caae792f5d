import type { Actor } from '@tinbao/shared/permissions/index';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db';
import { gone, notFound } from '../platform/errors';
import { tipRoutes, tips } from '../platform/schema';
import type { TipRow } from './repository';

export type { Actor };

/**
 * "Routed to this unit": the only way a unit officer reaches a tip. The unit's tip ids are
 * collected first (an InitPlan over tip_routes_unit_idx), then fetched by primary key: a
 * semi-join let the planner scan all tips for a busy unit (0.9 s at 1M tips, see the bench).
 */
export function routedToUnit(unitId: string): SQL {
  return sql`${tips.id} = ANY(ARRAY(SELECT ${tipRoutes.tipId} FROM ${tipRoutes} WHERE ${tipRoutes.unitId} = ${unitId}))`;
}

/** The tips this actor may see at all, in SQL (the shared model's `tipInScope`); undefined means every tip. */
export function visibilityCondition(actor: Actor): SQL | undefined {
  if (actor.role === 'moderator')
    return actor.provinceCode ? eq(tips.provinceCode, actor.provinceCode) : undefined;
  if (actor.role !== 'unit_officer') return undefined;
  // An officer without a unit sees nothing (the users table forbids it, but fail closed).
  return actor.unitId ? routedToUnit(actor.unitId) : sql`false`;
}

/** 410 tip_purged: the tip's content is gone under the retention rules; what remains is said plainly. */
export function tipPurged(purgedAt: Date) {
  return gone(
    'tip_purged',
    `the content of this tip (description, photos, notes) was deleted on ${purgedAt.toISOString().slice(0, 10)} ` +
      'under the retention rules; its statistics fields and audit trail remain',
    { purgedAt: purgedAt.toISOString() },
  );
}

/**
 * Loads a tip the actor may see, or answers 404 — the same 404 whether the tip does not
 * exist or belongs to another unit (or province, for a province moderator), so an officer cannot learn that it exists.
 * A purged tip answers 410 tip_purged (after the visibility check, so it leaks nothing either)
 * unless the caller reads only what a purge keeps (`purged: 'allow'`: the timeline, retention).
 */
export async function loadVisibleTip(
  db: DbOrTx,
  actor: Actor,
  tipId: string,
  options: { forUpdate?: boolean; purged?: 'refuse' | 'allow' } = {},
): Promise<TipRow> {
  const condition = and(eq(tips.id, tipId), visibilityCondition(actor));
  const query = db.select().from(tips).where(condition).limit(1);
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('tip');
  if (row.purgedAt && options.purged !== 'allow') throw tipPurged(row.purgedAt);
  return row;
}
