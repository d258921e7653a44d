/**
 * Signing in with LinkedIn: OAuth 2.0 authorization code with the client secret (LinkedIn offers
 * PKCE to native apps only), a 60-day access token, and a refresh token only for apps LinkedIn
 * has approved for it. After the exchange the grant lists what the person may publish as: the
 * organisation Pages they administer (a government unit posts as its Page) and themselves.
 */
import { ConnectorError } from '../../connector.ts';
import type { Credentials, OAuthAccountChoice, OAuthClient, OAuthFlow } from '../../connector.ts';
import { fromTransportFailure, requestSignal } from '../failure.ts';
import { fromTokenAnswer, linkedinFailure } from './errors.ts';
import { apiRoot, encodeUrn, isProduction, LinkedInHttpError, linkedinRequest } from './http.ts';
import type { LinkedInContext, LinkedInProblem } from './http.ts';

/**
 * OpenID for the member's id and name; posting as the member and as Pages; reading Page posts,
 * comments and counts; and listing the Pages the member administers.
 */
export const LINKEDIN_SCOPES = ['openid', 'profile', 'w_member_social', 'w_organization_social', 'r_organization_social', 'rw_organization_admin'];

export function authorizeEndpoint(root: string): string {
  return isProduction(root) ? 'https://www.linkedin.com/oauth/v2/authorization' : `${root}/oauth/v2/authorization`;
}

export function tokenEndpoint(root: string): string {
  return isProduction(root) ? 'https://www.linkedin.com/oauth/v2/accessToken' : `${root}/oauth/v2/accessToken`;
}

interface TokenAnswer {
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  scope?: string;
}

export async function tokenRequest(input: {
  root: string;
  client: Pick<OAuthClient, 'clientId' | 'clientSecret'>;
  params: Record<string, string>;
  signal: AbortSignal;
  timeoutMs: number;
  now?: () => number;
}): Promise<Credentials> {
  const body = new URLSearchParams({ ...input.params, client_id: input.client.clientId, ...(input.client.clientSecret ? { client_secret: input.client.clientSecret } : {}) });
  let response: Response;
  let answer: TokenAnswer & LinkedInProblem;
  try {
    response = await fetch(tokenEndpoint(input.root), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: requestSignal(input.signal, input.timeoutMs),
    });
    answer = await response.json().catch(() => ({})) as TokenAnswer & LinkedInProblem;
  } catch (error) {
    throw fromTransportFailure(error, 'read', input.signal) ?? new ConnectorError('transient', 'unexpected_error', {
      id: 'Kesalahan tak terduga saat meminta token LinkedIn.',
      en: 'Unexpected error while asking LinkedIn for a token.',
    }, { cause: error });
  }
  if (!response.ok) throw fromTokenAnswer(response.status, answer, response.headers, answer);
  if (!answer.access_token) {
    throw new ConnectorError('transient', 'unreadable_response', { id: 'LinkedIn tidak mengirim token akses; akan dicoba lagi.', en: 'LinkedIn sent no access token; will try again.' }, { status: response.status });
  }
  const now = input.now?.() ?? Date.now();
  return {
    accessToken: answer.access_token,
    ...(answer.expires_in ? { expiresAt: new Date(now + answer.expires_in * 1000).toISOString() } : {}),
    ...(answer.refresh_token ? { refreshToken: answer.refresh_token } : {}),
    ...(answer.refresh_token_expires_in ? { refreshTokenExpiresAt: new Date(now + answer.refresh_token_expires_in * 1000).toISOString() } : {}),
    ...(answer.scope ? { scope: answer.scope } : {}),
  };
}

interface UserInfo { sub: string; name?: string; given_name?: string; family_name?: string; picture?: string; email?: string }
interface OrganizationAcl { organization?: string; organizationTarget?: string; organizationalTarget?: string; role?: string; state?: string }
interface Organization { id?: number | string; localizedName?: string; vanityName?: string }

/** The member behind the token (OpenID Connect userinfo). */
export async function memberOf(ctx: LinkedInContext): Promise<UserInfo> {
  try {
    const { data } = await linkedinRequest<UserInfo>(ctx, 'GET', '/v2/userinfo', { unversioned: true });
    if (!data?.sub) throw new SyntaxError('userinfo without sub');
    return data;
  } catch (error) {
    throw linkedinFailure(error, 'read', ctx.signal);
  }
}

export async function organizationOf(ctx: LinkedInContext, urn: string): Promise<Organization> {
  const id = urn.split(':').pop()!;
  try {
    return (await linkedinRequest<Organization>(ctx, 'GET', `/rest/organizations/${encodeURIComponent(id)}`)).data ?? {};
  } catch (error) {
    throw linkedinFailure(error, 'read', ctx.signal);
  }
}

/** The Pages the member administers; none when the app was not granted Page administration. */
async function administeredPages(ctx: LinkedInContext): Promise<string[]> {
  try {
    const { data } = await linkedinRequest<{ elements?: OrganizationAcl[] }>(ctx, 'GET', '/rest/organizationAcls', {
      query: { q: 'roleAssignee', role: 'ADMINISTRATOR', state: 'APPROVED', count: 100 },
    });
    return [...new Set((data?.elements ?? []).map((acl) => acl.organization ?? acl.organizationTarget ?? acl.organizationalTarget).filter((urn): urn is string => Boolean(urn)))];
  } catch (error) {
    if (error instanceof LinkedInHttpError && error.status === 403) return [];
    throw linkedinFailure(error, 'read', ctx.signal);
  }
}

/** Who the person may publish as: their Pages first, then themselves. */
export async function accountChoices(ctx: LinkedInContext, credentials: Credentials): Promise<OAuthAccountChoice[]> {
  const member = await memberOf(ctx);
  const pages: OAuthAccountChoice[] = [];
  for (const urn of await administeredPages(ctx)) {
    const org = await organizationOf(ctx, urn);
    pages.push({ externalAccountId: urn, handle: org.vanityName ?? encodeUrn(urn), name: org.localizedName ?? org.vanityName ?? urn, credentials });
  }
  const name = member.name ?? [member.given_name, member.family_name].filter(Boolean).join(' ');
  return [...pages, { externalAccountId: `urn:li:person:${member.sub}`, handle: name || member.sub, name: name || member.sub, credentials }];
}

export function linkedinOAuth(timeoutMs: number, version: string): OAuthFlow {
  return {
    pkce: false,
    scopes: LINKEDIN_SCOPES,
    authorizeUrl({ baseUrl, client, state }) {
      const url = new URL(authorizeEndpoint(apiRoot(baseUrl)));
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: client.redirectUri,
        state,
        scope: LINKEDIN_SCOPES.join(' '),
      }).toString();
      return url.toString();
    },
    async exchangeCode({ baseUrl, client, code, signal }) {
      const root = apiRoot(baseUrl);
      const credentials = await tokenRequest({
        root, client, signal, timeoutMs,
        params: { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri },
      });
      const accounts = await accountChoices({ root, accessToken: credentials.accessToken!, version, signal, timeoutMs }, credentials);
      return { credentials, accounts };
    },
  };
}
