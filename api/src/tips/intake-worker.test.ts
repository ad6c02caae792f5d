import { randomUUID } from 'node:crypto';
import {
  createLogger,
  createReceiptCode,
  generateKeyPair,
  type IntakeRecord,
  intakeRecordKey,
  type KeyPair,
  loadAdminUnits,
  openSealedTip,
  QUEUE_NAMES,
  sealJson,
  sealTip,
  splitSubmission,
  submitSealedTip,
  TipContentSchema,
  type TipSubmission,
  tipContext,
} from '@tinbao/shared';
import { sealVersion1Envelope } from '@tinbao/shared/testing/legacy-envelope';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { createTestRedisPrefix, deleteRedisPrefix, findInRedis } from '@tinbao/shared/testing/redis-prefix';
import { buildTipSubmission } from '@tinbao/shared/testing/tips';
import { type Job, QueueEvents, type Worker } from 'bullmq';
import { and, eq, inArray } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAdminUnits } from '../admin-units/seed';
import { verifyAuditChain } from '../audit/audit-log';
import { counterValue, createMetrics, type Metrics } from '../platform/metrics';
import { bullPrefix, createQueues, type Queues } from '../platform/queues';
import { createRedis } from '../platform/redis';
import { auditEvents, tips } from '../platform/schema';
import { createTestDatabase, ENGINES, type TestDatabase } from '../platform/test-database';
import { startWorkers } from '../workers';
import type { IntakeRefusalReason } from './intake-checks';
import { INTAKE_REFUSED_ACTION } from './intake-worker';

const HOUR = 3600 * 1000;

