/**
 * Conditional GET for the portal's machine-read answers (feeds, sitemaps, share images, widget
 * data): a strong ETag (a digest of the body unless given), Last-Modified when known, and 304 Not
 * Modified when the reader already has it. If-None-Match wins over If-Modified-Since (RFC 9110
 * §13.2.2), and ETags compare weakly, as that header asks.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Whether the reader's copy (by its If-None-Match / If-Modified-Since) is still the current one. */
export function isFresh(headers: FastifyRequest['headers'], etag: string, lastModified: Date | null): boolean {
  const inm = headers['if-none-match'];
  if (typeof inm === 'string' && inm.trim() !== '') {
    const bare = (tag: string) => tag.trim().replace(/^W\//, '');
    return inm.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
  }
  const ims = headers['if-modified-since'];
  if (typeof ims === 'string' && lastModified) {
    const since = Date.parse(ims);
    // Last-Modified has whole seconds; a change within the same second counts as newer.
    return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
  }
  return false;
}

export interface CacheableAnswer {
  body: string | Buffer;
  type: string;
  cacheControl: string;
  /** Defaults to a digest of the body. */
  etag?: string;
  lastModified?: Date | null;
}

export function sendCacheable(request: FastifyRequest, reply: FastifyReply, answer: CacheableAnswer): FastifyReply {
  const etag = answer.etag ?? etagOf(answer.body);
  void reply.header('etag', etag).header('cache-control', answer.cacheControl);
  if (answer.lastModified) void reply.header('last-modified', answer.lastModified.toUTCString());
  if (isFresh(request.headers, etag, answer.lastModified ?? null)) return reply.status(304).send();
  return reply.type(answer.type).send(answer.body);
}
