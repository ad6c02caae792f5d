import type { TipCategory, VenueType } from '@tinbao/shared';
import type { RoutingProposal } from '@tinbao/shared/api/tips';
import type { RoutingRule, RoutingRuleCreate, RoutingRuleUpdate } from '@tinbao/shared/api/units';
import { and, asc, eq, isNull, or, type SQL } from 'drizzle-orm';
import { appendAuditEvent } from '../audit/audit-log';
import type { Db, DbOrTx } from '../platform/db';
import { badRequest, forbidden, notFound } from '../platform/errors';
import { adminUnits, borderCommunes, routingRules, tipRoutes, unitCommunes, units } from '../platform/schema';
import { type Actor, loadVisibleTip } from '../tips/access';

export async function isBorderCommune(db: DbOrTx, communeCode: string): Promise<boolean> {
  const [row] = await db
    .select({ code: borderCommunes.communeCode })
    .from(borderCommunes)
    .where(eq(borderCommunes.communeCode, communeCode));
  return row !== undefined;
}

/** A tip is in a border area when its commune is a border commune or the resident said so. */
export async function isBorderArea(
  db: DbOrTx,
  tip: { communeCode: string | null; venueType: string },
): Promise<boolean> {
  if (tip.venueType === 'khu_vuc_bien_gioi') return true;
  return tip.communeCode !== null && (await isBorderCommune(db, tip.communeCode));
}

/** A rule matches when every condition it sets holds. */
function ruleMatches(
  tip: { provinceCode: string; communeCode: string | null; category: TipCategory; venueType: VenueType },
  borderArea: boolean,
): SQL {
  return and(
    eq(routingRules.enabled, true),
    or(isNull(routingRules.provinceCode), eq(routingRules.provinceCode, tip.provinceCode)),
    // A tip without a commune matches only the rules that name none.
    tip.communeCode === null
      ? isNull(routingRules.communeCode)
      : or(isNull(routingRules.communeCode), eq(routingRules.communeCode, tip.communeCode)),
    or(isNull(routingRules.category), eq(routingRules.category, tip.category)),
    or(isNull(routingRules.venueType), eq(routingRules.venueType, tip.venueType)),
    borderArea ? undefined : eq(routingRules.borderAreaOnly, false),
  )!;
}

/**
 * The units routing proposes for a tip: the units covering its commune (its commune police,
 * a border guard station covering a border commune), then the units of matching rules.
 * The moderator confirms by routing; nothing is routed here.
 */
export async function proposeUnits(
  db: Db,
  actor: Actor,
  tipId: string,
): Promise<{ borderArea: boolean; proposals: RoutingProposal[] }> {
  const tip = await loadVisibleTip(db, actor, tipId);
  if (actor.role === 'unit_officer') throw forbidden('a unit_officer cannot route tips');
  const borderArea = await isBorderArea(db, tip);
  const communeCode = tip.communeCode;
  const [covering, ruled, routed] = await Promise.all([
    communeCode === null
      ? []
      : db
          .select({ id: units.id, code: units.code, name: units.name, kind: units.kind })
          .from(unitCommunes)
          .innerJoin(units, eq(units.id, unitCommunes.unitId))
          .where(and(eq(unitCommunes.communeCode, communeCode), eq(units.active, true)))
          .orderBy(asc(units.kind), asc(units.code)),
    db
      .select({ id: units.id, code: units.code, name: units.name, kind: units.kind, rule: routingRules.name })
      .from(routingRules)
      .innerJoin(units, eq(units.id, routingRules.unitId))
      .where(and(ruleMatches(tip, borderArea), eq(units.active, true)))
      .orderBy(asc(routingRules.createdAt)),
    db.select({ unitId: tipRoutes.unitId }).from(tipRoutes).where(eq(tipRoutes.tipId, tipId)),
  ]);
  const routedIds = new Set(routed.map((r) => r.unitId));
  const byUnit = new Map<string, RoutingProposal>();
  const propose = (
    unit: { id: string; code: string; name: string; kind: RoutingProposal['kind'] },
    reason: string,
  ) => {
    const existing = byUnit.get(unit.id);
    if (existing) {
      if (!existing.reasons.includes(reason)) existing.reasons.push(reason);
      return;
    }
    byUnit.set(unit.id, {
      unitId: unit.id,
      unitCode: unit.code,
      unitName: unit.name,
      kind: unit.kind,
      reasons: [reason],
      alreadyRouted: routedIds.has(unit.id),
    });
  };
  for (const unit of covering) propose(unit, 'covers_commune');
  for (const unit of ruled) propose(unit, `rule:${unit.rule}`);
  return { borderArea, proposals: [...byUnit.values()] };
}

// ---------------------------------------------------------------- rules

