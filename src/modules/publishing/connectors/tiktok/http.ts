/**
 * One HTTP exchange with TikTok's Open API over plain fetch: a per-request deadline joined with the
 * engine's signal, JSON (or a form, or file bytes) out, and every refusal thrown as a
 * `TikTokHttpError` for errors.ts to word. TikTok says "ok" in the body as well as in the status:
 * `{ data, error: { code: "ok" } }` for the API, `{ error, error_description }` for OAuth, so a
 * body that names an error is a refusal whatever the status.
 */
import { requestSignal } from '../failure.ts';

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

/** A 2xx answer whose body could not be read: the request was taken, its result is unknown. */
export class UnreadableAnswer extends Error {
  readonly status: number;
  constructor(status: number, cause: unknown) {
    super(`TikTok answered ${status} with a body that could not be read`, { cause });
    this.name = 'UnreadableAnswer';
    this.status = status;
  }
}

export interface HttpClient {
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
}

export interface Exchange {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  signal: AbortSignal;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  bytes?: Uint8Array;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
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

export async function exchange(http: HttpClient, request: Exchange): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let body: BodyInit | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json; charset=UTF-8';
    body = JSON.stringify(request.json);
  } else if (request.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  } else if (request.bytes) {
    // A Buffer's backing store is typed ArrayBufferLike; fetch sends the view as it is.
    body = request.bytes as Uint8Array<ArrayBuffer>;
  }
  const response = await http.fetch(request.url, {
    method: request.method,
    headers,
    ...(body !== undefined ? { body } : {}),
    signal: requestSignal(request.signal, http.timeoutMs),
  });
  const text = await response.text();
  let parsed: unknown;
  if (text !== '') {
    try {
      parsed = JSON.parse(text, keepBigIntegers);
    } catch (error) {
      if (response.ok) throw new UnreadableAnswer(response.status, error);
      parsed = text.slice(0, 500);
    }
  }
  if (!response.ok || namedError(parsed) !== undefined) throw new TikTokHttpError(response.status, response.headers, parsed);
  return { status: response.status, headers: response.headers, body: parsed };
}

/**
 * TikTok sends some ids as 64-bit numbers (`publicaly_available_post_id`), which a double cannot
 * hold: such numbers are kept as their exact digits (JSON.parse source text access, Node 21+).
 */
function keepBigIntegers(this: unknown, _key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source) return context.source;
  return value;
}

/** `base` + `path` + query, dropping undefined values. */
export function urlOf(base: string, path: string, query: Record<string, string | number | undefined> = {}): string {
  const url = new URL(base.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}
