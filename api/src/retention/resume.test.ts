import { generateKeyPair, type KeyPair } from '@tinbao/shared';
import { and, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../audit/audit-log';
import { auditEvents, tipNotes, tips } from '../platform/schema';
import { createTestDatabase, ENGINES, type TestDatabase } from '../platform/test-database';
import { createTestTip, seedTestAdminUnits } from '../tips/testing';
import { DEFAULT_RETENTION_POLICY } from './config';
import { DAY_MS } from './policy';
import { purgeDueTips } from './purge';
import type { PurgeStep } from './purge-steps';
import { PURGE_STEPS } from './steps';

const NOW = new Date('2027-03-01T03:00:00Z');
const AUTHOR = '00000000-0000-4000-8000-000000000001';

describe.each(ENGINES)('an interrupted purge resumes (%s)', (engine) => {
  let database: TestDatabase;
  let orgKeys: KeyPair;
  const ids: string[] = [];

  const purge = (options: Parameters<typeof purgeDueTips>[1], steps?: readonly PurgeStep[]) =>
    purgeDueTips(
      { db: database.db, policy: DEFAULT_RETENTION_POLICY, now: () => NOW, ...(steps ? { steps } : {}) },
      options,
    );

  const purgedIds = async () =>
    (await database.db.select({ id: tips.id, purgedAt: tips.purgedAt }).from(tips))
      .filter((row) => row.purgedAt)
      .map((row) => row.id)
      .sort();

  const purgeEvents = async () =>
    (
      await database.db
        .select({ n: count() })
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'tip.purged'), inArray(auditEvents.subjectId, ids)))
    )[0]!.n;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await seedTestAdminUnits(database.db, ['44']);
    orgKeys = await generateKeyPair();
    for (let i = 0; i < 4; i++) {
      const tip = await createTestTip(database.db, orgKeys.publicKey, {
        status: 'closed',
        closedAt: new Date(NOW.getTime() - (400 + i) * DAY_MS),
      });
      await database.db
        .insert(tipNotes)
        .values({ tipId: tip.id, authorId: AUTHOR, body: new Uint8Array([i]) });
      ids.push(tip.id);
    }
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('a step that fails inside a batch leaves that batch untouched', async () => {
    const failing: PurgeStep = {
      name: 'failing',
      purge: async () => {
        throw new Error('disk on fire');
      },
    };
    await expect(purge({ by: 'cli', batchSize: 2 }, [...PURGE_STEPS, failing])).rejects.toThrow(
      'disk on fire',
    );
    expect(await purgedIds()).toEqual([]);
    // The notes step ran before the failure, in the same transaction: rolled back with it.
    const [{ n }] = (await database.db.select({ n: count() }).from(tipNotes)) as [{ n: number }];
    expect(n).toBe(4);
    expect(await purgeEvents()).toBe(0);
  });

  it('stopped after its first batch, the next run purges the rest; each tip is purged and audited once', async () => {
    const seen: string[] = [];
    await expect(
      purge({
        by: 'scheduler',
        batchSize: 1,
        onProgress: ({ purged, total }) => seen.push(`${purged}/${total}`),
        afterBatch: () => {
          throw new Error('the process was killed');
        },
      }),
    ).rejects.toThrow('the process was killed');
    expect(seen).toEqual(['0/4', '1/4']);
    // The oldest first.
    expect(await purgedIds()).toEqual([ids[3]]);
    expect(await purgeEvents()).toBe(1);

    const resumed = await purge({ by: 'scheduler', batchSize: 1 });
    expect(resumed).toMatchObject({ purged: 3, batches: 3, due: { total: 3 } });
    expect(await purgedIds()).toEqual([...ids].sort());
    expect(await purgeEvents()).toBe(4);
    const [{ n: notes }] = (await database.db.select({ n: count() }).from(tipNotes)) as [{ n: number }];
    expect(notes).toBe(0);

    expect(await purge({ by: 'scheduler' })).toMatchObject({ purged: 0, due: { total: 0 } });
    expect(await purgeEvents()).toBe(4);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('a dry run counts and changes nothing', async () => {
    const tip = await createTestTip(database.db, orgKeys.publicKey, {
      status: 'rejected',
      closedAt: new Date(NOW.getTime() - 91 * DAY_MS),
    });
    const dry = await purge({ by: 'cli', dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, purged: 0, due: { rejected: 1, total: 1 } });
    const [row] = await database.db.select().from(tips).where(eq(tips.id, tip.id));
    expect(row?.purgedAt).toBeNull();
    expect(row?.envelope).not.toBeNull();
  });
});
