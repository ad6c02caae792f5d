import { randomUUID } from 'node:crypto';
import type { TipStatus } from '@tinbao/shared';
import { TipStatusSchema } from '@tinbao/shared';
import { type TipAction, TipActionSchema, type TipTransitionRequest } from '@tinbao/shared/api/tips';
import { type Actor, actionsFrom, TIP_ACTION_ROLES, TRANSITIONS } from '@tinbao/shared/permissions/index';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors';
import { auditEvents, tipRoutes, tips } from '../../platform/schema';
import { ENGINES } from '../../platform/test-database';
import { createServiceHarness, type ServiceHarness } from '../test-harness';
import { createTestTip } from '../testing';
import { ACTION_HANDLERS } from './actions';
import { transitionTip } from './service';

/** The actions a role may take from a status (any tip in scope, routes aside). */
const actionsFor = (role: Actor['role'], status: TipStatus) =>
  actionsFrom(status).filter((action) => TIP_ACTION_ROLES[action].includes(role));

const STATUSES = TipStatusSchema.options;
const ACTIONS = TipActionSchema.options;

describe('the transition map', () => {
  it('names only known statuses and leaves closed terminal', () => {
    for (const action of ACTIONS) {
      for (const [from, to] of Object.entries(TRANSITIONS[action])) {
        expect(STATUSES).toContain(from);
        expect(STATUSES).toContain(to);
      }
    }
    expect(actionsFrom('closed')).toEqual([]);
  });

  it('has one handler per action, beside TRANSITIONS', () => {
    expect(Object.keys(ACTION_HANDLERS).sort()).toEqual(Object.keys(TRANSITIONS).sort());
  });

  it('lets unit officers only acknowledge and report outcomes', () => {
    const officerActions = ACTIONS.filter((action) => TIP_ACTION_ROLES[action].includes('unit_officer'));
    expect(officerActions.sort()).toEqual(['acknowledge', 'report_outcome']);
    expect(actionsFor('unit_officer', 'routed')).toEqual(['acknowledge']);
  });
});

