// Session state (GET /me) shared by every screen, plus permission helpers.
import { createContext, useContext } from 'react';
import type { Me, Role, Unit } from './api.ts';

export interface SessionValue {
  me: Me;
  /** Re-fetch /me (after password change, 2FA change, ...). */
  refresh: () => Promise<Me | null>;
  /** Forget the session locally (after logout). */
  clear: () => void;
  /** Ends this session (or every session) on the server, then locally. Throws if the server refused. */
  logout: (everywhere: boolean) => Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionContext');
  return v;
}

export function isAnyAdmin(me: Me): boolean {
  return me.memberships.some((m) => m.role === 'admin');
}

/** Unit ids the user administers: admin units and all their descendants. */
export function adminUnitIds(me: Me, units: Unit[]): Set<string> {
  const children = new Map<string | null, Unit[]>();
  for (const u of units) {
    const list = children.get(u.parentId) ?? [];
    list.push(u);
    children.set(u.parentId, list);
  }
  const out = new Set<string>();
  const stack = me.memberships.filter((m) => m.role === 'admin').map((m) => m.unitId);
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const c of children.get(id) ?? []) stack.push(c.id);
  }
  return out;
}

export function roleOf(me: Me, unitId: string): Role | undefined {
  return me.memberships.find((m) => m.unitId === unitId)?.role;
}
