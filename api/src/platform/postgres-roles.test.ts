import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, sealJson, splitSubmission } from '@tinbao/shared';
import { buildTipSubmission } from '@tinbao/shared/testing/tips';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditEvent, verifyAuditChain } from '../audit/audit-log';
import { runCli } from '../cli/testing';
import { findTipById, insertTipIfAbsent } from '../tips/repository';
import { seedTestAdminUnits } from '../tips/testing';
import { type Database, MIGRATIONS, openDatabase } from './db';
import { grantAppRole, MigrationError, migratePostgres } from './postgres-roles';
import { tips } from './schema';
import { TEST_POSTGRES_URL, withAdminClient } from './test-database';

/**
 * On the machine's PostgreSQL: a throw-away database owned by a throw-away owner role, and an
 * app role. Migrations run as the owner; the app role then does the api's work and nothing that
 * would let it rewrite history (disable or drop the audit triggers, edit, delete or truncate).
 */
const suffix = randomBytes(6).toString('hex');
const names = {
  database: `tinbao_roles_${suffix}`,
  owner: `tinbao_owner_${suffix}`,
  app: `tinbao_app_${suffix}`,
};
const passwords = { owner: randomBytes(18).toString('hex'), app: randomBytes(18).toString('hex') };

function urlAs(role: 'owner' | 'app', database = names.database, withPassword = true): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.username = names[role];
  if (withPassword) url.password = passwords[role];
  url.pathname = `/${database}`;
  return url.toString();
}

const createdDatabases: string[] = [];
async function createOwnedDatabase(name: string): Promise<void> {
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name} OWNER ${names.owner}`));
  createdDatabases.push(name);
}

let database: Database;
let app: pg.Client;

beforeAll(async () => {
  await withAdminClient(async (client) => {
    // LOGIN and nothing else: no SUPERUSER, CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS.
    await client.query(`CREATE ROLE ${names.owner} LOGIN PASSWORD '${passwords.owner}'`);
    await client.query(`CREATE ROLE ${names.app} LOGIN PASSWORD '${passwords.app}'`);
  });
  await createOwnedDatabase(names.database);
  // The api's own path: migrate as the owner, grant the app role, then pool as the app role.
  database = await openDatabase({
    engine: 'postgres',
    url: urlAs('app'),
    migrationUrl: urlAs('owner'),
    poolSize: 2,
  });
  app = new pg.Client({ connectionString: urlAs('app') });
  await app.connect();
});

afterAll(async () => {
  await app?.end();
  await database?.close();
  await withAdminClient(async (client) => {
    for (const name of createdDatabases) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS ${names.app}`);
    await client.query(`DROP ROLE IF EXISTS ${names.owner}`);
  });
});

