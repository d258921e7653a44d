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
  /** Only on /me: whether notifications also come by e-mail. */
  notifyEmail?: boolean;
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


// ---------- Content studio ----------

export type NetworkId = 'facebook' | 'instagram' | 'threads' | 'x' | 'tiktok' | 'youtube' | 'linkedin' | 'telegram' | 'mastodon' | 'bluesky' | 'webhook';
export const NETWORK_IDS: readonly NetworkId[] = ['facebook', 'instagram', 'threads', 'x', 'tiktok', 'youtube', 'linkedin', 'telegram', 'mastodon', 'bluesky', 'webhook'];
export type PostStatus = 'draft' | 'in_review' | 'changes_requested' | 'approved' | 'scheduled' | 'publishing' | 'published' | 'partly_published' | 'failed' | 'cancelled';
export const POST_STATUSES: readonly PostStatus[] = ['draft', 'in_review', 'changes_requested', 'approved', 'scheduled', 'publishing', 'published', 'partly_published', 'failed', 'cancelled'];
export type PostAction = 'edit' | 'submit' | 'approve' | 'request_changes' | 'schedule' | 'unschedule' | 'reschedule' | 'withdraw' | 'cancel' | 'restore' | 'publish_now' | 'review_after';

export interface Bilingual { id: string; en: string }
export interface Zoned { utc: string; local: string; timeZone: string; zoneName: string }
export interface Ref { id: string; name: string }

export interface Variant {
  network: string;
  networkName: string;
  text: string;
  parts: string[];
  title: string | null;
  mediaIds: string[];
  thread: boolean;
  firstComment: string | null;
  hashtags: string[];
  customized: boolean;
  notes?: Bilingual[];
}

export interface CheckIssue {
  severity: 'error' | 'warning';
  network: string;
  rule: string;
  measured: number | string;
  limit: number | string;
  message: Bilingual;
  part?: number;
}

export interface Check {
  network: string;
  channelId: string | null;
  ok: boolean;
  issues: CheckIssue[];
  counters: { used: number; limit: number; unit: string }[];
}

export interface Hint {
  rule: string;
  severity: 'advice' | 'second_look';
  message: Bilingual;
  measured?: number | string;
  excerpt?: string;
}

export interface PostMedia {
  mediaId: string;
  alt: string;
  kind: string;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  url: string;
  thumbnailUrl: string | null;
}

export type TargetStatus = 'pending' | 'publishing' | 'published' | 'failed' | 'cancelled';
export type ChannelConnection = 'unconnected' | 'connected' | 'needs_reconnect';

/** The portal, the channel every post has: its article and the clicks through its short links. */
export interface PortalLine {
  url: string;
  status: 'waiting' | 'live' | 'withdrawn' | 'none';
  publishedAt: string | null;
  correctedAt: string | null;
  correctionNote: string | null;
  withdrawnAt: string | null;
  withdrawnReason: string | null;
  article: { title: string; summary: string; bodyHtml: string };
  clicks: { total: number; byNetwork: Record<string, number> };
  actions: ('correct' | 'withdraw')[];
}

export interface PostTarget {
  id: string;
  channelId: string;
  network: string;
  channel: { name: string; handle: string; avatarUrl: string | null };
  status: TargetStatus | (string & {});
  externalUrl: string | null;
  /** Technical (English) error text; people see `errorReason`. */
  error: string | null;
  /** Why it failed or waits, for a person. */
  errorReason: Bilingual | null;
  /** What the network's answer said a person should know about how it went out. */
  notice: Bilingual | null;
  errorCode: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  /** The last attempt may have reached the network; Siar checks before trying again. */
  uncertain: boolean;
  channelConnection: ChannelConnection | (string & {});
  publishedAt: string | null;
  /** Taken down from the network by an approver. */
  removedAt?: string | null;
  /** Its text was last corrected on the network. */
  editedAt?: string | null;
  /** What this person may do to it now. */
  actions?: TargetAction[];
}

export type TargetAction = 'retry' | 'remove' | 'edit';

/** An account a network sign-in gave access to (a Facebook Page, a LinkedIn page), to choose one. */
export interface SignInAccount { externalAccountId: string; handle: string; name: string }

/** One try at publishing a target (GET /posts/:id/targets/:targetId/attempts). */
export interface PublishAttempt {
  attempt: number;
  startedAt: string;
  finishedAt: string | null;
  /** published | found | permanent | transient | uncertain; null while running. */
  outcome: string | null;
  code: string | null;
  /** English detail (the link when published). */
  detail: string | null;
}

export interface Decision {
  tier: number;
  round: number;
  decision: string;
  note: string | null;
  approver: Ref;
  at: string;
}

