/**
 * Bluesky link cards, built by us as Bluesky's own app builds them: Bluesky draws a card only from
 * an `app.bsky.embed.external` the client writes into the post (uri, title, description, thumb
 * blob). This module reads the linked page (http/https only, never a link-local address such as a
 * cloud's metadata service, a few redirects, a time limit inside
 * the call's signal, a body cap, a User-Agent naming Siar so the portal's short links do not count
 * it as a reader's click), takes its Open Graph tags (falling back to Twitter tags, then `<title>`
 * and `meta name=description`), fetches the picture and makes it fit Bluesky's 1,000,000-byte limit
 * for thumbnails (sharp: recompressed to JPEG, smaller when needed).
 *
 * The page is read with the small meta-tag reader below, not an HTML parser: none is a declared
 * dependency (htmlparser2 is only present through sanitize-html), and a card needs just the
 * `<meta>` and `<title>` elements of the head. The reader drops comments, scripts and styles
 * first, reads quoted and unquoted attributes, and decodes character references.
 *
 * Every failure is a `LinkCardError` with a reason; the connector then posts without a card.
 */
import type { $Typed, AppBskyEmbedExternal, BlobRef } from '@atproto/api';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import sharp from 'sharp';

export interface LinkCardOptions {
  /** Injected in tests; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** For the page and its picture together. */
  timeoutMs?: number;
  /** Bytes of the page read at most; meta tags are in its head, the rest is not needed. */
  maxPageBytes?: number;
  /** A larger picture is refused before it is decoded. */
  maxImageBytes?: number;
  maxRedirects?: number;
}

export interface LinkPreview {
  /** The link as the post has it (a short link stays a short link, so clicks on the card count). */
  uri: string;
  title: string;
  description: string;
  /** Absolute http(s) address of the picture, when the page names one. */
  image: string | null;
}

export interface Thumb {
  bytes: Uint8Array;
  mime: string;
}

export type LinkCardFailure =
  | 'not_http' | 'forbidden_address' | 'unreachable' | 'timeout' | 'http_status' | 'too_many_redirects' | 'not_html' | 'no_title'
  | 'image_unreachable' | 'image_too_large' | 'image_unreadable';

export class LinkCardError extends Error {
  readonly reason: LinkCardFailure;
  constructor(reason: LinkCardFailure, detail: string, options: { cause?: unknown } = {}) {
    super(`link card: ${reason}: ${detail}`, { cause: options.cause });
    this.name = 'LinkCardError';
    this.reason = reason;
  }
}

export const LINK_CARD_USER_AGENT = 'Mozilla/5.0 (compatible; SiarBot/1.0; link card for a Bluesky post)';
/** The lexicon's `maxSize` of app.bsky.embed.external#external.thumb. */
export const THUMB_MAX_BYTES = 1_000_000;
const DEFAULTS = { timeoutMs: 5_000, maxPageBytes: 1_000_000, maxImageBytes: 5_000_000, maxRedirects: 4 };
/** Lengths Bluesky's app shows comfortably; the lexicon itself sets none. */
const MAX_TITLE = 300;
const MAX_DESCRIPTION = 1_000;
/** Pictures larger than this many pixels are not decoded at all (decompression bombs). */
const MAX_PIXELS = 40_000_000;

type Settings = Required<Omit<LinkCardOptions, 'fetch'>> & { fetch: typeof globalThis.fetch };

function settingsOf(options: LinkCardOptions): Settings {
  return { ...DEFAULTS, ...options, fetch: options.fetch ?? globalThis.fetch };
}

function httpUrl(value: string, base?: string): URL | null {
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function failed(error: unknown, signal: AbortSignal, deadline: AbortSignal, reason: 'unreachable' | 'image_unreachable', url: string): LinkCardError {
  if (error instanceof LinkCardError) return error;
  if (deadline.aborted && !signal.aborted) return new LinkCardError('timeout', url, { cause: error });
  return new LinkCardError(reason, url, { cause: error });
}

/**
 * Addresses a card is never read from: link-local ones (169.254.0.0/16, where clouds answer with
 * instance metadata and credentials; fe80::/10), the unspecified and multicast ones. Private and
 * loopback addresses stay allowed: Siar's own portal may well be on one. Checked for every hop by
 * resolving the host first; a DNS answer that changes between the check and the connection is not
 * caught (that needs checking at connect time).
 */
export function forbiddenAddress(address: string): boolean {
  const kind = isIP(address);
  if (kind === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return (a === 169 && b === 254) || a === 0 || (a >= 224 && a <= 239) || address === '255.255.255.255';
  }
  if (kind === 6) {
    const lower = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped) return forbiddenAddress(mapped[1]!);
    return /^fe[89ab]/.test(lower) || lower === '::' || lower.startsWith('ff');
  }
  return false;
}

