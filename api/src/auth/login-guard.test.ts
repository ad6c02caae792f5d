import { createLogger } from '@tinbao/shared';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { createTestRedisPrefix, deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../platform/redis';
import { LOGIN_WINDOW_MINUTES, LoginGuard } from './login-guard';

const minutes = (n: number) => n * 60_000;

describe('LoginGuard on Redis', () => {
  const redis = createRedis('redis://127.0.0.1:6379', 'fast-fail', 'login-guard-test');
  const prefix = createTestRedisPrefix('test-guard');
  const logs = createLogCapture();
  const guard = new LoginGuard(
    redis,
    prefix,
    createLogger({ name: 'api', level: 'debug', destination: logs.stream }),
  );
  beforeAll(async () => {
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  });
  afterAll(async () => {
    // Counted in Redis, never in the fallback.
    expect(logs.text()).not.toContain('redis unavailable');
    await deleteRedisPrefix(redis, prefix);
    redis.disconnect();
  });

  it('counts before the costly part: 60 simultaneous adds see 1…60, each once', async () => {
    const now = new Date();
    const seen = await Promise.all(Array.from({ length: 60 }, () => guard.add('account', 'a1', 1, now)));
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(await guard.add('account', 'a1', -1, now)).toBe(59);
    expect(await guard.count('account', 'a1', now)).toBe(59);
    // Counters are apart: another kind, another key.
    expect(await guard.count('address', 'a1', now)).toBe(0);
    expect(await guard.count('account', 'a2', now)).toBe(0);
  });

  it('follows the app clock: the window restarts after its length', async () => {
    const start = new Date();
    await guard.add('address', 'b1', 3, start);
    expect(
      await guard.count('address', 'b1', new Date(start.getTime() + minutes(LOGIN_WINDOW_MINUTES) - 1)),
    ).toBe(3);
    const later = new Date(start.getTime() + minutes(LOGIN_WINDOW_MINUTES));
    expect(await guard.count('address', 'b1', later)).toBe(0);
    expect(await guard.add('address', 'b1', 1, later)).toBe(1);
    await guard.reset('address', 'b1');
    expect(await guard.count('address', 'b1', later)).toBe(0);
    // Keys carry the HMAC given, under the prefix; never below zero.
    expect(await guard.add('device', 'c1', -5, later)).toBe(0);
    expect((await redis.keys(`${prefix}:*`)).sort()).toEqual([
      `${prefix}:login-account:a1`,
      `${prefix}:login-device:c1`,
    ]);
  });
});

describe('LoginGuard without Redis', () => {
  it('keeps counting (in this process) and says so in the log', async () => {
    // Port 1: nothing listens, so every command fails at once (fast-fail client).
    const redis = createRedis('redis://127.0.0.1:1', 'fast-fail', 'login-guard-test');
    const logs = createLogCapture();
    const logger = createLogger({ name: 'api', level: 'debug', destination: logs.stream });
    const guard = new LoginGuard(redis, 'test-down', logger);
    const now = new Date();
    try {
      for (let i = 1; i <= 3; i++) expect(await guard.add('address', 'k1', 1, now)).toBe(i);
      expect(await guard.count('address', 'k1', now)).toBe(3);
      expect(await guard.count('address', 'k2', now)).toBe(0);
      expect(logs.text()).toContain('redis unavailable');
      expect(
        await guard.count('address', 'k1', new Date(now.getTime() + minutes(LOGIN_WINDOW_MINUTES) + 1)),
      ).toBe(0);
    } finally {
      redis.disconnect();
    }
  });
});
