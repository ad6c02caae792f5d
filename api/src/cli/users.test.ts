import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, createAuthHarness } from '../auth/test-harness';
import { currentTotpCode } from '../auth/totp';
import { openDatabase } from '../platform/db';
import { adminUnits, auditEvents, users } from '../platform/schema';
import { createTestDatabase } from '../platform/test-database';
import { runCli } from './testing';

const base32ToBytes = (text: string) =>
  new Uint8Array(
    (
      text
        .split('')
        .map((c) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(c).toString(2).padStart(5, '0'))
        .join('')
        .match(/.{8}/g) ?? []
    ).map((b) => Number.parseInt(b, 2)),
  );

describe('users CLI against PostgreSQL (DATABASE_URL)', () => {
  let h: AuthHarness;
  let env: Record<string, string>;

  beforeAll(async () => {
    const database = await createTestDatabase('postgres');
    // Real argon2id cost: the CLI hashes at OPSLIMIT/MEMLIMIT_INTERACTIVE.
    h = await createAuthHarness('postgres', { database, passwordCost: 'interactive' });
    env = { DATABASE_URL: database.url as string, DATA_DIR: '/nonexistent-tinbao' };
  });
  afterAll(async () => {
    await h?.destroy();
  });

  it('creates the first admin, who logs in and enrols TOTP', async () => {
    const password = 'correct horse battery staple';
    const created = await runCli(
      [
        'users',
        'add',
        '--username',
        'Chief',
        '--role',
        'admin',
        '--display-name',
        'Trưởng phòng',
        '--password-stdin',
      ],
      env,
      `${password}\n`,
    );
    expect(created.stderr).not.toMatch(/Error/);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/created admin chief/);
    expect(created.stdout).toMatch(/QR code/);
    expect(created.stdout).not.toContain(password);
    const [row] = await h.database.db.select().from(users).where(eq(users.username, 'chief'));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
    expect(row?.displayName).toBe('Trưởng phòng');
    expect(row?.totpEnrolledAt).toBeNull();
    // A password the admin chose is not temporary: no forced change.
    expect(row?.mustChangePassword).toBe(false);

    const first = await supertest(h.app)
      .post('/api/v1/auth/login')
      .send({ username: 'chief', password })
      .expect(200);
    expect(first.body.next).toBe('enroll');
    const secret = base32ToBytes(first.body.secret);
    const enrolled = await supertest(h.app)
      .post('/api/v1/auth/login/enroll')
      .send({ challenge: first.body.challenge, code: currentTotpCode(secret, h.clock.now) })
      .expect(200);
    expect(enrolled.body.user).toMatchObject({
      username: 'chief',
      role: 'admin',
      unitId: null,
      mustChangePassword: false,
    });
    const cookie = String(enrolled.headers['set-cookie']).split(';')[0] as string;
    const list = await supertest(h.app).get('/api/v1/users').set('Cookie', cookie).expect(200);
    expect(list.body.users).toEqual([expect.objectContaining({ username: 'chief', totpEnrolled: true })]);
    const actions = (await h.database.db.select().from(auditEvents)).map((e) => e.action);
    expect(actions).toEqual(['user.created', 'auth.totp_enrolled', 'auth.login_succeeded']);
  });

  it('binds a unit officer to a unit by code, rejects bad input clearly', async () => {
    const unitId = await h.createUnit('CA-99999');
    const ok = await runCli(
      [
        'users',
        'add',
        '--username',
        'officer1',
        '--role',
        'unit_officer',
        '--unit',
        'CA-99999',
        '--password-stdin',
      ],
      env,
      'a long enough password\n',
    );
    expect(ok.code).toBe(0);
    const [row] = await h.database.db.select().from(users).where(eq(users.username, 'officer1'));
    expect(row?.unitId).toBe(unitId);

    // Independent refusals, run side by side (each is a process start).
    const [noUnit, unknownUnit, weak, withName, badRole, duplicate] = await Promise.all([
      runCli(
        ['users', 'add', '--username', 'x1y', '--role', 'unit_officer', '--password-stdin'],
        env,
        'a long enough password',
      ),
      runCli(
        [
          'users',
          'add',
          '--username',
          'x2y',
          '--role',
          'unit_officer',
          '--unit',
          'CA-00000',
          '--password-stdin',
        ],
        env,
        'a long enough password',
      ),
      runCli(
        ['users', 'add', '--username', 'mod1', '--role', 'moderator', '--password-stdin'],
        env,
        'short\n',
      ),
      runCli(
        ['users', 'add', '--username', 'mod1', '--role', 'moderator', '--password-stdin'],
        env,
        'my name is mod1 and more',
      ),
      runCli(['users', 'add', '--username', 'mod1', '--role', 'boss', '--password-stdin'], env, 'x'),
      runCli(
        ['users', 'add', '--username', 'chief', '--role', 'admin', '--password-stdin'],
        env,
        'another long password',
      ),
    ]);
    expect(noUnit.code).toBe(1);
    expect(noUnit.stderr).toMatch(/--unit <unit code> is required/);
    expect(unknownUnit.stderr).toMatch(/no unit with code CA-00000/);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/at least 12 characters/);
    expect(withName.stderr).toMatch(/must not contain the username/);
    expect(badRole.stderr).toMatch(/--role must be/);
    expect(duplicate.stderr).toMatch(/already in use/);
    const noTty = await runCli(['users', 'add', '--username', 'mod2', '--role', 'moderator'], env);
    expect(noTty.stderr).toMatch(/--password-stdin/);
  });

  it('limits a moderator to a province with --province, refuses it for other roles', async () => {
    await h.database.db
      .insert(adminUnits)
      .values({
        code: '44',
        level: 'province',
        name: 'Tỉnh Quảng Trị',
        unitType: 'Tỉnh',
        parentCode: null,
        searchKey: 'tinhquangtri',
      })
      .onConflictDoNothing();
    const [ok, forAdmin, badCode, unknown] = await Promise.all([
      runCli(
        [
          'users',
          'add',
          '--username',
          'mod44',
          '--role',
          'moderator',
          '--province',
          '44',
          '--password-stdin',
        ],
        env,
        'a long enough password\n',
      ),
      runCli(
        ['users', 'add', '--username', 'adm44', '--role', 'admin', '--province', '44', '--password-stdin'],
        env,
        'a long enough password\n',
      ),
      runCli(
        ['users', 'add', '--username', 'modx', '--role', 'moderator', '--province', 'QT', '--password-stdin'],
        env,
        'a long enough password\n',
      ),
      runCli(
        [
          'users',
          'add',
          '--username',
          'mod99',
          '--role',
          'moderator',
          '--province',
          '99',
          '--password-stdin',
        ],
        env,
        'a long enough password\n',
      ),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/province 44/);
    const [row] = await h.database.db.select().from(users).where(eq(users.username, 'mod44'));
    expect(row?.provinceCode).toBe('44');
    expect(forAdmin.code).toBe(1);
    expect(forAdmin.stderr).toMatch(/--province is only for a moderator/);
    expect(badCode.stderr).toMatch(/2-digit province code/);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no province with code 99/);
    const list = await runCli(['users', 'list'], env);
    expect(list.stdout).toMatch(/mod44\s+moderator\s+-\s+44\s+active/);
  });

  it('lists, resets 2FA, disables', async () => {
    const list = await runCli(['users', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/chief\s+admin\s+-\s+-\s+active\s+2fa/);
    expect(list.stdout).toMatch(/officer1\s+unit_officer\s+CA-99999\s+-\s+active\s+no 2fa yet/);
    const [reset, disabled, missing] = await Promise.all([
      runCli(['users', 'reset-2fa', '--username', 'chief'], env),
      runCli(['users', 'disable', '--username', 'officer1'], env),
      runCli(['users', 'disable', '--username', 'ghost'], env),
    ]);
    expect(reset.code).toBe(0);
    const [row] = await h.database.db.select().from(users).where(eq(users.username, 'chief'));
    expect(row?.totpSecret).toBeNull();
    expect(disabled.code).toBe(0);
    const [officer] = await h.database.db.select().from(users).where(eq(users.username, 'officer1'));
    expect(officer?.disabledAt).not.toBeNull();
    expect(missing.stderr).toMatch(/no user named ghost/);
  });

  it('reset-password prints a temporary password that must be changed at the next login', async () => {
    const reset = await runCli(['users', 'reset-password', '--username', 'chief'], env);
    expect(reset.code).toBe(0);
    const temporary = reset.stdout.match(/shown once\): (\S+)/)?.[1];
    expect(temporary).toBeDefined();
    const [row] = await h.database.db.select().from(users).where(eq(users.username, 'chief'));
    expect(row?.mustChangePassword).toBe(true);
    const list = await runCli(['users', 'list'], env);
    expect(list.stdout).toMatch(/chief\s+admin\s.*temporary/);
  });
});

