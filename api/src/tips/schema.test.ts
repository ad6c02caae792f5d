import { generateKeyPair } from '@tinbao/shared';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tips } from '../platform/schema';
import { createTestDatabase, type TestDatabase } from '../platform/test-database';
import { createTestTip, seedTestAdminUnits } from './testing';

describe('the database keeps the clear fields to the shared enums (CHECK constraints)', () => {
  let database: TestDatabase;
  let orgPublicKey: Uint8Array;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedTestAdminUnits(database.db, ['44']);
    orgPublicKey = (await generateKeyPair()).publicKey;
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('stores tips from every channel (telegram, zalo, web)', async () => {
    for (const channel of ['telegram', 'zalo', 'web'] as const) {
      const tip = await createTestTip(database.db, orgPublicKey, { communeCode: '19564', channel });
      const [row] = await database.db.select({ channel: tips.channel }).from(tips).where(eq(tips.id, tip.id));
      expect(row?.channel).toBe(channel);
    }
  });

  it('refuses a status, channel, category or venue outside the enums', async () => {
    const { id } = await createTestTip(database.db, orgPublicKey, { communeCode: '19564' });
    for (const [column, value] of [
      ['status', 'archived'],
      ['channel', 'fax'],
      ['category', 'buon_lau'],
      ['venue_type', 'ga_tau'],
      ['status_reason', 'boring'],
    ]) {
      const error = await database.db
        .execute(sql`UPDATE tips SET ${sql.identifier(column!)} = ${value} WHERE id = ${id}`)
        .then(
          () => undefined,
          (failure: Error & { cause?: Error }) => failure,
        );
      // Drizzle wraps the engine's error: the constraint is named in its cause.
      expect(error?.cause?.message ?? error?.message, column).toMatch(/check constraint/i);
    }
  });
});
