import type { DeadlineExtension } from '@tinbao/shared/api/tips';
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../platform/db';
import { tipDeadlineExtensions } from '../../platform/schema';

type ExtensionRow = typeof tipDeadlineExtensions.$inferSelect;

export function presentExtension(row: ExtensionRow): DeadlineExtension {
  return {
    id: row.id,
    previousDeadlineAt: row.previousDeadlineAt.toISOString(),
    newDeadlineAt: row.newDeadlineAt.toISOString(),
    days: row.days,
    reason: row.reason,
    extendedAt: row.extendedAt.toISOString(),
    extendedBy: row.extendedBy,
  };
}

/** A tip's deadline history, oldest first. */
export async function listDeadlineExtensions(db: DbOrTx, tipId: string): Promise<DeadlineExtension[]> {
  const rows = await db
    .select()
    .from(tipDeadlineExtensions)
    .where(eq(tipDeadlineExtensions.tipId, tipId))
    .orderBy(asc(tipDeadlineExtensions.extendedAt));
  return rows.map(presentExtension);
}

export async function insertExtension(
  tx: Tx,
  extension: typeof tipDeadlineExtensions.$inferInsert,
): Promise<ExtensionRow> {
  const [row] = await tx.insert(tipDeadlineExtensions).values(extension).returning();
  return row!;
}
