import type { SessionUser } from '@tinbao/shared/api/auth';
import { type Action, type Actor, can, type Resource } from '@tinbao/shared/permissions/index';
import { useUser } from './session';

/** The signed-in user as the shared permission model's Actor. */
export function actorOf(user: Pick<SessionUser, 'id' | 'role' | 'unitId' | 'provinceCode'>): Actor {
  return { userId: user.id, role: user.role, unitId: user.unitId, provinceCode: user.provinceCode };
}

/**
 * `can(action, resource?)` for the signed-in user: the same model the API enforces, so the
 * UI shows a page or a button exactly when the API would answer it.
 */
export function useCan(): (action: Action, resource?: Resource) => boolean {
  const user = useUser();
  const actor = actorOf(user);
  return (action, resource) => !user.mustChangePassword && can(actor, action, resource);
}
