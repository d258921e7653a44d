/**
 * One HTTP exchange with TikTok's Open API (json-http.ts): every refusal thrown as a
 * `TikTokHttpError` for errors.ts to word. TikTok says "ok" in the body as well as in the status:
 * `{ data, error: { code: "ok" } }` for the API, `{ error, error_description }` for OAuth, so a
 * body that names an error is a refusal whatever the status.
 */
import { exchangeJson, UnreadableAnswer, urlOf } from '../json-http.ts';
import type { Answer, Exchange, HttpClient } from '../json-http.ts';

export { UnreadableAnswer, urlOf };
export type { Answer, Exchange, HttpClient };

export class TikTokHttpError extends Error {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;

  constructor(status: number, headers: Headers, body: unknown) {
    super(`TikTok answered ${status}`);
    this.name = 'TikTokHttpError';
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
}

/** The error a body names, if any (`ok` is TikTok's word for none). */
export function namedError(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return error === '' ? undefined : error;
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code !== 'ok' && code !== '' ? code : undefined;
  }
  return undefined;
}

/**
 * TikTok sends some ids as 64-bit numbers (`publicaly_available_post_id`), which a double cannot
 * hold: such numbers are kept as their exact digits (JSON.parse source text access, Node 21+).
 */
function keepBigIntegers(this: unknown, _key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source) return context.source;
  return value;
}

const tiktok = {
  name: 'TikTok',
  refusal: (status: number, headers: Headers, body: unknown) => new TikTokHttpError(status, headers, body),
  refusesInBody: (body: unknown) => namedError(body) !== undefined,
  reviver: keepBigIntegers,
};

export function exchange(http: HttpClient, request: Exchange): Promise<Answer> {
  return exchangeJson(tiktok, http, request);
}
