import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { LoginKeys } from './login-keys';
import { cookieOptions, readCookie, type SessionSettings } from './sessions';

/**
 * "This browser has logged in to this account before": set after a successful second factor,
 * it lets its owner past the proof of work and the per-address limit that strangers' failures
 * raise (issue 11). It names no user in the clear and opens nothing by itself: the password and
 * the TOTP code are still asked. HttpOnly, SameSite=Strict, signed (HMAC under a key derived
 * from the master key), renewed at each login.
 */
export const DEVICE_COOKIE = 'tinbao_device';
export const DEVICE_COOKIE_DAYS = 30;

const VERSION = 1;
const ID_BYTES = 16;
const ACCOUNT_BYTES = 16;
const MAC_BYTES = 16;
// version || device id || account key || issued at (seconds, u32)
const PAYLOAD_BYTES = 1 + ID_BYTES + ACCOUNT_BYTES + 4;

export interface KnownDevice {
  /** Random, base64url: what the defences count this device's own failures by. */
  id: string;
  /** `LoginKeys.accountKey` of the account it logged in to. */
  accountKey: string;
  issuedAt: Date;
}

const macOf = (keys: LoginKeys, payload: Buffer) =>
  createHmac('sha256', keys.deviceCookieKey).update(payload).digest().subarray(0, MAC_BYTES);

/** The request's device cookie when it is ours, intact and under DEVICE_COOKIE_DAYS old; else null. */
export function readDeviceCookie(req: Request, keys: LoginKeys, now: Date): KnownDevice | null {
  const value = readCookie(req, DEVICE_COOKIE);
  if (!value) return null;
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length !== PAYLOAD_BYTES + MAC_BYTES || bytes[0] !== VERSION) return null;
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  if (!timingSafeEqual(macOf(keys, payload), bytes.subarray(PAYLOAD_BYTES))) return null;
  const issuedAt = new Date(payload.readUInt32BE(1 + ID_BYTES + ACCOUNT_BYTES) * 1000);
  const age = now.getTime() - issuedAt.getTime();
  if (age < -60_000 || age > DEVICE_COOKIE_DAYS * 86_400_000) return null;
  return {
    id: payload.subarray(1, 1 + ID_BYTES).toString('base64url'),
    accountKey: payload.subarray(1 + ID_BYTES, 1 + ID_BYTES + ACCOUNT_BYTES).toString('hex'),
    issuedAt,
  };
}

/**
 * Sets (or renews) the device cookie for `accountKey`. One account per browser: a second
 * account logging in on a shared computer takes the cookie over (the first one then meets
 * the strangers' defences until its next login there).
 */
export function setDeviceCookie(
  res: Response,
  keys: LoginKeys,
  settings: SessionSettings,
  accountKey: string,
  now: Date,
  deviceId?: string,
): void {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload[0] = VERSION;
  const id = deviceId ? Buffer.from(deviceId, 'base64url') : randomBytes(ID_BYTES);
  id.copy(payload, 1, 0, ID_BYTES);
  Buffer.from(accountKey, 'hex').copy(payload, 1 + ID_BYTES, 0, ACCOUNT_BYTES);
  payload.writeUInt32BE(Math.floor(now.getTime() / 1000), 1 + ID_BYTES + ACCOUNT_BYTES);
  const value = Buffer.concat([payload, macOf(keys, payload)]).toString('base64url');
  res.cookie(DEVICE_COOKIE, value, {
    ...cookieOptions(settings),
    // Only the login routes read it.
    path: '/api/v1/auth/login',
    maxAge: DEVICE_COOKIE_DAYS * 86_400_000,
  });
}
