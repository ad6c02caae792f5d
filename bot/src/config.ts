import {
  logLevelVariable,
  portVariable,
  redisPrefixVariable,
  redisUrlVariable,
  secretKeyVariable,
  trustProxyVariable,
} from '@tinbao/shared';
import { z } from 'zod';

/**
 * The gateway's secrets (and the Redis URLs, which may carry a password): each may also be read
 * from the file NAME_FILE names (Docker secrets, /run/secrets/…). The organisation's public key
 * is no secret, but compose hands it over as a file too.
 */
export const BOT_FILE_VARIABLES = [
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'ZALO_BOT_TOKEN',
  'ZALO_WEBHOOK_SECRET',
  'REDIS_URL',
  'DRAFT_REDIS_URL',
  'TINBAO_BOT_API_TOKEN',
  'TINBAO_BOT_DRAFT_KEY',
  'TINBAO_BOT_PEPPER',
  'TINBAO_BOT_RELAY_KEY',
  'TINBAO_ORG_PUBLIC_KEY',
] as const;

/** Every environment variable the bot process reads, parsed once in main.ts. */
export const BotConfigSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456:ABC-DEF…')
      .optional(),
    TELEGRAM_API_ROOT: z.url({ message: 'must be a URL, e.g. http://127.0.0.1:8081' }).optional(),
    TELEGRAM_WEBHOOK_URL: z.url({ message: 'must be an https:// URL Telegram can reach' }).optional(),
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 letters, digits, _ or -')
      .optional(),
    BOT_WEBHOOK_PORT: portVariable(8443),
    ZALO_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like {bot_id}:{access_token}')
      .optional(),
    ZALO_API_ROOT: z.url({ message: 'must be a URL, e.g. http://127.0.0.1:8082' }).optional(),
    ZALO_WEBHOOK_URL: z.url({ message: 'must be an https:// URL Zalo can reach' }).optional(),
    ZALO_WEBHOOK_SECRET: z
      .string()
      .min(8, 'must be 8-256 characters')
      .max(256, 'must be 8-256 characters')
      .optional(),
    ZALO_WEBHOOK_PORT: portVariable(8444),
    /** Where the bot's webhook servers listen (the reverse proxy in front of them reaches it). */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** The web form (always served by the gateway): its port on HOST. */
    WEB_FORM_PORT: portVariable(8090),
    /**
     * Which proxies may name the client address (X-Forwarded-For) and HTTPS (X-Forwarded-Proto)
     * for the web form's in-memory rate limits and Secure cookie: Express's `trust proxy`
     * ("loopback", addresses or CIDRs separated by commas, or a hop count). Unset: none.
     */
    WEB_FORM_TRUST_PROXY: trustProxyVariable.optional(),
    /** The web form's public address, named in the messengers' welcome. */
    TINBAO_WEB_FORM_URL: z.url({ message: 'must be a URL, e.g. https://tinbao.example.vn' }).optional(),
    REDIS_URL: redisUrlVariable,
    /** Drafts' Redis, which must persist nothing (checked at start); REDIS_URL when unset. */
    DRAFT_REDIS_URL: redisUrlVariable.optional(),
    DRAFT_REDIS_VOLATILE: z.literal('confirmed').optional(),
    REDIS_PREFIX: redisPrefixVariable,
    DATA_DIR: z.string().min(1).default('./data'),
    TINBAO_KEYS_DIR: z.string().min(1).optional(),
    /** The gateway's own secrets (draft key, pepper, relay key, reporter pepper); writable by the gateway only. */
    TINBAO_GATEWAY_KEYS_DIR: z.string().min(1).optional(),
    TINBAO_ORG_PUBLIC_KEY: secretKeyVariable.optional(),
    TINBAO_BOT_DRAFT_KEY: secretKeyVariable.optional(),
    TINBAO_BOT_PEPPER: secretKeyVariable.optional(),
    TINBAO_BOT_RELAY_KEY: secretKeyVariable.optional(),
    /** How long the sealed "same reporter" pseudonym links a resident's tips: its pepper is then replaced. */
    TINBAO_REPORTER_PERIOD: z.enum(['month', 'week']).default('month'),
    TINBAO_API_URL: z.url({ message: 'must be the API base URL, e.g. http://127.0.0.1:3000' }).optional(),
    /** Shared with the api: lets it rate-limit /trangthai per resident instead of per bot IP. */
    TINBAO_BOT_API_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    LOG_LEVEL: logLevelVariable,
    /** Every this many seconds, one log line of the process's memory (0: never). */
    BOT_MEMORY_LOG_SECONDS: z.coerce.number().int().min(0).max(86_400).default(0),
  })
  // No messenger token is required: the gateway always serves the web form.
  .superRefine((config, context) => {
    if (config.ZALO_WEBHOOK_URL && !config.ZALO_WEBHOOK_SECRET) {
      context.addIssue({
        code: 'custom',
        path: ['ZALO_WEBHOOK_SECRET'],
        message: 'is required when ZALO_WEBHOOK_URL is set (Zalo sends it back on every call)',
      });
    }
    if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_SECRET) {
      context.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'is required when TELEGRAM_WEBHOOK_URL is set (Telegram sends it back on every call)',
      });
    }
  });
export type BotProcessConfig = z.output<typeof BotConfigSchema>;

/** The gateway's own secrets: beside the organisation's keys when they have a folder of their own, else under DATA_DIR. */
export const botKeysDirOf = (config: {
  DATA_DIR: string;
  TINBAO_KEYS_DIR?: string | undefined;
  TINBAO_GATEWAY_KEYS_DIR?: string | undefined;
}) =>
  config.TINBAO_GATEWAY_KEYS_DIR ??
  (config.TINBAO_KEYS_DIR ? `${config.TINBAO_KEYS_DIR}/gateway` : `${config.DATA_DIR}/bot-keys`);
