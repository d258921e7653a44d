/**
 * One HTTP exchange over plain fetch with a network whose API is simple JSON (YouTube, TikTok): a
 * per-request deadline joined with the engine's signal, JSON (or a form, or file bytes) out, the
 * answer parsed, and every refusal thrown as the network's own error type for its errors.ts to word.
 */
import { requestSignal } from './failure.ts';

/** A 2xx answer whose body could not be read: the request was taken, its result is unknown. */
export class UnreadableAnswer extends Error {
  readonly status: number;
  constructor(network: string, status: number, cause: unknown) {
    super(`${network} answered ${status} with a body that could not be read`, { cause });
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
  /** JSON to send; `form` or `bytes` send those instead. */
  json?: unknown;
  form?: Record<string, string>;
  bytes?: Uint8Array;
  /** Statuses other than 2xx the caller handles itself (308 from an upload status check). */
  accept?: readonly number[];
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface JsonNetwork {
  name: string;
  /** The network's refusal, thrown for a status (or a body) that is not an answer. */
  refusal: (status: number, headers: Headers, body: unknown) => Error;
  /** A 2xx whose body still names an error (TikTok says "ok" in the body too). */
  refusesInBody?: (body: unknown) => boolean;
  reviver?: (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;
}

export async function exchangeJson(network: JsonNetwork, http: HttpClient, request: Exchange): Promise<Answer> {
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
  let parsed: unknown;
  if (text !== '') {
    try {
      parsed = JSON.parse(text, network.reviver as Parameters<typeof JSON.parse>[1]);
    } catch (error) {
      if (ok) throw new UnreadableAnswer(network.name, response.status, error);
      // A proxy's HTML page, say: kept (shortened) for the reason shown to a person.
      parsed = text.slice(0, 500);
    }
  }
  if (!ok || network.refusesInBody?.(parsed)) throw network.refusal(response.status, response.headers, parsed);
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
