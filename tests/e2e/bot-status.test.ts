import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiConfigSchema } from '@tinbao/api/config';
import { type ApiProcess, startApiProcess } from '@tinbao/api/server';
import { createTestTip } from '@tinbao/api/tips/testing';
import { createWebAdapter } from '@tinbao/bot/channels/web/adapter';
import { PATHS } from '@tinbao/bot/channels/web/pages';
import { TEXT } from '@tinbao/bot/conversation/messages';
import { createGateway } from '@tinbao/bot/gateway';
import { createStatusLookup, STATUS_LOOKUPS_PER_WINDOW } from '@tinbao/bot/submission/status';
import { createTestBotWorld, FakeTelegramChat, type TestBotWorld } from '@tinbao/bot/testing/test-bot';
import { createLogger, createOrgKeys, orgKeyPaths, parseConfig } from '@tinbao/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/processes';
import { WebClient } from '../support/web-client';

let dataDir: string;
let api: ApiProcess | undefined;
let world: TestBotWorld;
let apiUrl: string;
let orgPublicKey: Uint8Array;
const BOT_API_TOKEN = randomBytes(32).toString('base64url');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tinbao-bot-status-'));
  const masterKey = randomBytes(32);
  orgPublicKey = await createOrgKeys(orgKeyPaths(`${dataDir}/keys`), masterKey);
  world = await createTestBotWorld();
  const port = await freePort();
  const parsed = parseConfig(ApiConfigSchema, {
    PORT: String(port),
    DATA_DIR: dataDir,
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: world.prefix,
    TINBAO_MASTER_KEY: masterKey.toString('hex'),
    TINBAO_ROLE: 'http',
    COOKIE_SECURE: 'false',
    LOG_LEVEL: 'silent',
    TINBAO_BOT_API_TOKEN: BOT_API_TOKEN,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  api = await startApiProcess(parsed.config, createLogger({ name: 'api', level: 'silent' }), {
    listen: true,
  });
  apiUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await api?.close();
  await world?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('/trangthai asks the API for a receipt’s status', () => {
  it('answers with the status, "not found", or "not now" when the API is away', async () => {
    const tip = await createTestTip(api!.database.db, orgPublicKey, { communeCode: '19564' });
    const chat = new FakeTelegramChat(
      world.telegram({ statusLookup: createStatusLookup(apiUrl) }).adapter.bot,
      620_000_001,
    );
    expect(await chat.text(`/trangthai ${tip.receiptCode.toLowerCase()}`)).toEqual([
      TEXT.status(tip.receiptCode, 'received'),
    ]);
    expect(await chat.text('/trangthai TB-00000-00000')).toEqual([TEXT.statusNotFound('TB-00000-00000')]);

    const unreachable = new FakeTelegramChat(
      world.telegram({ statusLookup: createStatusLookup(`http://127.0.0.1:${await freePort()}`) }).adapter
        .bot,
      620_000_002,
    );
    expect(await unreachable.text(`/trangthai ${tip.receiptCode}`)).toEqual([TEXT.statusUnavailable]);
  });

  it('limits look-ups per resident in the bot, and the API counts the bot’s look-ups per resident, not per IP', async () => {
    const tip = await createTestTip(api!.database.db, orgPublicKey, { communeCode: '19564' });
    const statusLookup = createStatusLookup(apiUrl, { botToken: BOT_API_TOKEN });
    const residents = [620_000_011, 620_000_012, 620_000_013].map(
      (id) => new FakeTelegramChat(world.telegram({ statusLookup }).adapter.bot, id),
    );
    // 30 look-ups from one IP, over the API's 20 per minute per IP: each resident has its own count.
    for (const chat of residents) {
      for (let lookup = 1; lookup <= STATUS_LOOKUPS_PER_WINDOW; lookup++) {
        expect(await chat.text(`/trangthai ${tip.receiptCode}`), `${chat.chatId} #${lookup}`).toEqual([
          TEXT.status(tip.receiptCode, 'received'),
        ]);
      }
    }
    expect(await residents[0]!.text(`/trangthai ${tip.receiptCode}`)).toEqual([TEXT.statusTooMany]);
    const counters = await world.redis.keys(`${world.prefix}:bot:status-rate:*`);
    expect(counters.length).toBeGreaterThanOrEqual(residents.length);
    for (const key of counters) {
      for (const chat of residents) expect(key).not.toContain(String(chat.chatId));
      expect(await world.redis.ttl(key)).toBeGreaterThan(9 * 60);
    }
  });

  it('rate-limits by IP when the bot token is wrong or the resident header malformed', async () => {
    const tip = await createTestTip(api!.database.db, orgPublicKey, { communeCode: '19564' });
    const lookup = (headers: Record<string, string>) =>
      fetch(`${apiUrl}/api/v1/receipts/${tip.receiptCode}`, { headers }).then((response) => response.status);
    const forged = { 'x-tinbao-bot-token': 'x'.repeat(43), 'x-tinbao-resident': 'AAAAAAAAAAAAAAAAAAAAAA' };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 25; attempt++) statuses.push(await lookup(forged));
    expect(statuses).toContain(429);
    expect(await lookup({ 'x-tinbao-bot-token': BOT_API_TOKEN, 'x-tinbao-resident': 'bad header!' })).toBe(
      429,
    );
    expect(await lookup({ 'x-tinbao-bot-token': BOT_API_TOKEN })).toBe(429);
    // The right token with a well-formed resident hash counts for that resident only.
    expect(
      await lookup({ 'x-tinbao-bot-token': BOT_API_TOKEN, 'x-tinbao-resident': 'BBBBBBBBBBBBBBBBBBBBBB' }),
    ).toBe(200);
  });

  it('answers on the web form’s status page through the same look-up, limited per address in memory', async () => {
    const tip = await createTestTip(api!.database.db, orgPublicKey, { communeCode: '19564' });
    const gateway = createGateway({
      ...world.deps,
      statusLookup: createStatusLookup(apiUrl, { botToken: BOT_API_TOKEN }),
    });
    const web = createWebAdapter({
      port: 0,
      redis: world.redis,
      redisPrefix: world.prefix,
      draftKey: world.deps.draftKey,
      pseudonyms: gateway.pseudonyms,
      logger: world.deps.logger,
      trustProxy: 'loopback',
      limits: { lookupsPerAddress: 3 },
    });
    await web.start((event, deliver) =>
      gateway.conversation.handle(event.resident, web.caps, event.input, deliver),
    );
    try {
      const client = new WebClient(web.url(), '198.18.0.9');
      const ask = async (code: string) =>
        (await client.submit({ form: (await client.open(PATHS.status)).forms[0]!, fields: [['code', code]] }))
          .replies;
      expect(await ask(` ${tip.receiptCode.toLowerCase()} `)).toEqual([
        TEXT.status(tip.receiptCode, 'received'),
      ]);
      expect(await ask('TB-00000-00000')).toEqual([TEXT.statusNotFound('TB-00000-00000')]);
      expect(await ask(tip.receiptCode)).toEqual([TEXT.status(tip.receiptCode, 'received')]);
      const limited = await ask(tip.receiptCode);
      expect(client.page!.status).toBe(429);
      expect(limited[0]).toContain('Bạn tra cứu hơi nhiều');
      // The code went in a POST body, never into an address the browser keeps in its history.
      expect(client.responses.every((response) => !response.url.includes(tip.receiptCode))).toBe(true);
    } finally {
      await web.stop();
    }
  });
});
