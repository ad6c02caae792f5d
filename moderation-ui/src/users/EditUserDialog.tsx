import type { StaffUser } from '@tinbao/shared/api/users';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { FormField } from '../layout/FormField';
import { Button, Dialog, ErrorNotice, ValidationSummary } from '../layout/ui';
import { RoleField, RoleScopeFields, useRoleScope } from './UserFields';
import { hasErrors, type UserFormErrors, validateUserForm } from './user-form';
import type { UpdateUserInput } from './users-api';

/** Display name, role and what the role is limited to; the API's refusal is shown in the dialog. */
export function EditUserDialog({
  user,
  onClose,
  onSave,
}: {
  user: StaffUser;
  onClose(): void;
  onSave(patch: UpdateUserInput): Promise<void>;
}) {
  const { t } = useI18n();
  const [displayName, setDisplayName] = useState(user.displayName);
  const scope = useRoleScope(user);
  const [error, setError] = useState<unknown>(undefined);
  const [errors, setErrors] = useState<UserFormErrors>({});
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const found = validateUserForm(t, {
      displayName,
      role: scope.role,
      unitId: scope.unitId,
      displayNameRequired: true,
    });
    setErrors(found);
    if (hasErrors(found)) return;
    try {
      await onSave({ displayName, ...scope.request() });
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
        <RoleField value={scope.role} onChange={scope.setRole} />
        <RoleScopeFields scope={scope} unitError={errors.unitId} provinceTestId="edit-user-province" />
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
