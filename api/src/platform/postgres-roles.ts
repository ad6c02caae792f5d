import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

/**
 * Two PostgreSQL roles (docs/ARCHITECTURE.md, «Database roles»): the schema owner runs the
 * migrations; the app role the api uses gets SELECT, INSERT, UPDATE and DELETE on the tables,
 * SELECT and INSERT only on the audit log, and owns nothing, so it can neither alter nor drop a
 * table, nor disable, drop or bypass the audit log's append-only triggers, nor TRUNCATE.
 */

// Any fixed number: serialises migrations when several api processes start at once.
const MIGRATION_LOCK = 72_430_001;
const MIGRATIONS_SCHEMA = 'drizzle';
const MIGRATIONS_TABLE = '__drizzle_migrations';

/** Tables the app may add to but never change: the audit log (its triggers also refuse it). */
export const APPEND_ONLY_TABLES = ['audit_events'] as const;

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** The app role: the user DATABASE_URL logs in as, which it must name when the owner migrates. */
export function appRoleOfUrl(url: string): string {
  const role = decodeURIComponent(new URL(url).username);
  if (!role) {
    throw new MigrationError(
      'DATABASE_URL must name the app role (postgres://tinbao_app@host/db) when DATABASE_MIGRATION_URL is set',
    );
  }
  return role;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** How many of the repository's migrations the database has not applied (drizzle's own rule). */
async function pendingMigrations(client: pg.Client, migrationsFolder: string): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const table = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [
    `${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE}`,
  ]);
  if (!table.rows[0]?.exists) return migrations.length;
  const last = await client.query<{ created_at: string | null }>(
    `SELECT created_at FROM ${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE} ORDER BY created_at DESC LIMIT 1`,
  );
  const lastMillis = Number(last.rows[0]?.created_at ?? Number.NaN);
  return Number.isNaN(lastMillis)
    ? migrations.length
    : migrations.filter((migration) => lastMillis < migration.folderMillis).length;
}

/**
 * Brings the schema up to date as the role of `url` (its owner), under an advisory lock; with
 * `appRole`, then grants that role what the app needs and nothing more. Returns how many
 * migrations it applied.
 */
export async function migratePostgres(
  url: string,
  migrationsFolder: string,
  options: { appRole?: string } = {},
): Promise<{ applied: number }> {
  return withClient(url, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const pending = await pendingMigrations(client, migrationsFolder);
    await migrateNodePg(drizzleNodePg({ client }), { migrationsFolder });
    if (options.appRole) await grantAppRole(client, options.appRole);
    return { applied: pending };
  });
}

/**
 * For the api at start-up with one URL: nothing to do when the schema is current (the app role
 * needs no right to create anything); otherwise migrates as that role, which works for a
 * single-role set-up and fails, saying what to run, for an app role.
 */
export async function migrateIfPending(url: string, migrationsFolder: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const pending = await pendingMigrations(client, migrationsFolder);
    if (pending === 0) return;
    try {
      await migrateNodePg(drizzleNodePg({ client }), { migrationsFolder });
    } catch (error) {
      // drizzle wraps the driver's error: its SQLSTATE is on the cause.
      const failure = error as { code?: string; cause?: { code?: string } };
      if ((failure.code ?? failure.cause?.code) === '42501') {
        throw new MigrationError(
          `${pending} database migration(s) are pending and the role of DATABASE_URL may not apply them: ` +
            'run `tinbao db migrate` with DATABASE_MIGRATION_URL (the schema owner) first, or set DATABASE_MIGRATION_URL for the api',
        );
      }
      throw error;
    }
  });
}

/**
 * What the app role may do, granted by the owner after every migration (so new tables are
 * covered): data only, the audit log append-only, and reading the migrations table so the api
 * can tell the schema is current. Refuses an app role that could undo it.
 */
export async function grantAppRole(client: pg.Client, appRole: string): Promise<void> {
  const role = await client.query<{
    rolsuper: boolean;
    rolbypassrls: boolean;
    is_me: boolean;
    in_owner: boolean;
  }>(
    `SELECT rolsuper, rolbypassrls, rolname = current_user AS is_me,
            pg_has_role(rolname, current_user, 'MEMBER') AS in_owner
       FROM pg_roles WHERE rolname = $1`,
    [appRole],
  );
  const row = role.rows[0];
  if (!row) throw new MigrationError(`the app role ${appRole} (the user of DATABASE_URL) does not exist`);
  if (row.is_me) {
    throw new MigrationError(
      `DATABASE_URL and DATABASE_MIGRATION_URL log in as the same role (${appRole}): give the app a role of its own`,
    );
  }
  if (row.rolsuper || row.rolbypassrls) {
    throw new MigrationError(
      `the app role ${appRole} is a superuser (or bypasses row security): it could disable the audit log's triggers`,
    );
  }
  if (row.in_owner) {
    throw new MigrationError(
      `the app role ${appRole} is a member of the schema owner's role: it would act as the owner`,
    );
  }
  const owned = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('public', $2) AND pg_get_userbyid(c.relowner) = $1 LIMIT 1`,
    [appRole, MIGRATIONS_SCHEMA],
  );
  if (owned.rows[0]) {
    throw new MigrationError(
      `the app role ${appRole} owns ${owned.rows[0].relname}: an owner can alter it and disable its triggers`,
    );
  }
  const app = client.escapeIdentifier(appRole);
  const statements = [
    // PostgreSQL 15 and later already refuse CREATE on public to PUBLIC; older ones do not.
    'REVOKE CREATE ON SCHEMA public FROM PUBLIC',
    `GRANT USAGE ON SCHEMA public TO ${app}`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${app}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`,
    ...APPEND_ONLY_TABLES.map(
      (table) => `REVOKE UPDATE, DELETE ON ${client.escapeIdentifier(table)} FROM ${app}`,
    ),
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`,
    `GRANT USAGE ON SCHEMA ${MIGRATIONS_SCHEMA} TO ${app}`,
    `GRANT SELECT ON ${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE} TO ${app}`,
  ];
  await client.query('BEGIN');
  try {
    for (const statement of statements) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
