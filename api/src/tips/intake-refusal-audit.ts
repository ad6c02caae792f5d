import { and, eq } from 'drizzle-orm';
import { appendAuditEvent } from '../audit/audit-log';
import type { Db } from '../platform/db';
import { auditEvents } from '../platform/schema';

export const INTAKE_REFUSED_ACTION = 'tip.intake_refused';

/**
 * Writes one intake refusal event for a subject (a tip, an answer, or the job when the record
 * named none), unless it is already there: BullMQ keeps a failed job and never queues its id
 * again, so a run repeated after a crash finds its event and adds none.
 */
export async function auditIntakeRefusalOnce(
  db: Db,
  subject: { subjectType: string; subjectId: string },
  details: Record<string, unknown>,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [already] = await tx
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, INTAKE_REFUSED_ACTION),
          eq(auditEvents.subjectType, subject.subjectType),
          eq(auditEvents.subjectId, subject.subjectId),
        ),
      )
      .limit(1);
    if (already) return;
    await appendAuditEvent(tx, { actorType: 'system', action: INTAKE_REFUSED_ACTION, ...subject, details });
  });
}