describe.each(ENGINES)('state machine on %s', (engine) => {
  let h: ServiceHarness;
  const moderator: Actor = { userId: randomUUID(), role: 'moderator', unitId: null, provinceCode: null };
  const secondModerator: Actor = {
    userId: randomUUID(),
    role: 'moderator',
    unitId: null,
    provinceCode: null,
  };

  beforeAll(async () => {
    h = await createServiceHarness(engine);
  });
  afterAll(async () => {
    await h?.destroy();
  });

  /**
   * A tip in `status` with routes consistent with it: for routed/acknowledged/outcome_reported
   * one unit is in that state and another one step behind, so per-unit actions stay possible.
   */
  async function tipIn(status: TipStatus) {
    const [a, b, c] = h.units as [string, string, string];
    const tip = await createTestTip(h.database.db, h.orgKeys.publicKey, { status });
    const routes: (typeof tipRoutes.$inferInsert)[] = [];
    if (status === 'routed') routes.push({ tipId: tip.id, unitId: a });
    if (status === 'acknowledged') {
      routes.push({ tipId: tip.id, unitId: a, acknowledgedAt: new Date() });
      routes.push({ tipId: tip.id, unitId: b });
    }
    if (status === 'outcome_reported') {
      routes.push({
        tipId: tip.id,
        unitId: a,
        acknowledgedAt: new Date(),
        outcome: 'case_opened',
        outcomeAt: new Date(),
      });
      routes.push({ tipId: tip.id, unitId: b, acknowledgedAt: new Date() });
      routes.push({ tipId: tip.id, unitId: c });
    }
    if (routes.length) await h.database.db.insert(tipRoutes).values(routes);
    return tip;
  }

  async function requestFor(action: TipAction, status: TipStatus): Promise<TipTransitionRequest> {
    const [a, b, c, , fresh] = h.units as [string, string, string, string, string];
    switch (action) {
      case 'reject':
        return { action, reason: 'spam' };
      case 'mark_duplicate':
        return { action, duplicateOf: (await createTestTip(h.database.db, h.orgKeys.publicKey)).id };
      case 'route':
        return { action, unitIds: [fresh] };
      case 'acknowledge':
        return { action, unitId: status === 'acknowledged' ? b : status === 'outcome_reported' ? c : a };
      case 'report_outcome':
        return {
          action,
          unitId: status === 'outcome_reported' ? b : a,
          outcome: 'arrests',
          note: 'Đã bắt 2 đối tượng.',
        };
      default:
        return { action } as TipTransitionRequest;
    }
  }

  const cases = ACTIONS.flatMap((action) => STATUSES.map((status) => ({ action, status })));

  it.each(cases)('$action from $status', async ({ action, status }) => {
    const tip = await tipIn(status);
    const request = await requestFor(action, status);
    const expected = TRANSITIONS[action][status];
    if (expected) {
      const result = await transitionTip(h.deps, moderator, tip.id, request);
      expect(result.tip.status).toBe(expected);
      expect(result.tip.version).toBe(1);
      const events = await h.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.subjectId, tip.id), eq(auditEvents.action, `tip.${action}`)));
      expect(events).toHaveLength(1);
      expect(events[0]!.details).toMatchObject({ from: status, to: expected, version: 1 });
      expect(events[0]!.actorId).toBe(moderator.userId);
    } else {
      const error = await transitionTip(h.deps, moderator, tip.id, request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({
        status: 409,
        code: 'illegal_transition',
        details: { status, allowed: actionsFor('moderator', status) },
      });
      const [row] = await h.database.db.select().from(tips).where(eq(tips.id, tip.id));
      expect(row).toMatchObject({ status, version: 0 });
    }
  });

  it('keeps the side effects of each action: reason, duplicate root, routes, sealed outcome note', async () => {
    const original = await createTestTip(h.database.db, h.orgKeys.publicKey);
    const first = await tipIn('in_review');
    await transitionTip(h.deps, moderator, first.id, { action: 'mark_duplicate', duplicateOf: original.id });
    const second = await tipIn('new');
    // Pointing at a duplicate lands on the original: chains stay one hop long.
    const marked = await transitionTip(h.deps, moderator, second.id, {
      action: 'mark_duplicate',
      duplicateOf: first.id,
    });
    expect(marked.tip.duplicateOf).toBe(original.id);
    const self = await transitionTip(h.deps, moderator, original.id, {
      action: 'mark_duplicate',
      duplicateOf: first.id,
    }).catch((e: unknown) => e);
    expect(self).toMatchObject({ status: 400 });

    const rejected = await tipIn('in_review');
    expect(
      (await transitionTip(h.deps, moderator, rejected.id, { action: 'reject', reason: 'out_of_scope' })).tip
        .statusReason,
    ).toBe('out_of_scope');

    const acked = await tipIn('acknowledged');
    await transitionTip(h.deps, moderator, acked.id, {
      action: 'report_outcome',
      unitId: h.units[0],
      outcome: 'hot_spot_cleared',
      note: 'MARKER-outcome-note',
    });
    const [route] = await h.database.db
      .select()
      .from(tipRoutes)
      .where(and(eq(tipRoutes.tipId, acked.id), eq(tipRoutes.unitId, h.units[0]!)));
    expect(route!.outcome).toBe('hot_spot_cleared');
    expect(Buffer.from(route!.outcomeNote!).includes('MARKER-outcome-note')).toBe(false);

    const again = await transitionTip(h.deps, moderator, acked.id, {
      action: 'report_outcome',
      unitId: h.units[0],
      outcome: 'arrests',
    }).catch((e: unknown) => e);
    expect(again).toMatchObject({ status: 409, code: 'outcome_already_reported' });
  });

  it('answers 409 version_conflict to a stale version', async () => {
    const tip = await tipIn('new');
    await transitionTip(h.deps, moderator, tip.id, { action: 'start_review', version: 0 });
    const stale = await transitionTip(h.deps, secondModerator, tip.id, {
      action: 'validate',
      version: 0,
    }).catch((e: unknown) => e);
    expect(stale).toMatchObject({
      status: 409,
      code: 'version_conflict',
      details: { allowed: expect.any(Array) },
    });
  });

  it('two moderators at once on one tip: exactly one wins, the other gets 409', async () => {
    for (let round = 0; round < 10; round++) {
      const tip = await tipIn('in_review');
      const results = await Promise.allSettled([
        transitionTip(h.deps, moderator, tip.id, { action: 'validate' }),
        transitionTip(h.deps, secondModerator, tip.id, { action: 'reject', reason: 'false' }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toMatchObject({ status: 409 });
      expect(['illegal_transition', 'version_conflict']).toContain(lost[0]!.reason.code);
      const [row] = await h.database.db.select().from(tips).where(eq(tips.id, tip.id));
      expect(row!.version).toBe(1);
      const events = await h.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, tip.id));
      expect(events).toHaveLength(1);
    }
  });

  it('the same action twice at once (two routes to one unit): one wins', async () => {
    const tip = await tipIn('validated');
    const results = await Promise.allSettled([
      transitionTip(h.deps, moderator, tip.id, { action: 'route', unitIds: [h.units[3]!] }),
      transitionTip(h.deps, secondModerator, tip.id, { action: 'route', unitIds: [h.units[3]!] }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { status: 409 } });
    const jobs = await h.queues.notify.getJob(`${tip.id}_${h.units[3]}`);
    expect(jobs?.data).toEqual({ tipId: tip.id, unitId: h.units[3] });
  });
});
