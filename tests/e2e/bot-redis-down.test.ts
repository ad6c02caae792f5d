import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tips } from '@tinbao/api/platform/schema';
import { TEXT } from '@tinbao/bot/conversation/messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotWorld, receiptOf, resident, startBotWorld, waitForTip } from '../support/bot-world';
import { freePort } from '../support/processes';

const CHAT_ID = 5_550_337_102;
const BOT_USER = 'tinbao-bot';
const BOT_PASSWORD = 'bot-password-for-tests';

/**
 * A redis-server of this test's own, persisting to an append-only file in a temp folder
 * (as production does), so it can be stopped and started again with its data.
 */
async function startOwnRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--dir',
      dir,
      // The bot connects as a user of its own, so a test can take one permission away from it.
      '--user',
      BOT_USER,
      'on',
      `>${BOT_PASSWORD}`,
      '~*',
      '&*',
      '+@all',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', () => reject(new Error(`redis-server exited: ${output}`)));
  });
  return child;
}

let world: BotWorld;
let redisServer: ChildProcess;
let port: number;
let dir: string;

beforeAll(async () => {
  port = await freePort();
  dir = await mkdtemp(join(tmpdir(), 'tinbao-redis-down-'));
  redisServer = await startOwnRedis(port, dir);
  world = await startBotWorld({
    redisUrl: `redis://127.0.0.1:${port}`,
    botRedisUrl: `redis://${BOT_USER}:${BOT_PASSWORD}@127.0.0.1:${port}`,
  });
});

afterAll(async () => {
  await world?.close();
  redisServer?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('Redis down when the resident presses Gửi', () => {
  it('asks to try again, keeps the draft, writes nothing; after Redis is back one press makes exactly one tip', async () => {
    const you = resident(world.client, CHAT_ID);
    await you.say('/start');
    await you.press('Gửi tin báo');
    await you.press('Sử dụng trái phép');
    await you.say('quang tri');
    const [matches] = await you.say('dak rong');
    await you.press('Xã Đakrông (Quảng Trị)', matches);
    await you.press('Nơi công cộng');
    await you.press('Đang diễn ra');
    await you.say('Một nhóm thanh niên sử dụng ma túy ở bãi đất trống.');
    await you.press('Không có ảnh');
    const [summary] = await you.press('Đồng ý');
    expect(summary?.text).toContain(TEXT.summaryTitle);

    // Redis goes down (its data safe on disk, as with AOF in production).
    const exited = once(redisServer, 'exit');
    redisServer.kill('SIGTERM');
    await exited;

    const started = Date.now();
    const [busy] = await you.press('Gửi', summary);
    expect(busy?.text).toBe(TEXT.tryAgainLater);
    expect(Date.now() - started, 'the resident is answered at once, not after a hang').toBeLessThan(10_000);

    redisServer = await startOwnRedis(port, dir);
    await Promise.all(
      [world.botRedis, world.apiRedis].map(
        (redis) =>
          new Promise<void>((resolve) =>
            redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve()),
          ),
      ),
    );
    // Nothing half-written: the draft is there, no intake record, no job, no tip.
    expect(await world.apiRedis.keys(`${world.prefix}:bot:draft:*`)).toHaveLength(1);
    expect(await world.apiRedis.keys(`${world.prefix}:intake-record:*`)).toEqual([]);
    expect(
      await world.queues.intake.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed'),
    ).toBe(0);
    expect(await world.database.db.select({ id: tips.id }).from(tips)).toEqual([]);

    const [sent] = await you.press('Gửi', summary);
    const receiptCode = receiptOf(sent?.text);
    expect(receiptCode, sent?.text).toBeDefined();
    expect(await waitForTip(world, receiptCode!)).toHaveLength(1);

    // Pressing Gửi once more on the old summary: the draft is gone, no second tip.
    expect((await you.press('Gửi', summary))[0]?.text).toContain(TEXT.draftGone);
    const rows = await world.database.db.select({ id: tips.id }).from(tips);
    expect(rows).toHaveLength(1);
  });

  it('fails between the sealed record and the job: the retry reuses the same tip id and makes one tip', async () => {
    const you = resident(world.client, CHAT_ID + 1);
    await you.say('/start');
    await you.press('Gửi tin báo');
    await you.press('Điểm, tụ điểm phức tạp');
    await you.say('quang tri');
    const [matches] = await you.say('dakrong');
    await you.press('Xã Đakrông (Quảng Trị)', matches);
    await you.press('Nhà nghỉ, khách sạn');
    await you.press('Trong tuần này');
    await you.say('Nhà nghỉ cuối phố có nhiều người đến sử dụng ma túy.');
    await you.press('Không có ảnh');
    const [summary] = await you.press('Không');
    const tipsBefore = (await world.database.db.select({ id: tips.id }).from(tips)).length;

    // The bot may still write its keys, but not run scripts: BullMQ's add fails after the record is written.
    await world.apiRedis.call('ACL', 'SETUSER', BOT_USER, '-evalsha', '-eval');
    const [busy] = await you.press('Gửi', summary);
    expect(busy?.text).toBe(TEXT.tryAgainLater);
    const records = await world.apiRedis.keys(`${world.prefix}:intake-record:*`);
    expect(records).toHaveLength(1);
    const tipId = records[0]!.split(':').at(-1);
    expect(await world.queues.intake.getJob(tipId!)).toBeUndefined();

    await world.apiRedis.call('ACL', 'SETUSER', BOT_USER, '+@all');
    const [sent] = await you.press('Gửi', summary);
    const receiptCode = receiptOf(sent?.text);
    expect(receiptCode, sent?.text).toBeDefined();
    const [row] = await waitForTip(world, receiptCode!);
    expect(row?.id).toBe(tipId);
    expect(await world.database.db.select({ id: tips.id }).from(tips)).toHaveLength(tipsBefore + 1);
  });
});
