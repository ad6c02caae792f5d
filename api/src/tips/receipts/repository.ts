import type { TipStatus } from '@tinbao/shared';
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db';
import { tips } from '../../platform/schema';

/** A tip's id and status by its receipt code (the public look-up: only the status leaves, the id to the gateway). */
export async function findTipByReceipt(
  db: Db,
  receiptCode: string,
): Promise<{ id: string; status: TipStatus } | undefined> {
  const [row] = await db
    .select({ id: tips.id, status: tips.status })
    .from(tips)
    .where(eq(tips.receiptCode, receiptCode))
    .limit(1);
  return row;
}
