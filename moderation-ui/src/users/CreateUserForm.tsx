import { type FormEvent, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { FormField } from '../layout/FormField';
import { Button, ValidationSummary } from '../layout/ui';
import { RoleField, RoleScopeFields, useRoleScope } from './UserFields';
import { hasErrors, type UserFormErrors, validateUserForm } from './user-form';
import type { CreateUserInput } from './users-api';

/** A new staff account; the temporary password appears in the page's notice. */
export function CreateUserForm({ onCreate }: { onCreate(request: CreateUserInput): Promise<boolean> }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const scope = useRoleScope({ role: 'moderator' });
  const [errors, setErrors] = useState<UserFormErrors>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateUserForm(t, {
      username,
      displayName,
      role: scope.role,
      unitId: scope.unitId,
      displayNameRequired: false,
    });
    setErrors(found);
    if (hasErrors(found)) return;
    const created = await onCreate({
      username: username.trim().toLowerCase(),
      ...(displayName.trim() ? { displayName } : {}),
      ...scope.request(),
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
        <RoleField value={scope.role} onChange={scope.setRole} />
      </div>
      <RoleScopeFields scope={scope} unitError={errors.unitId} provinceTestId="new-user-province" />
      <Button type="submit" variant="primary" data-testid="create-user-submit">
        {t.admin.newUser}
      </Button>
    </form>
  );
}
