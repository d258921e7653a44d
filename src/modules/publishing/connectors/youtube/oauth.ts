/**
 * Google sign-in for a YouTube channel: the consent page (with PKCE S256, offline access and
 * `prompt=consent`, so that Google always hands out a refresh token), the code exchange and the
 * refresh-token grant. Google does not rotate refresh tokens: a refresh keeps the one stored.
 *
 * The app's client id and secret travel with the channel's (encrypted) credentials, because
 * `refresh` only receives the channel and its credentials.
 */
import { ConnectorError } from '../../connector.ts';
import type { Credentials, OAuthFlow, OAuthGrant } from '../../connector.ts';
import { exchange, urlOf } from './http.ts';
import type { HttpClient } from './http.ts';

export const YOUTUBE_API_ROOT = 'https://www.googleapis.com';
const CONSENT_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
const TOKEN_URL = 'https://oauth2.googleapis.com/token';

export const YOUTUBE_SCOPES = [
  'https://www.googleapis.com/auth/youtube.upload',
  // Comments (read, reply, first comment), editing and deleting videos.
  'https://www.googleapis.com/auth/youtube.force-ssl',
  'https://www.googleapis.com/auth/youtube.readonly',
];

const isProduction = (baseUrl: string): boolean => baseUrl.replace(/\/+$/, '') === YOUTUBE_API_ROOT;

/** Production uses Google's own hosts; a sandbox serves the same paths on its one origin. */
export function consentUrl(baseUrl: string): string {
  return isProduction(baseUrl) ? CONSENT_URL : urlOf(baseUrl, '/o/oauth2/v2/auth');
}

export function tokenUrl(baseUrl: string): string {
  return isProduction(baseUrl) ? TOKEN_URL : urlOf(baseUrl, '/token');
}

interface TokenAnswer {
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  token_type?: string;
}

function credentialsOf(answer: TokenAnswer, client: { clientId: string; clientSecret: string | null }, previous: Credentials, now: number): Credentials {
  if (!answer.access_token) {
    throw new ConnectorError('transient', 'unreadable_response', {
      id: 'Google tidak mengirim token akses; akan dicoba lagi.',
      en: 'Google sent no access token; will try again.',
    });
  }
  const credentials: Credentials = { ...previous, accessToken: answer.access_token, clientId: client.clientId };
  if (client.clientSecret) credentials.clientSecret = client.clientSecret;
  // Google sends a refresh token on the first consent only; later refreshes keep the stored one.
  if (answer.refresh_token) credentials.refreshToken = answer.refresh_token;
  if (typeof answer.expires_in === 'number') credentials.expiresAt = new Date(now + answer.expires_in * 1000).toISOString();
  if (answer.scope) credentials.scope = answer.scope;
  return credentials;
}

export function youtubeOAuth(http: HttpClient, now: () => number): OAuthFlow {
  return {
    pkce: true,
    scopes: YOUTUBE_SCOPES,
    authorizeUrl({ baseUrl, client, state, codeChallenge }) {
      const url = new URL(consentUrl(baseUrl));
      url.search = new URLSearchParams({
        client_id: client.clientId,
        redirect_uri: client.redirectUri,
        response_type: 'code',
        scope: YOUTUBE_SCOPES.join(' '),
        access_type: 'offline',
        prompt: 'consent',
        include_granted_scopes: 'true',
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      }).toString();
      return url.toString();
    },
    async exchangeCode({ baseUrl, client, code, codeVerifier, signal }): Promise<OAuthGrant> {
      const answer = await exchange(http, {
        method: 'POST',
        url: tokenUrl(baseUrl),
        signal,
        form: {
          code,
          client_id: client.clientId,
          ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
          redirect_uri: client.redirectUri,
          grant_type: 'authorization_code',
          code_verifier: codeVerifier,
        },
      });
      return { credentials: credentialsOf(answer.body as TokenAnswer, client, {}, now()) };
    },
  };
}

export async function refreshGoogleToken(http: HttpClient, baseUrl: string, credentials: Credentials, signal: AbortSignal, now: number): Promise<Credentials> {
  const { refreshToken, clientId } = credentials;
  if (!refreshToken || !clientId) {
    throw new ConnectorError('auth', 'missing_credentials', {
      id: 'Token penyegaran Google belum tersimpan untuk kanal ini. Sambungkan ulang kanal.',
      en: 'No Google refresh token is stored for this channel. Reconnect the channel.',
    });
  }
  const clientSecret = credentials.clientSecret ?? null;
  const answer = await exchange(http, {
    method: 'POST',
    url: tokenUrl(baseUrl),
    signal,
    form: { client_id: clientId, ...(clientSecret ? { client_secret: clientSecret } : {}), grant_type: 'refresh_token', refresh_token: refreshToken },
  });
  return credentialsOf(answer.body as TokenAnswer, { clientId, clientSecret }, credentials, now);
}

/** Whether the stored access token has (nearly) run out, so a write should refresh first. */
export function expiresSoon(credentials: Credentials, now: number, marginMs = 60_000): boolean {
  const at = credentials.expiresAt ? Date.parse(credentials.expiresAt) : Number.NaN;
  return Number.isFinite(at) && at - marginMs <= now;
}
