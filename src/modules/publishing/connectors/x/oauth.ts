/**
 * Signing in with X: OAuth 2.0 authorization code with PKCE (S256), and renewing the 2-hour access
 * token with the refresh token (`offline.access`), which X rotates on every use.
 *
 * The token requests are made with fetch, not with twitter-api-v2's loginWithOAuth2 /
 * refreshOAuth2Token: the library posts to a hard-coded https://api.x.com/2/oauth2/token (the
 * sandbox could only be reached by rewriting URLs in a plugin), it sends the body as JSON (its
 * body-type check for that path tests `url.password` instead of the path), while X documents a
 * form-encoded body, and it cannot be cancelled.
 */
import { ConnectorError } from '../../connector.ts';
import type { Credentials, OAuthClient, OAuthFlow } from '../../connector.ts';
import { fromTransportFailure, requestSignal } from '../failure.ts';
import { apiRoot, isProduction } from './client.ts';
import { fromTokenAnswer } from './errors.ts';
import type { XProblem } from './errors.ts';

export const X_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write'];

/** The consent page: x.com for production, the same path on the sandbox otherwise. */
export function authorizeEndpoint(root: string): string {
  return isProduction(root) ? 'https://x.com/i/oauth2/authorize' : `${root}/i/oauth2/authorize`;
}

export function tokenEndpoint(root: string): string {
  return isProduction(root) ? 'https://api.x.com/2/oauth2/token' : `${root}/2/oauth2/token`;
}

interface TokenAnswer {
  token_type?: string;
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
}

/**
 * One token request. A confidential client authenticates with HTTP Basic (X's rule for clients
 * with a secret); a public client names itself with client_id in the body.
 */
export async function tokenRequest(input: {
  root: string;
  client: Pick<OAuthClient, 'clientId' | 'clientSecret'>;
  params: Record<string, string>;
  signal: AbortSignal;
  timeoutMs: number;
  now?: () => number;
}): Promise<Credentials> {
  const { client, signal } = input;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (client.clientSecret) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
  const body = new URLSearchParams({ ...input.params, client_id: client.clientId });
  let response: Response;
  let answer: TokenAnswer & XProblem;
  try {
    response = await fetch(tokenEndpoint(input.root), { method: 'POST', headers, body, signal: requestSignal(signal, input.timeoutMs) });
    answer = await response.json().catch(() => ({})) as TokenAnswer & XProblem;
  } catch (error) {
    throw fromTransportFailure(error, 'read', signal) ?? new ConnectorError('transient', 'unexpected_error', {
      id: 'Kesalahan tak terduga saat meminta token X.',
      en: 'Unexpected error while asking X for a token.',
    }, { cause: error });
  }
  if (!response.ok) throw fromTokenAnswer(response.status, answer, Object.fromEntries(response.headers), answer);
  if (!answer.access_token) {
    throw new ConnectorError('transient', 'unreadable_response', {
      id: 'X tidak mengirim token akses; akan dicoba lagi.',
      en: 'X sent no access token; will try again.',
    }, { status: response.status });
  }
  const now = input.now?.() ?? Date.now();
  return {
    accessToken: answer.access_token,
    ...(answer.refresh_token ? { refreshToken: answer.refresh_token } : {}),
    ...(answer.expires_in ? { expiresAt: new Date(now + answer.expires_in * 1000).toISOString() } : {}),
    ...(answer.scope ? { scope: answer.scope } : {}),
    // The refresh must name the client that was granted the token.
    clientId: client.clientId,
  };
}

export function xOAuth(timeoutMs: number): OAuthFlow {
  return {
    pkce: true,
    scopes: X_SCOPES,
    authorizeUrl({ baseUrl, client, state, codeChallenge }) {
      const url = new URL(authorizeEndpoint(apiRoot({ baseUrl })));
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: client.redirectUri,
        scope: X_SCOPES.join(' '),
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      }).toString();
      return url.toString();
    },
    async exchangeCode({ baseUrl, client, code, codeVerifier, signal }) {
      const credentials = await tokenRequest({
        root: apiRoot({ baseUrl }),
        client,
        params: { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: codeVerifier },
        signal,
        timeoutMs,
      });
      return { credentials };
    },
  };
}
