/**
 * A twitter-api-v2 client for one connector call: the account's bearer token, the channel's API
 * root, the engine's cancel signal and our per-request deadline.
 *
 * The library is used unmodified, through its own extension points:
 * - the v2 prefix (`setPrefix`, reached by a subclass: `cloneWithPrefix` calls a class
 *   constructor without `new` in 1.29 and throws), so the sandbox can stand in for api.x.com;
 * - `httpAgent`, because the library always calls `https.request` and Node refuses an http: URL
 *   there unless the agent speaks http (the sandbox listens on plain http);
 * - a plugin that hands each request an AbortSignal (the library has no cancel option of its own;
 *   Node's https.request takes `signal`), and records whether our deadline, not the engine, fired.
 */
import http from 'node:http';
import { TwitterApi, TwitterApiv2 } from 'twitter-api-v2';
import type { IClientSettings, ITwitterApiClientPlugin } from 'twitter-api-v2';
import { rateWindowFrom } from '../../connector.ts';
import type { ConnectorChannel, RateWindow } from '../../connector.ts';

export const X_API_ROOT = 'https://api.x.com';

/** The channel's API root without a trailing slash; production when the channel names none. */
export function apiRoot(channel: Pick<ConnectorChannel, 'baseUrl'> | { baseUrl: string }): string {
  return (channel.baseUrl || X_API_ROOT).replace(/\/+$/, '');
}

/** True for X's own API hosts, whose consent page lives on x.com instead. */
export function isProduction(root: string): boolean {
  const host = new URL(root).hostname;
  return host === 'api.x.com' || host === 'api.twitter.com';
}

class PrefixedV2 extends TwitterApiv2 {
  constructor(parent: TwitterApi, prefix: string) {
    super(parent);
    this.setPrefix(prefix);
  }
}

export interface XSession {
  api: TwitterApiv2;
  signal: AbortSignal;
  /** Set when our own per-request deadline aborted the last request (not the engine). */
  timedOut: boolean;
  /** What the last answer's `x-rate-limit-*` headers said is left of the window. */
  rateWindow: RateWindow | undefined;
}

const plainHttp = new http.Agent({ keepAlive: true });

export function xSession(root: string, accessToken: string, signal: AbortSignal, requestTimeoutMs: number): XSession {
  const session: XSession = { api: undefined as unknown as TwitterApiv2, signal, timedOut: false, rateWindow: undefined };
  const deadline: ITwitterApiClientPlugin = {
    onBeforeRequest({ requestOptions }) {
      const timer = AbortSignal.timeout(requestTimeoutMs);
      timer.addEventListener('abort', () => { session.timedOut = true; }, { once: true });
      requestOptions.signal = AbortSignal.any([signal, timer]);
    },
    onAfterRequest({ response }) {
      session.rateWindow = rateWindowFrom(response.headers) ?? session.rateWindow;
    },
  };
  const settings: Partial<IClientSettings> = {
    plugins: [deadline],
    ...(root.startsWith('http:') ? { httpAgent: plainHttp } : {}),
  };
  session.api = new PrefixedV2(new TwitterApi(accessToken, settings), `${root}/2/`);
  return session;
}
