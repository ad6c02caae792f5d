import {
  ChangePasswordRequestSchema,
  LoginEnrollRequestSchema,
  LoginRequestSchema,
  LoginTotpRequestSchema,
} from '@tinbao/shared/api/auth';
import { eq } from 'drizzle-orm';
import { type Request, type Response, Router } from 'express';
import type { Redis } from 'ioredis';
import { appendAuditEvent } from '../audit/audit-log';
import { tooManyRequests, unauthorized } from '../platform/errors';
import { users } from '../platform/schema';
import { validate, validated } from '../platform/validate';
import { authenticate, csrfProtection, getAuth } from './middleware';
import { LoginRateLimiter } from './rate-limit';
import {
  changeOwnPassword,
  checkPassword,
  checkSecondFactor,
  invalidChallenge,
  invalidCredentials,
  type LoginServiceDeps,
} from './service';
import { clearSessionCookie, deleteSession } from './sessions';

export interface AuthRouterDeps extends LoginServiceDeps {
  /** Fast-fail Redis for the per-IP failure counter. */
  redisFast: Redis;
}

const loginSchemas = { body: LoginRequestSchema };
const totpSchemas = { body: LoginTotpRequestSchema };
const enrollSchemas = { body: LoginEnrollRequestSchema };
const passwordSchemas = { body: ChangePasswordRequestSchema };

/**
 * /api/v1/auth: login (password → TOTP or enrolment → session cookie), logout, me, password.
 * Login steps need no session and no CSRF token (there is none yet); SameSite=Strict and
 * JSON-only bodies keep other sites from posting them.
 */
export function authRouter(deps: AuthRouterDeps): Router {
  const router = Router();
  const limiter = new LoginRateLimiter(
    deps.redisFast,
    deps.config.REDIS_PREFIX,
    deps.config.LOGIN_IP_FAILURE_LIMIT,
    deps.logger,
  );
  const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

  router.post('/api/v1/auth/login', validate(loginSchemas), async (req, res) => {
    const ip = clientIp(req);
    if (await limiter.isBlocked(ip)) throw tooManyRequests('too many failed logins from this address');
    const { body } = validated(res, loginSchemas);
    const result = await checkPassword(deps, body.username, body.password);
    if (!result.ok) {
      await limiter.recordFailure(ip);
      deps.logger.info({ reason: result.reason, step: 'password' }, 'login failed');
      throw invalidCredentials();
    }
    res.json(result);
  });

  const secondFactor = (purpose: 'totp' | 'enroll') => async (req: Request, res: Response) => {
    const ip = clientIp(req);
    if (await limiter.isBlocked(ip)) throw tooManyRequests('too many failed logins from this address');
    const { body } = validated(res, purpose === 'totp' ? totpSchemas : enrollSchemas);
    const result = await checkSecondFactor(deps, purpose, body.challenge, body.code, res);
    if (!result.ok) {
      await limiter.recordFailure(ip);
      deps.logger.info({ reason: result.reason, step: purpose }, 'login failed');
      throw result.reason === 'invalid_challenge' ? invalidChallenge() : invalidCredentials();
    }
    deps.logger.info({ userId: result.user.id }, 'login succeeded');
    res.json({ ok: true, user: result.user, csrfToken: result.csrfToken });
  };
  router.post('/api/v1/auth/login/totp', validate(totpSchemas), secondFactor('totp'));
  router.post('/api/v1/auth/login/enroll', validate(enrollSchemas), secondFactor('enroll'));

  router.post('/api/v1/auth/logout', authenticate(deps), csrfProtection(), async (_req, res) => {
    const auth = getAuth(res);
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
    res.json({ ok: true });
  });

  router.get('/api/v1/auth/me', authenticate(deps), async (_req, res) => {
    const auth = getAuth(res);
    const [user] = await deps.database.db.select().from(users).where(eq(users.id, auth.userId)).limit(1);
    if (!user) throw unauthorized();
    res.json({
      ok: true,
      user: {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        unitId: user.unitId,
      },
      csrfToken: res.locals.csrfToken as string,
    });
  });

  router.post(
    '/api/v1/auth/password',
    authenticate(deps),
    csrfProtection(),
    validate(passwordSchemas),
    async (_req, res) => {
      const auth = getAuth(res);
      const { body } = validated(res, passwordSchemas);
      await changeOwnPassword(deps, auth.userId, auth.sessionId, body.currentPassword, body.newPassword);
      res.json({ ok: true });
    },
  );

  return router;
}
