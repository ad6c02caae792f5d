import { autoRetry } from '@grammyjs/auto-retry';
import { Api, HttpError, InlineKeyboard, Keyboard } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorClient, type EmulatorClient } from './client';
import { startTelegramEmulator, type TelegramEmulator } from './server';
import { LIMITS } from './state';

const TOKEN = '777:control-api-test';

let emulator: TelegramEmulator;
let client: EmulatorClient;
let api: Api;
let nextChatId = 50_000;
const newChatId = () => {
  nextChatId += 1;
  return nextChatId;
};

type Update = { update_id: number; [kind: string]: unknown };

/** Reads and confirms everything queued, as a polling bot would. */
async function drainUpdates(): Promise<Update[]> {
  const updates = (await api.getUpdates({ timeout: 0 })) as unknown as Update[];
  const last = updates.at(-1);
  if (last) await api.getUpdates({ offset: last.update_id + 1, timeout: 0 });
  return updates;
}

async function control(
  method: string,
  path: string,
  body?: string | Uint8Array<ArrayBuffer>,
  contentType = 'application/json',
) {
  const response = await fetch(`${emulator.url}/_emulator${path}`, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': contentType } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  emulator = await startTelegramEmulator({ port: 0 });
  client = createEmulatorClient(emulator.url);
  api = new Api(TOKEN, { apiRoot: emulator.url });
});

afterAll(async () => {
  await emulator.close();
});

describe('POST /_emulator/updates', () => {
  it('assigns update_id, message_id and date, and registers the chat', async () => {
    await drainUpdates();
    const chatId = newChatId();
    const delivered = await client.deliverUpdate({
      message: {
        chat: { id: chatId, type: 'private', first_name: 'A' },
        from: { id: chatId, is_bot: false, first_name: 'A' },
        text: 'x',
      },
    });
    expect(delivered).toMatchObject({ update_id: expect.any(Number), message_id: 1 });
    const [update] = await drainUpdates();
    expect(update).toMatchObject({
      update_id: delivered.update_id,
      message: { message_id: 1, date: expect.any(Number), text: 'x' },
    });
    await expect(api.sendMessage(chatId, 'ok')).resolves.toMatchObject({ message_id: 2 });
  });

  it('rejects an update with no kind or two kinds', async () => {
    const none = await control('POST', '/updates', JSON.stringify({ update_id: 5 }));
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ ok: false, error: 'invalid_body' });
    const chat = { id: 1, type: 'private' };
    const two = await control(
      'POST',
      '/updates',
      JSON.stringify({ message: { chat }, edited_message: { chat } }),
    );
    expect(two.status).toBe(400);
    const broken = await control('POST', '/updates', '{not json');
    expect(broken).toMatchObject({ status: 400, body: { error: 'invalid_json' } });
  });
});

