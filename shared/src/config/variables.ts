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

/**
 * Express's `trust proxy`: `loopback`, addresses or CIDRs separated by commas, a hop count,
 * or true/false. Which proxies may name the client address (X-Forwarded-For) and HTTPS.
 */
export const trustProxyVariable = z
  .string()
  .min(1)
  .transform((value): boolean | number | string =>
    value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value,
  );
