import {
  DEFAULT_JOB_OPTIONS,
  deleteIntakeRecord,
  JOB_NAMES,
  type KeyPair,
  type Logger,
  readIntakeRecord,
  type StoreTipJob,
  StoreTipJobSchema,
  type TriageTipJob,
} from '@tinbao/shared';
import { type Job, type Queue, UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import { appendAuditEvent } from '../audit/audit-log';
import type { Db } from '../platform/db';
import type { Metrics } from '../platform/metrics';
import {
  checkIntakeRecord,
  DEFAULT_INTAKE_MAX_AGE_MS,
  INTAKE_CLOCK_SKEW_MS,
  type IntakeRefusal,
} from './intake-checks';
import { auditIntakeRefusalOnce } from './intake-refusal-audit';
import { insertTipIfAbsent, tipExists } from './repository';

export interface IntakeDeps {
  db: Db;
  redis: Redis;
  redisPrefix: string;
  triageQueue: Queue<TriageTipJob>;
  /** The organisation key pair: the worker opens each envelope to check it before storing. */
  orgKeys: KeyPair;
  metrics: Pick<Metrics, 'intakeRefused' | 'intakeStored'>;
  logger: Logger;
  /** How old a submission may be when the worker takes it (INTAKE_MAX_AGE_HOURS; default one day). */
  maxAgeMs?: number;
  now?: () => Date;
}

export type StoreTipResult = { tipId: string; stored: boolean };

export { INTAKE_REFUSED_ACTION } from './intake-refusal-audit';

/** A refusal that is final: BullMQ fails the job at once, without retries, and keeps it with this reason. */
export class IntakeRefusedError extends UnrecoverableError {
  constructor(
    readonly tipId: string | undefined,
    readonly refusal: IntakeRefusal,
  ) {
    super(
      `intake refused ${tipId ? `tip ${tipId}` : 'a job'}: ${refusal.reason}${
        refusal.fields ? ` (${refusal.fields.join(', ')})` : ''
      }`,
    );
    this.name = 'IntakeRefusedError';
  }
}

/**
 * The intake job: sealed record (Redis) → checked against its envelope → one row in `tips`
 * plus its audit event, in one transaction → a triage job → the Redis record removed. Every
 * step is safe to repeat, so a crash anywhere is healed by the job's retry (at-least-once
 * delivery, idempotent writes). A record that fails its checks is refused for good: audited,
 * counted, and its job failed without retries (the record stays in Redis for inspection until
 * its TTL).
 */
export function createStoreTipProcessor(deps: IntakeDeps) {
  const refuse = async (
    job: Job,
    tipId: string | undefined,
    refusal: IntakeRefusal,
    /** What exactly was wrong, for the log only (a fixed schema message, never a value). */
    problem?: string,
  ): Promise<never> => {
    // The audit comes first and a database failure is retried like any other: no refusal goes unrecorded.
    await auditRefusal(deps.db, job, tipId, refusal);
    deps.metrics.intakeRefused.inc({ reason: refusal.reason });
    deps.logger.warn(
      { tipId, jobId: job.id, ...refusal, ...(problem ? { problem } : {}) },
      'intake refused a record',
    );
    throw new IntakeRefusedError(tipId, refusal);
  };

  return async (job: Job<StoreTipJob>): Promise<StoreTipResult> => {
    const payload = StoreTipJobSchema.safeParse(job.data);
    if (!payload.success) return refuse(job, undefined, { reason: 'payload_invalid' });
    const { tipId } = payload.data;

    const { record, problem } = await readIntakeRecord(deps.redis, deps.redisPrefix, tipId);
    if (problem) return refuse(job, tipId, { reason: 'record_unreadable' }, problem);
    if (!record) {
      // Gone from Redis: either an earlier attempt stored the tip and cleaned up, or it is lost.
      if (await tipExists(deps.db, tipId)) return { tipId, stored: false };
      return refuse(job, tipId, { reason: 'record_missing' });
    }

    // Stored already (a repeated delivery, or a second record written under a stored tip's id):
    // nothing of this record will be written, so there is nothing to check; finish the clean-up.
    let stored = false;
    if (!(await tipExists(deps.db, tipId))) {
      const check = await checkIntakeRecord(record, deps.orgKeys, {
        now: deps.now?.() ?? new Date(),
        maxAgeMs: deps.maxAgeMs ?? DEFAULT_INTAKE_MAX_AGE_MS,
        clockSkewMs: INTAKE_CLOCK_SKEW_MS,
      });
      if (!check.ok) {
        const { ok: _, ...refusal } = check;
        return refuse(job, tipId, refusal);
      }
      stored = await deps.db.transaction(async (tx) => {
        const inserted = await insertTipIfAbsent(tx, record);
        if (inserted) {
          await appendAuditEvent(tx, {
            actorType: 'system',
            action: 'tip.received',
            subjectType: 'tip',
            subjectId: tipId,
            details: { channel: record.clear.channel, communeCode: record.clear.communeCode },
          });
        }
        return inserted;
      });
      if (stored) deps.metrics.intakeStored.inc();
    }
    await deps.triageQueue.add(JOB_NAMES.triageTip, { tipId }, { ...DEFAULT_JOB_OPTIONS, jobId: tipId });
    await deleteIntakeRecord(deps.redis, deps.redisPrefix, tipId);
    deps.logger.info({ tipId, stored, attempt: job.attemptsMade + 1 }, 'tip stored');
    return { tipId, stored };
  };
}

/**
 * One `tip.intake_refused` event per job: a job id is a tip id, and BullMQ keeps a failed job,
 * so the same id is never queued again; a run repeated after a crash finds its event and adds none.
 */
async function auditRefusal(db: Db, job: Job, tipId: string | undefined, refusal: IntakeRefusal) {
  await auditIntakeRefusalOnce(
    db,
    tipId
      ? { subjectType: 'tip', subjectId: tipId }
      : { subjectType: 'intake_job', subjectId: String(job.id) },
    { reason: refusal.reason, ...(refusal.fields ? { fields: refusal.fields } : {}) },
  );
}
