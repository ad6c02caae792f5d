import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { ChangePasswordPage } from './auth/ChangePasswordPage';
import { LoginPage } from './auth/LoginPage';
import { useCan } from './auth/permissions';
import { CHANGE_PASSWORD_PATH, SessionProvider, useSession } from './auth/session';
import { I18nProvider, useI18n } from './i18n/i18n';
import { AppShell } from './layout/AppShell';
import { matchPath, navigate, useLocation } from './layout/router';
import { Loading, PageTitle } from './layout/ui';
import { QueuePage } from './tips/QueuePage';
import { TipDetailPage } from './tips/TipDetailPage';

// Admin and statistics pages load on demand: the first load carries the daily work only.
const InboxPage = lazy(() => import('./inbox/InboxPage').then((m) => ({ default: m.InboxPage })));
const StatsPage = lazy(() => import('./stats/StatsPage').then((m) => ({ default: m.StatsPage })));
const UsersPage = lazy(() => import('./users/UsersPage').then((m) => ({ default: m.UsersPage })));
const UnitsPage = lazy(() => import('./units/UnitsPage').then((m) => ({ default: m.UnitsPage })));
const RoutingRulesPage = lazy(() =>
  import('./routing/RoutingRulesPage').then((m) => ({ default: m.RoutingRulesPage })),
);
const RetentionPage = lazy(() =>
  import('./retention/RetentionPage').then((m) => ({ default: m.RetentionPage })),
);

function NotFound() {
  const { t } = useI18n();
  return <PageTitle>{t.errors.pageNotFound}</PageTitle>;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function AuthenticatedRoutes({ mustChangePassword }: { mustChangePassword: boolean }) {
  const { pathname } = useLocation();
  // The pages follow the shared permission model, as the API does.
  const can = useCan();
  const tipParams = matchPath('/tips/:id', pathname);
  const caseParams = matchPath('/inbox/:id', pathname);
  let page: ReactNode;
  // Until the password is changed, that page (and logout) is all there is.
  if (mustChangePassword)
    page =
      pathname === CHANGE_PASSWORD_PATH ? <ChangePasswordPage /> : <Redirect to={CHANGE_PASSWORD_PATH} />;
  else if (pathname === CHANGE_PASSWORD_PATH) page = <ChangePasswordPage />;
  else if (pathname === '/' || pathname === '/login')
    page = <Redirect to={can('tips.triage') ? '/tips' : '/inbox'} />;
  else if (pathname === '/tips' && can('tips.triage')) page = <QueuePage />;
  else if (tipParams && can('tips.triage'))
    page = <TipDetailPage key={tipParams.id} id={tipParams.id!} context="queue" />;
  else if (pathname === '/inbox' && can('tips.inbox')) page = <InboxPage />;
  else if (caseParams && can('tips.inbox'))
    page = <TipDetailPage key={caseParams.id} id={caseParams.id!} context="inbox" />;
  else if (pathname === '/stats' && can('stats.read')) page = <StatsPage />;
  else if (pathname === '/admin/users' && can('users.manage')) page = <UsersPage />;
  else if (pathname === '/admin/units' && can('units.manage')) page = <UnitsPage />;
  else if (pathname === '/admin/rules' && can('routing.manage')) page = <RoutingRulesPage />;
  else if (pathname === '/admin/retention' && can('retention.read')) page = <RetentionPage />;
  else page = <NotFound />;
  return (
    <AppShell>
      <Suspense fallback={<Loading />}>{page}</Suspense>
    </AppShell>
  );
}

function Routes() {
  const { state } = useSession();
  const { pathname } = useLocation();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'anonymous') {
    if (pathname !== '/login') return <Redirect to="/login" />;
    return <LoginPage />;
  }
  return <AuthenticatedRoutes mustChangePassword={state.user.mustChangePassword} />;
}

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Routes />
      </SessionProvider>
    </I18nProvider>
  );
}
