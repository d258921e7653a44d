// Small typed client for the Siar API (/api/v1). Cookie auth + CSRF header.

export type Locale = 'id' | 'en';
export type Role = 'admin' | 'approver' | 'editor' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'approver', 'editor', 'viewer'];
export type UnitKind = 'province' | 'regency' | 'city' | 'agency' | 'bureau';
export const UNIT_KINDS: readonly UnitKind[] = ['province', 'regency', 'city', 'agency', 'bureau'];

export interface User {
  id: string;
  email: string;
  name: string;
  locale: Locale;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  totpRequired: boolean;
  disabled: boolean;
  createdAt: string;
  memberships?: { unitId: string; role: Role }[];
}

export interface MeMembership {
  unitId: string;
  unitName: string;
  unitKind: UnitKind;
  role: Role;
}

export interface Me {
  user: User;
  memberships: MeMembership[];
  csrfToken: string | null;
}

export interface UnitContact {
  email: string | null;
  phone: string | null;
  address: string | null;
  website: string | null;
}

export interface Unit {
  id: string;
  parentId: string | null;
  kind: UnitKind;
  name: string;
  slug: string;
  timezone: string;
  logoUrl: string | null;
  contact: UnitContact;
  requireTwoFactor: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Token {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export interface AuditEntry {
  id: string;
  seq: number;
  at: string;
  actor: { id: string | null; name: string | null; email: string | null } | null;
  action: string;
  entityType: string;
  entityId: string | null;
  unitId: string | null;
  ip: string | null;
  userAgent: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  hash: string;
}

export interface AuditVerify {
  ok: boolean;
  checked: number;
  firstBrokenSeq: number | null;
  reason?: string | null;
}

export interface ValidationIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Validation issues keyed by the last path segment (e.g. "contact.email" → also "email"). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    // Only validation errors name fields; other codes may carry raw issues we should not show.
    if (this.code !== 'validation.invalid') return out;
    const issues = this.details?.['issues'];
    if (!Array.isArray(issues)) return out;
    for (const raw of issues) {
      if (!raw || typeof raw !== 'object') continue;
      const issue = raw as Partial<ValidationIssue>;
      if (typeof issue.message !== 'string') continue;
      const path = typeof issue.path === 'string' ? issue.path.replace(/^\//, '').replace(/\//g, '.') : '';
      if (!(path in out)) out[path] = issue.message;
    }
    return out;
  }
}

let currentLocale: Locale = 'id';
export function setApiLocale(locale: Locale): void {
  currentLocale = locale;
}

let csrfFromServer = '';
export function setCsrfToken(token: string | null | undefined): void {
  csrfFromServer = token ?? '';
}

function readCookie(name: string): string {
  const prefix = `${name}=`;
  for (const part of document.cookie.split(';')) {
    const p = part.trim();
    if (p.startsWith(prefix)) return decodeURIComponent(p.slice(prefix.length));
  }
  return '';
}

/** Listeners notified when the server says the session is gone (401 auth.required). */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(fn: () => void): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

/** Listeners notified when the server says the account must first change password / set up 2FA. */
const stateListeners = new Set<() => void>();
export function onAccountStateRequired(fn: () => void): () => void {
  stateListeners.add(fn);
  return () => stateListeners.delete(fn);
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': currentLocale,
  };
  if (method !== 'GET') {
    const csrf = readCookie('siar_csrf') || csrfFromServer;
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  let payload: string | undefined;
  // Actions without input still send an empty JSON object: the server validates bodies strictly.
  if (body === undefined && method !== 'GET' && method !== 'DELETE') body = {};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', currentLocale === 'en'
      ? 'Cannot reach the server. Check your connection and try again.'
      : 'Tidak dapat menghubungi server. Periksa koneksi lalu coba lagi.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = (data && typeof data === 'object' && 'error' in data
      ? (data as { error: { code?: string; message?: string; details?: Record<string, unknown> } }).error
      : null) ?? {};
    const apiErr = new ApiError(
      res.status,
      err.code ?? `http.${res.status}`,
      err.message ?? (currentLocale === 'en' ? `Request failed (${res.status}).` : `Permintaan gagal (${res.status}).`),
      err.details,
    );
    if (res.status === 401 && apiErr.code === 'auth.required') {
      for (const fn of unauthorizedListeners) fn();
    }
    if (apiErr.code === 'auth.password_change_required' || apiErr.code === 'auth.totp_setup_required') {
      for (const fn of stateListeners) fn();
    }
    throw apiErr;
  }
  return data as T;
}

