import type { PurgeCounts, PurgeReason, RetentionPolicy } from '@tinbao/shared/api/retention';
import { and, asc, count, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../platform/db';
import { tips, users } from '../platform/schema';
import { dueCondition, purgeAtSql, purgeableCondition, purgeReasonSql } from './policy';

const retentionColumns = {
  id: tips.id,
  receiptCode: tips.receiptCode,
  status: tips.status,
  statusReason: tips.statusReason,
  duplicateOf: tips.duplicateOf,
  closedAt: tips.closedAt,
};

export type RetentionRow = {
  id: string;
  receiptCode: string;
  status: (typeof tips.$inferSelect)['status'];
  statusReason: string | null;
  duplicateOf: string | null;
  closedAt: Date | null;
};

/** How many tips the purge deletes at `now`, per reason. */
export async function countDue(db: DbOrTx, policy: RetentionPolicy, now: Date): Promise<PurgeCounts> {
  const rows = await db
    .select({ reason: purgeReasonSql, count: count() })
    .from(tips)
    .where(dueCondition(policy, now))
    .groupBy(purgeReasonSql);
  const counts: PurgeCounts = { closed: 0, rejected: 0, duplicate: 0, total: 0 };
  for (const row of rows) {
    counts[row.reason as PurgeReason] = row.count;
    counts.total += row.count;
  }
  return counts;
}

/** Tips under a legal hold (a purged tip never is). */
export async function countHeld(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ count: count() }).from(tips).where(isNotNull(tips.legalHoldAt));
  return row?.count ?? 0;
}

/** The next tips the purge reaches, soonest first: those due now, then by their purge date. */
export async function nextToPurge(
  db: DbOrTx,
  policy: RetentionPolicy,
  limit: number,
): Promise<RetentionRow[]> {
  return db
    .select(retentionColumns)
    .from(tips)
    .where(purgeableCondition())
    .orderBy(purgeAtSql(policy), asc(tips.id))
    .limit(limit);
}

/**
 * Locks the next batch of due tips for this transaction. SKIP LOCKED: a second purge running at
 * the same time (the CLI beside the daily job) takes other tips instead of waiting for these.
 */
export async function lockDueBatch(
  tx: Tx,
  policy: RetentionPolicy,
  now: Date,
  limit: number,
): Promise<RetentionRow[]> {
  return tx
    .select(retentionColumns)
    .from(tips)
    .where(dueCondition(policy, now))
    .orderBy(asc(tips.closedAt), asc(tips.id))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/**
 * The purge's last step on the tip row: the envelope (description, pin, photos) and the reply
 * token go, purged_at is set; the clear fields stay. The version moves, so a workflow action
 * that read the tip before the purge fails with version_conflict instead of changing it after.
 */
export async function markPurged(tx: Tx, tipIds: readonly string[], now: Date): Promise<string[]> {
  const rows = await tx
    .update(tips)
    .set({
      envelope: null,
      replyToken: null,
      purgedAt: now,
      updatedAt: now,
      version: sql`${tips.version} + 1`,
    })
    .where(and(inArray(tips.id, [...tipIds]), isNull(tips.purgedAt), isNull(tips.legalHoldAt)))
    .returning({ id: tips.id });
  return rows.map((row) => row.id);
}

export interface HeldRow extends RetentionRow {
  legalHoldAt: Date;
  legalHoldBy: string;
  legalHoldReason: string;
  placedByName: string | null;
}

const holdColumns = {
  ...retentionColumns,
  legalHoldAt: tips.legalHoldAt,
  legalHoldBy: tips.legalHoldBy,
  legalHoldReason: tips.legalHoldReason,
  placedByName: users.displayName,
};

type HoldSelect = Omit<HeldRow, 'legalHoldAt' | 'legalHoldBy' | 'legalHoldReason'> & {
  legalHoldAt: Date | null;
  legalHoldBy: string | null;
  legalHoldReason: string | null;
};

/** Every tip under a legal hold, the longest held first. */
export async function listHeld(db: Db): Promise<HeldRow[]> {
  const rows: HoldSelect[] = await db
    .select(holdColumns)
    .from(tips)
    .leftJoin(users, eq(users.id, tips.legalHoldBy))
    .where(isNotNull(tips.legalHoldAt))
    .orderBy(asc(tips.legalHoldAt), asc(tips.id));
  return rows as HeldRow[];
}

/** One tip's hold with the name of who placed it (null name: the account is gone). */
export async function holdOf(db: DbOrTx, tipId: string): Promise<HoldSelect | undefined> {
  const [row] = await db
    .select(holdColumns)
    .from(tips)
    .leftJoin(users, eq(users.id, tips.legalHoldBy))
    .where(eq(tips.id, tipId));
  return row;
}

export async function setHold(
  tx: Tx,
  tipId: string,
  hold: { at: Date; by: string; reason: string } | null,
): Promise<void> {
  await tx
    .update(tips)
    .set({
      legalHoldAt: hold?.at ?? null,
      legalHoldBy: hold?.by ?? null,
      legalHoldReason: hold?.reason ?? null,
    })
    .where(eq(tips.id, tipId));
}
