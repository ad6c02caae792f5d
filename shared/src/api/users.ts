import { z } from 'zod';
import { ProvinceCodeSchema } from '../tips/schemas';
import { StaffRoleSchema, UsernameSchema } from './auth';

/** Request and response shapes of /api/v1/users (admin only). */

export const DisplayNameSchema = z
  .string()
  .transform((value) => value.normalize('NFC').trim())
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters')
      .regex(/^\P{Cc}*$/u, 'must not contain control characters'),
  );

export const StaffUserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: StaffRoleSchema,
  unitId: z.uuid().nullable(),
  unitCode: z.string().nullable(),
  /** A moderator limited to one province; null = nationwide (always null for the other roles). */
  provinceCode: z.string().nullable(),
  disabled: z.boolean(),
  totpEnrolled: z.boolean(),
  /** The account still has a temporary password and must change it at next login. */
  mustChangePassword: z.boolean(),
  /** ISO time until which the account is locked after failed logins, or null. */
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type StaffUser = z.infer<typeof StaffUserSchema>;

export const ListUsersResponseSchema = z.object({ ok: z.literal(true), users: z.array(StaffUserSchema) });
export type ListUsersResponse = z.infer<typeof ListUsersResponseSchema>;

export const UserResponseSchema = z.object({ ok: z.literal(true), user: StaffUserSchema });
export type UserResponse = z.infer<typeof UserResponseSchema>;

/** A unit officer needs a unit; the others must not have one. */
const unitMatchesRole = (value: { role?: string | undefined; unitId?: string | null | undefined }) =>
  value.role === undefined || (value.role === 'unit_officer') === (value.unitId != null);

/** Only a moderator may be limited to a province (admins are nationwide, officers have their unit). */
const provinceMatchesRole = (value: {
  role?: string | undefined;
  provinceCode?: string | null | undefined;
}) => value.provinceCode == null || value.role === undefined || value.role === 'moderator';
const PROVINCE_ONLY_FOR_MODERATORS = {
  message: 'only a moderator can be limited to a province; admins and unit officers have none',
  path: ['provinceCode'],
};

export const CreateUserRequestSchema = z
  .object({
    username: UsernameSchema,
    displayName: DisplayNameSchema.optional(),
    role: StaffRoleSchema,
    unitId: z.uuid().nullable().optional(),
    /** Moderators only: the province whose tips they see; null or absent = nationwide. */
    provinceCode: ProvinceCodeSchema.nullable().optional(),
  })
  .refine(unitMatchesRole, {
    message: 'a unit_officer needs unitId; admins and moderators have none',
    path: ['unitId'],
  })
  .refine(provinceMatchesRole, PROVINCE_ONLY_FOR_MODERATORS);
export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

/** The new user and a temporary password shown once (the user enrols TOTP at first login). */
export const CreateUserResponseSchema = z.object({
  ok: z.literal(true),
  user: StaffUserSchema,
  temporaryPassword: z.string(),
});
export type CreateUserResponse = z.infer<typeof CreateUserResponseSchema>;

export const UpdateUserRequestSchema = z
  .object({
    displayName: DisplayNameSchema.optional(),
    role: StaffRoleSchema.optional(),
    /** Required with role 'unit_officer'; a unit officer may also move to another unit alone. */
    unitId: z.uuid().nullable().optional(),
    /** Moderators only; null = nationwide. Changing the role away from moderator clears it. */
    provinceCode: ProvinceCodeSchema.nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, { message: 'nothing to change' })
  .refine(unitMatchesRole, {
    message: 'a unit_officer needs unitId; admins and moderators have none',
    path: ['unitId'],
  })
  .refine(provinceMatchesRole, PROVINCE_ONLY_FOR_MODERATORS);
export type UpdateUserRequest = z.infer<typeof UpdateUserRequestSchema>;

export const UserIdParamsSchema = z.object({ id: z.uuid({ message: 'must be a user id (uuid)' }) });

export const ResetPasswordResponseSchema = z.object({ ok: z.literal(true), temporaryPassword: z.string() });
export type ResetPasswordResponse = z.infer<typeof ResetPasswordResponseSchema>;

export const OkResponseSchema = z.object({ ok: z.literal(true) });