export interface Approval {
  tiers: number;
  round: number;
  approvedTiers: number;
  currentTier: number | null;
  currentTierUnitId: string | null;
  decisions: Decision[];
}

export interface SertaMerta { what: string; areas: string; actions: string; help: string; contact: string }

export interface Post {
  id: string;
  unit: { id: string; name: string; timezone: string };
  author: Ref;
  rubric: { id: string; slug: string; name: string } | null;
  title: string;
  bodyHtml: string;
  bodyText: string;
  summary: string;
  language: string;
  tags: string[];
  portalUrl: string | null;
  urgent: boolean;
  sertaMerta: Record<string, string> | null;
  status: PostStatus;
  needsPostReview: boolean;
  scheduled: Zoned | null;
  version: number;
  media: PostMedia[];
  variants: Variant[];
  targets: PostTarget[];
  portal: PortalLine | null;
  checks: Check[];
  hints: Hint[];
  approval: Approval;
  actions: PostAction[];
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  approvedAt: string | null;
}

export interface PostSummary {
  id: string;
  unit: Ref;
  author: Ref;
  rubric: { id: string; slug: string; name: string } | null;
  title: string;
  status: PostStatus;
  urgent: boolean;
  needsPostReview: boolean;
  networks: string[];
  scheduled: Zoned | null;
  version: number;
  updatedAt: string;
}

export interface VariantInput {
  network: NetworkId;
  text?: string;
  parts?: string[];
  customized?: boolean;
}

export interface PostInput {
  title: string;
  bodyHtml: string;
  summary: string;
  rubricId: string | null;
  tags: string[];
  portalUrl: string | null;
  urgent: boolean;
  sertaMerta: SertaMerta | null;
  media: { mediaId: string; alt: string }[];
  variants: VariantInput[];
  targets: string[];
  scheduledAt: string | null;
}

export interface Preview {
  bodyText: string;
  variants: Variant[];
  checks: Check[];
  hints: Hint[];
}

/** A unit on the way from a unit up to the top (GET /units/:id/path). */
export interface UnitOnPath {
  id: string;
  name: string;
  shortName: string | null;
  kind: UnitKind;
}

export interface Channel {
  id: string;
  unitId: string;
  network: string;
  name: string;
  handle: string;
  avatarUrl: string | null;
  limitOverrides: Record<string, unknown>;
  disabled: boolean;
  createdAt: string;
  connection: ChannelConnection;
  /** Why it needs reconnecting, in Indonesian (`connectionReasonEn`: in English). */
  connectionReason: string | null;
  connectionReasonEn?: string | null;
  /** When the stored sign-in runs out (Siar renews it before then). */
  tokenExpiresAt?: string | null;
  connectedAt: string | null;
  /** A practice account on Siar's network sandbox. */
  sandbox: boolean;
  /** The API root it was connected with. */
  baseUrl: string | null;
  /** In lists: whether the signed-in person may publish to it. */
  usable?: boolean;
}

/** A channel's own limits (the subset of the server's overrides the admin app edits, plus any others kept as they are). */
export type LimitOverrides = Record<string, unknown> & { maxText?: number; charsPerUrl?: number };

export type DirectRole = 'editor' | 'approver' | 'admin';
export interface ApprovalPolicy {
  unitId: string;
  tierUnitIds: string[];
  sertaMertaDirectRole: DirectRole | null;
  crowdingPerHour: number;
  /** false: the unit has no policy of its own (defaults: one tier at the unit itself). */
  configured: boolean;
}

export type SensitiveCategory = 'sara' | 'hate' | 'unverified' | 'other';
export const SENSITIVE_CATEGORIES: readonly SensitiveCategory[] = ['sara', 'hate', 'unverified', 'other'];
export interface SensitiveTerm { id: string; unitId: string | null; term: string; category: string }

export interface Rubric { id: string; slug: string; name: string; description: string | null; position: number; archived: boolean }

export interface NetworkInfo { id: string; name: string; limits: Record<string, unknown> }

export interface MediaItem {
  id: string;
  unitId: string;
  kind: 'image' | 'video' | 'gif';
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  alt: string;
  originalName: string | null;
  url: string;
  thumbnailUrl: string | null;
  createdAt: string;
}

export interface InboxItem {
  id: string;
  title: string;
  unit: Ref;
  author: Ref;
  urgent: boolean;
  tier: number;
  tiers: number;
  submittedAt: string | null;
  scheduled: Zoned | null;
}

export interface Crowding {
  channelId: string;
  channelName: string;
  network: string;
  hourStart: string;
  count: number;
  limit: number;
  postIds: string[];
  message: Bilingual;
}

