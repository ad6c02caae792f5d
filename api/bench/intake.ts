/**
 * Intake throughput and latency: 10,000 sealed tips enqueued as fast as the bot could, the
 * intake worker storing them; tips/s and p50/p99 from enqueue to the committed row, for
 * PGlite and for the PostgreSQL server. `npm run bench` runs it; TIPS overrides the count.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  generateKeyPair,
  type IntakeRecord,
  loadAdminUnits,
  sealTip,
  splitSubmission,
  submitSealedTip,
} from '@tinbao/shared';
import { createTestRedisPrefix, deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { buildTipSubmission } from '@tinbao/shared/testing/tips';
import type { Job } from 'bullmq';
import { seedAdminUnits } from '../src/admin-units/seed';
import { openDatabase } from '../src/platform/db';
import { createMetrics } from '../src/platform/metrics';
import { createQueues } from '../src/platform/queues';
import { createRedis } from '../src/platform/redis';
import { createScratchPostgresDatabase, dropScratchPostgresDatabase } from '../src/platform/test-database';
import { startWorkers } from '../src/workers';

const TIPS = Number(process.env.TIPS ?? 10_000);
const CONCURRENCY = Number(process.env.INTAKE_CONCURRENCY ?? 16);
const STEADY_TIPS = Math.max(100, Math.floor(TIPS / 5));

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

// The worker opens every envelope to check it: the bench seals to a key pair it hands the worker.
const org = await generateKeyPair();

async function prepareRecords(): Promise<IntakeRecord[]> {
  const communes = loadAdminUnits().communes;
  const records: IntakeRecord[] = [];
  for (let index = 0; index < TIPS + STEADY_TIPS; index++) {
    const commune = communes[index % communes.length]!;
    const { clear, content } = splitSubmission(
      buildTipSubmission({
        communeCode: commune.code,
        provinceCode: commune.provinceCode,
        description: `bench tip ${index}`,
      }),
    );
    records.push({ clear, envelope: await sealTip(content, clear, [org.publicKey]) });
  }
  return records;
}

async function benchEngine(engine: 'pglite' | 'postgres', records: IntakeRecord[]) {
  const scratchUrl = engine === 'postgres' ? await createScratchPostgresDatabase() : undefined;
  const pgliteDir = engine === 'pglite' ? await mkdtemp(join(tmpdir(), 'tinbao-bench-')) : undefined;
  const database = await openDatabase(
    scratchUrl
      ? { engine: 'postgres', url: scratchUrl, poolSize: 20 }
      : { engine: 'pglite', dataDir: pgliteDir },
  );
  await seedAdminUnits(database.db, loadAdminUnits());
  const redis = createRedis('redis://127.0.0.1:6379', 'queue', 'bench');
  const prefix = createTestRedisPrefix('bench');
  const queues = createQueues(redis, prefix);
  const logger = createLogger({ name: 'bench', level: 'warn' });
  const workers = startWorkers(
    {
      db: database.db,
      redis,
      queueConnection: redis,
      redisPrefix: prefix,
      queues,
      orgKeys: org,
      metrics: createMetrics(),
      logger,
    },
    { concurrency: CONCURRENCY, lockDurationMs: 30_000 },
  );

  const enqueuedAt = new Map<string, number>();
  let onStored = (_latency: number) => {};
  workers[0]!.on('completed', (job: Job) => {
    const started = enqueuedAt.get(String(job.id));
    if (started !== undefined) onStored(performance.now() - started);
  });
  const deps = { redis, redisPrefix: prefix, intakeQueue: queues.intake };

  /** Submits the records (all at once, or one every `intervalMs`) and waits until each is stored. */
  const runPhase = async (phase: IntakeRecord[], label: string, intervalMs?: number) => {
    const latencies: number[] = [];
    const done = new Promise<void>((resolve) => {
      onStored = (latency) => {
        latencies.push(latency);
        if (latencies.length % 1000 === 0)
          process.stdout.write(`  ${engine} ${label}: ${latencies.length}/${phase.length} stored\r`);
        if (latencies.length === phase.length) resolve();
      };
    });
    const started = performance.now();
    if (intervalMs === undefined) {
      // A burst from many residents at once: 64 submissions in flight.
      for (let start = 0; start < phase.length; start += 64) {
        await Promise.all(
          phase.slice(start, start + 64).map((record) => {
            enqueuedAt.set(record.clear.id, performance.now());
            return submitSealedTip(deps, record);
          }),
        );
      }
    } else {
      for (const [index, record] of phase.entries()) {
        const due = started + index * intervalMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        enqueuedAt.set(record.clear.id, performance.now());
        void submitSealedTip(deps, record);
      }
    }
    await done;
    process.stdout.write('\n');
    latencies.sort((x, y) => x - y);
    const seconds = (performance.now() - started) / 1000;
    return {
      seconds,
      throughput: phase.length / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  };

  const burst = await runPhase(records.slice(0, TIPS), 'burst');
  // Then a steady stream at half the burst throughput: the latency a resident's tip sees day to day.
  const steadyRate = burst.throughput / 2;
  const steady = await runPhase(records.slice(TIPS), `steady ${steadyRate.toFixed(0)}/s`, 1000 / steadyRate);

  await Promise.all(workers.map((worker) => worker.close()));
  await queues.close();
  await deleteRedisPrefix(redis, prefix);
  redis.disconnect();
  await database.close();
  if (scratchUrl) await dropScratchPostgresDatabase(scratchUrl);
  if (pgliteDir) await rm(pgliteDir, { recursive: true, force: true });
  return { engine, burst, steady, steadyRate };
}

console.log(`intake: sealing ${TIPS} tips…`);
const records = await prepareRecords();
const results = [];
for (const engine of ['pglite', 'postgres'] as const) {
  console.log(`intake: ${engine}, worker concurrency ${CONCURRENCY}`);
  results.push(await benchEngine(engine, records));
}
console.log(
  `\nintake benchmark: a burst of ${TIPS} tips (enqueue → committed row), then ${STEADY_TIPS} at half that rate`,
);
console.log(
  'engine    burst tips/s  burst p50 ms  burst p99 ms | steady rate/s  steady p50 ms  steady p99 ms',
);
for (const r of results) {
  console.log(
    `${r.engine.padEnd(8)} ${r.burst.throughput.toFixed(0).padStart(13)} ${r.burst.p50.toFixed(0).padStart(13)} ${r.burst.p99.toFixed(0).padStart(13)} | ${r.steadyRate.toFixed(0).padStart(13)} ${r.steady.p50.toFixed(0).padStart(14)} ${r.steady.p99.toFixed(0).padStart(14)}`,
  );
}
process.exit(0);
