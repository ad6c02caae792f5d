import { createLogger } from '@tinbao/shared';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { createTestRedisPrefix, deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../platform/redis';
import { type AdmissionRequest, LOGIN_WINDOW_MINUTES, LoginGuard } from './login-guard';

const minutes = (n: number) => n * 60_000;

const admission = (overrides: Partial<AdmissionRequest>): AdmissionRequest => ({
  address: 'addr',
  account: 'acct',
  countAddress: true,
  paid: false,
  mustPay: false,
  ipLimit: 3,
  powAfter: 2,
  deviceLimit: 2,
  ...overrides,
});

/** The same story for both stores: strangers counted, then refused; a known device let through. */
async function admissionStory(guard: LoginGuard, tag: string) {
  const now = new Date();
  const request = (overrides: Partial<AdmissionRequest>) =>
    admission({ address: `addr-${tag}`, account: `acct-${tag}`, ...overrides });
  const verdicts = [];
  for (let i = 0; i < 4; i++)
    verdicts.push((await guard.admit(request({ address: `addr-${tag}-${i}` }), now)).verdict);
  // Two failures allowed, then a proof of work; the refused ones are no failures of the account.
  expect(verdicts).toEqual(['go', 'go', 'proof_required', 'proof_required']);
  expect(await guard.count('account', `acct-${tag}`, now)).toBe(2);
  // A paying stranger goes on; under pressure an unpaid one is refused whatever the count.
  expect(await guard.admit(request({ paid: true, countAddress: false }), now)).toMatchObject({
    verdict: 'go',
    failures: 3,
  });
  expect((await guard.admit(request({ account: `other-${tag}`, mustPay: true }), now)).verdict).toBe(
    'proof_required',
  );
  // One address (counted once already, by the refused attempt above): three attempts, then 429.
  const fromOne = [];
  for (let i = 0; i < 4; i++)
    fromOne.push((await guard.admit(request({ account: `spray-${tag}-${i}` }), now)).verdict);
  expect(fromOne).toEqual(['go', 'go', 'rate_limited', 'rate_limited']);
  // The known device: not refused for its address nor for the account; its own failures count.
  const device = request({ device: `device-${tag}` });
  expect(await guard.admit(device, now)).toMatchObject({ verdict: 'go', known: true });
  expect(await guard.admit(device, now)).toMatchObject({ verdict: 'go', known: true });
  // Two failures of its own: a stranger again.
  expect(await guard.admit(device, now)).toMatchObject({ verdict: 'rate_limited', known: false });
}

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

  it('admits in one round trip: strangers counted, then refused; a known device let through', async () => {
    await admissionStory(guard, 'redis');
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
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys).toContain(`${prefix}:login-account:a1`);
    expect(keys).toContain(`${prefix}:login-device:c1`);
    expect(keys).not.toContain(`${prefix}:login-address:b1`);
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
