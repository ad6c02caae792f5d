import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@tinbao/shared/testing/listening';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureRedisPassword,
  localRedisUrl,
  pingRedis,
  redisPasswordFile,
  spawnRedisServer,
  waitForRedis,
} from './redis-server';

/** One command on a fresh connection; the error message when Redis refuses it. */
async function tryPing(url: string): Promise<string> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // A refused AUTH closes the connection: its reason arrives as an 'error' event.
  let refused: string | undefined;
  redis.on('error', (error: Error) => {
    refused ??= error.message;
  });
  try {
    await redis.connect();
    return await redis.ping();
  } catch (error) {
    return refused ?? (error as Error).message;
  } finally {
    redis.disconnect();
  }
}

describe('the redis-server npm start runs', () => {
  let keysDir: string;
  let server: ChildProcess;
  let port: number;
  let password: string;

  beforeAll(async () => {
    keysDir = await mkdtemp(join(tmpdir(), 'tinbao-redis-keys-'));
    password = await ensureRedisPassword(keysDir, 'queue');
    port = await freePort();
    server = spawnRedisServer({ port, password, settings: ['save ""', 'appendonly no'] });
    await waitForRedis(server, port, password);
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      await exited;
    }
    await rm(keysDir, { recursive: true, force: true });
  });

  it('keeps one generated password per server in the keys folder, owner-only, the same on every start', async () => {
    expect(password).toMatch(/^[0-9a-f]{64}$/);
    expect(await ensureRedisPassword(keysDir, 'queue')).toBe(password);
    const drafts = await ensureRedisPassword(keysDir, 'drafts');
    expect(drafts).not.toBe(password);
    const file = redisPasswordFile(keysDir, 'queue');
    expect(file.startsWith(`${keysDir}/`)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('requires the password: refused without it or with another, served with the URL the processes get', async () => {
    expect(await tryPing(`redis://127.0.0.1:${port}`)).toMatch(/NOAUTH/);
    expect(await tryPing(`redis://:${'0'.repeat(64)}@127.0.0.1:${port}`)).toMatch(/WRONGPASS|invalid/i);
    expect(await pingRedis(port, 'not-the-password')).toBe(false);
    expect(await tryPing(localRedisUrl(port, password))).toBe('PONG');
  });

  it('shows the password in no command line: it comes on standard input', async () => {
    const commandLine = await readFile(`/proc/${server.pid}/cmdline`, 'utf8').catch(() => undefined);
    if (commandLine === undefined) return; // no /proc here
    expect(commandLine).not.toContain(password);
  });
});
