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
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import { appendAuditEvent } from '../audit/audit-log';
import { type AnyRouteSpec, defineRoute } from '../openapi/route-spec';
import { AppError, tooManyRequests, unauthorized } from '../platform/errors';
import { users } from '../platform/schema';
import { dummyHashOf } from './passwords';
import { LoginRateLimiter } from './rate-limit';
import {
  changeOwnPassword,
  checkPassword,
  checkSecondFactor,
  invalidChallenge,
  invalidCredentials,
  type LoginServiceDeps,
  viewOf,
} from './service';
import { clearSessionCookie, deleteSession } from './sessions';

export interface AuthRouterDeps extends LoginServiceDeps {
  /** Fast-fail Redis for the per-IP failure counter. */
  redisFast: Redis;
}

const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * /api/v1/auth as route specs (mounted and documented through api/src/features.ts):
 * login (password → TOTP or enrolment → session cookie), logout, me, password. Login steps
 * need no session and no CSRF token (there is none yet); SameSite=Strict and JSON-only
 * bodies keep other sites from posting them.
 */
export function authRouteSpecs(deps: AuthRouterDeps): AnyRouteSpec[] {
  const limiter = new LoginRateLimiter(
    deps.redisFast,
    deps.config.REDIS_PREFIX,
    deps.config.LOGIN_IP_FAILURE_LIMIT,
    deps.logger,
  );
  // The dummy hash for unknown users is computed now, not on the first unknown login.
  dummyHashOf(deps.passwordCost).catch(() => {});
  const checkIp = async (req: Request) => {
    const ip = clientIp(req);
    if (await limiter.isBlocked(ip)) throw tooManyRequests('too many failed logins from this address');
    return ip;
  };

  const secondFactor = (purpose: 'totp' | 'enroll') =>
    defineRoute<undefined, undefined, typeof LoginTotpRequestSchema, true>({
      method: 'post',
      path: `/auth/login/${purpose}`,
      operationId: purpose === 'totp' ? 'loginTotp' : 'loginEnroll',
      summary:
        purpose === 'totp'
          ? 'Second login step: the 6-digit TOTP code; sets the session cookie (tinbao_session)'
          : 'First login of an account without TOTP: the first code of the new secret enrols it; sets the session cookie',
      tag: 'auth',
      permission: 'public',
      body: purpose === 'totp' ? LoginTotpRequestSchema : LoginEnrollRequestSchema,
      response: SessionResponseSchema,
      handler: async ({ body, req, res }) => {
        const ip = await checkIp(req);
        const result = await checkSecondFactor(deps, purpose, body.challenge, body.code, res, ip);
        if (!result.ok) {
          await limiter.recordFailure(ip);
          deps.logger.info({ reason: result.reason, step: purpose }, 'login failed');
          throw result.reason === 'invalid_challenge' ? invalidChallenge() : invalidCredentials();
        }
        deps.logger.info({ userId: result.user.id }, 'login succeeded');
        return { ok: true, user: result.user, csrfToken: result.csrfToken };
      },
    });

  return [
    defineRoute<undefined, undefined, typeof LoginRequestSchema, true>({
      method: 'post',
      path: '/auth/login',
      operationId: 'login',
      summary:
        'First login step: username and password → a challenge for the TOTP step (or enrolment data). Any failure: 401 invalid_credentials',
      tag: 'auth',
      permission: 'public',
      body: LoginRequestSchema,
      response: LoginResponseSchema,
      handler: async ({ body, req }) => {
        const ip = await checkIp(req);
        const result = await checkPassword(deps, body.username, body.password, ip);
        if (!result.ok) {
          await limiter.recordFailure(ip);
          deps.logger.info({ reason: result.reason, step: 'password' }, 'login failed');
          throw invalidCredentials();
        }
        return result;
      },
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
        const ip = await checkIp(req);
        try {
          await changeOwnPassword(deps, auth.userId, auth.sessionId, body.currentPassword, body.newPassword);
        } catch (error) {
          if (error instanceof AppError && error.code === 'invalid_credentials')
            await limiter.recordFailure(ip);
          throw error;
        }
        return { ok: true };
      },
    }),
  ];
}
