import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiProvider } from './api/api-context.js';
import { ApiKeysPage } from './features/admin/api-keys-page.js';
import { UsersPage } from './features/admin/users-page.js';
import { AudiencesPage } from './features/audiences/audiences-page.js';
import { AuditPage } from './features/audit/audit-page.js';
import { ExperiencesPage } from './features/experiences/experiences-page.js';
import { FieldsPage } from './features/fields/fields-page.js';
import { LedgerPage } from './features/ledger/ledger-page.js';
import { MetricsPage } from './features/metrics/metrics-page.js';
import { PlacementsPage } from './features/placements/placements-page.js';
import { PreviewPage } from './features/preview/preview-page.js';
import { PublishPage } from './features/publish/publish-page.js';
import { PurposesPage } from './features/purposes/purposes-page.js';
import { ChangePasswordPage } from './features/session/change-password-page.js';
import { SessionProvider, useSession } from './features/session/session.js';
import { SignInPage } from './features/session/sign-in-page.js';
import { SiteSettingsPage } from './features/sites/site-settings-page.js';
import { SitesPage } from './features/sites/sites-page.js';
import { I18nProvider, useI18n } from './i18n/i18n.js';
import { Layout } from './routes/layout.js';
import { Loading } from './ui/status.js';

// The chart screens carry Recharts; they load when first opened so sign-in and the editors stay light.
const ResultsPage = lazy(() =>
  import('./features/results/results-page.js').then((module) => ({ default: module.ResultsPage })),
);
const PrivacyReportPage = lazy(() =>
  import('./features/privacy/privacy-report-page.js').then((module) => ({ default: module.PrivacyReportPage })),
);

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 } },
});

function Screens() {
  const session = useSession();
  useI18n();
  if (session.state.status === 'checking') return <Loading />;
  if (session.state.status === 'signed-out') return <SignInPage />;
  if (session.state.me.kind === 'user' && session.state.me.mustChangePassword === true) return <ChangePasswordPage />;
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route
          path="/"
          element={
            <Layout>
              <SitesPage />
            </Layout>
          }
        />
        <Route
          path="/users"
          element={
            <Layout>
              <UsersPage />
            </Layout>
          }
        />
        <Route
          path="/api-keys"
          element={
            <Layout>
              <ApiKeysPage />
            </Layout>
          }
        />
        <Route path="/sites/:site">
          <Route index element={<Navigate to="settings" replace />} />
          <Route
            path="settings"
            element={
              <Layout>
                <SiteSettingsPage />
              </Layout>
            }
          />
          <Route
            path="purposes/:id?"
            element={
              <Layout>
                <PurposesPage />
              </Layout>
            }
          />
          <Route
            path="fields/:id?"
            element={
              <Layout>
                <FieldsPage />
              </Layout>
            }
          />
          <Route
            path="audiences/:id?"
            element={
              <Layout>
                <AudiencesPage />
              </Layout>
            }
          />
          <Route
            path="experiences/:id?"
            element={
              <Layout>
                <ExperiencesPage />
              </Layout>
            }
          />
          <Route
            path="metrics/:id?"
            element={
              <Layout>
                <MetricsPage />
              </Layout>
            }
          />
          <Route
            path="placements/:id?"
            element={
              <Layout>
                <PlacementsPage />
              </Layout>
            }
          />
          <Route
            path="preview"
            element={
              <Layout>
                <PreviewPage />
              </Layout>
            }
          />
          <Route
            path="publish"
            element={
              <Layout>
                <PublishPage />
              </Layout>
            }
          />
          <Route
            path="results"
            element={
              <Layout>
                <ResultsPage />
              </Layout>
            }
          />
          <Route
            path="privacy"
            element={
              <Layout>
                <PrivacyReportPage />
              </Layout>
            }
          />
          <Route
            path="ledger"
            element={
              <Layout>
                <LedgerPage />
              </Layout>
            }
          />
          <Route
            path="audit"
            element={
              <Layout>
                <AuditPage />
              </Layout>
            }
          />
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  );
}

/** The dashboard: data cache, language, API, session and the screens, mounted under /admin. */
export function App() {
  const [expired, setExpired] = useState(0);
  const onUnauthenticated = useCallback(() => setExpired((count) => count + 1), []);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <ApiProvider onUnauthenticated={onUnauthenticated}>
          <SessionProvider expired={expired}>
            <BrowserRouter basename="/admin">
              <Screens />
            </BrowserRouter>
          </SessionProvider>
        </ApiProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
