import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@tinbao/api/cli/testing';
import { API_FILE_VARIABLES } from '@tinbao/api/config';
import { TEST_POSTGRES_URL } from '@tinbao/api/platform/test-database';
import { BOT_FILE_VARIABLES } from '@tinbao/bot/config';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort, REPO_ROOT } from '../support/processes';

// The deployment files as a reviewer reads them (docker-compose.yml, Dockerfile, .dockerignore),
// then run where this machine can: the compose file through `docker compose config` (no
// daemon needed), the Caddyfile in a real Caddy in front of stub upstreams, and the
// PostgreSQL init script with `tinbao db migrate` against the local server.
const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const has = (command: string, args = ['--version']) => {
  const run = spawnSync(command, args);
  return !run.error && run.status === 0;
};

interface ComposeService {
  image?: string;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string | number>;
  secrets?: string[];
  volumes?: string[];
  networks?: string[];
  read_only?: boolean;
  cap_drop?: string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
  networks: Record<string, { internal?: boolean }>;
};
const services = compose.services;
const TINBAO_SERVICES = ['keys-init', 'migrate', 'api', 'worker', 'bot'];
const CLI_FILE_VARIABLES = [
  'DATABASE_URL',
  'DATABASE_PASSWORD',
  'DATABASE_MIGRATION_URL',
  'DATABASE_MIGRATION_PASSWORD',
];

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('docker-compose.yml', () => {
  it('publishes ports for Caddy only', () => {
    const published = Object.entries(services).filter(([, service]) => service.ports?.length);
    expect(published.map(([name]) => name)).toEqual(['caddy']);
    expect(compose.networks.backend?.internal).toBe(true);
    for (const store of ['postgres', 'redis', 'redis-drafts'])
      expect(services[store]!.networks).toEqual(['backend']);
  });

  it('gives no secret through the environment, only as files under /run/secrets the service mounts', () => {
    const secretName = /(TOKEN|SECRET|PASSWORD|MASTER_KEY|PEPPER|DRAFT_KEY|RELAY_KEY)$/;
    for (const [name, service] of Object.entries(services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        expect(`${name}: ${variable}`).not.toMatch(secretName);
        // A URL carries no password: postgres://user@host, redis://host.
        expect(`${name}: ${variable}=${value}`).not.toMatch(/:\/\/[^/@\s]*:[^/@\s]*@/);
        const file = /^\/run\/secrets\/(.+)$/.exec(String(value));
        if (file) {
          expect(variable, `${name}: ${variable}`).toMatch(/_FILE$/);
          expect(service.secrets, `${name} mounts the secret ${file[1]}`).toContain(file[1]);
        }
      }
    }
    for (const [name, secret] of Object.entries(compose.secrets))
      expect(secret.file).toBe(`./secrets/${name}`);
  });

  it('names only *_FILE variables the process reads from files', () => {
    const readers: Record<string, readonly string[]> = {
      api: API_FILE_VARIABLES,
      worker: API_FILE_VARIABLES,
      bot: BOT_FILE_VARIABLES,
      migrate: CLI_FILE_VARIABLES,
      // keys init reads (or creates) the master key file itself.
      'keys-init': ['TINBAO_MASTER_KEY'],
    };
    for (const name of TINBAO_SERVICES) {
      const fileVariables = Object.keys(services[name]!.environment ?? {})
        .filter((variable) => variable.endsWith('_FILE'))
        .map((variable) => variable.slice(0, -'_FILE'.length));
      for (const variable of fileVariables)
        expect(readers[name], `${name}: ${variable}_FILE`).toContain(variable);
    }
  });

  it('runs compiled JavaScript from one image, read-only, without capabilities', () => {
    for (const name of TINBAO_SERVICES) {
      const service = services[name]!;
      expect(service.image).toBe(services.api!.image);
      expect(service.command?.slice(0, 2)).toEqual([
        'node',
        expect.stringMatching(/^dist\/(api|bot|cli)\.js$/),
      ]);
      expect(service.read_only).toBe(true);
      expect(service.cap_drop).toEqual(['ALL']);
    }
  });

  it('mounts only the public key into the gateway, and the owner role only into migrate', () => {
    const bot = services.bot!;
    expect(bot.volumes).toContain('org-public-key:/org-public-key:ro');
    expect(bot.volumes?.some((volume) => volume.startsWith('keys:'))).toBe(false);
    expect(bot.environment?.TINBAO_KEYS_DIR).toBeUndefined();
    expect(bot.secrets).not.toContain('master_key');
    const withOwner = Object.entries(services).filter(([, service]) =>
      Object.keys(service.environment ?? {}).some((variable) => variable.startsWith('DATABASE_MIGRATION')),
    );
    expect(withOwner.map(([name]) => name)).toEqual(['migrate']);
    expect(services.api!.environment?.DATABASE_URL).toMatch(/^postgres:\/\/tinbao_app@/);
    expect(services.migrate!.environment?.DATABASE_MIGRATION_URL).toMatch(/^postgres:\/\/tinbao_owner@/);
  });

  const composeCommand = has('docker', ['compose', 'version'])
    ? ['docker', 'compose']
    : has('docker-compose', ['version'])
      ? ['docker-compose']
      : undefined;
  it.skipIf(!composeCommand)(
    'passes `docker compose config` (no daemon needed), and names a missing domain',
    () => {
      const [command, ...args] = composeCommand!;
      const env = {
        PATH: process.env.PATH,
        TINBAO_STAFF_DOMAIN: 'staff.tinbao.example.vn',
        TINBAO_PUBLIC_DOMAIN: 'tinbao.example.vn',
        ACME_EMAIL: 'ops@example.vn',
      };
      const file = join(REPO_ROOT, 'docker-compose.yml');
      const valid = spawnSync(command!, [...args, '-f', file, 'config', '-q'], { env, encoding: 'utf8' });
      expect(valid.stderr).toBe('');
      expect(valid.status).toBe(0);
      const { TINBAO_STAFF_DOMAIN: _, ...withoutStaff } = env;
      const missing = spawnSync(command!, [...args, '-f', file, 'config', '-q'], {
        env: withoutStaff,
        encoding: 'utf8',
      });
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain('TINBAO_STAFF_DOMAIN');
    },
  );
});

