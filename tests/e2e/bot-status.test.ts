import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiConfigSchema } from '@tinbao/api/config';
import { type ApiProcess, startApiProcess } from '@tinbao/api/server';
import { createTestTip } from '@tinbao/api/tips/testing';
import { createBot } from '@tinbao/bot/bot';
import { createTestBotWorld, FakeTelegramChat, type TestBotWorld } from '@tinbao/bot/testing/test-bot';
import { TEXT } from '@tinbao/bot/tips/messages';
import { createStatusLookup } from '@tinbao/bot/tips/status';
import { createLogger, createOrgKeys, orgKeyPaths, parseConfig } from '@tinbao/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/processes';

let dataDir: string;
let api: ApiProcess | undefined;
let world: TestBotWorld;
let apiUrl: string;
let orgPublicKey: Uint8Array;

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
      createBot({ ...world.deps, statusLookup: createStatusLookup(apiUrl) }),
      620_000_001,
    );
    expect(await chat.text(`/trangthai ${tip.receiptCode.toLowerCase()}`)).toEqual([
      TEXT.status(tip.receiptCode, 'received'),
    ]);
    expect(await chat.text('/trangthai TB-00000-00000')).toEqual([TEXT.statusNotFound('TB-00000-00000')]);

    const unreachable = new FakeTelegramChat(
      createBot({ ...world.deps, statusLookup: createStatusLookup(`http://127.0.0.1:${await freePort()}`) }),
      620_000_002,
    );
    expect(await unreachable.text(`/trangthai ${tip.receiptCode}`)).toEqual([TEXT.statusUnavailable]);
  });
});
