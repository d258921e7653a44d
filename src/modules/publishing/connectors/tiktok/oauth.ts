/**
 * TikTok sign-in (Login Kit v2): the consent page with PKCE S256, the code exchange and the
 * refresh-token grant. TikTok rotates refresh tokens: every refresh hands out a new one, and the
 * old one stops working, so the new credentials must be stored at once. Access tokens last about
 * a day (the answer's `expires_in` says exactly), refresh tokens about a year.
 *
 * The app's client key and secret travel with the channel's (encrypted) credentials, because
 * `refresh` only receives the channel and its credentials.
 */
import { ConnectorError } from '../../connector.ts';
import type { Credentials, OAuthFlow, OAuthGrant } from '../../connector.ts';
import { TikTokHttpError, exchange, urlOf } from './http.ts';
import type { HttpClient } from './http.ts';

export const TIKTOK_API_ROOT = 'https://open.tiktokapis.com';
const CONSENT_URL = 'https://www.tiktok.com/v2/auth/authorize/';

export const TIKTOK_SCOPES = ['user.info.basic', 'video.publish', 'video.upload', 'video.list'];

const isProduction = (baseUrl: string): boolean => baseUrl.replace(/\/+$/, '') === TIKTOK_API_ROOT;

export function consentUrl(baseUrl: string): string {
  return isProduction(baseUrl) ? CONSENT_URL : urlOf(baseUrl, '/v2/auth/authorize/');
}

/** The token endpoint lives on the API host itself. */
export function tokenUrl(baseUrl: string): string {
  return urlOf(baseUrl || TIKTOK_API_ROOT, '/v2/oauth/token/');
}

interface TokenAnswer {
  access_token?: string;
  expires_in?: number;
  open_id?: string;
  refresh_expires_in?: number;
  refresh_token?: string;
  scope?: string;
}

function credentialsOf(answer: TokenAnswer, client: { clientId: string; clientSecret: string | null }, previous: Credentials, now: number): Credentials {
  if (!answer.access_token) {
    throw new ConnectorError('transient', 'unreadable_response', {
      id: 'TikTok tidak mengirim token akses; akan dicoba lagi.',
      en: 'TikTok sent no access token; will try again.',
    });
  }
  const credentials: Credentials = { ...previous, accessToken: answer.access_token };
  if (client.clientId) credentials.clientId = client.clientId;
  if (client.clientSecret) credentials.clientSecret = client.clientSecret;
  if (answer.refresh_token) credentials.refreshToken = answer.refresh_token;
  if (answer.open_id) credentials.openId = answer.open_id;
  if (answer.scope) credentials.scope = answer.scope;
  if (typeof answer.expires_in === 'number') credentials.expiresAt = new Date(now + answer.expires_in * 1000).toISOString();
  if (typeof answer.refresh_expires_in === 'number') credentials.refreshExpiresAt = new Date(now + answer.refresh_expires_in * 1000).toISOString();
  return credentials;
}

export function tiktokOAuth(http: HttpClient, now: () => number): OAuthFlow {
  return {
    pkce: true,
    scopes: TIKTOK_SCOPES,
    authorizeUrl({ baseUrl, client, state, codeChallenge }) {
      const url = new URL(consentUrl(baseUrl));
      url.search = new URLSearchParams({
        client_key: client.clientId,
        scope: TIKTOK_SCOPES.join(','),
        response_type: 'code',
        redirect_uri: client.redirectUri,
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
          client_key: client.clientId,
          ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
          code,
          grant_type: 'authorization_code',
          redirect_uri: client.redirectUri,
          code_verifier: codeVerifier,
        },
      });
      return { credentials: credentialsOf(answer.body as TokenAnswer, client, {}, now()) };
    },
  };
}

const missing = (what: string): ConnectorError => new ConnectorError('auth', 'missing_credentials', {
  id: `${what} TikTok belum tersimpan untuk kanal ini. Sambungkan ulang kanal lewat tombol masuk TikTok.`,
  en: `No TikTok ${what === 'Token penyegaran' ? 'refresh token' : 'client key'} is stored for this channel. Reconnect the channel through TikTok sign-in.`,
});

/**
 * The refresh-token grant. TikTok wants the app's client key and secret with it; credentials from
 * Siar's sign-in carry them. Credentials pasted without them are still tried (the sandbox takes
 * them), and a refusal then asks for reconnecting rather than blaming the app's configuration.
 */
export async function refreshTikTokToken(http: HttpClient, baseUrl: string, credentials: Credentials, signal: AbortSignal, now: number): Promise<Credentials> {
  const { refreshToken } = credentials;
  if (!refreshToken) throw missing('Token penyegaran');
  const clientId = credentials.clientId ?? credentials.clientKey ?? null;
  const clientSecret = credentials.clientSecret ?? null;
  try {
    const answer = await exchange(http, {
      method: 'POST',
      url: tokenUrl(baseUrl),
      signal,
      form: { ...(clientId ? { client_key: clientId } : {}), ...(clientSecret ? { client_secret: clientSecret } : {}), grant_type: 'refresh_token', refresh_token: refreshToken },
    });
    return credentialsOf(answer.body as TokenAnswer, { clientId: clientId ?? '', clientSecret }, credentials, now);
  } catch (error) {
    if (!clientId && error instanceof TikTokHttpError && error.status < 500 && error.status !== 429) throw missing('Client key');
    throw error;
  }
}

export function expiresSoon(credentials: Credentials, now: number, marginMs = 60_000): boolean {
  const at = credentials.expiresAt ? Date.parse(credentials.expiresAt) : Number.NaN;
  return Number.isFinite(at) && at - marginMs <= now;
}
