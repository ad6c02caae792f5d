import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@tinbao/shared/api/auth';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { Messages } from '../i18n/vi';
import { FormField } from '../layout/FormField';
import { navigate } from '../layout/router';
import { Button, ErrorNotice, Notice, PageTitle, ValidationSummary } from '../layout/ui';
import { useSession, useUser } from './session';

type Errors = Partial<Record<'current' | 'next' | 'repeat', string>>;

/** The same rule as the API (`passwordProblem` in shared), in the user's language. */
export function newPasswordProblem(t: Messages, password: string, username: string): string | undefined {
  const length = [...password.normalize('NFC')].length;
  if (length < PASSWORD_MIN_LENGTH) return t.password.tooShort;
  if (length > PASSWORD_MAX_LENGTH) return t.password.tooLong;
  if (username && password.normalize('NFC').toLowerCase().includes(username.toLowerCase()))
    return t.password.containsUsername;
  return undefined;
}

/** "Đổi mật khẩu": forced after an admin reset or a first login, and reachable from the header. */
export function ChangePasswordPage() {
  const { t } = useI18n();
  const user = useUser();
  const { passwordChanged } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const forced = user.mustChangePassword;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setDone(false);
    const found: Errors = {};
    if (!current) found.current = t.validation.required(t.password.current);
    found.next = next ? newPasswordProblem(t, next, user.username) : t.validation.required(t.password.next);
    if (!found.next && next === current) found.next = t.password.sameAsCurrent;
    if (!found.next && next !== repeat) found.repeat = t.password.mismatch;
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    setBusy(true);
    try {
      await api('/auth/password', { method: 'POST', body: { currentPassword: current, newPassword: next } });
      setCurrent('');
      setNext('');
      setRepeat('');
      await passwordChanged();
      if (forced) navigate('/', { replace: true });
      else setDone(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>{t.password.title}</PageTitle>
      {forced ? <Notice>{t.password.mustChange}</Notice> : null}
      {done ? <Notice tone="success">{t.password.done}</Notice> : null}
      <form className="card narrow-form" onSubmit={submit} noValidate data-testid="change-password-form">
        <ErrorNotice error={error} context="password" />
        <ValidationSummary errors={errors} />
        {/* The username helps password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={user.username} readOnly hidden />
        <FormField
          label={t.password.current}
          error={errors.current}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
          data-testid="current-password"
        />
        <FormField
          label={t.password.next}
          hint={t.password.rule}
          error={errors.next}
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={setNext}
          data-testid="new-password"
        />
        <FormField
          label={t.password.repeat}
          error={errors.repeat}
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={setRepeat}
          data-testid="repeat-password"
        />
        <Button type="submit" variant="primary" busy={busy} data-testid="change-password-submit">
          {t.password.submit}
        </Button>
      </form>
    </>
  );
}
