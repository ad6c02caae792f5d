/**
 * `npm start`: TinBao on one machine with nothing but Node.js and redis-server.
 * Embedded PGlite under ./data, a redis-server of its own (AOF on, ./data/redis) unless
 * REDIS_URL is set, the local Telegram and Zalo emulators and web chats unless their tokens are
 * set, then the api (HTTP + workers) and the bot (which also serves the web tip form) as child
 * processes. Ctrl-C stops them all.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { ensureUiBuilt } from '@tinbao/moderation-ui/scripts/ensure-built';
import { loadConfigOrExit, portVariable } from '@tinbao/shared';
import { z } from 'zod';
import {
  ensureRedisPassword,
  localRedisUrl,
  type RedisServerName,
  spawnRedisServer,
  waitForRedis,
} from './redis-server';

const ROOT = resolve(import.meta.dirname, '..');
const config = loadConfigOrExit(
  z.object({
    PORT: portVariable(3000),
    DATA_DIR: z.string().min(1).default('./data'),
    REDIS_URL: z.string().optional(),
    TINBAO_REDIS_PORT: portVariable(6390),
    DRAFT_REDIS_URL: z.string().optional(),
    TINBAO_DRAFT_REDIS_PORT: portVariable(6391),
    TELEGRAM_BOT_TOKEN: z.string().optional(),
    TELEGRAM_EMULATOR_PORT: portVariable(8081),
    ZALO_BOT_TOKEN: z.string().optional(),
    ZALO_EMULATOR_PORT: portVariable(8082),
    TINBAO_KEYS_DIR: z.string().min(1).default('./secrets'),
    WEB_FORM_PORT: portVariable(8090),
    TINBAO_MASTER_KEY: z.string().optional(),
    TINBAO_MASTER_KEY_FILE: z.string().optional(),
  }),
  process.env,
  'start',
);
const dataDir = resolve(ROOT, config.DATA_DIR);
const keysDir = resolve(ROOT, config.TINBAO_KEYS_DIR);
// Every file TinBao creates (database, Redis, keys) is readable by its own user only: 0600 files, 0700 folders.
process.umask(0o077);
const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

function say(message: string) {
  console.log(`[tinbao] ${message}`);
}

function fail(message: string): never {
  console.error(`[tinbao] ${message}`);
  void stopAll(1);
  throw new Error(message);
}

/** Runs a child, prefixing each line it prints with its name. */
function run(name: string, command: string, args: string[], env: Record<string, string | undefined> = {}) {
  return adopt(
    name,
    spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** Takes a started child into the family: its lines prefixed, its exit stopping TinBao, stopped with it. */
function adopt(name: string, child: ChildProcess) {
  const prefix = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line) stream.write(`[${name}] ${line}\n`);
  };
  child.stdout?.on('data', prefix(process.stdout));
  child.stderr?.on('data', prefix(process.stderr));
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(
      `[tinbao] ${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping TinBao`,
    );
    void stopAll(1);
  });
  children.push({ name, child });
  return child;
}

const runTs = (name: string, entry: string, env: Record<string, string | undefined>, args: string[] = []) =>
  // `node --import tsx`: one process per part, so signals reach the program itself.
  run(name, process.execPath, ['--import', 'tsx', entry, ...args], env);