async function assertReadable(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((entry) => entry.address);
  const bad = addresses.find(forbiddenAddress);
  if (bad) throw new LinkCardError('forbidden_address', `${url.hostname} is ${bad}`);
}

/** GET with redirects followed by hand, so that every hop is checked to be http(s) and not a forbidden address. */
async function get(url: URL, accept: string, settings: Settings, signal: AbortSignal): Promise<{ response: Response; url: URL }> {
  let current = url;
  for (let hop = 0; ; hop++) {
    await assertReadable(current);
    const response = await settings.fetch(current, {
      redirect: 'manual',
      signal,
      headers: { 'user-agent': LINK_CARD_USER_AGENT, accept, 'accept-language': 'id,en;q=0.8' },
    });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return { response, url: current };
    await response.body?.cancel().catch(() => {});
    if (hop >= settings.maxRedirects) throw new LinkCardError('too_many_redirects', url.href);
    const next = httpUrl(location, current.href);
    if (!next) throw new LinkCardError('not_http', location);
    current = next;
  }
}

/** At most `cap` bytes of the body; `whole` makes a longer body an error instead of a cut. */
async function readBody(response: Response, cap: number, whole: boolean): Promise<Uint8Array | null> {
  const declared = Number(response.headers.get('content-length'));
  if (whole && Number.isFinite(declared) && declared > cap) {
    await response.body?.cancel().catch(() => {});
    return null;
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > cap) {
        if (whole) return null;
        chunks.push(value.subarray(0, cap - size));
        size = cap;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks, size);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '–', mdash: '—', hellip: '…', laquo: '«', raquo: '»', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', middot: '·', copy: '©', reg: '®', trade: '™', bull: '•' };

function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));?/g, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name] ?? NAMED[name.toLowerCase()] ?? whole;
    const code = dec !== undefined ? Number(dec) : Number.parseInt(hex!, 16);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  });
}