export interface CalendarItem {
  id: string;
  title: string;
  status: PostStatus;
  version: number;
  urgent: boolean;
  needsPostReview: boolean;
  unit: Ref;
  rubric: { id: string; slug: string; name: string } | null;
  networks: string[];
  scheduled: Zoned;
}

export interface Notification {
  id: string;
  kind: string;
  postId: string | null;
  postTitle: string | null;
  actor: Ref | null;
  excerpt: string | null;
  read: boolean;
  createdAt: string;
}

export interface Comment { id: string; body: string; author: Ref; mentions: Ref[]; createdAt: string }
export interface VersionSummary { version: number; action: string; author: Ref | null; at: string; status: string }
export interface Compare {
  from: Omit<VersionSummary, 'status'>;
  to: Omit<VersionSummary, 'status'>;
  changes: { field: string; before: unknown; after: unknown; diff?: { op: 'equal' | 'insert' | 'delete'; text: string }[] }[];
}

/** Multipart upload (the JSON `request` helper cannot send files). */
export async function uploadMedia(unitId: string, alt: string, file: File): Promise<MediaItem> {
  const form = new FormData();
  form.append('unitId', unitId);
  form.append('alt', alt);
  form.append('file', file);
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLocale };
  const csrf = readCookie('siar_csrf') || csrfFromServer;
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch('/api/v1/media', { method: 'POST', headers, body: form, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', currentLocale === 'en' ? 'Cannot reach the server. Check your connection and try again.' : 'Tidak dapat menghubungi server. Periksa koneksi lalu coba lagi.');
  }
  const data = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const err = (data && typeof data === 'object' && 'error' in data ? (data as { error: { code?: string; message?: string; details?: Record<string, unknown> } }).error : null) ?? {};
    throw new ApiError(res.status, err.code ?? `http.${res.status}`, err.message ?? `HTTP ${res.status}`, err.details);
  }
  return data as MediaItem;
}

