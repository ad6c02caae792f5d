import type { TipAction } from '../api/tips';
import type { TipStatus } from '../tips/schemas';

/**
 * The triage workflow as data. For each action: the statuses it may start from and the
 * status it leads to. Several units can be routed, and each acknowledges and reports on
 * its own, so route/acknowledge/report_outcome may also leave the status where it is.
 *
 *   new → in_review → validated | rejected | duplicate
 *   validated → routed → acknowledged → outcome_reported → closed
 */
export const TRANSITIONS: Record<TipAction, Partial<Record<TipStatus, TipStatus>>> = {
  start_review: { new: 'in_review' },
  validate: { in_review: 'validated' },
  reject: { in_review: 'rejected' },
  mark_duplicate: { new: 'duplicate', in_review: 'duplicate' },
  route: { validated: 'routed', routed: 'routed', acknowledged: 'acknowledged' },
  acknowledge: { routed: 'acknowledged', acknowledged: 'acknowledged', outcome_reported: 'outcome_reported' },
  report_outcome: { acknowledged: 'outcome_reported', outcome_reported: 'outcome_reported' },
  close: { outcome_reported: 'closed', rejected: 'closed', duplicate: 'closed' },
};

export const TIP_ACTIONS = Object.keys(TRANSITIONS) as TipAction[];

/** Statuses in which the 20-day settlement clock still runs: past the deadline they are overdue. */
export const OPEN_STATUSES = [
  'new',
  'in_review',
  'validated',
  'routed',
  'acknowledged',
] as const satisfies readonly TipStatus[];

/**
 * Statuses a tip leaves the workflow in: the retention clock (tips.closed_at) starts when a tip
 * enters one. Rejected and duplicate tips may still be closed; nothing leads out of closed.
 */
export const CLOSED_STATUSES = ['rejected', 'duplicate', 'closed'] as const satisfies readonly TipStatus[];

export function isClosedStatus(status: TipStatus): boolean {
  return (CLOSED_STATUSES as readonly TipStatus[]).includes(status);
}

export function isOpenStatus(status: TipStatus): boolean {
  return (OPEN_STATUSES as readonly TipStatus[]).includes(status);
}

export function nextStatus(action: TipAction, from: TipStatus): TipStatus | undefined {
  return TRANSITIONS[action][from];
}

/** The actions the workflow allows from a status, whoever asks. */
export function actionsFrom(status: TipStatus): TipAction[] {
  return TIP_ACTIONS.filter((action) => TRANSITIONS[action][status]);
}
