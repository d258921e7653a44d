/**
 * What the three Meta Graph-style servers (Facebook Pages, Instagram, Threads) share: the Graph error body,
 * `?fields=` selection with nested fields and modifiers, cursor paging, access-token records and the per-request
 * guard (token, Business Use Case rate window, injected faults), the OAuth consent page and its single-use codes,
 * and pulling an image from a URL the way Instagram and Threads fetch `image_url`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxStore } from './store.ts';
import type { RateWindow, SandboxAccount, SandboxNetwork } from './types.ts';
import { applyTransportFault, bindAccount, escapeHtml, readBody, sniffMime, str } from './http.ts';
import type { UploadedFile } from './http.ts';

export interface GraphContext {
  store: SandboxStore;
  baseUrl: () => string;
  webUrl: () => string;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors: {error:{message, type, code, error_subcode, error_user_title, error_user_msg, is_transient, fbtrace_id}}

export interface GraphError {
  status: number;
  message: string;
  type?: string;
  code: number;
  subcode?: number;
  userTitle?: string;
  userMsg?: string;
  transient?: boolean;
}

/** Thrown inside handlers; the Graph router turns it into the error body. */
export class GraphFailure extends Error {
  readonly graph: GraphError;
  constructor(graph: GraphError) {
    super(graph.message);
    this.graph = graph;
  }
}

export function fbtraceId(): string {
  return 'A' + randomBytes(16).toString('base64url').slice(0, 22);
}

export function sendGraphError(reply: FastifyReply, error: GraphError): FastifyReply {
  if (error.code === 190) {
    // The Graph API repeats token errors in WWW-Authenticate, as OAuth 2 bearer servers do.
    reply.header('WWW-Authenticate', `OAuth "Facebook Platform" "invalid_token" "${error.message.replace(/"/g, "'")}"`);
  }
  return reply.code(error.status).send({
    error: {
      message: error.message,
      type: error.type ?? 'OAuthException',
      code: error.code,
      ...(error.subcode !== undefined ? { error_subcode: error.subcode } : {}),
      ...(error.transient !== undefined ? { is_transient: error.transient } : {}),
      ...(error.userTitle !== undefined ? { error_user_title: error.userTitle } : {}),
      ...(error.userMsg !== undefined ? { error_user_msg: error.userMsg } : {}),
      fbtrace_id: fbtraceId(),
    },
  });
}

