import { JOB_NAMES, type KeyPair, type Logger, QUEUE_NAMES } from '@tinbao/shared';
import type { RetentionPolicy } from '@tinbao/shared/api/retention';
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createNotifyUnitProcessor } from './notifications/notify-unit-worker';
import type { Db } from './platform/db';
import type { Metrics } from './platform/metrics';
import { type Queues, startWorker, type WorkerOptions } from './platform/queues';
import { createStoreAnswerProcessor } from './questions/answer-intake';
import { DEFAULT_RETENTION_POLICY } from './retention/config';
import { createPurgeTipsProcessor } from './retention/worker';
import { createStoreTipProcessor } from './tips/intake-worker';
import { createTriageTipProcessor } from './tips/triage-worker';

export interface WorkerDeps {
  db: Db;
  /** Connection for TinBao's own keys (intake records). */
  redis: Redis;
  /** Connection BullMQ workers duplicate for their blocking reads. */
  queueConnection: Redis;
  redisPrefix: string;
  queues: Queues;
  /** The organisation key pair: intake opens every envelope to check it against the clear fields. */
  orgKeys: KeyPair;
  metrics: Metrics;
  logger: Logger;
  /** How old a submission may be when intake takes it (INTAKE_MAX_AGE_HOURS). */
  intakeMaxAgeMs?: number;
  /** How long tips are kept (the api passes its config's; default 365/90 days). */
  retention?: RetentionPolicy;
}

/** Starts every BullMQ worker of the api process; returns them for a graceful close. */
export function startWorkers(deps: WorkerDeps, options: WorkerOptions): Worker[] {
  const base = { connection: deps.queueConnection, redisPrefix: deps.redisPrefix, logger: deps.logger };
  return [
    startWorker(QUEUE_NAMES.intake, createIntakeProcessor(deps), base, options),
    startWorker(QUEUE_NAMES.triage, createTriageTipProcessor({ db: deps.db, logger: deps.logger }), base, {
      ...options,
      concurrency: Math.max(1, Math.floor(options.concurrency / 2)),
    }),
    startWorker(
      QUEUE_NAMES.notify,
      createNotifyUnitProcessor({ db: deps.db, relayQueue: deps.queues.relay, logger: deps.logger }),
      base,
      { ...options, concurrency: Math.max(1, Math.floor(options.concurrency / 4)) },
    ),
    // One purge at a time per process (two processes split the work: SKIP LOCKED).
    startWorker(
      QUEUE_NAMES.retention,
      createPurgeTipsProcessor({
        db: deps.db,
        policy: deps.retention ?? DEFAULT_RETENTION_POLICY,
        logger: deps.logger,
      }),
      base,
      { ...options, concurrency: 1 },
    ),
  ];
}

/** The intake queue carries tips and residents' answers: one processor each, by job name. */
function createIntakeProcessor(deps: WorkerDeps) {
  const common = {
    db: deps.db,
    redis: deps.redis,
    redisPrefix: deps.redisPrefix,
    orgKeys: deps.orgKeys,
    metrics: deps.metrics,
    logger: deps.logger,
    ...(deps.intakeMaxAgeMs ? { maxAgeMs: deps.intakeMaxAgeMs } : {}),
  };
  const tips = createStoreTipProcessor({ ...common, triageQueue: deps.queues.triage });
  const answers = createStoreAnswerProcessor(common);
  return (job: Job) => (job.name === JOB_NAMES.storeAnswer ? answers(job) : tips(job));
}
