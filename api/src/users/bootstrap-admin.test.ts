import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@tinbao/shared';
import { createLogCapture } from '@tinbao/shared/testing/log-capture';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/passwords';
import { users } from '../platform/schema';
import { createTestDatabase, type TestDatabase } from '../platform/test-database';
import { bootstrapFirstAdmin } from './bootstrap-admin';

describe('bootstrapFirstAdmin', () => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    dir = await mkdtemp(join(tmpdir(), 'tinbao-admin-'));
  });
  afterAll(async () => {
    await database.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates admin once, with its one-time password in a 0600 file and not in the logs', async () => {
    const logs = createLogCapture();
    const logger = createLogger({ name: 'api', level: 'debug', destination: logs.stream });
    const file = join(dir, 'first-admin.txt');
    expect(await bootstrapFirstAdmin(database.db, file, logger)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const password = (await readFile(file, 'utf8')).match(/^password: (.+)$/m)?.[1];
    expect(password).toBeDefined();
    const [admin] = await database.db.select().from(users);
    expect(admin).toMatchObject({ username: 'admin', role: 'admin', mustChangePassword: true });
    expect(await verifyPassword(admin!.passwordHash, password!)).toBe(true);
    expect(logs.text()).not.toContain(password!);
    expect(await bootstrapFirstAdmin(database.db, file, logger)).toBe(false);
  });
});
