import type { StaffRole } from '@tinbao/shared/permissions/index';

/**
 * How a staff member appears on a tip: their name when the API sent it (moderators, admins),
 * else the role they acted in (what a unit officer is sent), else their id.
 */
export function staffLabel(
  person: { name?: string | null; role: StaffRole | null; id?: string | null },
  roles: Record<StaffRole, string>,
): string {
  return person.name ?? (person.role ? roles[person.role] : null) ?? person.id ?? '';
}
