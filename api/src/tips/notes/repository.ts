import { type Actor, tipFieldAccess } from '@tinbao/shared/permissions/index';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db';
import { tipNotes, users } from '../../platform/schema';

export async function insertNote(tx: Tx, note: typeof tipNotes.$inferInsert) {
  const [row] = await tx.insert(tipNotes).values(note).returning();
  return row!;
}

export async function authorOf(db: Db, userId: string) {
  const [author] = await db
    .select({ name: users.displayName, role: users.role })
    .from(users)
    .where(eq(users.id, userId));
  return author ?? null;
}

/**
 * The notes this actor may read, in SQL: all of them with tips.read_internal_notes, else only
 * those shared with the actor's unit (an officer without a unit reads none: fail closed).
 */
export function noteVisibility(actor: Actor): SQL | undefined {
  if (tipFieldAccess(actor).internalNotes) return undefined;
  return actor.unitId ? eq(tipNotes.unitId, actor.unitId) : sql`false`;
}

/** A tip's notes the actor may read, oldest first, with their authors' names and roles (bodies still sealed). */
export function notesOf(db: Db, actor: Actor, tipId: string) {
  return db
    .select({
      id: tipNotes.id,
      authorId: tipNotes.authorId,
      authorName: users.displayName,
      authorRole: users.role,
      createdAt: tipNotes.createdAt,
      body: tipNotes.body,
    })
    .from(tipNotes)
    .leftJoin(users, eq(users.id, tipNotes.authorId))
    .where(and(eq(tipNotes.tipId, tipId), noteVisibility(actor)))
    .orderBy(asc(tipNotes.createdAt), asc(tipNotes.id));
}

/** The ids of a tip's notes the actor may read (the timeline leaves out the note events of the others). */
export async function readableNoteIds(db: Db, actor: Actor, tipId: string): Promise<Set<string>> {
  const rows = await db
    .select({ id: tipNotes.id })
    .from(tipNotes)
    .where(and(eq(tipNotes.tipId, tipId), noteVisibility(actor)));
  return new Set(rows.map((row) => row.id));
}
