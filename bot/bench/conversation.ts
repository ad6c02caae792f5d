/**
 * Gateway benchmark: simulated residents, each in a private chat of their own, go through the
 * whole tip conversation on Telegram and on Zalo, concurrently, against the local emulators.
 * Three processes, as in production: the emulators (standing in for the platforms), the
 * gateway itself (`bot/src/main.ts`, unchanged) and this one (the residents' HTTP clients).
 * The gateway's CPU and memory are read from /proc, so its figures are its own.
 *
 * Prints, per channel: the round trip a resident sees per step (p50/p99) and the gateway's
 * CPU per update, for growing numbers of residents at once up to 1,000 — first at a person's
 * pace (2–8 s to read and answer each message, seeded), which is what "1,000 residents at
 * once" means for the step p99 target, then flat out (each answer sent the moment the reply
 * lands), which measures throughput; the cost of a photo; then the gateway's resident memory
 * over 5,000 conversations (it must stay flat).
 *
 *   npx tsx bot/bench/conversation.ts [maxResidents] [memoryConversations]
 *   BENCH_PROFILE_DIR=/tmp/prof npx tsx bot/bench/conversation.ts 100 0   (CPU profile of the gateway)
 *
 * BENCH_LEVELS=1000 one level; BENCH_PACES=person|flat-out|none; BENCH_CHANNELS=telegram|zalo;
 * BENCH_ZALO_MODE=webhook (Zalo POSTs each update, as in production) or polling (default).
 * CPU is printed for the whole process and for its main thread (the event loop, where the
 * conversations run); the difference is mostly argon2id on worker threads, the once-per-
 * conversation pseudonym root (`bot/bench/pseudonyms.ts` prints its cost).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulatorClient, type EmulatorMessage } from '@tinbao/emulators/telegram/client';
import { createZaloEmulatorClient } from '@tinbao/emulators/zalo/client';
import { generateKeyPair } from '@tinbao/shared';
import { freePort } from '@tinbao/shared/testing/listening';
import { Redis } from 'ioredis';
import sharp from 'sharp';

const MAX_RESIDENTS = Number(process.argv[2] ?? 1000);
const MEMORY_CONVERSATIONS = Number(process.argv[3] ?? 5000);
// BENCH_LEVELS=1000 runs one level only (the full run takes half an hour).
const LEVELS = (process.env.BENCH_LEVELS?.split(',').map(Number) ?? [10, 100, 250, 500, 1000]).filter(
  (level) => level <= MAX_RESIDENTS,
);
const SUSTAINED_P99_MS = 1000;
/**
 * A person reads a reply and taps or types a short answer in 2–8 s, writes the description in
 * 20–40 s, and the residents' first messages arrive over one minute: about two minutes a
 * conversation, so at the end of the first minute all of them are in the middle of one.
 */
const THINK_MS = { min: 2000, max: 8000 };
const DESCRIPTION_MS = { min: 20_000, max: 40_000 };
const ARRIVALS_MS = 60_000;
/** The description is the ninth message on both channels. */
const DESCRIPTION_STEP = 8;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bench-${randomUUID()}`;
const CLOCK_TICKS = 100;

function startChild(
  entry: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  nodeFlags: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', `${ROOT}${entry}`, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (ready.test(output)) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}): ${output.slice(-2000)}`)));
  });
}

