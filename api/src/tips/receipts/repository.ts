import type { TipStatus } from '@tinbao/shared';
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db';
import { tips } from '../../platform/schema';

/** A tip's status by its receipt code (the public look-up: nothing else leaves). */
export async function findStatusByReceipt(db: Db, receiptCode: string): Promise<TipStatus | undefined> {
  const [row] = await db
    .select({ status: tips.status })
    .from(tips)
    .where(eq(tips.receiptCode, receiptCode))
    .limit(1);
  return row?.status;
}
