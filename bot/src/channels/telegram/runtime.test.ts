import { createEmulatorClient } from '@tinbao/emulators/telegram/client';
import { startTelegramEmulator, type TelegramEmulator } from '@tinbao/emulators/telegram/server';
import { freePort, listeningAddresses } from '@tinbao/shared/testing/listening';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEXT } from '../../conversation/messages';
import { startChannels } from '../../gateway';
import { createTestBotWorld, type TestBotWorld } from '../../testing/test-bot';
import { MAX_WEBHOOK_BODY_BYTES } from '../webhook-server';
import { createTelegramAdapter, type TelegramAdapterDeps } from './adapter';

let emulator: TelegramEmulator;
let world: TestBotWorld;

beforeAll(async () => {
  emulator = await startTelegramEmulator({ port: 0 });
  world = await createTestBotWorld();
});
afterAll(async () => {
  await world?.close();
  await emulator?.close();
});

/** A Telegram adapter against the emulator, started with the test world's gateway. */
async function startTelegram(options: Pick<TelegramAdapterDeps, 'webhook' | 'pollTimeoutSeconds'>) {
  const { gateway } = world.telegram();
  const adapter = createTelegramAdapter({
    token: '4242:TEST-token',
    apiRoot: emulator.url,
    redis: world.redis,
    redisPrefix: world.prefix,
    pseudonyms: gateway.pseudonyms,
    logger: world.deps.logger,
    ...options,
  });
  await startChannels([adapter], gateway.conversation);
  return adapter;
}

describe('bot runtime', () => {
  it('takes updates by webhook, checked by the secret token', async () => {
    const port = await freePort();
    const secret = 'webhook-secret-0123456789';
    const runtime = await startTelegram({
      webhook: { url: `http://127.0.0.1:${port}/telegram`, secret, port },
    });
    try {
      expect(runtime.mode()).toBe('webhook');
      const client = createEmulatorClient(emulator.url);
      await client.sendText(610_000_001, '/trogiup');
      const [answer] = await client.waitForMessages(610_000_001, { count: 1, timeoutMs: 10_000 });
      expect(answer?.text).toBe(TEXT.help);

      const forged = await fetch(`http://127.0.0.1:${port}/telegram`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'X-Telegram-Bot-Api-Secret-Token': 'wrong-secret-000000',
        },
        body: JSON.stringify({
          update_id: 1,
          message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text: '/start' },
        }),
      });
      expect(forged.status).toBe(401);

      // Only loopback by default; a broken body is answered, not fatal.
      expect(await listeningAddresses(port)).toEqual(['127.0.0.1']);
      const post = (body: string) =>
        fetch(`http://127.0.0.1:${port}/telegram`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': secret },
          body,
        });
      expect((await post('{"update_id": 7, "message":')).status).toBe(400);
      expect((await post(' '.repeat(MAX_WEBHOOK_BODY_BYTES + 1))).status).toBe(413);
      // JSON but no update: taken (Telegram would resend a refused one) and dropped.
      expect((await post('[1, 2, 3]')).status).toBe(200);
      await client.sendText(610_000_001, '/trogiup');
      const [again] = await client
        .waitForMessages(610_000_001, { count: 2, timeoutMs: 10_000 })
        .then((m) => m.slice(1));
      expect(again?.text).toBe(TEXT.help);
    } finally {
      await runtime.stop();
    }
  });

  it('takes updates by long polling by default', async () => {
    const runtime = await startTelegram({ pollTimeoutSeconds: 2 });
    try {
      expect(runtime.mode()).toBe('polling');
      const client = createEmulatorClient(emulator.url);
      await client.sendText(610_000_002, '/trogiup');
      const [answer] = await client.waitForMessages(610_000_002, { count: 1, timeoutMs: 10_000 });
      expect(answer?.text).toBe(TEXT.help);
    } finally {
      await runtime.stop();
    }
  });
});
