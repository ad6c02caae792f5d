import type { TipAction, TipDetailResponse } from '@tinbao/shared/api/tips';
import { type Actor, can } from '@tinbao/shared/permissions/index';

/** The order of the action buttons on a tip. */
export const ACTION_ORDER: TipAction[] = [
  'start_review',
  'validate',
  'route',
  'acknowledge',
  'report_outcome',
  'mark_duplicate',
  'reject',
  'close',
];

export type VisibleAction = TipAction | 'extend_deadline';

/**
 * What the tip page offers this user: the workflow actions the API allows now, in the page's
 * order, and the deadline extension where the shared permission model allows it (the API
 * checks the same entry).
 */
export function visibleTipActions(
  actor: Actor,
  detail: Pick<TipDetailResponse, 'tip' | 'allowedActions'>,
): VisibleAction[] {
  const actions: VisibleAction[] = ACTION_ORDER.filter((action) => detail.allowedActions.includes(action));
  if (can(actor, 'tips.extend_deadline', { tip: detail.tip })) actions.push('extend_deadline');
  return actions;
}
