/**
 * Facebook Login for a Page: the consent dialog, the code exchange, the long-lived user token
 * (about 60 days), and the Pages that user manages (`/me/accounts`), each with its own Page token.
 * A Page token obtained from a long-lived user token does not expire, so the channel keeps the Page
 * token; the person picks the Page after signing in.
 *
 * PKCE: Facebook documents PKCE only for its OpenID Connect flow, still marked "in testing", so the
 * plain code flow with the app secret is used.
 */
import { ConnectorError } from '../../connector.ts';
import type { OAuthAccountChoice, OAuthFlow } from '../../connector.ts';
import type { GraphClient, GraphList } from '../graph/client.ts';
import { isProductionRoot, joinUrl } from '../graph/client.ts';
import { expiresAtFrom, tokenFrom } from '../graph/tokens.ts';
import type { TokenAnswer } from '../graph/tokens.ts';

export const FACEBOOK_API = 'https://graph.facebook.com';
export const FACEBOOK_VERSION = 'v23.0';
const DIALOG = `https://www.facebook.com/${FACEBOOK_VERSION}/dialog/oauth`;
export const FACEBOOK_SCOPES = ['pages_show_list', 'pages_manage_posts', 'pages_read_engagement', 'pages_manage_engagement'];

interface ManagedPage {
  id: string;
  name?: string;
  username?: string;
  access_token?: string;
  category?: string;
  tasks?: string[];
}

export function facebookOAuth(deps: { graph: GraphClient; call: <T>(signal: AbortSignal, run: () => Promise<T>) => Promise<T>; now: () => number }): OAuthFlow {
  const { graph, call } = deps;
  return {
    pkce: false,
    scopes: FACEBOOK_SCOPES,

    authorizeUrl({ baseUrl, client, state }) {
      const dialog = isProductionRoot(baseUrl, FACEBOOK_API) ? DIALOG : joinUrl(baseUrl, `/${FACEBOOK_VERSION}/dialog/oauth`);
      const url = new URL(dialog);
      url.searchParams.set('client_id', client.clientId);
      url.searchParams.set('redirect_uri', client.redirectUri);
      url.searchParams.set('state', state);
      url.searchParams.set('scope', FACEBOOK_SCOPES.join(','));
      url.searchParams.set('response_type', 'code');
      return url.toString();
    },

    async exchangeCode({ baseUrl, client, code, signal }) {
      const tokenUrl = joinUrl(baseUrl, `/${FACEBOOK_VERSION}/oauth/access_token`);
      const secret = client.clientSecret ?? undefined;
      const short = await call(signal, () => graph.call<TokenAnswer>(tokenUrl, {
        query: { client_id: client.clientId, redirect_uri: client.redirectUri, client_secret: secret, code },
        signal,
      }));
      const shortToken = tokenFrom(short, 'Facebook');
      // The code gives a token for about two hours; the long-lived one lasts about 60 days, and the
      // Page tokens read with it never expire.
      const long = await call(signal, () => graph.call<TokenAnswer>(tokenUrl, {
        query: { grant_type: 'fb_exchange_token', client_id: client.clientId, client_secret: secret, fb_exchange_token: shortToken },
        signal,
      }));
      const userToken = tokenFrom(long, 'Facebook');
      const pages = await call(signal, () => graph.call<GraphList<ManagedPage>>(joinUrl(baseUrl, `/${FACEBOOK_VERSION}/me/accounts`), {
        query: { fields: 'id,name,username,access_token,category,tasks', limit: 100 },
        token: userToken,
        signal,
      }));
      const accounts: OAuthAccountChoice[] = (pages.data ?? [])
        // Only Pages this person may publish on; `tasks` is absent for some older Page roles.
        .filter((page) => page.access_token && (!page.tasks || page.tasks.includes('CREATE_CONTENT')))
        .map((page) => ({
          externalAccountId: page.id,
          handle: page.username ?? page.name ?? page.id,
          name: page.name ?? page.username ?? page.id,
          credentials: { accessToken: page.access_token! },
        }));
      if (accounts.length === 0) {
        throw new ConnectorError('permanent', 'no_pages', {
          id: 'Akun Facebook ini tidak mengelola Halaman yang boleh diisi postingan (atau izin Halaman tidak dicentang saat masuk). Masuk dengan akun admin Halaman dan setujui semua izin.',
          en: 'This Facebook account manages no Page it may post to (or the Page permissions were left unticked). Sign in with a Page admin account and grant every permission.',
        });
      }
      const expiresAt = expiresAtFrom(long.expires_in, deps.now());
      return { credentials: { accessToken: userToken, ...(expiresAt ? { expiresAt } : {}) }, accounts };
    },
  };
}