function facebookDate(ms: number): string {
  const d = new Date(ms);
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${pad(d.getUTCDate())}-${months[d.getUTCMonth()]}-${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

export const graphErrors = {
  invalidToken: (): GraphError => ({ status: 400, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' }),
  expiredToken: (expiredAt: number, now: number): GraphError => ({
    status: 400,
    code: 190,
    subcode: 463,
    message: `Error validating access token: Session has expired on ${facebookDate(expiredAt)}. The current time is ${facebookDate(now)}.`,
  }),
  missingToken: (): GraphError => ({ status: 400, code: 2500, message: 'An active access token must be used to query information about the current user.' }),
  unsupported: (method: string, id: string): GraphError => ({
    status: 400,
    type: 'GraphMethodException',
    code: 100,
    subcode: 33,
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
  }),
  invalidParameter: (message: string, extra: Partial<GraphError> = {}): GraphError => ({ status: 400, code: 100, message: `(#100) ${message}`, ...extra }),
  nonexistingField: (field: string, nodeType: string): GraphError => ({
    status: 400,
    code: 100,
    message: `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`,
  }),
  serverError: (): GraphError => ({ status: 500, code: 2, transient: true, message: 'An unexpected error has occurred. Please retry your request later.' }),
  unknownPath: (path: string): GraphError => ({ status: 400, code: 2500, message: `Unknown path components: ${path}` }),
};

// ---------------------------------------------------------------------------------------------------------------
// Ids and times as Meta writes them.

/** A numeric id of `length` digits starting with `prefix` (Graph ids are digit strings). */
export function numericId(prefix: string, length: number): string {
  let out = prefix;
  while (out.length < length) out += String(randomBytes(1)[0]! % 10);
  return out;
}

/** `2024-05-01T10:00:00+0000`: the Graph API's timestamp format. */
export function graphTime(iso: string | number): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

// ---------------------------------------------------------------------------------------------------------------
// ?fields= selection: `id,message,from{id,name},reactions.summary(total_count).limit(0)`

export interface FieldSpec {
  name: string;
  modifiers: Record<string, string>;
  sub?: FieldSpec[];
}

function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of input) {
    if (char === '{' || char === '(') depth += 1;
    if (char === '}' || char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export function parseFields(input: string | undefined): FieldSpec[] {
  if (!input) return [];
  return splitTopLevel(input).map((token) => {
    const name = /^[A-Za-z0-9_]+/.exec(token)?.[0] ?? token;
    const spec: FieldSpec = { name, modifiers: {} };
    let rest = token.slice(name.length);
    while (rest !== '') {
      const modifier = /^\.([A-Za-z_]+)\(([^)]*)\)/.exec(rest);
      if (modifier) {
        spec.modifiers[modifier[1]!] = modifier[2]!;
        rest = rest.slice(modifier[0].length);
      } else if (rest.startsWith('{')) {
        let depth = 0;
        let end = 0;
        for (; end < rest.length; end++) {
          if (rest[end] === '{') depth += 1;
          if (rest[end] === '}') depth -= 1;
          if (depth === 0) break;
        }
        spec.sub = parseFields(rest.slice(1, end));
        rest = rest.slice(end + 1);
      } else break;
    }
    return spec;
  });
}

/** Field name → how to produce it; `undefined` means "not set" and is left out, as the Graph API does. */
export type FieldMap = Record<string, (spec: FieldSpec) => unknown>;

/**
 * Builds a node the way the Graph API answers `?fields=`: `id` always, then each requested field; an unknown field
 * is refused with (#100) naming the node type.
 */
export function selectFields(map: FieldMap, fields: string | undefined, defaults: string[], nodeType: string): Record<string, unknown> {
  const specs = fields ? parseFields(fields) : defaults.map((name) => ({ name, modifiers: {} }));
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const produce = map[spec.name];
    if (!produce) throw new GraphFailure(graphErrors.nonexistingField(spec.name, nodeType));
    const value = produce(spec);
    if (value !== undefined) out[spec.name] = value;
  }
  if (map.id && out.id === undefined) out.id = map.id({ name: 'id', modifiers: {} });
  return out;
}

/** Narrows a nested object to `{a,b}` sub-fields when they were asked for. */
export function subFields(value: Record<string, unknown>, spec: FieldSpec): Record<string, unknown> {
  if (!spec.sub || spec.sub.length === 0) return value;
  const out: Record<string, unknown> = {};
  for (const sub of spec.sub) if (value[sub.name] !== undefined) out[sub.name] = value[sub.name];
  if (value.id !== undefined) out.id = value.id;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Edges: {data:[...], paging:{cursors:{before,after}, next}} with limit/after/before and since/until.

function timeParam(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** Keeps items created in [since, until] (Unix seconds or a date), as the Graph API's time-based paging does. */
export function withinTime<T extends { createdAt: string }>(items: T[], query: Record<string, unknown>): T[] {
  const since = timeParam(str(query.since));
  const until = timeParam(str(query.until));
  return items.filter((item) => {
    const at = Date.parse(item.createdAt);
    return (since === undefined || at >= since) && (until === undefined || at <= until);
  });
}

export function pageOf<T>(
  items: T[],
  request: FastifyRequest,
  baseUrl: string,
  present: (item: T) => Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const query = request.query as Record<string, unknown>;
  const limit = Math.min(100, Math.max(1, Number(str(query.limit) ?? 25) || 25));
  const decode = (cursor: string | undefined): number | undefined => {
    if (!cursor) return undefined;
    const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Number.isInteger(n) ? n : undefined;
  };
  const encode = (n: number) => Buffer.from(String(n)).toString('base64url');
  const after = decode(str(query.after));
  const before = decode(str(query.before));
  let start = after === undefined ? 0 : after + 1;
  if (before !== undefined) start = Math.max(0, before - limit);
  const slice = items.slice(start, start + limit);
  const data = slice.map(present);
  if (slice.length === 0) return { data, ...extra };
  const last = start + slice.length - 1;
  const paging: Record<string, unknown> = { cursors: { before: encode(start), after: encode(last) } };
  if (last < items.length - 1) {
    const url = new URL(request.url, baseUrl);
    url.searchParams.set('after', encode(last));
    url.searchParams.delete('before');
    paging.next = url.toString();
  }
  return { data, paging, ...extra };
}

// ---------------------------------------------------------------------------------------------------------------
// Access tokens.

export interface TokenRecord {
  network: SandboxNetwork;
  /** What the token is: `user` (short or long lived), `page` (Facebook Page), … */
  kind: string;
  longLived: boolean;
  /** Accounts the token acts for (a Facebook user token: every Page granted). */
  accountIds: string[];
  /** The user behind the token (Facebook: the person; elsewhere the account itself). */
  subject: string;
  issuedAt: number;
  expiresAt: number | null;
  scopes: string[];
}

const tokenRegistry = new WeakMap<SandboxStore, Map<string, TokenRecord>>();

export function tokensOf(store: SandboxStore): Map<string, TokenRecord> {
  let map = tokenRegistry.get(store);
  if (!map) {
    map = new Map();
    tokenRegistry.set(store, map);
  }
  return map;
}

export function issueToken(store: SandboxStore, prefix: string, record: Omit<TokenRecord, 'issuedAt'> & { issuedAt?: number }): string {
  const value = prefix + randomBytes(60).toString('base64url').replace(/[-_]/g, '');
  tokensOf(store).set(value, { ...record, issuedAt: record.issuedAt ?? store.now() });
  return value;
}

/** The token as Graph clients send it: `access_token` in the query or body, or an `Authorization: Bearer|OAuth` header. */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header) : null;
  if (match?.[1]) return match[1].trim();
  const fromQuery = str((request.query as Record<string, unknown>).access_token);
  if (fromQuery) return fromQuery;
  const body = request.body;
  if (body && typeof body === 'object' && !Buffer.isBuffer(body)) return str((body as Record<string, unknown>).access_token);
  return undefined;
}

/** Finds a live token or answers the Graph token error (invalid 190, expired 190/463). */
export function checkToken(store: SandboxStore, value: string | undefined): { record: TokenRecord } | { error: GraphError } {
  if (value === undefined || value === '') return { error: graphErrors.missingToken() };
  const record = tokensOf(store).get(value);
  if (!record) return { error: graphErrors.invalidToken() };
  if (record.expiresAt !== null && record.expiresAt <= store.now()) return { error: graphErrors.expiredToken(record.expiresAt, store.now()) };
  return { record };
}

// ---------------------------------------------------------------------------------------------------------------
// The per-request guard.

export interface NetworkAnswers {
  /** The rate window the request counts against (per account), or none. */
  window(token: TokenRecord): RateWindow | undefined;
  /** Usage headers for a window (X-Business-Use-Case-Usage / X-App-Usage). */
  usageHeaders(account: SandboxAccount, token: TokenRecord, usedPercent: number, regainMinutes: number): Record<string, string>;
  /** The refusal when the window is used up (Graph codes 4/17/32/80001/80002: HTTP 400, never 429). */
  rateLimited(token: TokenRecord): GraphError;
  /** The network's publishing-quota refusal (the `daily_cap` fault). */
  dailyCap(): GraphError;
}

export interface GraphAuth {
  account: SandboxAccount;
  token: TokenRecord;
  /** A `container_error` fault was taken by this (container-creating) request. */
  containerError: boolean;
}

/**
 * Authenticates, counts the request against the rate window, and applies any injected fault. Undefined means the
 * answer has been sent. `containerError: 'take'` marks requests that create a media container; on a network with
 * containers every other request puts a `container_error` fault back for the next container ('defer'); Facebook has
 * no containers and lets it pass ('ignore').
 */
export async function guardGraph(
  ctx: GraphContext,
  request: FastifyRequest,
  reply: FastifyReply,
  answers: NetworkAnswers,
  options: { publish: boolean; containerError?: 'take' | 'defer' | 'ignore' },
): Promise<GraphAuth | undefined> {
  const { store } = ctx;
  const presented = presentedToken(request);
  const record = presented === undefined ? undefined : tokensOf(store).get(presented);
  const accountId = record?.accountIds[0];
  const account = accountId === undefined ? undefined : store.account(accountId);
  if (record && account) bindAccount(store, request, account.id);
  const checked = checkToken(store, presented);
  if ('error' in checked) {
    sendGraphError(reply, checked.error);
    return undefined;
  }
  if (!account) {
    sendGraphError(reply, graphErrors.invalidToken());
    return undefined;
  }
  const token = checked.record;
  const window = answers.window(token);
  if (window) {
    const hit = store.hit(`${token.network}-calls:${account.id}:${token.kind}`, window);
    const used = hit.limit - hit.remaining;
    const regain = hit.allowed ? 0 : Math.max(1, Math.ceil((hit.resetAt - store.now()) / 60_000));
    for (const [name, value] of Object.entries(answers.usageHeaders(account, token, Math.min(100, Math.floor((used / hit.limit) * 100)), regain))) {
      reply.header(name, value);
    }
    if (!hit.allowed) {
      sendGraphError(reply, answers.rateLimited(token));
      return undefined;
    }
  }
  const fault = store.takeFault(account.id, options.publish);
  if (!fault) return { account, token, containerError: false };
  if (await applyTransportFault(store, request, reply, fault)) return undefined;
  switch (fault.kind) {
    case 'lost_response':
    case 'slow':
      return { account, token, containerError: false };
    case 'container_error':
      if (options.containerError === 'take') return { account, token, containerError: true };
      // Not a container-creating request: keep it armed for the next container this account creates.
      if (options.containerError === 'defer' && fault.times !== undefined) store.injectFault(account.id, { kind: 'container_error', times: 1 }, 'publish');
      return { account, token, containerError: false };
    case 'rate_limit': {
      const minutes = Math.max(1, Math.ceil(fault.retryAfterSeconds / 60));
      for (const [name, value] of Object.entries(answers.usageHeaders(account, token, 100, minutes))) reply.header(name, value);
      sendGraphError(reply, answers.rateLimited(token));
      return undefined;
    }
    case 'daily_cap':
      sendGraphError(reply, answers.dailyCap());
      return undefined;
    case 'expired_token':
      sendGraphError(reply, graphErrors.expiredToken(store.now() - 1000, store.now()));
      return undefined;
    default:
      sendGraphError(reply, graphErrors.serverError());
      return undefined;
  }
}

/** `{"<id>":[{type, call_count, total_cputime, total_time, estimated_time_to_regain_access}]}` */
export function bucUsage(id: string, type: string, usedPercent: number, regainMinutes: number): string {
  return JSON.stringify({
    [id]: [{ type, call_count: usedPercent, total_cputime: Math.floor(usedPercent / 4), total_time: Math.floor(usedPercent / 4), estimated_time_to_regain_access: regainMinutes }],
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Request parameters and the Graph router.

/** Query and body merged, as the Graph API reads parameters from either. */
export function paramsOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body && typeof request.body === 'object' && !Buffer.isBuffer(request.body) ? (request.body as Record<string, unknown>) : {};
  return { ...(request.query as Record<string, unknown>), ...body };
}

const uploads = new WeakMap<object, UploadedFile[]>();

/** Files of a multipart Graph request (Facebook `source`). */
export function uploadedFiles(request: FastifyRequest): UploadedFile[] {
  return uploads.get(request.raw) ?? [];
}

export interface GraphCall {
  method: string;
  node: string;
  edge: string | undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * Routes `/{version}/{node}/{edge}` (the version is optional, as on the real hosts) to one handler; a thrown
 * GraphFailure becomes the Graph error body. Explicit routes (OAuth) registered on the app take precedence.
 */
export function graphRouter(app: FastifyInstance, handle: (call: GraphCall) => Promise<unknown>): void {
  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/*',
    handler: async (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      const segments = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
      if (segments[0] && /^v\d+\.\d+$/.test(segments[0])) segments.shift();
      const [node, edge, ...rest] = segments;
      if (!node || rest.length > 0) return sendGraphError(reply, graphErrors.unknownPath(path));
      if (request.isMultipart()) {
        // Multipart fields (access_token, caption…) become the body, as for form posts; files are kept aside.
        const { fields, files } = await readBody(request);
        request.body = fields;
        uploads.set(request.raw, files);
      }
      try {
        return await handle({ method: request.method, node, edge, request, reply });
      } catch (error) {
        if (error instanceof GraphFailure) return sendGraphError(reply, error.graph);
        throw error;
      }
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// OAuth consent page and single-use codes.

export interface AuthorizationCode {
  network: SandboxNetwork;
  accountIds: string[];
  clientId: string;
  redirectUri: string;
  challenge?: string;
  challengeMethod?: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

const codeRegistry = new WeakMap<SandboxStore, Map<string, AuthorizationCode>>();

export function codesOf(store: SandboxStore): Map<string, AuthorizationCode> {
  let map = codeRegistry.get(store);
  if (!map) {
    map = new Map();
    codeRegistry.set(store, map);
  }
  return map;
}

/** RFC 7636: S256 compares base64url(sha256(verifier)); `plain` compares as is. */
export function pkceMatches(code: AuthorizationCode, verifier: string | undefined): boolean {
  if (!code.challenge) return true;
  if (!verifier) return false;
  const computed = code.challengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
  return computed === code.challenge;
}

export interface ConsentOptions {
  network: SandboxNetwork;
  /** Shown in the page title: "Facebook", "Instagram", "Threads". */
  networkName: string;
  /** Facebook lets the person tick several Pages; the others sign in as one account. */
  multiple: boolean;
  /** Bind codes to the PKCE challenge when the client sends one (Facebook Login supports PKCE). */
  pkce: boolean;
  /** Appended to the redirect (Instagram adds `#_`). */
  fragment?: string;
  describe(account: SandboxAccount): string;
}

function consentHtml(options: ConsentOptions, accounts: SandboxAccount[], query: Record<string, string>): string {
  const hidden = Object.entries(query)
    .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`)
    .join('');
  const choices = accounts
    .map((account, index) => {
      const input = options.multiple
        ? `<input type="checkbox" name="account" value="${escapeHtml(account.id)}" checked>`
        : `<input type="radio" name="account" value="${escapeHtml(account.id)}"${index === 0 ? ' checked' : ''}>`;
      return `<li><label>${input} ${escapeHtml(options.describe(account))}</label></li>`;
    })
    .join('');
  const scopes = (query.scope ?? '').split(/[\s,]+/).filter(Boolean).map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
  const title = `Sandbox ${options.networkName}: izin aplikasi`;
  const body = accounts.length === 0
    ? '<p>Belum ada akun di sandbox ini. Buat akun latihan dulu.</p>'
    : `<form method="post">${hidden}
<p>Aplikasi <strong>${escapeHtml(query.client_id ?? '')}</strong> meminta izin ${options.multiple ? 'mengelola Halaman berikut' : 'masuk sebagai akun berikut'}:</p>
<ul>${choices}</ul>${scopes ? `<p>Izin yang diminta:</p><ul>${scopes}</ul>` : ''}
<button type="submit" name="decision" value="allow">Izinkan</button> <button type="submit" name="decision" value="deny">Tolak</button></form>`;
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function redirectWith(uri: string, params: Record<string, string>, fragment = ''): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  url.hash = '';
  return url.toString() + fragment;
}

/**
 * GET shows the consent page listing this network's accounts (citizens are not Siar's to sign in as); POST
 * answers 302 to `redirect_uri?code=…&state=…`, or `error=access_denied` when the person refused.
 */
export function consentRoutes(app: FastifyInstance, ctx: GraphContext, paths: string[], options: ConsentOptions): void {
  const { store } = ctx;
  const candidates = () => store.accounts(options.network).filter((a) => !a.citizen);
  const show = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = Object.fromEntries(Object.entries(request.query as Record<string, unknown>).map(([k, v]) => [k, str(v) ?? '']));
    if (!query.redirect_uri) return reply.code(400).type('text/html; charset=utf-8').send('<!doctype html><p>redirect_uri wajib diisi (redirect_uri is required).</p>');
    return reply.type('text/html; charset=utf-8').send(consentHtml(options, candidates(), query));
  };
  const decide = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = paramsOf(request);
    const redirectUri = str(params.redirect_uri);
    if (!redirectUri || !URL.canParse(redirectUri)) return reply.code(400).type('text/html; charset=utf-8').send('<!doctype html><p>redirect_uri tidak sah (invalid redirect_uri).</p>');
    const state = str(params.state);
    const withState = (values: Record<string, string>) => (state === undefined ? values : { ...values, state });
    if (str(params.decision) === 'deny') {
      return reply.redirect(redirectWith(redirectUri, withState({ error: 'access_denied', error_reason: 'user_denied', error_description: 'Permissions error.' }), options.fragment), 302);
    }
    const allowed = candidates();
    const chosen = (Array.isArray(params.account) ? params.account : params.account === undefined ? [] : [params.account]).map((v) => str(v) ?? '');
    let accountIds = chosen.filter((id) => allowed.some((a) => a.id === id));
    if (chosen.length === 0) accountIds = options.multiple ? allowed.map((a) => a.id) : allowed.slice(0, 1).map((a) => a.id);
    if (accountIds.length === 0) {
      return reply.redirect(redirectWith(redirectUri, withState({ error: 'access_denied', error_reason: 'user_denied', error_description: 'Permissions error.' }), options.fragment), 302);
    }
    const code = randomBytes(32).toString('base64url');
    const challenge = options.pkce ? str(params.code_challenge) : undefined;
    codesOf(store).set(code, {
      network: options.network,
      accountIds,
      clientId: str(params.client_id) ?? '',
      redirectUri,
      ...(challenge ? { challenge, challengeMethod: str(params.code_challenge_method) ?? 'plain' } : {}),
      scopes: (str(params.scope) ?? '').split(/[\s,]+/).filter(Boolean),
      expiresAt: store.now() + 10 * 60_000,
      used: false,
    });
    return reply.redirect(redirectWith(redirectUri, withState({ code }), options.fragment), 302);
  };
  for (const path of paths) {
    app.get(path, show);
    app.post(path, decide);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Pulling media from a URL.

export type FetchedImage = { ok: true; data: Buffer; mime: string } | { ok: false; reason: 'invalid_url' | 'unreachable' | 'timeout' | 'http_status' };

/** Fetches `image_url` as the platform's crawler would; the format is judged from the bytes, not the header. */
export async function fetchImage(url: string | undefined, timeoutMs = 10_000): Promise<FetchedImage> {
  if (!url || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return { ok: false, reason: 'invalid_url' };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    if (!response.ok) return { ok: false, reason: 'http_status' };
    const data = Buffer.from(await response.arrayBuffer());
    return { ok: true, data, mime: sniffMime(data, undefined) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'unreachable' };
  }
}

/** Counts items created within the last `windowMs` (the rolling 24-hour publishing quotas). */
export function countWithin(items: { createdAt: string }[], now: number, windowMs: number): number {
  return items.filter((item) => now - Date.parse(item.createdAt) < windowMs).length;
}

/** Distinct http(s) links in a text (Threads refuses more than five). */
export function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"']+/g) ?? [])];
}

// ---------------------------------------------------------------------------------------------------------------
// Media containers (Instagram and Threads): created, processed for a while, then published once.

export type ContainerStatus = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';

export interface MediaContainer {
  id: string;
  network: SandboxNetwork;
  accountId: string;
  createdAt: string;
  /** Epoch ms when processing ends (FINISHED, or ERROR when `failed`). */
  readyAt: number;
  mediaType: string;
  text: string;
  altText: string;
  isCarouselItem: boolean;
  children: string[];
  image?: { data: Buffer; mime: string; url: string };
  replyTo?: string;
  failed: boolean;
  publishedId?: string;
}

const containerRegistry = new WeakMap<SandboxStore, Map<string, MediaContainer>>();

export function containersOf(store: SandboxStore): Map<string, MediaContainer> {
  let map = containerRegistry.get(store);
  if (!map) {
    map = new Map();
    containerRegistry.set(store, map);
  }
  return map;
}

/** Containers expire 24 hours after creation unless published. */
export const containerLifetimeMs = 24 * 3_600_000;

export function containerStatus(store: SandboxStore, container: MediaContainer): ContainerStatus {
  if (container.publishedId) return 'PUBLISHED';
  const now = store.now();
  if (now - Date.parse(container.createdAt) >= containerLifetimeMs) return 'EXPIRED';
  const children = container.children.map((id) => containersOf(store).get(id)).filter((c): c is MediaContainer => c !== undefined);
  const readyAt = Math.max(container.readyAt, ...children.map((c) => c.readyAt));
  if (now < readyAt) return 'IN_PROGRESS';
  return container.failed || children.some((c) => c.failed) ? 'ERROR' : 'FINISHED';
}

/**
 * Instagram's and Threads' long-lived tokens (the same rules under their own grant names): a
 * short-lived token exchanged once (with the app secret) for one that lasts `seconds`, and a
 * long-lived one refreshed, but only once it is at least a day old.
 */
export function longLivedToken(
  ctx: GraphContext,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { network: TokenRecord['network']; grant: string; exchange: boolean; prefix: string; seconds: number },
): unknown {
  const { store } = ctx;
  const params = paramsOf(request);
  if (str(params.grant_type) !== options.grant) return sendGraphError(reply, graphErrors.invalidParameter(`Unsupported grant_type: expected ${options.grant}`));
  if (options.exchange && !str(params.client_secret)) return sendGraphError(reply, graphErrors.invalidParameter('Missing client_secret parameter.'));
  const checked = checkToken(store, str(params.access_token));
  if ('error' in checked) return sendGraphError(reply, checked.error);
  const record = checked.record;
  if (record.network !== options.network) return sendGraphError(reply, graphErrors.invalidToken());
  if (options.exchange && record.longLived) return sendGraphError(reply, graphErrors.invalidParameter('The access token is already a long-lived token.'));
  if (!options.exchange) {
    if (!record.longLived) return sendGraphError(reply, graphErrors.invalidParameter('Only long-lived access tokens can be refreshed.'));
    if (store.now() - record.issuedAt < 86_400_000) return sendGraphError(reply, graphErrors.invalidParameter('The access token can be refreshed only once it is at least 24 hours old.'));
  }
  const token = issueToken(store, options.prefix, { ...record, longLived: true, expiresAt: store.now() + options.seconds * 1000, issuedAt: store.now() });
  return { access_token: token, token_type: 'bearer', expires_in: options.seconds };
}

