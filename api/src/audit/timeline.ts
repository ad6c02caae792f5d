import type { TimelineEvent } from '@tinbao/shared/api/tips';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../platform/db';
import { auditEvents, users } from '../platform/schema';
import { type Actor, loadVisibleTip } from '../tips/access';

/** A tip's history is its audit events, in chain order, with the staff member's display name. */
export async function tipTimeline(db: Db, actor: Actor, tipId: string): Promise<TimelineEvent[]> {
  await loadVisibleTip(db, actor, tipId);
  const rows = await db
    .select({
      seq: auditEvents.seq,
      occurredAt: auditEvents.occurredAt,
      actorType: auditEvents.actorType,
      actorId: auditEvents.actorId,
      actorName: users.displayName,
      action: auditEvents.action,
      details: auditEvents.details,
    })
    .from(auditEvents)
    // actor_id is text (system actors have none): compare as text, never cast user input.
    .leftJoin(users, and(eq(auditEvents.actorType, 'user'), eq(auditEvents.actorId, sql`${users.id}::text`)))
    .where(and(eq(auditEvents.subjectType, 'tip'), eq(auditEvents.subjectId, tipId)))
    .orderBy(asc(auditEvents.seq));
  return rows.map((row) => ({
    ...row,
    occurredAt: row.occurredAt.toISOString(),
    actorName: row.actorName ?? null,
    details: row.details ?? {},
  }));
}
