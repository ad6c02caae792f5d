import type { Argon2Pool } from '@tinbao/shared';
import {
  CreateUserRequestSchema,
  CreateUserResponseSchema,
  ListUsersResponseSchema,
  OkResponseSchema,
  ResetPasswordResponseSchema,
  UpdateUserRequestSchema,
  UserIdParamsSchema,
  UserResponseSchema,
} from '@tinbao/shared/api/users';
import type { AuthDeps } from '../auth/middleware';
import { createPasswordHasher, defaultPasswordHasher, type PasswordCost } from '../auth/passwords';
import { type AnyRouteSpec, defineRoute } from '../openapi/route-spec';
import { createUser, getUser, listUsers, resetPassword, resetTotp, updateUser } from './service';

export interface UsersRouterDeps extends AuthDeps {
  passwordCost?: PasswordCost;
  /** The api's bounded argon2id pool (temporary passwords are hashed there too). */
  argon2?: Argon2Pool;
}

/** /api/v1/users: staff accounts, admin only (authenticate → role → CSRF → validate → handler). */
export function usersRouteSpecs(deps: UsersRouterDeps): AnyRouteSpec[] {
  const db = deps.database.db;
  const passwords = deps.argon2 ? createPasswordHasher(deps.argon2) : defaultPasswordHasher();
  return [
    defineRoute({
      method: 'get',
      path: '/users',
      operationId: 'listUsers',
      summary: 'All staff accounts (never a password hash or TOTP secret)',
      tag: 'users',
      permission: 'users.manage',
      response: ListUsersResponseSchema,
      handler: async () => ({ ok: true, users: await listUsers(db) }),
    }),
    defineRoute<undefined, undefined, typeof CreateUserRequestSchema>({
      method: 'post',
      path: '/users',
      operationId: 'createUser',
      summary:
        'Creates a staff account with a temporary password shown once; the user enrols TOTP at first login. 409 username_taken, 400 unknown_unit',
      tag: 'users',
      permission: 'users.manage',
      body: CreateUserRequestSchema,
      successStatus: 201,
      response: CreateUserResponseSchema,
      handler: async ({ auth, body }) => {
        const created = await createUser(
          db,
          {
            username: body.username,
            displayName: body.displayName,
            role: body.role,
            unitId: body.unitId,
            provinceCode: body.provinceCode,
          },
          auth,
          deps.passwordCost,
          passwords,
        );
        return { ok: true, user: created.user, temporaryPassword: created.temporaryPassword };
      },
    }),
    defineRoute<typeof UserIdParamsSchema>({
      method: 'get',
      path: '/users/:id',
      operationId: 'getUser',
      summary: 'One staff account',
      tag: 'users',
      permission: 'users.manage',
      params: UserIdParamsSchema,
      response: UserResponseSchema,
      handler: async ({ params }) => ({ ok: true, user: await getUser(db, params.id) }),
    }),
    defineRoute<typeof UserIdParamsSchema, undefined, typeof UpdateUserRequestSchema>({
      method: 'patch',
      path: '/users/:id',
      operationId: 'updateUser',
      summary:
        'Role, unit, display name, disabled (disabling ends the sessions). 409 cannot_change_own_account for the own role or disabling oneself',
      tag: 'users',
      permission: 'users.manage',
      params: UserIdParamsSchema,
      body: UpdateUserRequestSchema,
      response: UserResponseSchema,
      handler: async ({ auth, params, body }) => ({
        ok: true,
        user: await updateUser(db, params.id, body, auth),
      }),
    }),
    defineRoute<typeof UserIdParamsSchema>({
      method: 'post',
      path: '/users/:id/reset-2fa',
      operationId: 'resetUserTotp',
      summary: 'Forgets the TOTP secret and ends the sessions: the user enrols again at next login',
      tag: 'users',
      permission: 'users.manage',
      params: UserIdParamsSchema,
      response: OkResponseSchema,
      handler: async ({ auth, params }) => {
        await resetTotp(db, params.id, auth);
        return { ok: true };
      },
    }),
    defineRoute<typeof UserIdParamsSchema>({
      method: 'post',
      path: '/users/:id/reset-password',
      operationId: 'resetUserPassword',
      summary: 'A new temporary password, shown once; unlocks the account and ends its sessions',
      tag: 'users',
      permission: 'users.manage',
      params: UserIdParamsSchema,
      response: ResetPasswordResponseSchema,
      handler: async ({ auth, params }) => ({
        ok: true,
        temporaryPassword: await resetPassword(db, params.id, auth, deps.passwordCost, passwords),
      }),
    }),
  ];
}
