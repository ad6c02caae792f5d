import {
  AnswerContentSchema,
  checkAnswerText,
  deleteAnswerRecord,
  EnvelopeError,
  type KeyPair,
  type Logger,
  openSealedAnswer,
  readAnswerRecord,
  type StoreAnswerJob,
  StoreAnswerJobSchema,
} from '@tinbao/shared';
import type { Job } from 'bullmq';
import { and, eq, isNull } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { appendAuditEvent } from '../audit/audit-log';
import type { Db } from '../platform/db';
import type { Metrics } from '../platform/metrics';
import { tipAnswers, tipQuestions } from '../platform/schema';
import { DEFAULT_INTAKE_MAX_AGE_MS, INTAKE_CLOCK_SKEW_MS, type IntakeRefusal } from '../tips/intake-checks';
import { auditIntakeRefusalOnce } from '../tips/intake-refusal-audit';
import { IntakeRefusedError } from '../tips/intake-worker';

export interface AnswerIntakeDeps {
  db: Db;
  redis: Redis;
  redisPrefix: string;
  orgKeys: KeyPair;
  metrics: Pick<Metrics, 'intakeRefused'>;
  logger: Logger;
  maxAgeMs?: number;
  now?: () => Date;
}

export type StoreAnswerResult = { answerId: string; stored: boolean };

/**
 * The store-answer job, checked as a tip is: the record (Redis) → its envelope opened as this
 * answer (bound to answer, question and tip ids and time) → the text checked by the answer
 * rules → in one transaction the question marked answered (only while neither answered nor
 * withdrawn), the answer row and its `tip.question_answered` event → the record removed. A
 * repeated delivery finds the answer stored and only cleans up; a refusal is final and audited.
 */
export function createStoreAnswerProcessor(deps: AnswerIntakeDeps) {
  const refuse = async (job: Job, answerId: string | undefined, refusal: IntakeRefusal, problem?: string) => {
    await auditRefusal(deps.db, job, answerId, refusal);
    deps.metrics.intakeRefused.inc({ reason: refusal.reason });
    deps.logger.warn(
      { answerId, jobId: job.id, ...refusal, ...(problem ? { problem } : {}) },
      'intake refused an answer',
    );
    throw new IntakeRefusedError(undefined, refusal);
  };

  return async (job: Job<StoreAnswerJob>): Promise<StoreAnswerResult> => {
    const payload = StoreAnswerJobSchema.safeParse(job.data);
    if (!payload.success) return refuse(job, undefined, { reason: 'payload_invalid' });
    const { answerId } = payload.data;
    const stored = async () =>
      (await deps.db.select({ id: tipAnswers.id }).from(tipAnswers).where(eq(tipAnswers.id, answerId)))
        .length > 0;

    const { record, problem } = await readAnswerRecord(deps.redis, deps.redisPrefix, answerId);
    if (problem) return refuse(job, answerId, { reason: 'record_unreadable' }, problem);
    if (!record) {
      if (await stored()) return { answerId, stored: false };
      return refuse(job, answerId, { reason: 'record_missing' });
    }
    if (await stored()) {
      await deleteAnswerRecord(deps.redis, deps.redisPrefix, answerId);
      return { answerId, stored: false };
    }

    const { clear } = record;
    let sealed: unknown;
    try {
      sealed = await openSealedAnswer(record.envelope, clear, deps.orgKeys);
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      return refuse(job, answerId, { reason: 'envelope_mismatch' });
    }
    const content = AnswerContentSchema.safeParse(sealed);
    const text = content.success ? checkAnswerText(content.data.text) : undefined;
    if (!text?.ok) return refuse(job, answerId, { reason: 'answer_invalid' });
    const now = deps.now?.() ?? new Date();
    const answeredAt = new Date(clear.answeredAt);
    if (answeredAt.getTime() - now.getTime() > INTAKE_CLOCK_SKEW_MS)
      return refuse(job, answerId, { reason: 'submitted_in_future' });
    if (now.getTime() - answeredAt.getTime() > (deps.maxAgeMs ?? DEFAULT_INTAKE_MAX_AGE_MS))
      return refuse(job, answerId, { reason: 'submitted_too_long_ago' });

    const outcome = await deps.db.transaction(async (tx) => {
      const [answered] = await tx
        .update(tipQuestions)
        .set({ answeredAt: now })
        .where(
          and(
            eq(tipQuestions.id, clear.questionId),
            eq(tipQuestions.tipId, clear.tipId),
            isNull(tipQuestions.withdrawnAt),
            isNull(tipQuestions.answeredAt),
          ),
        )
        .returning({ id: tipQuestions.id });
      if (!answered) {
        const [question] = await tx
          .select({ withdrawnAt: tipQuestions.withdrawnAt, answeredAt: tipQuestions.answeredAt })
          .from(tipQuestions)
          .where(and(eq(tipQuestions.id, clear.questionId), eq(tipQuestions.tipId, clear.tipId)));
        if (!question) return 'question_unknown' as const;
        return question.withdrawnAt ? ('question_withdrawn' as const) : ('question_answered' as const);
      }
      await tx.insert(tipAnswers).values({
        id: answerId,
        questionId: clear.questionId,
        tipId: clear.tipId,
        answeredAt,
        receivedAt: now,
        envelope: record.envelope,
      });
      await appendAuditEvent(tx, {
        actorType: 'resident',
        action: 'tip.question_answered',
        subjectType: 'tip',
        subjectId: clear.tipId,
        details: { questionId: clear.questionId, answerId },
      });
      return 'stored' as const;
    });
    if (outcome !== 'stored') return refuse(job, answerId, { reason: outcome });
    await deleteAnswerRecord(deps.redis, deps.redisPrefix, answerId);
    deps.logger.info({ answerId, tipId: clear.tipId, attempt: job.attemptsMade + 1 }, 'answer stored');
    return { answerId, stored: true };
  };
}

/** One refusal event per answer job (its subject is the answer id, never the text). */
async function auditRefusal(db: Db, job: Job, answerId: string | undefined, refusal: IntakeRefusal) {
  await auditIntakeRefusalOnce(
    db,
    { subjectType: 'intake_answer', subjectId: answerId ?? String(job.id) },
    { reason: refusal.reason },
  );
}
