import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrgKeys, orgKeyPaths } from '@tinbao/shared';
import { createTestRedisPrefix, deleteRedisPrefix } from '@tinbao/shared/testing/redis-prefix';
import { Redis } from 'ioredis';
import { createScratchPostgresDatabase, dropScratchPostgresDatabase } from './test-database';

/** What a test needs to start a real api of its own: each part is undone by `cleanups`. */
export interface ApiScratch {
  /** A temporary DATA_DIR holding the organisation keys (`keys/`) under `masterKey`. */
  dataDir: string;
  masterKey: Buffer;
  /** A Redis key prefix of its own on 127.0.0.1:6379. */
  prefix: string;
  /** With `postgres`: a scratch database on the test PostgreSQL. */
  databaseUrl?: string;
}

export function createApiScratch(
  label: string,
  options: { postgres: true },
  cleanups: Array<() => Promise<unknown>>,
): Promise<ApiScratch & { databaseUrl: string }>;
export function createApiScratch(
  label: string,
  options: { postgres: false },
  cleanups: Array<() => Promise<unknown>>,
): Promise<ApiScratch>;
export async function createApiScratch(
  label: string,
  options: { postgres: boolean },
  cleanups: Array<() => Promise<unknown>>,
): Promise<ApiScratch> {
  const dataDir = await mkdtemp(join(tmpdir(), `tinbao-${label}-`));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const masterKey = randomBytes(32);
  await createOrgKeys(orgKeyPaths(`${dataDir}/keys`), masterKey);
  const prefix = createTestRedisPrefix(`test-${label}`);
  cleanups.push(async () => {
    const redis = new Redis('redis://127.0.0.1:6379');
    await deleteRedisPrefix(redis, prefix);
    redis.disconnect();
  });
  if (!options.postgres) return { dataDir, masterKey, prefix };
  const databaseUrl = await createScratchPostgresDatabase();
  cleanups.push(() => dropScratchPostgresDatabase(databaseUrl));
  return { dataDir, masterKey, prefix, databaseUrl };
}
