import {
  bullPrefix,
  JOB_NAMES,
  type Logger,
  QUEUE_NAMES,
  type RelayJob,
  RelayJobSchema,
  type UnitNotificationJob,
} from '@tinbao/shared';
import type { NotificationChannel } from '@tinbao/shared/notifications/targets';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';

/** Sends a text to an address of one channel (a Telegram group chat id …); resolves once sent. */
export type RelaySender = (address: string, text: string) => Promise<void>;

/** One sender per notification channel: a new channel is one more entry, given by main.ts. */
export type RelaySenders = { [Channel in NotificationChannel]: RelaySender };

/**
 * A sender throws this when the platform refused the message for good (the bot is not in
 * the group, the chat is gone): retrying will not help. Any other error is retried.
 */
export class DeliveryRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryRefusedError';
  }
}

export interface RelayWorkerDeps {
  /** A connection that waits for Redis (maxRetriesPerRequest: null), as BullMQ workers need. */
  connection: Redis;
  redisPrefix: string;
  senders: RelaySenders;
  logger: Logger;
}

export type RelayResult = { kind: 'unit-notification'; channel: NotificationChannel };

/**
 * The relay queue's processor: checks the payload, then dispatches by `kind` and, for a unit
 * notification, by the target's channel. Bad payloads and refusals fail at once (no retry).
 */
export function createRelayProcessor(deps: Pick<RelayWorkerDeps, 'senders' | 'logger'>) {
  return async (job: Job<RelayJob>): Promise<RelayResult> => {
    if (job.name !== JOB_NAMES.relayMessage) {
      throw new UnrecoverableError(`the bot does not handle ${job.name} jobs`);
    }
    const payload = RelayJobSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError('relay-message payload is malformed');
    const message = payload.data;
    switch (message.kind) {
      case 'unit-notification':
        return notifyUnit(deps, job, message);
      case 'resident-message':
        // The follow-up questions issue gives the bot the way from a reply handle to a chat.
        throw new UnrecoverableError('resident-message relay is not supported yet');
    }
  };
}

async function notifyUnit(
  deps: Pick<RelayWorkerDeps, 'senders' | 'logger'>,
  job: Job<RelayJob>,
  message: UnitNotificationJob,
): Promise<RelayResult> {
  const { channel, address } = message.target;
  const send: RelaySender | undefined = deps.senders[channel];
  if (!send) throw new UnrecoverableError(`no sender for channel ${channel}`);
  try {
    await send(address, message.text);
  } catch (error) {
    if (error instanceof DeliveryRefusedError || error instanceof UnrecoverableError) {
      throw new UnrecoverableError(`${channel} refused the unit notification: ${error.message}`);
    }
    throw error;
  }
  // Ids only: the address (a chat id) stays out of the log.
  deps.logger.info({ unitId: message.unitId, channel, jobId: job.id }, 'unit notified');
  return { kind: 'unit-notification', channel };
}

/**
 * Sends what the api puts on the relay queue — today a fixed "a case arrived" text (no tip
 * content) to a unit's notification targets — through the senders the caller gives: only
 * the bot holds the tokens to send it.
 */
export function startRelayWorker(deps: RelayWorkerDeps): Worker<RelayJob, RelayResult> {
  const worker = new Worker<RelayJob, RelayResult>(QUEUE_NAMES.relay, createRelayProcessor(deps), {
    connection: deps.connection,
    prefix: bullPrefix(deps.redisPrefix),
    concurrency: 4,
  });
  worker.on('error', (error) => deps.logger.warn({ err: error.message }, 'relay worker error'));
  worker.on('failed', (job, error) =>
    deps.logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: error.message }, 'relay job failed'),
  );
  return worker;
}
