import {
  bullPrefix,
  type Logger,
  type NotifyUnitJob,
  type PurgeTipsJob,
  QUEUE_NAMES,
  type RelayJob,
  type StoreTipJob,
  type TriageTipJob,
} from '@tinbao/shared';
import { type Processor, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';

export interface Queues {
  intake: Queue<StoreTipJob>;
  triage: Queue<TriageTipJob>;
  notify: Queue<NotifyUnitJob>;
  /** `relay-message` jobs the bot sends: unit notifications (later, messages to residents). */
  relay: Queue<RelayJob>;
  /** The daily retention purge (a job scheduler; no payload). */
  retention: Queue<PurgeTipsJob>;
  close(): Promise<void>;
}

// The rule lives in shared so the bot's producer and the api's workers agree on it.
export { bullPrefix };

export function createQueues(connection: Redis, redisPrefix: string): Queues {
  const options = { connection, prefix: bullPrefix(redisPrefix) };
  const intake = new Queue<StoreTipJob>(QUEUE_NAMES.intake, options);
  const triage = new Queue<TriageTipJob>(QUEUE_NAMES.triage, options);
  const notify = new Queue<NotifyUnitJob>(QUEUE_NAMES.notify, options);
  const relay = new Queue<RelayJob>(QUEUE_NAMES.relay, options);
  const retention = new Queue<PurgeTipsJob>(QUEUE_NAMES.retention, options);
  for (const queue of [intake, triage, notify, relay, retention]) queue.on('error', () => {});
  return {
    intake,
    triage,
    notify,
    relay,
    retention,
    close: async () => {
      await Promise.all([intake.close(), triage.close(), notify.close(), relay.close(), retention.close()]);
    },
  };
}

export interface WorkerOptions {
  concurrency: number;
  /** How long a job's lock lasts; a crashed worker's jobs are picked up again after it. */
  lockDurationMs: number;
}

/** A BullMQ worker with TinBao's defaults: errors logged by id, never by payload. */
export function startWorker<T>(
  name: string,
  processor: Processor<T>,
  deps: { connection: Redis; redisPrefix: string; logger: Logger },
  options: WorkerOptions,
): Worker<T> {
  const worker = new Worker<T>(name, processor, {
    connection: deps.connection,
    prefix: bullPrefix(deps.redisPrefix),
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: Math.max(1000, Math.floor(options.lockDurationMs / 2)),
    maxStalledCount: 5,
  });
  worker.on('error', (error) => deps.logger.warn({ queue: name, err: error.message }, 'worker error'));
  worker.on('failed', (job, error) =>
    deps.logger.warn(
      { queue: name, jobId: job?.id, attempts: job?.attemptsMade, err: error.message },
      'job failed',
    ),
  );
  return worker;
}
