import { createHash } from 'node:crypto';
import type { Logger } from '@tinbao/shared';
import type { Redis } from 'ioredis';

const WINDOW_SECONDS = 15 * 60;
// The in-process fallback forgets the oldest entries past this many addresses (bounded memory).
const MAX_LOCAL_ENTRIES = 10_000;

/**
 * Failed logins per client IP in a fixed 15-minute window, in Redis so every api process
 * shares the count. It stops one client from trying many accounts; the per-account and
 * per-(account, client) lockouts live in PostgreSQL. If Redis is down the limit is not
 * skipped: each process counts in memory until Redis answers again (warned in the log).
 */
export class LoginRateLimiter {
  private readonly local = new Map<string, { count: number; expiresAt: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limit: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  private key(ip: string): string {
    // The IP is hashed: Redis keys show up in monitoring and dumps.
    const digest = createHash('sha256').update(ip).digest('hex').slice(0, 32);
    return `${this.prefix}:login-failures:${digest}`;
  }

  private localCount(key: string): number {
    const entry = this.local.get(key);
    if (!entry) return 0;
    if (entry.expiresAt <= this.now()) {
      this.local.delete(key);
      return 0;
    }
    return entry.count;
  }

  private warn(error: unknown): void {
    this.logger.warn(
      { err: (error as Error).message },
      'login rate limit: redis unavailable, counting failures in this process',
    );
  }

  async isBlocked(ip: string): Promise<boolean> {
    const key = this.key(ip);
    let shared = 0;
    try {
      shared = Number((await this.redis.get(key)) ?? 0);
    } catch (error) {
      this.warn(error);
    }
    return Math.max(shared, this.localCount(key)) >= this.limit;
  }

  async recordFailure(ip: string): Promise<void> {
    const key = this.key(ip);
    try {
      await this.redis.multi().incr(key).expire(key, WINDOW_SECONDS, 'NX').exec();
    } catch (error) {
      this.warn(error);
      const count = this.localCount(key);
      const expiresAt = this.local.get(key)?.expiresAt ?? this.now() + WINDOW_SECONDS * 1000;
      this.local.delete(key); // re-inserted last: the Map's order is oldest first
      this.local.set(key, { count: count + 1, expiresAt });
      if (this.local.size > MAX_LOCAL_ENTRIES) {
        const oldest = this.local.keys().next().value;
        if (oldest !== undefined) this.local.delete(oldest);
      }
    }
  }
}
