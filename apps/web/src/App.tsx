import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { Suspense, lazy, useEffect, useRef, useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { Link, NavLink, Outlet, RouterProvider, createBrowserRouter, useLocation, useNavigate } from 'react-router';
import { api } from './api.js';
import { changeLocale, i18n, useT } from './i18n/index.js';
import { useLiveUpdates } from './live.js';
import { AccessibilityStatement } from './pages/AccessibilityStatement.js';
import { DocumentsPage } from './pages/Documents.js';
import { HomePage } from './pages/Home.js';
import { NoAccess, NotFound } from './pages/NoAccess.js';
import { ProfilePage } from './pages/Profile.js';
import { Setup, SignIn } from './pages/SignIn.js';
import { AcceptInvitation, ResetPassword } from './pages/TokenPages.js';
import { useMe, useSetupNeeded } from './session.js';
import { forgetEverything, hasUnsavedDocuments } from './sync/device.js';

// Editors and administration are loaded when first opened: the sign-in and home routes stay small.
const DocumentPage = lazy(() => import('./pages/DocumentPage.js'));
const AdminPage = lazy(() => import('./pages/Admin.js'));
const OverviewPage = lazy(() => import('./pages/overview/OverviewPage.js'));

/** Pages anyone may open without a session (links with a token, the accessibility statement). */
const PUBLIC_PATHS = [/^\/invitations\//, /^\/reset-password\//, /^\/accessibility$/];

function Layout() {
  const { t, locale } = useT();
  const me = useMe();
  const user = me.data ?? null;
  const queryClient = useQueryClient();
  const location = useLocation();
  const isPublic = PUBLIC_PATHS.some((pattern) => pattern.test(location.pathname));
  const setup = useSetupNeeded(me.isSuccess && user === null);
  // Signed in earlier in this tab and now without a session, without having signed out: the
  // account was deactivated or the session ended elsewhere.
  const hadSession = useRef(false);
  /** The user of the session in this tab (kept after it ended: which of their edits are still on the device). */
  const lastUserId = useRef<string | null>(null);
  const [sessionLost, setSessionLost] = useState(false);
  useEffect(() => {
    if (user) {
      hadSession.current = true;
      lastUserId.current = user.user.id;
      setSessionLost(false);
    } else if (me.isSuccess && hadSession.current) {
      hadSession.current = false;
      setSessionLost(true);
      // Nothing of the ended session stays on this device, except edits the server never confirmed.
      void forgetEverything();
    }
  }, [user, me.isSuccess]);
  useEffect(() => {
    if (user?.user.language && user.user.language !== locale) void changeLocale(user.user.language);
    // only when the signed-in user (or their saved language) changes, not on every switch
  }, [user?.user.id, user?.user.language]);
  useLiveUpdates(user?.user.id ?? null);

  const [languageNotSaved, setLanguageNotSaved] = useState(false);
  const switchLanguage = () => {
    const next = locale === 'sv' ? 'en' : 'sv';
    void changeLocale(next);
    setLanguageNotSaved(false);
    if (user) {
      api.patch('/api/auth/me', { language: next }).then(
        () => queryClient.invalidateQueries({ queryKey: ['me'] }),
        // Shown on screen at once; said when it could not be kept for the next sign-in.
        () => setLanguageNotSaved(true),
      );
    }
  };
  const signOut = async () => {
    // Edits that never reached the server stay on the device (nothing typed is thrown away); say so first.
    if (user && hasUnsavedDocuments(user.user.id) && !window.confirm(t('signOutUnsaved'))) return;
    hadSession.current = false;
    await api.post('/api/auth/logout').catch(() => undefined);
    await forgetEverything();
    // Nothing of this user stays in memory; the active queries (session, setup) load again.
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    await queryClient.resetQueries({ queryKey: ['me'] });
  };
  const signedIn = () => {
    setSessionLost(false);
    void queryClient.invalidateQueries();
  };

  let content;
  if (sessionLost && !user) {
    const keptUnsaved = lastUserId.current !== null && hasUnsavedDocuments(lastUserId.current);
    content = <NoAccess kind="session" onSignIn={() => setSessionLost(false)} keptUnsaved={keptUnsaved} />;
  }
  else if (isPublic) content = <Outlet />;
  else if (me.isPending || (!user && setup.isPending)) content = <p>{t('loading')}</p>;
  // A failed re-check (server restarting, network gone) keeps the page as it is.
  else if (me.isError && me.data === undefined) content = <p role="alert">{t('loadFailed')}</p>;
  else if (!user) content = setup.data?.needed ? <Setup onDone={signedIn} /> : <SignIn onSignedIn={signedIn} />;
  else content = <Outlet />;

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header>
        <p className="app-name">
          <Link to="/">{t('appName')}</Link>
        </p>
        <p className="tagline">{t('tagline')}</p>
        {user && (
          <nav aria-label={t('mainNavigation')}>
            <ul>
              <li>
                <NavLink to="/" end>
                  {t('navHome')}
                </NavLink>
              </li>
              <li>
                <NavLink to="/documents">{t('navDocuments')}</NavLink>
              </li>
              <li>
                <NavLink to="/overview">{t('navOverview')}</NavLink>
              </li>
              {user.user.role === 'admin' && (
                <li>
                  <NavLink to="/admin">{t('navAdmin')}</NavLink>
                </li>
              )}
              <li>
                <NavLink to="/profile">{t('navProfile')}</NavLink>
              </li>
            </ul>
          </nav>
        )}
        <div className="session">
          <button type="button" lang={locale === 'sv' ? 'en' : 'sv'} onClick={switchLanguage}>
            {t('switchLanguage')}
          </button>
          {languageNotSaved && (
            <span role="alert" className="field-error">
              {t('languageNotSaved')}
            </span>
          )}
          {user && (
            <>
              <span>{t('signedInAs', { name: user.user.name })}</span>
              <button type="button" onClick={() => void signOut()}>
                {t('signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p>{t('loading')}</p>}>{content}</Suspense>
      </main>
      <footer>
        <Link to="/accessibility">{t('accessibilityStatement')}</Link>
      </footer>
    </>
  );
}

/** After an invitation or a reset link: to the start page, with the new session. */
function useLeaveLinkPage(): () => void {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries();
    void navigate('/');
  };
}

function InvitationRoute() {
  return <AcceptInvitation onDone={useLeaveLinkPage()} />;
}

function ResetRoute() {
  return <ResetPassword onDone={useLeaveLinkPage()} />;
}

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/documents', element: <DocumentsPage /> },
      { path: '/documents/:documentId', element: <DocumentPage /> },
      { path: '/overview', element: <OverviewPage /> },
      { path: '/admin', element: <AdminPage /> },
      { path: '/profile', element: <ProfilePage /> },
      { path: '/accessibility', element: <AccessibilityStatement /> },
      { path: '/invitations/:token', element: <InvitationRoute /> },
      { path: '/reset-password/:token', element: <ResetRoute /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } },
});

export function App() {
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </I18nextProvider>
  );
}
