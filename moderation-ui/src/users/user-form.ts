import type { StaffRole } from '@tinbao/shared/api/auth';
import { USERNAME_PATTERN } from '@tinbao/shared/api/auth';
import type { Messages } from '../i18n/vi';

export type UserFormErrors = Partial<Record<'username' | 'displayName' | 'unitId', string>>;

/** The API's rules for a user, checked before sending so the messages are in the UI's language. */
export function validateUserForm(
  t: Messages,
  form: {
    username?: string;
    displayName: string;
    role: StaffRole;
    unitId: string;
    displayNameRequired: boolean;
  },
): UserFormErrors {
  const errors: UserFormErrors = {};
  if (form.username !== undefined) {
    const username = form.username.trim().toLowerCase();
    if (!username) errors.username = t.validation.required(t.admin.username);
    else if (!USERNAME_PATTERN.test(username)) errors.username = t.validation.username;
  }
  const displayName = form.displayName.trim();
  if (form.displayNameRequired && !displayName)
    errors.displayName = t.validation.required(t.admin.displayName);
  else if (displayName.length > 100) errors.displayName = t.validation.tooLong(t.admin.displayName, 100);
  if (form.role === 'unit_officer' && !form.unitId) errors.unitId = t.validation.choose(t.admin.unit);
  return errors;
}

/**
 * The unit and province sent with a role: a unit for an officer only, a province for a moderator
 * only (the others are sent as nationwide), whatever the form still holds from another role.
 */
export function scopeOfRole(
  role: StaffRole,
  unitId: string,
  provinceCode: string,
): { unitId: string | null; provinceCode: string | null } {
  return {
    unitId: role === 'unit_officer' ? unitId || null : null,
    provinceCode: role === 'moderator' ? provinceCode || null : null,
  };
}

export const hasErrors = (errors: Record<string, string | undefined>) => Object.values(errors).some(Boolean);
