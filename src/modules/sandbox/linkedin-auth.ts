/**
 * How the simulated LinkedIn admits a caller: the member consent page (www.linkedin.com/oauth/v2/authorization),
 * the token endpoint (/oauth/v2/accessToken: authorization code with client secret, no PKCE; programmatic refresh
 * only when the sandbox is set up as an approved partner), and the guard every API route goes through: the
 * LinkedIn-Version header on /rest, the bearer token (401 INVALID / EXPIRED / REVOKED_ACCESS_TOKEN), the member's
 * daily posting limit, and injected faults answered the way LinkedIn answers them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RateWindow, SandboxAccount } from './types.ts';
import { applyTransportFault, bindAccount, escapeHtml, str } from './http.ts';
import { linkedinState, linkedinToken, liError, memberUrn } from './linkedin-state.ts';
import type { LinkedinContext, LinkedinGrant } from './linkedin-state.ts';

/** LinkedIn keeps a version active for about a year after its release month. */
const activeVersionMonths = 12;
const throttled = 'Resource level throttle limit for calls to this resource is reached.';
const memberDayThrottled = 'Resource level throttle MEMBER DAY limit for calls to this resource is reached.';

export interface Admitted {
  account: SandboxAccount;
  grant: LinkedinGrant;
  /** The LinkedIn-Version the caller sent (YYYYMM), on /rest. */
  version: string;
}

function monthIndex(year: number, month: number): number {
  return year * 12 + (month - 1);
}

