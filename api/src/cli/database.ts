import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { databaseUrlVariable } from '@tinbao/shared';
import { type Database, DatabaseLockedError, openDatabase } from '../platform/db';

/** A database the CLI cannot open, with the one line to show the operator. */
export class CliDatabaseError extends Error {}

/**
 * The database the api uses, for admin commands: DATABASE_URL, or PGlite under
 * DATA_DIR/pglite. Unlike the api, the CLI never creates the embedded database: an admin
 * command on a wrong or empty DATA_DIR would otherwise work on a new, empty one.
 */
export async function openCliDatabase(env: NodeJS.ProcessEnv = process.env): Promise<Database> {
  const url = env.DATABASE_URL;
  if (url) {
    const parsed = databaseUrlVariable.safeParse(url);
    if (!parsed.success) throw new CliDatabaseError(`DATABASE_URL ${parsed.error.issues[0]?.message}`);
    return openDatabase({ engine: 'postgres', url: parsed.data, poolSize: 2 });
  }
  const dataDir = join(env.DATA_DIR || './data', 'pglite');
  // PG_VERSION is the first file of a PostgreSQL data folder: an empty folder is no database.
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new CliDatabaseError(
      `no TinBao database at ${resolve(dataDir)}: start TinBao once (npm start) or set DATA_DIR/DATABASE_URL`,
    );
  }
  try {
    return await openDatabase({ engine: 'pglite', dataDir });
  } catch (error) {
    if (error instanceof DatabaseLockedError) {
      throw new CliDatabaseError(
        `the embedded database (${dataDir}) is open in the running api: PGlite allows one process. ` +
          'Stop TinBao (npm start) and run this command again, or use a PostgreSQL server (DATABASE_URL).',
      );
    }
    throw error;
  }
}
