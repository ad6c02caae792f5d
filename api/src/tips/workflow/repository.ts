import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../platform/db';
import { tipRoutes, tips, units } from '../../platform/schema';
import { type Actor, visibilityCondition } from '../access';

/** A tip the actor may see, as a duplicate target: its id and its own original, if any. */
export async function findVisibleTipRoot(tx: Tx, actor: Actor, tipId: string) {
  const [row] = await tx
    .select({ id: tips.id, duplicateOf: tips.duplicateOf })
    .from(tips)
    .where(and(eq(tips.id, tipId), visibilityCondition(actor)))
    .limit(1);
  return row;
}

/** Points the duplicates of `from` at `to`, so duplicate chains stay one hop long. */
export async function repointDuplicates(tx: Tx, from: string, to: string): Promise<void> {
  await tx.update(tips).set({ duplicateOf: to }).where(eq(tips.duplicateOf, from));
}

export async function countActiveUnits(tx: Tx, unitIds: string[]): Promise<number> {
  const found = await tx
    .select({ id: units.id })
    .from(units)
    .where(and(inArray(units.id, unitIds), eq(units.active, true)));
  return found.length;
}

/** Inserts the routes not there yet; returns the units newly routed. */
export async function insertRoutes(
  tx: Tx,
  tipId: string,
  unitIds: string[],
  routedBy: string,
  now: Date,
): Promise<string[]> {
  const inserted = await tx
    .insert(tipRoutes)
    .values(unitIds.map((unitId) => ({ tipId, unitId, routedAt: now, routedBy })))
    .onConflictDoNothing()
    .returning({ unitId: tipRoutes.unitId });
  return inserted.map((row) => row.unitId);
}

/** The tip's route to one unit, locked for the change. */
export async function lockRoute(tx: Tx, tipId: string, unitId: string) {
  const [route] = await tx
    .select()
    .from(tipRoutes)
    .where(and(eq(tipRoutes.tipId, tipId), eq(tipRoutes.unitId, unitId)))
    .for('update');
  return route;
}

export async function updateRoute(
  tx: Tx,
  tipId: string,
  unitId: string,
  changes: Partial<typeof tipRoutes.$inferInsert>,
): Promise<void> {
  await tx
    .update(tipRoutes)
    .set(changes)
    .where(and(eq(tipRoutes.tipId, tipId), eq(tipRoutes.unitId, unitId)));
}
