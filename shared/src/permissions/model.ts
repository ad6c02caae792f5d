import type { TipAction } from '../api/tips';
import type { TipStatus } from '../tips/schemas';
import { type Actor, STAFF_ROLES, type StaffRole } from './roles';
import { actionsFrom, isOpenStatus, TIP_ACTIONS } from './tip-workflow';

/**
 * The one permission model: which roles may do what, and within which scope. The API's
 * route specs name a permission (the router lets the roles through, the authorisation
 * matrix test reads the same entry), the services ask `can` with the resource, and the UI
 * asks `can` to show pages and buttons.
 *
 * Scopes: 'none' (role alone), 'tip' (a unit officer sees tips routed to their unit, a
 * province moderator the tips of their province; others answer 404, so nothing leaks),
 * 'province' (a province moderator acts on their province only; others answer 403).
 */
export const PERMISSIONS = {
  /** Who am I, change my password, log out. */
  'session.self': { roles: STAFF_ROLES, scope: 'none' },
  'users.manage': { roles: ['admin'], scope: 'none' },
  /** The moderators' queue and its pages (the UI's /tips). */
  'tips.triage': { roles: ['admin', 'moderator'], scope: 'none' },
  /** A unit's inbox of routed cases (the UI's /inbox). */
  'tips.inbox': { roles: ['unit_officer'], scope: 'none' },
  /** List, count and open tips (decrypted, audited), photos, notes, timeline. */
  'tips.read': { roles: STAFF_ROLES, scope: 'tip' },
  'tips.add_note': { roles: STAFF_ROLES, scope: 'tip' },
  /** A workflow action; which one is decided per action by TIP_ACTION_ROLES and the tip. */
  'tips.transition': { roles: STAFF_ROLES, scope: 'tip' },
  /** The settlement deadline of an open tip (the unit settles the report, so officers too). */
  'tips.extend_deadline': { roles: STAFF_ROLES, scope: 'tip' },
  /**
   * Field-level: what of a tip in reach a role is sent. The API leaves a field out of every
   * answer (detail, queue, notes, timeline, action results) for a role without it; see
   * tipFieldAccess. Unit officers act on the case: they get the description, photos, commune
   * and a ~1 km area, not who reported it, what the moderators wrote, who did what, or the pin.
   */
  'tips.read_reporter_pseudonym': { roles: ['admin', 'moderator'], scope: 'tip' },
  /** Notes written by moderators and admins (an officer reads the notes of their own unit only). */
  'tips.read_internal_notes': { roles: ['admin', 'moderator'], scope: 'tip' },
  /** Staff names and user ids (timeline, notes, routes, deadline extensions); otherwise the role only. */
  'tips.read_staff_names': { roles: ['admin', 'moderator'], scope: 'tip' },
  /** The exact location pin; otherwise the ~1 km grid cell around it (coarseArea). */
  'tips.read_exact_location': { roles: ['admin', 'moderator'], scope: 'tip' },
  /**
   * Questions to the resident (pull: shown with /trangthai) and their answers: moderators and
   * admins; the routed unit's officers too when the admin allows it (TINBAO_OFFICERS_MAY_ASK,
   * checked by the questions service: without it an officer is refused with 403).
   */
  'tips.ask_resident': { roles: STAFF_ROLES, scope: 'tip' },
  /** Routing proposals: only those who may route a tip. */
  'tips.route': { roles: ['admin', 'moderator'], scope: 'tip' },
  'units.read': { roles: ['admin', 'moderator'], scope: 'none' },
  'units.manage': { roles: ['admin'], scope: 'none' },
  /** Provinces, communes and the place search. */
  'places.read': { roles: STAFF_ROLES, scope: 'none' },
  'routing.read': { roles: ['admin', 'moderator'], scope: 'none' },
  'routing.manage': { roles: ['admin'], scope: 'none' },
  'stats.read': { roles: ['admin', 'moderator'], scope: 'province' },
  /** What the retention purge deletes next, the legal holds, a tip's retention state (the UI's /admin/retention). */
  'retention.read': { roles: ['admin'], scope: 'none' },
  /** Place or release a legal hold on a tip (a held tip is never purged). */
  'retention.manage': { roles: ['admin'], scope: 'none' },
} as const satisfies Record<string, { roles: readonly StaffRole[]; scope: 'none' | 'tip' | 'province' }>;

