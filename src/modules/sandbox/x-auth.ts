/**
 * How the simulated X admits a caller: the OAuth 2.0 consent page (x.com/i/oauth2/authorize), the token endpoint
 * (api.x.com/2/oauth2/token: authorization code with PKCE, rotating refresh tokens), revocation, and the guard every
 * API route goes through: bearer token (401 when unknown or expired), scopes (403), the endpoint's per-user
 * 15-minute window with x-rate-limit-* headers (429), and injected faults answered the way X answers them.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxAccount, RateWindow } from './types.ts';
import { applyTransportFault, bindAccount, escapeHtml, str } from './http.ts';
import {
  forbidden,
  oauthError,
  problem,
  secondsCeil,
  tooManyRequests,
  unauthorized,
  xOpaqueToken,
  xState,
} from './x-state.ts';
import type { XAccessToken, XContext } from './x-state.ts';

export interface XEndpoint {
  /** Method and path as X's rate-limit table names it. */
  key: string;
  /** The per-user window (15 minutes unless X documents otherwise). */
  window: (ctx: XContext) => RateWindow;
  /** Publishing endpoints take injected faults by default. */
  publish: boolean;
  /** OAuth 2.0 scopes X requires for the endpoint. */
  scopes: string[];
  /** The per-app 24-hour window, where X sends x-app-limit-24hour-* (POST /2/tweets). */
  appWindow?: (ctx: XContext) => RateWindow;
}

const quarter = (limit: number) => (): RateWindow => ({ limit, windowSeconds: 900 });
const read = ['tweet.read', 'users.read'];
const write = ['tweet.read', 'tweet.write', 'users.read'];

/** Per-user limits from X's published rate-limit table (docs.x.com, "X API Rate Limits"). */
export const xEndpoints = {
  createTweet: { key: 'POST /2/tweets', window: (ctx) => ctx.store.limits.xTweetsPerUser, publish: true, scopes: write, appWindow: (ctx) => ctx.store.limits.xTweetsPerApp },
  deleteTweet: { key: 'DELETE /2/tweets/:id', window: quarter(50), publish: false, scopes: write },
  tweet: { key: 'GET /2/tweets/:id', window: quarter(900), publish: false, scopes: read },
  tweets: { key: 'GET /2/tweets', window: quarter(5000), publish: false, scopes: read },
  timeline: { key: 'GET /2/users/:id/tweets', window: quarter(900), publish: false, scopes: read },
  search: { key: 'GET /2/tweets/search/recent', window: quarter(300), publish: false, scopes: read },
  me: { key: 'GET /2/users/me', window: quarter(75), publish: false, scopes: read },
  user: { key: 'GET /2/users/:id', window: quarter(900), publish: false, scopes: read },
  upload: { key: 'POST /2/media/upload', window: quarter(500), publish: true, scopes: ['media.write'] },
  uploadStatus: { key: 'GET /2/media/upload', window: quarter(1000), publish: false, scopes: ['media.write'] },
  initialize: { key: 'POST /2/media/upload/initialize', window: quarter(1875), publish: true, scopes: ['media.write'] },
  append: { key: 'POST /2/media/upload/:id/append', window: quarter(1875), publish: true, scopes: ['media.write'] },
  finalize: { key: 'POST /2/media/upload/:id/finalize', window: quarter(1875), publish: true, scopes: ['media.write'] },
  metadata: { key: 'POST /2/media/metadata', window: quarter(500), publish: true, scopes: ['media.write'] },
} satisfies Record<string, XEndpoint>;

export interface Admitted {
  account: SandboxAccount;
  grant: XAccessToken;
}

function setWindowHeaders(reply: FastifyReply, prefix: string, limit: number, remaining: number, resetAt: number): void {
  reply.header(`${prefix}-limit`, String(limit));
  reply.header(`${prefix}-remaining`, String(remaining));
  reply.header(`${prefix}-reset`, secondsCeil(resetAt));
}

/** End of the fixed window the store counts `window` in (epoch-aligned). */
function windowEnd(now: number, window: RateWindow): number {
  const period = window.windowSeconds * 1000;
  return (Math.floor(now / period) + 1) * period;
}

