import {
  booleanVariable,
  databaseUrlVariable,
  logLevelVariable,
  portVariable,
  redisPrefixVariable,
  redisUrlVariable,
  secretKeyVariable,
  trustProxyVariable,
} from '@tinbao/shared';
import { z } from 'zod';

/**
 * The api's secrets (and the URLs that may carry a password): each may also be read from the
 * file NAME_FILE names (Docker secrets, /run/secrets/…). TINBAO_MASTER_KEY_FILE names the
 * master key's file as it always did.
 */
export const API_FILE_VARIABLES = [
  'DATABASE_URL',
  'DATABASE_PASSWORD',
  'DATABASE_MIGRATION_URL',
  'DATABASE_MIGRATION_PASSWORD',
  'REDIS_URL',
  'TINBAO_MASTER_KEY',
  'TINBAO_BOT_API_TOKEN',
] as const;

/** Every environment variable the api process reads, parsed once in main.ts. */
export const ApiConfigSchema = z
  .object({
    PORT: portVariable(3000),
    DATA_DIR: z.string().min(1).default('./data'),
    /** The role the api works as: on a server with two roles, the app role (no DDL, audit append-only). */
    DATABASE_URL: databaseUrlVariable.optional(),
    /** Replaces the password of DATABASE_URL (so the URL itself holds no secret). */
    DATABASE_PASSWORD: z.string().min(1).optional(),
    /** The schema owner: migrations run as it at start-up, then the api works as DATABASE_URL. */
    DATABASE_MIGRATION_URL: databaseUrlVariable.optional(),
    DATABASE_MIGRATION_PASSWORD: z.string().min(1).optional(),
    REDIS_URL: redisUrlVariable,
    REDIS_PREFIX: redisPrefixVariable,
    TINBAO_MASTER_KEY: secretKeyVariable.optional(),
    TINBAO_MASTER_KEY_FILE: z.string().min(1).optional(),
    TINBAO_KEYS_DIR: z.string().min(1).optional(),
    TINBAO_ROLE: z.enum(['all', 'http', 'worker'], { message: 'must be all, http or worker' }).default('all'),
    INTAKE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
    LOG_LEVEL: logLevelVariable,
    SEED_ADMIN_UNITS: booleanVariable.default(true),
    /** `npm start` sets it: create `admin` with a one-time password file when there is no staff account. */
    TINBAO_BOOTSTRAP_ADMIN: booleanVariable.default(false),
    /** Secure flag of the session cookie; false only for plain http://127.0.0.1 (launcher, tests). */
    COOKIE_SECURE: booleanVariable.default(true),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24)
      .default(12),
    /** Failed login attempts allowed per client IP per 15 minutes before 429. */
    LOGIN_IP_FAILURE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
    /** Shared with the bot: its /trangthai look-ups are rate-limited per resident, not per bot IP. */
    TINBAO_BOT_API_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    /**
     * Express `trust proxy`: which reverse proxies may name the client address (login rate
     * limits per IP) and HTTPS. Default loopback; behind compose's Caddy its network's hop.
     */
    TRUST_PROXY: trustProxyVariable.default('loopback'),
  })
  .superRefine((config, context) => {
    if (config.DATABASE_MIGRATION_URL && !config.DATABASE_URL) {
      context.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'is required when DATABASE_MIGRATION_URL is set (the app role the api works as)',
      });
    }
    for (const [password, url] of [
      ['DATABASE_PASSWORD', 'DATABASE_URL'],
      ['DATABASE_MIGRATION_PASSWORD', 'DATABASE_MIGRATION_URL'],
    ] as const) {
      if (config[password] && !config[url]) {
        context.addIssue({ code: 'custom', path: [password], message: `is set but ${url} is not` });
      }
    }
    if (!config.TINBAO_MASTER_KEY && !config.TINBAO_MASTER_KEY_FILE) {
      context.addIssue({
        code: 'custom',
        path: ['TINBAO_MASTER_KEY'],
        message: 'is required but not set (or set TINBAO_MASTER_KEY_FILE to a file holding it)',
      });
    }
  });
export type ApiConfig = z.output<typeof ApiConfigSchema>;

/** A postgres:// URL with its password replaced, when one is given apart from it. */
export function withPassword(url: string, password: string | undefined): string {
  if (!password) return url;
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** The URLs the api connects with, passwords applied: the app role's and the owner's (migrations). */
export function databaseUrlsOf(
  config: Pick<
    ApiConfig,
    'DATABASE_URL' | 'DATABASE_PASSWORD' | 'DATABASE_MIGRATION_URL' | 'DATABASE_MIGRATION_PASSWORD'
  >,
): { url: string; migrationUrl?: string } | undefined {
  if (!config.DATABASE_URL) return undefined;
  const url = withPassword(config.DATABASE_URL, config.DATABASE_PASSWORD);
  return config.DATABASE_MIGRATION_URL
    ? { url, migrationUrl: withPassword(config.DATABASE_MIGRATION_URL, config.DATABASE_MIGRATION_PASSWORD) }
    : { url };
}
