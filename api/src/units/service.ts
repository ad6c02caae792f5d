import { foldForSearch } from '@tinbao/shared';
import type {
  NotificationTarget,
  Unit,
  UnitCreate,
  UnitDetail,
  UnitListQuery,
  UnitUpdate,
} from '@tinbao/shared/api/units';
import { and, asc, eq, inArray, like, or, type SQL, sql } from 'drizzle-orm';
import { appendAuditEvent } from '../audit/audit-log';
import type { Db, DbOrTx } from '../platform/db';
import { badRequest, conflict, notFound } from '../platform/errors';
import { adminUnits, borderCommunes, unitCommunes, unitNotificationTargets, units } from '../platform/schema';
import type { Actor } from '../tips/access';

const VIETNAMESE_LETTERS = 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ';
const FOLD_FROM = `${VIETNAMESE_LETTERS}${VIETNAMESE_LETTERS.toUpperCase()}ABCDEFGHIJKLMNOPQRSTUVWXYZ`;
const FOLD_TO = [...FOLD_FROM].map((letter) => foldForSearch(letter)).join('');

/** foldForSearch in SQL (PGlite has no unaccent): marks off, đ → d, lower case, only [a-z0-9]. */
export function foldedSql(column: SQL | typeof units.name): SQL {
  return sql`regexp_replace(translate(${column}, ${FOLD_FROM}, ${FOLD_TO}), '[^a-z0-9]', '', 'g')`;
}

const communeCount = sql<number>`(SELECT count(*)::int FROM ${unitCommunes} WHERE ${unitCommunes.unitId} = ${units.id})`;
// Qualified by hand: drizzle leaves columns unqualified in a one-table select, and the subquery's own
// "id" would then shadow units.id.
const notificationTargetCount = sql<number>`(SELECT count(*)::int FROM ${unitNotificationTargets} WHERE "unit_notification_targets"."unit_id" = "units"."id")`;

const unitColumns = {
  id: units.id,
  code: units.code,
  name: units.name,
  kind: units.kind,
  provinceCode: units.provinceCode,
  active: units.active,
  notificationTargetCount,
  communeCount,
};

type UnitListRow = {
  id: string;
  code: string;
  name: string;
  kind: Unit['kind'];
  provinceCode: string | null;
  active: boolean;
  notificationTargetCount: number;
  communeCount: number;
};

function presentUnit(row: UnitListRow): Unit {
  return {
    ...row,
    communeCount: Number(row.communeCount),
    notificationTargetCount: Number(row.notificationTargetCount),
  };
}

