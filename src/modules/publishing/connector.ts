/**
 * The one small interface every network connector implements, and the one error type they throw.
 * The publishing engine decides what to do with an outcome (retry, look up, give up); a connector
 * only says what happened, in terms the engine and a person can use.
 *
 * Exactly once: a connector either uses the network's own protection (Mastodon's Idempotency-Key,
 * Bluesky's caller-chosen record key and stable createdAt), or makes `findPublished` able to
 * recognise its own post on the network (the exact text it sent, after the attempt started), so
 * that an uncertain outcome is looked up rather than blindly retried.
 */
import type { Network } from '../networks/limits.ts';

export interface ConnectorChannel {
  id: string;
  network: Network;
  handle: string;
  /** The network's id of the account (Mastodon account id, Bluesky DID, Telegram chat id, X user id). */
  externalAccountId: string | null;
  /** API root: the Mastodon instance, the Bluesky PDS, the Telegram Bot API root, the sandbox. */
  baseUrl: string;
}

/** Decrypted credentials; which keys exist depends on the network (accessToken, refreshToken, botToken, identifier, appPassword…). */
export type Credentials = Record<string, string>;

export interface OutgoingMedia {
  /** Public URL (networks that pull media from a URL: Instagram, Threads). */
  url: string;
  /** The file's bytes, read by the engine from the media storage (networks that take uploads). */
  read: () => Promise<Buffer>;
  mime: string;
  alt: string;
  width: number | null;
  height: number | null;
}

export interface PublishRequest {
  channel: ConnectorChannel;
  credentials: Credentials;
  /** Stable for the target across every attempt: idempotency keys and record keys derive from it. */
  targetId: string;
  attempt: number;
  /** One post, or the parts of a thread in order (replies to the previous part). */
  parts: string[];
  title: string | null;
  /** Media of the first part. */
  media: OutgoingMedia[];
  firstComment: string | null;
  /** When the target was first attempted; the same on every attempt (Bluesky's createdAt). */
  firstAttemptAt: Date;
  /** When this attempt started: `findPublished` looks for posts made since the first attempt. */
  signal: AbortSignal;
}

export interface PublishedPart {
  externalId: string;
  url: string | null;
}

export interface PublishResult {
  /** The first part (the post people see); thread replies follow in `parts`. */
  externalId: string;
  url: string | null;
  parts: PublishedPart[];
  /** New credentials when the connector refreshed them on the way (the engine stores them encrypted). */
  refreshedCredentials?: Credentials;
  /** What the network's answer said is left of the account's window (its rate-limit headers). */
  rateWindow?: RateWindow;
  /** What a person should know about how it went out (kept private, a part the network refused), in Indonesian and English. */
  notice?: { id: string; en: string };
}

/** What every read-side call takes: the channel, its decrypted credentials, a deadline. */
export interface AccountRequest {
  channel: ConnectorChannel;
  credentials: Credentials;
  signal: AbortSignal;
}

/**
 * What the network allows this account, read live where the API says (Mastodon's instance
 * configuration, Instagram's and Threads' publishing quota), else the network's documented defaults.
 */
export interface AccountCapabilities {
  maxCharacters: number | null;
  maxMedia: number | null;
  mediaKinds: ('image' | 'video' | 'gif')[];
  /** Posts the account may still publish in the network's quota window, when the API reports it. */
  postsRemaining: number | null;
  postsWindowHours: number | null;
  canEdit: boolean;
  canDelete: boolean;
  canReadComments: boolean;
  canReply: boolean;
  canReadMetrics: boolean;
}

/** Counts for one published post; null where the network does not expose the figure. */
export interface PostMetrics {
  likes: number | null;
  reposts: number | null;
  replies: number | null;
  quotes: number | null;
  /** Impressions or views, as the network counts them. */
  views: number | null;
  fetchedAt: string;
}

/** A public reply to a published post (or to a reply under it), as read from the network. */
export interface IncomingComment {
  externalId: string;
  /** The post or comment it answers (network id). */
  inReplyTo: string;
  author: { externalId: string; handle: string; name: string | null; avatarUrl: string | null };
  text: string;
  createdAt: string;
  url: string | null;
  /** Written by the channel's own account (our replies). */
  own: boolean;
  likes: number | null;
}