/** The SQLSTATE a statement run as the app role fails with. */
async function failureOf(statement: string): Promise<string> {
  try {
    await app.query(statement);
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error(`the app role could run: ${statement}`);
}

async function auditEventCount(): Promise<number> {
  const result = await app.query<{ count: string }>('SELECT count(*) FROM audit_events');
  return Number(result.rows[0]?.count);
}

describe('database roles on PostgreSQL', () => {
  it('lets the app role do the api work: seed, store a tip with its audit event, read and update it', async () => {
    const orgKeys = await generateKeyPair();
    await seedTestAdminUnits(database.db);
    const submission = buildTipSubmission();
    const { clear, content } = splitSubmission(submission);
    const envelope = await sealJson(content, [orgKeys.publicKey]);
    await database.db.transaction(async (tx) => {
      expect(await insertTipIfAbsent(tx, { clear, envelope })).toBe(true);
      await appendAuditEvent(tx, {
        actorType: 'system',
        action: 'tip.received',
        subjectType: 'tip',
        subjectId: clear.id,
      });
    });
    expect((await findTipById(database.db, clear.id))?.receiptCode).toBe(clear.receiptCode);
    await database.db.update(tips).set({ status: 'validated' }).where(eq(tips.id, clear.id));
    expect((await findTipById(database.db, clear.id))?.status).toBe('validated');
    await database.db.transaction((tx) =>
      appendAuditEvent(tx, { actorType: 'system', action: 'test.checked' }),
    );
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('refuses the app role every way of editing or hiding audit events', async () => {
    const before = await auditEventCount();
    const insufficientPrivilege = '42501';
    const statements = [
      'ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete',
      'ALTER TABLE audit_events DISABLE TRIGGER ALL',
      'ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_truncate',
      'DROP TRIGGER audit_events_no_update_or_delete ON audit_events',
      'DROP TRIGGER audit_events_no_truncate ON audit_events',
      'CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$',
      'DROP FUNCTION audit_events_append_only() CASCADE',
      "UPDATE audit_events SET action = 'rewritten'",
      'DELETE FROM audit_events',
      'TRUNCATE audit_events',
      'ALTER TABLE audit_events RENAME TO audit_events_old',
      'DROP TABLE audit_events',
      // Replica mode skips ordinary triggers: a superuser's setting.
      'SET session_replication_role = replica',
    ];
    for (const statement of statements) {
      expect({ statement, code: await failureOf(statement) }).toEqual({
        statement,
        code: insufficientPrivilege,
      });
    }
    expect(await auditEventCount()).toBe(before);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, events: before });
  });

  it('refuses the app role TRUNCATE and any change of the schema', async () => {
    for (const statement of [
      'TRUNCATE tips',
      'TRUNCATE tips, audit_events CASCADE',
      'ALTER TABLE tips ADD COLUMN note text',
      'ALTER TABLE tips DISABLE TRIGGER ALL',
      'DROP TABLE tips',
      'CREATE TABLE shadow (id int)',
      'CREATE INDEX tips_sneaky_idx ON tips (status)',
      'DELETE FROM drizzle.__drizzle_migrations',
    ]) {
      expect({ statement, code: await failureOf(statement) }).toEqual({ statement, code: '42501' });
    }
  });

  it('starts the api as the app role alone once the schema is current', async () => {
    const again = await openDatabase({ engine: 'postgres', url: urlAs('app'), poolSize: 1 });
    await again.ping();
    await again.close();
  });

  it('migrates again as the owner without applying anything, and keeps the grants', async () => {
    expect(await migratePostgres(urlAs('owner'), MIGRATIONS, { appRole: names.app })).toEqual({ applied: 0 });
    expect(await failureOf('DELETE FROM audit_events')).toBe('42501');
  });

  it('says what to run when the app role finds migrations pending', async () => {
    const empty = `tinbao_roles_${randomBytes(6).toString('hex')}`;
    await createOwnedDatabase(empty);
    await withAdminClient((client) => client.query(`GRANT CONNECT ON DATABASE ${empty} TO ${names.app}`));
    const opening = openDatabase({ engine: 'postgres', url: urlAs('app', empty), poolSize: 1 });
    await expect(opening).rejects.toBeInstanceOf(MigrationError);
    await expect(opening).rejects.toThrow(/pending.*tinbao db migrate.*DATABASE_MIGRATION_URL/);
  });

  it('refuses to grant to the owner itself or to a superuser', async () => {
    const superuser = await withAdminClient(async (client) => {
      const result = await client.query<{ rolname: string }>(
        'SELECT rolname FROM pg_roles WHERE rolsuper ORDER BY rolname LIMIT 1',
      );
      return result.rows[0]!.rolname;
    });
    const owner = new pg.Client({ connectionString: urlAs('owner') });
    await owner.connect();
    try {
      await expect(grantAppRole(owner, names.owner)).rejects.toThrow(/same role/);
      await expect(grantAppRole(owner, superuser)).rejects.toThrow(/superuser/);
    } finally {
      await owner.end();
    }
  });

  it('`tinbao db migrate` migrates as the owner and grants the app role, passwords from files', async () => {
    const fresh = `tinbao_roles_${randomBytes(6).toString('hex')}`;
    await createOwnedDatabase(fresh);
    const secrets = await mkdtemp(join(tmpdir(), 'tinbao-migrate-'));
    try {
      await writeFile(join(secrets, 'owner'), `${passwords.owner}\n`, { mode: 0o600 });
      const migrated = await runCli(['db', 'migrate'], {
        DATABASE_MIGRATION_URL: urlAs('owner', fresh, false),
        DATABASE_MIGRATION_PASSWORD_FILE: join(secrets, 'owner'),
        // Only the app role's name is needed here, not its password.
        DATABASE_URL: urlAs('app', fresh, false),
      });
      expect(migrated.stderr).toBe('');
      expect(migrated.stdout).toMatch(/migrations: \d+ applied/);
      expect(migrated.stdout).toContain(`app role ${names.app}: data rights granted`);
      expect(migrated.stdout + migrated.stderr).not.toContain(passwords.owner);
      expect(migrated.code).toBe(0);
    } finally {
      await rm(secrets, { recursive: true, force: true });
    }
    const client = new pg.Client({ connectionString: urlAs('app', fresh) });
    await client.connect();
    try {
      await client.query(
        "INSERT INTO admin_units (code, level, name, unit_type, search_key) VALUES ('99', 'province', 'Thử', 'tinh', 'thu')",
      );
      const code = await client.query('DELETE FROM audit_events').then(
        () => 'deleted',
        (error: { code: string }) => error.code,
      );
      expect(code).toBe('42501');
    } finally {
      await client.end();
    }
  });
});
