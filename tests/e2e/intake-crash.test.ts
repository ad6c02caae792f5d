import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuditChain } from '@tinbao/api/audit/audit-log';
import { openDatabase } from '@tinbao/api/platform/db';
import { bullPrefix, createQueues } from '@tinbao/api/platform/queues';
import { createRedis } from '@tinbao/api/platform/redis';
import { auditEvents, tips } from '@tinbao/api/platform/schema';
import {
  createScratchPostgresDatabase,
  dropScratchPostgresDatabase,
  ENGINES,
} from '@tinbao/api/platform/test-database';
import {
  createOrgKeys,
  orgKeyPaths,
  QUEUE_NAMES,
  sealTip,
  splitSubmission,
  submitSealedTip,
} from '@tinbao/shared';
import { createTestRedisPrefix, deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { buildTipSubmission } from '@tinbao/shared/testing/tips';
import { QueueEvents } from 'bullmq';
import { count, countDistinct, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { startTsProcess } from '../support/processes';

const TIPS = 1000;

describe.each(ENGINES)('intake worker killed with SIGKILL on %s', (engine) => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it(`stores all ${TIPS} waiting tips exactly once after a restart`, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tinbao-crash-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const masterKey = randomBytes(32);
    const publicKey = await createOrgKeys(orgKeyPaths(`${dataDir}/keys`), masterKey);
    const databaseUrl = engine === 'postgres' ? await createScratchPostgresDatabase() : undefined;
    if (databaseUrl) cleanups.push(() => dropScratchPostgresDatabase(databaseUrl));

    const prefix = createTestRedisPrefix();
    const redis = createRedis('redis://127.0.0.1:6379', 'queue', 'crash-test');
    const queues = createQueues(redis, prefix);
    cleanups.push(async () => {
      await queues.close();
      await deleteRedisPrefix(redis, prefix);
      redis.disconnect();
    });

    // 1,000 confirmed tips wait in the queue before any worker runs.
    const started = Date.now();
    const phase = (name: string) =>
      console.log(`${engine}: ${name} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (let batch = 0; batch < TIPS; batch += 50) {
      await Promise.all(
        Array.from({ length: 50 }, async (_, offset) => {
          const submission = buildTipSubmission({ description: `tip number ${batch + offset}` });
          const { clear, content } = splitSubmission(submission);
          await submitSealedTip(
            { redis, redisPrefix: prefix, intakeQueue: queues.intake },
            { clear, envelope: await sealTip(content, clear, [publicKey]) },
          );
        }),
      );
    }
    phase(`${TIPS} tips queued`);
    expect(await queues.intake.getWaitingCount()).toBe(TIPS);

    const events = new QueueEvents(QUEUE_NAMES.intake, {
      connection: redis.duplicate(),
      prefix: bullPrefix(prefix),
    });
    cleanups.push(() => events.close());
    await events.waitUntilReady();
    // One listener for the whole test: completions during the kill must not go unseen.
    const completed = new Set<string>();
    const failed = new Set<string>();
    let wake = () => {};
    events.on('completed', ({ jobId }) => {
      completed.add(jobId);
      wake();
    });
    events.on('failed', ({ jobId }) => {
      failed.add(jobId);
      wake();
    });
    /** Resolves once n jobs have settled; rejects if the worker process dies first. */
    const settledAtLeast = (n: number, worker: { exited: Promise<unknown>; output(): string }) =>
      new Promise<void>((resolve, reject) => {
        wake = () => {
          if (completed.size + failed.size >= n) resolve();
        };
        void worker.exited.then(() =>
          reject(new Error(`the worker exited early; output:\n${worker.output().slice(-3000)}`)),
        );
        wake();
      });

    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: prefix,
      TINBAO_MASTER_KEY: masterKey.toString('hex'),
      TINBAO_ROLE: 'worker',
      INTAKE_CONCURRENCY: '8',
      // Short locks so the jobs the killed worker held are taken up again quickly (not so short
      // that a loaded machine delays lock renewal past them).
      JOB_LOCK_MS: '5000',
      LOG_LEVEL: 'warn',
    };
    const first = startTsProcess('api/src/main.ts', env);
    await settledAtLeast(50, first);
    phase(`${completed.size} stored, SIGKILL`);
    const killed = await first.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const storedBeforeCrash = completed.size;
    expect(storedBeforeCrash).toBeLessThan(TIPS);

    const second = startTsProcess('api/src/main.ts', env);
    cleanups.push(() => second.kill('SIGKILL'));
    await settledAtLeast(TIPS, second);
    expect([...failed]).toEqual([]);
    phase('all stored after restart');
    const stopped = await second.kill('SIGTERM');
    expect(stopped.code).toBe(0);

    const counts = await queues.intake.getJobCounts('failed', 'waiting', 'active', 'delayed');
    expect(counts).toMatchObject({ failed: 0, waiting: 0, active: 0, delayed: 0 });

    const database = await openDatabase(
      databaseUrl
        ? { engine: 'postgres', url: databaseUrl }
        : { engine: 'pglite', dataDir: `${dataDir}/pglite` },
    );
    try {
      const [totals] = await database.db
        .select({ rows: count(), distinct: countDistinct(tips.id) })
        .from(tips);
      expect(totals).toEqual({ rows: TIPS, distinct: TIPS });
      const [received] = await database.db
        .select({ n: count() })
        .from(auditEvents)
        .where(eq(auditEvents.action, 'tip.received'));
      expect(received?.n).toBe(TIPS);
      expect(await verifyAuditChain(database.db)).toEqual({ ok: true, events: TIPS });
    } finally {
      await database.close();
    }
  }, 600_000);
});
