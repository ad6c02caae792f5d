import type { TipStatus } from '@tinbao/shared';
import type { TipAction } from '@tinbao/shared/api/tips';
import type { StaffRole } from '../auth/middleware';

export type { StaffRole };

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

/** Who may take each action. Unit officers act only on tips routed to their own unit. */
export const ACTION_ROLES: Record<TipAction, readonly StaffRole[]> = {
  start_review: ['admin', 'moderator'],
  validate: ['admin', 'moderator'],
  reject: ['admin', 'moderator'],
  mark_duplicate: ['admin', 'moderator'],
  route: ['admin', 'moderator'],
  acknowledge: ['admin', 'moderator', 'unit_officer'],
  report_outcome: ['admin', 'moderator', 'unit_officer'],
  close: ['admin', 'moderator'],
};

/** Statuses in which the 20-day settlement clock still runs: past the deadline they are overdue. */
export const OPEN_STATUSES: readonly TipStatus[] = [
  'new',
  'in_review',
  'validated',
  'routed',
  'acknowledged',
];

export function nextStatus(action: TipAction, from: TipStatus): TipStatus | undefined {
  return TRANSITIONS[action][from];
}

/** The actions the workflow allows from a status, whoever asks. */
export function actionsFrom(status: TipStatus): TipAction[] {
  return (Object.keys(TRANSITIONS) as TipAction[]).filter((action) => TRANSITIONS[action][status]);
}

/** The actions a role may take from a status. */
export function actionsFor(role: StaffRole, status: TipStatus): TipAction[] {
  return actionsFrom(status).filter((action) => ACTION_ROLES[action].includes(role));
}