describe('Dockerfile and .dockerignore', () => {
  it('builds in one stage and runs node dist/… as user node with production dependencies only', () => {
    const dockerfile = read('Dockerfile');
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(final).toMatch(/^\nFROM \$\{NODE_IMAGE\}\n/);
    expect(final).toContain('USER node');
    expect(final).toContain('CMD ["node", "dist/api.js"]');
    expect(final).toContain('COPY --from=deps /app/node_modules');
    expect(final).not.toMatch(/COPY \. |tsx/);
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(dockerfile).toContain('RUN npm run build');
    for (const volume of ['/data', '/keys', '/gateway-keys', '/bot-data', '/org-public-key'])
      expect(final).toMatch(new RegExp(`chown node:node [^\\n]*${volume}\\b`));
  });

  it('keeps secrets, data, installs, builds, test output and .git out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    for (const pattern of [
      '.git',
      '.env',
      '.env.*',
      'data',
      'secrets',
      'keys',
      '**/*.key',
      '**/node_modules',
      '**/dist',
      'tests/artifacts',
    ])
      expect(ignored).toContain(pattern);
    // shared/data (the administrative units) and api/src/keys are sources, not data or keys.
    expect(ignored.filter((pattern) => /(^|\/)(data|keys)$/.test(pattern) && pattern.includes('**'))).toEqual(
      [],
    );
  });
});

