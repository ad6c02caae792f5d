import { createHash } from 'node:crypto';
import { getSodium, solveProofOfWork } from '@tinbao/shared';
import { type ProofOfWork, ProofOfWorkRequiredSchema } from '@tinbao/shared/api/auth';
import { and, eq } from 'drizzle-orm';
import type { Express } from 'express';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, loginFailures, users } from '../platform/schema';
import { ENGINES } from '../platform/test-database';
import { DEVICE_COOKIE } from './device-cookie';
import { loginKeysOf } from './login-keys';
import { MAX_CONSECUTIVE_FAILURES } from './service';
import { type AuthHarness, createAuthHarness } from './test-harness';
import { createTestUser, type TestAgent, type TestUser, totpCode } from './testing';

const INVALID = { ok: false, error: 'invalid_credentials', message: 'wrong username, password or code' };

const deviceCookieOf = (setCookie: string | string[] | undefined): string => {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const cookie = all.find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
  if (!cookie) throw new Error('no device cookie in the response');
  return cookie;
};

const sodium = await getSodium();
/** The client's side of the proof of work, as the UI's worker does it (bits are 4 in these tests). */
const solve = (pow: ProofOfWork) =>
  solveProofOfWork(pow, (input, salt, opslimit, memlimit) =>
    sodium.crypto_pwhash(32, input, salt, opslimit, memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13),
  );

