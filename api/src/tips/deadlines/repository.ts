import type { DeadlineExtension } from '@tinbao/shared/api/tips';
import type { TipFieldAccess } from '@tinbao/shared/permissions/index';
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../platform/db';
import { tipDeadlineExtensions } from '../../platform/schema';

type ExtensionRow = typeof tipDeadlineExtensions.$inferSelect;

/** Who extended it goes only to those who read staff names; the reason is the unit's business too. */
export function presentExtension(
  row: ExtensionRow,
  fields: Pick<TipFieldAccess, 'staffNames'>,
): DeadlineExtension {
  return {
    id: row.id,
    previousDeadlineAt: row.previousDeadlineAt.toISOString(),
    newDeadlineAt: row.newDeadlineAt.toISOString(),
    days: row.days,
    reason: row.reason,
    extendedAt: row.extendedAt.toISOString(),
    ...(fields.staffNames ? { extendedBy: row.extendedBy } : {}),
  };
}

/** A tip's deadline history, oldest first. */
export async function listDeadlineExtensions(
  db: DbOrTx,
  tipId: string,
  fields: Pick<TipFieldAccess, 'staffNames'>,
): Promise<DeadlineExtension[]> {
  const rows = await db
    .select()
    .from(tipDeadlineExtensions)
    .where(eq(tipDeadlineExtensions.tipId, tipId))
    .orderBy(asc(tipDeadlineExtensions.extendedAt));
  return rows.map((row) => presentExtension(row, fields));
}

export async function insertExtension(
  tx: Tx,
  extension: typeof tipDeadlineExtensions.$inferInsert,
): Promise<ExtensionRow> {
  const [row] = await tx.insert(tipDeadlineExtensions).values(extension).returning();
  return row!;
}
