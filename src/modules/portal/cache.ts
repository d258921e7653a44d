/**
 * The portal's render cache: finished pages kept in this process, keyed by path and query, so a
 * burst of readers costs one render. Bounded (least recently used goes first, by count and bytes).
 * Each page carries a strong ETag (hash of the body) and Last-Modified (when it was rendered), so
 * browsers and proxies revalidate with a 304.
 *
 * A page is dropped when it is older than the TTL (60 s by default: relative times such as
 * "5 menit lalu" are at most that stale), and the whole cache is dropped when the portal changes
 * (`clear()`, on NOTIFY 'siar_portal' from any process) or when the next scheduled article goes
 * live (`nextChange`: no NOTIFY marks that moment, so the cache remembers it and clears itself at
 * the first request after it). A render that started before a clear is not stored (generation
 * check), so a page read before a change never outlives the change.
 */
import { createHash } from 'node:crypto';

export interface RenderedPage {
  status: number;
  body: string;
  contentType?: string;
}

export interface CachedPage extends Required<RenderedPage> {
  etag: string;
  /** Second precision, as HTTP dates are. */
  lastModified: Date;
  /** What goes on the wire, made once: the body as UTF-8 bytes and the Last-Modified header's text. */
  bytes: Buffer;
  lastModifiedText: string;
}

export interface RenderCacheOptions {
  /** false: every request renders (benchmarks, SIAR_PORTAL_CACHE=off); ETags still work. */
  enabled?: boolean;
  maxEntries?: number;
  maxBytes?: number;
  ttlMs?: number;
  /** When the content will next change without an announcement (the next article going live). */
  nextChange?: (now: Date) => Promise<Date | null>;
  clock?: () => number;
}

/** Statuses worth keeping: pages and withdrawn articles. Not-found answers are cheap and unbounded in variety. */
const CACHEABLE = new Set([200, 410]);

export function pageOf(rendered: RenderedPage, at: number): CachedPage {
  const bytes = Buffer.from(rendered.body, 'utf8');
  const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
  const lastModified = new Date(Math.floor(at / 1000) * 1000);
  return {
    status: rendered.status,
    body: rendered.body,
    contentType: rendered.contentType ?? 'text/html; charset=utf-8',
    etag,
    lastModified,
    bytes,
    lastModifiedText: lastModified.toUTCString(),
  };
}

export class RenderCache {
  readonly #enabled: boolean;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #ttlMs: number;
  readonly #nextChange: ((now: Date) => Promise<Date | null>) | undefined;
  readonly #clock: () => number;
  /** Insertion order is recency order: a hit is deleted and set again. */
  readonly #entries = new Map<string, { page: CachedPage; storedAt: number; bytes: number }>();
  readonly #inflight = new Map<string, Promise<CachedPage>>();
  #bytes = 0;
  #generation = 0;
  #horizon: { generation: number; at: Promise<number> } | undefined;
  /** The horizon's time once known, so a hit can be answered without waiting on anything. */
  #horizonAt: number | undefined;

  constructor(options: RenderCacheOptions = {}) {
    this.#enabled = options.enabled ?? true;
    this.#maxEntries = options.maxEntries ?? 500;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#nextChange = options.nextChange;
    this.#clock = options.clock ?? Date.now;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Drops every page (the portal changed). */
  clear(): void {
    this.#generation += 1;
    this.#entries.clear();
    this.#inflight.clear();
    this.#bytes = 0;
    this.#horizon = undefined;
    this.#horizonAt = undefined;
  }

  /**
   * A kept page, answered synchronously (the hot path of a cached page: no promise, no render), or
   * undefined when the page must go through `get` (not kept, too old, the horizon not yet known
   * or passed).
   */
  peek(key: string): CachedPage | undefined {
    if (!this.#enabled || this.#horizon === undefined || this.#horizonAt === undefined) return undefined;
    const now = this.#clock();
    if (now >= this.#horizonAt) return undefined;
    const kept = this.#entries.get(key);
    if (!kept || now - kept.storedAt >= this.#ttlMs) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, kept);
    return kept.page;
  }

  /** The page for `key`: kept, or rendered now (one render for concurrent requests of one key). */
  async get(key: string, render: () => Promise<RenderedPage>): Promise<CachedPage> {
    if (!this.#enabled) return pageOf(await render(), this.#clock());
    await this.#expireAtHorizon();
    const now = this.#clock();
    const kept = this.#entries.get(key);
    if (kept && now - kept.storedAt < this.#ttlMs) {
      this.#entries.delete(key);
      this.#entries.set(key, kept);
      return kept.page;
    }
    if (kept) this.#remove(key);
    const pending = this.#inflight.get(key);
    if (pending) return pending;
    const generation = this.#generation;
    const rendering = (async () => {
      // The horizon is read before rendering: anything going live after this read is after it.
      await this.#horizonOf(generation);
      const page = pageOf(await render(), this.#clock());
      if (generation === this.#generation && CACHEABLE.has(page.status)) this.#store(key, page);
      return page;
    })();
    this.#inflight.set(key, rendering);
    try {
      return await rendering;
    } finally {
      if (this.#inflight.get(key) === rendering) this.#inflight.delete(key);
    }
  }

  async #expireAtHorizon(): Promise<void> {
    const horizon = this.#horizon;
    if (!horizon) return;
    const at = await horizon.at;
    if (horizon === this.#horizon && this.#clock() >= at) this.clear();
  }

  #horizonOf(generation: number): Promise<number> {
    if (this.#horizon?.generation === generation) return this.#horizon.at;
    if (!this.#nextChange) return Promise.resolve(Infinity);
    // A failed read clears at the next request rather than keeping pages forever.
    const at = this.#nextChange(new Date(this.#clock())).then((next) => next?.getTime() ?? Infinity, () => this.#clock());
    if (generation === this.#generation) {
      const horizon = { generation, at };
      this.#horizon = horizon;
      void at.then((time) => {
        if (this.#horizon === horizon) this.#horizonAt = time;
      });
    }
    return at;
  }

  #store(key: string, page: CachedPage): void {
    const bytes = page.bytes.length;
    if (bytes > this.#maxBytes) return;
    this.#remove(key);
    this.#entries.set(key, { page, storedAt: this.#clock(), bytes });
    this.#bytes += bytes;
    while (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#remove(oldest);
    }
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}

/**
 * Whether the browser's copy is still good: If-None-Match (weak comparison, as RFC 9110 asks for
 * GET) wins over If-Modified-Since.
 */
export function notModified(headers: { 'if-none-match'?: string | undefined; 'if-modified-since'?: string | undefined }, page: CachedPage): boolean {
  const match = headers['if-none-match'];
  if (match !== undefined) {
    if (match.trim() === '*') return true;
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    return match.split(',').some((tag) => opaque(tag) === page.etag);
  }
  const since = headers['if-modified-since'];
  if (since === undefined) return false;
  const at = Date.parse(since);
  return !Number.isNaN(at) && page.lastModified.getTime() <= at;
}
