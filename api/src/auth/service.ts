import type { Argon2Lane } from '@tinbao/shared';
import { USERNAME_PATTERN } from '@tinbao/shared/api/auth';
import { and, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Response } from 'express';
import { appendAuditEvent } from '../audit/audit-log';
import type { Tx } from '../platform/db';
import { AppError } from '../platform/errors';
import { loginChallenges, loginFailures, users } from '../platform/schema';
import type { AuthDeps, StaffRole } from './middleware';
import { type PasswordCost, type PasswordHasher, passwordProblem } from './passwords';
import { createSession, deleteUserSessions, randomToken, tokenId } from './sessions';
import {
  decryptTotpSecret,
  encryptTotpSecret,
  enrolmentOf,
  generateTotpSecret,
  matchTotpStep,
  totpKeyOf,
} from './totp';

/** Consecutive failures of one account from one client (address or known device) before that pair is locked. */
export const MAX_CONSECUTIVE_FAILURES = 5;
export const LOCK_MINUTES = 15;
/** The window of users.failed_logins (failures of the account from everywhere, shown to admins). */
export const ACCOUNT_FAILURE_WINDOW_MINUTES = 15;
export const CHALLENGE_MINUTES = 5;

export type LoginFailureReason = 'bad_password' | 'bad_totp' | 'locked' | 'unknown_user' | 'disabled';

export interface LoginServiceDeps extends AuthDeps {
  /** Cost of the dummy hash checked for unknown users; match the cost of real hashes. */
  passwordCost?: PasswordCost;
  /** The bounded argon2id pool's hasher (passwords.ts). */
  passwords: PasswordHasher;
}

/** The one answer for every failed login, whatever the cause: no user enumeration. */
export const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'wrong username, password or code');
export const invalidChallenge = () =>
  new AppError(401, 'invalid_challenge', 'the login step expired or is not valid; start again');

export interface SessionUserView {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  unitId: string | null;
  provinceCode: string | null;
  mustChangePassword: boolean;
}

type UserRow = typeof users.$inferSelect;

export const viewOf = (user: UserRow): SessionUserView => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  role: user.role,
  unitId: user.unitId,
  provinceCode: user.provinceCode,
  mustChangePassword: user.mustChangePassword,
});

export type PasswordStepResult =
  | { ok: true; next: 'totp'; challenge: string }
  | { ok: true; next: 'enroll'; challenge: string; otpauthUrl: string; qrSvg: string; secret: string }
  | { ok: false; reason: LoginFailureReason };

/**
 * Counts a failure (in `tx`, with the user row locked FOR UPDATE) and audits it: consecutive
 * failures of this account from this client (locks the pair at MAX_CONSECUTIVE_FAILURES), and
 * failures from everywhere in a window (users.failed_logins, for admins to see). The account
 * itself is never locked by failures: a guesser elsewhere would lock its owner out. Strangers
 * meet a proof of work instead (login-defences.ts), before any hash is computed.
 */
async function recordFailure(
  tx: Tx,
  user: UserRow,
  clientKey: string,
  reason: LoginFailureReason,
  now: Date,
  extra: Record<string, unknown> = {},
): Promise<void> {
  let locked: 'client' | null = null;
  if (reason === 'bad_password' || reason === 'bad_totp') {
    const lockEnd = new Date(now.getTime() + LOCK_MINUTES * 60_000);
    // Pairs idle for a lock period are forgotten: the table stays small under address rotation.
    const staleBefore = new Date(now.getTime() - LOCK_MINUTES * 60_000);
    await tx
      .delete(loginFailures)
      .where(
        and(
          eq(loginFailures.userId, user.id),
          lt(loginFailures.lastFailedAt, staleBefore),
          or(isNull(loginFailures.lockedUntil), lte(loginFailures.lockedUntil, now)),
        ),
      );
    const [pair] = await tx
      .insert(loginFailures)
      .values({ userId: user.id, clientKey, failures: 1, lastFailedAt: now })
      .onConflictDoUpdate({
        target: [loginFailures.userId, loginFailures.clientKey],
        set: { failures: sql`${loginFailures.failures} + 1`, lastFailedAt: now },
      })
      .returning({ failures: loginFailures.failures });
    if ((pair?.failures ?? 0) >= MAX_CONSECUTIVE_FAILURES) {
      locked = 'client';
      await tx
        .update(loginFailures)
        .set({ failures: 0, lockedUntil: lockEnd })
        .where(and(eq(loginFailures.userId, user.id), eq(loginFailures.clientKey, clientKey)));
    }
    const windowOpen =
      user.failedLoginsSince !== null &&
      now.getTime() - user.failedLoginsSince.getTime() < ACCOUNT_FAILURE_WINDOW_MINUTES * 60_000;
    await tx
      .update(users)
      .set({
        failedLogins: windowOpen ? user.failedLogins + 1 : 1,
        failedLoginsSince: windowOpen ? user.failedLoginsSince : now,
      })
      .where(eq(users.id, user.id));
  }
  await appendAuditEvent(tx, {
    actorType: 'user',
    actorId: user.id,
    action: 'auth.login_failed',
    subjectType: 'user',
    subjectId: user.id,
    details: {
      reason,
      ...(locked ? { locked: true, lockScope: locked, lockMinutes: LOCK_MINUTES } : {}),
      ...extra,
    },
  });
}

