import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from './db';

export type Engine = 'pglite' | 'postgres';
export const ENGINES: Engine[] = ['pglite', 'postgres'];

/** The PostgreSQL server the tests use; each test file makes its own database on it. */
export const TEST_POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends Database {
  /** Set for the postgres engine: the URL of this test's own database. */
  url?: string;
  /** Closes and drops the database. */
  destroy(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file, on either engine. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const database = await openDatabase({ engine: 'pglite' });
    return { ...database, destroy: () => database.close() };
  }
  const url = await createScratchPostgresDatabase();
  const database = await openDatabase({ engine: 'postgres', url, poolSize: 5 });
  return {
    ...database,
    url,
    destroy: async () => {
      await database.close();
      await dropScratchPostgresDatabase(url);
    },
  };
}

export async function createScratchPostgresDatabase(): Promise<string> {
  const name = `tinbao_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropScratchPostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^tinbao_test_[0-9a-f]{12}$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** One statement's worth of work as the test server's admin user, on a connection of its own. */
export async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
