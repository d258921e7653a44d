/**
 * Threads sign-in: the consent page on threads.net, the code exchange (a one-hour token) and the
 * long-lived token (60 days) with its refresh, all three on graph.threads.net. Threads documents
 * no PKCE; the app secret authenticates the exchange.
 */
import { ConnectorError } from '../../connector.ts';
import type { Credentials, OAuthFlow } from '../../connector.ts';
import type { GraphClient } from '../graph/client.ts';
import { GraphHttpError, isProductionRoot, joinUrl } from '../graph/client.ts';
import { expiresAtFrom, tokenFrom, unwrapTokenAnswer } from '../graph/tokens.ts';
import type { TokenAnswer } from '../graph/tokens.ts';

export const THREADS_API = 'https://graph.threads.net';
export const THREADS_VERSION = 'v1.0';
const CONSENT = 'https://threads.net/oauth/authorize';
export const THREADS_SCOPES = ['threads_basic', 'threads_content_publish', 'threads_manage_replies', 'threads_read_replies', 'threads_manage_insights'];

type Call = <T>(signal: AbortSignal, run: () => Promise<T>) => Promise<T>;

/** Refreshes a long-lived token (valid, at least 24 hours old) for another 60 days. */
export async function refreshThreadsToken(deps: { graph: GraphClient; call: Call; now: () => number }, baseUrl: string, credentials: Credentials, signal: AbortSignal): Promise<Credentials> {
  const token = credentials.accessToken;
  if (!token) {
    throw new ConnectorError('auth', 'missing_credentials', {
      id: 'Token akses Threads belum tersimpan untuk kanal ini. Sambungkan ulang kanal.',
      en: 'No Threads access token is stored for this channel. Reconnect the channel.',
    });
  }
  let answer: TokenAnswer;
  try {
    answer = await deps.call(signal, () => deps.graph.call<TokenAnswer>(joinUrl(baseUrl, '/refresh_access_token'), {
      query: { grant_type: 'th_refresh_token', access_token: token },
      signal,
    }));
  } catch (error) {
    // Refused for good (expired, revoked, or younger than 24 hours): only a new sign-in helps.
    if (error instanceof ConnectorError && error.kind === 'permanent') {
      const said = error.cause instanceof GraphHttpError ? ` Threads: "${error.cause.said.slice(0, 200)}"` : '';
      throw new ConnectorError('auth', 'refresh_refused', {
        id: `Threads menolak memperbarui token akses akun ini. Sambungkan ulang kanal.${said}`,
        en: `Threads refused to renew this account's access token. Reconnect the channel.${said}`,
      }, { status: error.status, cause: error });
    }
    throw error;
  }
  const expiresAt = expiresAtFrom(answer.expires_in, deps.now());
  return { ...credentials, accessToken: tokenFrom(answer, 'Threads'), ...(expiresAt ? { expiresAt } : {}) };
}

export function threadsOAuth(deps: { graph: GraphClient; call: Call; now: () => number }): OAuthFlow {
  const { graph, call } = deps;
  return {
    pkce: false,
    scopes: THREADS_SCOPES,

    authorizeUrl({ baseUrl, client, state }) {
      const url = new URL(isProductionRoot(baseUrl, THREADS_API) ? CONSENT : joinUrl(baseUrl, '/oauth/authorize'));
      url.searchParams.set('client_id', client.clientId);
      url.searchParams.set('redirect_uri', client.redirectUri);
      url.searchParams.set('scope', THREADS_SCOPES.join(','));
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('state', state);
      return url.toString();
    },

    async exchangeCode({ baseUrl, client, code, signal }) {
      const short = unwrapTokenAnswer(await call(signal, () => graph.call<TokenAnswer>(joinUrl(baseUrl, '/oauth/access_token'), {
        method: 'POST',
        form: { client_id: client.clientId, client_secret: client.clientSecret ?? undefined, code: code.replace(/#_$/, ''), grant_type: 'authorization_code', redirect_uri: client.redirectUri },
        signal,
      })));
      const shortToken = tokenFrom(short, 'Threads');
      const long = await call(signal, () => graph.call<TokenAnswer>(joinUrl(baseUrl, '/access_token'), {
        query: { grant_type: 'th_exchange_token', client_secret: client.clientSecret ?? undefined, access_token: shortToken },
        signal,
      }));
      const expiresAt = expiresAtFrom(long.expires_in, deps.now());
      return {
        credentials: {
          accessToken: tokenFrom(long, 'Threads'),
          ...(expiresAt ? { expiresAt } : {}),
          ...(short.user_id !== undefined ? { userId: String(short.user_id) } : {}),
        },
      };
    },
  };
}
