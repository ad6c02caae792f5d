import type { Server } from 'node:http';
import {
  createArgon2Pool,
  type KeyPair,
  keysDirOf,
  type Logger,
  loadAdminUnits,
  orgKeyPaths,
  readOrgKeyPair,
} from '@tinbao/shared';
import type { Worker } from 'bullmq';
import type { Express } from 'express';
import { seedAdminUnits } from './admin-units/seed';
import { createApp } from './app';
import { type ApiConfig, databaseUrlsOf } from './config';
import type { ApiDeps } from './deps';
import { featureRouters } from './features';
import { resolveMasterKey } from './keys/master-key';
import { type Database, openDatabase } from './platform/db';
import { createMetrics, type Metrics } from './platform/metrics';
import { createQueues, type Queues } from './platform/queues';
import { createRedis } from './platform/redis';
import { retentionPolicyOf } from './retention/config';
import { scheduleDailyPurge } from './retention/worker';
import { bootstrapFirstAdmin } from './users/bootstrap-admin';
import { startWorkers } from './workers';

export interface ApiProcess {
  app: Express;
  server?: Server;
  database: Database;
  queues: Queues;
  workers: Worker[];
  orgKeys: KeyPair;
  metrics: Metrics;
  /** Closes in dependency order: HTTP, workers, queues, Redis, database. */
  close(): Promise<void>;
}

/**
 * Wires the api process from its configuration: keys, database (migrated, seeded),
 * Redis, queues, workers and the HTTP server. The only place that opens connections.
 */
export async function startApiProcess(
  config: ApiConfig,
  logger: Logger,
  options: { listen?: boolean } = {},
): Promise<ApiProcess> {
  const orgKeys = await readOrgKeyPair(orgKeyPaths(keysDirOf(config)), await resolveMasterKey(config));

  const postgres = databaseUrlsOf(config);
  const database = await openDatabase(
    postgres
      ? { engine: 'postgres', ...postgres, poolSize: config.DATABASE_POOL_SIZE }
      : { engine: 'pglite', dataDir: `${config.DATA_DIR}/pglite` },
  );
  if (config.SEED_ADMIN_UNITS) {
    const seeded = await seedAdminUnits(database.db, loadAdminUnits(), (done, total) => {
      if (done === total || done % 2000 < 500) logger.info({ done, total }, 'loading administrative units');
    });
    if (seeded.inserted) logger.info('administrative units and commune police units loaded');
  }

  if (config.TINBAO_BOOTSTRAP_ADMIN) {
    await bootstrapFirstAdmin(database.db, `${config.DATA_DIR}/first-admin.txt`, logger);
  }

  const redis = createRedis(config.REDIS_URL, 'queue', 'api');
  const redisHealth = createRedis(config.REDIS_URL, 'fast-fail', 'api-health');
  const queues = createQueues(redis, config.REDIS_PREFIX);
  const metrics = createMetrics();

  const workers =
    config.TINBAO_ROLE === 'http'
      ? []
      : startWorkers(
          {
            db: database.db,
            redis,
            queueConnection: redis,
            redisPrefix: config.REDIS_PREFIX,
            queues,
            orgKeys,
            metrics,
            logger,
            intakeMaxAgeMs: config.INTAKE_MAX_AGE_HOURS * 3600 * 1000,
            retention: retentionPolicyOf(config),
          },
          { concurrency: config.INTAKE_CONCURRENCY, lockDurationMs: config.JOB_LOCK_MS },
        );
  if (workers.length > 0) {
    // In the background: a Redis still starting must not hold up the api (BullMQ waits for it).
    scheduleDailyPurge(queues.retention).then(
      () => logger.info({ pattern: 'daily' }, 'retention purge scheduled'),
      (error: Error) => logger.warn({ err: error.message }, 'retention purge could not be scheduled'),
    );
  }

  // Passwords are hashed on these threads only: a flood of logins waits in a queue of known length.
  const argon2 =
    config.TINBAO_ROLE === 'worker'
      ? undefined
      : createArgon2Pool({ threads: config.PASSWORD_HASH_THREADS, maxQueue: config.PASSWORD_HASH_QUEUE });
  const deps: ApiDeps = {
    config,
    database,
    redis,
    redisFast: redisHealth,
    queues,
    orgKeys,
    metrics,
    logger,
    ...(argon2 ? { argon2 } : {}),
  };
  const app = createApp({ logger, routers: featureRouters(deps), trustProxy: config.TRUST_PROXY });

  let server: Server | undefined;
  if (options.listen !== false && config.TINBAO_ROLE !== 'worker') {
    server = await new Promise<Server>((resolve, reject) => {
      // HOST defaults to 127.0.0.1: the staff API is reached through a proxy on this machine.
      const listening = app.listen(config.PORT, config.HOST, (error?: Error) =>
        error ? reject(error) : resolve(listening),
      );
    });
    logger.info(
      { host: config.HOST, port: config.PORT, engine: database.engine, role: config.TINBAO_ROLE },
      'api listening',
    );
  }

  return {
    app,
    ...(server ? { server } : {}),
    database,
    queues,
    workers,
    orgKeys,
    metrics,
    close: async () => {
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(workers.map((worker) => worker.close()));
      await queues.close();
      await argon2?.close();
      redis.disconnect();
      redisHealth.disconnect();
      await database.close();
    },
  };
}
