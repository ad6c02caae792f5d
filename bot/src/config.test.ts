import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrgKeys, orgKeyPaths, parseConfig } from '@tinbao/shared';
import { describe, expect, it } from 'vitest';
import { BOT_FILE_VARIABLES, BotConfigSchema } from './config';
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

  it('reads its secrets and the org public key from *_FILE variables (Docker secrets)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tinbao-bot-files-'));
    try {
      const publicKey = await createOrgKeys(orgKeyPaths(`${dir}/keys`), new Uint8Array(32).fill(2));
      const files = {
        TELEGRAM_BOT_TOKEN: '123:telegram-token',
        TELEGRAM_WEBHOOK_SECRET: 'telegram-webhook-secret-0123456789',
        ZALO_BOT_TOKEN: '456:zalo-token',
        ZALO_WEBHOOK_SECRET: 'zalo-webhook-secret',
        TINBAO_BOT_API_TOKEN: 'b'.repeat(43),
        REDIS_URL: 'redis://gateway:pw@redis:6379',
      };
      const env: Record<string, string> = {
        TELEGRAM_WEBHOOK_URL: 'https://tinbao.example.vn/webhook/telegram',
        ZALO_WEBHOOK_URL: 'https://tinbao.example.vn/webhook/zalo',
        TINBAO_ORG_PUBLIC_KEY_FILE: orgKeyPaths(`${dir}/keys`).publicKeyFile,
      };
      for (const [name, value] of Object.entries(files)) {
        await writeFile(`${dir}/${name}`, `${value}\n`, { mode: 0o600 });
        env[`${name}_FILE`] = `${dir}/${name}`;
      }
      const result = parseConfig(BotConfigSchema, env, { fileVariables: BOT_FILE_VARIABLES });
      expect(result.ok ? [] : result.problems).toEqual([]);
      if (!result.ok) return;
      expect(result.config).toMatchObject(files);
      expect(result.config.TINBAO_ORG_PUBLIC_KEY).toEqual(publicKey);
      // The wrapped private key beside it is never read.
      expect(await readFile(orgKeyPaths(`${dir}/keys`).wrappedPrivateKeyFile, 'utf8')).toContain('wrapped');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a token given both inline and as a file', () => {
    const result = parseConfig(
      BotConfigSchema,
      {
        REDIS_URL: 'redis://127.0.0.1:6379',
        ZALO_BOT_TOKEN: '1:a',
        ZALO_BOT_TOKEN_FILE: '/run/secrets/zalo',
      },
      { fileVariables: BOT_FILE_VARIABLES },
    );
    expect(result.ok ? [] : result.problems).toEqual([
      'ZALO_BOT_TOKEN_FILE: set either ZALO_BOT_TOKEN or ZALO_BOT_TOKEN_FILE, not both',
    ]);
  });
});
