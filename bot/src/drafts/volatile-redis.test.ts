import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertVolatileRedis, PersistentDraftRedis } from './volatile-redis';

// A redis-server of the test's own that keeps an append-only file, beside the machine's (which keeps nothing).
let persistent: ChildProcess;
let dir: string;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tinbao-aof-'));
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  persistent = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--save',
    '',
    '--daemonize',
    'no',
  ]);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    persistent.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    persistent.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
});

afterAll(async () => {
  persistent?.kill('SIGTERM');
  if (persistent && persistent.exitCode === null) await once(persistent, 'exit');
  await rm(dir, { recursive: true, force: true });
});

describe('the drafts Redis', () => {
  it('is accepted when it keeps nothing on disk', async () => {
    const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
    try {
      await redis.connect();
      await expect(assertVolatileRedis(redis)).resolves.toBeUndefined();
    } finally {
      redis.disconnect();
    }
  });

  it('is refused, saying why and what to do, when it keeps an append-only file', async () => {
    const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
    try {
      await redis.connect();
      const refusal = await assertVolatileRedis(redis).catch((error: Error) => error);
      expect(refusal).toBeInstanceOf(PersistentDraftRedis);
      expect((refusal as Error).message).toMatch(
        /persists to disk \(appendonly yes.*--save "" --appendonly no/,
      );
      // RDB snapshots are refused too.
      await redis.call('CONFIG', 'SET', 'appendonly', 'no');
      await redis.call('CONFIG', 'SET', 'save', '3600 1');
      await expect(assertVolatileRedis(redis)).rejects.toThrow(/save "3600 1"/);
    } finally {
      redis.disconnect();
    }
  });
});
