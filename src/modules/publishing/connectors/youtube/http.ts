/**
 * One HTTP exchange with Google (YouTube Data API, its upload endpoint, the OAuth token endpoint):
 * every answer that is not one the caller expects is thrown as a `GoogleHttpError` (status,
 * headers, parsed body) for errors.ts to word. No client library: the few endpoints Siar needs are
 * simple JSON (json-http.ts).
 */
import { exchangeJson, UnreadableAnswer, urlOf } from '../json-http.ts';
import type { Answer, Exchange, HttpClient } from '../json-http.ts';

export { UnreadableAnswer, urlOf };
export type { Answer, Exchange, HttpClient };

export class GoogleHttpError extends Error {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, or the raw text when it was not JSON (a proxy's HTML page). */
  readonly body: unknown;

  constructor(status: number, headers: Headers, body: unknown) {
    super(`Google answered ${status}`);
    this.name = 'GoogleHttpError';
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
}

const google = { name: 'Google', refusal: (status: number, headers: Headers, body: unknown) => new GoogleHttpError(status, headers, body) };

export function exchange(http: HttpClient, request: Exchange): Promise<Answer> {
  return exchangeJson(google, http, request);
}
