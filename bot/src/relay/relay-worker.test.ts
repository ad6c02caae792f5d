import { createEmulatorClient } from '@tinbao/emulators/telegram/client';
import { startTelegramEmulator, type TelegramEmulator } from '@tinbao/emulators/telegram/server';
import {
  bullPrefix,
  createLogger,
  DEFAULT_JOB_OPTIONS,
  JOB_NAMES,
  QUEUE_NAMES,
  type RelayJob,
} from '@tinbao/shared';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { createTestRedisPrefix, deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { type Job, Queue, type Worker } from 'bullmq';
import { Api } from 'grammy';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelayProcessor, type RelayResult, startRelayWorker } from './relay-worker';
import { telegramSender } from './telegram-sender';

const TOKEN = '7000000002:TEST-relay';
const GROUP = -1001234567;
const OTHER_GROUP = -1007654321;
const UNIT = '3b8f1c2e-8f4a-4c55-9d7e-2a1f0b9c6d11';
const TEXT = 'Có tin báo mới được chuyển đến đơn vị. Vui lòng đăng nhập TinBao để xem.';
/** Quick retries for the cases that must retry; the rest use the defaults. */
const QUICK_RETRIES = { ...DEFAULT_JOB_OPTIONS, attempts: 3, backoff: { type: 'fixed', delay: 20 } } as const;

const unitNotice = (address: string | number, text = TEXT): RelayJob => ({
  kind: 'unit-notification',
  unitId: UNIT,
  target: { channel: 'telegram', address: String(address) },
  text,
});

