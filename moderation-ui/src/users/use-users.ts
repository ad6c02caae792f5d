import type { StaffUser } from '@tinbao/shared/api/users';
import { useI18n } from '../i18n/i18n';
import { useAction } from '../layout/use-action';
import { useApi } from '../layout/use-api';
import { type CreateUserInput, type UpdateUserInput, usersApi } from './users-api';

/**
 * The staff accounts and what an admin does to them. Each change reloads the list and leaves
 * its notice (a temporary password is shown once, here) or its error on the page.
 */
export function useUsers() {
  const { t } = useI18n();
  const list = useApi((signal) => usersApi.list(signal), []);
  const action = useAction(t.admin.updated, list.reload);
  const showPassword = (body: { temporaryPassword: string }) =>
    `${t.admin.password}: ${body.temporaryPassword}`;
  return {
    list,
    action,
    create: (request: CreateUserInput) =>
      action.run(
        () => usersApi.create(request),
        (body) => `${t.admin.created} ${showPassword(body)}`,
      ),
    resetPassword: (user: StaffUser) => action.run(() => usersApi.resetPassword(user.id), showPassword),
    resetTotp: (user: StaffUser) => action.run(() => usersApi.resetTotp(user.id)),
    setDisabled: (user: StaffUser, disabled: boolean) =>
      action.run(() => usersApi.update(user.id, { disabled })),
    /** For the edit dialog, which shows its own error: throws when the API refuses. */
    update: async (id: string, patch: UpdateUserInput) => {
      await usersApi.update(id, patch);
      action.succeeded();
    },
  };
}

export type UsersAdmin = ReturnType<typeof useUsers>;