describe('CLI without a database', () => {
  it('refuses in one line instead of creating an empty embedded database (users and audit)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tinbao-cli-empty-'));
    try {
      const results = await Promise.all([
        runCli(['users', 'list'], { DATA_DIR: dataDir, DATABASE_URL: '' }),
        runCli(
          ['users', 'add', '--username', 'x1x', '--role', 'admin', '--password-stdin'],
          {
            DATA_DIR: dataDir,
            DATABASE_URL: '',
          },
          'a long enough password\n',
        ),
        runCli(['audit', 'verify'], { DATA_DIR: dataDir, DATABASE_URL: '' }),
      ]);
      for (const result of results) {
        expect(result.code).toBe(1);
        expect(result.stdout).toBe('');
        const lines = result.stderr.split('\n').filter((line) => line && !line.startsWith('npm warn'));
        expect(lines).toEqual([
          expect.stringMatching(
            new RegExp(
              `^tinbao (users|audit): no TinBao database at ${join(dataDir, 'pglite')}: start TinBao once \\(npm start\\) or set DATA_DIR/DATABASE_URL$`,
            ),
          ),
        ]);
      }
      expect(existsSync(join(dataDir, 'pglite'))).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('users CLI against the embedded database', () => {
  it('says clearly that the api holds PGlite', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tinbao-cli-'));
    const database = await openDatabase({ engine: 'pglite', dataDir: `${dataDir}/pglite` });
    try {
      const result = await runCli(['users', 'list'], { DATA_DIR: dataDir, DATABASE_URL: '' });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/PGlite allows one process/);
      expect(result.stderr).toMatch(/Stop TinBao/);
    } finally {
      await database.close();
    }
    const free = await runCli(['users', 'list'], { DATA_DIR: dataDir, DATABASE_URL: '' });
    expect(free.code).toBe(0);
    expect(free.stdout).toMatch(/no staff accounts yet/);
    await rm(dataDir, { recursive: true, force: true });
  }, 180_000);
});