/**
 * Locked for this client (its own failures)? `users.locked_until` is no longer set by failures;
 * it is still honoured for rows locked before (a password reset clears it).
 */
async function lockOf(
  tx: Tx,
  user: UserRow,
  clientKey: string,
  now: Date,
): Promise<'account' | 'client' | null> {
  if (user.lockedUntil !== null && user.lockedUntil > now) return 'account';
  const [pair] = await tx
    .select({ lockedUntil: loginFailures.lockedUntil })
    .from(loginFailures)
    .where(and(eq(loginFailures.userId, user.id), eq(loginFailures.clientKey, clientKey)))
    .limit(1);
  return pair?.lockedUntil && pair.lockedUntil > now ? 'client' : null;
}

/**
 * Step 1: username and password. A correct password on an active account gives a challenge
 * for the second factor (or for enrolment when the account has no TOTP yet). Every other
 * case — unknown user, wrong password, locked or disabled account — is one failure answer.
 */
export async function checkPassword(
  deps: LoginServiceDeps,
  username: string,
  password: string,
  /** login-keys.ts `clientKey`: the known device, or the address. */
  clientKey: string,
  /** 'first' for a known device: its check waits behind no stranger's. */
  lane: Argon2Lane = 'normal',
): Promise<PasswordStepResult> {
  const now = (deps.now ?? (() => new Date()))();
  const db = deps.database.db;
  // A name no account can have (control characters, say) is an unknown user, without a query.
  const [found] = USERNAME_PATTERN.test(username)
    ? await db.select().from(users).where(eq(users.username, username)).limit(1)
    : [];
  if (!found) {
    await deps.passwords.verifyDummy(password, deps.passwordCost, lane);
    // No username in the event: a mistyped password in the username field must not be kept.
    await db.transaction(async (tx) => {
      await appendAuditEvent(tx, {
        actorType: 'system',
        action: 'auth.login_failed',
        details: { reason: 'unknown_user' },
      });
    });
    return { ok: false, reason: 'unknown_user' };
  }
  // Always verify, even for a locked account, so the answer takes the same time.
  const passwordOk = await deps.passwords.verify(found.passwordHash, password, lane);
  const key = await totpKeyOf(deps.config);
  return db.transaction(async (tx): Promise<PasswordStepResult> => {
    const [user] = await tx.select().from(users).where(eq(users.id, found.id)).for('update');
    if (!user) return { ok: false, reason: 'unknown_user' };
    if (user.disabledAt) {
      await recordFailure(tx, user, clientKey, 'disabled', now);
      return { ok: false, reason: 'disabled' };
    }
    const lock = await lockOf(tx, user, clientKey, now);
    if (lock) {
      await recordFailure(tx, user, clientKey, 'locked', now, { step: 'password', lockScope: lock });
      return { ok: false, reason: 'locked' };
    }
    if (!passwordOk) {
      await recordFailure(tx, user, clientKey, 'bad_password', now);
      return { ok: false, reason: 'bad_password' };
    }
    // One pending login per user; everyone's expired ones go too (no sweeper needed).
    await tx
      .delete(loginChallenges)
      .where(or(eq(loginChallenges.userId, user.id), lt(loginChallenges.expiresAt, now)));
    const challenge = randomToken();
    const expiresAt = new Date(now.getTime() + CHALLENGE_MINUTES * 60_000);
    if (user.totpSecret && user.totpEnrolledAt) {
      await tx
        .insert(loginChallenges)
        .values({ id: tokenId(challenge), userId: user.id, purpose: 'totp', expiresAt });
      return { ok: true, next: 'totp', challenge };
    }
    const secret = generateTotpSecret();
    await tx.insert(loginChallenges).values({
      id: tokenId(challenge),
      userId: user.id,
      purpose: 'enroll',
      pendingTotpSecret: await encryptTotpSecret(key, user.id, secret),
      expiresAt,
    });
    return { ok: true, next: 'enroll', challenge, ...(await enrolmentOf(secret, user.username)) };
  });
}

export type SecondStepResult =
  | { ok: true; user: SessionUserView; csrfToken: string }
  /** `username`: the account the challenge belonged to, so the caller counts the failure against it. */
  | { ok: false; reason: LoginFailureReason | 'invalid_challenge'; username?: string };

/**
 * Step 2: the TOTP code (purpose 'totp') or the first code of a new secret (purpose
 * 'enroll'). A code is accepted once: its time step must be later than the last one used.
 * Success consumes the challenge, resets the failure count and opens the session.
 */
