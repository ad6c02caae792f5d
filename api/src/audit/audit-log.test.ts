import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/testing';
import { type Database, type Db, openDatabase } from '../platform/db';
import { auditEvents } from '../platform/schema';
import { createTestDatabase, ENGINES, type TestDatabase } from '../platform/test-database';
import { appendAuditEvent, hashAuditEvent, verifyAuditChain } from './audit-log';

async function appendEvents(db: Db, count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    await db.transaction((tx) =>
      appendAuditEvent(tx, {
        actorType: 'user',
        actorId: `user-${index % 3}`,
        action: index % 2 ? 'tip.decrypted' : 'tip.validate',
        subjectType: 'tip',
        subjectId: `tip-${index}`,
        details: { index, nested: { b: 2, a: 1 } },
      }),
    );
  }
}

/** Migration 0001 forbids UPDATE and DELETE on audit_events; an insider with DDL rights can lift it. */
async function tamper(db: Db, statement: ReturnType<typeof sql>): Promise<void> {
  await db.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER USER`);
  await db.execute(statement);
  await db.execute(sql`ALTER TABLE audit_events ENABLE TRIGGER USER`);
}

async function idOf(db: Db, seq: number): Promise<string> {
  const [row] = await db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.seq, seq));
  return row!.id;
}

describe.each(ENGINES)('audit chain on %s', (engine) => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.destroy();
  });

  it('is intact after appends and refuses UPDATE and DELETE while the triggers are on', async () => {
    database = await createTestDatabase(engine);
    await appendEvents(database.db, 12);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, events: 12 });
    await expect(
      database.db.execute(sql`UPDATE audit_events SET action = 'x' WHERE seq = 3`),
    ).rejects.toThrow();
    await expect(database.db.execute(sql`DELETE FROM audit_events WHERE seq = 3`)).rejects.toThrow();
  });

  it('names the event whose content was changed', async () => {
    database = await createTestDatabase(engine);
    await appendEvents(database.db, 12);
    await tamper(database.db, sql`UPDATE audit_events SET details = '{"index": 99}'::jsonb WHERE seq = 5`);
    const result = await verifyAuditChain(database.db);
    expect(result).toEqual({
      ok: false,
      events: 4,
      brokenAt: { seq: 5, id: await idOf(database.db, 5), reason: 'its content does not match its hash' },
    });
  });

  it('names the event after a deleted one', async () => {
    database = await createTestDatabase(engine);
    await appendEvents(database.db, 12);
    await tamper(database.db, sql`DELETE FROM audit_events WHERE seq = 7`);
    const result = await verifyAuditChain(database.db);
    expect(result).toMatchObject({
      ok: false,
      events: 6,
      brokenAt: { seq: 7, reason: 'event 7 is missing (next is 8)' },
    });
  });

  it('catches a forger who rewrites an event and its hash: the next event no longer links', async () => {
    database = await createTestDatabase(engine);
    await appendEvents(database.db, 12);
    const [row] = await database.db.select().from(auditEvents).where(eq(auditEvents.seq, 4));
    const { hash: _old, ...rest } = row!;
    const forged = { ...rest, actorId: 'someone-else' };
    await tamper(
      database.db,
      sql`UPDATE audit_events SET actor_id = ${forged.actorId}, hash = ${hashAuditEvent(forged)} WHERE seq = 4`,
    );
    const result = await verifyAuditChain(database.db);
    expect(result).toMatchObject({
      ok: false,
      brokenAt: {
        seq: 5,
        id: await idOf(database.db, 5),
        reason: 'its prev_hash does not match the event before it',
      },
    });
  });

  it('cannot see a truncated tail: a limit of any hash chain without an outside copy of its head', async () => {
    // Documented limit of any hash chain: removing the newest events leaves a valid shorter chain.
    database = await createTestDatabase(engine);
    await appendEvents(database.db, 3);
    await tamper(database.db, sql`DELETE FROM audit_events WHERE seq = 3`);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, events: 2 });
  });
});

describe('npm run tinbao -- audit verify', () => {
  let postgres: TestDatabase;
  let pgliteDir: string;
  let pglite: Database | undefined;

  beforeAll(async () => {
    postgres = await createTestDatabase('postgres');
    pgliteDir = await mkdtemp(join(tmpdir(), 'tinbao-audit-cli-'));
  });
  afterAll(async () => {
    await pglite?.close();
    await postgres?.destroy();
    await rm(pgliteDir, { recursive: true, force: true });
  });

  it('against PostgreSQL: exit 0 when intact, exit 1 naming the changed event', async () => {
    await appendEvents(postgres.db, 20);
    const env = { DATABASE_URL: postgres.url!, DATA_DIR: '/nonexistent-tinbao' };
    const intact = await runCli(['audit', 'verify'], env);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain('audit chain intact: 20 events verified');
    expect(intact.stderr).toContain('20 events checked');

    await tamper(
      postgres.db,
      sql`UPDATE audit_events SET occurred_at = occurred_at + interval '1 second' WHERE seq = 13`,
    );
    const broken = await runCli(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`audit chain BROKEN at event seq 13 (id ${await idOf(postgres.db, 13)})`);
    expect(broken.stdout).toContain('its content does not match its hash; 12 events before it verified');
  });

  it('against the embedded database in DATA_DIR: exit 1 naming a deleted event', async () => {
    pglite = await openDatabase({ engine: 'pglite', dataDir: join(pgliteDir, 'pglite') });
    await appendEvents(pglite.db, 6);
    await tamper(pglite.db, sql`DELETE FROM audit_events WHERE seq = 2`);
    await pglite.close();
    pglite = undefined;
    const env = { DATA_DIR: pgliteDir, DATABASE_URL: '' };
    const broken = await runCli(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('audit chain BROKEN at event seq 2: event 2 is missing (next is 3)');
  });
});
