import {
  createLogger,
  generateKeyPair,
  type KeyPair,
  loadAdminUnits,
  openJson,
  QUEUE_NAMES,
  sealJson,
  splitSubmission,
  submitSealedTip,
  TipContentSchema,
} from '@tinbao/shared';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { createTestRedisPrefix, deleteRedisPrefix, findInRedis } from '@tinbao/shared/testing/redis-prefix';
import { buildTipSubmission } from '@tinbao/shared/testing/tips';
import { type Job, QueueEvents, type Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAdminUnits } from '../admin-units/seed';
import { verifyAuditChain } from '../audit/audit-log';
import { bullPrefix, createQueues, type Queues } from '../platform/queues';
import { createRedis } from '../platform/redis';
import { auditEvents, tips } from '../platform/schema';
import { createTestDatabase, ENGINES, type TestDatabase } from '../platform/test-database';
import { startWorkers } from '../workers';

describe.each(ENGINES)('intake on %s', (engine) => {
  let database: TestDatabase;
  let redis: Redis;
  let prefix: string;
  let queues: Queues;
  let workers: Worker[];
  let triageEvents: QueueEvents;
  let org: KeyPair;
  const logs = createLogCapture();

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await seedAdminUnits(database.db, loadAdminUnits());
    redis = createRedis('redis://127.0.0.1:6379', 'queue', 'intake-test');
    prefix = createTestRedisPrefix();
    queues = createQueues(redis, prefix);
    org = await generateKeyPair();
    const logger = createLogger({ name: 'api', level: 'debug', destination: logs.stream });
    workers = startWorkers(
      { db: database.db, redis, queueConnection: redis, redisPrefix: prefix, queues, logger },
      { concurrency: 4, lockDurationMs: 30_000 },
    );
    triageEvents = new QueueEvents(QUEUE_NAMES.triage, {
      connection: redis.duplicate(),
      prefix: bullPrefix(prefix),
    });
    await triageEvents.waitUntilReady();
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await triageEvents.close();
    await queues.close();
    await deleteRedisPrefix(redis, prefix);
    redis.disconnect();
    await database.destroy();
  });

  /** Resolves when the intake worker has finished the job with this id. */
  const intakeDone = (tipId: string) =>
    new Promise<Job>((resolve, reject) => {
      const worker = workers[0]!;
      const onDone = (job: Job) => {
        if (job.id !== tipId) return;
        worker.off('completed', onDone);
        resolve(job);
      };
      worker.on('completed', onDone);
      worker.on('failed', (job, error) => job?.id === tipId && reject(error));
    });

  it('stores a sealed tip exactly once, openable by the organisation key, with no plaintext anywhere', async () => {
    const marker = `MARKER-${engine}-${Date.now()}-ngõ-hẻm`;
    const submission = buildTipSubmission({ description: `Mua bán trước cổng trường. ${marker}` });
    const { clear, content } = splitSubmission(submission);
    const envelope = await sealJson(content, [org.publicKey]);

    const stored = intakeDone(clear.id);
    const triaged = new Promise<void>((resolve) =>
      triageEvents.on('completed', ({ jobId }) => jobId === clear.id && resolve()),
    );
    await submitSealedTip({ redis, redisPrefix: prefix, intakeQueue: queues.intake }, { clear, envelope });
    await stored;
    await triaged;

    // A duplicated delivery (the bot retries after a timeout) writes nothing twice.
    const again = intakeDone(clear.id);
    await queues.intake.remove(clear.id);
    await submitSealedTip({ redis, redisPrefix: prefix, intakeQueue: queues.intake }, { clear, envelope });
    expect((await again).returnvalue).toEqual({ tipId: clear.id, stored: false });

    const rows = await database.db.select().from(tips).where(eq(tips.id, clear.id));
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      receiptCode: clear.receiptCode,
      status: 'new',
      category: 'mua_ban',
      communeCode: '19564',
      channel: 'telegram',
    });
    expect(row.triagedAt).toBeInstanceOf(Date);
    expect(row.deadlineAt.getTime() - row.receivedAt.getTime()).toBe(20 * 24 * 3600 * 1000);
    const opened = TipContentSchema.parse(await openJson(row.envelope!, org));
    expect(opened).toEqual(content);

    // No plaintext: not in any column of the row, not in Redis, not in the logs.
    const rowBytes = Buffer.concat(
      Object.values(row).map((value) =>
        value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value ?? '')),
      ),
    );
    expect(rowBytes.includes(Buffer.from(marker))).toBe(false);
    expect(await findInRedis(redis, prefix, marker)).toEqual([]);
    expect(logs.text()).not.toContain(marker);
    expect(logs.text()).toContain(clear.id);

    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, clear.id));
    expect(events.map((event) => event.action)).toEqual(['tip.received']);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('keeps a job whose payload is not an id for inspection, without retrying it', async () => {
    const job = await queues.intake.add('store-tip', { tipId: 'not-a-uuid' } as never, { attempts: 5 });
    const failed = new Promise<Error>((resolve) =>
      workers[0]!.on('failed', (failedJob, error) => failedJob?.id === job.id && resolve(error)),
    );
    expect((await failed).message).toMatch(/payload/);
    const state = await queues.intake.getJobState(job.id!);
    expect(state).toBe('failed');
    expect((await queues.intake.getJob(job.id!))?.attemptsMade).toBe(1);
  });
});
