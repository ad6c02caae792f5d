import { availableParallelism } from 'node:os';
import {
  booleanVariable,
  databaseUrlVariable,
  hostVariable,
  logLevelVariable,
  POW_MAX_BITS,
  portVariable,
  redisPrefixVariable,
  redisUrlVariable,
  secretKeyVariable,
  trustProxyVariable,
} from '@tinbao/shared';
import { z } from 'zod';
import { RETENTION_VARIABLES } from './retention/config';

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
    /** Where the API listens: loopback unless a reverse proxy elsewhere must reach it. */
    HOST: hostVariable,
    /** Which reverse proxies may name the client address (X-Forwarded-For); unset: none. */
    TRUST_PROXY: trustProxyVariable.default(false),
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
    /** Intake refuses a tip submitted longer ago than this (a forged back-dated record; a backlog longer than this waits for a higher value). */
    INTAKE_MAX_AGE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(14 * 24)
      .default(24),
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
    /** Unsuccessful login attempts allowed per client address per 15 minutes before 429 (known devices aside). */
    LOGIN_IP_FAILURE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
    /** Failed logins of one account (from anywhere, in 15 minutes) before clients it does not know must solve a proof of work. */
    LOGIN_POW_AFTER_FAILURES: z.coerce.number().int().min(0).max(100_000).default(5),
    /** Difficulty of that proof of work: about 2^bits argon2id tries (10: about a second in a browser). */
    LOGIN_POW_BITS: z.coerce.number().int().min(1).max(POW_MAX_BITS).default(10),
    /** Worker threads hashing passwords (argon2id, 64 MiB each). */
    PASSWORD_HASH_THREADS: z.coerce
      .number()
      .int()
      .min(1)
      .max(64)
      .default(() => Math.min(4, availableParallelism())),
    /** Password checks that may wait for a thread; beyond, a login answers 429 server_busy. */
    PASSWORD_HASH_QUEUE: z.coerce.number().int().min(1).max(10_000).default(16),
    /** Shared with the bot: its /trangthai look-ups are rate-limited per resident, not per bot IP. */
    TINBAO_BOT_API_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Days a closed tip's content is kept (365), a rejected or duplicate tip's (90). */
    ...RETENTION_VARIABLES,
    /** The routed unit's officers may ask the resident questions and read the answers (moderators always may). */
    TINBAO_OFFICERS_MAY_ASK: booleanVariable.default(false),
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
