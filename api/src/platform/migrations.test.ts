import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchPostgresDatabase,
  dropScratchPostgresDatabase,
  ENGINES,
  type Engine,
} from './test-database';

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** A copy of the migrations folder whose journal ends just before `tag`: the schema as it was. */
async function migrationsBefore(tag: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'tinbao-migrations-'));
  await cp(MIGRATIONS, folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const index = journal.entries.findIndex((entry) => entry.tag === tag);
  if (index < 0) throw new Error(`no migration ${tag}`);
  journal.entries = journal.entries.slice(0, index);
  await writeFile(journalFile, JSON.stringify(journal));
  return folder;
}

/** Plain SQL on one engine, and the migrator brought up to a given folder. */
interface Engined {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  migrate(folder: string): Promise<void>;
  close(): Promise<void>;
}

async function openEngine(engine: Engine): Promise<Engined> {
  if (engine === 'pglite') {
    const client = await PGlite.create();
    const db = drizzlePglite({ client });
    return {
      query: async <T>(text: string, params: unknown[] = []) => (await client.query<T>(text, params)).rows,
      migrate: (folder) => migratePglite(db, { migrationsFolder: folder }),
      close: () => client.close(),
    };
  }
  const url = await createScratchPostgresDatabase();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const db = drizzleNodePg({ client });
  return {
    query: async <T>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as T[],
    migrate: (folder) => migrateNodePg(db, { migrationsFolder: folder }),
    close: async () => {
      await client.end();
      await dropScratchPostgresDatabase(url);
    },
  };
}

