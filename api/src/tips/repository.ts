import type { IntakeRecord } from '@tinbao/shared';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db';
import { tips } from '../platform/schema';
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
