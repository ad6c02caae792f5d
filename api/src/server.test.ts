import { createLogger } from '@tinbao/shared';
import { freePort, listeningAddresses } from '@tinbao/shared/testing/listening';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiConfigSchema } from './config';
import { createApiScratch } from './platform/test-scratch';
import { startApiProcess } from './server';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('where the api listens', () => {
  it('on 127.0.0.1 only by default (read from /proc/net/tcp and tcp6, as ss -ltn does)', async () => {
    const { dataDir, masterKey, prefix } = await createApiScratch('listen', { postgres: false }, cleanups);
    const port = await freePort();
    // The defaults, but for what has none (Redis, the master key) and what would cost seconds
    // and say nothing here (3,321 communes): PGlite in DATA_DIR, no HOST, no TRUST_PROXY.
    const config = ApiConfigSchema.parse({
      PORT: String(port),
      DATA_DIR: dataDir,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: prefix,
      TINBAO_MASTER_KEY: masterKey.toString('hex'),
      SEED_ADMIN_UNITS: 'false',
    });
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.TRUST_PROXY).toBe(false);
    const logs = createLogCapture();
    const api = await startApiProcess(
      config,
      createLogger({ name: 'api', level: 'info', destination: logs.stream }),
    );
    cleanups.push(() => api.close());

    expect(await listeningAddresses(port)).toEqual(['127.0.0.1']);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(logs.text()).toContain('"host":"127.0.0.1"');
  });
});