/** An upstream that answers with what reached it, and headers Caddy must strip. */
async function stub(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    res.setHeader('Server', 'stub');
    res.setHeader('X-Powered-By', 'Express');
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        upstream: name,
        path: req.url,
        forwardedFor: req.headers['x-forwarded-for'],
        forwardedProto: req.headers['x-forwarded-proto'],
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  cleanups.push(() => new Promise((done) => server.close(done)));
  return { server, port: address.port };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function httpsGet(port: number, host: string, path: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        servername: host,
        // Caddy's local CA (for *.localhost) is not trusted here; the test is about routing.
        rejectUnauthorized: false,
        headers: { host, 'x-forwarded-for': '203.0.113.66' },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!has('caddy', ['version']))('deploy/Caddyfile in a real Caddy', () => {
  it('proxies the staff UI and API, the web form and the webhooks, nothing else, with security headers', async () => {
    const [api, web, telegram, zalo] = await Promise.all(['api', 'web', 'telegram', 'zalo'].map(stub));
    const home = await mkdtemp(join(tmpdir(), 'tinbao-caddy-'));
    cleanups.push(() => rm(home, { recursive: true, force: true }));
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      // *.localhost: Caddy's own local CA, no ACME, nothing leaves the machine.
      TINBAO_STAFF_DOMAIN: 'staff.localhost',
      TINBAO_PUBLIC_DOMAIN: 'tinbao.localhost',
      ACME_EMAIL: 'ops@example.vn',
      CADDY_HTTP_PORT: String(httpPort),
      CADDY_HTTPS_PORT: String(httpsPort),
      TINBAO_API_UPSTREAM: `127.0.0.1:${api!.port}`,
      TINBAO_WEB_FORM_UPSTREAM: `127.0.0.1:${web!.port}`,
      TINBAO_TELEGRAM_WEBHOOK_UPSTREAM: `127.0.0.1:${telegram!.port}`,
      TINBAO_ZALO_WEBHOOK_UPSTREAM: `127.0.0.1:${zalo!.port}`,
    };
    const validate = spawnSync(
      'caddy',
      ['validate', '--config', 'deploy/Caddyfile', '--adapter', 'caddyfile'],
      {
        cwd: REPO_ROOT,
        env,
        encoding: 'utf8',
      },
    );
    expect(validate.status, validate.stderr).toBe(0);

    const caddy: ChildProcess = spawn(
      'caddy',
      ['run', '--config', 'deploy/Caddyfile', '--adapter', 'caddyfile'],
      {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let log = '';
    caddy.stderr?.on('data', (chunk) => {
      log += chunk;
    });
    cleanups.push(async () => {
      if (caddy.exitCode === null) {
        caddy.kill('SIGTERM');
        await once(caddy, 'exit');
      }
    });
    // Until Caddy listens and has made its local certificates.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ready = await httpsGet(httpsPort, 'staff.localhost', '/').catch(() => undefined);
      if (ready?.status === 200) break;
      if (Date.now() > deadline || caddy.exitCode !== null) throw new Error(`Caddy did not come up:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const reached = async (host: string, path: string, method = 'GET') => {
      const answer = await httpsGet(httpsPort, host, path, method);
      return answer.status === 200
        ? (JSON.parse(answer.body) as { upstream: string; path: string })
        : answer.status;
    };
    expect(await reached('staff.localhost', '/api/v1/tips?limit=5')).toMatchObject({
      upstream: 'api',
      path: '/api/v1/tips?limit=5',
    });
    expect(await reached('staff.localhost', '/tips/123')).toMatchObject({ upstream: 'api' });
    expect(await reached('staff.localhost', '/healthz')).toBe(404);
    expect(await reached('staff.localhost', '/metrics')).toBe(404);
    for (const path of ['/', '/bat-dau', '/tin-bao', '/cho', '/xong', '/tra-cuu', '/tinbao.css'])
      expect(await reached('tinbao.localhost', path, path === '/' ? 'GET' : 'POST')).toMatchObject({
        upstream: 'web',
        path,
      });
    expect(await reached('tinbao.localhost', '/webhook/telegram', 'POST')).toMatchObject({
      upstream: 'telegram',
    });
    expect(await reached('tinbao.localhost', '/webhook/zalo', 'POST')).toMatchObject({ upstream: 'zalo' });
    for (const path of [
      '/api/v1/receipts/TB-00000-00000',
      '/healthz',
      '/metrics',
      '/admin',
      '/tin-bao/../api',
      '/webhook/other',
    ])
      expect({ path, status: await reached('tinbao.localhost', path) }).toEqual({ path, status: 404 });

    const answer = await httpsGet(httpsPort, 'tinbao.localhost', '/tin-bao');
    expect(answer.headers['strict-transport-security']).toMatch(/max-age=\d{8}/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers.server).toBeUndefined();
    expect(answer.headers['x-powered-by']).toBeUndefined();
    // What a client claims is replaced by the address Caddy sees: the one hop the apps trust.
    expect(JSON.parse(answer.body)).toMatchObject({ forwardedFor: '127.0.0.1', forwardedProto: 'https' });

    const plain = await new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      httpRequest(
        { host: '127.0.0.1', port: httpPort, path: '/tin-bao', headers: { host: 'tinbao.localhost' } },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, location: res.headers.location });
        },
      )
        .on('error', reject)
        .end();
    });
    expect(plain.status).toBe(308);
    expect(plain.location).toMatch(/^https:\/\/tinbao\.localhost/);
    // No access log: the residents' addresses are written nowhere.
    expect(log).not.toContain('127.0.0.1:');
  }, 60_000);
});

describe.skipIf(!has('psql'))(
  'deploy/postgres-init with `tinbao db migrate`, on the local PostgreSQL',
  () => {
    it('creates two roles that are no superusers; the owner migrates, the app role works and cannot edit the audit log', async () => {
      const suffix = randomBytes(6).toString('hex');
      const database = `tinbao_deploy_${suffix}`;
      const owner = `tinbao_owner_${suffix}`;
      const app = `tinbao_app_${suffix}`;
      const secrets = await mkdtemp(join(tmpdir(), 'tinbao-deploy-secrets-'));
      const passwords = {
        owner: `o'${randomBytes(12).toString('hex')}"`,
        app: `a ${randomBytes(12).toString('hex')}`,
      };
      await writeFile(join(secrets, 'db_owner_password'), `${passwords.owner}\n`, { mode: 0o600 });
      await writeFile(join(secrets, 'db_app_password'), `${passwords.app}\n`, { mode: 0o600 });
      const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await admin.connect();
      cleanups.push(async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await admin.query(`DROP ROLE IF EXISTS ${app}`);
        await admin.query(`DROP ROLE IF EXISTS ${owner}`);
        await admin.end();
        await rm(secrets, { recursive: true, force: true });
      });
      await admin.query(`CREATE DATABASE ${database}`);

      // As the postgres image runs it: its superuser, POSTGRES_USER and POSTGRES_DB set.
      const server = new URL(TEST_POSTGRES_URL);
      const init = spawnSync('sh', [join(REPO_ROOT, 'deploy/postgres-init/10-tinbao-roles.sh')], {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          PGHOST: server.hostname,
          PGPORT: server.port || '5432',
          PGPASSWORD: decodeURIComponent(server.password),
          POSTGRES_USER: decodeURIComponent(server.username),
          POSTGRES_DB: database,
          TINBAO_SECRETS_DIR: secrets,
          TINBAO_OWNER_ROLE: owner,
          TINBAO_APP_ROLE: app,
        },
      });
      expect(init.stderr).toBe('');
      expect(init.status).toBe(0);
      expect(init.stdout + init.stderr).not.toContain(passwords.app);
      const roles = await admin.query(
        'SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname',
        [[owner, app]],
      );
      expect(roles.rows).toEqual(
        [app, owner].map((rolname) => ({
          rolname,
          rolsuper: false,
          rolcreaterole: false,
          rolcreatedb: false,
          rolbypassrls: false,
        })),
      );

      const urlOf = (role: string) => {
        const url = new URL(TEST_POSTGRES_URL);
        url.username = role;
        url.password = '';
        url.pathname = `/${database}`;
        return url.toString();
      };
      // As compose's `migrate` service runs it.
      const migrated = await runCli(['db', 'migrate'], {
        DATABASE_MIGRATION_URL: urlOf(owner),
        DATABASE_MIGRATION_PASSWORD_FILE: join(secrets, 'db_owner_password'),
        DATABASE_URL: urlOf(app),
      });
      expect(migrated.stderr).toBe('');
      expect(migrated.code).toBe(0);

      // As the api connects: the app role's URL without a password, the password from its file.
      const appUrl = new URL(urlOf(app));
      appUrl.password = encodeURIComponent(passwords.app);
      const client = new pg.Client({ connectionString: appUrl.toString() });
      await client.connect();
      try {
        const tips = await client.query('SELECT count(*)::int AS n FROM tips');
        expect(tips.rows[0]).toEqual({ n: 0 });
        for (const statement of [
          'ALTER TABLE audit_events DISABLE TRIGGER ALL',
          'DELETE FROM audit_events',
          'TRUNCATE audit_events',
          'CREATE TABLE shadow (id int)',
        ]) {
          const code = await client.query(statement).then(
            () => 'ran',
            (error: { code: string }) => error.code,
          );
          expect({ statement, code }).toEqual({ statement, code: '42501' });
        }
      } finally {
        await client.end();
      }
    }, 60_000);
  },
);
