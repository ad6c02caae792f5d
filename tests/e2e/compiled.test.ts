import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATEGORY_LABELS, VENUE_LABELS, WHEN_LABELS } from '@tinbao/bot/conversation/messages';
import { deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotWorld, receiptOf } from '../support/bot-world';
import { freePort, REPO_ROOT, type RunningProcess, startJsProcess } from '../support/processes';
import { startTipInDakrong, webResident } from '../support/residents';

// Production runs `npm run build`'s JavaScript with plain node, no tsx: the bundles must find
// the migrations, the administrative units, the argon2 worker threads and the web form's CSS
// from their own folder. Built once here into a folder of this file's own, then run as the
// image runs them: secrets from files, the gateway holding the public key only.
const outdir = join(REPO_ROOT, 'tests/artifacts', `dist-${randomBytes(6).toString('hex')}`);
const redisPrefix = `compiled-${randomUUID()}`;
const running: RunningProcess[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tinbao-compiled-'));
  const built = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/build.ts', '--outdir', outdir, '--no-ui'],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}\n${built.stderr}`);
}, 120_000);

afterAll(async () => {
  await Promise.all(running.map((process) => process.kill('SIGTERM')));
  const redis = new Redis('redis://127.0.0.1:6379');
  await deleteRedisPrefix(redis, redisPrefix).finally(() => redis.disconnect());
  await rm(outdir, { recursive: true, force: true });
  if (dir) await rm(dir, { recursive: true, force: true });
});

function start(name: 'api' | 'bot' | 'cli', env: Record<string, string>, args: string[] = []) {
  const started = startJsProcess(join(outdir, `${name}.js`), env, args);
  running.push(started);
  return started;
}

