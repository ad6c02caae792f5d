import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEXT } from '@tinbao/bot/conversation/messages';
import { createBotRedis } from '@tinbao/bot/redis';
import { createEmulatorClient } from '@tinbao/emulators/telegram/client';
import { startTelegramEmulator, type TelegramEmulator } from '@tinbao/emulators/telegram/server';
import { generateKeyPair } from '@tinbao/shared';
import { createTestRedisPrefix, deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN, resident } from '../support/bot-world';
import { type RunningProcess, startTsProcess } from '../support/processes';

const CHAT_ID = 5_550_224_661;
const MARKER = 'MARKER-restart-4410';

let emulator: TelegramEmulator;
let dataDir: string;
let env: Record<string, string>;
const prefix = createTestRedisPrefix();
const running: RunningProcess[] = [];

beforeAll(async () => {
  emulator = await startTelegramEmulator({ port: 0 });
  dataDir = await mkdtemp(join(tmpdir(), 'tinbao-bot-restart-'));
  const org = await generateKeyPair();
  env = {
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_API_ROOT: emulator.url,
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: prefix,
    DATA_DIR: dataDir,
    TINBAO_ORG_PUBLIC_KEY: Buffer.from(org.publicKey).toString('base64'),
    LOG_LEVEL: 'debug',
  };
});

afterAll(async () => {
  for (const process of running) await process.kill('SIGKILL');
  const redis = createBotRedis('redis://127.0.0.1:6379');
  await new Promise((resolve) => redis.once('ready', resolve));
  await deleteRedisPrefix(redis, prefix);
  redis.disconnect();
  await emulator?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function startBotProcess(): Promise<RunningProcess> {
  const bot = startTsProcess('bot/src/main.ts', env);
  running.push(bot);
  await bot.waitForOutput(/bot started/, 60_000);
  return bot;
}

describe('the bot process restarted mid-conversation', () => {
  it('continues at the same step, with the answers given before', async () => {
    const client = createEmulatorClient(emulator.url);
    const you = resident(client, CHAT_ID);
    const first = await startBotProcess();
    // Secrets created on first start, readable by the owner only.
    for (const file of ['draft.key', 'pepper.key', 'relay.key']) {
      expect((await stat(join(dataDir, 'bot-keys', file))).mode & 0o777, file).toBe(0o600);
    }

    await you.say('/start');
    await you.press('Gửi tin báo');
    await you.press('Trồng cây có chất ma túy');
    await you.say('quang tri');
    const [matches] = await you.say('dakrong');
    await you.press('Xã Đakrông (Quảng Trị)', matches);
    const [whenQuestion] = await you.press('Khu vực biên giới');
    expect(whenQuestion?.text).toBe(TEXT.askWhen);

    expect(await first.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    // The resident answers while the bot is down: Telegram (the emulator) keeps the update.
    await client.pressButton(
      CHAT_ID,
      whenQuestion!.message_id,
      client.findButton(whenQuestion!, 'Hôm qua').callback_data,
    );

    const second = await startBotProcess();
    const [next] = await client.waitForMessages(CHAT_ID, {
      after: whenQuestion!.message_id,
      timeoutMs: 20_000,
    });
    expect(next?.text).toBe(TEXT.askDescription);
    await you.sync();
    expect((await you.say(`Trồng cần sa trong vườn sau nhà. ${MARKER}`))[0]?.text).toBe(TEXT.askPhotos(0));
    await you.press('Không có ảnh');
    const [summary] = await you.press('Không');
    expect(summary?.text).toContain('Trồng cây có chất ma túy');
    expect(summary?.text).toContain('Xã Đakrông, Tỉnh Quảng Trị');
    expect(summary?.text).toContain('Khu vực biên giới');
    expect(summary?.text).toContain('Hôm qua');

    const output = first.output() + second.output();
    expect(output).toContain('bot receiving updates by long polling');
    expect(output).not.toContain(MARKER);
    expect(output).not.toContain(String(CHAT_ID));
    expect(output).not.toContain(BOT_TOKEN.split(':')[1]);
  });
});
