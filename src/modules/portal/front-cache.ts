/**
 * The front of the portal's render cache: a kept page is answered from the HTTP server's own
 * request listener, before the web framework sees the request (as a caching proxy in front of the
 * application would, but in-process). A cached article costs a map lookup and one write; anything
 * else — a page not kept, a HEAD, an API call, a form — goes on to Fastify unchanged. The answer
 * is the one the page route gives: the same bytes, ETag, Last-Modified, Cache-Control, security
 * headers and request id, and 304 to a matching If-None-Match / If-Modified-Since.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { notModified, type CachedPage, type RenderCache } from './cache.ts';
import { pageKey, PAGE_CACHE_CONTROL } from './routes.ts';

export interface FrontCacheOptions {
  cache: RenderCache;
  /** The security headers every page carries (http/security-headers.ts). */
  pageHeaders: Record<string, string>;
  /** Whether a request id sent by the client may be echoed (the server's own rule). */
  acceptRequestId: (id: string) => boolean;
  /** Counts an answer (metrics), with the time it took in seconds. */
  observe?: (status: number, seconds: number) => void;
}

/** Returns a listener that answers a kept page and returns true, or returns false to pass the request on. */
export function frontCache(options: FrontCacheOptions): (request: IncomingMessage, response: ServerResponse) => boolean {
  const { cache, pageHeaders, acceptRequestId, observe } = options;
  // Each kept page's header lines, made once (flat [name, value, …] lists, as writeHead takes them).
  const prepared = new WeakMap<CachedPage, { full: string[]; notModified: string[] }>();
  const headersOf = (page: CachedPage) => {
    let lines = prepared.get(page);
    if (!lines) {
      const common = [...Object.entries(pageHeaders).flat(), 'cache-control', PAGE_CACHE_CONTROL, 'etag', page.etag, 'last-modified', page.lastModifiedText];
      lines = { notModified: common, full: [...common, 'content-type', page.contentType, 'content-length', String(page.bytes.length)] };
      prepared.set(page, lines);
    }
    return lines;
  };
  return (request, response) => {
    if (request.method !== 'GET' || !cache.enabled) return false;
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path.startsWith('/api/') || path.startsWith('/admin')) return false;
    const halaman = q === -1 ? undefined : new URLSearchParams(url.slice(q + 1)).get('halaman') ?? undefined;
    const page = cache.peek(pageKey(path, halaman));
    if (!page) return false;
    const started = performance.now();
    const sent = request.headers['x-request-id'];
    const id = typeof sent === 'string' && acceptRequestId(sent) ? sent : randomUUID();
    const prepared = headersOf(page);
    if (page.status < 300 && notModified(request.headers as Record<string, string | undefined>, page)) {
      response.writeHead(304, [...prepared.notModified, 'x-request-id', id]).end();
    } else {
      response.writeHead(page.status, [...prepared.full, 'x-request-id', id]).end(page.bytes);
    }
    observe?.(response.statusCode, (performance.now() - started) / 1000);
    return true;
  };
}
