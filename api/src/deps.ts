import type { Argon2Pool, KeyPair, Logger } from '@tinbao/shared';
import type { Redis } from 'ioredis';
import type { ApiConfig } from './config';
import type { Database } from './platform/db';
import type { Metrics } from './platform/metrics';
import type { Queues } from './platform/queues';

/** What feature routers and services receive from the composition root (server.ts). */
export interface ApiDeps {
  config: ApiConfig;
  database: Database;
  /** Waits for Redis to come back: BullMQ and background work. */
  redis: Redis;
  /** Answers at once while Redis is down: request-path checks (rate limits, health). */
  redisFast: Redis;
  queues: Queues;
  /** The organisation key pair, unwrapped at start-up; only the API decrypts. */
  orgKeys: KeyPair;
  /** The process's Prometheus registry and counters, served at GET /metrics. */
  metrics: Metrics;
  logger: Logger;
  /**
   * The bounded pool of argon2id threads for staff passwords and login proofs of work
   * (PASSWORD_HASH_THREADS, PASSWORD_HASH_QUEUE). Absent (tools, some tests): a process default.
   */
  argon2?: Argon2Pool;
}
