import type { StaffRole } from '@tinbao/shared/api/auth';
import { STAFF_ROLES, USERNAME_PATTERN } from '@tinbao/shared/api/auth';
import type { StaffUser } from '@tinbao/shared/api/users';
import { type FormEvent, useState } from 'react';
import { ProvinceField } from '../admin-units/ProvinceCommuneFields';
import { useProvinces } from '../admin-units/use-communes';
import { useUser } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import type { Messages } from '../i18n/vi';
import { AsyncState } from '../layout/async';
import { FormField } from '../layout/FormField';
import { EnumSelect } from '../layout/select';
import { Button, Dialog, ErrorNotice, Notice, PageTitle, ValidationSummary } from '../layout/ui';
import { useApi } from '../layout/use-api';
import { UnitPicker } from '../units/UnitPicker';
import { usersApi } from './users-api';

type UserFormErrors = Partial<Record<'username' | 'displayName' | 'unitId', string>>;

/** The API's rules for a user, checked before sending so the messages are in the UI's language. */
function validateUserForm(
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

/** Staff accounts: create, change role or unit, disable, reset the password or the 2FA. */
export function UsersPage() {
  const { t, formatDateTime } = useI18n();
  const me = useUser();
  const users = useApi((signal) => usersApi.list(signal), []);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [editing, setEditing] = useState<StaffUser | null>(null);

  const act = async (work: () => Promise<string | undefined>): Promise<boolean> => {
    setError(undefined);
    setNotice(null);
    try {
      const message = await work();
      setNotice(message ?? t.admin.updated);
      users.reload();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    }
  };

  return (
    <>
      <PageTitle>{t.admin.usersTitle}</PageTitle>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <ErrorNotice error={error} context="user" />
      <CreateUserForm
        onCreate={(request) =>
          act(async () => {
            const created = await usersApi.create(request);
            return `${t.admin.created} ${t.admin.password}: ${created.temporaryPassword}`;
          })
        }
      />
      <section className="card" aria-labelledby="users-list" style={{ marginTop: '1rem' }}>
        <h2 id="users-list">{t.admin.usersTitle}</h2>
        <AsyncState state={users} />
        {users.data ? (
          <table className="table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">{t.admin.username}</th>
                <th scope="col">{t.admin.displayName}</th>
                <th scope="col">{t.admin.role}</th>
                <th scope="col">{t.admin.totp}</th>
                <th scope="col">{t.admin.active}</th>
                <th scope="col">{t.tip.actions}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.users.map((user) => (
                <tr key={user.id} data-testid="user-row" data-username={user.username}>
                  <td data-label={t.admin.username}>
                    <code>{user.username}</code>
                  </td>
                  <td data-label={t.admin.displayName}>{user.displayName}</td>
                  <td data-label={t.admin.role}>
                    {t.roles[user.role]}
                    {user.unitCode ? ` · ${user.unitCode}` : ''}
                    {user.provinceCode ? ` · ${user.provinceCode}` : ''}
                  </td>
                  <td data-label={t.admin.totp}>
                    {user.totpEnrolled ? t.admin.totpEnrolled : t.admin.totpPending}
                  </td>
                  <td data-label={t.admin.active}>
                    {user.disabled ? t.admin.disabled : t.admin.enabled}
                    {user.lastLoginAt ? <div className="hint">{formatDateTime(user.lastLoginAt)}</div> : null}
                  </td>
                  <td data-label={t.tip.actions}>
                    <div className="row">
                      <Button className="btn-small" onClick={() => setEditing(user)} data-testid="edit-user">
                        {t.admin.edit}
                      </Button>
                      <Button
                        className="btn-small"
                        onClick={() => {
                          if (window.confirm(t.admin.resetPasswordConfirm(user.username)))
                            void act(async () => {
                              const body = await usersApi.resetPassword(user.id);
                              return `${t.admin.password}: ${body.temporaryPassword}`;
                            });
                        }}
                      >
                        {t.admin.resetPassword}
                      </Button>
                      <Button
                        className="btn-small"
                        disabled={!user.totpEnrolled}
                        onClick={() => {
                          if (window.confirm(t.admin.reset2faConfirm(user.username)))
                            void act(async () => {
                              await usersApi.resetTotp(user.id);
                              return undefined;
                            });
                        }}
                        data-testid="reset-2fa"
                      >
                        {t.admin.reset2fa}
                      </Button>
                      {user.id !== me.id ? (
                        <Button
                          className="btn-small"
                          variant={user.disabled ? 'secondary' : 'danger'}
                          onClick={() =>
                            void act(async () => {
                              await usersApi.update(user.id, { disabled: !user.disabled });
                              return undefined;
                            })
                          }
                        >
                          {user.disabled ? t.admin.enable : t.admin.disable}
                        </Button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {editing ? (
        <EditUserDialog
          user={editing}
          onClose={() => setEditing(null)}
          onSave={async (patch) => {
            await usersApi.update(editing.id, patch);
            setEditing(null);
            setNotice(t.admin.updated);
            users.reload();
          }}
        />
      ) : null}
    </>
  );
}

function EditUserDialog({
  user,
  onClose,
  onSave,
}: {
  user: StaffUser;
  onClose(): void;
  onSave(patch: {
    displayName: string;
    role: StaffRole;
    unitId: string | null;
    provinceCode: string | null;
  }): Promise<void>;
}) {
  const { t } = useI18n();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<StaffRole>(user.role);
  const [unitId, setUnitId] = useState(user.unitId ?? '');
  const [provinceCode, setProvinceCode] = useState(user.provinceCode ?? '');
  const [error, setError] = useState<unknown>(undefined);
  const [errors, setErrors] = useState<UserFormErrors>({});
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const found = validateUserForm(t, { displayName, role, unitId, displayNameRequired: true });
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    try {
      await onSave({
        displayName,
        role,
        unitId: role === 'unit_officer' ? unitId || null : null,
        // Only a moderator may be limited to a province; the others are sent as nationwide.
        provinceCode: role === 'moderator' ? provinceCode || null : null,
      });
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <Dialog open title={`${t.admin.edit}: ${user.username}`} onClose={onClose} testId="edit-user-dialog">
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} context="user" />
        <ValidationSummary errors={errors} />
        <FormField
          label={t.admin.displayName}
          error={errors.displayName}
          value={displayName}
          onChange={setDisplayName}
        />
        <RoleField value={role} onChange={setRole} />
        {role === 'unit_officer' ? (
          <UnitPicker label={t.admin.unit} value={unitId} onChange={setUnitId} error={errors.unitId} />
        ) : null}
        {role === 'moderator' ? (
          <UserProvinceField value={provinceCode} onChange={setProvinceCode} testId="edit-user-province" />
        ) : null}
        <div className="row">
          <Button variant="ghost" onClick={onClose}>
            {t.cancel}
          </Button>
          <Button type="submit" variant="primary">
            {t.save}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function CreateUserForm({
  onCreate,
}: {
  onCreate(request: {
    username: string;
    displayName?: string;
    role: StaffRole;
    unitId: string | null;
    provinceCode: string | null;
  }): Promise<boolean>;
}) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<StaffRole>('moderator');
  const [unitId, setUnitId] = useState('');
  const [provinceCode, setProvinceCode] = useState('');
  const [errors, setErrors] = useState<UserFormErrors>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateUserForm(t, { username, displayName, role, unitId, displayNameRequired: false });
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    const created = await onCreate({
      username: username.trim().toLowerCase(),
      ...(displayName.trim() ? { displayName } : {}),
      role,
      unitId: role === 'unit_officer' ? unitId || null : null,
      provinceCode: role === 'moderator' ? provinceCode || null : null,
    });
    // Keep what was typed when the API refused it (e.g. the username is taken).
    if (!created) return;
    setUsername('');
    setDisplayName('');
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-user" data-testid="create-user" noValidate>
      <h2 id="new-user">{t.admin.newUser}</h2>
      <ValidationSummary errors={errors} />
      <div className="form-grid">
        <FormField
          label={t.admin.username}
          error={errors.username}
          value={username}
          onChange={setUsername}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          data-testid="new-username"
        />
        <FormField
          label={t.admin.displayName}
          error={errors.displayName}
          value={displayName}
          onChange={setDisplayName}
        />
        <RoleField value={role} onChange={setRole} />
      </div>
      {role === 'unit_officer' ? (
        <UnitPicker label={t.admin.unit} value={unitId} onChange={setUnitId} error={errors.unitId} />
      ) : null}
      {role === 'moderator' ? (
        <UserProvinceField value={provinceCode} onChange={setProvinceCode} testId="new-user-province" />
      ) : null}
      <Button type="submit" variant="primary" data-testid="create-user-submit">
        {t.admin.newUser}
      </Button>
    </form>
  );
}

/** The role select, the same in the create form and the edit dialog. */
function RoleField({ value, onChange }: { value: StaffRole; onChange(role: StaffRole): void }) {
  const { t } = useI18n();
  return (
    <EnumSelect
      label={t.admin.role}
      values={STAFF_ROLES}
      labels={t.roles}
      value={value}
      onChange={(role) => role && onChange(role)}
    />
  );
}

/** A moderator's province: empty ("Toàn quốc") = every province. */
function UserProvinceField({
  value,
  onChange,
  testId,
}: {
  value: string;
  onChange(code: string): void;
  testId: string;
}) {
  const { t } = useI18n();
  const provinces = useProvinces();
  return (
    <ProvinceField
      provinces={provinces}
      value={value}
      onChange={onChange}
      emptyLabel={t.admin.nationwide}
      testId={testId}
    />
  );
}
