import type { DeadlineExtension, DeadlineExtensionCreate, TipSummary } from '@tinbao/shared/api/tips';
import { can, tipFieldAccess } from '@tinbao/shared/permissions/index';
import { appendAuditEvent } from '../../audit/audit-log';
import { forbidden } from '../../platform/errors';
import { type Actor, loadVisibleTip } from '../access';
import { DAY_MS, nowOf, type TipsDeps } from '../deps';
import { presentTipSummaries } from '../presenter';
import { routeStatesOf, updateTipIfVersion } from '../repository';
import { stateConflict, versionConflict } from '../workflow/conflicts';
import { insertExtension, presentExtension } from './repository';

/** Extends the 20-day settlement deadline with a reason; kept as history and audited. */
export async function extendDeadline(
  deps: Pick<TipsDeps, 'db' | 'now'>,
  actor: Actor,
  tipId: string,
  request: DeadlineExtensionCreate,
): Promise<{ tip: TipSummary; extension: DeadlineExtension }> {
  const now = nowOf(deps);
  const { row, extension } = await deps.db.transaction(async (tx) => {
    const tip = await loadVisibleTip(tx, actor, tipId);
    if (!can(actor, 'tips.extend_deadline')) throw forbidden();
    // Visible and allowed for the role: what the model still refuses is the status (not open).
    if (!can(actor, 'tips.extend_deadline', { tip: { ...tip, routes: await routeStatesOf(tx, tipId) } })) {
      throw await stateConflict(
        tx,
        actor,
        tip,
        'not_open',
        `the deadline of a tip that is ${tip.status} cannot be extended`,
      );
    }
    if (request.version !== undefined && request.version !== tip.version)
      throw await versionConflict(tx, actor, tipId);
    const newDeadlineAt = new Date(tip.deadlineAt.getTime() + request.days * DAY_MS);
    const updated = await updateTipIfVersion(tx, tip, { deadlineAt: newDeadlineAt }, now);
    if (!updated) throw await versionConflict(tx, actor, tipId);
    const extension = await insertExtension(tx, {
      tipId,
      previousDeadlineAt: tip.deadlineAt,
      newDeadlineAt,
      days: request.days,
      reason: request.reason,
      extendedBy: actor.userId,
      extendedAt: now,
    });
    await appendAuditEvent(tx, {
      actorType: 'user',
      actorId: actor.userId,
      action: 'tip.deadline_extended',
      subjectType: 'tip',
      subjectId: tipId,
      details: {
        extensionId: extension.id,
        days: request.days,
        previousDeadlineAt: tip.deadlineAt.toISOString(),
        newDeadlineAt: newDeadlineAt.toISOString(),
        version: updated.version,
      },
    });
    return { row: updated, extension };
  });
  const fields = tipFieldAccess(actor);
  const [summary] = await presentTipSummaries(deps.db, [row], now, fields);
  return { tip: summary!, extension: presentExtension(extension, fields) };
}
