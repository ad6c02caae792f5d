import { type KeyPair, sealJson } from '@tinbao/shared';
import type { TipAction, TipTransitionRequest } from '@tinbao/shared/api/tips';
import type { DomainEvent } from '../../events/bus';
import type { Tx } from '../../platform/db';
import { badRequest } from '../../platform/errors';
import type { tips } from '../../platform/schema';
import type { Actor } from '../access';
import type { TipRow } from '../repository';
import { stateConflict } from './conflicts';
import {
  countActiveUnits,
  findVisibleTipRoot,
  insertRoutes,
  lockRoute,
  repointDuplicates,
  updateRoute,
} from './repository';

export { TRANSITIONS } from '@tinbao/shared/permissions/index';

/** What a handler works with: inside the action's transaction, the tip locked by its version. */
export interface ActionContext {
  tx: Tx;
  actor: Actor;
  tip: TipRow;
  now: Date;
  orgKeys: KeyPair;
}

/** What an action changes besides the status: tip columns, audit details, events once committed. */
export interface ActionEffect {
  changes?: Partial<typeof tips.$inferInsert>;
  details?: Record<string, unknown>;
  events?: DomainEvent[];
}

type RequestOf<A extends TipAction> = Extract<TipTransitionRequest, { action: A }>;
type ActionHandler<A extends TipAction> = (
  context: ActionContext,
  request: RequestOf<A>,
) => Promise<ActionEffect>;

/** Which unit an acknowledge/outcome is for: the officer's own, or the one a moderator names. */
function unitOfAction(actor: Actor, requested: string | undefined): string {
  if (actor.role === 'unit_officer') return actor.unitId!;
  if (!requested) throw badRequest('body.unitId: name the unit you act for');
  return requested;
}

async function routeOf(tx: Tx, tipId: string, unitId: string) {
  const route = await lockRoute(tx, tipId, unitId);
  if (!route) throw badRequest('the tip is not routed to that unit');
  return route;
}

const noEffect = async (): Promise<ActionEffect> => ({});

/**
 * What each workflow action does beyond the status change in TRANSITIONS, one handler per
 * action: a new action is one entry here (and one in TRANSITIONS and TIP_ACTION_ROLES).
 */
export const ACTION_HANDLERS: { [A in TipAction]: ActionHandler<A> } = {
  start_review: noEffect,
  validate: noEffect,
  close: noEffect,
  reject: async (_context, request) => ({
    changes: { statusReason: request.reason },
    details: { reason: request.reason },
  }),
  mark_duplicate: async ({ tx, actor, tip }, request) => {
    const target = await findVisibleTipRoot(tx, actor, request.duplicateOf);
    // A tip the actor may not see (another province) answers like a missing one.
    if (!target) throw badRequest('body.duplicateOf: no such tip');
    // Always point at the original, so duplicate chains stay one hop long.
    const root = target.duplicateOf ?? target.id;
    if (root === tip.id) throw badRequest('body.duplicateOf: a tip cannot be a duplicate of itself');
    await repointDuplicates(tx, tip.id, root);
    return { changes: { duplicateOf: root, statusReason: null }, details: { duplicateOf: root } };
  },
  route: async ({ tx, actor, tip, now }, request) => {
    const unitIds = [...new Set(request.unitIds)];
    if ((await countActiveUnits(tx, unitIds)) !== unitIds.length)
      throw badRequest('body.unitIds: unknown or inactive unit');
    const routed = await insertRoutes(tx, tip.id, unitIds, actor.userId, now);
    if (routed.length === 0) {
      throw await stateConflict(tx, actor, tip, 'already_routed', 'the tip is already routed to these units');
    }
    return {
      details: { unitIds: routed },
      events: [{ name: 'tip.routed', payload: { tipId: tip.id, unitIds: routed } }],
    };
  },
  acknowledge: async ({ tx, actor, tip, now }, request) => {
    const unitId = unitOfAction(actor, request.unitId);
    const route = await routeOf(tx, tip.id, unitId);
    if (route.acknowledgedAt) {
      throw await stateConflict(
        tx,
        actor,
        tip,
        'already_acknowledged',
        'this unit has already acknowledged the tip',
      );
    }
    await updateRoute(tx, tip.id, unitId, { acknowledgedAt: now, acknowledgedBy: actor.userId });
    return { details: { unitId } };
  },
  report_outcome: async ({ tx, actor, tip, now, orgKeys }, request) => {
    const unitId = unitOfAction(actor, request.unitId);
    const route = await routeOf(tx, tip.id, unitId);
    if (!route.acknowledgedAt || route.outcome) {
      throw await stateConflict(
        tx,
        actor,
        tip,
        route.outcome ? 'outcome_already_reported' : 'not_acknowledged',
        route.outcome
          ? 'this unit has already reported an outcome'
          : 'this unit must acknowledge the tip before reporting an outcome',
      );
    }
    await updateRoute(tx, tip.id, unitId, {
      outcome: request.outcome,
      outcomeNote: request.note ? await sealJson({ note: request.note }, [orgKeys.publicKey]) : null,
      outcomeAt: now,
      outcomeBy: actor.userId,
    });
    return { details: { unitId, outcome: request.outcome } };
  },
};

/** Runs the handler of the request's action (the map is typed per action; this narrows it). */
export function runAction(context: ActionContext, request: TipTransitionRequest): Promise<ActionEffect> {
  const handler = ACTION_HANDLERS[request.action] as ActionHandler<TipAction>;
  return handler(context, request as RequestOf<TipAction>);
}