/** A file as Docker puts a secret under /run/secrets. */
async function secretFile(name: string, value: string): Promise<string> {
  await mkdir(join(dir, 'run-secrets'), { recursive: true, mode: 0o700 });
  const path = join(dir, 'run-secrets', name);
  await writeFile(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return path;
}

/** Polls an outside state until it holds (no fixed sleeps). */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read().catch(() => undefined as T);
    if (last !== undefined && accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`condition not reached within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}

describe('the compiled api, gateway and CLI (npm run build)', () => {
  it('emits plain JavaScript that imports no TypeScript loader or dev dependency', async () => {
    for (const name of ['api', 'bot', 'cli']) {
      const code = await readFile(join(outdir, `${name}.js`), 'utf8');
      expect(code).not.toMatch(/from "(tsx|vitest|drizzle-kit|esbuild|@tinbao\/[^"]+)"/);
    }
    expect(JSON.parse(await readFile(join(outdir, 'package.json'), 'utf8'))).toMatchObject({
      type: 'module',
    });
    expect((await stat(join(outdir, 'api/drizzle/meta/_journal.json'))).isFile()).toBe(true);
    expect((await stat(join(outdir, 'shared/src/crypto/argon2-worker.mjs'))).isFile()).toBe(true);
  });

  it('the gateway stops with its configuration error when REDIS_URL is missing', async () => {
    const bot = start('bot', {});
    expect((await bot.exited).code).toBe(1);
    expect(bot.output()).toContain('tinbao bot: configuration error: REDIS_URL: is required but not set');
    expect(bot.output()).not.toMatch(/\n\s+at /);
  });

  it('the gateway names a secret file it cannot read', async () => {
    const missing = join(dir, 'no-such-token');
    const bot = start('bot', { REDIS_URL: 'redis://127.0.0.1:6379', TELEGRAM_BOT_TOKEN_FILE: missing });
    expect((await bot.exited).code).toBe(1);
    expect(bot.output()).toContain(
      `tinbao bot: configuration error: TELEGRAM_BOT_TOKEN_FILE: cannot read ${missing}: no such file`,
    );
  });

  it('the CLI prints its usage', async () => {
    const cli = start('cli', {}, ['--help']);
    expect((await cli.exited).code).toBe(0);
    expect(cli.output()).toContain('db migrate');
    expect(cli.output()).toContain('retention purge');
    expect(cli.output()).toContain('--public-key-out');
  });

  it('the api on PGlite answers /healthz, and a tip sent through the gateway web form reaches it', async () => {
    const keysDir = join(dir, 'keys');
    const publicCopy = join(dir, 'org-public-key', 'org.public.key');
    const masterKey = await secretFile('master_key', randomBytes(32).toString('hex'));
    const keys = start('cli', { TINBAO_KEYS_DIR: keysDir, TINBAO_MASTER_KEY_FILE: masterKey }, [
      'keys',
      'init',
      '--if-missing',
      '--public-key-out',
      publicCopy,
    ]);
    expect((await keys.exited).code).toBe(0);
    const botApiToken = await secretFile('bot_api_token', randomBytes(32).toString('base64url'));
    const redisUrl = await secretFile('redis_url', 'redis://127.0.0.1:6379');

    const apiPort = await freePort();
    const api = start('api', {
      PORT: String(apiPort),
      DATA_DIR: join(dir, 'api-data'),
      TINBAO_KEYS_DIR: keysDir,
      TINBAO_MASTER_KEY_FILE: masterKey,
      TINBAO_BOT_API_TOKEN_FILE: botApiToken,
      REDIS_URL_FILE: redisUrl,
      REDIS_PREFIX: redisPrefix,
      COOKIE_SECURE: 'false',
      TINBAO_BOOTSTRAP_ADMIN: 'true',
      PASSWORD_HASH_THREADS: '1',
    });
    await api.waitForOutput(/api listening/, 120_000);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    // Its health connection to Redis may still be connecting when it starts listening.
    const health = await eventually(
      () =>
        fetch(`${apiUrl}/healthz`).then(async (response) => ({
          status: response.status,
          body: await response.json(),
        })),
      (answer) => answer.status === 200,
    );
    expect(health.body).toMatchObject({ ok: true, database: { engine: 'pglite', ok: true } });
    // prom-client's registry, bundled into the api.
    const metrics = await fetch(`${apiUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('tinbao_intake_refused_total');
    // A password check runs on the argon2 pool's thread (argon2-worker.mjs, loaded by URL).
    const firstAdmin = await readFile(join(dir, 'api-data', 'first-admin.txt'), 'utf8');
    const password = /^password: (.+)$/m.exec(firstAdmin)?.[1];
    const login = await fetch(`${apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({ next: 'enroll' });

    const webPort = await freePort();
    const bot = start('bot', {
      REDIS_URL_FILE: redisUrl,
      REDIS_PREFIX: redisPrefix,
      // Only the public key's copy: the folder holding the wrapped private key is not given.
      TINBAO_ORG_PUBLIC_KEY_FILE: publicCopy,
      TINBAO_GATEWAY_KEYS_DIR: join(dir, 'gateway-keys'),
      DATA_DIR: join(dir, 'bot-data'),
      TINBAO_API_URL: apiUrl,
      TINBAO_BOT_API_TOKEN_FILE: botApiToken,
      WEB_FORM_PORT: String(webPort),
      WEB_FORM_TRUST_PROXY: 'loopback',
    });
    await bot.waitForOutput(/bot started/, 60_000);
    const css = await fetch(`http://127.0.0.1:${webPort}/tinbao.css`);
    expect(css.status).toBe(200);

    // The web resident needs the form's address only.
    const you = webResident({
      web: () => ({ url: () => `http://127.0.0.1:${webPort}` }),
    } as unknown as BotWorld);
    await startTipInDakrong(you, CATEGORY_LABELS.mua_ban);
    await you.choose(VENUE_LABELS.karaoke);
    await you.choose(WHEN_LABELS.hom_nay);
    await you.say('Có người bán ma túy ở quán karaoke, tối nào cũng có.');
    await you.choose('Không có ảnh');
    await you.choose('Không');
    const receiptCode = receiptOf((await you.choose('Gửi')).join('\n'));
    expect(receiptCode).toBeDefined();

    const status = await eventually(
      () =>
        fetch(`${apiUrl}/api/v1/receipts/${receiptCode}`).then(
          (response) => response.json() as Promise<{ ok?: boolean }>,
        ),
      (body: { ok?: boolean }) => body.ok === true,
    );
    expect(status).toEqual({ ok: true, status: 'received' });
    expect(api.output() + bot.output()).not.toContain(
      await readFile(botApiToken, 'utf8').then((t) => t.trim()),
    );
  }, 240_000);
});
