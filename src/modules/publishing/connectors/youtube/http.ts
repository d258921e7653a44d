/**
 * One HTTP exchange with Google (YouTube Data API, its upload endpoint, the OAuth token endpoint)
 * over plain fetch: a per-request deadline joined with the engine's signal, and every answer that
 * is not one the caller expects thrown as a `GoogleHttpError` (status, headers, parsed body) for
 * errors.ts to word. No client library: the few endpoints Siar needs are simple JSON.
 */
import { requestSignal } from '../failure.ts';

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

/** A 2xx answer whose body could not be read: the request was taken, its result is unknown. */
export class UnreadableAnswer extends Error {
  readonly status: number;
  constructor(status: number, cause: unknown) {
    super(`Google answered ${status} with a body that could not be read`, { cause });
    this.name = 'UnreadableAnswer';
    this.status = status;
  }
}

export interface HttpClient {
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
}

export interface Exchange {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  signal: AbortSignal;
  headers?: Record<string, string>;
  /** JSON to send; `bytes` sends a file instead. */
  json?: unknown;
  bytes?: Uint8Array;
  form?: Record<string, string>;
  /** Statuses other than 2xx the caller handles itself (308 from an upload status check). */
  accept?: readonly number[];
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
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
  const ok = response.ok || (request.accept ?? []).includes(response.status);
  let parsed: unknown = text;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      if (ok) throw new UnreadableAnswer(response.status, error);
    }
  } else {
    parsed = undefined;
  }
  if (!ok) throw new GoogleHttpError(response.status, response.headers, parsed);
  return { status: response.status, headers: response.headers, body: parsed };
}

/** `base` + `path` + query, dropping undefined values. */
export function urlOf(base: string, path: string, query: Record<string, string | number | boolean | undefined> = {}): string {
  const url = new URL(base.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}
