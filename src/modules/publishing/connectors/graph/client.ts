/**
 * A small HTTP client for Meta's Graph-style APIs (Facebook Pages, Instagram, Threads): one
 * request with the engine's signal and a per-request deadline, the token sent the ways Meta's
 * references show it (the `access_token` parameter, and a Bearer header, which Meta also reads),
 * and every answer that is not a readable success thrown as a `GraphHttpError` (or
 * `GraphUnreadableError`) for the network's own `errors.ts` to word.
 *
 * Not here: deciding what a failure means (graph/errors.ts) or which exchange is a write.
 */
import { requestSignal } from '../failure.ts';

export type GraphValue = string | number | boolean | null | undefined;
export type GraphParams = Record<string, GraphValue>;

/** Meta's error object: `{ error: { message, type, code, error_subcode, … } }`. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** The network answered with an HTTP error (or a 200 carrying `error`). */
export class GraphHttpError extends Error {
  readonly status: number;
  readonly headers: Headers;
  readonly body: GraphErrorBody | undefined;

  constructor(status: number, headers: Headers, body: GraphErrorBody | undefined, text: string) {
    super(body?.message ?? `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`);
    this.name = 'GraphHttpError';
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  get code(): number | undefined { return this.body?.code; }
  get subcode(): number | undefined { return this.body?.error_subcode; }
  /** What Meta said, preferring the sentence written for people. */
  get said(): string {
    const parts = [this.body?.error_user_msg, this.body?.message].filter((s): s is string => typeof s === 'string' && s !== '');
    return parts[0] ?? this.message;
  }
}

/** A success status whose body is not the JSON we expected (a proxy's page, a cut-off answer). */
export class GraphUnreadableError extends Error {
  readonly status: number;
  constructor(status: number, cause: unknown) {
    super(`unreadable answer (HTTP ${status})`, { cause });
    this.name = 'GraphUnreadableError';
    this.status = status;
  }
}

export interface GraphCall {
  method?: 'GET' | 'POST' | 'DELETE';
  query?: GraphParams;
  /** Sent as application/x-www-form-urlencoded (what Meta's curl examples send). */
  form?: GraphParams;
  /** Sent as multipart/form-data (file uploads). */
  multipart?: FormData;
  /** Omitted for the token endpoints, which carry their own parameters. */
  token?: string | undefined;
  signal: AbortSignal;
}

export interface GraphClient {
  call<T>(url: string, call: GraphCall): Promise<T>;
}

export interface GraphClientOptions {
  requestTimeoutMs: number;
  fetch?: typeof globalThis.fetch | undefined;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  return {
    async call<T>(url: string, call: GraphCall): Promise<T> {
      const method = call.method ?? 'GET';
      const target = new URL(url);
      for (const [key, value] of Object.entries(call.query ?? {})) {
        if (value !== undefined && value !== null) target.searchParams.set(key, String(value));
      }
      const headers: Record<string, string> = { accept: 'application/json' };
      let body: BodyInit | undefined;
      if (call.token) headers.authorization = `Bearer ${call.token}`;
      if (call.multipart) {
        if (call.token) call.multipart.set('access_token', call.token);
        body = call.multipart;
      } else if (method === 'POST') {
        const form = new URLSearchParams();
        for (const [key, value] of Object.entries(call.form ?? {})) {
          if (value !== undefined && value !== null) form.set(key, String(value));
        }
        if (call.token) form.set('access_token', call.token);
        body = form;
      } else if (call.token) {
        target.searchParams.set('access_token', call.token);
      }
      const response = await doFetch(target, { method, headers, body, signal: requestSignal(call.signal, options.requestTimeoutMs) });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text === '' ? {} : JSON.parse(text);
      } catch (error) {
        if (response.ok) throw new GraphUnreadableError(response.status, error);
        throw new GraphHttpError(response.status, response.headers, undefined, text);
      }
      const errorBody = isRecord(parsed) && isRecord(parsed.error) ? (parsed.error as GraphErrorBody) : undefined;
      if (!response.ok || errorBody) throw new GraphHttpError(response.ok ? 400 : response.status, response.headers, errorBody, text);
      if (!isRecord(parsed) && !Array.isArray(parsed)) throw new GraphUnreadableError(response.status, new Error('not a JSON object'));
      return parsed as T;
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ data: [...] }` pages, the shape of every Graph list. */
export interface GraphList<T> {
  data?: T[];
  paging?: { next?: string; cursors?: { after?: string } };
}

/**
 * Meta writes times as `2026-01-05T03:04:05+0000`; Date.parse needs the colon in the offset to
 * read that everywhere.
 */
export function graphTime(value: string | undefined | null): number {
  if (!value) return Number.NaN;
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** Equal for our purpose: same characters after NFC, ignoring how whitespace was laid out. */
export function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  const norm = (s: string | null | undefined): string => (s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}

/** Servers' and our clocks differ a little; a post stamped this much before firstAttemptAt still counts. */
export const CLOCK_SKEW_MS = 2 * 60_000;

/** Joins an API root and a production path, whatever slashes the root ends with. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

/** True when `baseUrl` is the network's production API root (then consent pages use their own hosts). */
export function isProductionRoot(baseUrl: string, productionRoot: string): boolean {
  try {
    return new URL(baseUrl).host === new URL(productionRoot).host;
  } catch {
    return false;
  }
}