describe.each(ENGINES)('intake on %s', (engine) => {
  let database: TestDatabase;
  let redis: Redis;
  let prefix: string;
  let queues: Queues;
  let workers: Worker[];
  let triageEvents: QueueEvents;
  let org: KeyPair;
  let metrics: Metrics;
  const logs = createLogCapture();

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await seedAdminUnits(database.db, loadAdminUnits());
    redis = createRedis('redis://127.0.0.1:6379', 'queue', 'intake-test');
    prefix = createTestRedisPrefix();
    queues = createQueues(redis, prefix);
    org = await generateKeyPair();
    metrics = createMetrics();
    const logger = createLogger({ name: 'api', level: 'debug', destination: logs.stream });
    workers = startWorkers(
      {
        db: database.db,
        redis,
        queueConnection: redis,
        redisPrefix: prefix,
        queues,
        orgKeys: org,
        metrics,
        logger,
      },
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

  type Settled = { state: 'completed'; job: Job } | { state: 'failed'; job: Job; error: Error };

  /** Resolves when the intake worker has finished (completed or failed for good) the job with this id. */
  const settled = (jobId: string) =>
    new Promise<Settled>((resolve) => {
      const worker = workers[0]!;
      const onCompleted = (job: Job) => {
        if (job.id !== jobId) return;
        stop();
        resolve({ state: 'completed', job });
      };
      const onFailed = (job: Job | undefined, error: Error) => {
        // A failure that BullMQ will retry is not the end of the job.
        if (
          !job ||
          job.id !== jobId ||
          (job.attemptsMade < (job.opts.attempts ?? 1) && error.name !== 'IntakeRefusedError')
        )
          return;
        stop();
        resolve({ state: 'failed', job, error });
      };
      const stop = () => {
        worker.off('completed', onCompleted);
        worker.off('failed', onFailed);
      };
      worker.on('completed', onCompleted);
      worker.on('failed', onFailed);
    });

  /** Queues a record the way the gateway does (record first, then the job, job id = tip id) and waits for its end. */
  const submit = async (record: IntakeRecord) => {
    const done = settled(record.clear.id);
    await submitSealedTip({ redis, redisPrefix: prefix, intakeQueue: queues.intake }, record);
    return done;
  };

  /** An honest record: the content sealed as the gateway seals it. */
  const honest = async (overrides: Partial<TipSubmission> = {}): Promise<IntakeRecord> => {
    const { clear, content } = splitSubmission(buildTipSubmission(overrides));
    return { clear, envelope: await sealTip(content, clear, [org.publicKey]) };
  };

  it('stores a sealed tip exactly once, openable by the organisation key, with no plaintext anywhere', async () => {
    const marker = `MARKER-${engine}-${Date.now()}-ngõ-hẻm`;
    const submission = buildTipSubmission({ description: `Mua bán trước cổng trường. ${marker}` });
    const { clear, content } = splitSubmission(submission);
    const envelope = await sealTip(content, clear, [org.publicKey]);

    const triaged = new Promise<void>((resolve) =>
      triageEvents.on('completed', ({ jobId }) => jobId === clear.id && resolve()),
    );
    expect((await submit({ clear, envelope })).state).toBe('completed');
    await triaged;

    // A duplicated delivery (the bot retries after a timeout) writes nothing twice.
    await queues.intake.remove(clear.id);
    const again = await submit({ clear, envelope });
    expect(again.job.returnvalue).toEqual({ tipId: clear.id, stored: false });

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
    // Opened as the stored row names it: id, receipt code, channel and time from the database.
    const opened = TipContentSchema.parse(await openSealedTip(row.envelope!, row, org));
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

  it('Intake refuses each forged record kind (clear fields ≠ sealed, foreign receipt, back-dated) with a counted, audited refusal, and stores the honest ones.', async () => {
    const stranger = await generateKeyPair();
    const victim = await honest({ description: 'Tin thật, bị lấy phong bì.' });
    const forgeries: Array<{
      kind: string;
      record: IntakeRecord;
      reason: IntakeRefusalReason;
      fields?: string[];
    }> = [];
    const forge = async (
      kind: string,
      reason: IntakeRefusalReason,
      make: () => Promise<IntakeRecord>,
      fields?: string[],
    ) => forgeries.push({ kind, reason, record: await make(), ...(fields ? { fields } : {}) });

    // Clear fields ≠ sealed: an honest envelope, its clear routing fields rewritten to send it elsewhere.
    await forge(
      'clear fields ≠ sealed',
      'clear_mismatch',
      async () => {
        const record = await honest();
        return { ...record, clear: { ...record.clear, category: 'su_dung', communeCode: '19555' } };
      },
      ['category', 'communeCode'],
    );
    await forge(
      'clear venue and time-of-day ≠ sealed',
      'clear_mismatch',
      async () => {
        const record = await honest({ venueType: 'karaoke', observed: 'hom_nay' });
        return { ...record, clear: { ...record.clear, venueType: 'truong_hoc', observed: 'dang_dien_ra' } };
      },
      ['venueType', 'observed'],
    );
    await forge(
      'clear commune where the sealed one is unknown',
      'clear_mismatch',
      async () => {
        const record = await honest({ communeCode: undefined });
        return { ...record, clear: { ...record.clear, communeCode: '19564' } };
      },
      ['communeCode'],
    );
    // Foreign receipt: another tip's envelope under a new tip id and receipt code (a replay).
    await forge('foreign envelope under a new id and receipt', 'envelope_mismatch', async () => ({
      clear: { ...victim.clear, id: randomUUID(), receiptCode: createReceiptCode() },
      envelope: victim.envelope,
    }));
    await forge('same envelope, another receipt code', 'envelope_mismatch', async () => {
      const record = await honest();
      return { ...record, clear: { ...record.clear, receiptCode: createReceiptCode() } };
    });
    await forge('channel rewritten', 'envelope_mismatch', async () => {
      const record = await honest({ channel: 'telegram' });
      return { ...record, clear: { ...record.clear, channel: 'web' } };
    });
    await forge('sealed to a key that is not the organisation’s', 'envelope_mismatch', async () => {
      const { clear, content } = splitSubmission(buildTipSubmission());
      return { clear, envelope: await sealTip(content, clear, [stranger.publicKey]) };
    });
    await forge('version 1 envelope, bound to no tip', 'unbound_envelope', async () => {
      const { clear, content } = splitSubmission(buildTipSubmission());
      return {
        clear,
        envelope: await sealVersion1Envelope(
          new TextEncoder().encode(JSON.stringify(content)),
          org.publicKey,
        ),
      };
    });
    await forge('sealed, but not a tip', 'content_invalid', async () => {
      // Bound to the tip as the gateway binds it, so it opens; what it holds is no tip's content.
      const { clear } = splitSubmission(buildTipSubmission());
      const context = tipContext(clear);
      return {
        clear,
        envelope: await sealJson({ note: 'không phải tin báo' }, [org.publicKey], { context }),
      };
    });
    // Back-dated (and forward-dated): sealed consistently, the time outside the window.
    await forge('back-dated by two days', 'submitted_too_long_ago', () =>
      honest({ submittedAt: new Date(Date.now() - 48 * HOUR).toISOString() }),
    );
    await forge('back-dated by 25 hours', 'submitted_too_long_ago', () =>
      honest({ submittedAt: new Date(Date.now() - 25 * HOUR).toISOString() }),
    );
    await forge('dated an hour ahead', 'submitted_in_future', () =>
      honest({ submittedAt: new Date(Date.now() + HOUR).toISOString() }),
    );

    // Honest tips among them, one from a gateway whose clock runs 2 minutes ahead, one 23 hours old.
    const honestRecords = [
      await honest({ channel: 'zalo' }),
      await honest({ channel: 'web', communeCode: undefined }),
      await honest({ submittedAt: new Date(Date.now() + 2 * 60 * 1000).toISOString() }),
      await honest({ submittedAt: new Date(Date.now() - 23 * HOUR).toISOString() }),
    ];
    const refusedBefore = Object.fromEntries(
      await Promise.all(
        forgeries.map(async ({ reason }) => [reason, await counterValue(metrics.intakeRefused, { reason })]),
      ),
    ) as Record<string, number>;

    const outcomes = await Promise.all([...forgeries.map((f) => f.record), ...honestRecords].map(submit));
    const forged = outcomes.slice(0, forgeries.length);
    const stored = outcomes.slice(forgeries.length);

    // Every forgery: failed at its first attempt (no retries), with its reason, and nothing stored.
    for (const [index, outcome] of forged.entries()) {
      const { kind, reason, record } = forgeries[index]!;
      expect(outcome.state, kind).toBe('failed');
      expect(outcome.job.attemptsMade, kind).toBe(1);
      expect(await queues.intake.getJobState(record.clear.id), kind).toBe('failed');
      expect(outcome.job.failedReason, kind).toContain(reason);
      // Kept for inspection: the record stays in Redis (until its TTL), the job among the failed.
      expect(await redis.exists(intakeRecordKey(prefix, record.clear.id)), kind).toBe(1);
    }
    const forgedIds = forgeries.map((f) => f.record.clear.id);
    expect(await database.db.select({ id: tips.id }).from(tips).where(inArray(tips.id, forgedIds))).toEqual(
      [],
    );

    // Audited: one tip.intake_refused event per forgery, with the reason and the disagreeing field names.
    const refusals = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, INTAKE_REFUSED_ACTION), inArray(auditEvents.subjectId, forgedIds)));
    expect(refusals).toHaveLength(forgeries.length);
    for (const { kind, reason, fields, record } of forgeries) {
      const event = refusals.find((candidate) => candidate.subjectId === record.clear.id);
      expect(event, kind).toMatchObject({ actorType: 'system', subjectType: 'tip' });
      expect(event?.details, kind).toEqual({ reason, ...(fields ? { fields } : {}) });
    }
    // Counted: the metric of each reason went up by its forgeries, and is served in Prometheus text.
    const expected = new Map<string, number>();
    for (const { reason } of forgeries) expected.set(reason, (expected.get(reason) ?? 0) + 1);
    for (const [reason, count] of expected) {
      expect(await counterValue(metrics.intakeRefused, { reason }), reason).toBe(
        (refusedBefore[reason] ?? 0) + count,
      );
    }
    expect(await metrics.registry.metrics()).toMatch(
      /tinbao_intake_refused_total\{reason="clear_mismatch"\} \d+/,
    );

    // The honest ones: each stored exactly once, received and audited once, opening as itself.
    for (const [index, outcome] of stored.entries()) {
      const record = honestRecords[index]!;
      expect(outcome.state).toBe('completed');
      expect(outcome.job.returnvalue).toEqual({ tipId: record.clear.id, stored: true });
      const rows = await database.db.select().from(tips).where(eq(tips.id, record.clear.id));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ channel: record.clear.channel, communeCode: record.clear.communeCode });
      expect(TipContentSchema.parse(await openSealedTip(rows[0]!.envelope!, rows[0]!, org)).category).toBe(
        record.clear.category,
      );
      const events = await database.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.subjectId, record.clear.id));
      expect(events.map((event) => event.action)).toEqual(['tip.received']);
    }
    // The victim whose envelope was replayed is untouched: it was never submitted, so it is simply not there.
    expect(await database.db.select().from(tips).where(eq(tips.id, victim.clear.id))).toEqual([]);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
    // Refusals log ids and reasons only.
    expect(logs.text()).toContain('intake refused a record');
    expect(logs.text()).not.toContain('Tin thật');
  });

  it('leaves a stored tip as it was when a second record is written under its id', async () => {
    const original = await honest({ category: 'mua_ban' });
    expect((await submit(original)).state).toBe('completed');
    // Its triage may still run: compare what intake wrote.
    const written = async () => {
      const [row] = await database.db.select().from(tips).where(eq(tips.id, original.clear.id));
      const { triagedAt: _, priority: __, ...rest } = row!;
      return rest;
    };
    const before = await written();

    // Another record under the same id (a forger, or a gateway retry that sealed again): nothing changes.
    const other = await honest({ category: 'trong_cay' });
    await queues.intake.remove(original.clear.id);
    const again = await submit({ ...other, clear: { ...other.clear, id: original.clear.id } });
    expect(again.state).toBe('completed');
    expect(again.job.returnvalue).toEqual({ tipId: original.clear.id, stored: false });
    expect(await written()).toEqual(before);
    expect(await redis.exists(intakeRecordKey(prefix, original.clear.id))).toBe(0);
  });

  it('refuses a job whose payload is not an id for good, counted and audited, and keeps it for inspection', async () => {
    const before = await counterValue(metrics.intakeRefused, { reason: 'payload_invalid' });
    const job = await queues.intake.add('store-tip', { tipId: 'not-a-uuid' } as never, { attempts: 5 });
    const failed = new Promise<Error>((resolve) =>
      workers[0]!.on('failed', (failedJob, error) => failedJob?.id === job.id && resolve(error)),
    );
    expect((await failed).message).toMatch(/payload_invalid/);
    const state = await queues.intake.getJobState(job.id!);
    expect(state).toBe('failed');
    expect((await queues.intake.getJob(job.id!))?.attemptsMade).toBe(1);
    expect(await counterValue(metrics.intakeRefused, { reason: 'payload_invalid' })).toBe(before + 1);
    const events = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, INTAKE_REFUSED_ACTION), eq(auditEvents.subjectId, String(job.id))));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ subjectType: 'intake_job', details: { reason: 'payload_invalid' } });
  });

  it('refuses for good a record whose clear fields do not parse, and one that is gone, each counted and audited', async () => {
    const unreadable = randomUUID();
    await redis.hset(intakeRecordKey(prefix, unreadable), { clear: '{"id":', envelope: Buffer.from('TB') });
    const missing = randomUUID();
    const outcomes = await Promise.all(
      [unreadable, missing].map(async (tipId) => {
        const done = settled(tipId);
        await queues.intake.add('store-tip', { tipId }, { jobId: tipId, attempts: 15 });
        return done;
      }),
    );
    expect(outcomes.map((outcome) => outcome.state)).toEqual(['failed', 'failed']);
    expect(outcomes.map((outcome) => outcome.job.attemptsMade)).toEqual([1, 1]);
    const events = await database.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, INTAKE_REFUSED_ACTION),
          inArray(auditEvents.subjectId, [unreadable, missing]),
        ),
      );
    expect(Object.fromEntries(events.map((event) => [event.subjectId, event.details]))).toEqual({
      [unreadable]: { reason: 'record_unreadable' },
      [missing]: { reason: 'record_missing' },
    });
    expect(logs.text()).toContain('clear fields are not JSON');
  });
});
