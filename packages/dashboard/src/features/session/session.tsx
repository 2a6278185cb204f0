import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { storeCsrf, useApi } from '../../api/api-context.js';
import type { Me } from '@candor/schema';

/** Where the session stands. */
export type SessionState =
  | { readonly status: 'checking' }
  | { readonly status: 'signed-out' }
  | { readonly status: 'signed-in'; readonly me: Me };

interface Session {
  readonly state: SessionState;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** Forget the session locally (the server said 401). */
  expire(): void;
  /** Ask the server again who is signed in (after the password changed, say). */
  refresh(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

/** Holds who is signed in; every tab first asks the server, which also hands a cookie session its CSRF token. */
export function SessionProvider({ children, expired }: { readonly children: ReactNode; readonly expired: number }) {
  const api = useApi();
  const queries = useQueryClient();
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  useEffect(() => {
    if (state.status !== 'checking') return;
    api.me().then(
      (me) => {
        if (me.kind === 'user' && me.csrfToken !== undefined) storeCsrf(me.csrfToken);
        setState({ status: 'signed-in', me });
      },
      () => {
        storeCsrf(undefined);
        setState({ status: 'signed-out' });
      },
    );
  }, [api, state.status]);
  const expire = useCallback(() => {
    storeCsrf(undefined);
    queries.clear();
    setState({ status: 'signed-out' });
  }, [queries]);
  useEffect(() => {
    if (expired > 0) expire();
  }, [expired, expire]);
  const value = useMemo<Session>(
    () => ({
      state,
      async signIn(email, password) {
        const session = await api.login({ email, password });
        storeCsrf(session.csrfToken);
        setState({ status: 'signed-in', me: await api.me() });
      },
      async signOut() {
        await api.logout().catch(() => undefined);
        expire();
      },
      expire,
      async refresh() {
        setState({ status: 'signed-in', me: await api.me() });
      },
    }),
    [api, state, expire],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The nearest session. */
export function useSession(): Session {
  const value = useContext(SessionContext);
  if (value === undefined) throw new Error('useSession outside SessionProvider');
  return value;
}

/** Whether the signed-in caller holds a permission (the server checks again; this only hides dead ends). */
export function useCan(permission: string): boolean {
  const { state } = useSession();
  return state.status === 'signed-in' && (state.me.permissions as readonly string[]).includes(permission);
}
