/**
 * Redis ACL files for docker-compose.yml: one Redis user per process, each with the commands
 * and the keys it needs and nothing else, the `default` user off. The files hold SHA-256
 * hashes of the passwords, never the passwords (those stay in the environment, in REDIS_URL).
 *
 *   npm run redis-acl -- --generate      # prints fresh passwords to add to .env
 *   npm run redis-acl                    # writes secrets/redis/{queue,drafts}-users.acl from .env's
 *
 * Reads REDIS_API_PASSWORD, REDIS_WORKER_PASSWORD, REDIS_BOT_PASSWORD, REDIS_DRAFTS_PASSWORD
 * and REDIS_PREFIX (default `tinbao`); writes to REDIS_ACL_DIR (default ./secrets/redis).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfigOrExit } from '@tinbao/shared';
import { z } from 'zod';

/** The processes of the compose deployment that talk to Redis, as Redis users. */
export const REDIS_USERS = {
  /** The HTTP API: login and receipt look-up counters, notify-unit jobs when a moderator routes. */
  api: 'tinbao-api',
  /** The BullMQ workers (TINBAO_ROLE=worker): intake, triage and notify queues, intake records, relay jobs. */
  worker: 'tinbao-worker',
  /** The gateway: writes intake records and store-tip jobs, runs the relay worker. */
  bot: 'tinbao-bot',
} as const;

export interface RedisPasswords {
  api: string;
  worker: string;
  bot: string;
  /** The gateway's user on the drafts Redis. */
  drafts: string;
}

/**
 * Commands: everything that reads and writes data, scripts (BullMQ is Lua), transactions and
 * blocking pops, minus every @admin and @dangerous command (CONFIG, KEYS, FLUSHALL, DEBUG,
 * MONITOR, ACL, SHUTDOWN …), with back the two harmless ones clients send on connect:
 * INFO (ioredis's ready check, BullMQ's version check) and CLIENT SETNAME (connection names).
 */
const COMMANDS =
  '-@all +@read +@write +@keyspace +@scripting +@transaction +@blocking +@connection -@admin -@dangerous +info +client|setname +client|getname +client|id';

const sha256 = (password: string) => createHash('sha256').update(password).digest('hex');

function userLine(name: string, password: string, keyPatterns: string[], extra = ''): string {
  if (password.length < 32) throw new RangeError(`the password of ${name} is shorter than 32 characters`);
  return [
    'user',
    name,
    'on',
    `#${sha256(password)}`,
    'resetchannels',
    ...keyPatterns,
    COMMANDS,
    ...(extra ? [extra] : []),
  ].join(' ');
}

/** The queue Redis's ACL file: each process's keys under `<prefix>:` (BullMQ's under `<prefix>:bull:<queue>:`). */
export function queueRedisAcl(prefix: string, passwords: Omit<RedisPasswords, 'drafts'>): string {
  const bull = (queue: string) => `~${prefix}:bull:${queue}:*`;
  return `${[
    'user default off',
    userLine(REDIS_USERS.api, passwords.api, [
      // The login's counters and spent proofs of work (api/src/auth/login-guard.ts, proof-of-work.ts).
      `~${prefix}:login-*`,
      `~${prefix}:receipt-lookups:*`,
      bull('notify'),
    ]),
    userLine(REDIS_USERS.worker, passwords.worker, [
      `~${prefix}:intake-record:*`,
      `~${prefix}:intake-answer:*`,
      bull('intake'),
      bull('triage'),
      bull('notify'),
      bull('relay'),
    ]),
    // The gateway writes intake records (tips, residents' answers) but never reads one back (%W: write only).
    userLine(REDIS_USERS.bot, passwords.bot, [
      `%W~${prefix}:intake-record:*`,
      `%W~${prefix}:intake-answer:*`,
      bull('intake'),
      bull('relay'),
    ]),
  ].join('\n')}\n`;
}

/**
 * The drafts Redis's ACL file: the gateway alone, on its `<prefix>:bot:` keys; it may also ask
 * `CONFIG GET` (whether this Redis persists anything), which it checks at every start.
 */
export function draftsRedisAcl(prefix: string, password: string): string {
  return `${[
    'user default off',
    userLine(REDIS_USERS.bot, password, [`~${prefix}:bot:*`], '+config|get'),
  ].join('\n')}\n`;
}

const passwordVariable = z
  .string()
  .min(32, 'must be at least 32 characters (npm run redis-acl -- --generate)');

async function main() {
  if (process.argv.includes('--generate')) {
    for (const name of [
      'REDIS_API_PASSWORD',
      'REDIS_WORKER_PASSWORD',
      'REDIS_BOT_PASSWORD',
      'REDIS_DRAFTS_PASSWORD',
    ])
      console.log(`${name}=${randomBytes(32).toString('hex')}`);
    return;
  }
  // The passwords usually sit in .env beside docker-compose.yml; what the shell sets wins.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfigOrExit(
    z.object({
      REDIS_API_PASSWORD: passwordVariable,
      REDIS_WORKER_PASSWORD: passwordVariable,
      REDIS_BOT_PASSWORD: passwordVariable,
      REDIS_DRAFTS_PASSWORD: passwordVariable,
      REDIS_PREFIX: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/)
        .default('tinbao'),
      REDIS_ACL_DIR: z.string().min(1).default('./secrets/redis'),
    }),
    process.env,
    'redis-acl',
  );
  const dir = resolve(config.REDIS_ACL_DIR);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files: [string, string][] = [
    [
      `${dir}/queue-users.acl`,
      queueRedisAcl(config.REDIS_PREFIX, {
        api: config.REDIS_API_PASSWORD,
        worker: config.REDIS_WORKER_PASSWORD,
        bot: config.REDIS_BOT_PASSWORD,
      }),
    ],
    [`${dir}/drafts-users.acl`, draftsRedisAcl(config.REDIS_PREFIX, config.REDIS_DRAFTS_PASSWORD)],
  ];
  for (const [path, text] of files) {
    await writeFile(path, text);
    // Hashes of 32-byte random passwords only; the redis user inside the container must read it.
    await chmod(path, 0o644);
    console.log(`wrote ${path}`);
  }
  // The folder is the operator's (0700); the redis container reads the files through compose secrets.
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
