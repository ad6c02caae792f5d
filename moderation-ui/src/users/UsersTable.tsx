import type { StaffUser } from '@tinbao/shared/api/users';
import { useUser } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { type Column, DataTable } from '../layout/DataTable';
import { Button } from '../layout/ui';
import type { UsersAdmin } from './use-users';

/** The staff accounts with their role, 2FA and state, and what an admin may do to each. */
export function UsersTable({
  users,
  actions,
  onEdit,
  labelledBy,
}: {
  users: readonly StaffUser[];
  actions: Pick<UsersAdmin, 'resetPassword' | 'resetTotp' | 'setDisabled'>;
  onEdit(user: StaffUser): void;
  labelledBy: string;
}) {
  const { t, formatDateTime } = useI18n();
  const me = useUser();
  const columns: Column<StaffUser>[] = [
    { header: t.admin.username, cell: (user) => <code>{user.username}</code> },
    { header: t.admin.displayName, cell: (user) => user.displayName },
    {
      header: t.admin.role,
      cell: (user) => (
        <>
          {t.roles[user.role]}
          {user.unitCode ? ` · ${user.unitCode}` : ''}
          {user.provinceCode ? ` · ${user.provinceCode}` : ''}
        </>
      ),
    },
    {
      header: t.admin.totp,
      cell: (user) => (user.totpEnrolled ? t.admin.totpEnrolled : t.admin.totpPending),
    },
    {
      header: t.admin.active,
      cell: (user) => (
        <>
          {user.disabled ? t.admin.disabled : t.admin.enabled}
          {user.lastLoginAt ? <div className="hint">{formatDateTime(user.lastLoginAt)}</div> : null}
        </>
      ),
    },
    {
      header: t.tip.actions,
      cell: (user) => (
        <div className="row">
          <Button className="btn-small" onClick={() => onEdit(user)} data-testid="edit-user">
            {t.admin.edit}
          </Button>
          <Button
            className="btn-small"
            onClick={() => {
              if (window.confirm(t.admin.resetPasswordConfirm(user.username)))
                void actions.resetPassword(user);
            }}
          >
            {t.admin.resetPassword}
          </Button>
          <Button
            className="btn-small"
            disabled={!user.totpEnrolled}
            onClick={() => {
              if (window.confirm(t.admin.reset2faConfirm(user.username))) void actions.resetTotp(user);
            }}
            data-testid="reset-2fa"
          >
            {t.admin.reset2fa}
          </Button>
          {/* An admin cannot lock themselves out. */}
          {user.id !== me.id ? (
            <Button
              className="btn-small"
              variant={user.disabled ? 'secondary' : 'danger'}
              onClick={() => void actions.setDisabled(user, !user.disabled)}
            >
              {user.disabled ? t.admin.enable : t.admin.disable}
            </Button>
          ) : null}
        </div>
      ),
    },
  ];
  return (
    <DataTable
      labelledBy={labelledBy}
      rows={users}
      columns={columns}
      rowKey={(user) => user.id}
      rowProps={(user) => ({ 'data-testid': 'user-row', 'data-username': user.username })}
      empty={t.none}
      testId="users-table"
    />
  );
}
