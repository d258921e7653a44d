/**
 * Business Login for Instagram ("Instagram API with Instagram Login"): the consent page on
 * instagram.com, the code exchange on api.instagram.com (a short-lived token, one hour), the
 * exchange for a long-lived token (60 days) and its refresh, both on graph.instagram.com. Instagram
 * documents no PKCE for this flow; the app secret authenticates the exchange.
 */
import { ConnectorError } from '../../connector.ts';
import type { Credentials, OAuthFlow } from '../../connector.ts';
import type { GraphClient } from '../graph/client.ts';
import { GraphHttpError, isProductionRoot, joinUrl } from '../graph/client.ts';
import { expiresAtFrom, tokenFrom, unwrapTokenAnswer } from '../graph/tokens.ts';
import type { TokenAnswer } from '../graph/tokens.ts';

export const INSTAGRAM_API = 'https://graph.instagram.com';
export const INSTAGRAM_VERSION = 'v23.0';
const CONSENT = 'https://www.instagram.com/oauth/authorize';
const TOKEN = 'https://api.instagram.com/oauth/access_token';
export const INSTAGRAM_SCOPES = ['instagram_business_basic', 'instagram_business_content_publish', 'instagram_business_manage_comments'];

type Call = <T>(signal: AbortSignal, run: () => Promise<T>) => Promise<T>;

/** Refreshes a long-lived token (valid, at least 24 hours old) for another 60 days. */
export async function refreshInstagramToken(deps: { graph: GraphClient; call: Call; now: () => number }, baseUrl: string, credentials: Credentials, signal: AbortSignal): Promise<Credentials> {
  const token = credentials.accessToken;
  if (!token) {
    throw new ConnectorError('auth', 'missing_credentials', {
      id: 'Token akses Instagram belum tersimpan untuk kanal ini. Sambungkan ulang kanal.',
      en: 'No Instagram access token is stored for this channel. Reconnect the channel.',
    });
  }
  let answer: TokenAnswer;
  try {
    answer = await deps.call(signal, () => deps.graph.call<TokenAnswer>(joinUrl(baseUrl, '/refresh_access_token'), {
      query: { grant_type: 'ig_refresh_token', access_token: token },
      signal,
    }));
  } catch (error) {
    // Refused for good (expired, revoked, or younger than 24 hours): only a new sign-in helps.
    if (error instanceof ConnectorError && error.kind === 'permanent') {
      const said = error.cause instanceof GraphHttpError ? ` Instagram: "${error.cause.said.slice(0, 200)}"` : '';
      throw new ConnectorError('auth', 'refresh_refused', {
        id: `Instagram menolak memperbarui token akses akun ini. Sambungkan ulang kanal.${said}`,
        en: `Instagram refused to renew this account's access token. Reconnect the channel.${said}`,
      }, { status: error.status, cause: error });
    }
    throw error;
  }
  const expiresAt = expiresAtFrom(answer.expires_in, deps.now());
  return { ...credentials, accessToken: tokenFrom(answer, 'Instagram'), ...(expiresAt ? { expiresAt } : {}) };
}

export function instagramOAuth(deps: { graph: GraphClient; call: Call; now: () => number }): OAuthFlow {
  const { graph, call } = deps;
  return {
    pkce: false,
    scopes: INSTAGRAM_SCOPES,

    authorizeUrl({ baseUrl, client, state }) {
      const url = new URL(isProductionRoot(baseUrl, INSTAGRAM_API) ? CONSENT : joinUrl(baseUrl, '/oauth/authorize'));
      url.searchParams.set('client_id', client.clientId);
      url.searchParams.set('redirect_uri', client.redirectUri);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('scope', INSTAGRAM_SCOPES.join(','));
      url.searchParams.set('state', state);
      return url.toString();
    },

    async exchangeCode({ baseUrl, client, code, signal }) {
      const tokenUrl = isProductionRoot(baseUrl, INSTAGRAM_API) ? TOKEN : joinUrl(baseUrl, '/oauth/access_token');
      // Instagram appends `#_` to the redirect; a code copied with it is refused.
      const cleanCode = code.replace(/#_$/, '');
      const short = unwrapTokenAnswer(await call(signal, () => graph.call<TokenAnswer>(tokenUrl, {
        method: 'POST',
        form: { client_id: client.clientId, client_secret: client.clientSecret ?? undefined, grant_type: 'authorization_code', redirect_uri: client.redirectUri, code: cleanCode },
        signal,
      })));
      const shortToken = tokenFrom(short, 'Instagram');
      const long = await call(signal, () => graph.call<TokenAnswer>(joinUrl(baseUrl, '/access_token'), {
        query: { grant_type: 'ig_exchange_token', client_secret: client.clientSecret ?? undefined, access_token: shortToken },
        signal,
      }));
      const expiresAt = expiresAtFrom(long.expires_in, deps.now());
      return {
        credentials: {
          accessToken: tokenFrom(long, 'Instagram'),
          ...(expiresAt ? { expiresAt } : {}),
          ...(short.user_id !== undefined ? { userId: String(short.user_id) } : {}),
        },
      };
    },
  };
}
