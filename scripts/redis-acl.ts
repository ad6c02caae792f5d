/**
 * The Redis secrets of docker-compose.yml: one Redis user per process, each with the commands
 * and the keys it needs and nothing else, the `default` user off.
 *
 *   npm run redis-acl
 *
 * writes into TINBAO_SECRETS_DIR (default ./secrets), as Docker secrets (README «Deployment»):
 * - redis_api_url, redis_worker_url, redis_bot_url, redis_bot_drafts_url: each process's
 *   redis://user:password@host:6379, read through REDIS_URL_FILE / DRAFT_REDIS_URL_FILE; made
 *   once with a random password, kept as they are on later runs;
 * - redis_queue_acl, redis_drafts_acl: the two redis-servers' ACL files, made again on every run
 *   from those passwords (SHA-256 hashes, never a password). REDIS_PREFIX: default `tinbao`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfigOrExit } from '@tinbao/shared';
import { z } from 'zod';

/** The processes of the compose deployment that talk to Redis, as Redis users. */
export const REDIS_USERS = {
  /** The HTTP API: login and receipt look-up counters, notify-unit jobs when a moderator routes. */
  api: 'tinbao-api',
  /** The BullMQ workers (TINBAO_ROLE=worker): intake, triage, notify and retention queues, intake records, relay jobs. */
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
      // The daily purge (api/src/retention/worker.ts): its job scheduler and jobs.
      bull('retention'),
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

/** The Docker secrets (files of TINBAO_SECRETS_DIR) that carry each Redis user's URL, by password. */
export const REDIS_URL_SECRETS = {
  api: 'redis_api_url',
  worker: 'redis_worker_url',
  bot: 'redis_bot_url',
  drafts: 'redis_bot_drafts_url',
} as const satisfies Record<keyof RedisPasswords, string>;

/** The Docker secrets holding the two redis-servers' ACL files. */
export const REDIS_ACL_SECRETS = { queue: 'redis_queue_acl', drafts: 'redis_drafts_acl' } as const;

/** Each password's URL as compose's services reach the two Redis (services `redis`, `redis-drafts`). */
export function composeRedisUrls(passwords: RedisPasswords): Record<keyof RedisPasswords, string> {
  const url = (user: string, password: string, host: string) =>
    `redis://${user}:${encodeURIComponent(password)}@${host}:6379`;
  return {
    api: url(REDIS_USERS.api, passwords.api, 'redis'),
    worker: url(REDIS_USERS.worker, passwords.worker, 'redis'),
    bot: url(REDIS_USERS.bot, passwords.bot, 'redis'),
    drafts: url(REDIS_USERS.bot, passwords.drafts, 'redis-drafts'),
  };
}

/** The password of a URL file made earlier, or undefined when there is none yet. */
async function passwordOf(path: string): Promise<string | undefined> {
  if (!existsSync(path)) return undefined;
  const text = (await readFile(path, 'utf8')).trim();
  const password = URL.canParse(text) ? decodeURIComponent(new URL(text).password) : '';
  if (password.length < 32)
    throw new RangeError(`${path} holds no redis:// URL with a password of 32 characters or more`);
  return password;
}

/** Writes a secret file anew: readable by the containers' users (node, redis), the 0700 folder keeps others out. */
async function writeSecret(path: string, text: string): Promise<void> {
  await rm(path, { force: true });
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o444);
  console.log(`wrote ${path}`);
}

async function main() {
  const config = loadConfigOrExit(
    z.object({
      REDIS_PREFIX: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/)
        .default('tinbao'),
      TINBAO_SECRETS_DIR: z.string().min(1).default('./secrets'),
    }),
    process.env,
    'redis-acl',
  );
  const dir = resolve(config.TINBAO_SECRETS_DIR);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const names = Object.keys(REDIS_URL_SECRETS) as (keyof RedisPasswords)[];
  const found = await Promise.all(names.map((name) => passwordOf(join(dir, REDIS_URL_SECRETS[name]))));
  const passwords = Object.fromEntries(
    names.map((name, index) => [name, found[index] ?? randomBytes(32).toString('hex')]),
  ) as unknown as RedisPasswords;
  const urls = composeRedisUrls(passwords);
  for (const [index, name] of names.entries()) {
    if (found[index] === undefined) await writeSecret(join(dir, REDIS_URL_SECRETS[name]), `${urls[name]}\n`);
  }
  await writeSecret(join(dir, REDIS_ACL_SECRETS.queue), queueRedisAcl(config.REDIS_PREFIX, passwords));
  await writeSecret(
    join(dir, REDIS_ACL_SECRETS.drafts),
    draftsRedisAcl(config.REDIS_PREFIX, passwords.drafts),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