/** Admits the caller or sends X's refusal; undefined means a response has been sent. */
export async function guard(ctx: XContext, request: FastifyRequest, reply: FastifyReply, endpoint: XEndpoint): Promise<Admitted | undefined> {
  const { store } = ctx;
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  const grant = match?.[1] ? xState(store).accessTokens.get(match[1]) : undefined;
  const account = grant ? store.account(grant.accountId) : undefined;
  if (!grant || !account) {
    unauthorized(reply);
    return undefined;
  }
  bindAccount(store, request, account.id);
  if (grant.expiresAt <= store.now()) {
    unauthorized(reply);
    return undefined;
  }
  if (!endpoint.scopes.every((scope) => grant.scope.includes(scope))) {
    forbidden(reply, 'Forbidden');
    return undefined;
  }
  const window = endpoint.window(ctx);
  const hit = store.hit(`x:${account.id}:${endpoint.key}`, window);
  setWindowHeaders(reply, 'x-rate-limit', hit.limit, hit.remaining, hit.resetAt);
  if (!hit.allowed) {
    tooManyRequests(reply);
    return undefined;
  }
  const fault = store.takeFault(account.id, endpoint.publish);
  if (fault) {
    if (await applyTransportFault(store, request, reply, fault)) return undefined;
    switch (fault.kind) {
      case 'lost_response':
      case 'slow':
        break;
      case 'rate_limit':
        // X sends no Retry-After: the client reads the absolute reset time.
        setWindowHeaders(reply, 'x-rate-limit', hit.limit, 0, store.now() + fault.retryAfterSeconds * 1000);
        tooManyRequests(reply);
        return undefined;
      case 'daily_cap': {
        // The 15-minute window still has room; it is the app's 24-hour posting quota that is spent.
        const daily = (endpoint.appWindow ?? xEndpoints.createTweet.appWindow)(ctx);
        setWindowHeaders(reply, 'x-app-limit-24hour', daily.limit, 0, windowEnd(store.now(), daily));
        tooManyRequests(reply);
        return undefined;
      }
      case 'expired_token':
        unauthorized(reply);
        return undefined;
      default:
        problem(reply, 500, 'Internal Server Error', 'Internal Server Error');
        return undefined;
    }
  }
  if (endpoint.appWindow) {
    const daily = endpoint.appWindow(ctx);
    const appHit = store.hit(`x-app:${grant.clientId || 'sandbox'}:${endpoint.key}`, daily);
    if (!appHit.allowed) {
      setWindowHeaders(reply, 'x-app-limit-24hour', appHit.limit, 0, appHit.resetAt);
      tooManyRequests(reply);
      return undefined;
    }
  }
  return { account, grant };
}

/** Issues a fresh access token (and a refresh token with offline.access) and keeps the account's credentials current. */
export function issueTokens(ctx: XContext, accountId: string, scope: string[], clientId: string): Record<string, unknown> {
  const { store } = ctx;
  const state = xState(store);
  const now = store.now();
  const accessToken = xOpaqueToken('at', now);
  const expiresAt = now + store.limits.xAccessTokenSeconds * 1000;
  state.accessTokens.set(accessToken, { accountId, scope, clientId, expiresAt });
  const body: Record<string, unknown> = {
    token_type: 'bearer',
    expires_in: store.limits.xAccessTokenSeconds,
    access_token: accessToken,
    scope: scope.join(' '),
  };
  const account = store.account(accountId);
  if (account) Object.assign(account.credentials, { accessToken, expiresAt: new Date(expiresAt).toISOString() });
  if (scope.includes('offline.access')) {
    const refreshToken = xOpaqueToken('rt', now);
    state.refreshTokens.set(refreshToken, { accountId, scope, clientId });
    body.refresh_token = refreshToken;
    if (account) account.credentials.refreshToken = refreshToken;
  }
  return body;
}

function challengeOf(verifier: string, method: 'S256' | 'plain'): string {
  return method === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
}

interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  state: string;
  scope: string[];
  challenge: string;
  method: 'S256' | 'plain';
}

/** The authorize request as X checks it; a string is the reason it is refused. */
function authorizeParams(input: Record<string, unknown>): AuthorizeParams | string {
  const responseType = str(input.response_type);
  const clientId = str(input.client_id) ?? '';
  const redirectUri = str(input.redirect_uri) ?? '';
  const challenge = str(input.code_challenge) ?? '';
  const method = (str(input.code_challenge_method) ?? '').toLowerCase();
  if (responseType !== 'code') return 'response_type harus "code".';
  if (clientId === '') return 'client_id tidak ada.';
  if (!URL.canParse(redirectUri)) return 'redirect_uri tidak sah.';
  if (challenge === '') return 'code_challenge (PKCE) tidak ada: X mewajibkan PKCE.';
  if (method !== 's256' && method !== 'plain') return 'code_challenge_method harus S256 atau plain.';
  const scope = (str(input.scope) ?? '').split(/[\s+]+/).filter(Boolean);
  return { clientId, redirectUri, state: str(input.state) ?? '', scope, challenge, method: method === 'plain' ? 'plain' : 'S256' };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}
