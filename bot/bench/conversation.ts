/**
 * Bot benchmark: N simulated residents, each in their own private chat, go through the whole
 * tip conversation (with one photo) against the local Telegram emulator, concurrently.
 * Prints the bot's handler latency per step (p50/p99, measured inside the bot) and the
 * round trip a resident sees, for growing N, and the largest N the bot sustains (every tip
 * receipted, p99 round trip under 1 s). The emulator runs in a process of its own (as
 * Telegram would be elsewhere); the bot and the residents' HTTP clients share this one.
 * Uses the machine's Redis under a prefix of its own.
 *
 *   npx tsx bot/bench/conversation.ts [maxResidents]
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  createEmulatorClient,
  type EmulatorClient,
  type EmulatorMessage,
} from '@tinbao/emulators/telegram/client';
import {
  bullPrefix,
  createLogger,
  generateKeyPair,
  loadAdminUnits,
  QUEUE_NAMES,
  type StoreTipJob,
} from '@tinbao/shared';
import { Queue } from 'bullmq';
import sharp from 'sharp';
import { createBot } from '../src/bot';
import { createBotRedis, waitForRedis } from '../src/redis';
import { startBotRuntime } from '../src/runtime';

const LEVELS = [10, 25, 50, 100, 200, 400].filter((level) => level <= Number(process.argv[2] ?? 400));
const SUSTAINED_P99_MS = 1000;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bench-${randomUUID()}`;

/** The emulator's own composition root, on a free port, in a child process. */
async function startEmulatorProcess(): Promise<{ url: string; close(): Promise<void> }> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = (probe.address() as { port: number }).port;
  probe.close();
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const child = spawn(`${root}node_modules/.bin/tsx`, [`${root}emulators/src/main.ts`, 'telegram'], {
    env: { ...process.env, TELEGRAM_EMULATOR_PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Telegram emulator on')) resolve();
    });
    child.once('exit', () => reject(new Error(`emulator exited: ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (value: number) => (Number.isNaN(value) ? '   -  ' : `${value.toFixed(1).padStart(6)}`);

const handlerTimes = new Map<string, number[]>();
const redis = createBotRedis(redisUrl);
if (!(await waitForRedis(redis, 5000))) {
  console.error(`bench: Redis at ${redisUrl} is not reachable`);
  process.exit(1);
}
const intakeQueue = new Queue<StoreTipJob>(QUEUE_NAMES.intake, {
  connection: redis,
  prefix: bullPrefix(prefix),
});
intakeQueue.on('error', () => {});
const emulator = await startEmulatorProcess();
const client = createEmulatorClient(emulator.url);
const org = await generateKeyPair();
const logger = createLogger({ name: 'bot-bench', level: 'warn' });
const bot = createBot({
  token: '7000000002:BENCH-token',
  apiRoot: emulator.url,
  redis,
  redisPrefix: prefix,
  intakeQueue,
  orgPublicKey: org.publicKey,
  relayPublicKey: (await generateKeyPair()).publicKey,
  draftKey: new Uint8Array(randomBytes(32)),
  pepper: new Uint8Array(randomBytes(32)),
  units: loadAdminUnits(),
  logger,
  onHandled: (step, duration) => {
    const list = handlerTimes.get(step) ?? [];
    list.push(duration);
    handlerTimes.set(step, list);
  },
});
const runtime = await startBotRuntime(bot, { logger, pollTimeoutSeconds: 5 });
const photo = await sharp({ create: { width: 1280, height: 960, channels: 3, background: '#5a8' } })
  .jpeg({ quality: 90 })
  .withExif({ IFD0: { Make: 'BenchPhone' } })
  .toBuffer();

/** One resident's whole conversation; returns the round trip of each action in ms. */
async function converse(
  api: EmulatorClient,
  chatId: number,
): Promise<{ trips: number[]; receipted: boolean }> {
  const trips: number[] = [];
  let lastSeen = 0;
  const act = async (action: () => Promise<unknown>, count = 1): Promise<EmulatorMessage[]> => {
    const started = performance.now();
    await action();
    const messages = await api.waitForMessages(chatId, { after: lastSeen, count, timeoutMs: 30_000 });
    trips.push(performance.now() - started);
    lastSeen = messages.at(-1)?.message_id ?? lastSeen;
    return messages;
  };
  const press = (message: EmulatorMessage | undefined, label: string | RegExp) => {
    if (!message) throw new Error('no message to press on');
    const button = api.findButton(message, label);
    return act(() => api.pressButton(chatId, message.message_id, button.callback_data));
  };
  const [welcome] = await act(() => api.sendText(chatId, '/start'));
  const [category] = await press(welcome, 'Gửi tin báo');
  await press(category, 'Mua bán ma túy');
  await act(() => api.sendText(chatId, 'quang tri'));
  const [matches] = await act(() => api.sendText(chatId, 'dak rong'));
  const [venue] = await press(matches, 'Xã Đakrông (Quảng Trị)');
  const [when] = await press(venue, 'Quán karaoke');
  await press(when, 'Hôm nay');
  await act(() => api.sendText(chatId, 'Có người bán ma túy ở quán karaoke đầu ngõ (bench).'));
  const [received] = await act(() => api.sendPhoto(chatId, photo));
  const [consent] = await press(received, 'Xong');
  const [summary] = await press(consent, 'Đồng ý');
  const [sent] = await press(summary, 'Gửi');
  return { trips, receipted: /TB-[0-9A-Z]{5}-[0-9A-Z]{5}/.test(sent?.text ?? '') };
}

console.log(
  `bot bench: ${availableParallelism()} CPUs, emulator in its own process, bot and residents in this one, Redis ${redisUrl}, levels ${LEVELS.join(', ')}`,
);
let sustained = 0;
let nextChat = 900_000_000;
try {
  for (const level of LEVELS) {
    handlerTimes.clear();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let done = 0;
    const progress = setInterval(
      () =>
        console.log(
          `  … ${level} residents: ${done}/${level} done after ${((performance.now() - started) / 1000).toFixed(0)} s`,
        ),
      5000,
    );
    const results = await Promise.all(
      Array.from({ length: level }, async () => {
        const chatId = nextChat++;
        try {
          return await converse(client, chatId);
        } catch (error) {
          return { trips: [], receipted: false, error: (error as Error).message.slice(0, 160) };
        } finally {
          done++;
          void client.clearChat(chatId).catch(() => {});
        }
      }),
    );
    clearInterval(progress);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const trips = results.flatMap((result) => result.trips);
    const receipted = results.filter((result) => result.receipted).length;
    const firstError = results.find((result) => 'error' in result);
    const p99 = percentile(trips, 99);
    console.log(
      `\n${level} concurrent residents: ${receipted}/${level} receipted in ${seconds.toFixed(1)} s ` +
        `(${(receipted / seconds).toFixed(1)} tips/s, ${(trips.length / seconds).toFixed(0)} updates/s); ` +
        `round trip p50 ${percentile(trips, 50).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`,
    );
    console.log(
      `  CPU of this process (bot + residents' HTTP clients): ${((cpu.user + cpu.system) / 1000 / Math.max(1, trips.length)).toFixed(2)} ms per update; load average ${loadavg()[0]?.toFixed(1)}`,
    );
    if (firstError && 'error' in firstError) console.log(`  first failure: ${firstError.error}`);
    console.log('  handler latency by step (ms):   count    p50    p99');
    for (const [step, times] of [...handlerTimes.entries()].sort()) {
      console.log(
        `    ${step.padEnd(28)} ${String(times.length).padStart(6)} ${ms(percentile(times, 50))} ${ms(percentile(times, 99))}`,
      );
    }
    if (receipted === level && p99 < SUSTAINED_P99_MS) sustained = level;
    else break;
  }
  console.log(
    `\nsustained: ${sustained} concurrent residents (all tips receipted, p99 round trip < ${SUSTAINED_P99_MS} ms)`,
  );
} finally {
  await runtime.stop();
  await intakeQueue.obliterate({ force: true }).catch(() => {});
  await intakeQueue.close();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
  await emulator.close();
}
