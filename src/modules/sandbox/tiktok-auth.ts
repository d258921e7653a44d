/**
 * TikTok Login Kit for the simulated TikTok: the consent page at www.tiktok.com's /v2/auth/authorize/, the token
 * endpoint at open.tiktokapis.com's /v2/oauth/token/ (authorization_code with optional PKCE, refresh_token with
 * rotation), revocation, and how every API call is admitted: bearer token, scope, the per-token rate windows,
 * and injected faults, all answered in TikTok's {data, error: {code, message, log_id}} envelope.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxStore } from './store.ts';
import type { RateWindow, SandboxAccount } from './types.ts';
import { applyTransportFault, bindAccount, escapeHtml, readBody, str } from './http.ts';

export interface TiktokContext {
  store: SandboxStore;
  baseUrl: () => string;
  webUrl: () => string;
}

export const tiktokDefaultScopes = ['user.info.basic', 'video.publish', 'video.upload', 'video.list'];

export interface TiktokToken {
  accountId: string;
  kind: 'access' | 'refresh';
  expiresAt: number;
  scopes: string[];
}

interface PendingCode {
  accountId: string;
  clientKey: string;
  redirectUri: string;
  challenge: string | null;
  scopes: string[];
  expiresAt: number;
}

interface AuthState {
  tokens: Map<string, TiktokToken>;
  codes: Map<string, PendingCode>;
}

const states = new WeakMap<SandboxStore, AuthState>();

function stateOf(store: SandboxStore): AuthState {
  let state = states.get(store);
  if (!state) {
    state = { tokens: new Map(), codes: new Map() };
    states.set(store, state);
  }
  return state;
}

export function registerTiktokToken(store: SandboxStore, value: string, token: TiktokToken): void {
  stateOf(store).tokens.set(value, token);
}

export function newTiktokAccessToken(): string {
  return 'act.' + randomBytes(36).toString('hex') + '!4591.va';
}

export function newTiktokRefreshToken(): string {
  return 'rft.' + randomBytes(36).toString('hex') + '!4582.va';
}

/** TikTok's log ids: a timestamp then random hex, quoted when contacting support. */
export function logId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/\D/g, '').slice(0, 14);
  return stamp + randomBytes(9).toString('hex').toUpperCase();
}

/** An API answer in TikTok's envelope; `error.code` is "ok" on success. */
export function tiktokAnswer(ctx: TiktokContext, reply: FastifyReply, data: Record<string, unknown>): FastifyReply {
  return reply.code(200).send({ data, error: { code: 'ok', message: '', log_id: logId(ctx.store.now()) } });
}

export function tiktokError(ctx: TiktokContext, reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ data: {}, error: { code, message, log_id: logId(ctx.store.now()) } });
}

function oauthError(ctx: TiktokContext, reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply.code(status).send({ error, error_description: description, log_id: logId(ctx.store.now()) });
}

/**
 * PKCE S256. RFC 7636 encodes the digest base64url; TikTok's desktop guide asks for it hex-encoded. Both are taken.
 */
function verifierMatches(challenge: string, verifier: string): boolean {
  const digest = createHash('sha256').update(verifier).digest();
  return challenge === digest.toString('base64url') || challenge.toLowerCase() === digest.toString('hex');
}

function consentPage(accounts: SandboxAccount[], query: Record<string, string>, problem?: string): string {
  const hidden = Object.entries(query)
    .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`)
    .join('');
  const choices = accounts
    .map((account, index) => `<li><label><input type="radio" name="account" value="${escapeHtml(account.id)}"${index === 0 ? ' checked' : ''}> ${escapeHtml(account.displayName)} (@${escapeHtml(account.handle)})</label></li>`)
    .join('');
  const scopes = (query.scope ?? '').split(',').filter(Boolean).map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
  const body = problem
    ? `<p>${escapeHtml(problem)}</p>`
    : `<p>Aplikasi <code>${escapeHtml(query.client_key ?? '')}</code> meminta izin atas akun TikTok Anda:</p><ul>${scopes}</ul>
<form method="post">${hidden}<p>Pilih akun:</p><ul>${choices || '<li>Belum ada akun TikTok di sandbox.</li>'}</ul>
${accounts.length > 0 ? '<button type="submit" name="decision" value="allow">Izinkan</button> ' : ''}<button type="submit" name="decision" value="deny">Tolak</button></form>`;
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Sandbox TikTok: izin akses</title></head>
<body><h1>Masuk dengan TikTok (sandbox)</h1>${body}</body></html>`;
}