label{display:block;border:1px solid #ccc;border-radius:8px;padding:.5rem .75rem;margin:.5rem 0}
button{font:inherit;padding:.5rem 1.25rem;margin-right:.5rem;border-radius:999px;border:1px solid #111}
button.allow{background:#111;color:#fff}.note{color:#555;font-size:.9rem}</style></head><body>${body}</body></html>`;
}

function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

export function registerXAuth(app: FastifyInstance, ctx: XContext): void {
  const { store } = ctx;

  app.get('/i/oauth2/authorize', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const params = authorizeParams(query);
    if (typeof params === 'string') {
      return reply.code(400).type('text/html; charset=utf-8').send(page('Sandbox X: otorisasi gagal', `<h1>Ada yang salah</h1><p>Aplikasi tidak bisa diberi akses: ${escapeHtml(params)}</p>`));
    }
    const accounts = store.accounts('x').filter((a) => !a.citizen);
    const hidden = ['response_type', 'client_id', 'redirect_uri', 'state', 'scope', 'code_challenge', 'code_challenge_method']
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(str(query[name]) ?? '')}">`)
      .join('');
    const choices = accounts
      .map((a, i) => `<label><input type="radio" name="account" value="${escapeHtml(a.id)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(a.displayName)} <span class="note">@${escapeHtml(a.handle)}</span></label>`)
      .join('');
    const scopes = params.scope.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
    const body = `<h1>Izinkan aplikasi mengakses akun X Anda?</h1>
<p class="note">Sandbox X Siar: tidak ada yang terkirim ke X sungguhan. Aplikasi <code>${escapeHtml(params.clientId)}</code> meminta izin:</p><ul>${scopes}</ul>
<form method="post" action="/i/oauth2/authorize">${hidden}
${choices || '<p>Belum ada akun X di sandbox. Buat akun dulu di halaman sandbox.</p>'}
${accounts.length > 0 ? '<button class="allow" name="keputusan" value="izinkan">Izinkan</button>' : ''}<button name="keputusan" value="tolak">Tolak</button></form>`;
    return reply.type('text/html; charset=utf-8').send(page('Sandbox X: otorisasi aplikasi', body));
  });

  app.post('/i/oauth2/authorize', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, unknown>;
    const params = authorizeParams(form);
    if (typeof params === 'string') {
      return reply.code(400).type('text/html; charset=utf-8').send(page('Sandbox X: otorisasi gagal', `<h1>Ada yang salah</h1><p>${escapeHtml(params)}</p>`));
    }
    const back = (extra: Record<string, string>) => reply.redirect(withQuery(params.redirectUri, { ...(params.state ? { state: params.state } : {}), ...extra }), 302);
    if (str(form.keputusan) !== 'izinkan') return back({ error: 'access_denied' });
    const account = store.account(str(form.account) ?? '');
    if (!account || account.network !== 'x' || account.citizen) return back({ error: 'access_denied' });
    const code = xOpaqueToken('ac', store.now());
    xState(store).codes.set(code, {
      accountId: account.id,
      clientId: params.clientId,
      redirectUri: params.redirectUri,
      scope: params.scope,
      challenge: params.challenge,
      method: params.method,
      expiresAt: store.now() + store.limits.xAuthorizationCodeSeconds * 1000,
    });
    return back({ code });
  });

  app.post('/2/oauth2/token', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const basicClient = basic?.[1] ? Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0] : undefined;
    const clientId = basicClient || str(body.client_id);
    if (!clientId) return oauthError(reply, 401, 'unauthorized_client', 'Missing valid authorization header');
    const state = xState(store);
    const grantType = str(body.grant_type);
    if (grantType === 'authorization_code') {
      for (const name of ['code', 'redirect_uri', 'code_verifier']) {
        if (!str(body[name])) return oauthError(reply, 400, 'invalid_request', `Missing required parameter [${name}].`);
      }
      const codeValue = str(body.code) ?? '';
      const code = state.codes.get(codeValue);
      // Codes are single use: a second exchange fails even when the first did.
      state.codes.delete(codeValue);
      const valid = code !== undefined
        && code.expiresAt > store.now()
        && code.clientId === clientId
        && code.redirectUri === str(body.redirect_uri)
        && challengeOf(str(body.code_verifier) ?? '', code.method) === code.challenge;
      if (!code || !valid) return oauthError(reply, 400, 'invalid_request', 'Value passed for the authorization code was invalid.');
      return issueTokens(ctx, code.accountId, code.scope, clientId);
    }
    if (grantType === 'refresh_token') {
      const presented = str(body.refresh_token) ?? '';
      const grant = state.refreshTokens.get(presented);
      // Accounts the sandbox made itself were granted to no particular client ('').
      if (!grant || (grant.clientId !== '' && grant.clientId !== clientId)) return oauthError(reply, 400, 'invalid_request', 'Value passed for the token was invalid.');
      // Refresh tokens rotate: the one just used is spent.
      state.refreshTokens.delete(presented);
      return issueTokens(ctx, grant.accountId, grant.scope, clientId);
    }
    return oauthError(reply, 400, 'invalid_request', 'Value passed for the grant type was invalid.');
  });

  app.post('/2/oauth2/revoke', async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const token = str(body.token) ?? '';
    const state = xState(store);
    const revoked = state.accessTokens.delete(token) || state.refreshTokens.delete(token);
    return { revoked };
  });
}
