import type { Argon2Pool } from '@tinbao/shared';
import {
  ChangePasswordRequestSchema,
  LoginEnrollRequestSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  LoginTotpRequestSchema,
  LogoutResponseSchema,
  SessionResponseSchema,
} from '@tinbao/shared/api/auth';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { appendAuditEvent } from '../audit/audit-log';
import { type AnyRouteSpec, defineRoute } from '../openapi/route-spec';
import { AppError, unauthorized } from '../platform/errors';
import { users } from '../platform/schema';
import { createLoginDefences, type LoginDefenceDeps } from './login-defences';
import { createPasswordHasher, defaultArgon2Pool } from './passwords';
import { changeOwnPassword, type LoginServiceDeps, viewOf } from './service';
import { clearSessionCookie, deleteSession } from './sessions';

export interface AuthRouterDeps extends Omit<LoginServiceDeps, 'passwords'> {
  config: LoginDefenceDeps['config'];
  /** Fast-fail Redis for the login counters. */
  redisFast: Redis;
  /** The bounded argon2id pool (server.ts); the process default when absent (tests, tools). */
  argon2?: Argon2Pool;
}

/**
 * /api/v1/auth as route specs (mounted and documented through api/src/features.ts):
 * login (password → TOTP or enrolment → session cookie), logout, me, password. Login steps
 * need no session and no CSRF token (there is none yet); SameSite=Strict and JSON-only
 * bodies keep other sites from posting them. The login's defences against floods live in
 * login-defences.ts.
 */
export function authRouteSpecs(routerDeps: AuthRouterDeps): AnyRouteSpec[] {
  const argon2 = routerDeps.argon2 ?? defaultArgon2Pool();
  const deps: LoginDefenceDeps = { ...routerDeps, argon2, passwords: createPasswordHasher(argon2) };
  const defences = createLoginDefences(deps);
  // The dummy hash for unknown users is computed now, not on the first unknown login.
  deps.passwords.prepareDummy(deps.passwordCost).catch(() => {});

  const secondFactor = (purpose: 'totp' | 'enroll') =>
    defineRoute<undefined, undefined, typeof LoginTotpRequestSchema, true>({
      method: 'post',
      path: `/auth/login/${purpose}`,
      operationId: purpose === 'totp' ? 'loginTotp' : 'loginEnroll',
      summary:
        purpose === 'totp'
          ? 'Second login step: the 6-digit TOTP code; sets the session cookie (tinbao_session) and the device cookie (tinbao_device)'
          : 'First login of an account without TOTP: the first code of the new secret enrols it; sets the session and device cookies',
      tag: 'auth',
      permission: 'public',
      body: purpose === 'totp' ? LoginTotpRequestSchema : LoginEnrollRequestSchema,
      response: SessionResponseSchema,
      handler: async ({ body, req, res }) => {
        const result = await defences.secondStep(req, res, purpose, body);
        return { ok: true, user: result.user, csrfToken: result.csrfToken };
      },
    });

  return [
    defineRoute<undefined, undefined, typeof LoginRequestSchema, true>({
      method: 'post',
      path: '/auth/login',
      operationId: 'login',
      summary:
        'First login step: username and password → a challenge for the TOTP step (or enrolment data). Any failure: 401 invalid_credentials. After repeated failures of the account, a browser that never logged in to it gets 401 proof_of_work_required with a puzzle (`pow`) to solve and send back; 429 rate_limited (this address) or server_busy (hashing queue full)',
      tag: 'auth',
      permission: 'public',
      body: LoginRequestSchema,
      response: LoginResponseSchema,
      handler: async ({ body, req }) => defences.passwordStep(req, body),
    }),
    secondFactor('totp'),
    secondFactor('enroll'),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      operationId: 'logout',
      summary: 'Ends the session (the row is deleted, the cookie cleared)',
      tag: 'auth',
      permission: 'session.self',
      response: LogoutResponseSchema,
      handler: async ({ auth, res }) => {
        await deps.database.db.transaction(async (tx) => {
          await deleteSession(tx, auth.sessionId);
          await appendAuditEvent(tx, {
            actorType: 'user',
            actorId: auth.userId,
            action: 'auth.logout',
            subjectType: 'user',
            subjectId: auth.userId,
          });
        });
        clearSessionCookie(res, deps.config);
        return { ok: true };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/auth/me',
      operationId: 'me',
      summary: 'The signed-in user and the CSRF token of the session; 401 without a session',
      tag: 'auth',
      permission: 'session.self',
      response: SessionResponseSchema,
      handler: async ({ auth, res }) => {
        const [user] = await deps.database.db.select().from(users).where(eq(users.id, auth.userId)).limit(1);
        if (!user) throw unauthorized();
        return {
          ok: true,
          user: viewOf(user),
          csrfToken: res.locals.csrfToken as string,
        };
      },
    }),
    defineRoute<undefined, undefined, typeof ChangePasswordRequestSchema>({
      method: 'post',
      path: '/auth/password',
      operationId: 'changePassword',
      summary:
        'Changes the own password (12+ characters, not containing the username, different from the current one); clears mustChangePassword; ends the other sessions',
      tag: 'auth',
      permission: 'session.self',
      body: ChangePasswordRequestSchema,
      response: LogoutResponseSchema,
      handler: async ({ auth, body, req }) => {
        // A wrong current password counts like a failed login: a stolen session cannot guess it.
        await defences.checkAddress(req);
        try {
          await changeOwnPassword(deps, auth.userId, auth.sessionId, body.currentPassword, body.newPassword);
        } catch (error) {
          if (error instanceof AppError && error.code === 'invalid_credentials')
            await defences.countAddressFailure(req);
          throw error;
        }
        return { ok: true };
      },
    }),
  ];
}