export type Permission = keyof typeof PERMISSIONS;
export type PermissionScope = (typeof PERMISSIONS)[Permission]['scope'];
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

/** Who may take each workflow action. Unit officers act only on tips routed to their own unit. */
export const TIP_ACTION_ROLES: Record<TipAction, readonly StaffRole[]> = {
  start_review: ['admin', 'moderator'],
  validate: ['admin', 'moderator'],
  reject: ['admin', 'moderator'],
  mark_duplicate: ['admin', 'moderator'],
  route: ['admin', 'moderator'],
  acknowledge: STAFF_ROLES,
  report_outcome: STAFF_ROLES,
  close: ['admin', 'moderator'],
};

/** The route state a tip's permissions depend on (TipRoute satisfies it). */
export interface RouteState {
  unitId: string;
  acknowledgedAt: Date | string | null;
  outcome: string | null;
}

/** What `can` needs to know about a tip. */
export interface TipResource {
  status: TipStatus;
  provinceCode: string;
  routes: readonly RouteState[];
}

export type Resource = { tip: TipResource } | { provinceCode: string | null } | undefined;

export type Action = Permission | TipAction;

const isTipAction = (action: Action): action is TipAction => (TIP_ACTIONS as string[]).includes(action);

export function roleMay(role: StaffRole, permission: Permission): boolean {
  return (PERMISSIONS[permission].roles as readonly StaffRole[]).includes(role);
}

/** Whether the tip is within the actor's reach at all (the SQL mirror is the API's visibilityCondition). */
export function tipInScope(actor: Actor, tip: TipResource): boolean {
  if (actor.role === 'admin') return true;
  if (actor.role === 'moderator') return !actor.provinceCode || actor.provinceCode === tip.provinceCode;
  return actor.unitId !== null && tip.routes.some((route) => route.unitId === actor.unitId);
}

/** A province moderator reaches their own province only; a nationwide one (or an admin) any. */
export function provinceInScope(actor: Actor, provinceCode: string | null): boolean {
  return !actor.provinceCode || provinceCode === null || provinceCode === actor.provinceCode;
}

/**
 * The actions this actor may take on the tip now: the transitions from its status for the
 * role, narrowed by the routes (an officer acknowledges once and reports once, for their own
 * unit only). The API answers them as `allowedActions`; the UI shows them.
 */
export function allowedTipActions(actor: Actor, tip: TipResource): TipAction[] {
  if (!tipInScope(actor, tip)) return [];
  const mine =
    actor.role === 'unit_officer' ? tip.routes.filter((r) => r.unitId === actor.unitId) : tip.routes;
  return actionsFrom(tip.status).filter((action) => {
    if (!TIP_ACTION_ROLES[action].includes(actor.role)) return false;
    if (action === 'acknowledge') return mine.some((r) => !r.acknowledgedAt);
    if (action === 'report_outcome') return mine.some((r) => r.acknowledgedAt && !r.outcome);
    return true;
  });
}

/**
 * May the actor do this? Without a resource: does the role allow it at all (what a route
 * checks before the handler). With one: also the scope, and for tips their state.
 */
export function can(actor: Actor, action: Action, resource?: Resource): boolean {
  if (isTipAction(action)) {
    if (!TIP_ACTION_ROLES[action].includes(actor.role)) return false;
    return resource && 'tip' in resource ? allowedTipActions(actor, resource.tip).includes(action) : true;
  }
  if (!roleMay(actor.role, action)) return false;
  if (!resource) return true;
  if ('tip' in resource) {
    if (!tipInScope(actor, resource.tip)) return false;
    if (action === 'tips.extend_deadline') return isOpenStatus(resource.tip.status);
    return true;
  }
  return provinceInScope(actor, resource.provinceCode);
}
