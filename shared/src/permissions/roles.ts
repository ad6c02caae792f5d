import { z } from 'zod';

/** Staff roles, declared once: the users table, the API, the CLI and the UI read this list. */
export const STAFF_ROLES = ['admin', 'moderator', 'unit_officer'] as const;
export const StaffRoleSchema = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

/**
 * Who is acting: the part of a signed-in user that authorisation needs. The API's
 * AuthContext and the UI's session user both satisfy it.
 */
export interface Actor {
  userId: string;
  role: StaffRole;
  /** Set for unit officers only: the one unit whose routed tips they see. */
  unitId: string | null;
  /** Set for province moderators only; null = nationwide. */
  provinceCode: string | null;
}
