/**
 * Google sign-in for the simulated YouTube: the consent page at accounts.google.com's path, the token endpoint at
 * oauth2.googleapis.com's path (authorization_code with PKCE, refresh_token), revocation, and the token registry the
 * YouTube API checks. Google does not rotate refresh tokens; it issues one only for access_type=offline.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SandboxStore } from './store.ts';
import type { SandboxAccount } from './types.ts';
import { escapeHtml, readBody, str } from './http.ts';

export const youtubeScopes = {
  upload: 'https://www.googleapis.com/auth/youtube.upload',
  forceSsl: 'https://www.googleapis.com/auth/youtube.force-ssl',
  readonly: 'https://www.googleapis.com/auth/youtube.readonly',
  full: 'https://www.googleapis.com/auth/youtube',
} as const;

/** What an account made by the sandbox (not through the consent page) is signed in with. */
export const defaultYoutubeScopes = [youtubeScopes.upload, youtubeScopes.forceSsl, youtubeScopes.readonly];

/** Accounts made directly share one Google Cloud project, as every channel of one Siar installation does. */
export const sandboxGoogleProject = '000000000000-siarsandbox.apps.googleusercontent.com';

export interface YoutubeToken {
  accountId: string;
  kind: 'access' | 'refresh';
  /** Epoch ms; refresh tokens do not expire here. */
  expiresAt: number | null;
  scopes: string[];
  /** The OAuth client (Google Cloud project) the quota is charged to. */
  project: string;
}

interface PendingCode {
  accountId: string;
  clientId: string;
  redirectUri: string;
  challenge: string | null;
  method: string;
  scopes: string[];
  offline: boolean;
  expiresAt: number;
}

interface OAuthState {
  tokens: Map<string, YoutubeToken>;
  codes: Map<string, PendingCode>;
}

const states = new WeakMap<SandboxStore, OAuthState>();

function stateOf(store: SandboxStore): OAuthState {
  let state = states.get(store);
  if (!state) {
    state = { tokens: new Map(), codes: new Map() };
    states.set(store, state);
  }
  return state;
}

export function youtubeToken(store: SandboxStore, value: string): YoutubeToken | undefined {
  return stateOf(store).tokens.get(value);
}

/** Google access tokens start with `ya29.`, refresh tokens with `1//`. */
export function newAccessToken(): string {
  return 'ya29.' + randomBytes(48).toString('base64url');
}

export function newRefreshToken(): string {
  return '1//0g' + randomBytes(40).toString('base64url');
}

export function registerYoutubeToken(store: SandboxStore, value: string, token: YoutubeToken): void {
  stateOf(store).tokens.set(value, token);
}

function tokenError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description });
}

