import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrgKeys, orgKeyPaths } from '@tinbao/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startPrivateRedis, startTsProcess } from '../support/processes';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Polls an outside state (an HTTP status) until it holds, failing after the deadline. */
async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`condition not reached within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}

describe('api process configuration', () => {
  it('names every missing or malformed variable on its own line and exits with 1, no stack trace', async () => {
    const api = startTsProcess('api/src/main.ts', {
      PORT: 'eighty',
      DATABASE_URL: 'mysql://somewhere/tinbao',
      TINBAO_MASTER_KEY: 'too-short',
      JOB_LOCK_MS: '5',
    });
    const { code } = await api.exited;
    expect(code).toBe(1);
    const lines = api
      .output()
      .split('\n')
      .filter((line) => line.includes('configuration error'));
    const named = lines.map((line) => line.replace(/^tinbao api: configuration error: /, '').split(':')[0]);
    expect(named.sort()).toEqual(['DATABASE_URL', 'JOB_LOCK_MS', 'PORT', 'REDIS_URL', 'TINBAO_MASTER_KEY']);
    expect(lines.find((line) => line.includes('REDIS_URL'))).toContain('required');
    expect(api.output()).not.toMatch(/\n\s+at /);
  });

  it('refuses a master key that does not unwrap the organisation key, in one line', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tinbao-key-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    await createOrgKeys(orgKeyPaths(`${dataDir}/keys`), randomBytes(32));
    const api = startTsProcess('api/src/main.ts', {
      DATA_DIR: dataDir,
      REDIS_URL: 'redis://127.0.0.1:6379',
      TINBAO_MASTER_KEY: randomBytes(32).toString('base64'),
    });
    expect((await api.exited).code).toBe(1);
    expect(api.output()).toContain('the master key does not unwrap the organisation key');
  });
});

describe('GET /healthz and /metrics', () => {
  it('answers 503 while Redis is down and 200 again once it is back, without a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tinbao-health-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const masterKey = randomBytes(32);
    await createOrgKeys(orgKeyPaths(`${dataDir}/keys`), masterKey);
    let redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const port = await freePort();
    const api = startTsProcess('api/src/main.ts', {
      DATA_DIR: dataDir,
      PORT: String(port),
      REDIS_URL: redis.url,
      TINBAO_MASTER_KEY: masterKey.toString('hex'),
      LOG_LEVEL: 'info',
    });
    cleanups.push(() => api.kill('SIGKILL'));
    await api.waitForOutput(/api listening/, 90_000);
    const health = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      return {
        status: response.status,
        body: (await response.json()) as { redis: { ok: boolean }; database: { ok: boolean } },
      };
    };

    expect(await health()).toMatchObject({
      status: 200,
      body: { ok: true, database: { ok: true, engine: 'pglite' }, redis: { ok: true } },
    });

    await redis.stop();
    const down = await eventually(health, (h) => h.status === 503);
    expect(down.body).toMatchObject({ ok: false, database: { ok: true }, redis: { ok: false } });

    redis = await startPrivateRedis(redis.port);
    const back = await eventually(health, (h) => h.status === 200);
    expect(back.body).toMatchObject({ ok: true, redis: { ok: true } });
    expect(api.child.exitCode).toBeNull();

    // The process's counters, in Prometheus text (counts only).
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toMatch(/# TYPE tinbao_intake_refused_total counter/);

    const stopped = await api.kill('SIGTERM');
    expect(stopped.code).toBe(0);
  }, 180_000);
});

describe('npm run tinbao -- keys init', () => {
  it('creates the key pair once (0600, master key file), prints the public key, refuses to overwrite', async () => {
    const { stat } = await import('node:fs/promises');
    const dataDir = await mkdtemp(join(tmpdir(), 'tinbao-cli-keys-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const first = startTsProcess('api/src/cli/main.ts', { DATA_DIR: dataDir }, ['keys', 'init']);
    expect((await first.exited).code).toBe(0);
    expect(first.output()).toMatch(/organisation public key: [A-Za-z0-9+/]{43}=/);
    const paths = orgKeyPaths(`${dataDir}/keys`);
    expect((await stat(paths.wrappedPrivateKeyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(`${dataDir}/keys/master.key`)).mode & 0o777).toBe(0o600);

    const again = startTsProcess('api/src/cli/main.ts', { DATA_DIR: dataDir }, ['keys', 'init']);
    expect((await again.exited).code).toBe(1);
    expect(again.output()).toContain('refusing to replace the key');

    const ifMissing = startTsProcess('api/src/cli/main.ts', { DATA_DIR: dataDir }, [
      'keys',
      'init',
      '--if-missing',
    ]);
    expect((await ifMissing.exited).code).toBe(0);
  });
});