const cpuSecondsOf = async (statPath: string) => {
  const stat = (await readFile(statPath, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(stat[11]) + Number(stat[12])) / CLOCK_TICKS;
};

/**
 * CPU seconds (user + system) of the whole process and of its main thread (the event loop,
 * where the conversations run; the rest is argon2id on worker threads, GC helpers and sharp),
 * and its resident memory, from /proc.
 */
async function usageOf(pid: number): Promise<{ cpuSeconds: number; mainCpuSeconds: number; rssMiB: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return {
    cpuSeconds: await cpuSecondsOf(`/proc/${pid}/stat`),
    mainCpuSeconds: await cpuSecondsOf(`/proc/${pid}/task/${pid}/stat`),
    rssMiB: rssKiB / 1024,
  };
}

/** Asks the gateway for a heap snapshot (SIGUSR2) and waits until the file is complete. */
async function heapSnapshot(pid: number, dir: string): Promise<void> {
  const { readdir, stat } = await import('node:fs/promises');
  const before = new Set(await readdir(dir));
  process.kill(pid, 'SIGUSR2');
  for (let lastSize = -1; ; ) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const file = (await readdir(dir)).find((name) => !before.has(name) && name.endsWith('.heapsnapshot'));
    if (!file) continue;
    const { size } = await stat(join(dir, file));
    if (size === lastSize && size > 0) return;
    lastSize = size;
  }
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const fixed = (value: number, digits = 0) => (Number.isNaN(value) ? '-' : value.toFixed(digits));

const telegramPort = await freePort();
const zaloPort = await freePort();
const dataDir = await mkdtemp(join(tmpdir(), 'tinbao-bench-'));
const emulators = await startChild(
  'emulators/src/main.ts',
  [],
  { TELEGRAM_EMULATOR_PORT: String(telegramPort), ZALO_EMULATOR_PORT: String(zaloPort), LOG_LEVEL: 'info' },
  /Zalo emulator on[\s\S]*Telegram emulator on|Telegram emulator on[\s\S]*Zalo emulator on/,
);
const telegramUrl = `http://127.0.0.1:${telegramPort}`;
const zaloUrl = `http://127.0.0.1:${zaloPort}`;
const org = await generateKeyPair();
// BENCH_ZALO_MODE=webhook: the emulator POSTs each update to the gateway, as Zalo does in
// production; polling (the default without a public URL) takes one update per getUpdates call.
const zaloMode = process.env.BENCH_ZALO_MODE === 'webhook' ? 'webhook' : 'polling';
const zaloWebhookPort = await freePort();
const zaloWebhook: Record<string, string> =
  zaloMode === 'webhook'
    ? {
        ZALO_WEBHOOK_URL: `http://127.0.0.1:${zaloWebhookPort}/zalo-webhook`,
        ZALO_WEBHOOK_SECRET: randomUUID(),
        ZALO_WEBHOOK_PORT: String(zaloWebhookPort),
      }
    : {};
const gateway = await startChild(
  'bot/src/main.ts',
  [],
  {
    TELEGRAM_BOT_TOKEN: '7000000002:BENCH-token',
    TELEGRAM_API_ROOT: telegramUrl,
    ZALO_BOT_TOKEN: '8000000002:BENCH-token',
    WEB_FORM_PORT: String(await freePort()),
    ZALO_API_ROOT: zaloUrl,
    ...zaloWebhook,
    // As npm start and the compose file run the gateway (docs/ARCHITECTURE.md, memory).
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    BOT_MEMORY_LOG_SECONDS: '1',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    DATA_DIR: dataDir,
    TINBAO_ORG_PUBLIC_KEY: Buffer.from(org.publicKey).toString('base64'),
    LOG_LEVEL: 'info',
  },
  /bot started/,
  // BENCH_PROFILE_DIR=/tmp/prof writes a CPU profile of the gateway (open it in Chrome's DevTools).
  [
    ...(process.env.BENCH_PROFILE_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
      : []),
    // BENCH_HEAP_DIR=/tmp/heap: a heap snapshot of the gateway after each 1,000 conversations of the memory run.
    ...(process.env.BENCH_HEAP_DIR
      ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${process.env.BENCH_HEAP_DIR}`]
      : []),
  ],
);
// Drained so the gateway never blocks on a full pipe (its info logs are part of its cost).
// Its memory log (BOT_MEMORY_LOG_SECONDS=1) is read: the lowest V8 heap seen since the last
// look is about the heap after a collection, which tells a leak from pages the allocator keeps.
let heapFloor = { heapUsedMiB: Number.POSITIVE_INFINITY, externalMiB: Number.POSITIVE_INFINITY };
let pendingLog = '';
gateway.stdout?.on('data', (chunk: Buffer) => {
  const lines = (pendingLog + chunk.toString()).split('\n');
  pendingLog = lines.pop() ?? '';
  for (const line of lines) {
    if (!line.includes('"msg":"memory"')) continue;
    const { heapUsedMiB, externalMiB } = JSON.parse(line) as { heapUsedMiB: number; externalMiB: number };
    heapFloor = {
      heapUsedMiB: Math.min(heapFloor.heapUsedMiB, heapUsedMiB),
      externalMiB: Math.min(heapFloor.externalMiB, externalMiB),
    };
  }
});
gateway.stderr?.resume();
const takeHeapFloor = () => {
  const floor = heapFloor;
  heapFloor = { heapUsedMiB: Number.POSITIVE_INFINITY, externalMiB: Number.POSITIVE_INFINITY };
  return floor;
};
const telegram = createEmulatorClient(telegramUrl);
const zalo = createZaloEmulatorClient(zaloUrl);
const photo = await sharp({ create: { width: 1280, height: 960, channels: 3, background: '#5a8' } })
  .jpeg({ quality: 90 })
  .withExif({ IFD0: { Make: 'BenchPhone' } })
  .toBuffer();

/** mulberry32: the same think times on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(20251201);
type Pace = 'person' | 'flat-out';
const between = (range: { min: number; max: number }) => range.min + random() * (range.max - range.min);
const pause = (pace: Pace, step: number) =>
  pace === 'flat-out'
    ? Promise.resolve()
    : new Promise((resolve) =>
        setTimeout(
          resolve,
          step === 0
            ? random() * ARRIVALS_MS
            : between(step === DESCRIPTION_STEP ? DESCRIPTION_MS : THINK_MS),
        ),
      );

interface Result {
  trips: number[];
  receipted: boolean;
  error?: string;
}

/** One Telegram resident's conversation (buttons); each round trip in ms. */
async function telegramConversation(chatId: number, withPhoto: boolean, pace: Pace): Promise<Result> {
  const trips: number[] = [];
  let lastSeen = 0;
  const act = async (action: () => Promise<unknown>): Promise<EmulatorMessage[]> => {
    await pause(pace, trips.length);
    const started = performance.now();
    await action();
    const messages = await telegram.waitForMessages(chatId, { after: lastSeen, count: 1, timeoutMs: 60_000 });
    trips.push(performance.now() - started);
    lastSeen = messages.at(-1)?.message_id ?? lastSeen;
    return messages;
  };
  const press = (message: EmulatorMessage | undefined, label: string) => {
    if (!message) throw new Error('no message to press on');
    const button = telegram.findButton(message, label);
    return act(() => telegram.pressButton(chatId, message.message_id, button.callback_data));
  };
  const [welcome] = await act(() => telegram.sendText(chatId, '/start'));
  const [category] = await press(welcome, 'Gửi tin báo');
  await press(category, 'Mua bán ma túy');
  await act(() => telegram.sendText(chatId, 'quang tri'));
  const [matches] = await act(() => telegram.sendText(chatId, 'dak rong'));
  const [venue] = await press(matches, 'Xã Đakrông (Quảng Trị)');
  const [when] = await press(venue, 'Quán karaoke');
  await press(when, 'Hôm nay');
  const [photos] = await act(() =>
    telegram.sendText(chatId, 'Có người bán ma túy ở quán karaoke đầu ngõ (bench).'),
  );
  let consent: EmulatorMessage | undefined;
  if (withPhoto) {
    const [received] = await act(() => telegram.sendPhoto(chatId, photo));
    [consent] = await press(received, 'Xong');
  } else {
    [consent] = await press(photos, 'Không có ảnh');
  }
  const [summary] = await press(consent, 'Đồng ý');
  const [sent] = await press(summary, 'Gửi');
  return { trips, receipted: /TB-[0-9A-Z]{5}-[0-9A-Z]{5}/.test(sent?.text ?? '') };
}

/** One Zalo resident's conversation (numbered menus, typed answers). */
async function zaloConversation(chatId: string, withPhoto: boolean, pace: Pace): Promise<Result> {
  const trips: number[] = [];
  let lastSeq = 0;
  const act = async (action: () => Promise<{ seq: number }>): Promise<string> => {
    await pause(pace, trips.length);
    const started = performance.now();
    const sent = await action();
    const messages = await zalo.waitForMessages(chatId, {
      after: Math.max(lastSeq, sent.seq),
      count: 1,
      timeoutMs: 60_000,
    });
    trips.push(performance.now() - started);
    lastSeq = messages.at(-1)?.seq ?? lastSeq;
    return messages.at(-1)?.text ?? '';
  };
  const say = (text: string) => act(() => zalo.sendText(chatId, text));
  for (const answer of ['Xin chào', '1', '1', 'quang tri', 'dak rong', '1', '2', '2']) await say(answer);
  await say('Có người bán ma túy ở quán karaoke đầu ngõ (bench).');
  if (withPhoto) await act(() => zalo.sendPhoto(chatId, photo));
  await say('1');
  await say('1');
  const sent = await say('1');
  return { trips, receipted: /TB-[0-9A-Z]{5}-[0-9A-Z]{5}/.test(sent) };
}

let nextChat = 900_000_000;
function conversationOf(channel: 'telegram' | 'zalo', withPhoto: boolean, pace: Pace): Promise<Result> {
  const id = nextChat++;
  const run =
    channel === 'telegram'
      ? telegramConversation(id, withPhoto, pace).finally(() => telegram.clearChat(id).catch(() => {}))
      : zaloConversation(`zb${id}`, withPhoto, pace).finally(() => zalo.clearChat(`zb${id}`).catch(() => {}));
  return run.catch((error: Error) => ({ trips: [], receipted: false, error: error.message.slice(0, 160) }));
}

async function wave(
  channel: 'telegram' | 'zalo',
  residents: number,
  withPhoto = false,
  pace: Pace = 'flat-out',
) {
  const before = await usageOf(gateway.pid!);
  const started = performance.now();
  let done = 0;
  const progress = setInterval(
    () =>
      console.log(
        `  … ${channel}, ${residents} residents (${pace}): ${done}/${residents} done after ${((performance.now() - started) / 1000).toFixed(0)} s`,
      ),
    10_000,
  );
  const results = await Promise.all(
    Array.from({ length: residents }, () =>
      conversationOf(channel, withPhoto, pace).finally(() => {
        done++;
      }),
    ),
  );
  clearInterval(progress);
  const after = await usageOf(gateway.pid!);
  const trips = results.flatMap((result) => result.trips);
  return {
    seconds: (performance.now() - started) / 1000,
    trips,
    receipted: results.filter((result) => result.receipted).length,
    firstError: results.find((result) => result.error)?.error,
    cpuMsPerUpdate: ((after.cpuSeconds - before.cpuSeconds) * 1000) / Math.max(1, trips.length),
    mainCpuMsPerUpdate: ((after.mainCpuSeconds - before.mainCpuSeconds) * 1000) / Math.max(1, trips.length),
    rssMiB: after.rssMiB,
  };
}

console.log(
  `gateway bench: ${availableParallelism()} CPUs; emulators, gateway (bot/src/main.ts) and residents in three processes; Redis ${redisUrl}`,
);
try {
  // The gateway's CPU with nobody writing (long polls, timers): at a person's pace it is a
  // large share of each update's cost, so it is printed apart.
  {
    const before = await usageOf(gateway.pid!);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const after = await usageOf(gateway.pid!);
    console.log(
      `idle gateway: ${fixed(((after.cpuSeconds - before.cpuSeconds) * 1000) / 10, 1)} ms of CPU per second (event loop ${fixed(((after.mainCpuSeconds - before.mainCpuSeconds) * 1000) / 10, 1)} ms)`,
    );
  }
  // Warm-up: the first conversations load code paths and the place data.
  await wave('telegram', 20);
  await wave('zalo', 20);
  // BENCH_CHANNELS=zalo runs one channel only.
  const channels = (process.env.BENCH_CHANNELS?.split(',') ?? ['telegram', 'zalo']) as (
    | 'telegram'
    | 'zalo'
  )[];
  for (const channel of channels) {
    // BENCH_PACES=person skips the flat-out throughput run; BENCH_PACES=none leaves only photos and memory.
    const paces = (
      process.env.BENCH_PACES === 'none'
        ? []
        : (process.env.BENCH_PACES?.split(',') ?? ['person', 'flat-out'])
    ) as Pace[];
    const label = channel === 'zalo' ? `zalo (${zaloMode})` : channel;
    for (const pace of paces) {
      console.log(
        pace === 'person'
          ? `\n${label}: residents at once at a person's pace (arriving over ${ARRIVALS_MS / 1000} s, ${THINK_MS.min / 1000}–${THINK_MS.max / 1000} s per answer, ${DESCRIPTION_MS.min / 1000}–${DESCRIPTION_MS.max / 1000} s for the description)`
          : `\n${label}: residents at once, flat out (each answer sent the moment the reply lands: throughput)`,
      );
      console.log(
        '  residents  receipted  seconds  updates/s  p50 ms  p99 ms  CPU ms/update  event loop ms/update',
      );
      let sustained = 0;
      for (const level of pace === 'person' ? LEVELS.filter((level) => level >= 100) : LEVELS) {
        const result = await wave(channel, level, false, pace);
        console.log(
          `  ${String(level).padStart(9)}  ${String(result.receipted).padStart(9)}  ${fixed(result.seconds, 1).padStart(7)}  ${fixed(result.trips.length / result.seconds).padStart(9)}  ${fixed(percentile(result.trips, 50)).padStart(6)}  ${fixed(percentile(result.trips, 99)).padStart(6)}  ${fixed(result.cpuMsPerUpdate, 2).padStart(13)}  ${fixed(result.mainCpuMsPerUpdate, 2).padStart(20)}`,
        );
        if (result.firstError) console.log(`    first failure: ${result.firstError}`);
        if (result.receipted === level && percentile(result.trips, 99) < SUSTAINED_P99_MS) sustained = level;
      }
      console.log(
        `  sustained: ${sustained} residents at once (all receipted, step p99 < ${SUSTAINED_P99_MS} ms)`,
      );
    }
    const withPhotos = await wave(channel, 20, true);
    const without = await wave(channel, 20, false);
    const photoCpu =
      (withPhotos.cpuMsPerUpdate * withPhotos.trips.length - without.cpuMsPerUpdate * without.trips.length) /
      20;
    console.log(
      `  a 1280×960 photo (download, re-encode without EXIF, encrypt): about ${fixed(photoCpu, 1)} ms of gateway CPU`,
    );
  }

  console.log(
    `\nmemory over ${MEMORY_CONVERSATIONS} conversations (half Telegram, half Zalo, 250 at a time):`,
  );
  const start = await usageOf(gateway.pid!);
  console.log(`  after warm-up: ${fixed(start.rssMiB, 1)} MiB`);
  takeHeapFloor();
  let finished = 0;
  const samples: number[] = [];
  while (finished < MEMORY_CONVERSATIONS) {
    const batch = Math.min(250, MEMORY_CONVERSATIONS - finished);
    await Promise.all([wave('telegram', Math.ceil(batch / 2)), wave('zalo', Math.floor(batch / 2))]);
    finished += batch;
    const { rssMiB } = await usageOf(gateway.pid!);
    samples.push(rssMiB);
    if (finished % 1000 === 0 || finished === MEMORY_CONVERSATIONS) {
      const floor = takeHeapFloor();
      console.log(
        `  after ${String(finished).padStart(5)} conversations: ${fixed(rssMiB, 1)} MiB resident; V8 heap ${fixed(floor.heapUsedMiB, 1)} MiB, outside it ${fixed(floor.externalMiB, 1)} MiB (lowest of the last 1,000)`,
      );
      if (process.env.BENCH_HEAP_DIR) await heapSnapshot(gateway.pid!, process.env.BENCH_HEAP_DIR);
    }
  }
  const firstHalf = samples.slice(0, Math.ceil(samples.length / 2));
  const secondHalf = samples.slice(Math.ceil(samples.length / 2));
  const average = (values: number[]) =>
    values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  console.log(
    `  average RSS, first half ${fixed(average(firstHalf), 1)} MiB, second half ${fixed(average(secondHalf), 1)} MiB (growth ${fixed(average(secondHalf) - average(firstHalf), 1)} MiB)`,
  );
} finally {
  gateway.kill('SIGTERM');
  await once(gateway, 'exit');
  emulators.kill('SIGTERM');
  await once(emulators, 'exit');
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
  await rm(dataDir, { recursive: true, force: true });
}
