import type { LoginResponse, ProofOfWorkSolution } from '@tinbao/shared/api/auth';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { Messages } from '../i18n/vi';
import { LanguageSwitch } from '../layout/LanguageSwitch';
import { Button, errorMessage, Field, Notice } from '../layout/ui';
import { puzzleOf, solveProofOfWork } from './proof-of-work';
import { useSession } from './session';

type Step = { kind: 'password' } | { kind: 'totp'; challenge: string } | ({ kind: 'enroll' } & LoginResponse);

/** The browser could not finish the proof of work (the worker failed, or puzzles kept expiring). */
class ProofNotFinished extends Error {}

function loginError(t: Messages, error: unknown, step: Step['kind']): string {
  if (error instanceof ProofNotFinished) return t.login.proofFailed;
  if (error instanceof ApiError) {
    if (error.code === 'invalid_challenge') return t.login.expiredChallenge;
    if (error.code === 'server_busy') return t.login.busy;
    if (error.code === 'proof_of_work_required') return t.login.proofFailed;
    if (error.status === 429 || error.code === 'rate_limited') return t.login.locked;
    if (error.status === 401 || error.code === 'invalid_credentials')
      return step === 'password' ? t.login.invalidCredentials : t.login.invalidCode;
  }
  return errorMessage(t, error);
}

export function LoginPage() {
  const { t } = useI18n();
  const { login, completeLogin } = useSession();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [proving, setProving] = useState(false);
  const firstField = useRef<HTMLInputElement>(null);
  // Stops a proof of work still running when the page goes.
  const proofAbort = useRef<AbortController | null>(null);
  useEffect(() => () => proofAbort.current?.abort(), []);
  const reason = new URLSearchParams(window.location.search).get('reason');

  // biome-ignore lint/correctness/useExhaustiveDependencies: move focus to the first field of each step
  useEffect(() => {
    firstField.current?.focus();
  }, [step.kind]);

  const submitPassword = async (event: FormEvent) => {
    event.preventDefault();
    // Checked here so an empty field gets a clear message, not the server's validation text.
    if (!username.trim() || !password) {
      setError(t.validation.required(!username.trim() ? t.login.username : t.login.password));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const next = await loginPayingWork(username, password);
      setPassword('');
      setCode('');
      setStep(
        next.next === 'totp' ? { kind: 'totp', challenge: next.challenge } : { kind: 'enroll', ...next },
      );
    } catch (failure) {
      setError(loginError(t, failure, 'password'));
    } finally {
      setBusy(false);
      setProving(false);
    }
  };

  /**
   * The password step; when the API asks this browser for a proof of work (the account had
   * many failed logins, or the server is busy), solves it in a worker and sends the login
   * again. A puzzle can expire or be spent between two answers: a second one is solved too.
   */
  const loginPayingWork = async (name: string, secret: string): Promise<LoginResponse> => {
    let pow: ProofOfWorkSolution | undefined;
    for (let round = 0; ; round++) {
      try {
        return await login(name, secret, pow);
      } catch (failure) {
        const puzzle = puzzleOf(failure);
        if (!puzzle || round >= 2) throw failure;
        setProving(true);
        proofAbort.current = new AbortController();
        pow = await solveProofOfWork(puzzle, proofAbort.current.signal).catch((error: unknown) => {
          throw error instanceof DOMException && error.name === 'AbortError' ? error : new ProofNotFinished();
        });
        setProving(false);
      }
    }
  };

  const submitCode = async (event: FormEvent) => {
    event.preventDefault();
    if (step.kind === 'password') return;
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) {
      setError(t.login.codeFormat);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await completeLogin(step.kind, step.challenge, code.replace(/\s/g, ''));
      // The app leaves /login once the session is set.
      window.history.replaceState(null, '', '/');
      window.dispatchEvent(new PopStateEvent('popstate'));
    } catch (failure) {
      setError(loginError(t, failure, step.kind));
      if (failure instanceof ApiError && failure.code === 'invalid_challenge') setStep({ kind: 'password' });
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  const startOver = () => {
    setStep({ kind: 'password' });
    setError(null);
    setCode('');
  };

  return (
    <div className="login-page">
      <header className="login-header">
        <span className="brand" aria-hidden="true">
          TB
        </span>
        <LanguageSwitch />
      </header>
      <main id="main" className="login-card">
        <h1>{t.appName}</h1>
        <p className="muted">{t.appTagline}</p>
        {reason === 'user' && step.kind === 'password' ? <Notice>{t.login.loggedOut}</Notice> : null}
        {(reason === 'idle' || reason === 'expired') && step.kind === 'password' ? (
          <Notice>{t.login.idleLoggedOut}</Notice>
        ) : null}
        {proving ? (
          <div data-testid="login-proving">
            <Notice>{t.login.provingWork}</Notice>
          </div>
        ) : null}
        {error ? (
          <div className="notice notice-error" role="alert" data-testid="login-error">
            {error}
          </div>
        ) : null}

        {step.kind === 'password' ? (
          <form onSubmit={submitPassword} data-testid="login-form" noValidate>
            <h2>{t.login.title}</h2>
            <p className="muted">{t.login.intro}</p>
            <Field label={t.login.username}>
              {(id) => (
                <input
                  id={id}
                  ref={firstField}
                  name="username"
                  autoComplete="username"
                  autoCapitalize="none"
                  spellCheck={false}
                  required
                  value={username}
                  onChange={(event) => setUsername(event.target.value)}
                  data-testid="login-username"
                />
              )}
            </Field>
            <Field label={t.login.password}>
              {(id) => (
                <input
                  id={id}
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(event) => setPassword(event.target.value)}
                  data-testid="login-password"
                />
              )}
            </Field>
            <Button type="submit" variant="primary" busy={busy} data-testid="login-submit">
              {t.login.submit}
            </Button>
          </form>
        ) : (
          <form
            onSubmit={submitCode}
            data-testid={step.kind === 'enroll' ? 'enroll-form' : 'totp-form'}
            noValidate
          >
            <h2>{step.kind === 'enroll' ? t.login.enrollTitle : t.login.totpTitle}</h2>
            <p className="muted">{step.kind === 'enroll' ? t.login.enrollIntro : t.login.totpIntro}</p>
            {step.kind === 'enroll' && step.next === 'enroll' ? (
              <div className="enroll">
                <img
                  className="qr"
                  src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(step.qrSvg)}`}
                  alt={t.login.qrAlt}
                  width={200}
                  height={200}
                  data-testid="enroll-qr"
                />
                <p className="muted">{t.login.manualKey}</p>
                <code className="secret" data-testid="enroll-secret">
                  {step.secret.replace(/(.{4})/g, '$1 ').trim()}
                </code>
              </div>
            ) : null}
            <Field label={t.login.code}>
              {(id) => (
                <input
                  id={id}
                  ref={firstField}
                  name="code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="[0-9]{6}"
                  maxLength={7}
                  required
                  value={code}
                  onChange={(event) => setCode(event.target.value)}
                  data-testid="login-code"
                />
              )}
            </Field>
            <div className="row">
              <Button type="submit" variant="primary" busy={busy} data-testid="login-verify">
                {t.login.verify}
              </Button>
              <Button variant="ghost" onClick={startOver}>
                {t.login.startOver}
              </Button>
            </div>
          </form>
        )}
      </main>
    </div>
  );
}
