import type { IntakeRecord } from '@tinbao/shared';
import type { RouteState } from '@tinbao/shared/permissions/index';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db';
import { tipRoutes, tips } from '../platform/schema';
import { deadlineFrom, priorityOf } from './priority';

export type TipRow = typeof tips.$inferSelect;

/**
 * Stores a sealed tip unless a row with its id exists. Returns whether it wrote: a retried
 * or duplicated intake job writes nothing twice.
 */
export async function insertTipIfAbsent(
  tx: DbOrTx,
  record: IntakeRecord,
  receivedAt = new Date(),
): Promise<boolean> {
  const { clear } = record;
  const inserted = await tx
    .insert(tips)
    .values({
      id: clear.id,
      receiptCode: clear.receiptCode,
      status: 'new',
      category: clear.category,
      provinceCode: clear.provinceCode,
      communeCode: clear.communeCode,
      venueType: clear.venueType,
      observed: clear.observed,
      channel: clear.channel,
      priority: priorityOf(clear),
      submittedAt: new Date(clear.submittedAt),
      receivedAt,
      deadlineAt: deadlineFrom(receivedAt),
      envelope: record.envelope,
      replyToken: record.replyToken ?? null,
    })
    .onConflictDoNothing({ target: tips.id })
    .returning({ id: tips.id });
  return inserted.length === 1;
}

export async function findTipById(db: DbOrTx, id: string): Promise<TipRow | undefined> {
  const [row] = await db.select().from(tips).where(eq(tips.id, id)).limit(1);
  return row;
}

export async function tipExists(db: DbOrTx, id: string): Promise<boolean> {
  const [row] = await db.select({ id: tips.id }).from(tips).where(eq(tips.id, id)).limit(1);
  return row !== undefined;
}

/** The routes of a tip as the permission model needs them (which units, acknowledged, reported). */
export async function routeStatesOf(db: DbOrTx, tipId: string): Promise<RouteState[]> {
  return db
    .select({
      unitId: tipRoutes.unitId,
      acknowledgedAt: tipRoutes.acknowledgedAt,
      outcome: tipRoutes.outcome,
    })
    .from(tipRoutes)
    .where(eq(tipRoutes.tipId, tipId));
}

/**
 * Writes a state change if nobody changed the tip since it was read (optimistic concurrency
 * on tips.version); undefined when someone did.
 */
export async function updateTipIfVersion(
  tx: DbOrTx,
  tip: Pick<TipRow, 'id' | 'version'>,
  changes: Partial<typeof tips.$inferInsert>,
  now: Date,
): Promise<TipRow | undefined> {
  const [updated] = await tx
    .update(tips)
    .set({ ...changes, version: tip.version + 1, updatedAt: now })
    .where(and(eq(tips.id, tip.id), eq(tips.version, tip.version)))
    .returning();
  return updated;
}
