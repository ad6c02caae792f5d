import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_JOB_OPTIONS, JOB_NAMES, type StoreTipJob } from '../jobs';
import { type TipClearFields, TipClearFieldsSchema } from '../tips/schemas';

/**
 * A sealed tip waiting for the intake worker. The job payload carries only the tip id;
 * the envelope (ciphertext) and the clear routing fields wait in one Redis hash, written
 * before the job is added so that the worker always finds them.
 */
export interface IntakeRecord {
  clear: TipClearFields;
  envelope: Uint8Array;
  /** The chat id sealed to the bot's relay key, only when the resident accepts follow-up questions. */
  replyToken?: Uint8Array;
}

// Long enough to outlive the job's whole retry schedule (about 4.5 hours) many times over.
const RECORD_TTL_SECONDS = 14 * 24 * 3600;

export const intakeRecordKey = (prefix: string, tipId: string) => `${prefix}:intake-record:${tipId}`;

export async function writeIntakeRecord(redis: Redis, prefix: string, record: IntakeRecord): Promise<void> {
  const key = intakeRecordKey(prefix, record.clear.id);
  const fields: Record<string, string | Buffer> = {
    clear: JSON.stringify(TipClearFieldsSchema.parse(record.clear)),
    envelope: Buffer.from(record.envelope),
  };
  if (record.replyToken) fields.replyToken = Buffer.from(record.replyToken);
  await redis.multi().hset(key, fields).expire(key, RECORD_TTL_SECONDS).exec();
}

export async function readIntakeRecord(
  redis: Redis,
  prefix: string,
  tipId: string,
): Promise<{ record?: IntakeRecord; problem?: string }> {
  const hash = await redis.hgetallBuffer(intakeRecordKey(prefix, tipId));
  if (!hash.envelope || !hash.clear) return {};
  let clearJson: unknown;
  try {
    clearJson = JSON.parse(hash.clear.toString('utf8'));
  } catch {
    return { problem: 'clear fields are not JSON' };
  }
  const clear = TipClearFieldsSchema.safeParse(clearJson);
  if (!clear.success)
    return { problem: `clear fields invalid: ${clear.error.issues[0]?.message ?? 'unknown'}` };
  if (clear.data.id !== tipId) return { problem: 'record belongs to another tip' };
  return {
    record: {
      clear: clear.data,
      envelope: new Uint8Array(hash.envelope),
      ...(hash.replyToken ? { replyToken: new Uint8Array(hash.replyToken) } : {}),
    },
  };
}

export async function deleteIntakeRecord(redis: Redis, prefix: string, tipId: string): Promise<void> {
  await redis.del(intakeRecordKey(prefix, tipId));
}

/**
 * Hands a sealed tip to the intake queue. Idempotent: the job id is the tip id, so
 * pressing "Gửi" again after a failure never makes a second tip.
 */
export async function submitSealedTip(
  deps: { redis: Redis; redisPrefix: string; intakeQueue: Queue<StoreTipJob> },
  record: IntakeRecord,
): Promise<void> {
  await writeIntakeRecord(deps.redis, deps.redisPrefix, record);
  await deps.intakeQueue.add(
    JOB_NAMES.storeTip,
    { tipId: record.clear.id },
    { ...DEFAULT_JOB_OPTIONS, jobId: record.clear.id },
  );
}
