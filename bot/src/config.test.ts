import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrgKeys, orgKeyPaths, parseConfig } from '@tinbao/shared';
import { describe, expect, it } from 'vitest';
import { BotConfigSchema } from './config';
import { loadBotSecrets } from './secrets';

describe('bot configuration', () => {
  it('lists every problem at once, in plain English', () => {
    const result = parseConfig(BotConfigSchema, {
      TELEGRAM_BOT_TOKEN: 'not a token',
      TINBAO_BOT_PEPPER: 'short',
      TINBAO_BOT_API_TOKEN: 'too-short',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        'TELEGRAM_BOT_TOKEN: must look like 123456:ABC-DEF…',
        'REDIS_URL: is required but not set',
        'TINBAO_BOT_PEPPER: must be 32 bytes as 64 hex characters or base64',
        'TINBAO_BOT_API_TOKEN: must be at least 32 characters',
      ]),
    );
  });

  it('requires the secret token with a webhook', () => {
    const result = parseConfig(BotConfigSchema, {
      TELEGRAM_BOT_TOKEN: '123:abc',
      REDIS_URL: 'redis://127.0.0.1:6379',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram',
    });
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringMatching(/^TELEGRAM_WEBHOOK_SECRET: is required when TELEGRAM_WEBHOOK_URL is set/),
    ]);
  });

  it('defaults to long polling, prefix tinbao and ./data', () => {
    const result = parseConfig(BotConfigSchema, {
      TELEGRAM_BOT_TOKEN: '123:abc',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(result.ok && result.config).toMatchObject({
      REDIS_PREFIX: 'tinbao',
      DATA_DIR: './data',
      LOG_LEVEL: 'info',
    });
    expect(result.ok && result.config.TELEGRAM_WEBHOOK_URL).toBeUndefined();
  });

  it('creates the bot secrets once (0600) and reads the org public key only', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tinbao-bot-secrets-'));
    try {
      const publicKey = await createOrgKeys(orgKeyPaths(`${dataDir}/keys`), new Uint8Array(32).fill(1));
      const first = await loadBotSecrets({ DATA_DIR: dataDir });
      const second = await loadBotSecrets({ DATA_DIR: dataDir });
      expect(first.orgPublicKey).toEqual(publicKey);
      expect(second).toEqual(first);
      expect(first.relayPublicKey).toHaveLength(32);
      expect((await stat(`${dataDir}/bot-keys/pepper.key`)).mode & 0o777).toBe(0o600);
      expect(Object.keys(first)).not.toContain('orgPrivateKey');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
