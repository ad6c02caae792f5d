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
  sealJson,
  splitSubmission,
  submitSealedTip,
} from '@tinbao/shared';
import { createTestRedisPrefix, deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { buildTipSubmission } from '@tinbao/shared/testing/tips';
import type { Job } from 'bullmq';
import { seedAdminUnits } from '../src/admin-units/seed';
import { openDatabase } from '../src/platform/db';
import { createQueues } from '../src/platform/queues';
import { createRedis } from '../src/platform/redis';
import { createScratchPostgresDatabase, dropScratchPostgresDatabase } from '../src/platform/test-database';
import { startWorkers } from '../src/workers';

const TIPS = Number(process.env.TIPS ?? 10_000);
const CONCURRENCY = Number(process.env.INTAKE_CONCURRENCY ?? 16);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function prepareRecords(): Promise<IntakeRecord[]> {
  const org = await generateKeyPair();
  const communes = loadAdminUnits().communes;
  const records: IntakeRecord[] = [];
  for (let index = 0; index < TIPS; index++) {
    const commune = communes[index % communes.length]!;
    const { clear, content } = splitSubmission(
      buildTipSubmission({
        communeCode: commune.code,
        provinceCode: commune.provinceCode,
        description: `bench tip ${index}`,
      }),
    );
    records.push({ clear, envelope: await sealJson(content, [org.publicKey]) });
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
    { db: database.db, redis, queueConnection: redis, redisPrefix: prefix, queues, logger },
    { concurrency: CONCURRENCY, lockDurationMs: 30_000 },
  );

  const enqueuedAt = new Map<string, number>();
  const latencies: number[] = [];
  let lastDone = 0;
  const allDone = new Promise<void>((resolve) => {
    workers[0]!.on('completed', (job: Job) => {
      const started = enqueuedAt.get(String(job.id));
      if (started === undefined) return;
      lastDone = performance.now();
      latencies.push(lastDone - started);
      if (latencies.length % 1000 === 0)
        process.stdout.write(`  ${engine}: ${latencies.length}/${TIPS} stored\r`);
      if (latencies.length === TIPS) resolve();
    });
  });

  const firstEnqueue = performance.now();
  const deps = { redis, redisPrefix: prefix, intakeQueue: queues.intake };
  // The bot side submits from many residents at once: 64 submissions in flight.
  for (let start = 0; start < records.length; start += 64) {
    await Promise.all(
      records.slice(start, start + 64).map((record) => {
        enqueuedAt.set(record.clear.id, performance.now());
        return submitSealedTip(deps, record);
      }),
    );
  }
  await allDone;
  process.stdout.write('\n');
  const seconds = (lastDone - firstEnqueue) / 1000;
  latencies.sort((a, b) => a - b);

  await Promise.all(workers.map((worker) => worker.close()));
  await queues.close();
  await deleteRedisPrefix(redis, prefix);
  redis.disconnect();
  await database.close();
  if (scratchUrl) await dropScratchPostgresDatabase(scratchUrl);
  if (pgliteDir) await rm(pgliteDir, { recursive: true, force: true });
  return {
    engine,
    seconds,
    throughput: TIPS / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

console.log(`intake: sealing ${TIPS} tips…`);
const records = await prepareRecords();
const results = [];
for (const engine of ['pglite', 'postgres'] as const) {
  console.log(`intake: ${engine}, worker concurrency ${CONCURRENCY}`);
  results.push(await benchEngine(engine, records));
}
console.log('\nintake benchmark (enqueue → committed row, 10,000 tips unless TIPS is set)');
console.log('engine    tips/s   p50 ms   p99 ms   total s');
for (const r of results) {
  console.log(
    `${r.engine.padEnd(8)} ${r.throughput.toFixed(0).padStart(7)} ${r.p50.toFixed(0).padStart(8)} ${r.p99.toFixed(0).padStart(8)} ${r.seconds.toFixed(1).padStart(9)}`,
  );
}
process.exit(0);
