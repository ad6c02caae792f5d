import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '@tinbao/shared';
import { type Actor, can, type Permission, type StaffRole } from '@tinbao/shared/permissions/index';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiConfig } from '../config';
import type { Database } from '../platform/db';
import { AppError, forbidden, unauthorized } from '../platform/errors';
import {
  clearSessionCookie,
  deleteSession,
  findSessionWithUser,
  idleExpiry,
  readCookie,
  SESSION_COOKIE,
  tokenId,
  touchSession,
} from './sessions';

export type { StaffRole };

/** Who is calling (the shared Actor plus the session): set by `authenticate` in `res.locals.auth`. */
export interface AuthContext extends Actor {
  username: string;
  sessionId: string;
  /** The account has a temporary password: only ALLOWED_BEFORE_PASSWORD_CHANGE routes answer. */
  mustChangePassword: boolean;
}

/** What a user with a temporary password may call: see who they are, change it, or leave. */
export const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set([
  'GET /api/v1/auth/me',
  'HEAD /api/v1/auth/me',
  'POST /api/v1/auth/password',
  'POST /api/v1/auth/logout',
]);

export const passwordChangeRequired = () =>
  new AppError(403, 'password_change_required', 'change your password first');

/**
 * What the auth middleware and routes need. `ApiDeps` satisfies it, so feature routers
 * pass their deps straight through: `authenticate(deps)`.
 */
export interface AuthDeps {
  database: Database;
  config: Pick<
    ApiConfig,
    | 'COOKIE_SECURE'
    | 'SESSION_IDLE_MINUTES'
    | 'SESSION_ABSOLUTE_HOURS'
    | 'LOGIN_IP_FAILURE_LIMIT'
    | 'REDIS_PREFIX'
    | 'TINBAO_MASTER_KEY'
    | 'TINBAO_MASTER_KEY_FILE'
  >;
  logger: Logger;
  /** Injected clock (tests move it to expire sessions and locks); defaults to the system clock. */
  now?: () => Date;
}

// Refreshing the idle expiry on every request would write on every request: once a minute is enough.
const TOUCH_INTERVAL_MS = 60_000;

/**
 * 401 `{ ok:false, error:'unauthorized' }` without a valid session. On success sets
 * `res.locals.auth` (AuthContext) and `res.locals.csrfToken`, and refreshes the idle expiry.
 */
export function authenticate(deps: AuthDeps): RequestHandler {
  const now = deps.now ?? (() => new Date());
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const token = readCookie(req, SESSION_COOKIE);
      if (!token) return next(unauthorized());
      const id = tokenId(token);
      const db = deps.database.db;
      const row = await findSessionWithUser(db, id);
      const at = now();
      if (!row) {
        clearSessionCookie(res, deps.config);
        return next(unauthorized());
      }
      if (at >= row.idleExpiresAt || at >= row.absoluteExpiresAt || row.disabledAt) {
        await deleteSession(db, id);
        clearSessionCookie(res, deps.config);
        return next(unauthorized('session expired, log in again'));
      }
      const refreshed = idleExpiry(at, row.absoluteExpiresAt, deps.config);
      if (refreshed.getTime() - row.idleExpiresAt.getTime() >= TOUCH_INTERVAL_MS) {
        await touchSession(db, id, refreshed);
      }
      const auth: AuthContext = {
        userId: row.userId,
        username: row.username,
        role: row.role,
        unitId: row.unitId,
        provinceCode: row.provinceCode,
        sessionId: id,
        mustChangePassword: row.mustChangePassword,
      };
      res.locals.auth = auth;
      res.locals.csrfToken = row.csrfToken;
      if (auth.mustChangePassword) {
        // The matched route's pattern when mounted as a route; any other path is refused (fail closed).
        const routePath = (req.route as { path?: unknown } | undefined)?.path;
        const path =
          typeof routePath === 'string' ? `${req.baseUrl}${routePath}` : req.originalUrl.split('?')[0];
        if (!ALLOWED_BEFORE_PASSWORD_CHANGE.has(`${req.method} ${path}`))
          return next(passwordChangeRequired());
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

/**
 * 403 `forbidden` unless the caller's role holds the permission (the shared model, without a
 * resource: the service checks the scope). Use after `authenticate`.
 */
export function requirePermission(permission: Permission): RequestHandler {
  return (_req, res, next) => {
    const auth = res.locals.auth as AuthContext | undefined;
    if (!auth) return next(unauthorized());
    if (!can(auth, permission)) return next(forbidden());
    next();
  };
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * On POST/PUT/PATCH/DELETE the `X-CSRF-Token` header must equal the session's token,
 * else 403 `csrf_failed`. Use after `authenticate`.
 */
export function csrfProtection(): RequestHandler {
  return (req, res, next) => {
    if (!STATE_CHANGING.has(req.method)) return next();
    const expected = res.locals.csrfToken as string | undefined;
    if (!expected) return next(unauthorized());
    const given = req.get('x-csrf-token') ?? '';
    const a = Buffer.from(given, 'utf8');
    const b = Buffer.from(expected, 'utf8');
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      return next(new AppError(403, 'csrf_failed', 'missing or wrong X-CSRF-Token header'));
    }
    next();
  };
}

/** The caller's AuthContext; throws 401 if `authenticate` did not run or failed. */
export function getAuth(res: Response): AuthContext {
  const auth = res.locals.auth as AuthContext | undefined;
  if (!auth) throw unauthorized();
  return auth;
}
