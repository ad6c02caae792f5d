import { generateKeyPair } from '@tinbao/shared';
import { isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tips } from '../platform/schema';
import { createTestDatabase, type TestDatabase } from '../platform/test-database';
import { DAY_MS } from '../retention/policy';
import { createTestTip, seedTestAdminUnits } from '../tips/testing';
import { runCli } from './testing';

describe('retention CLI against PostgreSQL (DATABASE_URL)', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  const receipts: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    await seedTestAdminUnits(database.db, ['44']);
    const { publicKey } = await generateKeyPair();
    const ago = (days: number) => new Date(Date.now() - days * DAY_MS);
    const make = async (name: string, status: 'closed' | 'rejected' | 'duplicate', days: number) => {
      receipts[name] = (
        await createTestTip(database.db, publicKey, { status, closedAt: ago(days) })
      ).receiptCode;
    };
    await make('closed400', 'closed', 400);
    await make('closed401', 'closed', 401);
    await make('rejected100', 'rejected', 100);
    await make('closed100', 'closed', 100);
    env = { DATABASE_URL: database.url as string, DATA_DIR: '/nonexistent-tinbao' };
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('previews what is due, per reason, and the next tips with their purge date', async () => {
    const preview = await runCli(['retention', 'preview'], env);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain(
      'closed tips 365 days after closing, rejected and duplicate tips 90 days after',
    );
    expect(preview.stdout).toContain(
      'due now (the next purge deletes their content): 3 — closed 2, rejected 1, duplicate 0',
    );
    expect(preview.stdout).toContain('under a legal hold (never purged): 0');
    const lines = preview.stdout.split('\n');
    const line = (name: string) => lines.find((l) => l.includes(receipts[name]!)) ?? '';
    expect(line('closed401')).toMatch(/closed\s+closed \d{4}-\d\d-\d\d {2}purge \d{4}-\d\d-\d\d {2}due now/);
    expect(line('closed100')).not.toContain('due now');
    // Soonest first.
    expect(lines.indexOf(line('closed401'))).toBeLessThan(lines.indexOf(line('closed100')));
  });

  it('a dry run counts and changes nothing; the purge shows N/M progress; a second purge finds nothing; audit verify passes', async () => {
    const dry = await runCli(['retention', 'purge', '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(
      'dry run: 3 tips would be purged now (closed 2, rejected 1, duplicate 0); nothing was changed',
    );
    expect(await database.db.select().from(tips).where(isNotNull(tips.purgedAt))).toEqual([]);

    const purge = await runCli(['retention', 'purge', '--batch-size', '2'], env);
    expect(purge.code, purge.stderr).toBe(0);
    expect(purge.stderr).toContain('purging 3 tips, 2 per batch…');
    expect(purge.stderr).toContain('2/3 tips purged');
    expect(purge.stderr).toContain('3/3 tips purged');
    expect(purge.stdout).toMatch(/purged 3 of 3 due tips \(closed 2, rejected 1, duplicate 0\) in 2 batches/);
    expect(await database.db.select().from(tips).where(isNotNull(tips.purgedAt))).toHaveLength(3);

    const again = await runCli(['retention', 'purge'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to purge: no tip is due');

    const verify = await runCli(['audit', 'verify'], env);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain('audit chain intact');
  });

  it('names a bad retention variable or option and changes nothing', async () => {
    const bad = await runCli(['retention', 'purge'], { ...env, TINBAO_RETENTION_CLOSED_DAYS: 'a year' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('TINBAO_RETENTION_CLOSED_DAYS: must be a number of days');
    const zero = await runCli(['retention', 'preview'], { ...env, TINBAO_RETENTION_REJECTED_DAYS: '0' });
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain('TINBAO_RETENTION_REJECTED_DAYS: must be at least 1 day');
    const option = await runCli(['retention', 'purge', '--batch-size', 'many'], env);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('--batch-size must be a whole number from 1 to 10000');
  });
});
