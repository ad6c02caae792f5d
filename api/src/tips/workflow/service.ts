import type { TipTransitionRequest, TipTransitionResponse } from '@tinbao/shared/api/tips';
import { can, isClosedStatus, nextStatus, tipFieldAccess } from '@tinbao/shared/permissions/index';
import { appendAuditEvent } from '../../audit/audit-log';
import type { DomainEvent } from '../../events/bus';
import { forbidden } from '../../platform/errors';
import { type Actor, loadVisibleTip } from '../access';
import { nowOf, type TipsDeps } from '../deps';
import { presentTipSummaries } from '../presenter';
import { type TipRow, updateTipIfVersion } from '../repository';
import { runAction } from './actions';
import { allowedActionsOf, illegalTransition, versionConflict } from './conflicts';

/**
 * Applies one workflow action: authorisation (404 before 403, so other units learn
 * nothing), the transition map (409 with the allowed actions), optimistic concurrency on
 * tips.version (two moderators at once: one wins, the other gets 409), the action's handler,
 * the change and its audit event in one transaction; then its events (notify newly routed units).
 */
export async function transitionTip(
  deps: TipsDeps,
  actor: Actor,
  tipId: string,
  request: TipTransitionRequest,
): Promise<TipTransitionResponse> {
  const { action } = request;
  const now = nowOf(deps);
  const { row, events } = await deps.db.transaction(async (tx) => {
    const tip = await loadVisibleTip(tx, actor, tipId);
    if (!can(actor, action)) throw forbidden(`a ${actor.role} cannot ${action} a tip`);
    const to = nextStatus(action, tip.status);
    if (!to) throw await illegalTransition(tx, actor, tip, action);
    if (request.version !== undefined && request.version !== tip.version)
      throw await versionConflict(tx, actor, tipId);

    const effect = await runAction({ tx, actor, tip, now, orgKeys: deps.orgKeys }, request);
    // Leaving the workflow starts the retention clock (see api/src/retention).
    const closing = isClosedStatus(to) && to !== tip.status ? { closedAt: now } : {};
    const updated = await updateTipIfVersion(tx, tip, { ...effect.changes, ...closing, status: to }, now);
    if (!updated) throw await versionConflict(tx, actor, tipId);
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: `tip.${action}`,
      subjectType: 'tip',
      subjectId: tipId,
      details: { from: tip.status, to, role: actor.role, ...effect.details, version: updated.version },
    });
    return { row: updated as TipRow, events: effect.events ?? ([] as DomainEvent[]) };
  });

  await deps.events.emit(...events);
  const [summary] = await presentTipSummaries(deps.db, [row], now, tipFieldAccess(actor));
  return { ok: true, tip: summary!, allowedActions: allowedActionsOf(actor, row, summary!.routes) };
}
