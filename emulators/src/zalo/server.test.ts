import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PNG_2X1, untilPolling } from '../common/test-support';
import { createZaloEmulatorClient, type ZaloEmulatorClient } from './client';
import { startZaloEmulator, type ZaloEmulator } from './server';

// The Zalo Bot API emulator over real HTTP, as a Zalo adapter would call it.

const TOKEN = '8812345678:zalo-test_Secret-token';

let emulator: ZaloEmulator;
let client: ZaloEmulatorClient;
let nextChat = 0;
const newChatId = () => {
  nextChat += 1;
  return `chat-${nextChat}-${Math.random().toString(36).slice(2, 8)}`;
};

async function rawCall(method: string, body?: Record<string, unknown>, token = TOKEN) {
  const response = await fetch(`${emulator.url}/bot${token}/${method}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface Received {
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A webhook receiver on a random port; `answer` picks each answer's status, `next()` awaits a request. */
async function startReceiver(answer: (index: number) => number = () => 200) {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      response.statusCode = answer(received.length - 1);
      response.end('ok');
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/zalo-webhook`;
  return {
    url,
    received,
    /** Resolves once at least `count` requests arrived. */
    async until(count: number): Promise<Received[]> {
      while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function requestWithHost(host: string, path: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

beforeAll(async () => {
  emulator = await startZaloEmulator({ port: 0 });
  client = createZaloEmulatorClient(emulator.url);
});

afterEach(async () => {
  await rawCall('deleteWebhook', {});
  await client.reset();
});

afterAll(async () => {
  await emulator.close();
});

describe('Zalo Bot API over HTTP', () => {
  it('answers getMe for a {bot_id}:{access_token} token, 401 for a bad token, 404 for an unknown method', async () => {
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(await rawCall('getMe')).toEqual({
      status: 200,
      body: {
        ok: true,
        result: {
          id: '8812345678',
          account_name: 'bot.tinbao',
          account_type: 'BASIC',
          can_join_groups: false,
          display_name: 'TinBao',
        },
      },
    });
    for (const token of ['not-a-token', 'abc:secret', '123:']) {
      expect(await rawCall('getMe', {}, token)).toEqual({
        status: 401,
        body: { ok: false, error_code: 401, description: 'Unauthorized' },
      });
    }
    const unknown = await rawCall('sendVoice', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ ok: false, error_code: 404 });
  });

  it('getUpdates returns one update (not an array), consumes it, and answers an empty poll 408 with HTTP 200', async () => {
    const chatId = newChatId();
    const delivered = await client.sendText(chatId, 'Xin chào');
    const first = await rawCall('getUpdates', { timeout: 5 });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      ok: true,
      result: {
        event_name: 'message.text.received',
        message: {
          message_id: delivered.message_id,
          from: { id: client.userIdOf(chatId), display_name: 'Người dân', is_bot: false },
          chat: { id: chatId, chat_type: 'PRIVATE' },
          date: expect.any(Number),
          text: 'Xin chào',
        },
      },
    });
    const message = (
      first.body.result as { message: { message_id: string; date: number; from: { id: string } } }
    ).message;
    expect(message.message_id).toMatch(/^[0-9a-f]{32}$/);
    expect(message.from.id).toMatch(/^[0-9a-f]{20}$/);
    expect(delivered.user_id).toBe(message.from.id);
    // Unix milliseconds, not seconds.
    expect(Math.abs(message.date - Date.now())).toBeLessThan(60_000);

    // Consumed: the next poll finds nothing. The timeout may come as a string (the SDKs send one).
    expect(await rawCall('getUpdates', { timeout: '0' })).toEqual({
      status: 200,
      body: { ok: false, error_code: 408, description: 'Request timeout' },
    });
    const get = await fetch(`${emulator.url}/bot${TOKEN}/getUpdates?timeout=0`);
    expect(await get.json()).toEqual({ ok: false, error_code: 408, description: 'Request timeout' });
  });

  it('a waiting long poll returns as soon as an update arrives; one update per call, in order', async () => {
    const chatId = newChatId();
    const poll = rawCall('getUpdates', { timeout: 30 });
    await untilPolling(client);
    await client.sendText(chatId, 'một');
    await client.sendText(chatId, 'hai');
    const first = await poll;
    expect((first.body.result as { message: { text: string } }).message.text).toBe('một');
    const second = await rawCall('getUpdates', { timeout: 0 });
    expect((second.body.result as { message: { text: string } }).message.text).toBe('hai');
  });

  it('a second poller ends the first with 409, and polling with a webhook set is a conflict', async () => {
    const first = rawCall('getUpdates', { timeout: 30 });
    await untilPolling(client);
    const second = rawCall('getUpdates', { timeout: 30 });
    expect(await first).toMatchObject({ status: 409, body: { ok: false, error_code: 409 } });
    await untilPolling(client);
    // Setting a webhook ends the waiting poll at once.
    const receiver = await startReceiver();
    await rawCall('setWebhook', { url: receiver.url, secret_token: 'secret-token-1' });
    expect(await second).toEqual({
      status: 409,
      body: { ok: false, error_code: 409, description: 'Conflict: webhook is active' },
    });
    expect(await rawCall('getUpdates', { timeout: 0 })).toEqual({
      status: 409,
      body: { ok: false, error_code: 409, description: 'Conflict: webhook is active' },
    });
    await receiver.close();
  });

  it('setWebhook checks the secret, getWebhookInfo and deleteWebhook answer { url, updated_at }', async () => {
    const url = 'https://tinbao.example/zalo';
    for (const secret of ['short', 'x'.repeat(257), undefined]) {
      const refused = await rawCall('setWebhook', {
        url,
        ...(secret === undefined ? {} : { secret_token: secret }),
      });
      expect(refused).toMatchObject({ status: 400, body: { ok: false, error_code: 400 } });
    }
    expect(await rawCall('setWebhook', { url: 'not a url', secret_token: 'long-enough' })).toMatchObject({
      status: 400,
    });
    const set = await rawCall('setWebhook', { url, secret_token: 'x'.repeat(256) });
    expect(set.body).toEqual({ ok: true, result: { url, updated_at: expect.any(Number) } });
    expect((await rawCall('getWebhookInfo')).body).toEqual({
      ok: true,
      result: { url, updated_at: (set.body.result as { updated_at: number }).updated_at },
    });
    const deleted = await rawCall('deleteWebhook', {});
    expect(deleted.body).toMatchObject({ ok: true, result: { url: '' } });
    expect((await rawCall('getWebhookInfo')).body).toMatchObject({ ok: true, result: { url: '' } });
  });

  it('POSTs each update to the webhook as the bare event with the secret header, retrying until a 2xx, in order', async () => {
    // The first two attempts fail (500, then 502); the emulator retries the same update.
    const receiver = await startReceiver((index) => (index === 0 ? 500 : index === 1 ? 502 : 200));
    const chatId = newChatId();
    await client.sendText(chatId, 'một');
    await client.sendText(chatId, 'hai');
    await rawCall('setWebhook', { url: receiver.url, secret_token: 'webhook-secret-42' });
    const received = await receiver.until(4);
    expect(received.map((entry) => (entry.body as { message: { text: string } }).message.text)).toEqual([
      'một',
      'một',
      'một',
      'hai',
    ]);
    for (const entry of received) {
      expect(entry.headers['x-bot-api-secret-token']).toBe('webhook-secret-42');
      expect(entry.headers['content-type']).toContain('application/json');
      // No { ok, result } wrapper: the top level is the event.
      expect(Object.keys(entry.body as object).sort()).toEqual(['event_name', 'message']);
    }
    expect((await client.status()).pending_update_count).toBe(0);
    await receiver.close();
  });

  it('sendMessage: 1–2,000 characters, opaque message_id and a date in ms; unknown chats and bad texts are refused', async () => {
    const chatId = newChatId();
    const resident = await client.sendText(chatId, 'Xin chào');
    const longest = 'ạ'.repeat(2000);
    const sent = await rawCall('sendMessage', { chat_id: chatId, text: longest });
    expect(sent.body).toEqual({
      ok: true,
      result: { message_id: expect.any(String), date: expect.any(Number) },
    });
    expect((sent.body.result as { message_id: string }).message_id).toMatch(/^[0-9a-f]+$/);
    expect(await rawCall('sendMessage', { chat_id: chatId, text: `${longest}a` })).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: 'text is too long' },
    });
    expect(await rawCall('sendMessage', { chat_id: chatId, text: '' })).toMatchObject({
      status: 400,
      body: { ok: false, error_code: 400 },
    });
    expect(await rawCall('sendMessage', { chat_id: 'nobody-wrote-here', text: 'chào' })).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: 'chat not found' },
    });
    const messages = await client.waitForMessages(chatId, { after: resident.seq });
    expect(messages).toEqual([
      {
        seq: resident.seq + 1,
        message_id: (sent.body.result as { message_id: string }).message_id,
        from_bot: true,
        kind: 'text',
        text: longest,
        date: (sent.body.result as { date: number }).date,
      },
    ]);
  });

  it('sendChatAction answers true and sendPhoto keeps the photo URL as a message without fetching it', async () => {
    const chatId = newChatId();
    await client.sendText(chatId, 'ảnh?');
    expect((await rawCall('sendChatAction', { chat_id: chatId, action: 'typing' })).body).toEqual({
      ok: true,
      result: true,
    });
    expect((await rawCall('sendChatAction', { chat_id: chatId, action: 'dancing' })).status).toBe(400);
    const photo = await rawCall('sendPhoto', {
      chat_id: chatId,
      photo: 'https://unreachable.invalid/a.jpg',
      caption: 'Ảnh minh hoạ',
    });
    expect(photo.body).toMatchObject({ ok: true, result: { message_id: expect.any(String) } });
    expect(await client.lastMessage(chatId)).toMatchObject({
      kind: 'photo',
      photo: 'https://unreachable.invalid/a.jpg',
      caption: 'Ảnh minh hoạ',
    });
    const events = await client.events(chatId);
    expect(events.map((event) => event.type)).toEqual(['sendChatAction', 'sendPhoto']);
    expect(events[0]?.action).toBe('typing');
  });

  it("a resident's image is a link on the emulator that expires like a CDN link", async () => {
    const chatId = newChatId();
    const fresh = await client.sendPhoto(chatId, PNG_2X1, 'image/png', {
      caption: 'Ở đầu ngõ',
      expiresInMs: 600_000,
    });
    const { body } = await rawCall('getUpdates', { timeout: 0 });
    expect(body.result).toEqual({
      event_name: 'message.image.received',
      message: {
        message_id: fresh.message_id,
        from: { id: client.userIdOf(chatId), display_name: 'Người dân', is_bot: false },
        chat: { id: chatId, chat_type: 'PRIVATE' },
        date: expect.any(Number),
        photo: fresh.photo,
        caption: 'Ở đầu ngõ',
      },
    });
    expect(fresh.photo).toMatch(new RegExp(`^${emulator.url}/_zalo-media/[0-9a-f]{32}\\.jpg$`));
    const download = await fetch(fresh.photo);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG_2X1);

    const stale = await client.sendPhoto(chatId, PNG_2X1, 'image/png', { expired: true });
    const gone = await fetch(stale.photo);
    expect(gone.status).toBe(403);
    expect((await fetch(`${emulator.url}/_zalo-media/${'0'.repeat(32)}.jpg`)).status).toBe(404);
  });

  it('an unsupported message carries ids and a date, no content; a sticker carries its id and url', async () => {
    const chatId = newChatId();
    await client.sendUnsupported(chatId);
    await client.sendSticker(chatId, { sticker: 'abc123' });
    const unsupported = (await rawCall('getUpdates', { timeout: 0 })).body.result as {
      event_name: string;
      message: Record<string, unknown>;
    };
    expect(unsupported.event_name).toBe('message.unsupported.received');
    expect(Object.keys(unsupported.message).sort()).toEqual(['chat', 'date', 'from', 'message_id']);
    const sticker = (await rawCall('getUpdates', { timeout: 0 })).body.result as {
      event_name: string;
      message: Record<string, unknown>;
    };
    expect(sticker.event_name).toBe('message.sticker.received');
    expect(sticker.message).toMatchObject({ sticker: 'abc123', url: expect.stringContaining('abc123') });
    expect(sticker.message.text).toBeUndefined();
  });

  it('redelivers an earlier event unchanged, and delivers a raw event as given (twice for a duplicate)', async () => {
    const chatId = newChatId();
    const first = await client.sendText(chatId, 'gửi hai lần');
    const original = (await rawCall('getUpdates', { timeout: 0 })).body.result;
    expect(await client.redeliver(chatId, first.message_id)).toEqual({
      message_id: first.message_id,
      user_id: first.user_id,
      chat_id: chatId,
    });
    expect((await rawCall('getUpdates', { timeout: 0 })).body.result).toEqual(original);
    await expect(client.redeliver(chatId, 'ffff')).rejects.toThrow(/message_not_found/);

    const raw = {
      event_name: 'message.text.received',
      message: {
        message_id: 'deadbeef',
        from: { id: 'u-raw', display_name: 'Ai đó', is_bot: false },
        chat: { id: chatId, chat_type: 'PRIVATE' },
        date: 1_700_000_000_000,
        text: 'trùng',
      },
    };
    await client.deliverEvent(raw);
    await client.deliverEvent(raw);
    expect((await rawCall('getUpdates', { timeout: 0 })).body.result).toEqual(raw);
    expect((await rawCall('getUpdates', { timeout: 0 })).body.result).toEqual(raw);
    // The chat now exists for the bot, and the history keeps the message once.
    expect((await rawCall('sendMessage', { chat_id: chatId, text: 'đã nhận' })).status).toBe(200);
    const history = await client.messages(chatId, { all: true });
    expect(history.filter((message) => message.message_id === 'deadbeef')).toHaveLength(1);
  });

  it('injected faults fail, delay or drop the next matching calls, then the API works again', async () => {
    const chatId = newChatId();
    await client.sendText(chatId, 'lỗi');
    await client.injectFault({ method: 'sendMessage', error_code: 500, count: 2 });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(await rawCall('sendMessage', { chat_id: chatId, text: 'x' })).toEqual({
        status: 500,
        body: { ok: false, error_code: 500, description: 'Internal Server Error' },
      });
    }
    expect((await rawCall('sendMessage', { chat_id: chatId, text: 'x' })).status).toBe(200);

    // Only for another chat: this one is untouched.
    await client.injectFault({ method: '*', chatId: 'some-other-chat', error_code: 429 });
    expect((await rawCall('sendMessage', { chat_id: chatId, text: 'y' })).status).toBe(200);
    await client.clearFaults();

    await client.injectFault({ method: 'sendMessage', disconnect: true });
    await expect(rawCall('sendMessage', { chat_id: chatId, text: 'z' })).rejects.toThrow();
    expect((await client.status()).fault_count).toBe(0);
    const messages = await client.messages(chatId);
    expect(messages.map((message) => message.text)).toEqual(['x', 'y']);
  });

  it('serves only loopback and configured Host names (421 otherwise)', async () => {
    const { port } = new URL(emulator.url);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await requestWithHost(host, `/bot${TOKEN}/getMe`)).status).toBe(200);
    }
    const refused = await requestWithHost(`attacker.example:${port}`, '/_emulator/status');
    expect(refused.status).toBe(421);
    expect((await requestWithHost('attacker.example', '/playground')).status).toBe(421);

    const named = await startZaloEmulator({ port: 0, allowedHosts: ['emulator.internal'] });
    try {
      const outgoing = await new Promise<number>((resolve, reject) => {
        const { port: namedPort } = new URL(named.url);
        httpRequest(
          {
            host: '127.0.0.1',
            port: namedPort,
            path: '/_emulator/status',
            headers: { host: 'emulator.internal' },
          },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        )
          .on('error', reject)
          .end();
      });
      expect(outgoing).toBe(200);
    } finally {
      await named.close();
    }
  });
});
