import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createApiClient } from './client.js';
import { createCandorApi, type CandorApi } from './endpoints.js';

const ApiContext = createContext<CandorApi | undefined>(undefined);

// The CSRF token lives in this tab's sessionStorage: the session cookie is httpOnly, and the server
// returns the token at login and from /v1/admin/me, so a new tab picks it up without signing in.
const CSRF_KEY = 'candor.dashboard.csrf';

/** Reads the CSRF token of this tab's session. */
export function readCsrf(): string | undefined {
  return window.sessionStorage.getItem(CSRF_KEY) ?? undefined;
}

/** Keeps (or forgets, with undefined) the CSRF token of this tab's session. */
export function storeCsrf(token: string | undefined): void {
  if (token === undefined) window.sessionStorage.removeItem(CSRF_KEY);
  else window.sessionStorage.setItem(CSRF_KEY, token);
}

/** Provides the admin API, same origin as the dashboard. */
export function ApiProvider({
  children,
  onUnauthenticated,
}: {
  readonly children: ReactNode;
  readonly onUnauthenticated: () => void;
}) {
  const api = useMemo(
    () =>
      createCandorApi(
        createApiClient({
          baseUrl: '',
          fetch: (input, init) => window.fetch(input, init),
          csrfToken: readCsrf,
          onUnauthenticated,
        }),
      ),
    [onUnauthenticated],
  );
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

/** The admin API of the nearest provider. */
export function useApi(): CandorApi {
  const api = useContext(ApiContext);
  if (api === undefined) throw new Error('useApi outside ApiProvider');
  return api;
}