function tidy(text: string, max: number): string {
  const flat = decodeEntities(text).replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

function attributes(source: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of source.matchAll(/([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    const name = match[1]!.toLowerCase();
    if (!found.has(name)) found.set(name, match[2] ?? match[3] ?? match[4] ?? '');
  }
  return found;
}

/** The charset a page declares in a `<meta>` (used when the HTTP header names none). */
function declaredCharset(head: string): string | undefined {
  return /<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
}

function decodePage(bytes: Uint8Array, contentType: string): string {
  const fromHeader = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1];
  const label = fromHeader ?? declaredCharset(new TextDecoder('latin1').decode(bytes.subarray(0, 2048))) ?? 'utf-8';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Title, description and picture a page gives for link previews; null without a title. */
export function readPageMeta(html: string, pageUrl: string): { title: string; description: string; image: string | null } | null {
  const cleaned = html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/<(script|style|noscript|template)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ');
  // The head is where these belong; a page without one is read whole.
  const end = cleaned.search(/<\/head\s*>|<body\b/i);
  const head = end >= 0 ? cleaned.slice(0, end) : cleaned;
  const meta = new Map<string, string>();
  for (const match of head.matchAll(/<meta\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi)) {
    const attrs = attributes(match[1]!);
    const key = (attrs.get('property') ?? attrs.get('name') ?? '').trim().toLowerCase();
    const content = attrs.get('content');
    if (key !== '' && content !== undefined && !meta.has(key)) meta.set(key, content);
  }
  const first = (...keys: string[]): string => {
    for (const key of keys) {
      const value = meta.get(key);
      if (value !== undefined && decodeEntities(value).trim() !== '') return value;
    }
    return '';
  };
  const titleElement = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(head)?.[1] ?? '';
  const title = tidy(first('og:title', 'twitter:title') || titleElement, MAX_TITLE);
  if (title === '') return null;
  const description = tidy(first('og:description', 'twitter:description', 'description'), MAX_DESCRIPTION);
  const imageValue = decodeEntities(first('og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src')).trim();
  const image = imageValue === '' ? null : (httpUrl(imageValue, pageUrl)?.href ?? null);
  return { title, description, image };
}

/** Reads the page behind `link` for its card. */
export async function readLinkPreview(link: string, signal: AbortSignal, options: LinkCardOptions = {}): Promise<LinkPreview> {
  const settings = settingsOf(options);
  return previewWithin(link, settings, signal, AbortSignal.any([signal, AbortSignal.timeout(settings.timeoutMs)]));
}

async function previewWithin(link: string, settings: Settings, signal: AbortSignal, deadline: AbortSignal): Promise<LinkPreview> {
  const url = httpUrl(link);
  if (!url) throw new LinkCardError('not_http', link);
  try {
    const { response, url: final } = await get(url, 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1', settings, deadline);
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new LinkCardError('http_status', `${response.status} ${url.href}`);
    }
    const type = response.headers.get('content-type') ?? '';
    if (!/^\s*(?:text\/html|application\/xhtml\+xml)\b/i.test(type)) {
      await response.body?.cancel().catch(() => {});
      throw new LinkCardError('not_html', `${type || 'no content-type'} ${url.href}`);
    }
    const bytes = (await readBody(response, settings.maxPageBytes, false))!;
    const meta = readPageMeta(decodePage(bytes, type), final.href);
    if (!meta) throw new LinkCardError('no_title', url.href);
    return { uri: link, ...meta };
  } catch (error) {
    throw failed(error, signal, deadline, 'unreachable', url.href);
  }
}

/** The picture as a thumbnail Bluesky takes: as it is when small enough, else a smaller JPEG. */
export async function fitThumb(bytes: Uint8Array): Promise<Thumb> {
  let format: string | undefined;
  try {
    format = (await sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata()).format;
  } catch (error) {
    throw new LinkCardError('image_unreadable', 'not a picture sharp can read', { cause: error });
  }
  // SVG would be rendered by us from someone else's markup: not worth it for a thumbnail.
  if (format === 'svg' || format === undefined) throw new LinkCardError('image_unreadable', `format ${format ?? 'unknown'}`);
  const kept: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif' };
  const mime = kept[format];
  if (mime && bytes.byteLength <= THUMB_MAX_BYTES) return { bytes, mime };
  for (const [side, quality] of [[2000, 85], [1600, 80], [1200, 75], [800, 70], [500, 60]] as const) {
    try {
      const out = await sharp(bytes, { limitInputPixels: MAX_PIXELS })
        .rotate()
        .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality, mozjpeg: true })
        .toBuffer();
      if (out.byteLength <= THUMB_MAX_BYTES) return { bytes: out, mime: 'image/jpeg' };
    } catch (error) {
      throw new LinkCardError('image_unreadable', 'could not re-encode the picture', { cause: error });
    }
  }
  throw new LinkCardError('image_too_large', 'still over 1,000,000 bytes at 500 px');
}

/** Fetches the page's picture (at most `maxImageBytes`) and fits it as a thumbnail. */
export async function readThumb(imageUrl: string, signal: AbortSignal, options: LinkCardOptions = {}): Promise<Thumb> {
  const settings = settingsOf(options);
  return thumbWithin(imageUrl, settings, signal, AbortSignal.any([signal, AbortSignal.timeout(settings.timeoutMs)]));
}

async function thumbWithin(imageUrl: string, settings: Settings, signal: AbortSignal, deadline: AbortSignal): Promise<Thumb> {
  const url = httpUrl(imageUrl);
  if (!url) throw new LinkCardError('not_http', imageUrl);
  try {
    const { response } = await get(url, 'image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8', settings, deadline);
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new LinkCardError('image_unreachable', `${response.status} ${url.href}`);
    }
    const bytes = await readBody(response, settings.maxImageBytes, true);
    if (!bytes) throw new LinkCardError('image_too_large', `over ${settings.maxImageBytes} bytes: ${url.href}`);
    return await fitThumb(bytes);
  } catch (error) {
    throw failed(error, signal, deadline, 'image_unreachable', url.href);
  }
}

/**
 * The external embed for `link`: page and picture within one time limit, the thumbnail uploaded
 * with `upload` (the PDS's uploadBlob). A page without a picture gives a card without a thumbnail;
 * a picture that cannot be used (unreachable, over the cap, not an image) gives no card at all.
 */
export async function buildLinkCard(link: string, signal: AbortSignal, upload: (thumb: Thumb) => Promise<BlobRef>, options: LinkCardOptions = {}): Promise<$Typed<AppBskyEmbedExternal.Main>> {
  const settings = settingsOf(options);
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(settings.timeoutMs)]);
  const preview = await previewWithin(link, settings, signal, deadline);
  const thumb = preview.image ? await thumbWithin(preview.image, settings, signal, deadline) : null;
  const external: AppBskyEmbedExternal.External = { uri: preview.uri, title: preview.title, description: preview.description };
  if (thumb) external.thumb = await upload(thumb);
  return { $type: 'app.bsky.embed.external', external };
}
