import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZaloEmulatorClient, type ZaloEmulatorClient } from './client';
import { startZaloEmulator, type ZaloEmulator } from './server';

// The Zalo emulator's control API: what tests and the playground use to play residents.

const TOKEN = '4242:control-test';

let emulator: ZaloEmulator;
let client: ZaloEmulatorClient;

const send = (method: string, body: Record<string, unknown>) =>
  fetch(`${emulator.url}/bot${TOKEN}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((response) => response.json() as Promise<{ ok: boolean; result?: unknown }>);

const control = (method: string, path: string, body?: unknown) =>
  fetch(`${emulator.url}/_emulator${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
  }));

beforeAll(async () => {
  emulator = await startZaloEmulator({ port: 0 });
  client = createZaloEmulatorClient(emulator.url);
});

afterAll(async () => {
  await emulator.close();
});

describe('Zalo emulator control API', () => {
  it('numbers both sides of a chat with seq; messages lists the bot side, from=all both, after= continues', async () => {
    const chatId = 'seq-chat';
    const first = await client.sendText(chatId, 'một');
    expect(first).toEqual({
      message_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      user_id: client.userIdOf(chatId),
      chat_id: chatId,
      event_name: 'message.text.received',
      seq: 1,
    });
    await send('sendMessage', { chat_id: chatId, text: 'trả lời một' });
    const second = await client.sendText(chatId, 'hai');
    expect(second.seq).toBe(3);
    await send('sendMessage', { chat_id: chatId, text: 'trả lời hai' });

    expect((await client.messages(chatId)).map((message) => message.text)).toEqual([
      'trả lời một',
      'trả lời hai',
    ]);
    expect((await client.messages(chatId, { after: second.seq })).map((message) => message.text)).toEqual([
      'trả lời hai',
    ]);
    const all = await client.messages(chatId, { all: true });
    expect(all.map((message) => [message.seq, message.from_bot, message.text])).toEqual([
      [1, false, 'một'],
      [2, true, 'trả lời một'],
      [3, false, 'hai'],
      [4, true, 'trả lời hai'],
    ]);
    expect(all[0]).toMatchObject({
      user_id: client.userIdOf(chatId),
      display_name: 'Người dân',
      kind: 'text',
    });
    expect(await client.lastMessage(chatId)).toMatchObject({ seq: 4, text: 'trả lời hai' });
  });

  it('waitForMessages returns as soon as the bot answered, and lists what came when it times out', async () => {
    const chatId = 'wait-chat';
    const asked = await client.sendText(chatId, 'chờ');
    const waiting = client.waitForMessages(chatId, { after: asked.seq, count: 2 });
    await send('sendMessage', { chat_id: chatId, text: 'một' });
    await send('sendMessage', { chat_id: chatId, text: 'hai' });
    expect((await waiting).map((message) => message.text)).toEqual(['một', 'hai']);
    await expect(
      client.waitForMessages(chatId, { after: asked.seq, count: 3, timeoutMs: 50 }),
    ).rejects.toThrow(/for 3 bot message\(s\).*"một", #\d+: "hai"/);
  });

  it('the resident id defaults to a stable id derived from the chat id; a test may choose one, and a group', async () => {
    expect(client.userIdOf('same-chat')).toBe(client.userIdOf('same-chat'));
    expect(client.userIdOf('same-chat')).not.toBe(client.userIdOf('other-chat'));
    expect(client.userIdOf('same-chat')).toMatch(/^[0-9a-f]{20}$/);
    const chosen = await client.sendText('group-chat', 'chào nhóm', {
      chatType: 'GROUP',
      from: { id: 'member-1', display_name: 'Cán bộ' },
    });
    expect(chosen.user_id).toBe('member-1');
    expect((await control('GET', '/chats/group-chat')).body).toEqual({
      ok: true,
      result: {
        chat: { id: 'group-chat', chat_type: 'GROUP' },
        user_id: 'member-1',
        last_seq: 1,
        last_event_seq: 0,
      },
    });
  });

  it('refuses bad chat ids, empty texts, non-images and unknown endpoints in the house error shape', async () => {
    expect(await control('POST', '/chats/bad%20id/text', { text: 'x' })).toMatchObject({
      status: 400,
      body: { ok: false, error: 'invalid_chat_id' },
    });
    expect(await control('POST', '/chats/ok/text', { text: '  ' })).toMatchObject({
      status: 400,
      body: { ok: false, error: 'empty_text' },
    });
    expect(await control('POST', '/chats/ok/text', { text: 'x', chatType: 'CHANNEL' })).toMatchObject({
      status: 400,
      body: { ok: false, error: 'invalid_body' },
    });
    const notImage = await fetch(`${emulator.url}/_emulator/chats/ok/photo`, {
      method: 'POST',
      headers: { 'content-type': 'text/html' },
      body: '<script>',
    });
    expect(notImage.status).toBe(415);
    expect(await control('GET', '/nothing-here')).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
    expect(await control('POST', '/faults', { method: 'sendMessage' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_body' },
    });
  });

  it('records bot actions as events, serves images for the playground after their link expired, clears and resets', async () => {
    const chatId = 'events-chat';
    const photo = await client.sendPhoto(chatId, Buffer.from([0xff, 0xd8, 0xff, 0xd9]), 'image/jpeg', {
      expired: true,
    });
    expect((await fetch(photo.photo)).status).toBe(403);
    const name = photo.photo.split('/').pop();
    const preview = await fetch(`${emulator.url}/_emulator/media/${name}`);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('image/jpeg');

    await send('sendChatAction', { chat_id: chatId, action: 'typing' });
    await send('sendMessage', { chat_id: chatId, text: 'đã nhận ảnh' });
    const events = await client.events(chatId);
    expect(events.map((event) => [event.seq, event.type, event.text])).toEqual([
      [1, 'sendChatAction', undefined],
      [2, 'sendMessage', 'đã nhận ảnh'],
    ]);
    expect(await client.events(chatId, { after: 2, waitMs: 10 })).toEqual([]);

    const status = await client.status();
    expect(status).toMatchObject({ polling: false, webhook_url: '', media_count: 1, media_bytes: 4 });
    expect(status.pending_update_count).toBeGreaterThan(0);

    await client.clearChat(chatId);
    expect(await client.messages(chatId, { all: true })).toEqual([]);
    const again = await client.sendText(chatId, 'sau khi xoá');
    expect(again.seq).toBeGreaterThan(2);

    await client.reset();
    expect(await client.status()).toMatchObject({ pending_update_count: 0, chat_count: 0, media_count: 0 });
    expect(await send('sendMessage', { chat_id: chatId, text: 'x' })).toMatchObject({ ok: false });
  });

  it('tells the playground its channel and, when started alone, no peers', async () => {
    expect((await control('GET', '/peers')).body).toEqual({
      ok: true,
      result: { channel: 'zalo', peers: {} },
    });
    const page = await fetch(`${emulator.url}/playground`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('data-channel="zalo"');
  });
});
