import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db';
import { tips } from '../../platform/schema';
import { type Actor, visibilityCondition } from '../access';

/** Tips merged into this one that the actor may see, oldest first. */
export async function duplicatesOf(db: Db, actor: Actor, tipId: string): Promise<string[]> {
  const rows = await db
    .select({ id: tips.id })
    .from(tips)
    .where(and(eq(tips.duplicateOf, tipId), visibilityCondition(actor)))
    .orderBy(asc(tips.receivedAt));
  return rows.map((row) => row.id);
}