function waitForLine(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolveWait, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`${what} did not start within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-10_000);
      if (pattern.test(seen)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolveWait();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`${what} exited during start-up`));
    });
  });
}

/** Whether something already listens on 127.0.0.1:port. */
function portTaken(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolvePort(true);
    });
    socket.once('error', () => resolvePort(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolvePort(false);
    });
  });
}

async function stopAll(exitCode: number) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  // Bot and api first (they drain their work), Redis last so nothing is lost on the way out.
  for (const name of ['bot', 'api', 'emulator', 'redis-drafts', 'redis']) {
    const entry = children.find((c) => c.name === name);
    if (!entry || entry.child.exitCode !== null || entry.child.signalCode !== null) continue;
    const exited = new Promise((done) => entry.child.once('exit', done));
    entry.child.kill('SIGTERM');
    const timer = setTimeout(() => entry.child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  process.exit(exitCode);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

/** Installs from before the keys had a folder of their own kept them in DATA_DIR: move them out once. */
function moveOldKeys() {
  const moves: [string, string][] = [
    [`${dataDir}/keys`, keysDir],
    [`${dataDir}/bot-keys`, `${keysDir}/gateway`],
  ];
  for (const [from, to] of moves) {
    if (!existsSync(from)) continue;
    mkdirSync(to, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(from)) {
      if (existsSync(`${to}/${name}`))
        fail(`both ${from}/${name} and ${to}/${name} exist: keep one, then start again`);
      renameSync(`${from}/${name}`, `${to}/${name}`);
    }
    rmdirSync(from);
    say(`moved the keys from ${from} to ${to}`);
  }
}

/**
 * A redis-server of ours on 127.0.0.1 with its own password (generated once into the keys
 * folder, given on its standard input); resolves to its URL, password inside, once it answers.
 */
async function startRedis(
  name: string,
  server: RedisServerName,
  portNumber: number,
  variables: string,
  settings: string[],
) {
  if (spawnSync('redis-server', ['--version']).error) {
    fail(
      `redis-server is not installed: sudo apt-get install -y redis-server (or set ${variables.split(' or ')[1]})`,
    );
  }
  if (settings.some((line) => line.startsWith('dir ')))
    mkdirSync(`${dataDir}/redis`, { recursive: true, mode: 0o700 });
  const password = await ensureRedisPassword(keysDir, server);
  const child = adopt(name, spawnRedisServer({ port: portNumber, password, settings }));
  await waitForRedis(child, portNumber, password).catch((error: Error) =>
    fail(`${error.message}; is port ${portNumber} taken? (set ${variables})`),
  );
  return localRedisUrl(portNumber, password);
}

async function main() {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19))
    fail(`Node.js 20.19 or newer is needed (this is ${process.version})`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  // A second TinBao (or anything else) on our ports would make a child fail with a misleading message.
  const ports: [string, number, boolean][] = [
    ['PORT (api and moderation UI)', config.PORT, true],
    ['TINBAO_REDIS_PORT (embedded redis-server)', config.TINBAO_REDIS_PORT, !config.REDIS_URL],
    [
      'TINBAO_DRAFT_REDIS_PORT (drafts redis-server)',
      config.TINBAO_DRAFT_REDIS_PORT,
      !config.DRAFT_REDIS_URL,
    ],
    ['TELEGRAM_EMULATOR_PORT (Telegram emulator)', config.TELEGRAM_EMULATOR_PORT, !config.TELEGRAM_BOT_TOKEN],
    ['ZALO_EMULATOR_PORT (Zalo emulator)', config.ZALO_EMULATOR_PORT, !config.ZALO_BOT_TOKEN],
    ['WEB_FORM_PORT (web tip form)', config.WEB_FORM_PORT, true],
  ];
  for (const [name, port, needed] of ports) {
    if (needed && (await portTaken(port))) {
      fail(
        `port ${port} is already in use (is TinBao already running?); set ${name.split(' ')[0]} to another port`,
      );
    }
  }

  // Keys apart from data: a copy of ./data alone opens nothing. The organisation key pair (its
  // private half wrapped by the master key) and the gateway's secrets live in ./secrets.
  if (keysDir === dataDir || keysDir.startsWith(`${dataDir}/`))
    fail(`TINBAO_KEYS_DIR (${keysDir}) must be outside DATA_DIR (${dataDir})`);
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  moveOldKeys();
  const masterKeyFile = config.TINBAO_MASTER_KEY
    ? undefined
    : (config.TINBAO_MASTER_KEY_FILE ?? `${keysDir}/master.key`);
  const keysInit = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'api/src/cli/main.ts', 'keys', 'init', '--if-missing'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        TINBAO_KEYS_DIR: keysDir,
        ...(masterKeyFile ? { TINBAO_MASTER_KEY_FILE: masterKeyFile } : {}),
      },
    },
  );
  if (keysInit.status !== 0) fail('the organisation keys could not be created');

  // Redis: ours, with AOF, unless one is given.
  const redisUrl =
    config.REDIS_URL ??
    (await startRedis('redis', 'queue', config.TINBAO_REDIS_PORT, 'TINBAO_REDIS_PORT or REDIS_URL', [
      `dir "${dataDir}/redis"`,
      'appendonly yes',
      'appendfsync everysec',
      'save ""',
    ]));
  // Drafts: a second redis-server that writes nothing to disk, so a sent or cancelled draft
  // leaves no copy in any file (the queue's AOF keeps every write it ever saw).
  const draftRedisUrl =
    config.DRAFT_REDIS_URL ??
    (await startRedis(
      'redis-drafts',
      'drafts',
      config.TINBAO_DRAFT_REDIS_PORT,
      'TINBAO_DRAFT_REDIS_PORT or DRAFT_REDIS_URL',
      ['save ""', 'appendonly no'],
    ));

  // The moderation UI, built on first start and again after a change to its sources.
  try {
    ensureUiBuilt(say);
  } catch {
    fail('the moderation UI did not build (npm run build -w moderation-ui shows why)');
  }

  // Each channel: the real platform with a token, else its local emulator and web chat (one process).
  let channels: Record<string, string> = {
    ...(config.TELEGRAM_BOT_TOKEN ? { TELEGRAM_BOT_TOKEN: config.TELEGRAM_BOT_TOKEN } : {}),
    ...(config.ZALO_BOT_TOKEN ? { ZALO_BOT_TOKEN: config.ZALO_BOT_TOKEN } : {}),
  };
  const playgrounds: string[] = [];
  const emulated = [
    ...(config.TELEGRAM_BOT_TOKEN ? [] : ['telegram']),
    ...(config.ZALO_BOT_TOKEN ? [] : ['zalo']),
  ];
  if (emulated.length > 0) {
    const telegramPort = String(config.TELEGRAM_EMULATOR_PORT);
    const zaloPort = String(config.ZALO_EMULATOR_PORT);
    const emulator = runTs(
      'emulator',
      'emulators/src/main.ts',
      {
        TELEGRAM_EMULATOR_PORT: telegramPort,
        ZALO_EMULATOR_PORT: zaloPort,
      },
      emulated,
    );
    await waitForLine(emulator, /emulators ready/i, 'the emulators', 60_000).catch((error: Error) =>
      fail(error.message),
    );
    if (emulated.includes('telegram')) {
      channels = {
        ...channels,
        TELEGRAM_BOT_TOKEN: '1000001:local-emulator',
        TELEGRAM_API_ROOT: `http://127.0.0.1:${telegramPort}`,
      };
      playgrounds.push(
        `http://127.0.0.1:${telegramPort}/playground  (local Telegram emulator; set TELEGRAM_BOT_TOKEN for Telegram)`,
      );
    }
    if (emulated.includes('zalo')) {
      channels = {
        ...channels,
        ZALO_BOT_TOKEN: `2000001:${randomBytes(12).toString('hex')}`,
        ZALO_API_ROOT: `http://127.0.0.1:${zaloPort}`,
      };
      playgrounds.push(
        `http://127.0.0.1:${zaloPort}/playground  (local Zalo emulator; set ZALO_BOT_TOKEN for Zalo)`,
      );
    }
  }

  const shared = {
    DATA_DIR: dataDir,
    TINBAO_KEYS_DIR: keysDir,
    REDIS_URL: redisUrl,
    ...(masterKeyFile ? { TINBAO_MASTER_KEY_FILE: masterKeyFile } : {}),
  };
  // A fresh token per start: the api trusts the bot's per-resident receipt look-up header.
  const botApiToken = randomBytes(32).toString('base64url');
  const api = runTs('api', 'api/src/main.ts', {
    ...shared,
    TINBAO_BOT_API_TOKEN: botApiToken,
    PORT: String(config.PORT),
    // Served over plain http on this machine; production sits behind TLS with secure cookies.
    COOKIE_SECURE: process.env.COOKIE_SECURE ?? 'false',
    TINBAO_BOOTSTRAP_ADMIN: process.env.TINBAO_BOOTSTRAP_ADMIN ?? 'true',
  });
  await waitForLine(api, /api listening/, 'the api', 180_000).catch((error: Error) => fail(error.message));
  const bot = runTs('bot', 'bot/src/main.ts', {
    ...shared,
    // glibc gives each thread that mallocs (argon2id workers, sharp, libuv) an arena of its own
    // and hands little back: the gateway's memory crept up by conversations. Two arenas keep it flat.
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    DRAFT_REDIS_URL: draftRedisUrl,
    ...channels,
    TINBAO_API_URL: `http://127.0.0.1:${config.PORT}`,
    TINBAO_BOT_API_TOKEN: botApiToken,
    WEB_FORM_PORT: String(config.WEB_FORM_PORT),
    TINBAO_WEB_FORM_URL: process.env.TINBAO_WEB_FORM_URL ?? `http://127.0.0.1:${config.WEB_FORM_PORT}`,
  });
  await waitForLine(bot, /bot (started|listening|running)|polling/i, 'the bot', 120_000).catch(
    (error: Error) => fail(error.message),
  );

  say('TinBao is running. Ctrl-C stops it.');
  say(`  moderation UI:  http://localhost:${config.PORT}`);
  say(`  web tip form:   http://127.0.0.1:${config.WEB_FORM_PORT}  (no JavaScript; works in Tor Browser)`);
  for (const playground of playgrounds) say(`  resident chat:  ${playground}`);
  if (existsSync(`${dataDir}/first-admin.txt`)) {
    say(`  first login:    user admin, one-time password in ${dataDir}/first-admin.txt`);
  }
  say(`  data:           ${dataDir}`);
  say(`  keys:           ${keysDir}  (back it up apart from the data; without it the data opens nothing)`);
}

main().catch((error: Error) => {
  if (!stopping) {
    console.error(`[tinbao] cannot start: ${error.message}`);
    void stopAll(1);
  }
});
