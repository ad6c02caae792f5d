import type { TimelineEvent } from '@tinbao/shared/api/tips';
import { StaffRoleSchema, tipFieldAccess } from '@tinbao/shared/permissions/index';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../platform/db';
import { auditEvents, users } from '../platform/schema';
import { type Actor, loadVisibleTip } from '../tips/access';
import { readableNoteIds } from '../tips/notes/repository';

/**
 * A tip's history is its audit events, in chain order. Each staff event says the role the
 * member acted in (its `details.role`, else the account's role); their name and id only to
 * those who read staff names. Without tips.read_internal_notes, the events of notes the
 * actor may not read are left out too.
 */
export async function tipTimeline(db: Db, actor: Actor, tipId: string): Promise<TimelineEvent[]> {
  // The history outlives a retention purge: it is what remains of a purged tip.
  await loadVisibleTip(db, actor, tipId, { purged: 'allow' });
  const fields = tipFieldAccess(actor);
  const [rows, readableNotes] = await Promise.all([
    db
      .select({
        seq: auditEvents.seq,
        occurredAt: auditEvents.occurredAt,
        actorType: auditEvents.actorType,
        actorId: auditEvents.actorId,
        actorName: users.displayName,
        accountRole: users.role,
        action: auditEvents.action,
        details: auditEvents.details,
      })
      .from(auditEvents)
      // actor_id is text (system actors have none): compare as text, never cast user input.
      .leftJoin(
        users,
        and(eq(auditEvents.actorType, 'user'), eq(auditEvents.actorId, sql`${users.id}::text`)),
      )
      .where(and(eq(auditEvents.subjectType, 'tip'), eq(auditEvents.subjectId, tipId)))
      .orderBy(asc(auditEvents.seq)),
    fields.internalNotes ? null : readableNoteIds(db, actor, tipId),
  ]);
  return rows
    .filter(
      (row) =>
        !readableNotes ||
        row.action !== 'tip.note_added' ||
        readableNotes.has(String((row.details as { noteId?: unknown } | null)?.noteId)),
    )
    .map((row) => {
      const details = (row.details ?? {}) as Record<string, unknown>;
      const actedAs = StaffRoleSchema.safeParse(details.role);
      const actorRole =
        row.actorType === 'user' ? (actedAs.success ? actedAs.data : (row.accountRole ?? null)) : null;
      return {
        seq: row.seq,
        occurredAt: row.occurredAt.toISOString(),
        actorType: row.actorType,
        ...(fields.staffNames ? { actorId: row.actorId, actorName: row.actorName ?? null } : {}),
        actorRole,
        action: row.action,
        details,
      };
    });
}