/** A registered app at a network, from configuration (the sandbox accepts any client id). */
export interface OAuthClient {
  clientId: string;
  clientSecret: string | null;
  redirectUri: string;
}

/** An account the person may choose after signing in (Facebook Pages the user manages). */
export interface OAuthAccountChoice {
  externalAccountId: string;
  handle: string;
  name: string;
  credentials: Credentials;
}

export interface OAuthGrant {
  /** accessToken, refreshToken when given, expiresAt (ISO) when the token expires. */
  credentials: Credentials;
  /** Present when the sign-in gives access to several publishing accounts; the person picks one. */
  accounts?: OAuthAccountChoice[];
}

/**
 * The OAuth 2 authorization-code flow of a network (with PKCE S256 where the network supports it).
 * `baseUrl` is the channel's API root: the network's production root, or the sandbox, which serves
 * the consent page and token endpoint on the same paths as the network's own hosts.
 */
export interface OAuthFlow {
  pkce: boolean;
  scopes: string[];
  authorizeUrl(input: { baseUrl: string; client: OAuthClient; state: string; codeChallenge: string }): string;
  exchangeCode(input: { baseUrl: string; client: OAuthClient; code: string; codeVerifier: string; signal: AbortSignal }): Promise<OAuthGrant>;
}

export interface Connector {
  readonly network: Network;
  /** The production API root used when a channel does not name one. */
  readonly defaultBaseUrl?: string;
  /**
   * How long one publish may take when it is longer than the engine's usual limit: media the
   * network fetches and processes before publishing (Instagram and Threads containers), video
   * uploads (YouTube, TikTok).
   */
  readonly callTimeoutMs?: number;
  /** Whether the network itself deduplicates a retried publish (Mastodon, Bluesky): then an uncertain attempt is simply retried. */
  readonly idempotent: boolean;
  /**
   * False when an uncertain outcome cannot be checked on the network (Telegram: a bot cannot read
   * a channel's history): the engine then ends the target as failed with advice, never resending.
   */
  readonly verifiable?: boolean;
  publish(request: PublishRequest): Promise<PublishResult>;
  /** After an uncertain outcome: the post this target made, if it exists on the network. */
  findPublished(request: PublishRequest): Promise<PublishResult | null>;
  /** Remove a published post (and its thread parts). */
  remove(request: { channel: ConnectorChannel; credentials: Credentials; parts: PublishedPart[]; signal: AbortSignal }): Promise<void>;
  /** Exchange a refresh token for new credentials; absent where tokens do not expire. */
  refresh?(request: { channel: ConnectorChannel; credentials: Credentials; signal: AbortSignal }): Promise<Credentials>;
  /** What the network allows this account (limits, quota left, which read/edit calls exist). */
  capabilities?(request: AccountRequest): Promise<AccountCapabilities>;
  /** Counts for a published post (its first part). */
  fetchMetrics?(request: AccountRequest & { post: PublishedPart }): Promise<PostMetrics>;
  /** Replies under a published post (all of its thread's parts), oldest first, optionally only newer than `since`. */
  fetchComments?(request: AccountRequest & { post: PublishedPart; parts?: PublishedPart[]; since?: Date }): Promise<IncomingComment[]>;
  /** Answer a comment (or the post) publicly as the channel; `replyKey` is stable across retries of one reply. */
  reply?(request: AccountRequest & { inReplyTo: string; text: string; replyKey: string }): Promise<PublishedPart>;
  /** Change the text of a published post where the network allows edits. */
  edit?(request: AccountRequest & { parts: PublishedPart[]; texts: string[]; title: string | null }): Promise<void>;
  /** Sign-in with the network (absent where a token or password is pasted). */
  readonly oauth?: OAuthFlow;
  /** Check the credentials and learn the account (used when connecting a channel). */
  verify(request: { channel: ConnectorChannel; credentials: Credentials; signal: AbortSignal }): Promise<{ externalAccountId: string; handle: string; name: string; avatarUrl: string | null }>;
}

