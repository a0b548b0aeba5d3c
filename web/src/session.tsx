// Who is signed in. The session itself is the HttpOnly cookie the server sets on
// login; the page learns the person behind it from GET /api/v1/me (401 means
// nobody). `refresh()` re-reads it after login, logout or a membership change.
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, endpoints, type Me } from './api';

interface Session {
  me: Me | null;
  loading: boolean;
  refresh: () => Promise<Me | null>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);

  const refresh = useCallback(async () => {
    try {
      const m = await endpoints.me();
      setMe(m);
      return m;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        setMe(null);
        return null;
      }
      // A network or server failure says nothing about the session: keep what we know.
      console.warn('GET /me failed', e);
      return null;
    } finally {
      setLoading(false);
    }
  }, []);

  const logout = useCallback(async () => {
    try {
      await endpoints.logout();
    } finally {
      setMe(null);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo(() => ({ me, loading, refresh, logout }), [me, loading, refresh, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

const MANAGING_ROLES = new Set(['coordinator', 'auditor']);

// Roles held on an org or on any org above it (a regional coordinator
// coordinates every co-op below the region).
export function rolesOver(me: Me | null, orgIds: number[]): Set<string> {
  const out = new Set<string>();
  if (!me) return out;
  const ids = new Set(orgIds);
  for (const r of me.roles) if (ids.has(r.org_id)) out.add(r.role);
  return out;
}

export function canManage(me: Me | null, orgIds: number[]): boolean {
  if (!me) return false;
  if (me.account.admin) return true;
  for (const r of rolesOver(me, orgIds)) if (MANAGING_ROLES.has(r)) return true;
  return false;
}

export function canAdmit(me: Me | null, orgIds: number[]): boolean {
  if (!me) return false;
  return me.account.admin || rolesOver(me, orgIds).has('coordinator');
}
