import { createHash, randomBytes } from 'node:crypto';
import { and, eq, lte, ne, or } from 'drizzle-orm';
import type { CookieOptions, Request, Response } from 'express';
import type { DbOrTx } from '../platform/db';
import { sessions, users } from '../platform/schema';

export const SESSION_COOKIE = 'tinbao_session';

export interface SessionSettings {
  COOKIE_SECURE: boolean;
  SESSION_IDLE_MINUTES: number;
  SESSION_ABSOLUTE_HOURS: number;
}

/** 32 random bytes, base64url: the cookie value, a login challenge, a CSRF token. */
export const randomToken = () => randomBytes(32).toString('base64url');

/** Only the SHA-256 of a bearer token is stored, so a database dump opens no session. */
export const tokenId = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export function cookieOptions(settings: SessionSettings): CookieOptions {
  return { httpOnly: true, secure: settings.COOKIE_SECURE, sameSite: 'strict', path: '/' };
}

/** Reads one cookie from the Cookie header (no cookie-parser needed for a single name). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eqAt = part.indexOf('=');
    if (eqAt < 0) continue;
    if (part.slice(0, eqAt).trim() !== name) continue;
    const value = part.slice(eqAt + 1).trim();
    // Our tokens are base64url: anything else is not ours.
    return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
  }
  return undefined;
}

export function clearSessionCookie(res: Response, settings: SessionSettings): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(settings));
}

export interface NewSession {
  token: string;
  id: string;
  csrfToken: string;
  absoluteExpiresAt: Date;
}

/** Creates a session row and sets its cookie (the cookie lives until the absolute expiry). */
export async function createSession(
  tx: DbOrTx,
  res: Response,
  userId: string,
  settings: SessionSettings,
  now: Date,
): Promise<NewSession> {
  const token = randomToken();
  const id = tokenId(token);
  const csrfToken = randomToken();
  const absoluteExpiresAt = new Date(now.getTime() + settings.SESSION_ABSOLUTE_HOURS * 3_600_000);
  const idleExpiresAt = idleExpiry(now, absoluteExpiresAt, settings);
  await tx
    .insert(sessions)
    .values({ id, userId, csrfToken, createdAt: now, idleExpiresAt, absoluteExpiresAt });
  // Expired rows (anyone's) go on each login: the table stays small without a sweeper.
  await tx.delete(sessions).where(or(lte(sessions.idleExpiresAt, now), lte(sessions.absoluteExpiresAt, now)));
  res.cookie(SESSION_COOKIE, token, { ...cookieOptions(settings), expires: absoluteExpiresAt });
  return { token, id, csrfToken, absoluteExpiresAt };
}

export function idleExpiry(now: Date, absoluteExpiresAt: Date, settings: SessionSettings): Date {
  return new Date(
    Math.min(now.getTime() + settings.SESSION_IDLE_MINUTES * 60_000, absoluteExpiresAt.getTime()),
  );
}

export async function findSessionWithUser(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      sessionId: sessions.id,
      csrfToken: sessions.csrfToken,
      idleExpiresAt: sessions.idleExpiresAt,
      absoluteExpiresAt: sessions.absoluteExpiresAt,
      userId: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      unitId: users.unitId,
      provinceCode: users.provinceCode,
      disabledAt: users.disabledAt,
      mustChangePassword: users.mustChangePassword,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
    .limit(1);
  return row;
}

export async function deleteSession(db: DbOrTx, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}

/** Disabling a user, a 2FA reset or a password reset ends every session they have. */
export async function deleteUserSessions(
  db: DbOrTx,
  userId: string,
  exceptSessionId?: string,
): Promise<number> {
  const deleted = await db
    .delete(sessions)
    .where(
      exceptSessionId
        ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
        : eq(sessions.userId, userId),
    )
    .returning({ id: sessions.id });
  return deleted.length;
}

export async function touchSession(db: DbOrTx, id: string, idleExpiresAt: Date): Promise<void> {
  await db.update(sessions).set({ idleExpiresAt }).where(eq(sessions.id, id));
}
