import type { Logger } from '@tinbao/shared';
import type { Redis } from 'ioredis';

export const LOGIN_WINDOW_MINUTES = 15;
// The in-process fallback forgets the oldest entries past this many keys (bounded memory).
const MAX_LOCAL_ENTRIES = 10_000;

/**
 * What the login defences count, each in a fixed 15-minute window that opens at its first
 * count:
 * - `address`: unsuccessful attempts from one client address (strangers only) → 429 past
 *   LOGIN_IP_FAILURE_LIMIT;
 * - `account`: failed passwords and codes for one username, from anywhere → a proof of work
 *   for strangers past LOGIN_POW_AFTER_FAILURES;
 * - `device`: failures from one known device → past the limit it is a stranger again (a
 *   stolen cookie buys five guesses).
 * Keys are HMACs (login-keys.ts), never addresses or usernames.
 */
export type LoginCounter = 'address' | 'account' | 'device';

/**
 * One Lua call: read the window (the app's clock decides, so tests can move it), add, write.
 * A window older than its length restarts at zero; the key's TTL only collects garbage.
 */
const ADD_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local delta = tonumber(ARGV[3])
local since = tonumber(redis.call('HGET', KEYS[1], 's') or '-1')
local count = 0
if since >= 0 and now >= since and now - since < window then
  count = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
else
  since = now
end
if delta == 0 then return count end
count = count + delta
if count < 0 then count = 0 end
redis.call('HSET', KEYS[1], 'n', count, 's', since)
redis.call('PEXPIRE', KEYS[1], window)
return count
`;

/**
 * The login counters, in Redis so every api process shares them. Counting happens before
 * the costly part (a password hash): `add` returns the count including this attempt, so of
 * 60 simultaneous guesses exactly as many as the limit allows go on, however they race. If
 * Redis is down the limits are not skipped: each process counts in memory until Redis answers
 * again (warned in the log).
 */
export class LoginGuard {
  private readonly local = new Map<string, { count: number; since: number }>();
  private readonly windowMs = LOGIN_WINDOW_MINUTES * 60_000;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  private key(counter: LoginCounter, hmac: string): string {
    return `${this.prefix}:login-${counter}:${hmac}`;
  }

  /** Adds `delta` (negative: an attempt that turned out not to be a failure) and returns the count. */
  async add(counter: LoginCounter, hmac: string, delta: number, now: Date): Promise<number> {
    const key = this.key(counter, hmac);
    try {
      return Number(await this.redis.eval(ADD_SCRIPT, 1, key, now.getTime(), this.windowMs, delta));
    } catch (error) {
      this.warn(error);
      return this.addLocal(key, delta, now.getTime());
    }
  }

  /** The count now, without adding. */
  count(counter: LoginCounter, hmac: string, now: Date): Promise<number> {
    return this.add(counter, hmac, 0, now);
  }

  /** Forgets a counter (a known device that logged in: its failures are over). */
  async reset(counter: LoginCounter, hmac: string): Promise<void> {
    const key = this.key(counter, hmac);
    this.local.delete(key);
    try {
      await this.redis.del(key);
    } catch (error) {
      this.warn(error);
    }
  }

  private addLocal(key: string, delta: number, now: number): number {
    let entry = this.local.get(key);
    if (!entry || now < entry.since || now - entry.since >= this.windowMs) entry = { count: 0, since: now };
    if (delta === 0) return entry.count;
    entry.count = Math.max(0, entry.count + delta);
    this.local.delete(key); // re-inserted last: the Map's order is oldest first
    this.local.set(key, entry);
    if (this.local.size > MAX_LOCAL_ENTRIES) {
      const oldest = this.local.keys().next().value;
      if (oldest !== undefined) this.local.delete(oldest);
    }
    return entry.count;
  }

  private warn(error: unknown): void {
    this.logger.warn(
      { err: (error as Error).message },
      'login limits: redis unavailable, counting in this process',
    );
  }
}