/** Multipart upload of a form to an /api/v1 path (used by the kinerja import). */
export async function uploadForm<T>(path: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLocale };
  const csrf = readCookie('siar_csrf') || csrfFromServer;
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method: 'POST', headers, body: form, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', currentLocale === 'en' ? 'Cannot reach the server. Check your connection and try again.' : 'Tidak dapat menghubungi server. Periksa koneksi lalu coba lagi.');
  }
  const data = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const err = (data && typeof data === 'object' && 'error' in data ? (data as { error: { code?: string; message?: string; details?: Record<string, unknown> } }).error : null) ?? {};
    throw new ApiError(res.status, err.code ?? `http.${res.status}`, err.message ?? `HTTP ${res.status}`, err.details);
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
  updateMe: (body: { name?: string; locale?: Locale; notifyEmail?: boolean }) => request<Me>('PATCH', '/me', body),
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
  posts: (params: { unitId?: string; status?: string; rubricId?: string; mine?: string; q?: string; cursor?: string; limit?: number }) =>
    request<{ items: PostSummary[]; nextCursor: string | null }>('GET', `/posts${qs(params)}`),
  post: (id: string) => request<Post>('GET', `/posts/${enc(id)}`),
  createPost: (body: PostInput & { unitId: string }) => request<Post>('POST', '/posts', body),
  updatePost: (id: string, body: Partial<PostInput> & { version: number }) => request<Post>('PATCH', `/posts/${enc(id)}`, body),
  previewPost: (body: Omit<PostInput, 'sertaMerta' | 'scheduledAt'> & { unitId: string; postId?: string }) => request<Preview>('POST', '/posts/preview', body),
  postAction: (id: string, action: 'submit' | 'withdraw' | 'cancel' | 'restore' | 'unschedule' | 'publish-now' | 'approve' | 'review-after', body?: { version?: number; acknowledgeSensitive?: boolean; note?: string }) =>
    request<Post>('POST', `/posts/${enc(id)}/${action}`, body ?? {}),
  requestChanges: (id: string, body: { version?: number; note: string }) => request<Post>('POST', `/posts/${enc(id)}/request-changes`, body),
  schedulePost: (id: string, action: 'schedule' | 'reschedule', body: { version?: number; scheduledAt: string }) =>
    request<{ post: Post; crowding: Crowding[] }>('POST', `/posts/${enc(id)}/${action}`, body),
  postVersions: (id: string) => request<{ items: VersionSummary[] }>('GET', `/posts/${enc(id)}/versions`),
  comparePost: (id: string, from: number, to: number) => request<Compare>('GET', `/posts/${enc(id)}/compare${qs({ from, to })}`),
  comments: (id: string) => request<{ items: Comment[] }>('GET', `/posts/${enc(id)}/comments`),
  addComment: (id: string, body: { body: string; mentions: string[] }) => request<Comment>('POST', `/posts/${enc(id)}/comments`, body),
  inbox: () => request<{ items: InboxItem[] }>('GET', '/approvals/inbox'),
  calendar: (params: { from: string; to: string; timeZone: string; unitId?: string; network?: string; rubricId?: string; status?: string }) =>
    request<{ from: string; to: string; timeZone: string; items: CalendarItem[]; truncated: boolean; crowding: Crowding[] }>('GET', `/calendar${qs(params)}`),
  channels: (unitId?: string) => request<{ items: Channel[] }>('GET', `/channels${qs({ unitId })}`),
  createChannel: (body: { unitId: string; network: NetworkId; name: string; handle: string; avatarUrl?: string | null; limitOverrides?: LimitOverrides }) =>
    request<Channel>('POST', '/channels', body),
  updateChannel: (id: string, body: { name?: string; avatarUrl?: string | null; limitOverrides?: LimitOverrides; disabled?: boolean }) =>
    request<Channel>('PATCH', `/channels/${enc(id)}`, body),
  connectChannel: (id: string, body: { baseUrl: string; credentials: Record<string, string> }) =>
    request<Channel>('POST', `/channels/${enc(id)}/connect`, body),
  disconnectChannel: (id: string) => request<Channel>('POST', `/channels/${enc(id)}/disconnect`),
  signInChannel: (id: string, practice: boolean) =>
    request<{ authorizeUrl: string; expiresAt: string }>('POST', `/channels/${enc(id)}/sign-in`, { practice }),
  pendingSignIn: (state: string) => request<{ channelId: string; accounts: SignInAccount[] }>('GET', `/oauth/pending/${enc(state)}`),
  chooseSignInAccount: (state: string, externalAccountId: string) =>
    request<Channel>('POST', `/oauth/pending/${enc(state)}/choose`, { externalAccountId }),
  removeTarget: (postId: string, targetId: string) =>
    request<void>('POST', `/posts/${enc(postId)}/targets/${enc(targetId)}/remove`),
  editTarget: (postId: string, targetId: string, body: { texts: string[]; title: string | null }) =>
    request<void>('POST', `/posts/${enc(postId)}/targets/${enc(targetId)}/edit`, body),
  correctArticle: (postId: string, body: { title: string; summary: string; bodyHtml: string; note: string }) =>
    request<PortalLine>('POST', `/posts/${enc(postId)}/article/correct`, body),
  withdrawArticle: (postId: string, body: { reason: string }) =>
    request<PortalLine>('POST', `/posts/${enc(postId)}/article/withdraw`, body),
  targetAttempts: (postId: string, targetId: string) =>
    request<{ items: PublishAttempt[] }>('GET', `/posts/${enc(postId)}/targets/${enc(targetId)}/attempts`),
  retryTarget: (postId: string, targetId: string) =>
    request<{ queued: number }>('POST', `/posts/${enc(postId)}/targets/${enc(targetId)}/retry`),
  unitPath: (unitId: string) => request<{ items: UnitOnPath[] }>('GET', `/units/${enc(unitId)}/path`),
  approvalPolicy: (unitId: string) => request<ApprovalPolicy>('GET', `/units/${enc(unitId)}/approval-policy`),
  saveApprovalPolicy: (unitId: string, body: { tierUnitIds: string[]; sertaMertaDirectRole: DirectRole | null; crowdingPerHour: number }) =>
    request<ApprovalPolicy>('PUT', `/units/${enc(unitId)}/approval-policy`, body),
  sensitiveTerms: (unitId?: string) => request<{ items: SensitiveTerm[] }>('GET', `/sensitive-terms${qs({ unitId })}`),
  addSensitiveTerm: (body: { unitId: string | null; term: string; category: SensitiveCategory }) => request<SensitiveTerm>('POST', '/sensitive-terms', body),
  deleteSensitiveTerm: (id: string) => request<void>('DELETE', `/sensitive-terms/${enc(id)}`),
  rubrics: () => request<{ items: Rubric[] }>('GET', '/rubrics'),
  postPeople: (id: string) => request<{ items: Ref[] }>('GET', `/posts/${id}/people`),
  networks: () => request<{ items: NetworkInfo[] }>('GET', '/networks'),
  media: (unitId: string, cursor?: string) => request<{ items: MediaItem[]; nextCursor: string | null }>('GET', `/media${qs({ unitId, cursor })}`),
  updateMediaAlt: (id: string, alt: string) => request<MediaItem>('PATCH', `/media/${enc(id)}`, { alt }),
  notifications: () => request<{ items: Notification[]; unread: number }>('GET', '/notifications'),
  readNotifications: (ids?: string[]) => request<{ updated: number }>('POST', '/notifications/read', ids ? { ids } : {}),
};
