import { randomUUID } from 'node:crypto';
import {
  type Channel,
  createReceiptCode,
  type StoreTipJob,
  sealTip,
  splitSubmission,
  submitSealedTip,
  TipSubmissionSchema,
} from '@tinbao/shared';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Draft } from '../conversation/draft';
import type { PhotoStore } from '../drafts/draft-store';
import type { Pseudonyms } from './pseudonyms';

/** At most this many confirmed tips per resident per hour. */
export const TIPS_PER_HOUR = 5;

export interface SubmitDeps {
  /** Fails fast while Redis is down (no offline queue), so the resident is answered at once. */
  redis: Redis;
  /** Counters named by keyed hashes of platform ids: the memory-only drafts Redis, never a disk. */
  volatileRedis: Redis;
  redisPrefix: string;
  intakeQueue: Queue<StoreTipJob>;
  orgPublicKey: Uint8Array;
  relayPublicKey: Uint8Array;
  pseudonyms: Pseudonyms;
  photos: PhotoStore;
}

/**
 * Who is writing, as the channel adapter knows them: ids live in memory for the update only;
 * what is stored or sealed is a keyed hash of them in the channel's own scope.
 */
export interface Resident {
  channel: Channel;
  /** The channel's pseudonym scope ('telegram', 'zalo', 'web'): ids of two platforms never collide. */
  scope: string;
  userId: string;
  chatId: string;
}

export type SubmitOutcome =
  | { kind: 'sent'; receiptCode: string }
  | { kind: 'rate_limited' }
  | { kind: 'invalid'; problem: string };

// A scope of its own, so the rate-limit key in Redis does not equal the pseudonym sealed in tips.
const rateKey = async (deps: SubmitDeps, who: Resident) =>
  `${deps.redisPrefix}:bot:rate:${await deps.pseudonyms.of(`${who.scope}-rate`, who.userId)}`;

export async function isRateLimited(deps: SubmitDeps, who: Resident): Promise<boolean> {
  const count = Number((await deps.volatileRedis.get(await rateKey(deps, who))) ?? '0');
  return count >= TIPS_PER_HOUR;
}

export async function countSubmission(deps: SubmitDeps, who: Resident): Promise<void> {
  const key = await rateKey(deps, who);
  await deps.volatileRedis.multi().incr(key).expire(key, 3600, 'NX').exec();
}

/** Gives the draft its tip id and receipt code once; a retry after a failure reuses them. */
export function ensurePending(draft: Draft): NonNullable<Draft['pending']> {
  draft.pending ??= {
    tipId: randomUUID(),
    receiptCode: createReceiptCode(),
    submittedAt: new Date().toISOString(),
  };
  return draft.pending;
}

/**
 * Validates the draft with the shared schema, seals it to the organisation's public key
 * (and the chat id to the bot's relay key, only with consent) and hands it to the intake
 * queue. Idempotent by tip id. Throws when Redis fails: the caller keeps the draft.
 */
export async function submitDraft(deps: SubmitDeps, draft: Draft, who: Resident): Promise<SubmitOutcome> {
  const resumed = draft.pending !== undefined;
  const pending = ensurePending(draft);
  // An earlier attempt got as far as the queue (only the reply or the draft cleanup failed):
  // the tip is in; writing its record again would leave an orphan behind.
  if (resumed && (await deps.intakeQueue.getJob(pending.tipId))) {
    return { kind: 'sent', receiptCode: pending.receiptCode };
  }
  const photos = [];
  for (const photo of draft.photos) {
    const bytes = await deps.photos.get(photo.id);
    if (!bytes) return { kind: 'invalid', problem: 'photo_expired' };
    photos.push({
      mimeType: 'image/jpeg' as const,
      width: photo.width,
      height: photo.height,
      dataBase64: Buffer.from(bytes).toString('base64'),
    });
  }
  const parsed = TipSubmissionSchema.safeParse({
    id: pending.tipId,
    receiptCode: pending.receiptCode,
    channel: who.channel,
    submittedAt: pending.submittedAt,
    category: draft.category,
    provinceCode: draft.provinceCode,
    communeCode: draft.communeCode,
    venueType: draft.venueType,
    observed: draft.observed,
    description: draft.description,
    ...(draft.location ? { location: draft.location } : {}),
    photos,
    followUpConsent: draft.followUpConsent,
    reporterPseudonym: await deps.pseudonyms.reporter(who.scope, who.userId, new Date(pending.submittedAt)),
  });
  if (!parsed.success)
    return { kind: 'invalid', problem: parsed.error.issues[0]?.path.join('.') ?? 'unknown' };

  const { clear, content } = splitSubmission(parsed.data);
  // Bound to the tip's id, receipt code, channel and time: the worker opens it as this tip only.
  const envelope = await sealTip(content, clear, [deps.orgPublicKey]);
  // No reply token: until a follow-up reply handle exists, nothing that leads to the chat is stored.
  await submitSealedTip(
    { redis: deps.redis, redisPrefix: deps.redisPrefix, intakeQueue: deps.intakeQueue },
    { clear, envelope },
  );
  await countSubmission(deps, who);
  return { kind: 'sent', receiptCode: pending.receiptCode };
}