function withParams(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

function issue(ctx: TiktokContext, accountId: string, scopes: string[], refreshExpiresAt: number): Record<string, unknown> {
  const { store } = ctx;
  const lifetime = store.limits.tiktokAccessTokenSeconds;
  const accessToken = newTiktokAccessToken();
  const refreshToken = newTiktokRefreshToken();
  registerTiktokToken(store, accessToken, { accountId, kind: 'access', expiresAt: store.now() + lifetime * 1000, scopes });
  registerTiktokToken(store, refreshToken, { accountId, kind: 'refresh', expiresAt: refreshExpiresAt, scopes });
  return {
    access_token: accessToken,
    expires_in: lifetime,
    open_id: store.account(accountId)?.externalAccountId ?? '',
    refresh_expires_in: Math.max(0, Math.floor((refreshExpiresAt - store.now()) / 1000)),
    refresh_token: refreshToken,
    scope: scopes.join(','),
    token_type: 'Bearer',
  };
}

export function registerTiktokAuth(app: FastifyInstance, ctx: TiktokContext): void {
  const { store } = ctx;
  const state = stateOf(store);
  const choosable = (): SandboxAccount[] => store.accounts('tiktok').filter((a) => !a.citizen);

  app.get('/v2/auth/authorize', async (request, reply) => {
    const query = Object.fromEntries(Object.entries(request.query as Record<string, unknown>).map(([k, v]) => [k, str(v) ?? '']));
    const missing = ['client_key', 'scope', 'redirect_uri', 'response_type'].filter((key) => !query[key]);
    let problem: string | undefined;
    if (missing.length > 0) problem = `Ada yang salah (param_error): parameter ${missing.join(', ')} tidak ada.`;
    else if (query.response_type !== 'code') problem = 'Ada yang salah (param_error): response_type harus code.';
    else if (query.code_challenge && (query.code_challenge_method ?? 'S256') !== 'S256') problem = 'Ada yang salah (param_error): code_challenge_method harus S256.';
    return reply.code(problem ? 400 : 200).type('text/html; charset=utf-8').send(consentPage(choosable(), query, problem));
  });

  app.post('/v2/auth/authorize', async (request, reply) => {
    const { fields } = await readBody(request);
    const field = (key: string): string => str(fields[key]) ?? '';
    const redirectUri = field('redirect_uri');
    if (!/^https?:\/\//.test(redirectUri)) return reply.code(400).type('text/plain').send('redirect_uri tidak sah');
    const stateParam = field('state') || undefined;
    if (field('decision') !== 'allow') {
      return reply.redirect(withParams(redirectUri, { error: 'access_denied', error_description: 'The user denied the authorization request.', state: stateParam }), 302);
    }
    const account = choosable().find((a) => a.id === field('account'));
    if (!account) return reply.code(400).type('text/plain').send('Pilih akun terlebih dahulu.');
    // Real codes carry characters such as * and ! that must be URL-decoded before the exchange.
    const code = randomBytes(30).toString('base64url') + '*0!' + randomBytes(4).toString('hex') + '.va';
    const scopes = field('scope').split(',').map((s) => s.trim()).filter(Boolean);
    state.codes.set(code, {
      accountId: account.id,
      clientKey: field('client_key'),
      redirectUri,
      challenge: field('code_challenge') || null,
      scopes,
      expiresAt: store.now() + 10 * 60_000,
    });
    return reply.redirect(withParams(redirectUri, { code, scopes: scopes.join(','), state: stateParam }), 302);
  });

  app.post('/v2/oauth/token', async (request, reply) => {
    const { fields } = await readBody(request);
    const field = (key: string): string => str(fields[key]) ?? '';
    const grant = field('grant_type');
    if (!field('client_key')) return oauthError(ctx, reply, 400, 'invalid_request', 'client_key is required.');
    if (grant === 'authorization_code') {
      const code = field('code');
      const pending = state.codes.get(code);
      state.codes.delete(code);
      if (!pending) return oauthError(ctx, reply, 400, 'invalid_grant', 'Authorization code is invalid or has been used.');
      if (pending.expiresAt <= store.now()) return oauthError(ctx, reply, 400, 'invalid_grant', 'Authorization code is expired.');
      if (pending.clientKey !== field('client_key')) return oauthError(ctx, reply, 400, 'invalid_grant', 'Authorization code was issued to another client.');
      if (pending.redirectUri !== field('redirect_uri')) return oauthError(ctx, reply, 400, 'invalid_grant', 'Redirect URI does not match the one used in the authorization request.');
      if (pending.challenge !== null && !verifierMatches(pending.challenge, field('code_verifier'))) {
        return oauthError(ctx, reply, 400, 'invalid_request', 'Code verifier or code challenge is invalid.');
      }
      return reply.send(issue(ctx, pending.accountId, pending.scopes, store.now() + store.limits.tiktokRefreshTokenSeconds * 1000));
    }
    if (grant === 'refresh_token') {
      const presented = field('refresh_token');
      const refresh = state.tokens.get(presented);
      if (!refresh || refresh.kind !== 'refresh' || refresh.expiresAt <= store.now()) {
        return oauthError(ctx, reply, 400, 'invalid_grant', 'Refresh token is invalid or expired.');
      }
      // Rotation: the refresh token just used stops working; the grant keeps its original end.
      state.tokens.delete(presented);
      return reply.send(issue(ctx, refresh.accountId, refresh.scopes, refresh.expiresAt));
    }
    return oauthError(ctx, reply, 400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.');
  });

  app.post('/v2/oauth/revoke', async (request, reply) => {
    const { fields } = await readBody(request);
    const found = state.tokens.get(str(fields.token) ?? '');
    if (found) for (const [key, token] of state.tokens) if (token.accountId === found.accountId) state.tokens.delete(key);
    return reply.send({});
  });
}

export interface TiktokCall {
  account: SandboxAccount;
  token: string;
}

/**
 * Admits an API call: bearer token (401 access_token_invalid), scope (401 scope_not_authorized), the per-token
 * window for this endpoint (429 rate_limit_exceeded), then an injected fault. Undefined means the answer was sent.
 */
export async function admit(
  ctx: TiktokContext,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { scopes: readonly string[]; window: RateWindow; endpoint: string; publish: boolean },
): Promise<TiktokCall | undefined> {
  const { store } = ctx;
  const header = request.headers.authorization;
  const presented = header ? /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() : undefined;
  const token = presented ? stateOf(store).tokens.get(presented) : undefined;
  const account = token?.kind === 'access' ? store.account(token.accountId) : undefined;
  if (!presented || !token || !account) {
    tiktokError(ctx, reply, 401, 'access_token_invalid', 'The access token is invalid or not found in the request.');
    return undefined;
  }
  bindAccount(store, request, account.id);
  if (token.expiresAt <= store.now()) {
    tiktokError(ctx, reply, 401, 'access_token_invalid', 'The access token is invalid or not found in the request.');
    return undefined;
  }
  if (!token.scopes.some((scope) => options.scopes.includes(scope))) {
    tiktokError(ctx, reply, 401, 'scope_not_authorized', 'The user did not authorize the scope required for completing this request.');
    return undefined;
  }
  if (!store.hit(`tiktok:${options.endpoint}:${presented}`, options.window).allowed) {
    tiktokError(ctx, reply, 429, 'rate_limit_exceeded', 'The API rate limit was exceeded. Please try again later.');
    return undefined;
  }
  const fault = store.takeFault(account.id, options.publish);
  if (fault) {
    if (await applyTransportFault(store, request, reply, fault)) return undefined;
    switch (fault.kind) {
      case 'lost_response':
      case 'slow':
        break;
      case 'rate_limit':
        // TikTok documents no Retry-After or rate-limit headers; the client only sees the 429.
        tiktokError(ctx, reply, 429, 'rate_limit_exceeded', 'The API rate limit was exceeded. Please try again later.');
        return undefined;
      case 'daily_cap':
        tiktokError(ctx, reply, 403, 'spam_risk_too_many_posts', 'The daily post cap from the API is reached for the current user.');
        return undefined;
      case 'expired_token':
        tiktokError(ctx, reply, 401, 'access_token_invalid', 'The access token is invalid or not found in the request.');
        return undefined;
      default:
        tiktokError(ctx, reply, 500, 'internal_error', 'Something went wrong. Please try again later.');
        return undefined;
    }
  }
  return { account, token: presented };
}
