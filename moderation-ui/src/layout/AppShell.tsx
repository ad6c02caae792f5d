import { type ReactNode, useRef, useState } from 'react';
import { api } from '../api/client';
import { useCan } from '../auth/permissions';
import { CHANGE_PASSWORD_PATH, leaveToLogin, useSession, useUser } from '../auth/session';
import { useIdleLogout } from '../auth/use-idle-logout';
import { useI18n } from '../i18n/i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { Link, useLocation } from './router';
import { Button, Dialog } from './ui';

/** Read from a <meta> the API fills in from SESSION_IDLE_MINUTES, so both ends agree. */
function idleTimeoutMs(): number {
  const minutes = Number(
    document.querySelector('meta[name="tinbao-session-idle-minutes"]')?.getAttribute('content'),
  );
  return (Number.isFinite(minutes) && minutes > 0 ? minutes : 30) * 60_000;
}

const KEEP_ALIVE_EVERY_MS = 5 * 60_000;

interface NavItem {
  to: string;
  label: string;
  testId: string;
}

export function AppShell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const user = useUser();
  const can = useCan();
  const { logout } = useSession();
  const { pathname } = useLocation();
  const lastServerContact = useRef(Date.now());
  const accountMenu = useRef<HTMLDetailsElement>(null);
  const [idleWarning, setIdleWarning] = useState(false);
  const { announceLogout } = useIdleLogout(idleTimeoutMs(), {
    onIdle: () => {
      announceLogout();
      void logout('idle');
    },
    // Reading a long tip makes no request: refresh the server's idle timer now and then.
    onActive: () => {
      if (Date.now() - lastServerContact.current < KEEP_ALIVE_EVERY_MS) return;
      lastServerContact.current = Date.now();
      api('/auth/me').catch(() => undefined);
    },
    onOtherTabLogout: () => leaveToLogin('user'),
    onWarning: setIdleWarning,
  });
  const logoutEverywhere = () => {
    announceLogout();
    void logout('user');
  };

  const items: NavItem[] = [];
  // While a password change is pending, the app is that page only: useCan answers no to everything.
  if (can('tips.triage')) items.push({ to: '/tips', label: t.nav.queue, testId: 'nav-queue' });
  if (can('tips.inbox')) items.push({ to: '/inbox', label: t.nav.inbox, testId: 'nav-inbox' });
  if (can('stats.read')) items.push({ to: '/stats', label: t.nav.stats, testId: 'nav-stats' });
  if (can('users.manage')) items.push({ to: '/admin/users', label: t.nav.users, testId: 'nav-users' });
  if (can('units.manage')) items.push({ to: '/admin/units', label: t.nav.units, testId: 'nav-units' });
  if (can('routing.manage')) items.push({ to: '/admin/rules', label: t.nav.rules, testId: 'nav-rules' });
  if (can('retention.read'))
    items.push({ to: '/admin/retention', label: t.nav.retention, testId: 'nav-retention' });

  const roleLabel = t.roles[user.role];
  const shownName = user.displayName || user.username;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="topbar">
        <Link to="/" className="brand-link">
          <span className="brand" aria-hidden="true">
            TB
          </span>
          <span className="brand-name">{t.appName}</span>
        </Link>
        <nav aria-label={t.nav.main} className="nav">
          <ul>
            {items.map((item) => {
              const current = pathname === item.to || pathname.startsWith(`${item.to}/`);
              return (
                <li key={item.to}>
                  <Link to={item.to} aria-current={current ? 'page' : undefined} data-testid={item.testId}>
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="topbar-user">
          {/* The account menu: who is signed in, and the password change. */}
          <details className="account-menu" ref={accountMenu}>
            <summary className="user-name" data-testid="current-user">
              <span className="visually-hidden">{t.nav.signedInAs} </span>
              {shownName}
              {shownName === roleLabel ? null : <span className="user-role"> · {roleLabel}</span>}
            </summary>
            <div className="account-menu-panel">
              <Link
                to={CHANGE_PASSWORD_PATH}
                className="btn btn-ghost"
                aria-current={pathname === CHANGE_PASSWORD_PATH ? 'page' : undefined}
                onClick={() => accountMenu.current?.removeAttribute('open')}
                data-testid="nav-change-password"
              >
                {t.nav.changePassword}
              </Link>
            </div>
          </details>
          <LanguageSwitch />
          <button type="button" className="btn btn-ghost" onClick={logoutEverywhere} data-testid="logout">
            {t.nav.logout}
          </button>
        </div>
      </header>
      <main id="main" className="content">
        {children}
      </main>
      <Dialog
        open={idleWarning}
        title={t.idle.warning}
        onClose={() => setIdleWarning(false)}
        testId="idle-warning"
      >
        <p>{t.idle.explain}</p>
        <div className="row">
          <Button variant="primary" onClick={() => setIdleWarning(false)} data-testid="idle-stay">
            {t.idle.stay}
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
