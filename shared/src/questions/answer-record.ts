import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS, JOB_NAMES, type StoreAnswerJob } from '../jobs';

/**
 * A resident's sealed answer waiting for the intake worker, as a tip's record does: the job
 * carries the answer id only; the clear ids and the envelope wait in one Redis hash.
 */
export const AnswerClearFieldsSchema = z
  .object({
    answerId: z.uuid(),
    tipId: z.uuid(),
    questionId: z.uuid(),
    /** When the gateway sealed it (bound into the envelope). */
    answeredAt: z.iso.datetime(),
  })
  .strict();
export type AnswerClearFields = z.infer<typeof AnswerClearFieldsSchema>;

export interface AnswerRecord {
  clear: AnswerClearFields;
  envelope: Uint8Array;
}

const RECORD_TTL_SECONDS = 14 * 24 * 3600;

export const answerRecordKey = (prefix: string, answerId: string) => `${prefix}:intake-answer:${answerId}`;
/** The intake job id of an answer: its own namespace beside the tips' (a job id is a tip id). */
export const answerJobId = (answerId: string) => `answer-${answerId}`;

export async function readAnswerRecord(
  redis: Redis,
  prefix: string,
  answerId: string,
): Promise<{ record?: AnswerRecord; problem?: string }> {
  const hash = await redis.hgetallBuffer(answerRecordKey(prefix, answerId));
  if (!hash.envelope || !hash.clear) return {};
  let json: unknown;
  try {
    json = JSON.parse(hash.clear.toString('utf8'));
  } catch {
    return { problem: 'clear fields are not JSON' };
  }
  const clear = AnswerClearFieldsSchema.safeParse(json);
  if (!clear.success)
    return { problem: `clear fields invalid: ${clear.error.issues[0]?.message ?? 'unknown'}` };
  if (clear.data.answerId !== answerId) return { problem: 'record belongs to another answer' };
  return { record: { clear: clear.data, envelope: new Uint8Array(hash.envelope) } };
}

export async function deleteAnswerRecord(redis: Redis, prefix: string, answerId: string): Promise<void> {
  await redis.del(answerRecordKey(prefix, answerId));
}

/** Hands a sealed answer to the intake queue. Idempotent: the job id comes from the answer id. */
export async function submitSealedAnswer(
  deps: { redis: Redis; redisPrefix: string; intakeQueue: Queue<StoreAnswerJob> },
  record: AnswerRecord,
): Promise<void> {
  const key = answerRecordKey(deps.redisPrefix, record.clear.answerId);
  await deps.redis
    .multi()
    .hset(key, {
      clear: JSON.stringify(AnswerClearFieldsSchema.parse(record.clear)),
      envelope: Buffer.from(record.envelope),
    })
    .expire(key, RECORD_TTL_SECONDS)
    .exec();
  await deps.intakeQueue.add(
    JOB_NAMES.storeAnswer,
    { answerId: record.clear.answerId },
    { ...DEFAULT_JOB_OPTIONS, jobId: answerJobId(record.clear.answerId) },
  );
}
