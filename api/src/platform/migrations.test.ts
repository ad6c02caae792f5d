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
