import { createEmulatorClient } from '@tinbao/emulators/telegram/client';
import { startTelegramEmulator, type TelegramEmulator } from '@tinbao/emulators/telegram/server';
import {
  bullPrefix,
  createLogger,
  DEFAULT_JOB_OPTIONS,
  JOB_NAMES,
  QUEUE_NAMES,
  type UnitGroupMessageJob,
} from '@tinbao/shared';
import { createTestRedisPrefix, deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { type Job, Queue, type Worker } from 'bullmq';
import { Api } from 'grammy';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUnitGroupWorker } from './unit-group-worker';

const TOKEN = '7000000002:TEST-relay';
const GROUP = -1001234567;
const UNIT = '3b8f1c2e-8f4a-4c55-9d7e-2a1f0b9c6d11';

describe('unit group notifications', () => {
  let emulator: TelegramEmulator;
  let redis: Redis;
  let prefix: string;
  let queue: Queue<UnitGroupMessageJob>;
  let worker: Worker<UnitGroupMessageJob>;

  beforeAll(async () => {
    emulator = await startTelegramEmulator({ port: 0 });
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    prefix = createTestRedisPrefix();
    queue = new Queue(QUEUE_NAMES.relay, { connection: redis, prefix: bullPrefix(prefix) });
    worker = startUnitGroupWorker({
      api: new Api(TOKEN, { apiRoot: emulator.url }),
      connection: redis,
      redisPrefix: prefix,
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
  });

  afterAll(async () => {
    await worker.close();
    await queue.close();
    await deleteRedisPrefix(redis, prefix);
    redis.disconnect();
    await emulator.close();
  });

  const settled = (jobId: string) =>
    new Promise<{ state: 'completed' | 'failed'; job: Job; error?: Error }>((resolve) => {
      worker.on('completed', (job) => job.id === jobId && resolve({ state: 'completed', job }));
      worker.on(
        'failed',
        (job, error) => job?.id === jobId && resolve({ state: 'failed', job: job!, error }),
      );
    });

  it("sends the fixed text to the unit's group", async () => {
    const client = createEmulatorClient(emulator.url);
    // The group has talked to the bot once (the bot was added to it), so Telegram knows the chat.
    await client.sendText(GROUP, '/start', { chatType: 'group', from: { id: 42, first_name: 'Cán bộ' } });
    const text = 'Có tin báo mới được chuyển đến đơn vị. Vui lòng đăng nhập TinBao để xem.';
    const done = settled('notify-1');
    await queue.add(
      JOB_NAMES.sendUnitGroupMessage,
      { unitId: UNIT, chatId: String(GROUP), text },
      { ...DEFAULT_JOB_OPTIONS, jobId: 'notify-1' },
    );
    expect((await done).state).toBe('completed');
    const messages = await client.messages(GROUP);
    expect(messages.map((message) => message.text)).toEqual([text]);
  });

  it('gives up at once when Telegram refuses the chat, keeping the job for inspection', async () => {
    const done = settled('notify-2');
    await queue.add(
      JOB_NAMES.sendUnitGroupMessage,
      { unitId: UNIT, chatId: '-1009999999', text: 'Có tin báo mới.' },
      { ...DEFAULT_JOB_OPTIONS, jobId: 'notify-2' },
    );
    const result = await done;
    expect(result.state).toBe('failed');
    expect(result.error?.message).toMatch(/refused/);
    expect(result.job.attemptsMade).toBe(1);
    expect(await queue.getJobState('notify-2')).toBe('failed');
  });
});