/** Undefined when the version is usable, else the refusal LinkedIn sends. */
function versionProblem(ctx: LinkedinContext, header: string | undefined): { status: number; code: string; message: string } | undefined {
  if (!header) return { status: 400, code: 'VERSION_MISSING', message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.' };
  const match = /^(\d{4})(\d{2})(\.\d{2})?$/.exec(header.trim());
  if (!match) return { status: 400, code: 'INVALID_VERSION', message: `Invalid version format ${header}. Expected YYYYMM.` };
  const now = new Date(ctx.store.now());
  const asked = monthIndex(Number(match[1]), Number(match[2]));
  const current = monthIndex(now.getUTCFullYear(), now.getUTCMonth() + 1);
  if (asked > current || asked < current - activeVersionMonths) {
    return { status: 426, code: 'NONEXISTENT_VERSION', message: `Requested version ${header} is not active` };
  }
  return undefined;
}

function endOfUtcDay(now: number): number {
  return (Math.floor(now / 86_400_000) + 1) * 86_400_000;
}

/**
 * Admits the caller or sends LinkedIn's refusal; undefined means a response has been sent. `posting` charges the
 * member's daily post limit (LinkedIn counts per member per UTC day).
 */
export async function guard(
  ctx: LinkedinContext,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { publish: boolean; versioned: boolean; posting?: RateWindow },
): Promise<Admitted | undefined> {
  const { store } = ctx;
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  const grant = match?.[1] ? linkedinState(store).accessTokens.get(match[1]) : undefined;
  const account = grant ? store.account(grant.accountId) : undefined;
  if (!grant || !account) {
    liError(reply, 401, 'INVALID_ACCESS_TOKEN', 'Invalid access token', 65600);
    return undefined;
  }
  bindAccount(store, request, account.id);
  if (grant.revoked) {
    liError(reply, 401, 'REVOKED_ACCESS_TOKEN', 'The token used in the request has been revoked by the user', 65601);
    return undefined;
  }
  if (grant.expiresAt <= store.now()) {
    liError(reply, 401, 'EXPIRED_ACCESS_TOKEN', 'The token used in the request has expired', 65602);
    return undefined;
  }
  const versionHeader = request.headers['linkedin-version'];
  const version = typeof versionHeader === 'string' ? versionHeader : undefined;
  if (options.versioned) {
    const refused = versionProblem(ctx, version);
    if (refused) {
      liError(reply, refused.status, refused.code, refused.message);
      return undefined;
    }
    reply.header('x-restli-protocol-version', '2.0.0');
  }
  const fault = store.takeFault(account.id, options.publish);
  if (fault) {
    if (await applyTransportFault(store, request, reply, fault)) return undefined;
    switch (fault.kind) {
      case 'lost_response':
      case 'slow':
        break;
      case 'rate_limit':
        reply.header('Retry-After', String(fault.retryAfterSeconds));
        liError(reply, 429, 'TOO_MANY_REQUESTS', throttled, 101);
        return undefined;
      case 'daily_cap':
        // LinkedIn's daily limits reset at midnight UTC and come with no Retry-After.
        liError(reply, 429, 'TOO_MANY_REQUESTS', memberDayThrottled, 101);
        return undefined;
      case 'expired_token':
        liError(reply, 401, 'EXPIRED_ACCESS_TOKEN', 'The token used in the request has expired', 65602);
        return undefined;
      default:
        liError(reply, 500, 'INTERNAL_SERVER_ERROR', 'Internal Server Error');
        return undefined;
    }
  }
  if (options.posting) {
    const hit = store.hit(`linkedin-posts:${memberUrn(account)}`, options.posting);
    if (!hit.allowed) {
      liError(reply, 429, 'TOO_MANY_REQUESTS', memberDayThrottled, 101);
      return undefined;
    }
  }
  return { account, grant, version: version ?? '' };
}

/** A new access token for the account's member (and the refresh token when the app is allowed one). */
export function issueTokens(ctx: LinkedinContext, accountId: string, scope: string[], refresh?: { token: string; expiresAt: number }): Record<string, unknown> {
  const { store } = ctx;
  const state = linkedinState(store);
  const now = store.now();
  const accessToken = linkedinToken();
  const expiresAt = now + store.limits.linkedinAccessTokenSeconds * 1000;
  state.accessTokens.set(accessToken, { accountId, scope, expiresAt });
  const body: Record<string, unknown> = { access_token: accessToken, expires_in: store.limits.linkedinAccessTokenSeconds, scope: scope.join(',') };
  const account = store.account(accountId);
  if (account) Object.assign(account.credentials, { accessToken, expiresAt: new Date(expiresAt).toISOString() });
  if (store.limits.linkedinRefreshTokens) {
    // A refresh keeps the refresh token and its original lifetime; only a new consent starts a new one.
    const kept = refresh ?? { token: linkedinToken(), expiresAt: now + store.limits.linkedinRefreshTokenSeconds * 1000 };
    state.refreshTokens.set(kept.token, { accountId, scope, expiresAt: kept.expiresAt });
    body.refresh_token = kept.token;
    body.refresh_token_expires_in = Math.max(0, Math.floor((kept.expiresAt - now) / 1000));
    if (account) Object.assign(account.credentials, { refreshToken: kept.token, refreshTokenExpiresAt: new Date(kept.expiresAt).toISOString() });
  }
  return body;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}
label{display:block;border:1px solid #ccc;border-radius:8px;padding:.5rem .75rem;margin:.5rem 0}
button{font:inherit;padding:.5rem 1.25rem;margin-right:.5rem;border-radius:999px;border:1px solid #0a66c2}
button.allow{background:#0a66c2;color:#fff}.note{color:#555;font-size:.9rem}</style></head><body>${body}</body></html>`;
}

interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  state: string;
  scope: string[];
}

function authorizeParams(input: Record<string, unknown>): AuthorizeParams | string {
  const clientId = str(input.client_id) ?? '';
  const redirectUri = str(input.redirect_uri) ?? '';
  if (str(input.response_type) !== 'code') return 'response_type harus "code".';
  if (clientId === '') return 'client_id tidak ada.';
  if (!URL.canParse(redirectUri)) return 'redirect_uri tidak sah.';
  const scope = (str(input.scope) ?? '').split(/[\s,]+/).filter(Boolean);
  if (scope.length === 0) return 'scope wajib diisi.';
  return { clientId, redirectUri, state: str(input.state) ?? '', scope };
}

function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

export function registerLinkedinAuth(app: FastifyInstance, ctx: LinkedinContext): void {
  const { store } = ctx;

  app.get('/oauth/v2/authorization', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const params = authorizeParams(query);
    if (typeof params === 'string') {
      return reply.code(400).type('text/html; charset=utf-8').send(page('Sandbox LinkedIn: otorisasi gagal', `<h1>Permintaan tidak sah</h1><p>${escapeHtml(params)}</p>`));
    }
    const accounts = store.accounts('linkedin').filter((a) => !a.citizen);
    const hidden = ['response_type', 'client_id', 'redirect_uri', 'state', 'scope']
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(str(query[name]) ?? '')}">`)
      .join('');
    const choices = accounts
      .map((a, i) => `<label><input type="radio" name="account" value="${escapeHtml(a.id)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(a.credentials.memberName ?? a.displayName)} <span class="note">admin Halaman ${escapeHtml(a.displayName)}</span></label>`)
      .join('');
    const scopes = params.scope.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
    const body = `<h1>Izinkan aplikasi mengakses akun LinkedIn Anda?</h1>
<p class="note">Sandbox LinkedIn Siar: tidak ada yang terkirim ke LinkedIn sungguhan. Aplikasi <code>${escapeHtml(params.clientId)}</code> meminta izin:</p><ul>${scopes}</ul>
<form method="post" action="/oauth/v2/authorization">${hidden}
${choices || '<p>Belum ada akun LinkedIn di sandbox. Buat akun dulu di halaman sandbox.</p>'}
${accounts.length > 0 ? '<button class="allow" name="keputusan" value="izinkan">Izinkan</button>' : ''}<button name="keputusan" value="tolak">Tolak</button></form>`;
    return reply.type('text/html; charset=utf-8').send(page('Sandbox LinkedIn: otorisasi aplikasi', body));
  });

  app.post('/oauth/v2/authorization', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, unknown>;
    const params = authorizeParams(form);
    if (typeof params === 'string') {
      return reply.code(400).type('text/html; charset=utf-8').send(page('Sandbox LinkedIn: otorisasi gagal', `<h1>Permintaan tidak sah</h1><p>${escapeHtml(params)}</p>`));
    }
    const withState = (extra: Record<string, string>) => ({ ...extra, ...(params.state ? { state: params.state } : {}) });
    const account = store.account(str(form.account) ?? '');
    if (str(form.keputusan) !== 'izinkan' || !account || account.network !== 'linkedin' || account.citizen) {
      // LinkedIn's own words when the member refuses.
      return reply.redirect(withQuery(params.redirectUri, withState({ error: 'user_cancelled_authorize', error_description: 'The user cancelled the authorization' })), 302);
    }
    const code = `AQ${linkedinToken().slice(2, 150)}`;
    // Authorization codes live 30 minutes.
    linkedinState(store).codes.set(code, { accountId: account.id, clientId: params.clientId, redirectUri: params.redirectUri, scope: params.scope, expiresAt: store.now() + 30 * 60_000 });
    return reply.redirect(withQuery(params.redirectUri, withState({ code })), 302);
  });

  app.post('/oauth/v2/accessToken', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const state = linkedinState(store);
    const missing = (name: string) => reply.code(400).send({ error: 'invalid_request', error_description: `A required parameter "${name}" is missing` });
    const grantType = str(body.grant_type);
    if (!grantType) return missing('grant_type');
    if (grantType === 'authorization_code') {
      for (const name of ['code', 'redirect_uri', 'client_id', 'client_secret']) if (!str(body[name])) return missing(name);
      const value = str(body.code) ?? '';
      const code = state.codes.get(value);
      if (!code && !state.spentCodes.has(value)) {
        return reply.code(401).send({ error: 'invalid_request', error_description: 'Unable to retrieve access token: authorization code not found' });
      }
      state.codes.delete(value);
      state.spentCodes.add(value);
      if (!code || code.expiresAt <= store.now() || code.clientId !== str(body.client_id) || code.redirectUri !== str(body.redirect_uri)) {
        return reply.code(400).send({
          error: 'invalid_request',
          error_description: 'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists',
        });
      }
      return issueTokens(ctx, code.accountId, code.scope);
    }
    if (grantType === 'refresh_token') {
      for (const name of ['refresh_token', 'client_id', 'client_secret']) if (!str(body[name])) return missing(name);
      const token = str(body.refresh_token) ?? '';
      const grant = state.refreshTokens.get(token);
      if (!store.limits.linkedinRefreshTokens || !grant || grant.expiresAt <= store.now()) {
        return reply.code(400).send({ error: 'invalid_request', error_description: 'The provided refresh token is invalid or expired' });
      }
      return issueTokens(ctx, grant.accountId, grant.scope, { token, expiresAt: grant.expiresAt });
    }
    return reply.code(400).send({ error: 'unsupported_grant_type', error_description: `The grant type ${grantType} is not supported` });
  });

  app.post('/oauth/v2/revoke', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const grant = linkedinState(store).accessTokens.get(str(body.token) ?? '');
    if (grant) grant.revoked = true;
    return reply.code(200).send();
  });
}

