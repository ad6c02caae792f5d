import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { ExtractTablesWithRelations } from 'drizzle-orm/relations';
import pg from 'pg';
import { restrictToOwner } from './owner-only';
import { appRoleOfUrl, migrateIfPending, migratePostgres } from './postgres-roles';
import * as schema from './schema';

export type Schema = typeof schema;
/** The query layer both engines share: code written against it runs on PGlite and PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: repositories accept both. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  engine: 'pglite' | 'postgres';
  /** Round trip to the engine; throws when it is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | {
      engine: 'postgres';
      /** The role the app works as (the pool). */
      url: string;
      poolSize?: number;
      /**
       * The schema owner's URL: migrations run as it, then the role of `url` is granted what
       * the app needs. Without it, `url` migrates when a migration is pending (one role).
       */
      migrationUrl?: string;
    }
  | { engine: 'pglite' /** a folder, or undefined for in-memory */; dataDir?: string };

export const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

export class DatabaseLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `the embedded database at ${dataDir} is in use by another TinBao process; stop it first (PGlite allows one process)`,
    );
    this.name = 'DatabaseLockedError';
  }
}

/** Opens the store of record and brings its schema up to date. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.engine === 'postgres'
    ? openPostgres(options.url, options.poolSize, options.migrationUrl)
    : openPglite(options.dataDir);
}

async function openPostgres(url: string, poolSize = 10, migrationUrl?: string): Promise<Database> {
  if (migrationUrl) await migratePostgres(migrationUrl, MIGRATIONS, { appRole: appRoleOfUrl(url) });
  else await migrateIfPending(url, MIGRATIONS);
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = drizzleNodePg({ client: pool, schema }) as unknown as Db;
  return {
    db,
    engine: 'postgres',
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const releaseLock = dataDir ? await lockDataDir(dataDir) : async () => {};
  try {
    if (dataDir) await restrictToOwner(dataDir);
    const client = await PGlite.create(dataDir ? { dataDir } : {});
    const db = drizzlePglite({ client, schema }) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS });
    if (dataDir) await restrictToOwner(dataDir);
    return {
      db,
      engine: 'pglite',
      ping: async () => {
        await db.execute(sql`SELECT 1`);
      },
      close: async () => {
        await client.close();
        if (dataDir) await restrictToOwner(dataDir).catch(() => {});
        await releaseLock();
      },
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

/** PGlite is single-process: a lock file with our pid keeps a second process (a CLI, say) out. */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const lockFile = `${dataDir}/.tinbao.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder))
        throw new DatabaseLockedError(dataDir);
      // The holder died (a crash or SIGKILL): the lock is stale.
      await rm(lockFile, { force: true });
    }
  }
  throw new DatabaseLockedError(dataDir);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
