import { asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db';
import { tipNotes, users } from '../../platform/schema';

export async function insertNote(tx: Tx, note: typeof tipNotes.$inferInsert) {
  const [row] = await tx.insert(tipNotes).values(note).returning();
  return row!;
}

export async function displayNameOf(db: Db, userId: string): Promise<string | null> {
  const [author] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
  return author?.name ?? null;
}

/** A tip's notes, oldest first, with their authors' names (bodies still sealed). */
export function notesOf(db: Db, tipId: string) {
  return db
    .select({
      id: tipNotes.id,
      authorId: tipNotes.authorId,
      authorName: users.displayName,
      createdAt: tipNotes.createdAt,
      body: tipNotes.body,
    })
    .from(tipNotes)
    .leftJoin(users, eq(users.id, tipNotes.authorId))
    .where(eq(tipNotes.tipId, tipId))
    .orderBy(asc(tipNotes.createdAt), asc(tipNotes.id));
}
