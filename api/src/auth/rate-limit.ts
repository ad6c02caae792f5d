import { createHash } from 'node:crypto';
import type { Logger } from '@tinbao/shared';
import type { Redis } from 'ioredis';

const WINDOW_SECONDS = 15 * 60;

/**
 * Failed logins per client IP in a fixed 15-minute window, in Redis so every api process
 * shares the count. The per-account lockout lives in PostgreSQL; this one stops one client
 * from trying many accounts. If Redis is down the check lets the request through (the
 * account lockout still holds) rather than locking every staff member out.
 */
export class LoginRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limit: number,
    private readonly logger: Logger,
  ) {}

  private key(ip: string): string {
    // The IP is hashed: Redis keys show up in monitoring and dumps.
    const digest = createHash('sha256').update(ip).digest('hex').slice(0, 32);
    return `${this.prefix}:login-failures:${digest}`;
  }

  async isBlocked(ip: string): Promise<boolean> {
    try {
      const count = await this.redis.get(this.key(ip));
      return Number(count ?? 0) >= this.limit;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'login rate limit unavailable (redis)');
      return false;
    }
  }

  async recordFailure(ip: string): Promise<void> {
    const key = this.key(ip);
    try {
      await this.redis.multi().incr(key).expire(key, WINDOW_SECONDS, 'NX').exec();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'login rate limit unavailable (redis)');
    }
  }
}
