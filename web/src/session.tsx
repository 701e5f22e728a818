import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, createApiClient, type ApiClient, type User } from './api';

export type SessionState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'setup' }
  | {
      status: 'anonymous';
      reason?: 'expired' | 'setup-done' | 'logged-out' | 'password-changed';
      username?: string;
    }
  | { status: 'authenticated'; user: User };

interface SessionContextValue {
  state: SessionState;
  api: ApiClient;
  /** Throws ApiError when the server refuses (wrong password, rate limited...). */
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** The first administrator exists now: continue at the login page with that name filled in. */
  setupDone: (username: string) => void;
  /** Asks the server again whether setup is needed and whether a session exists. */
  reload: () => void;
  /** The server answered with a new version of the signed-in user (own name or role changed). */
  userChanged: (user: User) => void;
  /**
   * The signed-in user's password was changed: the server has ended all their sessions, this one
   * included. Continues at the login page with the username filled in.
   */
  passwordChanged: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [api] = useState(() =>
    createApiClient({ onUnauthorized: () => setState({ status: 'anonymous', reason: 'expired' }) }),
  );
  const [probeCount, setProbeCount] = useState(0);

  useEffect(() => {
    let stale = false;
    const settle = (s: SessionState) => {
      if (!stale) setState(s);
    };
    // The session is asked first: it is the common case, and a fresh install answers 401 to it anyway.
    api
      .session()
      .then(({ user, csrfToken }) => {
        api.setCsrfToken(csrfToken);
        settle({ status: 'authenticated', user });
      })
      .catch(async (e: unknown) => {
        const err = asApiError(e);
        if (err.status !== 401) return settle({ status: 'error', error: err });
        const { needed } = await api.setupStatus();
        settle(needed ? { status: 'setup' } : { status: 'anonymous' });
      })
      .catch((e: unknown) => settle({ status: 'error', error: asApiError(e) }));
    return () => {
      stale = true;
    };
  }, [api, probeCount]);

  const login = useCallback(
    async (username: string, password: string) => {
      const { user, csrfToken } = await api.login({ username, password });
      api.setCsrfToken(csrfToken);
      setState({ status: 'authenticated', user });
    },
    [api],
  );

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      // Even if the server could not be told, this browser forgets the session.
      api.setCsrfToken(null);
      setState({ status: 'anonymous', reason: 'logged-out' });
    }
  }, [api]);

  const setupDone = useCallback((username: string) => {
    setState({ status: 'anonymous', reason: 'setup-done', username });
  }, []);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setProbeCount((n) => n + 1);
  }, []);

  const userChanged = useCallback((user: User) => {
    setState((s) => (s.status === 'authenticated' && s.user.id === user.id ? { ...s, user } : s));
  }, []);

  const passwordChanged = useCallback(() => {
    api.setCsrfToken(null);
    setState((s) =>
      s.status === 'authenticated'
        ? { status: 'anonymous', reason: 'password-changed', username: s.user.username }
        : s,
    );
  }, [api]);

  const value = useMemo(
    () => ({ state, api, login, logout, setupDone, reload, userChanged, passwordChanged }),
    [state, api, login, logout, setupDone, reload, userChanged, passwordChanged],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (ctx === null) throw new Error('useSession must be used inside <SessionProvider>');
  return ctx;
}

/** The signed-in user; only for components rendered inside the authenticated frame. */
export function useUser(): User {
  const { state } = useSession();
  if (state.status !== 'authenticated') throw new Error('useUser needs an authenticated session');
  return state.user;
}

export function useApi(): ApiClient {
  return useSession().api;
}
