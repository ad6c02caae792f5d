import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot, GrammyError, InlineKeyboard, InputFile } from 'grammy';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PNG_2X1, untilPolling } from '../common/test-support';
import { createEmulatorClient, type EmulatorClient } from './client';
import { startTelegramEmulator, type TelegramEmulator } from './server';

const TOKEN = '123456789:TEST-token_for-emulator';

let emulator: TelegramEmulator;
let client: EmulatorClient;
let nextChatId = 1000;
const running: Bot[] = [];

const newChatId = () => {
  nextChatId += 1;
  return nextChatId;
};

const newBot = () => new Bot(TOKEN, { client: { apiRoot: emulator.url } });

/** Starts long polling and resolves once the bot is polling. */
async function startPolling(bot: Bot): Promise<void> {
  running.push(bot);
  await new Promise<void>((resolve, reject) => {
    bot.start({ onStart: () => resolve(), timeout: 30 }).catch(reject);
  });
}

async function rawCall(method: string, body: unknown, token = TOKEN) {
  const response = await fetch(`${emulator.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  emulator = await startTelegramEmulator({ port: 0 });
  client = createEmulatorClient(emulator.url);
});

afterEach(async () => {
  while (running.length > 0) await running.pop()?.stop();
  await rawCall('deleteWebhook', { drop_pending_updates: true });
});

afterAll(async () => {
  await emulator.close();
});

describe('Bot API over HTTP', () => {
  it('listens on a random port and answers getMe for any <digits>:<secret> token', async () => {
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
    const me = await newBot().api.getMe();
    expect(me).toMatchObject({ id: 123456789, is_bot: true, username: 'tinbao_bot', first_name: 'TinBao' });
    const bad = await rawCall('getMe', {}, 'not-a-token');
    expect(bad).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
  });

  it('answers unknown methods 404 and accepts GET query strings and urlencoded forms', async () => {
    expect(await rawCall('doesNotExist', {})).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found: method not found' },
    });
    const get = await fetch(`${emulator.url}/bot${TOKEN}/getUpdates?timeout=0&limit=1`);
    expect(await get.json()).toEqual({ ok: true, result: [] });
    const chatId = newChatId();
    await client.sendText(chatId, 'xin chào');
    const form = await fetch(`${emulator.url}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        chat_id: String(chatId),
        text: 'chào bạn',
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] }),
      }),
    });
    expect(await form.json()).toMatchObject({ ok: true, result: { text: 'chào bạn', chat: { id: chatId } } });
  });

  it('delivers a resident message to a grammY handler and shows its reply, with keyboard, in /messages', async () => {
    const bot = newBot();
    bot.command('start', (context) =>
      context.reply('Chào mừng <b>bạn</b>', {
        parse_mode: 'HTML',
        reply_markup: new InlineKeyboard().text('Báo tin', 'tip:new'),
      }),
    );
    bot.on('callback_query:data', async (context) => {
      await context.answerCallbackQuery({ text: 'Đã nhận' });
      await context.editMessageText(`Bạn chọn: ${context.callbackQuery.data}`);
    });
    await startPolling(bot);
    const chatId = newChatId();
    const sent = await client.sendText(chatId, '/start');
    const [reply] = await client.waitForMessages(chatId, { after: sent.message_id, timeoutMs: 5000 });
    expect(reply).toMatchObject({
      text: 'Chào mừng bạn',
      entities: [{ type: 'bold', offset: 10, length: 3 }],
      parse_mode: 'HTML',
      from: { is_bot: true },
    });
    expect(reply!.message_id).toBeGreaterThan(sent.message_id);
    const button = client.findButton(reply!, 'Báo tin');
    const seq = await client.lastSeq(chatId);
    const pressed = await client.pressButton(chatId, reply!.message_id, button.callback_data);
    const edit = await client.waitForEvent(chatId, (event) => event.type === 'editMessageText', {
      afterSeq: seq,
    });
    expect(edit).toMatchObject({ message_id: reply!.message_id, text: 'Bạn chọn: tip:new' });
    expect(await client.callbackAnswer(pressed.callback_query_id, { waitMs: 2000 })).toMatchObject({
      answered: true,
      text: 'Đã nhận',
    });
    const [edited] = await client.messages(chatId);
    // An edit that does not repeat the keyboard removes it, as on Telegram.
    expect(edited).toMatchObject({ text: 'Bạn chọn: tip:new', edited: true });
    expect(edited?.reply_markup).toBeUndefined();
  });

  it('rejects callback data over 64 bytes, text over 4096 UTF-16 units, empty text and unknown chats', async () => {
    const chatId = newChatId();
    await client.sendText(chatId, 'hi');
    const api = newBot().api;
    const tooLongData = 'đ'.repeat(33); // 66 bytes in UTF-8
    await expect(
      api.sendMessage(chatId, 'x', { reply_markup: new InlineKeyboard().text('A', tooLongData) }),
    ).rejects.toMatchObject({ error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
    await expect(
      api.sendMessage(chatId, 'x', { reply_markup: new InlineKeyboard().text('A', 'đ'.repeat(32)) }),
    ).resolves.toBeTruthy();
    // Emoji count 2 UTF-16 units each, as Telegram counts them.
    await expect(api.sendMessage(chatId, '😀'.repeat(2049))).rejects.toMatchObject({
      description: 'Bad Request: message is too long',
    });
    await expect(api.sendMessage(chatId, '😀'.repeat(2048))).resolves.toBeTruthy();
    await expect(
      api.sendMessage(chatId, '<b>a</b>'.repeat(4096), { parse_mode: 'HTML' }),
    ).resolves.toBeTruthy();
    await expect(api.sendMessage(chatId, '   ')).rejects.toMatchObject({
      description: 'Bad Request: message text is empty',
    });
    await expect(api.sendMessage(chatId, 'a < b', { parse_mode: 'HTML' })).rejects.toMatchObject({
      description: expect.stringContaining("can't parse entities"),
    });
    await expect(api.sendMessage(99_999_999, 'x')).rejects.toMatchObject({
      error_code: 400,
      description: 'Bad Request: chat not found',
    });
    const error = await api
      .sendMessage(chatId, 'x', { reply_markup: { inline_keyboard: [[{ text: 'A' }]] } as never })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GrammyError);
  });

  it('answers 403 once the resident blocked the bot', async () => {
    const chatId = newChatId();
    await client.sendText(chatId, 'hi');
    await client.setBlocked(chatId, true);
    await expect(newBot().api.sendMessage(chatId, 'x')).rejects.toMatchObject({
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
  });

  it('long-polls getUpdates until an update arrives, and offset confirms earlier updates', async () => {
    const poll = rawCall('getUpdates', { timeout: 20 });
    await untilPolling(client);
    const started = Date.now();
    const chatId = newChatId();
    const delivered = await client.sendText(chatId, 'một');
    const { body } = await poll;
    // Answered as the update arrived, far before the 20 s timeout.
    expect(Date.now() - started).toBeLessThan(2000);
    const updates = body.result as { update_id: number; message: { text: string } }[];
    expect(updates.map((update) => update.update_id)).toContain(delivered.update_id);
    const second = await client.sendText(chatId, 'hai');
    // Without offset both stay queued; with offset = first + 1 the first is confirmed.
    const both = (await rawCall('getUpdates', {})).body.result as { update_id: number }[];
    expect(both.map((update) => update.update_id)).toEqual([delivered.update_id, second.update_id]);
    const after = (await rawCall('getUpdates', { offset: delivered.update_id + 1 })).body.result as {
      update_id: number;
    }[];
    expect(after.map((update) => update.update_id)).toEqual([second.update_id]);
    const limited = (await rawCall('getUpdates', { offset: second.update_id + 1, limit: 1 })).body.result;
    expect(limited).toEqual([]);
  });

  it('terminates an older getUpdates with 409 when a second poller arrives', async () => {
    const first = rawCall('getUpdates', { timeout: 20 });
    await untilPolling(client);
    const second = rawCall('getUpdates', { timeout: 0 });
    expect(await first).toMatchObject({ status: 409, body: { ok: false, error_code: 409 } });
    expect((await second).status).toBe(200);
  });

  it('ends a long poll whose client went away (grammY aborts it on bot.stop)', async () => {
    const controller = new AbortController();
    const poll = fetch(`${emulator.url}/bot${TOKEN}/getUpdates?timeout=20`, { signal: controller.signal });
    await untilPolling(client);
    controller.abort();
    await expect(poll).rejects.toThrow();
    const deadline = Date.now() + 5000;
    while ((await client.status()).polling) {
      if (Date.now() > deadline) throw new Error('the aborted poll is still waiting');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });

  it('delivers to a webhook with the secret header and refuses getUpdates meanwhile', async () => {
    const received: {
      headers: IncomingHttpHeaders;
      body: { update_id: number; message?: { text?: string } };
    }[] = [];
    let failFirst = true;
    let notify: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      notify = resolve;
    });
    const hook: Server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      request.on('end', () => {
        if (failFirst) {
          // The first attempt fails: the emulator must retry the same update.
          failFirst = false;
          response.statusCode = 500;
          response.end();
          return;
        }
        received.push({ headers: request.headers, body: JSON.parse(raw) });
        response.statusCode = 200;
        response.end();
        notify();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/telegram`;
      const api = newBot().api;
      await api.setWebhook(hookUrl, { secret_token: 'hook-secret_1', drop_pending_updates: true });
      expect(await rawCall('getUpdates', {})).toMatchObject({ status: 409, body: { error_code: 409 } });
      const delivered = await client.sendText(newChatId(), 'qua webhook');
      await arrived;
      expect(received).toHaveLength(1);
      expect(received[0]!.headers['x-telegram-bot-api-secret-token']).toBe('hook-secret_1');
      expect(received[0]!.body).toMatchObject({
        update_id: delivered.update_id,
        message: { text: 'qua webhook' },
      });
      const info = await api.getWebhookInfo();
      expect(info).toMatchObject({ url: hookUrl, pending_update_count: 0 });
      expect(info.last_error_message).toContain('500');
      await api.deleteWebhook();
      expect((await rawCall('getUpdates', {})).status).toBe(200);
    } finally {
      await new Promise((resolve) => hook.close(resolve));
    }
  });

  it('runs a Bot API call returned in the webhook response, like Telegram', async () => {
    const hook: Server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      request.on('end', () => {
        const update = JSON.parse(raw) as { message: { chat: { id: number } } };
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            method: 'sendMessage',
            chat_id: update.message.chat.id,
            text: 'trả lời qua webhook',
          }),
        );
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      await newBot().api.setWebhook(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/`);
      const chatId = newChatId();
      const sent = await client.sendText(chatId, 'xin chào');
      const [reply] = await client.waitForMessages(chatId, { after: sent.message_id });
      expect(reply?.text).toBe('trả lời qua webhook');
    } finally {
      await new Promise((resolve) => hook.close(resolve));
    }
  });

  it('round-trips a multipart sendPhoto through getFile and the /file download', async () => {
    const chatId = newChatId();
    await client.sendText(chatId, 'gửi ảnh');
    const api = newBot().api;
    const sent = await api.sendPhoto(chatId, new InputFile(PNG_2X1, 'anh.png'), {
      caption: 'Ảnh <i>thử</i>',
      parse_mode: 'HTML',
    });
    expect(sent.photo.length).toBeGreaterThan(0);
    const largest = sent.photo.at(-1)!;
    expect(largest).toMatchObject({ width: 2, height: 1, file_size: PNG_2X1.length });
    expect(sent.caption).toBe('Ảnh thử');
    const file = await api.getFile(largest.file_id);
    expect(file.file_path).toMatch(/^photos\//);
    const download = await fetch(`${emulator.url}/file/bot${TOKEN}/${file.file_path}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG_2X1)).toBe(true);
    // Re-sending by file_id works without an upload.
    const again = await api.sendPhoto(chatId, largest.file_id);
    expect(again.photo.at(-1)?.file_id).toBe(largest.file_id);
    await expect(
      api.sendPhoto(chatId, new InputFile(Buffer.from('not an image'), 'x.jpg')),
    ).rejects.toMatchObject({
      description: 'Bad Request: IMAGE_PROCESS_FAILED',
    });
    const [photoMessage] = await client.messages(chatId);
    expect(photoMessage?.photo?.at(-1)?.file_id).toBe(largest.file_id);
  });

  it('lets the bot download a photo the resident sent', async () => {
    const chatId = newChatId();
    const bot = newBot();
    const downloaded = new Promise<Buffer>((resolve) => {
      bot.on('message:photo', async (context) => {
        const file = await context.getFile();
        const response = await fetch(`${emulator.url}/file/bot${TOKEN}/${file.file_path}`);
        resolve(Buffer.from(await response.arrayBuffer()));
      });
    });
    await startPolling(bot);
    await client.sendPhoto(chatId, PNG_2X1, 'image/png', 'chú thích');
    expect((await downloaded).equals(PNG_2X1)).toBe(true);
  });

  it('wakes an events waiter when the bot edits the keyboard of an older message', async () => {
    const chatId = newChatId();
    await client.sendText(chatId, 'hi');
    const api = newBot().api;
    const first = await api.sendMessage(chatId, 'Chọn', {
      reply_markup: new InlineKeyboard().text('A', 'a'),
    });
    await api.sendMessage(chatId, 'Tin sau');
    const seq = await client.lastSeq(chatId);
    const waiting = client.waitForEvent(chatId, (event) => event.type === 'editMessageReplyMarkup', {
      afterSeq: seq,
      timeoutMs: 5000,
    });
    await api.editMessageReplyMarkup(chatId, first.message_id, {
      reply_markup: new InlineKeyboard().text('B', 'b'),
    });
    expect(await waiting).toMatchObject({
      message_id: first.message_id,
      reply_markup: { inline_keyboard: [[{ text: 'B', callback_data: 'b' }]] },
    });
    await expect(
      api.editMessageReplyMarkup(chatId, first.message_id, {
        reply_markup: new InlineKeyboard().text('B', 'b'),
      }),
    ).rejects.toMatchObject({ description: expect.stringContaining('message is not modified') });
    const messages = await client.messages(chatId);
    expect(messages.find((message) => message.message_id === first.message_id)).toMatchObject({
      edited: true,
    });
  });

  it('times out waitForMessages with a message that lists what did arrive', async () => {
    const chatId = newChatId();
    await client.sendText(chatId, 'hi');
    await newBot().api.sendMessage(chatId, 'một tin');
    await expect(client.waitForMessages(chatId, { after: 0, count: 2, timeoutMs: 200 })).rejects.toThrow(
      /got #\d+: "một tin"/,
    );
  });
});
