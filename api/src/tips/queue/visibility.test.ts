import { randomUUID } from 'node:crypto';
import { generateKeyPair, type TipStatus } from '@tinbao/shared';
import { type TipListQuery, TipListQuerySchema } from '@tinbao/shared/api/tips';
import { type Actor, can, type TipResource } from '@tinbao/shared/permissions/index';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tipRoutes, tips } from '../../platform/schema';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../platform/test-database';
import { loadVisibleTip } from '../access';
import { communePoliceUnitId, createTestTip, seedTestAdminUnits } from '../testing';
import { countTips, listTips } from './service';

/**
 * The SQL that scopes the queue (visibilityCondition in ../access.ts) is a second writing of
 * the shared model's tip scope. Here both answer for the same tips in a real database: for
 * every kind of actor, the tips the queue lists (page by page), counts and opens are exactly
 * those for which can(actor, 'tips.read', { tip }) holds, with the tip and its routes as stored.
 */

const QUANG_TRI = '44';
const LAI_CHAU = '12';
const COMMUNE_A = '19564'; // Xã Đakrông, Quảng Trị
const COMMUNE_B = '18859'; // Quảng Trị
const COMMUNE_C = '03388'; // Lai Châu

type UnitName = 'A' | 'B' | 'C' | 'D';

/** Tips across both provinces: unrouted, routed to one unit, to several, across a province line. */
const WORLD: { province: string; commune: string | undefined; status: TipStatus; routedTo: UnitName[] }[] = [
  { province: QUANG_TRI, commune: COMMUNE_A, status: 'new', routedTo: [] },
  { province: QUANG_TRI, commune: COMMUNE_A, status: 'routed', routedTo: ['A'] },
  { province: QUANG_TRI, commune: COMMUNE_A, status: 'acknowledged', routedTo: ['A', 'B'] },
  { province: QUANG_TRI, commune: COMMUNE_B, status: 'closed', routedTo: ['B'] },
  { province: QUANG_TRI, commune: COMMUNE_B, status: 'validated', routedTo: [] },
  { province: QUANG_TRI, commune: undefined, status: 'in_review', routedTo: [] },
  { province: QUANG_TRI, commune: COMMUNE_B, status: 'routed', routedTo: ['C'] },
  { province: LAI_CHAU, commune: COMMUNE_C, status: 'new', routedTo: [] },
  { province: LAI_CHAU, commune: COMMUNE_C, status: 'outcome_reported', routedTo: ['C'] },
  { province: LAI_CHAU, commune: COMMUNE_C, status: 'routed', routedTo: ['A'] },
  { province: LAI_CHAU, commune: undefined, status: 'rejected', routedTo: [] },
];

const staff = (role: Actor['role'], scope: Partial<Pick<Actor, 'unitId' | 'provinceCode'>> = {}): Actor => ({
  userId: randomUUID(),
  role,
  unitId: scope.unitId ?? null,
  provinceCode: scope.provinceCode ?? null,
});

/** Who asks, by the units of the world (created before the tests run). */
const ACTORS: [string, (units: Record<UnitName, string>) => Actor][] = [
  ['an admin', () => staff('admin')],
  ['a nationwide moderator', () => staff('moderator')],
  ['a moderator of Quảng Trị', () => staff('moderator', { provinceCode: QUANG_TRI })],
  ['a moderator of Lai Châu', () => staff('moderator', { provinceCode: LAI_CHAU })],
  ['a moderator of a province without tips', () => staff('moderator', { provinceCode: '01' })],
  [
    "unit A's officer (a Lai Châu tip is routed to A too)",
    (units) => staff('unit_officer', { unitId: units.A }),
  ],
  ["unit B's officer", (units) => staff('unit_officer', { unitId: units.B })],
  [
    "unit C's officer (Lai Châu's, with a Quảng Trị tip)",
    (units) => staff('unit_officer', { unitId: units.C }),
  ],
  ['the officer of a unit nothing was routed to', (units) => staff('unit_officer', { unitId: units.D })],
  ['an officer without a unit (fails closed)', () => staff('unit_officer')],
];