describe.each(ENGINES)('login defences on %s', (engine) => {
  let h: AuthHarness;
  let ip = 0;
  /** A new client address each call: an attacker rotating addresses. */
  const nextIp = () => `10.${100 + (engine === 'pglite' ? 0 : 50)}.${Math.floor(++ip / 250)}.${ip % 250}`;
  const newUser = (options: Partial<Parameters<typeof createTestUser>[2]> = {}) =>
    createTestUser(h.database.db, h.deps, { role: 'moderator', ...options });
  /** A password step; `client` is an app (a new client each time) or an agent keeping its cookies. */
  const attempt = (
    client: Express | TestAgent,
    user: Pick<TestUser, 'username'>,
    password: string,
    address: string,
    extra: Record<string, unknown> = {},
  ) =>
    (typeof client === 'function' ? supertest(client) : client)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', address)
      .send({ username: user.username, password, ...extra });
  const failuresAudited = async (userId: string, reason: string) =>
    (
      await h.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.subjectId, userId), eq(auditEvents.action, 'auth.login_failed')))
    ).filter((event) => (event.details as { reason?: string }).reason === reason).length;
  /** Password then TOTP through `agent`, which keeps the cookies it is given (the device cookie). */
  const fullLogin = async (agent: TestAgent, user: TestUser, address: string) => {
    await h.database.db.update(users).set({ totpLastStep: null }).where(eq(users.id, user.id));
    const first = await attempt(agent, user, user.password, address).expect(200);
    return agent
      .post('/api/v1/auth/login/totp')
      .set('X-Forwarded-For', address)
      .send({ challenge: first.body.challenge, code: totpCode(user, h.clock.now) })
      .expect(200);
  };

  beforeAll(async () => {
    h = await createAuthHarness(engine);
  });
  afterAll(async () => {
    await h?.destroy();
  });

  it('counts before hashing: of 60 simultaneous guesses from 60 addresses, exactly LOGIN_POW_AFTER_FAILURES are checked, the others must prove work; the account is not locked', async () => {
    const app = h.appWith({ LOGIN_POW_AFTER_FAILURES: '5' });
    const user = await newUser();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => attempt(app, user, `guess number ${i}`, nextIp())),
    );
    const checked = answers.filter((res) => res.body.error === 'invalid_credentials');
    const refused = answers.filter((res) => res.body.error === 'proof_of_work_required');
    expect(checked).toHaveLength(5);
    expect(refused).toHaveLength(55);
    for (const res of refused) {
      expect(res.status).toBe(401);
      expect(ProofOfWorkRequiredSchema.parse(res.body).pow.bits).toBe(4);
    }
    expect(await failuresAudited(user.id, 'bad_password')).toBe(5);
    const [row] = await h.database.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.lockedUntil).toBeNull();

    // The owner, on a browser it never used: one proof of work, then in.
    const asked = await attempt(app, user, user.password, nextIp()).expect(401);
    const pow = ProofOfWorkRequiredSchema.parse(asked.body).pow;
    const nonce = await solve(pow);
    const ok = await attempt(app, user, user.password, nextIp(), {
      pow: { challenge: pow.challenge, nonce },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.next).toBe('totp');
  });

  it('a solution opens one attempt: wrong, spent and expired solutions get a new puzzle', async () => {
    const app = h.appWith({ LOGIN_POW_AFTER_FAILURES: '0' });
    const user = await newUser();
    const puzzle = async () =>
      ProofOfWorkRequiredSchema.parse((await attempt(app, user, 'no proof sent', nextIp()).expect(401)).body)
        .pow;
    const pow = await puzzle();
    const nonce = await solve(pow);
    const solution = { pow: { challenge: pow.challenge, nonce } };
    await attempt(app, user, 'a wrong password', nextIp(), solution).expect(401, INVALID);
    const spent = await attempt(app, user, user.password, nextIp(), solution).expect(401);
    expect(spent.body).toMatchObject({
      error: 'proof_of_work_required',
      message: expect.stringContaining('already used'),
    });

    const other = await puzzle();
    let wrongNonce = 0;
    while (wrongNonce === (await solve(other))) wrongNonce++;
    const wrong = await attempt(app, user, user.password, nextIp(), {
      pow: { challenge: other.challenge, nonce: wrongNonce },
    }).expect(401);
    expect(wrong.body.message).toContain('not a solution');
    const forged = await attempt(app, user, user.password, nextIp(), {
      pow: { challenge: `${other.challenge.slice(0, -2)}AA`, nonce: await solve(other) },
    }).expect(401);
    expect(forged.body.message).toContain('not a solution');

    const late = await puzzle();
    const lateNonce = await solve(late);
    h.clock.now = new Date(h.clock.now.getTime() + 6 * 60_000);
    const expired = await attempt(app, user, user.password, nextIp(), {
      pow: { challenge: late.challenge, nonce: lateNonce },
    }).expect(401);
    expect(expired.body.message).toContain('expired');
    // Only the one solved attempt reached the password check.
    expect(await failuresAudited(user.id, 'bad_password')).toBe(1);
  });

  it('a known device is asked no proof of work and is not refused for its address, while strangers there are', async () => {
    const app = h.appWith({ LOGIN_POW_AFTER_FAILURES: '2', LOGIN_IP_FAILURE_LIMIT: '3' });
    const user = await newUser();
    const office = nextIp(); // the owner and an attacker behind the same NAT address
    const owner = supertest.agent(app);
    const first = await fullLogin(owner, user, office);
    const cookie = deviceCookieOf(first.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^${DEVICE_COOKIE}=[\\w-]{71};`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth\/login/);
    expect(cookie).toMatch(/Max-Age=2592000/);

    const statuses: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await attempt(app, user, `attacker guess ${i}`, office);
      statuses.push(res.body.error);
    }
    // Two guesses checked, then a proof of work, then the address is out of attempts.
    expect(statuses).toEqual([
      'invalid_credentials',
      'invalid_credentials',
      'proof_of_work_required',
      'rate_limited',
      'rate_limited',
      'rate_limited',
    ]);
    // The owner, same address, same account: straight in, twice.
    await fullLogin(owner, user, office);
    await fullLogin(owner, user, office);
    // A stranger with the owner's right password is still refused there.
    await attempt(app, user, user.password, office).expect(429);
    // A cookie that is not ours (one bit changed) makes a stranger.
    const value = cookie.split(';')[0]?.split('=')[1] ?? '';
    const tampered = `${value.slice(0, 10)}${value[10] === 'A' ? 'B' : 'A'}${value.slice(11)}`;
    await attempt(app, user, user.password, office).set('Cookie', `${DEVICE_COOKIE}=${tampered}`).expect(429);
  });

  it('a known device that fails on its own becomes a stranger again', async () => {
    const app = h.appWith({ LOGIN_POW_AFTER_FAILURES: '2' });
    const user = await newUser();
    const address = nextIp();
    const device = supertest.agent(app);
    await fullLogin(device, user, address);
    for (let i = 0; i < MAX_CONSECUTIVE_FAILURES; i++) {
      // Known: checked every time, no proof of work asked (the count is its own).
      await attempt(device, user, `stolen cookie guess ${i}`, address).expect(401, INVALID);
    }
    const res = await attempt(device, user, user.password, address).expect(401);
    expect(res.body.error).toBe('proof_of_work_required');
  });

  it('a full hashing queue answers 429 server_busy while a known device still logs in', async () => {
    const app = h.appWith(
      { PASSWORD_HASH_THREADS: '1', PASSWORD_HASH_QUEUE: '2', LOGIN_POW_AFTER_FAILURES: '0' },
      'interactive',
    );
    const owner = await newUser({ passwordCost: 'interactive' });
    // The owner logged in from this browser before (another app of the same api: same keys).
    const earlier = await fullLogin(supertest.agent(h.app), owner, nextIp());
    const deviceCookie = deviceCookieOf(earlier.headers['set-cookie']).split(';')[0] as string;
    const target = await newUser({ passwordCost: 'interactive' });
    // Strangers who all paid their proof of work, at once: more than one thread and two places.
    const paid = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const asked = await attempt(app, target, 'no proof', nextIp()).expect(401);
        const pow = ProofOfWorkRequiredSchema.parse(asked.body).pow;
        return { challenge: pow.challenge, nonce: await solve(pow) };
      }),
    );
    const [floods, ownerLogin] = await Promise.all([
      Promise.all(paid.map((pow, i) => attempt(app, target, `paid guess ${i}`, nextIp(), { pow }))),
      (async () => {
        await h.database.db.update(users).set({ totpLastStep: null }).where(eq(users.id, owner.id));
        return attempt(app, owner, owner.password, nextIp()).set('Cookie', deviceCookie);
      })(),
    ]);
    const busy = floods.filter((res) => res.status === 429);
    expect(busy.length).toBeGreaterThan(0);
    for (const res of busy) expect(res.body).toMatchObject({ ok: false, error: 'server_busy' });
    expect(floods.every((res) => res.status === 401 || res.status === 429)).toBe(true);
    expect(ownerLogin.status).toBe(200);
  });

  it('believes X-Forwarded-For only from the proxies TRUST_PROXY names', async () => {
    const app = h.appWith({ TRUST_PROXY: 'false', LOGIN_IP_FAILURE_LIMIT: '3' });
    const user = await newUser();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt(app, user, `guess ${i}`, nextIp())).status);
    // Every "address" was the test's own 127.0.0.1.
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('keeps client addresses and usernames only as HMACs, in PostgreSQL and in Redis', async () => {
    const user = await newUser();
    const address = nextIp();
    await attempt(h.app, user, 'one wrong password', address).expect(401);
    const keys = await loginKeysOf(h.config);
    const [pair] = await h.database.db.select().from(loginFailures).where(eq(loginFailures.userId, user.id));
    expect(pair?.clientKey).toBe(keys.clientKey({ address }));
    const plainHash = createHash('sha256').update(address).digest('hex');
    expect(pair?.clientKey).not.toBe(plainHash);
    const redisKeys = (await h.redis.keys(`${h.prefix}:*`)).join('\n');
    expect(redisKeys).toContain(keys.clientKey({ address }));
    expect(redisKeys).toContain(keys.accountKey(user.username));
    for (const plain of [address, plainHash, plainHash.slice(0, 32), user.username]) {
      expect(redisKeys).not.toContain(plain);
    }
    expect(h.logs.text()).not.toContain(address);
  });
});
