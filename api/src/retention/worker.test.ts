import { JOB_NAMES, type PurgeTipsJob, QUEUE_NAMES } from '@tinbao/shared';
import type { Job, Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../platform/queues';
import { tips } from '../platform/schema';
import { createServiceHarness, type ServiceHarness } from '../tips/test-harness';
import { createTestTip } from '../tips/testing';
import { DEFAULT_RETENTION_POLICY } from './config';
import { DAY_MS } from './policy';
import {
  createPurgeTipsProcessor,
  DAILY_PURGE_PATTERN,
  DAILY_PURGE_SCHEDULER_ID,
  type PurgeTipsResult,
  scheduleDailyPurge,
} from './worker';

const NOW = new Date('2027-06-01T19:30:00Z');

let h: ServiceHarness;
let worker: Worker<PurgeTipsJob>;
const progress: unknown[] = [];
/** Finished purge-tips jobs by id, resolved from the worker's own events (no polling). */
const settled = new Map<string, (outcome: PurgeTipsResult | Error) => void>();
const finished = (jobId: string) =>
  new Promise<PurgeTipsResult | Error>((resolve) => settled.set(jobId, resolve));

beforeAll(async () => {
  h = await createServiceHarness('pglite');
  worker = startWorker<PurgeTipsJob>(
    QUEUE_NAMES.retention,
    createPurgeTipsProcessor({
      db: h.database.db,
      policy: DEFAULT_RETENTION_POLICY,
      now: () => NOW,
      logger: h.deps.logger,
      batchSize: 2,
    }),
    { connection: h.queueRedis, redisPrefix: h.prefix, logger: h.deps.logger },
    { concurrency: 1, lockDurationMs: 30_000 },
  );
  worker.on('progress', (_job, value) => progress.push(value));
  worker.on('completed', (job: Job, result: PurgeTipsResult) => settled.get(job.id!)?.(result));
  worker.on('failed', (job, error) => job && settled.get(job.id!)?.(error));
});
afterAll(async () => {
  await worker?.close();
  await h?.destroy();
});

describe('the daily purge job', () => {
  it('is one job scheduler, daily at 02:30 in Vietnam, however often it is registered', async () => {
    await scheduleDailyPurge(h.queues.retention);
    await scheduleDailyPurge(h.queues.retention);
    const schedulers = await h.queues.retention.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({
      key: DAILY_PURGE_SCHEDULER_ID,
      name: JOB_NAMES.purgeTips,
      pattern: '30 2 * * *',
      tz: 'Asia/Ho_Chi_Minh',
    });
    expect(DAILY_PURGE_PATTERN).toBe('30 2 * * *');
    // Remove it again: its first run must not race the next test's own job.
    await h.queues.retention.removeJobScheduler(DAILY_PURGE_SCHEDULER_ID);
  });

  it('purges what is due, reports its progress, and purges nothing the second time', async () => {
    const due = await Promise.all(
      [400, 401, 402].map((days) =>
        createTestTip(h.database.db, h.orgKeys.publicKey, {
          status: 'closed',
          closedAt: new Date(NOW.getTime() - days * DAY_MS),
        }),
      ),
    );
    const recent = await createTestTip(h.database.db, h.orgKeys.publicKey, {
      status: 'closed',
      closedAt: new Date(NOW.getTime() - 30 * DAY_MS),
    });
    const first = await h.queues.retention.add(JOB_NAMES.purgeTips, {}, { jobId: 'run-1' });
    const done = finished(first.id!);
    expect(await done).toEqual({ purged: 3, due: 3, batches: 2 });
    expect(progress).toEqual([
      { purged: 0, total: 3 },
      { purged: 2, total: 3 },
      { purged: 3, total: 3 },
    ]);
    for (const tip of due) {
      const [row] = await h.database.db.select().from(tips).where(eq(tips.id, tip.id));
      expect(row?.purgedAt?.toISOString()).toBe(NOW.toISOString());
    }
    const [kept] = await h.database.db.select().from(tips).where(eq(tips.id, recent.id));
    expect(kept?.purgedAt).toBeNull();

    const second = await h.queues.retention.add(JOB_NAMES.purgeTips, {}, { jobId: 'run-2' });
    expect(await finished(second.id!)).toEqual({ purged: 0, due: 0, batches: 0 });
    const line = h.logs.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'retention purge finished');
    expect(line).toMatchObject({ purged: 3, due: 3 });
  });

  it('refuses a payload that is not {} without retrying', async () => {
    const job = await h.queues.retention.add(JOB_NAMES.purgeTips, { tipId: 'x' } as unknown as PurgeTipsJob, {
      jobId: 'bad',
      attempts: 3,
    });
    const outcome = await finished(job.id!);
    expect(outcome).toBeInstanceOf(Error);
    expect((await h.queues.retention.getJob('bad'))?.attemptsMade).toBe(1);
  });
});