const ruleColumns = {
  id: routingRules.id,
  name: routingRules.name,
  unitId: routingRules.unitId,
  unitName: units.name,
  enabled: routingRules.enabled,
  provinceCode: routingRules.provinceCode,
  communeCode: routingRules.communeCode,
  category: routingRules.category,
  venueType: routingRules.venueType,
  borderAreaOnly: routingRules.borderAreaOnly,
  createdAt: routingRules.createdAt,
  updatedAt: routingRules.updatedAt,
};

type RuleRow = Omit<RoutingRule, 'category' | 'venueType' | 'createdAt' | 'updatedAt'> & {
  category: string | null;
  venueType: string | null;
  createdAt: Date;
  updatedAt: Date;
};

function presentRule(row: RuleRow): RoutingRule {
  return {
    ...row,
    category: row.category as RoutingRule['category'],
    venueType: row.venueType as RoutingRule['venueType'],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listRoutingRules(db: Db): Promise<RoutingRule[]> {
  const rows = await db
    .select(ruleColumns)
    .from(routingRules)
    .innerJoin(units, eq(units.id, routingRules.unitId))
    .orderBy(asc(routingRules.createdAt), asc(routingRules.id));
  return rows.map(presentRule);
}

async function getRule(db: DbOrTx, id: string): Promise<RoutingRule> {
  const [row] = await db
    .select(ruleColumns)
    .from(routingRules)
    .innerJoin(units, eq(units.id, routingRules.unitId))
    .where(eq(routingRules.id, id));
  if (!row) throw notFound('routing rule');
  return presentRule(row);
}

async function checkRuleReferences(
  db: DbOrTx,
  input: {
    unitId?: string | undefined;
    provinceCode?: string | null | undefined;
    communeCode?: string | null | undefined;
  },
): Promise<void> {
  if (input.unitId) {
    const [unit] = await db.select({ id: units.id }).from(units).where(eq(units.id, input.unitId));
    if (!unit) throw badRequest('body.unitId: no such unit');
  }
  for (const [field, code, level] of [
    ['provinceCode', input.provinceCode, 'province'],
    ['communeCode', input.communeCode, 'commune'],
  ] as const) {
    if (!code) continue;
    const [found] = await db
      .select({ code: adminUnits.code })
      .from(adminUnits)
      .where(and(eq(adminUnits.code, code), eq(adminUnits.level, level)));
    if (!found) throw badRequest(`body.${field}: unknown ${level} code ${code}`);
  }
}

export async function createRoutingRule(
  db: Db,
  actor: Actor,
  input: RoutingRuleCreate,
): Promise<RoutingRule> {
  return db.transaction(async (tx) => {
    await checkRuleReferences(tx, input);
    const [created] = await tx.insert(routingRules).values(input).returning({ id: routingRules.id });
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'routing_rule.created',
      subjectType: 'routing_rule',
      subjectId: created!.id,
      details: { unitId: input.unitId },
    });
    return getRule(tx, created!.id);
  });
}

export async function updateRoutingRule(
  db: Db,
  actor: Actor,
  id: string,
  input: RoutingRuleUpdate,
): Promise<RoutingRule> {
  return db.transaction(async (tx) => {
    await checkRuleReferences(tx, input);
    const updated = await tx
      .update(routingRules)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(routingRules.id, id))
      .returning({ id: routingRules.id });
    if (updated.length === 0) throw notFound('routing rule');
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'routing_rule.updated',
      subjectType: 'routing_rule',
      subjectId: id,
      details: { fields: Object.keys(input) },
    });
    return getRule(tx, id);
  });
}

export async function deleteRoutingRule(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(routingRules)
      .where(eq(routingRules.id, id))
      .returning({ id: routingRules.id });
    if (deleted.length === 0) throw notFound('routing rule');
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'routing_rule.deleted',
      subjectType: 'routing_rule',
      subjectId: id,
    });
  });
}

// ---------------------------------------------------------------- border communes

export async function setBorderCommune(
  db: Db,
  actor: Actor,
  communeCode: string,
  border: boolean,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [commune] = await tx
      .select({ code: adminUnits.code })
      .from(adminUnits)
      .where(and(eq(adminUnits.code, communeCode), eq(adminUnits.level, 'commune')));
    if (!commune) throw notFound('commune');
    const changed = border
      ? await tx
          .insert(borderCommunes)
          .values({ communeCode, addedBy: actor.userId })
          .onConflictDoNothing()
          .returning({ code: borderCommunes.communeCode })
      : await tx
          .delete(borderCommunes)
          .where(eq(borderCommunes.communeCode, communeCode))
          .returning({ code: borderCommunes.communeCode });
    if (changed.length > 0) {
      await appendAuditEvent(tx, {
        actorType: 'user',
        actorId: actor.userId,
        action: border ? 'border_commune.added' : 'border_commune.removed',
        subjectType: 'commune',
        subjectId: communeCode,
      });
    }
  });
}