export async function checkSecondFactor(
  deps: LoginServiceDeps,
  purpose: 'totp' | 'enroll',
  challenge: string,
  code: string,
  res: Response,
  /** The client's key for this account (a device is known per account, login-defences.ts). */
  clientKeyFor: (username: string) => string,
): Promise<SecondStepResult> {
  const now = (deps.now ?? (() => new Date()))();
  const key = await totpKeyOf(deps.config);
  return deps.database.db.transaction(async (tx): Promise<SecondStepResult> => {
    const [pending] = await tx
      .select()
      .from(loginChallenges)
      .where(and(eq(loginChallenges.id, tokenId(challenge)), eq(loginChallenges.purpose, purpose)))
      .limit(1);
    if (!pending || pending.expiresAt <= now) {
      if (pending) await tx.delete(loginChallenges).where(eq(loginChallenges.id, pending.id));
      return { ok: false, reason: 'invalid_challenge' };
    }
    const [user] = await tx.select().from(users).where(eq(users.id, pending.userId)).for('update');
    if (!user) return { ok: false, reason: 'invalid_challenge' };
    const clientKey = clientKeyFor(user.username);
    const failed = (reason: LoginFailureReason): SecondStepResult => ({
      ok: false,
      reason,
      username: user.username,
    });
    if (user.disabledAt) {
      await tx.delete(loginChallenges).where(eq(loginChallenges.userId, user.id));
      await recordFailure(tx, user, clientKey, 'disabled', now);
      return failed('disabled');
    }
    const lock = await lockOf(tx, user, clientKey, now);
    if (lock) {
      // This client's challenge goes; the user's own login elsewhere stays unless the account is locked.
      await tx
        .delete(loginChallenges)
        .where(lock === 'account' ? eq(loginChallenges.userId, user.id) : eq(loginChallenges.id, pending.id));
      await recordFailure(tx, user, clientKey, 'locked', now, { step: 'totp', lockScope: lock });
      return failed('locked');
    }
    const sealed = purpose === 'enroll' ? pending.pendingTotpSecret : user.totpSecret;
    // Enrolment is only for an account without TOTP; a 2FA login needs one.
    if (!sealed || (purpose === 'enroll') !== (user.totpEnrolledAt === null)) {
      await tx.delete(loginChallenges).where(eq(loginChallenges.id, pending.id));
      return { ok: false, reason: 'invalid_challenge' };
    }
    const secret = await decryptTotpSecret(key, user.id, sealed);
    const step = matchTotpStep(secret, code, now);
    const replayed = step !== null && user.totpLastStep !== null && step <= user.totpLastStep;
    if (step === null || replayed) {
      await recordFailure(tx, user, clientKey, 'bad_totp', now, replayed ? { replay: true } : {});
      return failed('bad_totp');
    }
    await tx.delete(loginChallenges).where(eq(loginChallenges.userId, user.id));
    // Consecutive failures end with a success; the account-wide window runs its course.
    await tx
      .delete(loginFailures)
      .where(and(eq(loginFailures.userId, user.id), eq(loginFailures.clientKey, clientKey)));
    await tx
      .update(users)
      .set({
        totpLastStep: step,
        lastLoginAt: now,
        ...(purpose === 'enroll' ? { totpSecret: sealed, totpEnrolledAt: now } : {}),
      })
      .where(eq(users.id, user.id));
    if (purpose === 'enroll') {
      await appendAuditEvent(tx, {
        actorType: 'user',
        actorId: user.id,
        action: 'auth.totp_enrolled',
        subjectType: 'user',
        subjectId: user.id,
      });
    }
    const session = await createSession(tx, res, user.id, deps.config, now);
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: user.id,
      action: 'auth.login_succeeded',
      subjectType: 'user',
      subjectId: user.id,
      details: { method: purpose === 'enroll' ? 'password+totp_enrolment' : 'password+totp' },
    });
    return { ok: true, user: viewOf(user), csrfToken: session.csrfToken };
  });
}

export async function changeOwnPassword(
  deps: LoginServiceDeps,
  userId: string,
  sessionId: string,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const db = deps.database.db;
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw invalidCredentials();
  // A signed-in user's check waits behind no stranger's guesses.
  if (!(await deps.passwords.verify(user.passwordHash, currentPassword, 'first'))) {
    throw new AppError(403, 'invalid_credentials', 'the current password is wrong');
  }
  const problem = passwordProblem(newPassword, user.username);
  if (problem) throw new AppError(400, 'weak_password', `new password ${problem}`);
  // A temporary password kept as the "new" one would stay known to whoever saw it.
  if (newPassword.normalize('NFC') === currentPassword.normalize('NFC')) {
    throw new AppError(400, 'same_password', 'the new password must differ from the current one');
  }
  const hash = await deps.passwords.hash(newPassword, deps.passwordCost);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash: hash, mustChangePassword: false, updatedAt: new Date() })
      .where(eq(users.id, userId));
    // Other sessions end: a password change is often a reaction to a suspected leak.
    const others = await deleteUserSessions(tx, userId, sessionId);
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: userId,
      action: 'user.password_changed',
      subjectType: 'user',
      subjectId: userId,
      details: { otherSessionsEnded: others, wasRequired: user.mustChangePassword },
    });
  });
}
