import {
  type CreateUserRequestSchema,
  CreateUserResponseSchema,
  ListUsersResponseSchema,
  OkResponseSchema,
  ResetPasswordResponseSchema,
  type UpdateUserRequestSchema,
  UserResponseSchema,
} from '@tinbao/shared/api/users';
import type { z } from 'zod';
import { apiParse } from '../api/client';

export type CreateUserInput = z.input<typeof CreateUserRequestSchema>;
export type UpdateUserInput = z.input<typeof UpdateUserRequestSchema>;

const userPath = (id: string, rest = '') => `/users/${encodeURIComponent(id)}${rest}`;

/** Staff accounts (admin only); every answer parsed with its shared schema. */
export const usersApi = {
  list: (signal?: AbortSignal) => apiParse(ListUsersResponseSchema, '/users', signal ? { signal } : {}),
  create: (request: CreateUserInput) =>
    apiParse(CreateUserResponseSchema, '/users', { method: 'POST', body: request }),
  update: (id: string, patch: UpdateUserInput) =>
    apiParse(UserResponseSchema, userPath(id), { method: 'PATCH', body: patch }),
  resetPassword: (id: string) =>
    apiParse(ResetPasswordResponseSchema, userPath(id, '/reset-password'), { method: 'POST', body: {} }),
  resetTotp: (id: string) =>
    apiParse(OkResponseSchema, userPath(id, '/reset-2fa'), { method: 'POST', body: {} }),
};
