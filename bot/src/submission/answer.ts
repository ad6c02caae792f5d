import { randomUUID } from 'node:crypto';
import { answerJobId, type StoreAnswerJob, sealAnswer, submitSealedAnswer } from '@tinbao/shared';
import type { Queue } from 'bullmq';
import type { Draft } from '../conversation/draft';
import type { SubmitDeps } from './submit';

/** At most this many answers per resident (keyed status id) per ANSWER_WINDOW_SECONDS. */
export const ANSWERS_PER_WINDOW = 5;
export const ANSWER_WINDOW_SECONDS = 600;

type AnswerAside = Extract<NonNullable<Draft['aside']>, { kind: 'answer' }>;

/**
 * Counts one answer for the resident, named by the keyed status id the gateway sends the API
 * (hashed again for the key), in the memory-only drafts Redis; says whether it is over the limit.
 */
export async function isAnswerLimited(deps: SubmitDeps, statusId: string): Promise<boolean> {
  const key = `${deps.redisPrefix}:bot:answer-rate:${await deps.pseudonyms.of('answer-rate', statusId)}`;
  const result = await deps.volatileRedis.multi().incr(key).expire(key, ANSWER_WINDOW_SECONDS, 'NX').exec();
  return Number(result?.[0]?.[1] ?? 0) > ANSWERS_PER_WINDOW;
}

/** Gives the answer its id once (saved with the draft before sending): a retry sends the same answer. */
export function ensureAnswerId(aside: AnswerAside): string {
  aside.answerId ??= randomUUID();
  return aside.answerId;
}

/**
 * Seals the answer to the organisation key, bound to the answer, question and tip ids and the
 * time, and hands it to the intake queue (job id from the answer id). Throws when Redis fails.
 */
export async function submitAnswer(deps: SubmitDeps, aside: AnswerAside, text: string): Promise<void> {
  const answerId = ensureAnswerId(aside);
  const queue = deps.intakeQueue as unknown as Queue<StoreAnswerJob>;
  // Queued already by an earlier attempt: writing the record again would leave an orphan.
  if (await queue.getJob(answerJobId(answerId))) return;
  const clear = {
    answerId,
    tipId: aside.tipId,
    questionId: aside.questionId,
    answeredAt: new Date().toISOString(),
  };
  const envelope = await sealAnswer(text, clear, [deps.orgPublicKey]);
  await submitSealedAnswer(
    { redis: deps.redis, redisPrefix: deps.redisPrefix, intakeQueue: queue },
    { clear, envelope },
  );
}
