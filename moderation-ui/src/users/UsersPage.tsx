import type { StaffUser } from '@tinbao/shared/api/users';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { ActionFeedback } from '../layout/ActionFeedback';
import { AsyncCard } from '../layout/async';
import { PageTitle } from '../layout/ui';
import { CreateUserForm } from './CreateUserForm';
import { EditUserDialog } from './EditUserDialog';
import { UsersTable } from './UsersTable';
import { useUsers } from './use-users';

/** Staff accounts: create, change role or unit, disable, reset the password or the 2FA. */
export function UsersPage() {
  const { t } = useI18n();
  const users = useUsers();
  const [editing, setEditing] = useState<StaffUser | null>(null);
  return (
    <>
      <PageTitle>{t.admin.usersTitle}</PageTitle>
      <ActionFeedback action={users.action} context="user" />
      <CreateUserForm onCreate={users.create} />
      <AsyncCard state={users.list} title={t.admin.usersTitle} titleId="users-list">
        {(data) => (
          <UsersTable users={data.users} actions={users} onEdit={setEditing} labelledBy="users-list" />
        )}
      </AsyncCard>
      {editing ? (
        <EditUserDialog
          user={editing}
          onClose={() => setEditing(null)}
          onSave={async (patch) => {
            await users.update(editing.id, patch);
            setEditing(null);
          }}
        />
      ) : null}
    </>
  );
}
