import {
  DEFAULT_JOB_OPTIONS,
  deleteIntakeRecord,
  JOB_NAMES,
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
import { insertTipIfAbsent, tipExists } from './repository';

export interface IntakeDeps {
  db: Db;
  redis: Redis;
  redisPrefix: string;
  triageQueue: Queue<TriageTipJob>;
  logger: Logger;
}

export type StoreTipResult = { tipId: string; stored: boolean };

/**
 * The intake job: sealed record (Redis) → one row in `tips` plus its audit event, in one
 * transaction → a triage job → the Redis record removed. Every step is safe to repeat, so
 * a crash anywhere is healed by the job's retry (at-least-once delivery, idempotent writes).
 */
export function createStoreTipProcessor(deps: IntakeDeps) {
  return async (job: Job<StoreTipJob>): Promise<StoreTipResult> => {
    const payload = StoreTipJobSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError('store-tip job payload is not { tipId: uuid }');
    const { tipId } = payload.data;

    const { record, problem } = await readIntakeRecord(deps.redis, deps.redisPrefix, tipId);
    if (problem) throw new UnrecoverableError(`intake record of tip ${tipId} is unusable: ${problem}`);
    if (!record) {
      // Gone from Redis: either an earlier attempt stored the tip and cleaned up, or it is lost.
      if (await tipExists(deps.db, tipId)) return { tipId, stored: false };
      throw new UnrecoverableError(`intake record of tip ${tipId} not found`);
    }

    const stored = await deps.db.transaction(async (tx) => {
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
    await deps.triageQueue.add(JOB_NAMES.triageTip, { tipId }, { ...DEFAULT_JOB_OPTIONS, jobId: tipId });
    await deleteIntakeRecord(deps.redis, deps.redisPrefix, tipId);
    deps.logger.info({ tipId, stored, attempt: job.attemptsMade + 1 }, 'tip stored');
    return { tipId, stored };
  };
}