describe.each(ENGINES)('migration 0010_unit_notification_targets on %s', (engine) => {
  let database: Engined;
  let before: string;

  beforeAll(async () => {
    database = await openEngine(engine);
    before = await migrationsBefore('0010_unit_notification_targets');
  });
  afterAll(async () => {
    await database?.close();
    if (before) await rm(before, { recursive: true, force: true });
  });

  it("moves every unit's Telegram group into unit_notification_targets and drops the column", async () => {
    await database.migrate(before);
    await database.query(
      `INSERT INTO units (code, name, kind, telegram_group_id) VALUES
        ('CA-00001', 'Công an xã Một', 'commune_police', '-1001234567890'),
        ('CA-00002', 'Công an xã Hai', 'commune_police', NULL),
        ('BP-LALAY', 'Đồn Biên phòng La Lay', 'border_guard', '-1009876543210')`,
    );

    await database.migrate(MIGRATIONS);

    const targets = await database.query<{ code: string; channel: string; address: string }>(
      `SELECT units.code, t.channel, t.address FROM unit_notification_targets t
        JOIN units ON units.id = t.unit_id ORDER BY units.code`,
    );
    expect(targets).toEqual([
      { code: 'BP-LALAY', channel: 'telegram', address: '-1009876543210' },
      { code: 'CA-00001', channel: 'telegram', address: '-1001234567890' },
    ]);
    const columns = await database.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'units'`,
    );
    expect(columns.map((column) => column.column_name)).not.toContain('telegram_group_id');
  });

  it('keeps one row per unit, channel and address, allows only known channels, and cascades', async () => {
    const [unit] = await database.query<{ id: string }>(`SELECT id FROM units WHERE code = 'CA-00002'`);
    const insert = (channel: string, address: string) =>
      database.query(
        'INSERT INTO unit_notification_targets (unit_id, channel, address) VALUES ($1, $2, $3)',
        [unit!.id, channel, address],
      );
    await insert('telegram', '-1005555555555');
    await expect(insert('telegram', '-1005555555555')).rejects.toThrow(/unique|duplicate/i);
    await expect(insert('fax', '-1005555555555')).rejects.toThrow(/check/i);
    await database.query('DELETE FROM units WHERE id = $1', [unit!.id]);
    expect(
      await database.query('SELECT 1 FROM unit_notification_targets WHERE unit_id = $1', [unit!.id]),
    ).toEqual([]);
  });
});

describe.each(ENGINES)('migration 0013_tip_notes_unit on %s', (engine) => {
  let database: Engined;
  let before: string;

  beforeAll(async () => {
    database = await openEngine(engine);
    before = await migrationsBefore('0013_tip_notes_unit');
  });
  afterAll(async () => {
    await database?.close();
    if (before) await rm(before, { recursive: true, force: true });
  });

  it("shares an officer's earlier notes with the officer's unit and keeps the others internal", async () => {
    await database.migrate(before);
    await database.query(
      `INSERT INTO admin_units (code, level, name, unit_type, parent_code, search_key)
        VALUES ('44', 'province', 'Tỉnh Quảng Trị', 'Tỉnh', NULL, 'tinhquangtri')`,
    );
    const [unit] = await database.query<{ id: string }>(
      `INSERT INTO units (code, name, kind) VALUES ('CA-00001', 'Công an xã Một', 'commune_police') RETURNING id`,
    );
    const [officer, moderator] = await database.query<{ id: string }>(
      `INSERT INTO users (username, display_name, role, unit_id, password_hash) VALUES
        ('officer', 'Trần Văn Minh', 'unit_officer', $1, 'x'),
        ('moderator', 'Nguyễn Thị Lan', 'moderator', NULL, 'x')
       RETURNING id`,
      [unit!.id],
    );
    const tipId = '11111111-1111-4111-8111-111111111111';
    await database.query(
      `INSERT INTO tips (id, receipt_code, category, province_code, venue_type, observed, channel,
         submitted_at, deadline_at, envelope)
       VALUES ($1, 'TB-AAAAA-AAAAA', 'mua_ban', '44', 'karaoke', 'hom_nay', 'web', now(), now(), '\\x00')`,
      [tipId],
    );
    await database.query(
      `INSERT INTO tip_notes (tip_id, author_id, body) VALUES ($1, $2, '\\x01'), ($1, $3, '\\x02')`,
      [tipId, officer!.id, moderator!.id],
    );

    await database.migrate(MIGRATIONS);

    const notes = await database.query<{ author_id: string; unit_id: string | null }>(
      'SELECT author_id, unit_id FROM tip_notes ORDER BY body',
    );
    expect(notes).toEqual([
      { author_id: officer!.id, unit_id: unit!.id },
      { author_id: moderator!.id, unit_id: null },
    ]);
  });
});

describe.each(ENGINES)('migration 0014_retention on %s', (engine) => {
  let database: Engined;
  let before: string;

  beforeAll(async () => {
    database = await openEngine(engine);
    before = await migrationsBefore('0014_retention');
  });
  afterAll(async () => {
    await database?.close();
    if (before) await rm(before, { recursive: true, force: true });
  });

  it('starts the retention clock of tips that already left the workflow at their audit event, else their last change', async () => {
    await database.migrate(before);
    await database.query(
      `INSERT INTO admin_units (code, level, name, unit_type, parent_code, search_key)
        VALUES ('44', 'province', 'Tỉnh Quảng Trị', 'Tỉnh', NULL, 'tinhquangtri')`,
    );
    const tip = (n: number) => `11111111-1111-4111-8111-00000000000${n}`;
    const insert = (n: number, status: string, updatedAt: string) =>
      database.query(
        `INSERT INTO tips (id, receipt_code, status, category, province_code, venue_type, observed, channel,
           submitted_at, deadline_at, envelope, updated_at)
         VALUES ($1, $2, $3, 'mua_ban', '44', 'karaoke', 'hom_nay', 'web', now(), now(), '\\x00', $4)`,
        [tip(n), `TB-AAAAA-AAAA${n}`, status, updatedAt],
      );
    await insert(1, 'closed', '2025-09-01T00:00:00Z');
    await insert(2, 'rejected', '2025-08-01T00:00:00Z');
    await insert(3, 'duplicate', '2025-07-01T00:00:00Z');
    await insert(4, 'routed', '2025-06-01T00:00:00Z');
    const event = (seq: number, n: number, action: string, at: string) =>
      database.query(
        `INSERT INTO audit_events (seq, id, occurred_at, actor_type, action, subject_type, subject_id, prev_hash, hash)
         VALUES ($1, gen_random_uuid(), $2, 'user', $3, 'tip', $4, repeat('0', 64), repeat('0', 64))`,
        [seq, at, action, tip(n)],
      );
    // Rejected in May, closed in June: the close is the later one.
    await event(1, 1, 'tip.reject', '2025-05-01T00:00:00Z');
    await event(2, 1, 'tip.close', '2025-06-15T00:00:00Z');
    await event(3, 2, 'tip.reject', '2025-07-20T00:00:00Z');
    await event(4, 4, 'tip.route', '2025-05-20T00:00:00Z');

    await database.migrate(MIGRATIONS);

    const rows = await database.query<{ id: string; closed_at: Date | string | null }>(
      'SELECT id, closed_at FROM tips ORDER BY id',
    );
    expect(rows.map((row) => (row.closed_at ? new Date(row.closed_at).toISOString() : null))).toEqual([
      '2025-06-15T00:00:00.000Z',
      '2025-07-20T00:00:00.000Z',
      // No event: its last change.
      '2025-07-01T00:00:00.000Z',
      null,
    ]);
    // The envelope stays until the purge, and a held tip cannot be purged.
    await expect(database.query(`UPDATE tips SET envelope = NULL WHERE id = $1`, [tip(1)])).rejects.toThrow(
      /tips_envelope_until_purged_check/,
    );
    await expect(
      database.query(
        `UPDATE tips SET legal_hold_at = now(), legal_hold_by = gen_random_uuid(), legal_hold_reason = 'x',
           purged_at = now(), envelope = NULL WHERE id = $1`,
        [tip(2)],
      ),
    ).rejects.toThrow(/tips_purged_not_held_check/);
  });
});
