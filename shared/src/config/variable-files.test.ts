import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from './env';
import { MAX_VARIABLE_FILE_BYTES, readVariableFiles } from './variable-files';
import { databaseUrlVariable, redisUrlVariable, secretKeyVariable } from './variables';

const dir = mkdtempSync(join(tmpdir(), 'tinbao-variable-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function secretFile(contents: string): string {
  const path = join(dir, `secret-${++fileCount}`);
  writeFileSync(path, contents, { mode: 0o600 });
  return path;
}

const schema = z.object({
  REDIS_URL: redisUrlVariable,
  DATABASE_URL: databaseUrlVariable.optional(),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456:ABC-DEF…')
    .optional(),
  TINBAO_MASTER_KEY: secretKeyVariable,
});
const fileVariables = ['REDIS_URL', 'DATABASE_URL', 'TELEGRAM_BOT_TOKEN', 'TINBAO_MASTER_KEY'] as const;
const masterKey = 'ab'.repeat(32);

describe('readVariableFiles', () => {
  it('reads NAME from NAME_FILE, dropping trailing line breaks only', () => {
    const files = readVariableFiles(
      {
        TELEGRAM_BOT_TOKEN_FILE: secretFile('123:abc\n'),
        DATABASE_URL_FILE: secretFile('postgres://app:pa ss@db/tinbao\r\n\n'),
        REDIS_URL: 'redis://redis:6379',
      },
      fileVariables,
    );
    expect(files.problems).toEqual([]);
    expect(files.env.TELEGRAM_BOT_TOKEN).toBe('123:abc');
    expect(files.env.DATABASE_URL).toBe('postgres://app:pa ss@db/tinbao');
    expect(files.env.REDIS_URL).toBe('redis://redis:6379');
    expect(files.readFrom.get('TELEGRAM_BOT_TOKEN')).toBe('TELEGRAM_BOT_TOKEN_FILE');
    expect(files.readFrom.has('REDIS_URL')).toBe(false);
  });

  it('ignores NAME_FILE for a name that is not in the list', () => {
    const files = readVariableFiles({ OTHER_FILE: join(dir, 'missing') }, fileVariables);
    expect(files.problems).toEqual([]);
    expect(files.env.OTHER).toBeUndefined();
  });

  it('refuses NAME and NAME_FILE set together, naming both', () => {
    const files = readVariableFiles(
      { TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_BOT_TOKEN_FILE: secretFile('2:b') },
      fileVariables,
    );
    expect(files.problems).toEqual([
      'TELEGRAM_BOT_TOKEN_FILE: set either TELEGRAM_BOT_TOKEN or TELEGRAM_BOT_TOKEN_FILE, not both',
    ]);
    expect(files.failed.has('TELEGRAM_BOT_TOKEN')).toBe(true);
  });

  it('names the variable and the path of a missing file', () => {
    const path = join(dir, 'no-such-secret');
    const files = readVariableFiles({ ZALO_BOT_TOKEN_FILE: path }, ['ZALO_BOT_TOKEN']);
    expect(files.problems).toEqual([`ZALO_BOT_TOKEN_FILE: cannot read ${path}: no such file`]);
  });

  it('names a folder given instead of a file', () => {
    const files = readVariableFiles({ ZALO_BOT_TOKEN_FILE: dir }, ['ZALO_BOT_TOKEN']);
    expect(files.problems).toEqual([`ZALO_BOT_TOKEN_FILE: cannot read ${dir}: is a folder, not a file`]);
  });

  it('says when the process may not read the file', () => {
    const denied = () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    const files = readVariableFiles({ ZALO_BOT_TOKEN_FILE: '/run/secrets/zalo' }, ['ZALO_BOT_TOKEN'], denied);
    expect(files.problems).toEqual([
      'ZALO_BOT_TOKEN_FILE: cannot read /run/secrets/zalo: permission denied (the file must be readable by the process user)',
    ]);
  });

  it('refuses a file too large to be a secret', () => {
    const path = secretFile('x'.repeat(MAX_VARIABLE_FILE_BYTES + 1));
    const files = readVariableFiles({ ZALO_BOT_TOKEN_FILE: path }, ['ZALO_BOT_TOKEN']);
    expect(files.problems).toEqual([`ZALO_BOT_TOKEN_FILE: ${path} is larger than 64 KiB: not a secret file`]);
    expect(files.env.ZALO_BOT_TOKEN).toBeUndefined();
  });

  it('leaves NAME unset for an empty file, as for an empty variable', () => {
    const files = readVariableFiles({ ZALO_BOT_TOKEN_FILE: secretFile('\n') }, ['ZALO_BOT_TOKEN']);
    expect(files.problems).toEqual([]);
    expect('ZALO_BOT_TOKEN' in files.env).toBe(false);
    expect(files.empty.has('ZALO_BOT_TOKEN')).toBe(true);
  });

  it('does not change the environment it was given', () => {
    const env = { ZALO_BOT_TOKEN_FILE: secretFile('1:a') };
    readVariableFiles(env, ['ZALO_BOT_TOKEN']);
    expect(env).toEqual({ ZALO_BOT_TOKEN_FILE: env.ZALO_BOT_TOKEN_FILE });
  });
});

describe('parseConfig with file variables', () => {
  it('validates a value read from a file with the same schema as the variable', () => {
    const result = parseConfig(
      schema,
      {
        REDIS_URL_FILE: secretFile('redis://:pw@redis:6379\n'),
        TINBAO_MASTER_KEY_FILE: secretFile(masterKey),
      },
      { fileVariables },
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.config.REDIS_URL).toBe('redis://:pw@redis:6379');
      expect(result.config.TINBAO_MASTER_KEY).toHaveLength(32);
    }
  });

  it('names the file a malformed value came from, without printing the value', () => {
    const result = parseConfig(
      schema,
      {
        REDIS_URL: 'redis://redis:6379',
        TINBAO_MASTER_KEY: masterKey,
        TELEGRAM_BOT_TOKEN_FILE: secretFile('not a token but a secret-ish-string\n'),
      },
      { fileVariables },
    );
    expect(result).toEqual({
      ok: false,
      problems: ['TELEGRAM_BOT_TOKEN: must look like 123456:ABC-DEF… (read from TELEGRAM_BOT_TOKEN_FILE)'],
    });
  });

  it('says a required value is missing when its file is empty', () => {
    const result = parseConfig(
      schema,
      { REDIS_URL: 'redis://redis:6379', TINBAO_MASTER_KEY_FILE: secretFile('') },
      { fileVariables },
    );
    expect(result).toEqual({
      ok: false,
      problems: ['TINBAO_MASTER_KEY: is required but not set (TINBAO_MASTER_KEY_FILE names an empty file)'],
    });
  });

  it('reports a file problem once, together with the other problems', () => {
    const missing = join(dir, 'missing-master-key');
    const result = parseConfig(
      schema,
      { TINBAO_MASTER_KEY_FILE: missing, DATABASE_URL: 'mysql://x' },
      { fileVariables },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(3);
    expect(result.problems[0]).toBe(`TINBAO_MASTER_KEY_FILE: cannot read ${missing}: no such file`);
    expect(result.problems.some((p) => p.startsWith('REDIS_URL: is required'))).toBe(true);
    expect(result.problems.some((p) => p.startsWith('DATABASE_URL:'))).toBe(true);
    expect(result.problems.some((p) => p.startsWith('TINBAO_MASTER_KEY:'))).toBe(false);
  });

  it('without fileVariables, NAME_FILE reads nothing (as before)', () => {
    const result = parseConfig(schema, {
      REDIS_URL: 'redis://redis:6379',
      TINBAO_MASTER_KEY_FILE: secretFile(masterKey),
    });
    expect(result.ok).toBe(false);
  });
});