/** Units by name (accent-insensitive), code, or a commune they cover. */
export async function listUnits(db: Db, query: UnitListQuery): Promise<Unit[]> {
  const conditions: SQL[] = [];
  if (query.provinceCode) conditions.push(eq(units.provinceCode, query.provinceCode));
  if (query.kind) conditions.push(eq(units.kind, query.kind));
  if (query.communeCode) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM ${unitCommunes} WHERE ${unitCommunes.unitId} = ${units.id} AND ${unitCommunes.communeCode} = ${query.communeCode})`,
    );
  }
  const folded = query.q ? foldForSearch(query.q) : '';
  if (folded) {
    const code = query.q!.toUpperCase().replace(/[^A-Z0-9-]/g, '');
    conditions.push(
      or(
        like(foldedSql(units.name), `%${folded}%`),
        code ? like(units.code, `%${code}%`) : undefined,
        sql`EXISTS (SELECT 1 FROM ${unitCommunes} JOIN ${adminUnits} ON ${adminUnits.code} = ${unitCommunes.communeCode} WHERE ${unitCommunes.unitId} = ${units.id} AND ${adminUnits.searchKey} LIKE ${`%${folded}%`})`,
      )!,
    );
  }
  const rows = await db
    .select(unitColumns)
    .from(units)
    .where(and(...conditions))
    .orderBy(asc(units.kind), asc(units.code))
    .limit(query.limit);
  return rows.map(presentUnit);
}

export async function getUnit(db: DbOrTx, unitId: string): Promise<UnitDetail> {
  const [row] = await db.select(unitColumns).from(units).where(eq(units.id, unitId));
  if (!row) throw notFound('unit');
  const communes = await db
    .select({ code: adminUnits.code, name: adminUnits.name })
    .from(unitCommunes)
    .innerJoin(adminUnits, eq(adminUnits.code, unitCommunes.communeCode))
    .where(eq(unitCommunes.unitId, unitId))
    .orderBy(asc(adminUnits.code));
  const notificationTargets = await db
    .select({ channel: unitNotificationTargets.channel, address: unitNotificationTargets.address })
    .from(unitNotificationTargets)
    .where(eq(unitNotificationTargets.unitId, unitId))
    .orderBy(
      asc(unitNotificationTargets.createdAt),
      asc(unitNotificationTargets.channel),
      asc(unitNotificationTargets.address),
    );
  return { ...presentUnit(row), communes, notificationTargets };
}

const targetKey = (target: NotificationTarget) => `${target.channel}\u0000${target.address}`;

/**
 * Makes the unit's notification targets exactly `targets` (the same one twice counts once).
 * Targets kept keep their row, so the list stays in the order they were added.
 */
async function setNotificationTargets(
  tx: DbOrTx,
  unitId: string,
  targets: NotificationTarget[],
): Promise<number> {
  const wanted = new Map(targets.map((target) => [targetKey(target), target]));
  const count = wanted.size;
  const existing = await tx
    .select({
      id: unitNotificationTargets.id,
      channel: unitNotificationTargets.channel,
      address: unitNotificationTargets.address,
    })
    .from(unitNotificationTargets)
    .where(eq(unitNotificationTargets.unitId, unitId));
  const gone = existing.filter((row) => !wanted.has(targetKey(row))).map((row) => row.id);
  if (gone.length > 0)
    await tx.delete(unitNotificationTargets).where(inArray(unitNotificationTargets.id, gone));
  for (const row of existing) wanted.delete(targetKey(row));
  if (wanted.size > 0) {
    await tx
      .insert(unitNotificationTargets)
      .values([...wanted.values()].map((target) => ({ unitId, ...target })))
      .onConflictDoNothing();
  }
  return count;
}

async function checkCommunes(db: DbOrTx, communeCodes: string[]): Promise<string[]> {
  const unique = [...new Set(communeCodes)];
  if (unique.length === 0) return unique;
  const found = await db
    .select({ code: adminUnits.code })
    .from(adminUnits)
    .where(and(inArray(adminUnits.code, unique), eq(adminUnits.level, 'commune')));
  if (found.length !== unique.length) {
    const known = new Set(found.map((f) => f.code));
    throw badRequest(`unknown commune code ${unique.find((code) => !known.has(code))}`);
  }
  return unique;
}

async function checkProvince(db: DbOrTx, provinceCode: string | null | undefined): Promise<void> {
  if (!provinceCode) return;
  const [found] = await db
    .select({ code: adminUnits.code })
    .from(adminUnits)
    .where(and(eq(adminUnits.code, provinceCode), eq(adminUnits.level, 'province')));
  if (!found) throw badRequest(`unknown province code ${provinceCode}`);
}

export async function createUnit(db: Db, actor: Actor, input: UnitCreate): Promise<UnitDetail> {
  return db.transaction(async (tx) => {
    await checkProvince(tx, input.provinceCode);
    const communeCodes = await checkCommunes(tx, input.communeCodes ?? []);
    const [created] = await tx
      .insert(units)
      .values({
        code: input.code,
        name: input.name,
        kind: input.kind,
        provinceCode: input.provinceCode ?? null,
      })
      .onConflictDoNothing({ target: units.code })
      .returning({ id: units.id });
    if (!created) throw conflict('unit_code_taken', `a unit with code ${input.code} exists`);
    if (communeCodes.length > 0) {
      await tx
        .insert(unitCommunes)
        .values(communeCodes.map((communeCode) => ({ unitId: created.id, communeCode })));
    }
    const notificationTargets = input.notificationTargets
      ? await setNotificationTargets(tx, created.id, input.notificationTargets)
      : 0;
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'unit.created',
      subjectType: 'unit',
      subjectId: created.id,
      details: {
        code: input.code,
        kind: input.kind,
        communes: communeCodes.length,
        notificationTargets,
      },
    });
    return getUnit(tx, created.id);
  });
}

export async function updateUnit(
  db: Db,
  actor: Actor,
  unitId: string,
  input: UnitUpdate,
): Promise<UnitDetail> {
  return db.transaction(async (tx) => {
    await checkProvince(tx, input.provinceCode);
    const changes: Partial<typeof units.$inferInsert> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.provinceCode !== undefined) changes.provinceCode = input.provinceCode;
    if (input.active !== undefined) changes.active = input.active;
    if (Object.keys(changes).length > 0) {
      const updated = await tx
        .update(units)
        .set(changes)
        .where(eq(units.id, unitId))
        .returning({ id: units.id });
      if (updated.length === 0) throw notFound('unit');
    }
    const fields = Object.keys(changes);
    if (input.notificationTargets !== undefined) {
      // The unit's row lock serialises two admins replacing the same list.
      const [unit] = await tx.select({ id: units.id }).from(units).where(eq(units.id, unitId)).for('update');
      if (!unit) throw notFound('unit');
      await setNotificationTargets(tx, unitId, input.notificationTargets);
      fields.push('notificationTargets');
    }
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'unit.updated',
      subjectType: 'unit',
      subjectId: unitId,
      // Names of the changed fields only: the targets' addresses stay out of the log.
      details: { fields },
    });
    return getUnit(tx, unitId);
  });
}

export async function setUnitCommunes(
  db: Db,
  actor: Actor,
  unitId: string,
  communeCodes: string[],
): Promise<UnitDetail> {
  return db.transaction(async (tx) => {
    const [unit] = await tx.select({ id: units.id }).from(units).where(eq(units.id, unitId)).for('update');
    if (!unit) throw notFound('unit');
    const codes = await checkCommunes(tx, communeCodes);
    await tx.delete(unitCommunes).where(eq(unitCommunes.unitId, unitId));
    if (codes.length > 0) {
      await tx.insert(unitCommunes).values(codes.map((communeCode) => ({ unitId, communeCode })));
    }
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'unit.communes_set',
      subjectType: 'unit',
      subjectId: unitId,
      details: { communes: codes.length },
    });
    return getUnit(tx, unitId);
  });
}

// ---------------------------------------------------------------- administrative units

export async function listProvinces(db: Db) {
  return db
    .select({ code: adminUnits.code, name: adminUnits.name, type: adminUnits.unitType })
    .from(adminUnits)
    .where(eq(adminUnits.level, 'province'))
    .orderBy(asc(adminUnits.code));
}

export async function listCommunes(
  db: Db,
  query: {
    provinceCode?: string | undefined;
    q?: string | undefined;
    borderOnly?: boolean | undefined;
    limit: number;
  },
) {
  const conditions: SQL[] = [eq(adminUnits.level, 'commune')];
  if (query.provinceCode) conditions.push(eq(adminUnits.parentCode, query.provinceCode));
  const folded = query.q ? foldForSearch(query.q) : '';
  if (folded) conditions.push(like(adminUnits.searchKey, `%${folded}%`));
  if (query.borderOnly) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM ${borderCommunes} WHERE ${borderCommunes.communeCode} = ${adminUnits.code})`,
    );
  }
  const rows = await db
    .select({
      code: adminUnits.code,
      name: adminUnits.name,
      type: adminUnits.unitType,
      provinceCode: adminUnits.parentCode,
      borderCommune: sql<boolean>`EXISTS (SELECT 1 FROM ${borderCommunes} WHERE ${borderCommunes.communeCode} = ${adminUnits.code})`,
    })
    .from(adminUnits)
    .where(and(...conditions))
    // Exact and prefix matches first, then by code.
    .orderBy(
      folded
        ? sql`(${adminUnits.searchKey} = ${folded}) DESC, (${adminUnits.searchKey} LIKE ${`${folded}%`}) DESC`
        : sql`1`,
      asc(adminUnits.code),
    )
    .limit(query.limit);
  return rows.map((row) => ({
    ...row,
    provinceCode: row.provinceCode ?? '',
    borderCommune: Boolean(row.borderCommune),
  }));
}
