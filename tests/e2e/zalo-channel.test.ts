import { randomBytes } from 'node:crypto';
import { createZaloAdapter, ZALO_CAPABILITIES } from '@tinbao/bot/channels/zalo/adapter';
import { hintOf, TEXT } from '@tinbao/bot/conversation/messages';
import { createGateway, startChannels } from '@tinbao/bot/gateway';
import { jpegWithGps } from '@tinbao/bot/testing/photos';
import { createZaloEmulatorClient } from '@tinbao/emulators/zalo/client';
import { startZaloEmulator } from '@tinbao/emulators/zalo/server';
import { freePort } from '@tinbao/shared/testing/listening';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotWorld, startBotWorld } from '../support/bot-world';
import { zaloResident } from '../support/residents';

let world: BotWorld;
beforeAll(async () => {
  world = await startBotWorld();
});
afterAll(async () => {
  await world?.close();
});

const newChat = () => `zc${randomBytes(8).toString('hex')}`;

describe('Zalo specifics', () => {
  it('shows menus as numbered text and takes a number or the option’s words', async () => {
    const you = zaloResident(world, newChat());
    const [welcome] = await you.say('Xin chào');
    expect(welcome).toContain('1. Gửi tin báo');
    expect(welcome).toContain('Trả lời bằng số');
    const [categories] = await you.say('1');
    expect(categories).toContain(TEXT.askCategory);
    expect(categories).toMatch(/^1\. Mua bán ma túy$/m);
    expect(categories).toMatch(/^0\. « Quay lại$/m);
    expect((await you.say('mua ban'))[0]).toContain('Bước 2/8');
    expect((await you.say('0'))[0]).toContain(TEXT.askCategory);
    expect((await you.say('Sử dụng trái phép'))[0]).toContain('Bước 2/8');
    // A number outside the menu, or words of no option: the step's hint with the menu again.
    await you.say('quang tri');
    await you.say('dak rong');
    await you.say('1');
    const [hint] = await you.say('99');
    expect(hint).toContain(hintOf('venue', ZALO_CAPABILITIES));
    expect(hint).toMatch(/^1\. Nhà riêng$/m);
  });

  it('splits a reply longer than 2,000 characters below the limit and loses nothing', async () => {
    const you = zaloResident(world, newChat());
    await you.say('/start');
    await you.say('1');
    await you.say('1');
    await you.say('quang tri');
    await you.say('dak rong');
    await you.say('1');
    await you.say('1');
    await you.say('1');
    const description = `${'Mô tả dài '.repeat(240)}KẾT-THÚC`;
    expect(description.length).toBeGreaterThan(2400);
    await you.say(description);
    await you.choose('Không có ảnh');
    const summary = await you.choose('Đồng ý');
    expect(summary.length).toBeGreaterThanOrEqual(2);
    for (const part of summary) expect(part.length).toBeLessThanOrEqual(2000);
    const joined = summary.join(' ');
    expect(joined).toContain('KẾT-THÚC');
    expect(joined).toContain(TEXT.summaryTitle);
    expect(summary.at(-1)).toMatch(/^1\. Gửi$/m);
  });

  it('answers an expired image link, a sticker and a protected message clearly', async () => {
    const you = zaloResident(world, newChat());
    await you.say('/start');
    for (const answer of ['1', '1', 'quang tri', 'dak rong', '1', '1', '1', 'Có người bán ma túy'])
      await you.say(answer);
    const photo = await jpegWithGps(320, 240);
    expect((await you.photo(photo, { expired: true }))[0]).toContain(TEXT.photoExpired);
    expect((await you.photo(photo))[0]).toContain(TEXT.photoReceived(1));
    expect((await you.sticker())[0]).toContain(hintOf('photos', ZALO_CAPABILITIES, 1));
    const before = world.handledCount(you.chatId);
    await world.zalo.sendUnsupported(you.chatId);
    await world.handled(you.chatId, before + 1);
    const last = await world.zalo.lastMessage(you.chatId);
    expect(last?.text).toContain(TEXT.unsupportedProtected);
  });

  it('answers one delivery of an event once, however often Zalo delivers it', async () => {
    const chatId = newChat();
    const sent = await world.zalo.sendText(chatId, '/trogiup');
    await world.handled(chatId, 1);
    await world.zalo.redeliver(chatId, sent.message_id);
    await world.zalo.redeliver(chatId, sent.message_id);
    // A later message is answered; the redeliveries in between were not handled at all.
    await world.zalo.sendText(chatId, '/trogiup');
    await world.handled(chatId, 2);
    const last = await world.zalo.sendText(chatId, '/start');
    await world.handled(chatId, 3);
    expect(world.handledCount(chatId)).toBe(3);
    const texts = (await world.zalo.messages(chatId)).map((message) => message.text ?? '');
    expect(texts.filter((text) => text === TEXT.help)).toHaveLength(2);
    expect(last.message_id).not.toBe(sent.message_id);
  });

  it('refuses a webhook call without or with a wrong secret (401) and takes the right one', async () => {
    const emulator = await startZaloEmulator({ port: 0 });
    const client = createZaloEmulatorClient(emulator.url);
    const port = await freePort();
    const secret = `zalo-secret-${randomBytes(8).toString('hex')}`;
    const gateway = createGateway(world.botDeps);
    const adapter = createZaloAdapter({
      token: '8000000002:TEST-webhook',
      apiRoot: emulator.url,
      webhook: { url: `http://127.0.0.1:${port}/zalo`, secret, port },
      redis: world.botRedis,
      redisPrefix: world.prefix,
      pseudonyms: gateway.pseudonyms,
      logger: world.botDeps.logger,
    });
    await startChannels([adapter], gateway.conversation);
    const seenBefore = (await world.botRedis.keys(`${world.prefix}:bot:zalo-seen:*`)).length;
    try {
      expect(adapter.mode()).toBe('webhook');
      const event = {
        event_name: 'message.text.received',
        message: {
          message_id: 'forged-1',
          from: { id: 'forged-user', is_bot: false },
          chat: { id: 'forged-chat', chat_type: 'PRIVATE' },
          date: Date.now(),
          text: '/start',
        },
      };
      for (const headers of [{}, { 'X-Bot-Api-Secret-Token': 'wrong-secret-0000' }] as Record<
        string,
        string
      >[]) {
        const response = await fetch(`http://127.0.0.1:${port}/zalo`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(event),
        });
        expect(response.status).toBe(401);
      }
      // Refused before anything was read: the event was not even remembered as seen.
      expect(await world.botRedis.keys(`${world.prefix}:bot:zalo-seen:*`)).toHaveLength(seenBefore);
      const malformed = await fetch(`http://127.0.0.1:${port}/zalo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Bot-Api-Secret-Token': secret },
        body: '{not json',
      });
      expect(malformed.status).toBe(400);
      // The real platform (the emulator) delivers with the secret: answered.
      const chatId = newChat();
      const delivered = await client.sendText(chatId, '/trogiup');
      const [answer] = await client.waitForMessages(chatId, {
        after: delivered.seq,
        count: 1,
        timeoutMs: 15_000,
      });
      expect(answer?.text).toBe(TEXT.help);
      // Nothing was ever sent to the forged chat.
      expect(await client.messages('forged-chat').catch(() => [])).toEqual([]);
    } finally {
      await adapter.stop();
      await gateway.close();
      await emulator.close();
    }
  });
});