describe('resident actions', () => {
  it('marks a leading /command with a bot_command entity', async () => {
    await drainUpdates();
    await client.sendText(newChatId(), '/start@tinbao_bot abc');
    const [update] = await drainUpdates();
    expect(update?.message).toMatchObject({ entities: [{ type: 'bot_command', offset: 0, length: 17 }] });
  });

  it('sends a callback for a forged button, with an inaccessible message when the id does not exist', async () => {
    await drainUpdates();
    const chatId = newChatId();
    await client.sendText(chatId, 'hi');
    const pressed = await client.pressButton(chatId, 9999, 'x'.repeat(200));
    const updates = await drainUpdates();
    expect(updates.at(-1)?.callback_query).toMatchObject({
      id: pressed.callback_query_id,
      data: 'x'.repeat(200),
      chat_instance: String(chatId),
      message: { message_id: 9999, date: 0, chat: { id: chatId } },
    });
    expect(await client.callbackAnswer(pressed.callback_query_id)).toEqual({
      callback_query_id: pressed.callback_query_id,
      answered: false,
    });
    await api.answerCallbackQuery(pressed.callback_query_id, { text: 'Đã hết hạn', show_alert: true });
    expect(await client.callbackAnswer(pressed.callback_query_id)).toMatchObject({
      answered: true,
      show_alert: true,
    });
    // A second answer fails as on Telegram.
    await expect(api.answerCallbackQuery(pressed.callback_query_id)).rejects.toMatchObject({
      error_code: 400,
    });
    await expect(api.answerCallbackQuery('12345')).rejects.toMatchObject({
      description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
    });
  });

  it('delivers group messages from a separate sender', async () => {
    await drainUpdates();
    const groupId = -4_000_123;
    await client.sendText(groupId, '/ketnoi', { from: { id: 42, first_name: 'Cán bộ' } });
    const [update] = await drainUpdates();
    expect(update?.message).toMatchObject({
      chat: { id: groupId, type: 'group' },
      from: { id: 42, is_bot: false, first_name: 'Cán bộ' },
    });
    await expect(api.sendMessage(groupId, 'đã kết nối')).resolves.toMatchObject({ chat: { id: groupId } });
  });

  it('sends locations, photos and other kinds; validates them', async () => {
    await drainUpdates();
    const chatId = newChatId();
    await client.sendLocation(chatId, 16.75, 107.2);
    await client.sendPhoto(chatId, Buffer.from('jpeg-ish'), 'image/jpeg', 'ảnh');
    for (const kind of ['sticker', 'voice', 'video', 'document', 'contact'] as const)
      await client.sendOther(chatId, kind);
    const messages = (await drainUpdates()).map((update) => update.message as Record<string, unknown>);
    expect(messages[0]).toMatchObject({ location: { latitude: 16.75, longitude: 107.2 } });
    expect(messages[1]).toMatchObject({
      caption: 'ảnh',
      photo: expect.arrayContaining([expect.objectContaining({ width: 800 })]),
    });
    expect(Object.keys(messages[2]!)).toContain('sticker');
    expect(messages[3]).toMatchObject({ voice: { mime_type: 'audio/ogg' } });
    expect(messages[6]).toMatchObject({ contact: { phone_number: expect.any(String) } });
    const sticker = messages[2]!.sticker as { file_id: string };
    await expect(api.getFile(sticker.file_id)).resolves.toMatchObject({
      file_path: expect.stringMatching(/^stickers\//),
    });

    expect(
      (await control('POST', `/chats/${chatId}/location`, JSON.stringify({ latitude: 91, longitude: 0 })))
        .status,
    ).toBe(400);
    expect((await control('POST', `/chats/${chatId}/photo`, 'abc', 'text/plain')).status).toBe(415);
    expect((await control('POST', `/chats/${chatId}/hologram`, '{}')).status).toBe(404);
    expect(
      (await control('POST', `/chats/${chatId}/text`, JSON.stringify({ text: 'x'.repeat(4097) }))).status,
    ).toBe(400);
  });
});

describe('files', () => {
  it('uploads raw bytes and multipart, serves them back, and refuses more than 20 MB', async () => {
    const raw = await client.uploadFile(Buffer.from('%PDF-1.4 test'), 'application/pdf');
    expect(raw).toMatchObject({ file_size: 13, file_path: expect.stringMatching(/^documents\/.*\.pdf$/) });
    const download = await fetch(`${emulator.url}/file/bot${TOKEN}/${raw.file_path}`);
    expect(await download.text()).toBe('%PDF-1.4 test');

    const form = new FormData();
    form.append('file', new Blob([Buffer.from('hello')], { type: 'text/plain' }), 'note.txt');
    const multipart = await fetch(`${emulator.url}/_emulator/files`, { method: 'POST', body: form });
    expect(await multipart.json()).toMatchObject({
      ok: true,
      result: { file_size: 5, file_path: expect.stringMatching(/\.txt$/) },
    });

    // Served inline only for raster images: anything else downloads as bytes.
    const served = await fetch(`${emulator.url}/_emulator/files/${raw.file_id}`);
    expect(served.headers.get('content-type')).toBe('application/octet-stream');

    const tooBig = await control(
      'POST',
      '/files',
      new Uint8Array(LIMITS.downloadableFileBytes + 1),
      'application/octet-stream',
    );
    expect(tooBig).toMatchObject({ status: 413, body: { ok: false, error: 'file_too_large' } });
    expect((await fetch(`${emulator.url}/file/bot${TOKEN}/documents/nope.pdf`)).status).toBe(404);
  });
});

describe('what the bot sent', () => {
  it('lists bot messages after an id, with keyboards, and long-polls until count arrive', async () => {
    const chatId = newChatId();
    const { message_id: userMessage } = await client.sendText(chatId, 'hi');
    const waiting = client.waitForMessages(chatId, { after: userMessage, count: 2, timeoutMs: 5000 });
    await api.sendMessage(chatId, 'một', { reply_markup: new Keyboard().text('Có').text('Không').oneTime() });
    await api.sendMessage(chatId, 'hai', { reply_markup: new InlineKeyboard().text('A', 'a') });
    const messages = await waiting;
    expect(messages.map((message) => message.text)).toEqual(['một', 'hai']);
    expect(messages[0]?.reply_markup).toMatchObject({
      keyboard: [[{ text: 'Có' }, { text: 'Không' }]],
      one_time_keyboard: true,
    });
    expect(await client.messages(chatId, { after: messages[0]!.message_id })).toHaveLength(1);
    const all = await control('GET', `/chats/${chatId}/messages?from=all`);
    expect((all.body.result as unknown[]).length).toBe(3);
  });

  it('logs every bot action as an event, including deletions and callback answers', async () => {
    const chatId = newChatId();
    await client.sendText(chatId, 'hi');
    const sent = await api.sendMessage(chatId, 'tạm');
    await api.editMessageText(chatId, sent.message_id, 'tạm thời');
    await api.deleteMessage(chatId, sent.message_id);
    await expect(api.deleteMessage(chatId, sent.message_id)).rejects.toMatchObject({
      description: 'Bad Request: message to delete not found',
    });
    await expect(api.editMessageText(chatId, 1, 'x')).rejects.toMatchObject({
      description: "Bad Request: message can't be edited",
    });
    const events = await client.events(chatId);
    expect(events.map((event) => [event.type, event.message_id])).toEqual([
      ['sendMessage', sent.message_id],
      ['editMessageText', sent.message_id],
      ['deleteMessage', sent.message_id],
    ]);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(await client.events(chatId, { after: 3 })).toEqual([]);
  });

  it('clears one chat and resets everything', async () => {
    const chatId = newChatId();
    await client.sendText(chatId, 'hi');
    await api.sendMessage(chatId, 'x');
    await client.clearChat(chatId);
    expect(await client.messages(chatId)).toEqual([]);
    // Ids keep increasing after a clear.
    await expect(api.sendMessage(chatId, 'y')).resolves.toMatchObject({ message_id: 3 });
    await client.reset();
    await expect(api.sendMessage(chatId, 'z')).rejects.toMatchObject({
      description: 'Bad Request: chat not found',
    });
    expect(await client.status()).toMatchObject({ pending_update_count: 0, chat_count: 0, file_count: 0 });
  });
});

describe('bot settings', () => {
  it('stores commands per scope and language, and descriptions', async () => {
    await api.setMyCommands([{ command: 'start', description: 'Bắt đầu' }], { language_code: 'vi' });
    expect(await api.getMyCommands({ language_code: 'vi' })).toEqual([
      { command: 'start', description: 'Bắt đầu' },
    ]);
    expect(await api.getMyCommands()).toEqual([]);
    await expect(api.setMyCommands([{ command: 'Bad-Command', description: 'x' }])).rejects.toMatchObject({
      description: 'Bad Request: BOT_COMMAND_INVALID',
    });
    await api.setMyDescription('TinBao nhận tin báo ẩn danh');
    expect(await api.getMyDescription()).toEqual({ description: 'TinBao nhận tin báo ẩn danh' });
    await api.setMyShortDescription('Báo tin ẩn danh');
    expect(await api.getMyShortDescription()).toEqual({ short_description: 'Báo tin ẩn danh' });
  });

  it('answers getChat for a known private chat and sendChatAction', async () => {
    const chatId = newChatId();
    await client.sendText(chatId, 'hi');
    expect(await api.getChat(chatId)).toMatchObject({ id: chatId, type: 'private', first_name: 'Người dân' });
    await expect(api.sendChatAction(chatId, 'typing')).resolves.toBe(true);
    await expect(api.sendChatAction(chatId, 'dancing' as never)).rejects.toMatchObject({ error_code: 400 });
  });
});

describe('injected faults', () => {
  it('fails the next matching calls with the given error, then works again', async () => {
    const chatId = newChatId();
    const other = newChatId();
    await client.sendText(chatId, 'hi');
    await client.sendText(other, 'hi');
    await client.injectFault({ method: 'sendMessage', chatId, error_code: 429, retry_after: 1, count: 2 });
    await expect(api.sendMessage(other, 'x')).resolves.toBeTruthy();
    await expect(api.sendMessage(chatId, 'x')).rejects.toMatchObject({
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    // grammY's auto-retry waits retry_after and succeeds on the next try.
    const retrying = new Api(TOKEN, { apiRoot: emulator.url });
    retrying.config.use(autoRetry());
    const started = Date.now();
    await expect(retrying.sendMessage(chatId, 'x')).resolves.toMatchObject({ text: 'x' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await client.status()).fault_count).toBe(0);
  });

  it('drops the connection or answers late', async () => {
    await client.injectFault({ method: 'getMe', disconnect: true });
    await expect(api.getMe()).rejects.toBeInstanceOf(HttpError);
    await client.injectFault({ method: '*', delay_ms: 300 });
    const started = Date.now();
    await expect(api.getMe()).resolves.toMatchObject({ is_bot: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await client.injectFault({ method: 'getMe', error_code: 502, count: 5 });
    await client.clearFaults();
    await expect(api.getMe()).resolves.toBeTruthy();
    const invalid = await control('POST', '/faults', JSON.stringify({ method: 'getMe' }));
    expect(invalid).toMatchObject({ status: 400, body: { error: 'invalid_body' } });
  });
});
