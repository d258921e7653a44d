import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, onAccountStateRequired, onUnauthorized, setCsrfToken } from './api.ts';
import type { ReactNode } from 'react';
import type { Me } from './api.ts';
import { useT } from './i18n.tsx';
import { SessionContext } from './session.tsx';
import type { SessionValue } from './session.tsx';
import { navigate, useLocation, Link } from './router.tsx';
import { Layout } from './components/Layout.tsx';
import { ErrorAlert, Loading, PageHeader, Button } from './components/ui.tsx';
import { Login } from './pages/Login.tsx';
import { ChangePassword } from './pages/ChangePassword.tsx';
import { Home } from './pages/Home.tsx';
import { Units } from './pages/Units.tsx';
import { Users } from './pages/Users.tsx';
import { Tokens } from './pages/Tokens.tsx';
import { Audit } from './pages/Audit.tsx';
import { ForcedTwoFactor, Security } from './pages/Security.tsx';
import { Posts } from './pages/Posts.tsx';
import { PostView } from './pages/PostView.tsx';
import { Inbox } from './pages/Inbox.tsx';
import { Calendar } from './pages/Calendar.tsx';
import { ContentSettings } from './pages/ContentSettings.tsx';
import { Feedback } from './pages/Feedback.tsx';
import { Kinerja } from './pages/kinerja/Kinerja.tsx';
import { Regulations } from './pages/regulasi/Regulations.tsx';
import { RegulationEditor } from './pages/regulasi/RegulationEditor.tsx';

// The composer carries TipTap (the heaviest dependency): loaded only when someone opens it.
const Composer = lazy(() => import('./pages/Composer.tsx').then((m) => ({ default: m.Composer })));

function LazyPage({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

function NotFound() {
  const { t } = useT();
  return (
    <>
      <PageHeader title={t('nf.title')} description={t('nf.desc')} />
      <Link to="/" className="btn btn--primary">{t('nf.home')}</Link>
    </>
  );
}

function Routes() {
  const { path } = useLocation();
  if (path === '/') return <Home />;
  if (path === '/units') return <Units />;
  if (path === '/posts') return <Posts />;
  if (path === '/compose') return <LazyPage><Composer key="composer" /></LazyPage>;
  const edit = /^\/posts\/([0-9a-f-]{36})\/edit$/.exec(path);
  if (edit) return <LazyPage><Composer key="composer" postId={edit[1]} /></LazyPage>;
  const one = /^\/posts\/([0-9a-f-]{36})$/.exec(path);
  if (one) return <PostView key={one[1]} id={one[1]!} />;
  if (path === '/approvals') return <Inbox />;
  if (path === '/calendar') return <Calendar />;
  if (path === '/feedback') return <Feedback />;
  if (path === '/kinerja') return <Kinerja />;
  if (path === '/regulations') return <Regulations />;
  if (path === '/regulations/new') return <RegulationEditor key="new" />;
  const regulation = /^\/regulations\/([0-9a-f-]{36})$/.exec(path);
  if (regulation) return <RegulationEditor key={regulation[1]} id={regulation[1]!} />;
  if (path === '/content-settings') return <ContentSettings />;
  if (path === '/users' || path.startsWith('/users/')) return <Users />;
  if (path === '/tokens') return <Tokens />;
  if (path === '/audit') return <Audit />;
  if (path === '/security') return <Security />;
  if (path === '/change-password') return <Security />;
  if (path === '/login') return <Home />;
  return <NotFound />;
}

export function App() {
  const { t } = useT();
  const { path } = useLocation();
  // undefined = loading, null = logged out
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [bootError, setBootError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = useCallback(async (): Promise<Me | null> => {
    try {
      const m = await api.me();
      setCsrfToken(m.csrfToken);
      setMe(m);
      setBootError(null);
      return m;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setMe(null);
        setBootError(null);
        return null;
      }
      setBootError(err);
      return null;
    }
  }, []);

  const clear = useCallback(() => {
    setCsrfToken('');
    setMe(null);
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(
    () =>
      onUnauthorized(() => {
        setMe((cur) => {
          if (cur) setNotice(t('login.expired'));
          return null;
        });
      }),
    [t],
  );

  useEffect(() => onAccountStateRequired(() => void refresh()), [refresh]);

  const mustChange = !!me?.user.mustChangePassword;
  const mustSetup2fa = !mustChange && !!me?.user.totpRequired && !me.user.totpEnabled;
  useEffect(() => {
    if (mustChange && path !== '/change-password') navigate('/change-password', { replace: true });
  }, [mustChange, path]);

  const logout = useCallback(
    async (everywhere: boolean) => {
      try {
        if (everywhere) await api.logoutAll();
        else await api.logout();
      } catch (err) {
        // Already signed out on the server: fine. Anything else: the session may still be alive, say so.
        if (!(err instanceof ApiError && err.status === 401)) throw err;
      }
      setNotice(everywhere ? t('login.loggedOutAll') : t('login.loggedOut'));
      clear();
      navigate('/', { replace: true });
    },
    [clear, t],
  );

  const session = useMemo<SessionValue | null>(() => (me ? { me, refresh, clear, logout } : null), [me, refresh, clear, logout]);

  if (me === undefined) {
    if (bootError) {
      return (
        <div className="auth-page">
          <div className="auth-card">
            <main>
              <h1 className="auth-title">{t('boot.errorTitle')}</h1>
              <ErrorAlert error={bootError} />
              <Button variant="primary" onClick={() => void refresh()}>{t('common.retry')}</Button>
            </main>
          </div>
        </div>
      );
    }
    return (
      <div className="auth-page">
        <Loading />
      </div>
    );
  }

  if (me === null || !session) {
    return (
      <Login
        notice={notice}
        onLoggedIn={async () => {
          setNotice(null);
          // Back from a network's sign-in while signed out: finish it now that the person is in.
          const next = new URLSearchParams(window.location.search).get('next');
          if (next?.startsWith('/api/v1/oauth/callback?')) {
            window.location.assign(next);
            return;
          }
          const m = await refresh();
          if (m && !m.user.mustChangePassword && (path === '/login' || path === '/change-password')) navigate('/', { replace: true });
        }}
      />
    );
  }

  return (
    <SessionContext.Provider value={session}>
      {mustChange ? (
        <ChangePassword forced onDone={() => navigate('/', { replace: true })} />
      ) : mustSetup2fa ? (
        <ForcedTwoFactor />
      ) : (
        <Layout>
          <Routes />
        </Layout>
      )}
    </SessionContext.Provider>
  );
}
