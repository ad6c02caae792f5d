/**
 * Test helpers for every engineer's HTTP tests (never imported by production code).
 *
 *   const user = await createTestUser(db, deps, { role: 'moderator' });
 *   const { agent, csrfToken } = await loginAgent(app, user);
 *   await agent.get('/api/v1/tips').expect(200);
 *   await agent.post('/api/v1/tips/x/notes').send({...}).expect(201); // X-CSRF-Token already set
 *
 * Passwords of test users are hashed at libsodium's minimum argon2id cost (`passwordCost:
 * 'test'`, the default here) so a login takes a few ms instead of ~100 ms; real accounts
 * always use OPSLIMIT/MEMLIMIT_INTERACTIVE.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Express } from 'express';
import supertest from 'supertest';
import type { Db, DbOrTx } from '../platform/db';
import { loginFailures, users } from '../platform/schema';
import type { StaffRole } from './middleware';
import { hashPassword, type PasswordCost } from './passwords';
import { SESSION_COOKIE } from './sessions';
import { currentTotpCode, encryptTotpSecret, generateTotpSecret, totpKeyOf } from './totp';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  /** Raw TOTP secret; `totpCode(user)` gives the current code. */
  totpSecret: Uint8Array;
  role: StaffRole;
  unitId: string | null;
}

type MasterKeySource = Uint8Array | { config: Parameters<typeof totpKeyOf>[0] };

// loginAgent needs the user's database to clear the TOTP replay marker between logins.
const databaseOf = new WeakMap<TestUser, DbOrTx>();

/**
 * Inserts an active staff account with TOTP already enrolled. `masterKeyOrDeps`: the master
 * key bytes, or anything with `config` (ApiDeps, AuthDeps) — the same key the app uses.
 */
export async function createTestUser(
  db: Db,
  masterKeyOrDeps: MasterKeySource,
  options: {
    role: StaffRole;
    unitId?: string | null;
    /** Moderators only: limit them to one province (it must be seeded). */
    provinceCode?: string | null;
    username?: string;
    password?: string;
    displayName?: string;
    /** false: the user must enrol at first login (login answers next:'enroll'). */
    enrolled?: boolean;
    passwordCost?: PasswordCost;
  },
): Promise<TestUser> {
  const id = randomUUID();
  const username = options.username ?? `${options.role.replace('_', '-')}-${randomBytes(4).toString('hex')}`;
  const password = options.password ?? `pw ${randomBytes(9).toString('base64url')} test`;
  const totpSecret = generateTotpSecret();
  const key = await totpKeyOf(
    masterKeyOrDeps instanceof Uint8Array ? masterKeyOrDeps : masterKeyOrDeps.config,
  );
  const enrolled = options.enrolled ?? true;
  const unitId = options.role === 'unit_officer' ? (options.unitId ?? null) : null;
  if (options.role === 'unit_officer' && !unitId)
    throw new Error('createTestUser: a unit_officer needs unitId');
  await db.insert(users).values({
    id,
    username,
    displayName: options.displayName ?? `Test ${username}`,
    role: options.role,
    unitId,
    provinceCode: options.role === 'moderator' ? (options.provinceCode ?? null) : null,
    passwordHash: await hashPassword(password, options.passwordCost ?? 'test'),
    totpSecret: enrolled ? await encryptTotpSecret(key, id, totpSecret) : null,
    totpEnrolledAt: enrolled ? new Date() : null,
  });
  const user: TestUser = { id, username, password, totpSecret, role: options.role, unitId };
  databaseOf.set(user, db);
  return user;
}

/** The user's TOTP code at `now`. */
export const totpCode = (user: Pick<TestUser, 'totpSecret'>, now: Date = new Date()) =>
  currentTotpCode(user.totpSecret, now);

export type TestAgent = ReturnType<typeof supertest.agent>;

/**
 * Logs `user` in through the real endpoints (password, then TOTP) and returns a supertest
 * agent that sends the session cookie and, unless `{ csrf: false }`, the X-CSRF-Token header
 * on every request. Works with COOKIE_SECURE=true too (the cookie is set explicitly).
 * It clears the user's TOTP replay marker first, so one user can log in many times per test.
 */
export async function loginAgent(
  app: Express,
  user: TestUser,
  options: { csrf?: boolean /** the app's clock, when a test injects one */; now?: Date } = {},
): Promise<{ agent: TestAgent; csrfToken: string; sessionToken: string }> {
  const db = databaseOf.get(user);
  if (db)
    await db
      .update(users)
      .set({ totpLastStep: null, failedLogins: 0, failedLoginsSince: null, lockedUntil: null })
      .where(eq(users.id, user.id));
  if (db) await db.delete(loginFailures).where(eq(loginFailures.userId, user.id));
  const agent = supertest.agent(app);
  const first = await agent
    .post('/api/v1/auth/login')
    .send({ username: user.username, password: user.password });
  if (first.status !== 200 || first.body.next !== 'totp') {
    throw new Error(`loginAgent: password step answered ${first.status} ${JSON.stringify(first.body)}`);
  }
  const second = await agent
    .post('/api/v1/auth/login/totp')
    .send({ challenge: first.body.challenge, code: totpCode(user, options.now) });
  if (second.status !== 200) {
    throw new Error(`loginAgent: TOTP step answered ${second.status} ${JSON.stringify(second.body)}`);
  }
  const sessionToken = sessionTokenOf(second.headers['set-cookie']);
  const csrfToken = second.body.csrfToken as string;
  agent.set('Cookie', `${SESSION_COOKIE}=${sessionToken}`);
  if (options.csrf !== false) agent.set('X-CSRF-Token', csrfToken);
  return { agent, csrfToken, sessionToken };
}

/** The session token from a Set-Cookie header. */
export function sessionTokenOf(setCookie: string | string[] | undefined): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  for (const cookie of all) {
    const match = new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(cookie);
    if (match?.[1]) return match[1];
  }
  throw new Error('no session cookie in the response');
}
