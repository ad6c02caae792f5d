import { withPassword } from '../config';
import { MIGRATIONS } from '../platform/db';
import { appRoleOfUrl, MigrationError, migratePostgres } from '../platform/postgres-roles';
import { CliDatabaseError, cliDatabaseConfig } from './database';

export const DB_USAGE = `  db migrate                 apply the schema migrations as the schema owner (DATABASE_MIGRATION_URL,
                             password DATABASE_MIGRATION_PASSWORD), then grant the app role named
                             by DATABASE_URL what the api needs (the audit log append-only);
                             with DATABASE_URL alone, migrate as that one role. Every variable
                             may come from a file: NAME_FILE. The embedded database migrates when the api starts.
`;

/** `db migrate`: the one step of a deployment that changes the schema (compose's `migrate`). */
export async function dbCommand(argv: string[]): Promise<number> {
  const [command] = argv;
  if (command !== 'migrate') {
    console.error(`usage: npm run tinbao -- <command>\n\ncommands:\n${DB_USAGE}`);
    return 2;
  }
  try {
    const config = cliDatabaseConfig();
    const ownerUrl = config.DATABASE_MIGRATION_URL
      ? withPassword(config.DATABASE_MIGRATION_URL, config.DATABASE_MIGRATION_PASSWORD)
      : config.DATABASE_URL
        ? withPassword(config.DATABASE_URL, config.DATABASE_PASSWORD)
        : undefined;
    if (!ownerUrl) {
      console.error(
        'tinbao db: set DATABASE_MIGRATION_URL (the schema owner) and DATABASE_URL (the app role); the embedded database migrates when the api starts',
      );
      return 1;
    }
    const appRole =
      config.DATABASE_MIGRATION_URL && config.DATABASE_URL ? appRoleOfUrl(config.DATABASE_URL) : undefined;
    const { applied } = await migratePostgres(ownerUrl, MIGRATIONS, appRole ? { appRole } : {});
    console.log(`migrations: ${applied} applied, the schema is current`);
    if (appRole) console.log(`app role ${appRole}: data rights granted, the audit log append-only`);
    else if (config.DATABASE_MIGRATION_URL) console.log('no DATABASE_URL: no app role was granted anything');
    return 0;
  } catch (error) {
    if (error instanceof MigrationError || error instanceof CliDatabaseError) {
      console.error(`tinbao db: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
