import type {
  LoginResponse,
  ProofOfWorkSolution,
  SessionResponse,
  SessionUser,
} from '@tinbao/shared/api/auth';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import {
  ApiError,
  api,
  setCsrfToken,
  setPasswordChangeRequiredHandler,
  setUnauthorizedHandler,
} from '../api/client';
import { navigate } from '../layout/router';

/** `mustChangePassword` comes from a newer API; absent means false. */
export type AppUser = SessionUser & { mustChangePassword: boolean };

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'authenticated'; user: AppUser };

export const CHANGE_PASSWORD_PATH = '/account/password';

function toAppUser(user: SessionUser): AppUser {
  return {
    ...user,
    mustChangePassword: (user as { mustChangePassword?: unknown }).mustChangePassword === true,
  };
}

export type LogoutReason = 'user' | 'idle' | 'expired';

interface SessionValue {
  state: SessionState;
  /** `pow`: the solved puzzle of the previous `proof_of_work_required` answer. */
  login(username: string, password: string, pow?: ProofOfWorkSolution): Promise<LoginResponse>;
  completeLogin(step: 'totp' | 'enroll', challenge: string, code: string): Promise<void>;
  logout(reason?: LogoutReason): Promise<void>;
  /** After a successful password change: re-read the session (the flag is cleared server-side). */
  passwordChanged(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

/**
 * Ends the page: a full navigation to /login drops every byte of decrypted content held in
 * memory, and replace() keeps the page we leave out of the history entry we are on.
 */
export function leaveToLogin(reason: LogoutReason): void {
  setCsrfToken(null);
  window.location.replace(`/login?reason=${reason}`);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    // A 401 on any call means the server ended the session (idle or absolute expiry).
    setUnauthorizedHandler(() => {
      setState((current) => {
        if (current.status === 'authenticated') leaveToLogin('expired');
        return { status: 'anonymous' };
      });
    });
    const controller = new AbortController();
    api<SessionResponse>('/auth/me', { signal: controller.signal }).then(
      (session) => {
        setCsrfToken(session.csrfToken);
        setState({ status: 'authenticated', user: toAppUser(session.user) });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (!(error instanceof ApiError) || error.status !== 401) console.warn('session check failed');
        setState({ status: 'anonymous' });
      },
    );
    // Any route may answer 403 password_change_required: show only the password page then.
    setPasswordChangeRequiredHandler(() => {
      setState((current) =>
        current.status === 'authenticated' && !current.user.mustChangePassword
          ? { status: 'authenticated', user: { ...current.user, mustChangePassword: true } }
          : current,
      );
      if (window.location.pathname !== CHANGE_PASSWORD_PATH) navigate(CHANGE_PASSWORD_PATH);
    });
    return () => {
      controller.abort();
      setUnauthorizedHandler(null);
      setPasswordChangeRequiredHandler(null);
    };
  }, []);

  // Pages restored from the back/forward cache would show old content: reload them.
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) window.location.reload();
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, []);

  const login = useCallback(
    (username: string, password: string, pow?: ProofOfWorkSolution) =>
      api<LoginResponse>('/auth/login', {
        method: 'POST',
        body: { username, password, ...(pow ? { pow } : {}) },
      }),
    [],
  );

  const completeLogin = useCallback(async (step: 'totp' | 'enroll', challenge: string, code: string) => {
    const session = await api<SessionResponse>(`/auth/login/${step}`, {
      method: 'POST',
      body: { challenge, code },
    });
    setCsrfToken(session.csrfToken);
    setState({ status: 'authenticated', user: toAppUser(session.user) });
  }, []);

  const passwordChanged = useCallback(async () => {
    try {
      const session = await api<SessionResponse>('/auth/me');
      setCsrfToken(session.csrfToken);
      setState({ status: 'authenticated', user: toAppUser(session.user) });
    } catch {
      // The change went through: let the user on; a still-pending flag would show up as a 403.
      setState((current) =>
        current.status === 'authenticated'
          ? { status: 'authenticated', user: { ...current.user, mustChangePassword: false } }
          : current,
      );
    }
  }, []);

  const logout = useCallback(async (reason: LogoutReason = 'user') => {
    try {
      await api('/auth/logout', { method: 'POST', body: {} });
    } catch {
      // The session may already be gone on the server; the page is wiped either way.
    }
    leaveToLogin(reason);
  }, []);

  const value = useMemo(
    () => ({ state, login, completeLogin, logout, passwordChanged }),
    [state, login, completeLogin, logout, passwordChanged],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only used below the authenticated shell. */
export function useUser(): AppUser {
  const { state } = useSession();
  if (state.status !== 'authenticated') throw new Error('useUser without a session');
  return state.user;
}
