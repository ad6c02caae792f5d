import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@tinbao/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_FILE_VARIABLES, ApiConfigSchema, databaseUrlsOf, withPassword } from './config';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tinbao-api-config-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function secret(name: string, value: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${value}\n`, { mode: 0o600 });
  return path;
}

describe('api configuration from secret files', () => {
  it('reads the master key, the bot token, Redis and both database roles from *_FILE variables', async () => {
    const result = parseConfig(
      ApiConfigSchema,
      {
        DATABASE_URL: 'postgres://tinbao_app@postgres:5432/tinbao',
        DATABASE_PASSWORD_FILE: await secret('app-password', 'app pass/word?'),
        DATABASE_MIGRATION_URL: 'postgres://tinbao_owner@postgres:5432/tinbao',
        DATABASE_MIGRATION_PASSWORD_FILE: await secret('owner-password', 'owner-pw'),
        REDIS_URL_FILE: await secret('redis-url', 'redis://api:pw@redis:6379'),
        TINBAO_MASTER_KEY_FILE: await secret('master-key', 'cd'.repeat(32)),
        TINBAO_BOT_API_TOKEN_FILE: await secret('bot-api-token', 't'.repeat(40)),
      },
      { fileVariables: API_FILE_VARIABLES },
    );
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    expect(result.config.TINBAO_MASTER_KEY).toHaveLength(32);
    expect(result.config.TINBAO_BOT_API_TOKEN).toBe('t'.repeat(40));
    expect(result.config.REDIS_URL).toBe('redis://api:pw@redis:6379');
    const urls = databaseUrlsOf(result.config);
    expect(urls).toEqual({
      url: 'postgres://tinbao_app:app%20pass%2Fword%3F@postgres:5432/tinbao',
      migrationUrl: 'postgres://tinbao_owner:owner-pw@postgres:5432/tinbao',
    });
    expect(decodeURIComponent(new URL(urls!.url).password)).toBe('app pass/word?');
  });

  it('names a missing master key file and a password without its URL', async () => {
    const result = parseConfig(
      ApiConfigSchema,
      {
        REDIS_URL: 'redis://redis:6379',
        TINBAO_MASTER_KEY_FILE: join(dir, 'no-master-key'),
        DATABASE_PASSWORD_FILE: await secret('orphan-password', 'pw'),
      },
      { fileVariables: API_FILE_VARIABLES },
    );
    expect(result.ok ? [] : result.problems).toEqual([
      `TINBAO_MASTER_KEY_FILE: cannot read ${join(dir, 'no-master-key')}: no such file`,
      'DATABASE_PASSWORD: is set but DATABASE_URL is not (read from DATABASE_PASSWORD_FILE)',
    ]);
  });

  it('needs the app role URL beside the owner URL', () => {
    const result = parseConfig(ApiConfigSchema, {
      REDIS_URL: 'redis://redis:6379',
      TINBAO_MASTER_KEY: 'cd'.repeat(32),
      DATABASE_MIGRATION_URL: 'postgres://owner@postgres/tinbao',
    });
    expect(result.ok ? [] : result.problems).toEqual([
      'DATABASE_URL: is required when DATABASE_MIGRATION_URL is set (the app role the api works as)',
    ]);
  });

  it('keeps a URL as it is without a separate password', () => {
    expect(withPassword('postgres://app:inline@db/tinbao', undefined)).toBe(
      'postgres://app:inline@db/tinbao',
    );
    expect(databaseUrlsOf({ DATABASE_URL: undefined })).toBeUndefined();
  });

  it('trusts no proxy unless told, takes compose’s one hop, and refuses true', () => {
    const base = { REDIS_URL: 'redis://redis:6379', TINBAO_MASTER_KEY: 'cd'.repeat(32) };
    const none = parseConfig(ApiConfigSchema, base);
    const hop = parseConfig(ApiConfigSchema, { ...base, TRUST_PROXY: '1' });
    const any = parseConfig(ApiConfigSchema, { ...base, TRUST_PROXY: 'true' });
    expect(none.ok && none.config.TRUST_PROXY).toBe(false);
    expect(hop.ok && hop.config.TRUST_PROXY).toBe(1);
    expect(any.ok ? [] : any.problems).toEqual([expect.stringMatching(/^TRUST_PROXY: true would trust any/)]);
  });
});