/** PKCE as RFC 7636 defines it (Google accepts S256 and plain). */
function verifierMatches(challenge: string, method: string, verifier: string): boolean {
  if (method === 'plain') return challenge === verifier;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

function consentPage(accounts: SandboxAccount[], query: Record<string, string>, problem?: string): string {
  const hidden = Object.entries(query)
    .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`)
    .join('');
  const choices = accounts
    .map((account, index) => `<li><label><input type="radio" name="account" value="${escapeHtml(account.id)}"${index === 0 ? ' checked' : ''}> ${escapeHtml(account.displayName)} (@${escapeHtml(account.handle)})</label></li>`)
    .join('');
  const scopes = (query.scope ?? '').split(/\s+/).filter(Boolean).map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
  const body = problem
    ? `<p>${escapeHtml(problem)}</p>`
    : `<p>Aplikasi <code>${escapeHtml(query.client_id ?? '')}</code> meminta izin untuk mengelola kanal YouTube Anda:</p><ul>${scopes}</ul>
<form method="post">${hidden}<p>Pilih kanal:</p><ul>${choices || '<li>Belum ada kanal YouTube di sandbox.</li>'}</ul>
${accounts.length > 0 ? '<button type="submit" name="decision" value="allow">Izinkan</button> ' : ''}<button type="submit" name="decision" value="deny">Tolak</button></form>`;
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Sandbox Google: izin akses YouTube</title></head>
<body><h1>Masuk dengan Google (sandbox)</h1>${body}</body></html>`;
}

function withParams(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

export function registerYoutubeOAuth(app: FastifyInstance, store: SandboxStore): void {
  const state = stateOf(store);
  const choosable = (): SandboxAccount[] => store.accounts('youtube').filter((a) => !a.citizen);

  app.get('/o/oauth2/v2/auth', async (request, reply) => {
    const query = Object.fromEntries(
      Object.entries(request.query as Record<string, unknown>).map(([k, v]) => [k, str(v) ?? '']),
    );
    const missing = ['client_id', 'redirect_uri', 'response_type', 'scope'].filter((key) => !query[key]);
    let problem: string | undefined;
    if (missing.length > 0) problem = `Permintaan tidak lengkap (Error 400: invalid_request): parameter ${missing.join(', ')} tidak ada.`;
    else if (query.response_type !== 'code') problem = 'Error 400: unsupported_response_type. Hanya response_type=code yang didukung.';
    else if (query.code_challenge && !['S256', 'plain', ''].includes(query.code_challenge_method ?? '')) problem = 'Error 400: invalid_request. code_challenge_method tidak dikenal.';
    return reply
      .code(problem ? 400 : 200)
      .type('text/html; charset=utf-8')
      .send(consentPage(choosable(), query, problem));
  });

  app.post('/o/oauth2/v2/auth', async (request, reply) => {
    const { fields } = await readBody(request);
    const field = (key: string): string => str(fields[key]) ?? '';
    const redirectUri = field('redirect_uri');
    if (!/^https?:\/\//.test(redirectUri)) return reply.code(400).type('text/plain').send('Error 400: redirect_uri_mismatch');
    const stateParam = field('state') || undefined;
    if (field('decision') !== 'allow') {
      return reply.redirect(withParams(redirectUri, { error: 'access_denied', state: stateParam }), 302);
    }
    const account = choosable().find((a) => a.id === field('account'));
    if (!account) return reply.code(400).type('text/plain').send('Pilih kanal terlebih dahulu.');
    const code = '4/0A' + randomBytes(32).toString('base64url');
    const scopes = field('scope').split(/\s+/).filter(Boolean);
    state.codes.set(code, {
      accountId: account.id,
      clientId: field('client_id'),
      redirectUri,
      challenge: field('code_challenge') || null,
      method: field('code_challenge_method') || 'plain',
      scopes,
      offline: field('access_type') === 'offline',
      expiresAt: store.now() + 10 * 60_000,
    });
    return reply.redirect(withParams(redirectUri, { state: stateParam, code, scope: scopes.join(' ') }), 302);
  });

  app.post('/token', async (request, reply) => {
    const { fields } = await readBody(request);
    const field = (key: string): string => str(fields[key]) ?? '';
    const grant = field('grant_type');
    const lifetime = store.limits.youtubeAccessTokenSeconds;
    if (grant === 'authorization_code') {
      const pending = state.codes.get(field('code'));
      // Codes are single-use whatever the outcome, as at Google.
      state.codes.delete(field('code'));
      if (!pending || pending.expiresAt <= store.now()) return tokenError(reply, 400, 'invalid_grant', 'Bad Request');
      if (pending.clientId !== field('client_id')) return tokenError(reply, 400, 'invalid_grant', 'Bad Request');
      if (pending.redirectUri !== field('redirect_uri')) return tokenError(reply, 400, 'redirect_uri_mismatch', 'Bad Request');
      const verifier = field('code_verifier');
      if (pending.challenge === null && verifier !== '') return tokenError(reply, 400, 'invalid_grant', 'code_verifier or verifier is not needed.');
      if (pending.challenge !== null && verifier === '') return tokenError(reply, 400, 'invalid_grant', 'Missing code verifier.');
      if (pending.challenge !== null && !verifierMatches(pending.challenge, pending.method, verifier)) {
        return tokenError(reply, 400, 'invalid_grant', 'Invalid code verifier.');
      }
      const accessToken = newAccessToken();
      registerYoutubeToken(store, accessToken, {
        accountId: pending.accountId, kind: 'access', expiresAt: store.now() + lifetime * 1000, scopes: pending.scopes, project: pending.clientId,
      });
      const answer: Record<string, unknown> = { access_token: accessToken, expires_in: lifetime - 1, scope: pending.scopes.join(' '), token_type: 'Bearer' };
      if (pending.offline) {
        const refreshToken = newRefreshToken();
        registerYoutubeToken(store, refreshToken, { accountId: pending.accountId, kind: 'refresh', expiresAt: null, scopes: pending.scopes, project: pending.clientId });
        answer.refresh_token = refreshToken;
      }
      return reply.header('cache-control', 'no-store').send(answer);
    }
    if (grant === 'refresh_token') {
      const refresh = state.tokens.get(field('refresh_token'));
      if (!refresh || refresh.kind !== 'refresh') return tokenError(reply, 400, 'invalid_grant', 'Token has been expired or revoked.');
      const accessToken = newAccessToken();
      registerYoutubeToken(store, accessToken, { ...refresh, kind: 'access', expiresAt: store.now() + lifetime * 1000 });
      // No refresh_token in the answer: Google keeps the one the client has.
      return reply.header('cache-control', 'no-store').send({ access_token: accessToken, expires_in: lifetime - 1, scope: refresh.scopes.join(' '), token_type: 'Bearer' });
    }
    return tokenError(reply, 400, 'unsupported_grant_type', `Invalid grant_type: ${grant}`);
  });

  app.post('/revoke', async (request, reply) => {
    const { fields } = await readBody(request);
    const value = str(fields.token) ?? str((request.query as Record<string, unknown>).token) ?? '';
    const found = state.tokens.get(value);
    if (!found) return reply.code(400).send({ error: 'invalid_token', error_description: 'Token expired or revoked' });
    // Revoking either token ends the whole grant.
    for (const [key, token] of state.tokens) if (token.accountId === found.accountId && token.project === found.project) state.tokens.delete(key);
    return reply.send({});
  });
}
