import { and, eq } from 'drizzle-orm';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../audit/audit-log';
import { auditEvents, sessions, users } from '../platform/schema';
import { ENGINES } from '../platform/test-database';
import { LOCK_MINUTES, MAX_CONSECUTIVE_FAILURES } from './service';
import { SESSION_COOKIE } from './sessions';
import { type AuthHarness, createAuthHarness } from './test-harness';
import { createTestUser, loginAgent, sessionTokenOf, type TestUser, totpCode } from './testing';
import { currentTotpCode } from './totp';

const INVALID = { ok: false, error: 'invalid_credentials', message: 'wrong username, password or code' };
const minutes = (n: number) => n * 60_000;

describe.each(ENGINES)('auth on %s', (engine) => {
  let h: AuthHarness;
  const advance = (ms: number) => {
    h.clock.now = new Date(h.clock.now.getTime() + ms);
  };
  const newUser = (options: Partial<Parameters<typeof createTestUser>[2]> = {}) =>
    createTestUser(h.database.db, h.deps, { role: 'moderator', ...options });
  const passwordStep = (user: Pick<TestUser, 'username' | 'password'>, ip = '10.0.0.1') =>
    supertest(h.app)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', ip)
      .send({ username: user.username, password: user.password });
  const login = (user: TestUser) => loginAgent(h.app, user, { now: h.clock.now });
  const auditOf = async (userId: string) =>
    h.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, userId))
      .orderBy(auditEvents.seq);

  beforeAll(async () => {
    h = await createAuthHarness(engine);
  });
  afterAll(async () => {
    await h?.destroy();
  });

  it('logs in with password then TOTP: session cookie, /me, audit', async () => {
    const user = await newUser();
    const first = await passwordStep(user).expect(200);
    expect(first.body).toEqual({ ok: true, next: 'totp', challenge: expect.stringMatching(/^[\w-]{43}$/) });
    const second = await supertest(h.app)
      .post('/api/v1/auth/login/totp')
      .send({ challenge: first.body.challenge, code: totpCode(user, h.clock.now) })
      .expect(200);
    expect(second.body.user).toEqual({
      id: user.id,
      username: user.username,
      displayName: `Test ${user.username}`,
      role: 'moderator',
      unitId: null,
      mustChangePassword: false,
    });
    const cookie = String(second.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    const token = sessionTokenOf(second.headers['set-cookie']);
    // Only the SHA-256 of the token is stored.
    const stored = await h.database.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(stored.map((s) => s.id)).not.toContain(token);
    const me = await supertest(h.app)
      .get('/api/v1/auth/me')
      .set('Cookie', `${SESSION_COOKIE}=${token}`)
      .expect(200);
    expect(me.body).toEqual({ ok: true, user: second.body.user, csrfToken: second.body.csrfToken });
    expect(me.headers['cache-control']).toBe('no-store');
    // The challenge is single use.
    await supertest(h.app)
      .post('/api/v1/auth/login/totp')
      .send({ challenge: first.body.challenge, code: totpCode(user, h.clock.now) })
      .expect(401)
      .expect((res) => expect(res.body).toMatchObject({ ok: false, error: 'invalid_challenge' }));
    const actions = (await auditOf(user.id)).map((e) => e.action);
    expect(actions).toContain('auth.login_succeeded');
  });

  it('marks the cookie Secure when COOKIE_SECURE=true, and loginAgent still works', async () => {
    const app = h.appWith({ COOKIE_SECURE: 'true' });
    const user = await newUser();
    const { agent } = await loginAgent(app, user, { now: h.clock.now });
    await agent.get('/api/v1/auth/me').expect(200);
    const first = await supertest(app)
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password });
    const second = await supertest(app)
      .post('/api/v1/auth/login/totp')
      .send({
        challenge: first.body.challenge,
        code: totpCode(user, new Date(h.clock.now.getTime() + 30_000)),
      })
      .expect(200);
    expect(String(second.headers['set-cookie'])).toMatch(/; Secure/);
  });

  it('sends strict security headers', async () => {
    const res = await supertest(h.app).get('/api/v1/auth/me').expect(401);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("connect-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ ok: false, error: 'unauthorized', message: expect.any(String) });
  });

  it('enrols TOTP at first login: QR + otpauth URL, secret encrypted at rest, then asks for codes', async () => {
    const user = await newUser({ enrolled: false });
    const first = await passwordStep(user).expect(200);
    expect(first.body.next).toBe('enroll');
    expect(first.body.otpauthUrl).toMatch(
      /^otpauth:\/\/totp\/TinBao:[^?]+\?issuer=TinBao&secret=[A-Z2-7]+&algorithm=SHA1&digits=6/,
    );
    expect(first.body.otpauthUrl).toContain('period=30');
    expect(first.body.qrSvg).toMatch(/^<svg/);
    const secret = new Uint8Array(
      Buffer.from(
        // base32 → bytes (RFC 4648)
        first.body.secret
          .split('')
          .map((c: string) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(c).toString(2).padStart(5, '0'))
          .join('')
          .match(/.{8}/g)
          .map((b: string) => Number.parseInt(b, 2)),
      ),
    );
    // A wrong first code counts as a failure and does not enrol.
    await supertest(h.app)
      .post('/api/v1/auth/login/enroll')
      .send({
        challenge: first.body.challenge,
        code: '000000' === currentTotpCode(secret, h.clock.now) ? '111111' : '000000',
      })
      .expect(401, INVALID);
    const [afterWrong] = await h.database.db.select().from(users).where(eq(users.id, user.id));
    expect(afterWrong?.failedLogins).toBe(1);
    expect(afterWrong?.totpEnrolledAt).toBeNull();
    // The TOTP step cannot be used for an enrolment challenge.
    await supertest(h.app)
      .post('/api/v1/auth/login/totp')
      .send({ challenge: first.body.challenge, code: currentTotpCode(secret, h.clock.now) })
      .expect(401);
    const ok = await supertest(h.app)
      .post('/api/v1/auth/login/enroll')
      .send({ challenge: first.body.challenge, code: currentTotpCode(secret, h.clock.now) })
      .expect(200);
    expect(ok.body.csrfToken).toEqual(expect.any(String));
    const [row] = await h.database.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.totpEnrolledAt).not.toBeNull();
    expect(row?.failedLogins).toBe(0);
    expect(Buffer.from(row?.totpSecret ?? []).includes(Buffer.from(secret))).toBe(false);
    expect(Buffer.from(row?.totpSecret ?? []).toString('latin1')).not.toContain(first.body.secret);
    expect((await passwordStep(user).expect(200)).body.next).toBe('totp');
    const actions = (await auditOf(user.id)).map((e) => e.action);
    expect(actions).toEqual(['auth.login_failed', 'auth.totp_enrolled', 'auth.login_succeeded']);
  });

  it('refuses a TOTP code used twice (replay)', async () => {
    const user = await newUser();
    const code = totpCode(user, h.clock.now);
    const a = await passwordStep(user).expect(200);
    await supertest(h.app)
      .post('/api/v1/auth/login/totp')
      .send({ challenge: a.body.challenge, code })
      .expect(200);
    const b = await passwordStep(user).expect(200);
    await supertest(h.app)
      .post('/api/v1/auth/login/totp')
      .send({ challenge: b.body.challenge, code })
      .expect(401, INVALID);
    const failed = (await auditOf(user.id)).filter((e) => e.action === 'auth.login_failed');
    expect(failed.at(-1)?.details).toMatchObject({ reason: 'bad_totp', replay: true });
    // The next step's code (within the ±1 window) is new, so it passes.
    await supertest(h.app)
      .post('/api/v1/auth/login/totp')
      .send({ challenge: b.body.challenge, code: totpCode(user, new Date(h.clock.now.getTime() + 30_000)) })
      .expect(200);
  });

  it('counts wrong passwords and wrong TOTP codes together, locks after the limit, unlocks after the lock period', async () => {
    const user = await newUser();
    await passwordStep({ ...user, password: 'wrong password 1' }).expect(401, INVALID);
    await passwordStep({ ...user, password: 'wrong password 2' }).expect(401, INVALID);
    const { body } = await passwordStep(user).expect(200);
    const wrongCode = totpCode(user, h.clock.now) === '123456' ? '654321' : '123456';
    for (let i = 0; i < MAX_CONSECUTIVE_FAILURES - 3; i++) {
      await supertest(h.app)
        .post('/api/v1/auth/login/totp')
        .send({ challenge: body.challenge, code: wrongCode })
        .expect(401, INVALID);
    }
    const [beforeLast] = await h.database.db.select().from(users).where(eq(users.id, user.id));
    expect(beforeLast?.failedLogins).toBe(MAX_CONSECUTIVE_FAILURES - 1);
    // The 5th failure locks the account and voids the pending challenge.
    const lockedAt = h.clock.now.getTime();
    await supertest(h.app)
      .post('/api/v1/auth/login/totp')
      .send({ challenge: body.challenge, code: wrongCode })
      .expect(401, INVALID);
    const [locked] = await h.database.db.select().from(users).where(eq(users.id, user.id));
    const lockedUntil = locked?.lockedUntil?.getTime() ?? 0;
    expect(lockedUntil - lockedAt).toBeGreaterThanOrEqual(minutes(LOCK_MINUTES));
    expect(lockedUntil - h.clock.now.getTime()).toBeLessThanOrEqual(minutes(LOCK_MINUTES));
    // Locked: even the right password gets the same answer as a wrong one.
    await passwordStep(user).expect(401, INVALID);
    const events = (await auditOf(user.id)).filter((e) => e.action === 'auth.login_failed');
    expect(events.map((e) => (e.details as { reason: string }).reason)).toEqual([
      'bad_password',
      'bad_password',
      'bad_totp',
      'bad_totp',
      'bad_totp',
      'locked',
    ]);
    expect(events[4]?.details).toMatchObject({ locked: true });
    // The injected clock runs with real time, so leave slack on both sides of the lock's end.
    h.clock.now = new Date(lockedUntil - 15_000);
    await passwordStep(user).expect(401, INVALID);
    h.clock.now = new Date(lockedUntil + 1000);
    const after = await passwordStep(user).expect(200);
    await supertest(h.app)
      .post('/api/v1/auth/login/totp')
      .send({ challenge: after.body.challenge, code: totpCode(user, h.clock.now) })
      .expect(200);
  });

  it('answers an unknown user exactly like a wrong password, audited without the username', async () => {
    const user = await newUser();
    const unknownName = `nobody-${Date.now()}`;
    const unknown = await passwordStep({ username: unknownName, password: 'secret-attempt-xyz' });
    const wrong = await passwordStep({ username: user.username, password: 'secret-attempt-xyz' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    const all = await h.database.db.select().from(auditEvents);
    const dump = JSON.stringify(all);
    expect(dump).not.toContain(unknownName);
    expect(dump).not.toContain('secret-attempt-xyz');
    expect(h.logs.text()).not.toContain('secret-attempt-xyz');
    expect(h.logs.text()).not.toContain(unknownName);
    const unknownEvent = all.find((e) => (e.details as { reason?: string }).reason === 'unknown_user');
    expect(unknownEvent).toMatchObject({ actorType: 'system', actorId: null, action: 'auth.login_failed' });
  });

  it('rate-limits failed logins per client IP (429), other IPs unaffected', async () => {
    const app = h.appWith({ LOGIN_IP_FAILURE_LIMIT: '20' });
    const user = await newUser();
    const ip = `10.9.${Math.floor(Math.random() * 250)}.7`;
    for (let i = 0; i < 20; i++) {
      await supertest(app)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ username: `ghost-${i}`, password: 'whatever password' })
        .expect(401);
    }
    const blocked = await supertest(app)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', ip)
      .send({ username: user.username, password: user.password })
      .expect(429);
    expect(blocked.body).toMatchObject({ ok: false, error: 'rate_limited' });
    await supertest(app)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', '10.200.0.1')
      .send({ username: user.username, password: user.password })
      .expect(200);
    // Redis keys carry a hash, not the IP.
    const keys = await h.redis.keys(`${h.prefix}:*`);
    expect(keys.join()).not.toContain(ip);
  });

  it('expires a session after 30 idle minutes, refreshes it on activity', async () => {
    const user = await newUser();
    const { agent } = await login(user);
    advance(minutes(29));
    await agent.get('/api/v1/auth/me').expect(200);
    advance(minutes(29)); // 58 min since login, 29 since the last request
    await agent.get('/api/v1/auth/me').expect(200);
    advance(minutes(31));
    const res = await agent.get('/api/v1/auth/me').expect(401);
    expect(res.body.error).toBe('unauthorized');
    expect(await h.database.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
  });

  it('expires a session 12 hours after login even when active', async () => {
    const user = await newUser();
    const { agent } = await login(user);
    for (let i = 0; i < 35; i++) {
      advance(minutes(20));
      await agent.get('/api/v1/auth/me').expect(200); // 11 h 40 min
    }
    advance(minutes(19));
    await agent.get('/api/v1/auth/me').expect(200);
    advance(minutes(2)); // 12 h 1 min
    await agent.get('/api/v1/auth/me').expect(401);
  });

  it('logout needs the CSRF token, deletes the session and is audited', async () => {
    const user = await newUser();
    const { agent, csrfToken, sessionToken } = await login(user);
    const bare = () =>
      supertest(h.app).post('/api/v1/auth/logout').set('Cookie', `${SESSION_COOKIE}=${sessionToken}`);
    expect((await bare().expect(403)).body).toMatchObject({ ok: false, error: 'csrf_failed' });
    await bare().set('X-CSRF-Token', `${csrfToken}x`).expect(403);
    await bare().set('X-CSRF-Token', 'short').expect(403);
    await agent.post('/api/v1/auth/logout').expect(200, { ok: true });
    await agent.get('/api/v1/auth/me').expect(401);
    await bare().set('X-CSRF-Token', csrfToken).expect(401);
    expect((await auditOf(user.id)).map((e) => e.action)).toContain('auth.logout');
  });

  it('changes the own password (policy enforced), ending other sessions', async () => {
    const user = await newUser();
    const a = await login(user);
    const b = await login(user);
    await a.agent
      .post('/api/v1/auth/password')
      .send({ currentPassword: user.password, newPassword: `${user.username}-long-enough` })
      .expect(400)
      .expect((res) => expect(res.body.error).toBe('weak_password'));
    await a.agent
      .post('/api/v1/auth/password')
      .send({ currentPassword: user.password, newPassword: 'short' })
      .expect(400);
    await a.agent
      .post('/api/v1/auth/password')
      .send({ currentPassword: 'not the password', newPassword: 'a much better passphrase' })
      .expect(403);
    await a.agent
      .post('/api/v1/auth/password')
      .send({ currentPassword: user.password, newPassword: 'a much better passphrase' })
      .expect(200);
    await a.agent.get('/api/v1/auth/me').expect(200);
    await b.agent.get('/api/v1/auth/me').expect(401);
    await passwordStep({ ...user, password: 'a much better passphrase' }).expect(200);
  });

  it('counts wrong current passwords against the client IP limit', async () => {
    const limited = h.appWith({ LOGIN_IP_FAILURE_LIMIT: '3' });
    const user = await newUser();
    const { csrfToken, sessionToken } = await login(user);
    const attempt = () =>
      supertest(limited)
        .post('/api/v1/auth/password')
        .set('Cookie', `${SESSION_COOKIE}=${sessionToken}`)
        .set('X-CSRF-Token', csrfToken)
        .set('X-Forwarded-For', '10.77.0.1')
        .send({ currentPassword: 'a guess at the password', newPassword: 'a much better passphrase' });
    for (let i = 0; i < 3; i++) await attempt().expect(403);
    await attempt().expect(429);
  });

  it('rejects malformed bodies with invalid_request and issues', async () => {
    const res = await supertest(h.app).post('/api/v1/auth/login').send({ username: 'x' }).expect(400);
    expect(res.body).toMatchObject({
      ok: false,
      error: 'invalid_request',
      issues: [{ path: 'body.password', message: expect.any(String) }],
    });
    await supertest(h.app)
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username":')
      .expect(400);
    await supertest(h.app).post('/api/v1/auth/login/totp').send({ challenge: 'x', code: '12' }).expect(400);
    // PostgreSQL text cannot hold NUL: such a name is simply an unknown user.
    await supertest(h.app)
      .post('/api/v1/auth/login')
      .send({ username: 'ad\u0000min', password: 'x\u0000' })
      .expect(401, INVALID);
  });

  it('keeps the audit chain intact', async () => {
    expect(await verifyAuditChain(h.database.db)).toMatchObject({ ok: true });
    const failures = await h.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'auth.login_failed'), eq(auditEvents.actorType, 'user')));
    expect(failures.length).toBeGreaterThan(5);
  });
});
