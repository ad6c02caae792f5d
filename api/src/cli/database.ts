import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { databaseUrlVariable, parseConfig } from '@tinbao/shared';
import { z } from 'zod';
import { databaseUrlsOf } from '../config';
import { type Database, DatabaseLockedError, openDatabase } from '../platform/db';

/** A database the CLI cannot open, with the one line to show the operator. */
export class CliDatabaseError extends Error {}

/** What the admin commands read of the api's database settings (the same variables, files too). */
const CliDatabaseConfigSchema = z.object({
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: databaseUrlVariable.optional(),
  DATABASE_PASSWORD: z.string().min(1).optional(),
  DATABASE_MIGRATION_URL: databaseUrlVariable.optional(),
  DATABASE_MIGRATION_PASSWORD: z.string().min(1).optional(),
});
export type CliDatabaseConfig = z.output<typeof CliDatabaseConfigSchema>;

export function cliDatabaseConfig(env: NodeJS.ProcessEnv = process.env): CliDatabaseConfig {
  const result = parseConfig(CliDatabaseConfigSchema, env, {
    fileVariables: [
      'DATABASE_URL',
      'DATABASE_PASSWORD',
      'DATABASE_MIGRATION_URL',
      'DATABASE_MIGRATION_PASSWORD',
    ],
  });
  if (!result.ok) throw new CliDatabaseError(result.problems.join('; '));
  return result.config;
}

/**
 * The database the api uses, for admin commands: DATABASE_URL, or PGlite under
 * DATA_DIR/pglite. Unlike the api, the CLI never creates the embedded database: an admin
 * command on a wrong or empty DATA_DIR would otherwise work on a new, empty one.
 */
export async function openCliDatabase(env: NodeJS.ProcessEnv = process.env): Promise<Database> {
  const config = cliDatabaseConfig(env);
  const postgres = databaseUrlsOf(config);
  if (postgres) return openDatabase({ engine: 'postgres', ...postgres, poolSize: 2 });
  const dataDir = join(config.DATA_DIR, 'pglite');
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