/**
 * - transient: the network did not take the post (429, 5xx before processing, connection refused):
 *   retry later, honouring `retryAfterMs`.
 * - uncertain: the request may have been taken (timeout, connection lost after sending, 5xx from a
 *   gateway after the body was sent): look it up before any retry.
 * - auth: the credentials are refused or expired: refresh once, else the channel needs reconnecting.
 * - permanent: the network refused this post (validation, permission, duplicate content): do not retry.
 */
export type FailureKind = 'transient' | 'uncertain' | 'auth' | 'permanent';

export class ConnectorError extends Error {
  readonly kind: FailureKind;
  /** Stable code for the UI and tests, e.g. `rate_limited`, `duplicate_content`, `media_rejected`. */
  readonly code: string;
  readonly retryAfterMs: number | undefined;
  /** What a non-engineer reads on the post page. */
  readonly reason: { id: string; en: string };
  readonly status: number | undefined;

  constructor(kind: FailureKind, code: string, reason: { id: string; en: string }, options: { retryAfterMs?: number | undefined; status?: number | undefined; cause?: unknown } = {}) {
    super(`${kind}/${code}: ${reason.en}`, { cause: options.cause });
    this.name = 'ConnectorError';
    this.kind = kind;
    this.code = code;
    this.reason = reason;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

/** One header's value from a fetch Headers object or a plain record (node:http, some client libraries). */
function headerReader(headers: HeaderSource): (name: string) => string | null {
  return (name) => {
    if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(name: string): string | null }).get(name);
    const value = (headers as Record<string, string | string[] | undefined>)[name.toLowerCase()];
    return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
  };
}

/** Publishes an account has left in the network's current window, and when the window renews. */
export interface RateWindow {
  remaining: number;
  resetAt: Date;
}

/**
 * The window a successful answer's headers describe (`x-rate-limit-*` on X, `x-ratelimit-*` on
 * Mastodon, `ratelimit-*` on Bluesky), in publishes: `cost` is what one publish takes from the
 * window (Bluesky counts points, 3 for a record). Undefined when the answer has no such headers.
 */
export function rateWindowFrom(headers: HeaderSource, cost = 1, now = Date.now()): RateWindow | undefined {
  const get = headerReader(headers);
  const raw = ['x-rate-limit-remaining', 'x-ratelimit-remaining', 'ratelimit-remaining'].map(get).find((value) => value !== null);
  const remaining = raw === undefined || raw === null ? Number.NaN : Number(raw);
  const resetMs = retryAfterMs(headers, now);
  if (!Number.isFinite(remaining) || resetMs === undefined) return undefined;
  return { remaining: Math.max(0, Math.floor(remaining / cost)), resetAt: new Date(now + resetMs) };
}

/**
 * Reads a Retry-After header (seconds or an HTTP date) or, for a 429, a rate-limit reset header
 * (epoch seconds, seconds, or a date) into milliseconds from now. Networks send reset headers on
 * every answer — they say when the window renews, not when to come back — so only a 429 reads them.
 */
export function retryAfterMs(headers: HeaderSource, now = Date.now(), options: { resetHeaders?: boolean } = {}): number | undefined {
  const get = headerReader(headers);
  const after = get('retry-after');
  if (after) {
    const seconds = Number(after);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(after);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (options.resetHeaders === false) return undefined;
  for (const name of ['x-rate-limit-reset', 'x-ratelimit-reset', 'ratelimit-reset']) {
    const reset = get(name);
    if (!reset) continue;
    const value = Number(reset);
    if (!Number.isFinite(value)) {
      const date = Date.parse(reset);
      if (!Number.isNaN(date)) return Math.max(0, date - now);
      continue;
    }
    // Epoch seconds (X, Bluesky) or seconds from now (IETF draft): tell them apart by size.
    return Math.max(0, value > 1e9 ? value * 1000 - now : value * 1000);
  }
  return undefined;
}
