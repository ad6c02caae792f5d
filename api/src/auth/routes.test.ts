import { and, eq } from 'drizzle-orm';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../audit/audit-log';
import { auditEvents, loginFailures, sessions, users } from '../platform/schema';
import { ENGINES } from '../platform/test-database';
import { loginKeysOf } from './login-keys';
import { ACCOUNT_FAILURE_WINDOW_MINUTES, LOCK_MINUTES, MAX_CONSECUTIVE_FAILURES } from './service';
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
      provinceCode: null,
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
    expect(row?.failedLogins).toBe(1); // account-wide, within its window
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

  const totpStep = (challenge: string, code: string, ip = '10.0.0.1') =>
    supertest(h.app).post('/api/v1/auth/login/totp').set('X-Forwarded-For', ip).send({ challenge, code });
  const pairOf = async (userId: string, ip: string) => {
    const clientKey = (await loginKeysOf(h.config)).clientKey({ address: ip });
    return (
      await h.database.db
        .select()
        .from(loginFailures)
        .where(and(eq(loginFailures.userId, userId), eq(loginFailures.clientKey, clientKey)))
    )[0];
  };

  it('counts wrong passwords and wrong TOTP codes together per (account, client), locks that pair after the limit, unlocks after the lock period', async () => {
    const user = await newUser();
    await passwordStep({ ...user, password: 'wrong password 1' }).expect(401, INVALID);
    await passwordStep({ ...user, password: 'wrong password 2' }).expect(401, INVALID);
    const { body } = await passwordStep(user).expect(200);
    const wrongCode = totpCode(user, h.clock.now) === '123456' ? '654321' : '123456';
    for (let i = 0; i < MAX_CONSECUTIVE_FAILURES - 3; i++) {
      await totpStep(body.challenge, wrongCode).expect(401, INVALID);
    }
    expect((await pairOf(user.id, '10.0.0.1'))?.failures).toBe(MAX_CONSECUTIVE_FAILURES - 1);
    // The 5th failure locks this client out of this account.
    const lockedAt = h.clock.now.getTime();
    await totpStep(body.challenge, wrongCode).expect(401, INVALID);
    const lockedUntil = (await pairOf(user.id, '10.0.0.1'))?.lockedUntil?.getTime() ?? 0;
    expect(lockedUntil - lockedAt).toBeGreaterThanOrEqual(minutes(LOCK_MINUTES));
    expect(lockedUntil - h.clock.now.getTime()).toBeLessThanOrEqual(minutes(LOCK_MINUTES));
    // The account itself is not locked (an admin sees no lock) …
    const [row] = await h.database.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.lockedUntil).toBeNull();
    expect(row?.failedLogins).toBe(MAX_CONSECUTIVE_FAILURES);
    // … but from this client even the right password gets the same answer as a wrong one.
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
    expect(events[4]?.details).toMatchObject({ locked: true, lockScope: 'client' });
    expect(events[5]?.details).toMatchObject({ lockScope: 'client', step: 'password' });
    // The injected clock runs with real time, so leave slack on both sides of the lock's end.
    h.clock.now = new Date(lockedUntil - 15_000);
    await passwordStep(user).expect(401, INVALID);
    h.clock.now = new Date(lockedUntil + 1000);
    const after = await passwordStep(user).expect(200);
    await totpStep(after.body.challenge, totpCode(user, h.clock.now)).expect(200);
    // A success ends the consecutive count of that client.
    expect(await pairOf(user.id, '10.0.0.1')).toBeUndefined();
  });

  it('failures from client A do not lock the account for client B', async () => {
    const user = await newUser();
    for (let i = 0; i < MAX_CONSECUTIVE_FAILURES + 3; i++) {
      await passwordStep({ ...user, password: `attacker guess ${i}` }, '10.66.0.1').expect(401, INVALID);
    }
    // A is locked out: even the right password fails from there.
    await passwordStep(user, '10.66.0.1').expect(401, INVALID);
    // B, the real user, logs in.
    const first = await passwordStep(user, '10.55.0.2').expect(200);
    await totpStep(first.body.challenge, totpCode(user, h.clock.now), '10.55.0.2').expect(200);
    const reasons = (await auditOf(user.id))
      .filter((e) => e.action === 'auth.login_failed')
      .map((e) => e.details as { reason: string; lockScope?: string });
    expect(reasons.filter((d) => d.reason === 'bad_password')).toHaveLength(MAX_CONSECUTIVE_FAILURES);
    expect(reasons.filter((d) => d.reason === 'locked')).toHaveLength(4);
  });

  it('forgets the account-wide count after its window', async () => {
    const user = await newUser();
    await passwordStep({ ...user, password: 'one typo here' }, '10.44.0.1').expect(401);
    h.clock.now = new Date(h.clock.now.getTime() + minutes(ACCOUNT_FAILURE_WINDOW_MINUTES + 1));
    await passwordStep({ ...user, password: 'another typo' }, '10.44.0.1').expect(401);
    const [row] = await h.database.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.failedLogins).toBe(1);
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

  it('forces a change of a temporary password: 403 password_change_required everywhere but me/password/logout', async () => {
    const user = await newUser({ role: 'admin' });
    await h.database.db.update(users).set({ mustChangePassword: true }).where(eq(users.id, user.id));
    const { agent, csrfToken } = await login(user);
    const me = await agent.get('/api/v1/auth/me').expect(200);
    expect(me.body.user.mustChangePassword).toBe(true);
    const REQUIRED = { ok: false, error: 'password_change_required', message: 'change your password first' };
    await agent.get('/api/v1/users').expect(403, REQUIRED);
    await agent.get('/api/v1/users/?x=1').expect(403, REQUIRED);
    await agent
      .post('/api/v1/users')
      .set('X-CSRF-Token', csrfToken)
      .send({ username: 'made-while-forced', role: 'moderator' })
      .expect(403, REQUIRED);
    // The new password must differ from the temporary one, and follow the usual rules.
    const same = await agent
      .post('/api/v1/auth/password')
      .set('X-CSRF-Token', csrfToken)
      .send({ currentPassword: user.password, newPassword: user.password })
      .expect(400);
    expect(same.body.error).toBe('same_password');
    await agent
      .post('/api/v1/auth/password')
      .set('X-CSRF-Token', csrfToken)
      .send({ currentPassword: user.password, newPassword: 'short' })
      .expect(400);
    await agent
      .post('/api/v1/auth/password')
      .set('X-CSRF-Token', csrfToken)
      .send({ currentPassword: user.password, newPassword: 'my own new passphrase' })
      .expect(200);
    expect((await agent.get('/api/v1/auth/me').expect(200)).body.user.mustChangePassword).toBe(false);
    await agent.get('/api/v1/users').expect(200);
    const changed = (await auditOf(user.id)).filter((e) => e.action === 'user.password_changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]?.details).toMatchObject({ wasRequired: true });
    // The next login reports no forced change.
    const again = await passwordStep({ ...user, password: 'my own new passphrase' }).expect(200);
    const second = await totpStep(
      again.body.challenge,
      totpCode(user, new Date(h.clock.now.getTime() + 30_000)),
    );
    expect(second.status).toBe(200);
    expect(second.body.user.mustChangePassword).toBe(false);
  });

  it('a user with a temporary password may still log out', async () => {
    const user = await newUser();
    await h.database.db.update(users).set({ mustChangePassword: true }).where(eq(users.id, user.id));
    const { agent, csrfToken } = await login(user);
    await agent.post('/api/v1/auth/logout').set('X-CSRF-Token', csrfToken).expect(200);
    await agent.get('/api/v1/auth/me').expect(401);
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
