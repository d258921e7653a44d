/**
 * LinkedIn's versioned REST API over plain fetch: the bearer token, the `LinkedIn-Version` and
 * `X-Restli-Protocol-Version: 2.0.0` headers every /rest call needs, URNs encoded where they go
 * into a path or a query, a per-request deadline joined with the engine's signal, and an error
 * that keeps the status, headers and LinkedIn's error body for errors.ts to read.
 */
import { requestSignal } from '../failure.ts';

export const LINKEDIN_API_ROOT = 'https://api.linkedin.com';
/** A Marketing/Community Management API version in YYYYMM form (LinkedIn supports each for a year). */
export const LINKEDIN_VERSION = '202610';

/** LinkedIn's error body: `{ status, serviceErrorCode, code, message }`. */
export interface LinkedInProblem {
  status?: number;
  serviceErrorCode?: number;
  code?: string;
  message?: string;
  /** OAuth endpoints. */
  error?: string;
  error_description?: string;
}

export class LinkedInHttpError extends Error {
  readonly status: number;
  readonly headers: Headers;
  readonly body: LinkedInProblem | undefined;
  constructor(status: number, headers: Headers, body: LinkedInProblem | undefined) {
    super(`LinkedIn answered ${status}: ${body?.message ?? body?.error_description ?? body?.code ?? ''}`);
    this.name = 'LinkedInHttpError';
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
}

export interface LinkedInContext {
  root: string;
  accessToken: string;
  version: string;
  signal: AbortSignal;
  timeoutMs: number;
}

export interface LinkedInAnswer<T> {
  status: number;
  headers: Headers;
  data: T | undefined;
}

export function apiRoot(baseUrl: string | undefined): string {
  return (baseUrl || LINKEDIN_API_ROOT).replace(/\/+$/, '');
}

export function isProduction(root: string): boolean {
  return new URL(root).hostname === 'api.linkedin.com';
}

/** A URN as one path segment (`urn:li:share:1` → `urn%3Ali%3Ashare%3A1`). */
export function encodeUrn(urn: string): string {
  return encodeURIComponent(urn);
}

/**
 * One request. `path` starts with `/` (joined to the API root) or is absolute (an upload URL).
 * A JSON body is sent as JSON; bytes as they are. An answer of 400 or more throws LinkedInHttpError.
 */
export async function linkedinRequest<T>(ctx: LinkedInContext, method: string, path: string, options: {
  query?: Record<string, string | number>;
  json?: unknown;
  bytes?: Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
  /** Plain OAuth or OpenID endpoints take no version headers. */
  unversioned?: boolean;
} = {}): Promise<LinkedInAnswer<T>> {
  const url = new URL(path.startsWith('/') ? `${ctx.root}${path}` : path);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, String(value));
  const headers: Record<string, string> = {
    authorization: `Bearer ${ctx.accessToken}`,
    accept: 'application/json',
    ...(options.unversioned ? {} : { 'linkedin-version': ctx.version, 'x-restli-protocol-version': '2.0.0' }),
    ...options.headers,
  };
  let body: string | Uint8Array | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.bytes) {
    headers['content-type'] = options.contentType ?? 'application/octet-stream';
    body = options.bytes;
  }
  const response = await fetch(url, { method, headers, body: body as BodyInit | undefined, signal: requestSignal(ctx.signal, ctx.timeoutMs) });
  const text = await response.text();
  let data: unknown;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      // An HTML error page from a proxy: the status still says what happened.
      if (response.status >= 400) throw new LinkedInHttpError(response.status, response.headers, { message: text.slice(0, 200) });
      throw error;
    }
  }
  if (response.status >= 400) throw new LinkedInHttpError(response.status, response.headers, data as LinkedInProblem | undefined);
  return { status: response.status, headers: response.headers, data: data as T | undefined };
}