describe('relay worker', () => {
  let emulator: TelegramEmulator;
  let client: ReturnType<typeof createEmulatorClient>;
  let redis: Redis;
  let prefix: string;
  let queue: Queue<RelayJob>;
  let worker: Worker<RelayJob, RelayResult>;
  const logs = createLogCapture();
  let nextJob = 0;

  beforeAll(async () => {
    emulator = await startTelegramEmulator({ port: 0 });
    client = createEmulatorClient(emulator.url);
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    prefix = createTestRedisPrefix();
    queue = new Queue(QUEUE_NAMES.relay, { connection: redis, prefix: bullPrefix(prefix) });
    worker = startRelayWorker({
      connection: redis,
      redisPrefix: prefix,
      senders: { telegram: telegramSender(new Api(TOKEN, { apiRoot: emulator.url })) },
      logger: createLogger({ name: 'test', level: 'debug', destination: logs.stream }),
    });
    worker.on('completed', (job) => waiting.get(job.id!)?.({ state: 'completed', job }));
    worker.on('failed', (job, error) => {
      // A failure with attempts left is retried: wait for the last word.
      if (!job || (job.attemptsMade < (job.opts.attempts ?? 1) && error.name !== 'UnrecoverableError'))
        return;
      waiting.get(job.id!)?.({ state: 'failed', job, error });
    });
    // Each group has talked to the bot once (the bot was added to it), so Telegram knows the chat.
    for (const group of [GROUP, OTHER_GROUP])
      await client.sendText(group, '/start', { chatType: 'group', from: { id: 42, first_name: 'Cán bộ' } });
  });

  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    if (redis) {
      await deleteRedisPrefix(redis, prefix);
      redis.disconnect();
    }
    await emulator?.close();
  });

  type Settled = { state: 'completed' | 'failed'; job: Job; error?: Error };
  /** Jobs awaited by id, resolved from the worker's own events (no polling). */
  const waiting = new Map<string, (settled: Settled) => void>();

  /** Adds a job and resolves once the worker completed it or gave up on it. */
  async function run(data: unknown, options: { name?: string; retries?: boolean } = {}) {
    const jobId = `relay-${++nextJob}`;
    const done = new Promise<Settled>((resolve) => waiting.set(jobId, resolve));
    await queue.add((options.name ?? JOB_NAMES.relayMessage) as 'relay-message', data as RelayJob, {
      ...(options.retries ? QUICK_RETRIES : DEFAULT_JOB_OPTIONS),
      jobId,
    });
    return { jobId, ...(await done) };
  }

  const sentTo = async (group: number) => (await client.messages(group)).map((message) => message.text);

  it("sends a unit notification to the target's Telegram group, logging no chat id", async () => {
    const result = await run(unitNotice(GROUP));
    expect(result.state).toBe('completed');
    expect(result.job.returnvalue).toEqual({ kind: 'unit-notification', channel: 'telegram' });
    expect(await sentTo(GROUP)).toEqual([TEXT]);
    expect(logs.text()).toContain('unit notified');
    expect(logs.text()).not.toContain(String(GROUP));
  });

  it('gives up at once when Telegram does not know the chat (400), keeping the job for inspection', async () => {
    const result = await run(unitNotice('-1009999999'));
    expect(result.state).toBe('failed');
    expect(result.error?.name).toBe('UnrecoverableError');
    expect(result.error?.message).toMatch(/refused.*chat not found/);
    expect(result.job.attemptsMade).toBe(1);
    expect(await queue.getJobState(result.jobId)).toBe('failed');
  });

  it('gives up at once when the bot was removed from the group (403)', async () => {
    await client.injectFault({
      method: 'sendMessage',
      chatId: OTHER_GROUP,
      error_code: 403,
      description: 'Forbidden: bot was kicked from the group chat',
    });
    const result = await run(unitNotice(OTHER_GROUP));
    expect(result.state).toBe('failed');
    expect(result.error?.message).toMatch(/refused.*kicked/);
    expect(result.job.attemptsMade).toBe(1);
  });

  it('retries a dropped connection and a 502, then sends once', async () => {
    const before = (await sentTo(OTHER_GROUP)).length;
    await client.injectFault({ method: 'sendMessage', chatId: OTHER_GROUP, disconnect: true });
    await client.injectFault({ method: 'sendMessage', chatId: OTHER_GROUP, error_code: 502 });
    const result = await run(unitNotice(OTHER_GROUP, 'Có tin báo mới (thử lại).'), { retries: true });
    expect(result.state).toBe('completed');
    expect(result.job.attemptsStarted).toBe(3);
    expect((await sentTo(OTHER_GROUP)).slice(before)).toEqual(['Có tin báo mới (thử lại).']);
  });

  it.each([
    ['an unknown channel', { ...unitNotice(GROUP), target: { channel: 'fax', address: '-1001234567' } }],
    ['a target that is not a group', unitNotice('123456789')],
    ['no kind', { unitId: UNIT, target: { channel: 'telegram', address: String(GROUP) }, text: TEXT }],
    ['the old unit-group payload', { unitId: UNIT, chatId: String(GROUP), text: TEXT }],
    ['an extra field', { ...unitNotice(GROUP), receiptCode: 'TB-7K4P-9QRM' }],
  ])('refuses a bad payload (%s) without retrying', async (_case, data) => {
    const before = (await sentTo(GROUP)).length;
    const result = await run(data, { retries: true });
    expect(result.state).toBe('failed');
    expect(result.error?.name).toBe('UnrecoverableError');
    expect(result.error?.message).toBe('relay-message payload is malformed');
    expect(result.job.attemptsMade).toBe(1);
    expect(await sentTo(GROUP)).toHaveLength(before);
  });

  it('answers a resident message as not supported yet, without retrying', async () => {
    const result = await run(
      { kind: 'resident-message', replyHandle: 'r4nd0m-Reply-Handle_0123456789', text: 'Câu hỏi thêm.' },
      { retries: true },
    );
    expect(result.state).toBe('failed');
    expect(result.error?.name).toBe('UnrecoverableError');
    expect(result.error?.message).toMatch(/not supported yet/);
    expect(result.job.attemptsMade).toBe(1);
  });

  it('refuses a job name it does not know', async () => {
    const result = await run(unitNotice(GROUP), { name: 'send-unit-group-message', retries: true });
    expect(result.state).toBe('failed');
    expect(result.error?.message).toMatch(/does not handle send-unit-group-message/);
    expect(result.job.attemptsMade).toBe(1);
  });
});

describe('relay dispatch by channel', () => {
  it('hands the address and text to the sender of the target channel', async () => {
    const calls: [string, string][] = [];
    const process = createRelayProcessor({
      senders: {
        telegram: async (address, text) => {
          calls.push([address, text]);
        },
      },
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    const job = { name: JOB_NAMES.relayMessage, id: 'j1', data: unitNotice(GROUP) } as Job<RelayJob>;
    expect(await process(job)).toEqual({ kind: 'unit-notification', channel: 'telegram' });
    expect(calls).toEqual([[String(GROUP), TEXT]]);
  });
});