const enc = encodeURIComponent;

function qs(params: Record<string, string | number | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export const api = {
  login: (body: { email: string; password: string; totp?: string }) =>
    request<{ user: User; csrfToken: string }>('POST', '/auth/login', body),
  logout: () => request<void>('POST', '/auth/logout'),
  logoutAll: () => request<void>('POST', '/auth/logout-all'),
  changePassword: (body: { currentPassword: string; newPassword: string }) =>
    request<void>('POST', '/auth/change-password', body),
  me: () => request<Me>('GET', '/me'),
  totpSetup: () => request<{ secret: string; otpauthUrl: string }>('POST', '/me/totp/setup'),
  totpEnable: (code: string) => request<void>('POST', '/me/totp/enable', { code }),
  totpDisable: (code: string) => request<void>('POST', '/me/totp/disable', { code }),

  units: () => request<{ items: Unit[] }>('GET', '/units'),
  unit: (id: string) => request<Unit>('GET', `/units/${enc(id)}`),
  createUnit: (body: {
    parentId: string;
    kind: UnitKind;
    name: string;
    timezone?: string;
    logoUrl?: string | null;
    contact?: Partial<UnitContact>;
    requireTwoFactor?: boolean;
  }) => request<Unit>('POST', '/units', body),
  updateUnit: (
    id: string,
    body: Partial<Pick<Unit, 'name' | 'timezone' | 'logoUrl' | 'requireTwoFactor'>> & { contact?: Partial<UnitContact> },
  ) => request<Unit>('PATCH', `/units/${enc(id)}`, body),

  users: (unitId?: string) => request<{ items: User[] }>('GET', `/users${qs({ unitId })}`),
  user: (id: string) => request<User>('GET', `/users/${enc(id)}`),
  createUser: (body: { email: string; name: string; unitId: string; role: Role; locale?: Locale }) =>
    request<{ user: User; temporaryPassword: string }>('POST', '/users', body),
  updateUser: (id: string, body: { name?: string; disabled?: boolean; locale?: Locale }) =>
    request<User>('PATCH', `/users/${enc(id)}`, body),
  setMembership: (id: string, unitId: string, role: Role) =>
    request<User>('PUT', `/users/${enc(id)}/memberships/${enc(unitId)}`, { role }),
  removeMembership: (id: string, unitId: string) =>
    request<User>('DELETE', `/users/${enc(id)}/memberships/${enc(unitId)}`),
  resetPassword: (id: string) =>
    request<{ temporaryPassword: string }>('POST', `/users/${enc(id)}/reset-password`),
  resetTwoFactor: (id: string) => request<void>('POST', `/users/${enc(id)}/reset-two-factor`, {}),

  tokens: () => request<{ items: Token[] }>('GET', '/tokens'),
  createToken: (body: { name: string; expiresInDays?: number }) =>
    request<{ token: Token; secret: string }>('POST', '/tokens', body),
  revokeToken: (id: string) => request<void>('DELETE', `/tokens/${enc(id)}`),

  audit: (params: {
    unitId?: string;
    actorId?: string;
    action?: string;
    entityType?: string;
    from?: string;
    to?: string;
    cursor?: string;
    limit?: number;
  }) => request<{ items: AuditEntry[]; nextCursor: string | null }>('GET', `/audit${qs(params)}`),
  auditVerify: () => request<AuditVerify>('GET', '/audit/verify'),
};
