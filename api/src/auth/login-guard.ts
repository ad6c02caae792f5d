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

// The window counter in Lua: read the window (the app's clock decides, so tests can move it),
// add, write. A window older than its length restarts at zero; the key's TTL only collects
// garbage.
const WINDOW_LUA = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local function add(key, delta)
  local since = tonumber(redis.call('HGET', key, 's') or '-1')
  local count = 0
  if since >= 0 and now >= since and now - since < window then
    count = tonumber(redis.call('HGET', key, 'n') or '0')
  else
    since = now
  end
  if delta == 0 then return count end
  count = count + delta
  if count < 0 then count = 0 end
  redis.call('HSET', key, 'n', count, 's', since)
  redis.call('PEXPIRE', key, window)
  return count
end
`;

/** KEYS: the counters; ARGV[3]: the delta for each. Returns the last count. */
const ADD_SCRIPT = `${WINDOW_LUA}
local last = 0
for _, key in ipairs(KEYS) do last = add(key, tonumber(ARGV[3])) end
return last
`;

/** `LoginGuard.admit` in one round trip; `admitWith` below is the same decision in JavaScript. */
const ADMIT_SCRIPT = `${WINDOW_LUA}
local has_device, device_limit, count_address, ip_limit, paid, must_pay, pow_after =
  tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]),
  tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local known = 0
if has_device == 1 and add(KEYS[3], 0) < device_limit then known = 1 end
if known == 0 and count_address == 1 and add(KEYS[1], 1) > ip_limit then return {1, 0, 0} end
if known == 0 and paid == 0 and must_pay == 1 then return {2, 0, 0} end
local failures = add(KEYS[2], 1)
if known == 0 and paid == 0 and failures > pow_after then
  add(KEYS[2], -1)
  return {2, 0, failures - 1}
end
if known == 1 then add(KEYS[3], 1) end
return {0, known, failures}
`;

/** What `admit` decides about one password attempt, before any hash. */
export interface AdmissionRequest {
  /** HMAC keys (login-keys.ts). */
  address: string;
  account: string;
  /** The device cookie's key, when the cookie names this account. */
  device?: string;
  /** False when the address was counted already (a paid attempt counts it before its proof is checked). */
  countAddress: boolean;
  /** A checked proof of work comes with the attempt. */
  paid: boolean;
  /** Strangers must pay whatever the account's count (the hashing pool is under pressure). */
  mustPay: boolean;
  ipLimit: number;
  powAfter: number;
  deviceLimit: number;
}

export type Admission =
  | { verdict: 'go'; known: boolean; failures: number }
  | { verdict: 'rate_limited' | 'proof_required'; known: false; failures: number };

const VERDICTS = ['go', 'rate_limited', 'proof_required'] as const;

/** The scripts as ioredis commands (defineCommand): sent by SHA after the first call. */
interface ScriptedRedis {
  /** numberOfKeys first (the add script takes any number of counters). */
  tinbaoLoginAdd(...args: Array<string | number>): Promise<number>;
  tinbaoLoginAdmit(...args: Array<string | number>): Promise<[number, number, number]>;
}

/**
 * The decision, over any counter store: a device that names this account and failed less than
 * `deviceLimit` times is known and skips the rest but its own count; a stranger's address is
 * counted (past `ipLimit`: refused); the account's failures are counted, and past `powAfter`
 * (or under `mustPay`) a stranger who did not pay is refused and that count taken back.
 */
async function admitWith(
  add: (key: string, delta: number) => Promise<number>,
  request: AdmissionRequest,
): Promise<Admission> {
  const known = request.device !== undefined && (await add(request.device, 0)) < request.deviceLimit;
  if (!known && request.countAddress && (await add(request.address, 1)) > request.ipLimit) {
    return { verdict: 'rate_limited', known: false, failures: 0 };
  }
  if (!known && !request.paid && request.mustPay)
    return { verdict: 'proof_required', known: false, failures: 0 };
  const failures = await add(request.account, 1);
  if (!known && !request.paid && failures > request.powAfter) {
    await add(request.account, -1);
    return { verdict: 'proof_required', known: false, failures: failures - 1 };
  }
  if (known && request.device) await add(request.device, 1);
  return { verdict: 'go', known, failures };
}

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
  ) {
    // EVALSHA, not EVAL: under a flood, sending the scripts' text with every call was an
    // eighth of the api's CPU. ioredis loads them again on NOSCRIPT (a Redis restart).
    if (!(redis as Partial<ScriptedRedis>).tinbaoLoginAdd) {
      redis.defineCommand('tinbaoLoginAdd', { lua: ADD_SCRIPT });
      redis.defineCommand('tinbaoLoginAdmit', { numberOfKeys: 3, lua: ADMIT_SCRIPT });
    }
  }

  private get scripts(): ScriptedRedis {
    return this.redis as unknown as ScriptedRedis;
  }

  private key(counter: LoginCounter, hmac: string): string {
    return `${this.prefix}:login-${counter}:${hmac}`;
  }

  /** Adds `delta` (negative: an attempt that turned out not to be a failure) and returns the count. */
  async add(counter: LoginCounter, hmac: string, delta: number, now: Date): Promise<number> {
    return this.addAll([[counter, hmac]], delta, now);
  }

  /** Adds `delta` to each counter in one round trip (taking back what an attempt counted). */
  async addAll(
    counters: ReadonlyArray<readonly [LoginCounter, string]>,
    delta: number,
    now: Date,
  ): Promise<number> {
    if (counters.length === 0) return 0;
    const keys = counters.map(([counter, hmac]) => this.key(counter, hmac));
    try {
      return Number(
        await this.scripts.tinbaoLoginAdd(keys.length, ...keys, now.getTime(), this.windowMs, delta),
      );
    } catch (error) {
      this.warn(error);
      let last = 0;
      for (const key of keys) last = this.addLocal(key, delta, now.getTime());
      return last;
    }
  }

  /**
   * Counts one password attempt before its hash, in one round trip (under a flood every
   * round trip of a refusal is event-loop time the owner's login waits for): see admitWith.
   */
  async admit(request: AdmissionRequest, now: Date): Promise<Admission> {
    const keyed = {
      ...request,
      address: this.key('address', request.address),
      account: this.key('account', request.account),
      ...(request.device ? { device: this.key('device', request.device) } : {}),
    };
    try {
      const [verdict, known, failures] = (await this.scripts.tinbaoLoginAdmit(
        keyed.address,
        keyed.account,
        keyed.device ?? keyed.account,
        now.getTime(),
        this.windowMs,
        keyed.device ? 1 : 0,
        request.deviceLimit,
        request.countAddress ? 1 : 0,
        request.ipLimit,
        request.paid ? 1 : 0,
        request.mustPay ? 1 : 0,
        request.powAfter,
      )) as [number, number, number];
      return {
        verdict: VERDICTS[verdict] as Admission['verdict'],
        known: known === 1,
        failures,
      } as Admission;
    } catch (error) {
      this.warn(error);
      return admitWith(async (key, delta) => this.addLocal(key, delta, now.getTime()), keyed);
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
