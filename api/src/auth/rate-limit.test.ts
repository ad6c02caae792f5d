import { createLogger } from '@tinbao/shared';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { describe, expect, it } from 'vitest';
import { createRedis } from '../platform/redis';
import { LoginRateLimiter } from './rate-limit';

describe('LoginRateLimiter without Redis', () => {
  it('keeps limiting (in this process) and says so in the log', async () => {
    // Port 1: nothing listens, so every command fails at once (fast-fail client).
    const redis = createRedis('redis://127.0.0.1:1', 'fast-fail', 'rate-limit-test');
    const logs = createLogCapture();
    const logger = createLogger({ name: 'api', level: 'debug', destination: logs.stream });
    let now = 1_000_000;
    const limiter = new LoginRateLimiter(redis, 'test-down', 3, logger, () => now);
    try {
      for (let i = 0; i < 3; i++) {
        expect(await limiter.isBlocked('10.1.2.3')).toBe(false);
        await limiter.recordFailure('10.1.2.3');
      }
      expect(await limiter.isBlocked('10.1.2.3')).toBe(true);
      expect(await limiter.isBlocked('10.1.2.4')).toBe(false);
      expect(logs.text()).toContain('redis unavailable');
      expect(logs.text()).not.toContain('10.1.2.3');
      now += 15 * 60_000 + 1;
      expect(await limiter.isBlocked('10.1.2.3')).toBe(false);
    } finally {
      redis.disconnect();
    }
  });
});