describe.each(ENGINES)('the queue sees what the permission model lets read, on %s', (engine) => {
  let database: TestDatabase;
  let units: Record<UnitName, string>;
  /** Every tip of the world as stored, in the shape `can` reads. */
  let stored: (TipResource & { id: string })[];

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    const db = database.db;
    await seedTestAdminUnits(db, [QUANG_TRI, LAI_CHAU]);
    units = {
      A: await communePoliceUnitId(db, COMMUNE_A),
      B: await communePoliceUnitId(db, COMMUNE_B),
      C: await communePoliceUnitId(db, COMMUNE_C),
      // A unit nothing was routed to.
      D: await communePoliceUnitId(db, '19567'),
    };
    const { publicKey } = await generateKeyPair();
    const ids: string[] = [];
    for (const tip of WORLD) {
      const created = await createTestTip(db, publicKey, {
        provinceCode: tip.province,
        communeCode: tip.commune,
        status: tip.status,
        routedTo: tip.routedTo.map((unit) => units[unit]),
      });
      ids.push(created.id);
    }
    const rows = await db
      .select({ id: tips.id, status: tips.status, provinceCode: tips.provinceCode })
      .from(tips)
      .where(inArray(tips.id, ids));
    const routes = await db.select().from(tipRoutes).where(inArray(tipRoutes.tipId, ids));
    stored = rows.map((row) => ({ ...row, routes: routes.filter((route) => route.tipId === row.id) }));
    expect(stored).toHaveLength(WORLD.length);
  });

  afterAll(async () => {
    await database?.destroy();
  });

  const readable = (actor: Actor) =>
    stored
      .filter((tip) => can(actor, 'tips.read', { tip }))
      .map((tip) => tip.id)
      .sort();

  /** Every page of the queue, three tips at a time, so the keyset cursor is walked as well. */
  async function listAll(actor: Actor, sort: TipListQuery['sort']): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const query = TipListQuerySchema.parse({ sort, limit: 3, ...(cursor ? { cursor } : {}) });
      const answer = await listTips({ db: database.db }, actor, query);
      ids.push(...answer.items.map((item) => item.id));
      if (!answer.nextCursor) return ids.sort();
      cursor = answer.nextCursor;
    }
    throw new Error('the queue did not end');
  }

  async function openable(actor: Actor): Promise<string[]> {
    const opened: string[] = [];
    for (const tip of stored) {
      const found = await loadVisibleTip(database.db, actor, tip.id).then(
        () => true,
        (error: unknown) => {
          // Out of reach is a 404, the same as a tip that does not exist.
          expect(error).toMatchObject({ status: 404 });
          return false;
        },
      );
      if (found) opened.push(tip.id);
    }
    return opened.sort();
  }

  it('tells the actors apart: each sees another part of the world', () => {
    const sets = ACTORS.map(([, actorOf]) => readable(actorOf(units)).join());
    // Admin and the nationwide moderator see all; the empty province, unit D and no unit see nothing.
    expect(new Set(sets).size).toBe(ACTORS.length - 3);
    expect(readable(staff('admin'))).toHaveLength(WORLD.length);
    expect(readable(staff('moderator', { provinceCode: '01' }))).toEqual([]);
  });

  it.each(ACTORS)(
    '%s: listed on every page, counted and opened = can(actor, "tips.read", { tip })',
    async (_name, actorOf) => {
      const actor = actorOf(units);
      const expected = readable(actor);
      expect(await listAll(actor, 'priority')).toEqual(expected);
      expect(await listAll(actor, 'received')).toEqual(expected);
      expect((await countTips({ db: database.db }, actor, {})).total).toBe(expected.length);
      expect(await openable(actor)).toEqual(expected);
    },
  );
});
