import { isIP } from 'node:net';
import { z } from 'zod';

/** Building blocks for the per-process environment schemas. Each names what is wrong in its message. */

export const portVariable = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole port number')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .default(fallback);

export const redisUrlVariable = z
  .string()
  .regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379');

export const databaseUrlVariable = z
  .string()
  .regex(
    /^postgres(ql)?:\/\/[^\s]+$/,
    'must be a postgres:// URL, e.g. postgres://user@127.0.0.1:5432/tinbao',
  );

export const logLevelVariable = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'must be one of fatal, error, warn, info, debug, trace, silent',
  })
  .default('info');

/** A 32-byte secret given as 64 hex characters or as base64. */
export const secretKeyVariable = z.string().transform((value, context) => {
  const bytes = decodeSecret(value);
  if (bytes?.length !== 32) {
    context.addIssue({ code: 'custom', message: 'must be 32 bytes as 64 hex characters or base64' });
    return z.NEVER;
  }
  return bytes;
});

export function decodeSecret(value: string): Uint8Array | undefined {
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return new Uint8Array(Buffer.from(trimmed, 'hex'));
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    return new Uint8Array(Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  }
  return undefined;
}

export const booleanVariable = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const redisPrefixVariable = z
  .string()
  .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be 1-64 letters, digits, colons, dashes or underscores')
  .default('tinbao');

/** Where a server listens: an address (or a name) to bind; loopback unless the operator says otherwise. */
export const hostVariable = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9.:_-]+$/, 'must be an address to listen on, e.g. 127.0.0.1, 0.0.0.0 or ::1')
  .default('127.0.0.1');

const NAMED_PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(item: string): boolean {
  if (NAMED_PROXY_RANGES.has(item)) return true;
  const [address, prefix, ...rest] = item.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Express's `trust proxy`: which reverse proxies may name the client address
 * (X-Forwarded-For) and the scheme. Named, never guessed: `loopback`, addresses or CIDRs
 * separated by commas, or a hop count. `true` is refused: it would believe any client's
 * X-Forwarded-For, and every per-address limit would then be the client's to choose.
 */
export const trustProxyVariable = z
  .string()
  .trim()
  .transform((value, context): false | number | string => {
    if (value === 'false' || value === '0') return false;
    if (/^\d+$/.test(value)) return Number(value);
    const items = value.split(',').map((item) => item.trim());
    const bad = items.filter((item) => !isProxyAddress(item));
    if (value === 'true' || bad.length > 0) {
      context.addIssue({
        code: 'custom',
        message:
          value === 'true'
            ? 'true would trust any X-Forwarded-For: name the proxies (loopback, 10.0.0.0/8, …) or a hop count'
            : `must be loopback, linklocal, uniquelocal, addresses or CIDRs separated by commas, or a hop count (not ${bad.join(', ')})`,
      });
      return z.NEVER;
    }
    return items.join(',');
  });
