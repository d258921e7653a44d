/**
 * Simulated Bluesky PDS + AppView (XRPC), enough for a publishing client: app-password sessions with expiring access
 * JWTs, blob upload, app.bsky.feed.post records (create/put/get/list/delete), author feed and post threads, handle
 * resolution. Answers are shaped to pass @atproto/api's lexicon output validation.
 *
 * Link cards (`app.bsky.embed.external`) are checked as the PDS checks them against the lexicon: `uri` (format uri),
 * `title` and `description` strings, an optional `thumb` blob of `image/*` up to 1,000,000 bytes that this account
 * uploaded; error texts as a current PDS words them. The timeline page draws a card as Bluesky does: a box under
 * the text with the thumbnail (served as the blob), title, description and the link's host.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NetworkSimulation, SandboxStore, StoredPost } from './store.ts';
import type { SandboxAccount, RestoredAccount } from './types.ts';
import { applyTransportFault, bindAccount, createApp, sniffMime, str } from './http.ts';
import { base64url, cidFor, plcDid, tid } from './ids.ts';

const postCollection = 'app.bsky.feed.post';
export const sandboxHandleDomain = '.bsky.sandbox';

interface Context {
  store: SandboxStore;
  baseUrl: () => string;
  webUrl: () => string;
}

interface Session {
  accountId: string;
  kind: 'access' | 'refresh';
  expiresAt: number;
}

const sessions = new WeakMap<SandboxStore, Map<string, Session>>();
/** Records of other collections (threadgates, likes...) are kept but are not posts. */
const otherRecords = new WeakMap<SandboxStore, Map<string, { cid: string; value: Record<string, unknown> }>>();

function sessionsOf(store: SandboxStore): Map<string, Session> {
  let map = sessions.get(store);
  if (!map) {
    map = new Map();
    sessions.set(store, map);
  }
  return map;
}

function othersOf(store: SandboxStore): Map<string, { cid: string; value: Record<string, unknown> }> {
  let map = otherRecords.get(store);
  if (!map) {
    map = new Map();
    otherRecords.set(store, map);
  }
  return map;
}

export function createBlueskyAccount(
  store: SandboxStore,
  baseUrl: string,
  options: { handle: string; displayName: string; restore?: RestoredAccount; citizen?: boolean },
): SandboxAccount {
  const restore = options.restore;
  const handle = (options.handle.includes('.') ? options.handle : options.handle + sandboxHandleDomain).toLowerCase();
  const did = restore?.externalAccountId ?? plcDid();
  const password = restore?.credentials.appPassword ?? randomBytes(8).toString('hex').replace(/(.{4})(?!$)/g, '$1-');
  return store.addAccount({
    id: restore?.id ?? randomUUID(),
    network: 'bluesky',
    handle,
    displayName: options.displayName,
    baseUrl,
    credentials: { identifier: handle, appPassword: password, did },
    externalAccountId: did,
    ...(options.citizen ? { citizen: true } : {}),
  });
}

function xrpcError(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  return reply.code(status).send({ error, message });
}

function rateHeaders(reply: FastifyReply, limit: number, remaining: number, resetAt: number, windowSeconds: number): void {
  reply.header('RateLimit-Limit', String(limit));
  reply.header('RateLimit-Remaining', String(remaining));
  reply.header('RateLimit-Reset', String(Math.ceil(resetAt / 1000)));
  reply.header('RateLimit-Policy', `${limit};w=${windowSeconds}`);
}

function jwt(scope: string, did: string, expiresAt: number, now: number): string {
  const header = base64url(JSON.stringify({ typ: scope === 'com.atproto.refresh' ? 'refresh+jwt' : 'at+jwt', alg: 'HS256' }));
  const payload = base64url(
    JSON.stringify({ scope, sub: did, aud: 'did:web:sandbox.siar', iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000), jti: randomUUID() }),
  );
  return `${header}.${payload}.${randomBytes(32).toString('base64url')}`;
}

function didDoc(ctx: Context, account: SandboxAccount): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/did/v1'],
    id: account.externalAccountId,
    alsoKnownAs: [`at://${account.handle}`],
    verificationMethod: [],
    service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: ctx.baseUrl() }],
  };
}

function issueSession(ctx: Context, account: SandboxAccount): Record<string, unknown> {
  const { store } = ctx;
  const now = store.now();
  const did = account.externalAccountId;
  const accessExpires = now + store.limits.blueskyAccessTokenSeconds * 1000;
  const refreshExpires = now + store.limits.blueskyRefreshTokenSeconds * 1000;
  const accessJwt = jwt('com.atproto.access', did, accessExpires, now);
  const refreshJwt = jwt('com.atproto.refresh', did, refreshExpires, now);
  sessionsOf(store).set(accessJwt, { accountId: account.id, kind: 'access', expiresAt: accessExpires });
  sessionsOf(store).set(refreshJwt, { accountId: account.id, kind: 'refresh', expiresAt: refreshExpires });
  return { ...sessionView(ctx, account), accessJwt, refreshJwt };
}

function sessionView(ctx: Context, account: SandboxAccount): Record<string, unknown> {
  return {
    handle: account.handle,
    did: account.externalAccountId,
    didDoc: didDoc(ctx, account),
    email: `${account.handle}@sandbox.invalid`,
    emailConfirmed: true,
    emailAuthFactor: false,
    active: true,
  };
}

/** Verifies the bearer JWT the way the PDS does: missing 401, unknown 401 InvalidToken, expired 400 ExpiredToken. */
function authenticate(
  ctx: Context,
  request: FastifyRequest,
  reply: FastifyReply,
  kind: 'access' | 'refresh',
): SandboxAccount | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  if (!match?.[1]) {
    xrpcError(reply, 401, 'AuthMissing', 'Authentication Required');
    return undefined;
  }
  const session = sessionsOf(ctx.store).get(match[1].trim());
  if (!session || session.kind !== kind) {
    xrpcError(reply, 400, 'InvalidToken', kind === 'refresh' ? 'Invalid token type' : 'Token could not be verified');
    return undefined;
  }
  bindAccount(ctx.store, request, session.accountId);
  if (session.expiresAt <= ctx.store.now()) {
    xrpcError(reply, 400, 'ExpiredToken', 'Token has expired');
    return undefined;
  }
  return ctx.store.account(session.accountId);
}

/** Authenticates, applies injected faults and charges write points. Undefined means a response was sent. */
async function guardWrite(
  ctx: Context,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { publish: boolean; cost: number },
): Promise<SandboxAccount | undefined> {
  const account = authenticate(ctx, request, reply, 'access');
  if (!account) return undefined;
  const { store } = ctx;
  const fault = store.takeFault(account.id, options.publish);
  if (fault) {
    if (await applyTransportFault(store, request, reply, fault)) return undefined;
    switch (fault.kind) {
      case 'lost_response':
      case 'slow':
        break;
      case 'rate_limit': {
        const window = store.limits.blueskyWritePoints;
        rateHeaders(reply, window.limit, 0, store.now() + fault.retryAfterSeconds * 1000, window.windowSeconds);
        reply.header('Retry-After', String(fault.retryAfterSeconds));
        xrpcError(reply, 429, 'RateLimitExceeded', 'Rate Limit Exceeded');
        return undefined;
      }
      case 'daily_cap': {
        const day = 86_400_000;
        const resetAt = (Math.floor(store.now() / day) + 1) * day;
        rateHeaders(reply, 35_000, 0, resetAt, 86_400);
        reply.header('Retry-After', String(Math.ceil((resetAt - store.now()) / 1000)));
        xrpcError(reply, 429, 'RateLimitExceeded', 'Rate Limit Exceeded');
        return undefined;
      }
      case 'expired_token':
        xrpcError(reply, 400, 'ExpiredToken', 'Token has expired');
        return undefined;
      default:
        xrpcError(reply, 500, 'InternalServerError', 'Internal Server Error');
        return undefined;
    }
  }
  if (options.cost > 0) {
    const window = store.limits.blueskyWritePoints;
    const hit = store.hit(`bluesky-points:${account.id}`, window, options.cost);
    rateHeaders(reply, hit.limit, hit.remaining, hit.resetAt, window.windowSeconds);
    if (!hit.allowed) {
      xrpcError(reply, 429, 'RateLimitExceeded', 'Rate Limit Exceeded');
      return undefined;
    }
  }
  return account;
}

function resolveRepo(ctx: Context, repo: string | undefined): SandboxAccount | undefined {
  if (!repo) return undefined;
  return ctx.store.findAccount('bluesky', (a) => a.externalAccountId === repo || a.handle === repo.toLowerCase());
}

function postUri(account: SandboxAccount, rkey: string): string {
  return `at://${account.externalAccountId}/${postCollection}/${rkey}`;
}

function findPost(ctx: Context, uri: string): StoredPost | undefined {
  const match = /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/]+)$/.exec(uri);
  if (!match?.[1] || !match[2]) return undefined;
  const account = resolveRepo(ctx, match[1]);
  if (!account) return undefined;
  return ctx.store.posts(account.id).find((p) => p.rkey === match[2] && !p.deleted);
}

function graphemes(text: string): number {
  return [...new Intl.Segmenter('id', { granularity: 'grapheme' }).segment(text)].length;
}

function blobUrl(ctx: Context, did: string, cid: string): string {
  return `${ctx.baseUrl()}/xrpc/com.atproto.sync.getBlob?did=${encodeURIComponent(did)}&cid=${cid}`;
}

interface BlobJson {
  ref: { $link: string };
  mimeType: string;
  size: number;
}

function asBlob(value: unknown): BlobJson | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const blob = value as Partial<BlobJson> & { cid?: string };
  const link = blob.ref?.$link ?? blob.cid;
  if (typeof link !== 'string') return undefined;
  return { ref: { $link: link }, mimeType: String(blob.mimeType ?? ''), size: Number(blob.size ?? 0) };
}

function embedImages(record: Record<string, unknown>): { image: unknown; alt: unknown; aspectRatio?: unknown }[] {
  const embed = record.embed as Record<string, unknown> | undefined;
  if (!embed) return [];
  const media = embed.$type === 'app.bsky.embed.recordWithMedia' ? (embed.media as Record<string, unknown> | undefined) : embed;
  if (media?.$type !== 'app.bsky.embed.images' || !Array.isArray(media.images)) return [];
  return media.images as { image: unknown; alt: unknown; aspectRatio?: unknown }[];
}

/** The lexicon's maxSize of app.bsky.embed.external#external.thumb. */
const thumbMaxBytes = 1_000_000;

interface LinkCard {
  uri: string;
  title: string;
  description: string;
  thumb: { mime: string; bytes: number; cid: string } | null;
}

type Checked =
  | { ok: true; replyTo: string | null; media: StoredPost['media']; mediaIds: string[]; card: LinkCard | null }
  | { ok: false; message: string; error?: string };

/** The value as the lexicon validator quotes it in its messages. */
function shown(value: unknown): string {
  return value === null || typeof value !== 'object' ? JSON.stringify(value) ?? String(value) : Array.isArray(value) ? 'array' : 'object';
}

/** RFC 3986 in the lexicon's reading (`format: uri`): a scheme, a colon, then no spaces. */
function isUri(value: string): boolean {
  return /^\w+:(?:\/\/)?[^\s/][^\s]*$/.test(value);
}

/**
 * An `app.bsky.embed.external` (at the top, or as the media of a recordWithMedia) checked against its lexicon, then
 * its thumbnail against the blobs this account uploaded; null when the post has no card.
 */
function checkLinkCard(ctx: Context, account: SandboxAccount, record: Record<string, unknown>): { ok: true; card: LinkCard | null } | { ok: false; message: string; error?: string } {
  const embed = record.embed as Record<string, unknown> | undefined;
  const inMedia = embed?.$type === 'app.bsky.embed.recordWithMedia';
  const media = inMedia ? (embed.media as Record<string, unknown> | undefined) : embed;
  if (!media || media.$type !== 'app.bsky.embed.external') return { ok: true, card: null };
  const at = inMedia ? '$.record.embed.media' : '$.record.embed';
  const invalid = (problem: string) => ({ ok: false as const, message: `Invalid app.bsky.feed.post record: ${problem}` });
  const external = media.external;
  if (external === undefined) return invalid(`Missing required key "external" at ${at}`);
  if (!external || typeof external !== 'object' || Array.isArray(external)) return invalid(`Expected object value type (got ${shown(external)}) at ${at}.external`);
  const card = external as Record<string, unknown>;
  for (const key of ['uri', 'title', 'description']) {
    if (card[key] === undefined) return invalid(`Missing required key "${key}" at ${at}.external`);
    if (typeof card[key] !== 'string') return invalid(`Expected string value type (got ${shown(card[key])}) at ${at}.external.${key}`);
  }
  if (!isUri(card.uri as string)) return invalid(`Invalid uri (got ${shown(card.uri)}) at ${at}.external.uri`);
  let thumb: LinkCard['thumb'] = null;
  if (card.thumb !== undefined) {
    const ref = card.thumb as { $type?: unknown; ref?: { $link?: unknown }; mimeType?: unknown; size?: unknown } | null;
    const isBlob = ref !== null && typeof ref === 'object' && ref.$type === 'blob' && typeof ref.ref?.$link === 'string'
      && typeof ref.mimeType === 'string' && Number.isInteger(ref.size) && (ref.size as number) >= 0;
    if (!isBlob) return invalid(`Expected blob value type (got ${shown(card.thumb)}) at ${at}.external.thumb`);
    const mimeType = ref.mimeType as string;
    const size = ref.size as number;
    if (!mimeType.startsWith('image/')) return invalid(`Expected "image/*" (got ${shown(mimeType)}) at ${at}.external.thumb.mimeType`);
    if (size > thumbMaxBytes) return invalid(`blob too big (maximum ${thumbMaxBytes}, got ${size}) at ${at}.external.thumb`);
    const link = ref.ref!.$link as string;
    const stored = ctx.store.media.get(`bsky:${link}`);
    if (!stored || stored.accountId !== account.id) return { ok: false, error: 'BlobNotFound', message: `Could not find blob: ${link}` };
    if (stored.mime !== mimeType) return { ok: false, error: 'InvalidMimeType', message: `Referenced Mimetype does not match stored blob. Expected: ${stored.mime}, Got: ${mimeType}` };
    if (stored.bytes !== size) return { ok: false, error: 'InvalidSize', message: `Referenced Size does not match stored blob. Expected: ${stored.bytes}, Got: ${size}` };
    thumb = { mime: stored.mime, bytes: stored.bytes, cid: link };
  }
  return { ok: true, card: { uri: card.uri as string, title: card.title as string, description: card.description as string, thumb } };
}

/** The card as the timeline page draws it: a box under the text with the thumbnail served as a blob. */
function cardShown(ctx: Context, did: string, card: LinkCard | null): StoredPost['card'] {
  if (!card) return undefined;
  return { uri: card.uri, title: card.title, description: card.description, thumbUrl: card.thumb ? blobUrl(ctx, did, card.thumb.cid) : null };
}

/** The checks the PDS applies to an app.bsky.feed.post record before accepting it. */
function checkPostRecord(ctx: Context, account: SandboxAccount, record: Record<string, unknown>): Checked {
  const { limits } = ctx.store;
  const text = record.text;
  if (typeof text !== 'string') return { ok: false, message: 'Invalid app.bsky.feed.post record: Record must have the property "text"' };
  if (typeof record.createdAt !== 'string' || Number.isNaN(Date.parse(record.createdAt))) {
    return { ok: false, message: 'Invalid app.bsky.feed.post record: Record/createdAt must be an valid atproto datetime' };
  }
  if (graphemes(text) > limits.blueskyMaxGraphemes) {
    return { ok: false, message: `Invalid app.bsky.feed.post record: Record/text must not be longer than ${limits.blueskyMaxGraphemes} graphemes` };
  }
  if (Buffer.byteLength(text) > limits.blueskyMaxBytes) {
    return { ok: false, message: `Invalid app.bsky.feed.post record: Record/text must not be longer than ${limits.blueskyMaxBytes} characters` };
  }
  const images = embedImages(record);
  if (images.length > 4) return { ok: false, message: 'Invalid app.bsky.feed.post record: Record/embed/images must not have more than 4 elements' };
  const media: StoredPost['media'] = [];
  const mediaIds: string[] = [];
  for (const image of images) {
    const blob = asBlob(image.image);
    const stored = blob ? ctx.store.media.get(`bsky:${blob.ref.$link}`) : undefined;
    if (!blob || !stored || stored.accountId !== account.id) return { ok: false, message: `Could not find blob: ${blob?.ref.$link ?? ''}` };
    if (stored.bytes > limits.blueskyMaxImageBytes) {
      return { ok: false, message: `Invalid app.bsky.feed.post record: Record/embed/images/image file too large. ${limits.blueskyMaxImageBytes} bytes maximum` };
    }
    if (typeof image.alt !== 'string') return { ok: false, message: 'Invalid app.bsky.feed.post record: Record/embed/images/alt must be a string' };
    stored.alt = image.alt;
    media.push({ mime: stored.mime, alt: image.alt, bytes: stored.bytes });
    mediaIds.push(stored.id);
  }
  const linkCard = checkLinkCard(ctx, account, record);
  if (!linkCard.ok) return linkCard;
  const reply = record.reply as { parent?: { uri?: unknown } } | undefined;
  const parentUri = reply?.parent?.uri;
  return { ok: true, replyTo: typeof parentUri === 'string' ? parentUri : null, media, mediaIds, card: linkCard.card };
}

function profileBasic(account: SandboxAccount): Record<string, unknown> {
  return { did: account.externalAccountId, handle: account.handle, displayName: account.displayName, labels: [] };
}

function postView(ctx: Context, post: StoredPost): Record<string, unknown> {
  const account = ctx.store.account(post.accountId);
  const did = account?.externalAccountId ?? '';
  const view: Record<string, unknown> = {
    $type: 'app.bsky.feed.defs#postView',
    uri: post.id,
    cid: post.cid,
    author: account ? profileBasic(account) : { did, handle: 'handle.invalid' },
    record: post.record,
    replyCount: ctx.store.allPosts('bluesky').filter((p) => p.replyTo === post.id && !p.deleted).length,
    repostCount: post.reposts ?? 0,
    likeCount: post.likes ?? 0,
    quoteCount: 0,
    indexedAt: post.createdAt,
    labels: [],
  };
  const images = post.record ? embedImages(post.record) : [];
  if (images.length > 0) {
    view.embed = {
      $type: 'app.bsky.embed.images#view',
      images: images.map((image) => {
        const link = asBlob(image.image)?.ref.$link ?? '';
        return { thumb: blobUrl(ctx, did, link), fullsize: blobUrl(ctx, did, link), alt: String(image.alt ?? '') };
      }),
    };
  }
  const external = (post.record?.embed as { $type?: string; external?: Record<string, unknown> } | undefined);
  if (external?.$type === 'app.bsky.embed.external' && external.external) {
    const thumb = asBlob(external.external.thumb)?.ref.$link;
    view.embed = {
      $type: 'app.bsky.embed.external#view',
      external: {
        uri: String(external.external.uri ?? ''),
        title: String(external.external.title ?? ''),
        description: String(external.external.description ?? ''),
        ...(thumb ? { thumb: blobUrl(ctx, did, thumb) } : {}),
      },
    };
  }
  return view;
}

function threadView(ctx: Context, post: StoredPost, depth: number, parentHeight: number, withParent = true): Record<string, unknown> {
  const view: Record<string, unknown> = { $type: 'app.bsky.feed.defs#threadViewPost', post: postView(ctx, post) };
  if (withParent && post.replyTo && parentHeight > 0) {
    const parent = findPost(ctx, post.replyTo);
    view.parent = parent
      ? { ...threadView(ctx, parent, 0, parentHeight - 1), replies: undefined }
      : { $type: 'app.bsky.feed.defs#notFoundPost', uri: post.replyTo, notFound: true };
  }
  if (depth > 0) {
    view.replies = ctx.store
      .allPosts('bluesky')
      .filter((p) => p.replyTo === post.id && !p.deleted)
      .map((child) => threadView(ctx, child, depth - 1, 0, false));
  }
  return view;
}

function storedOrder(ctx: Context, account: SandboxAccount): StoredPost[] {
  return ctx.store.posts(account.id).filter((p) => !p.deleted);
}

export function blueskyApp(ctx: Context): FastifyInstance {
  const { store } = ctx;
  const app = createApp(store);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.get('/xrpc/_health', async () => ({ version: 'sandbox' }));

  app.get('/xrpc/com.atproto.server.describeServer', async () => ({
    did: 'did:web:sandbox.siar',
    availableUserDomains: [sandboxHandleDomain],
    inviteCodeRequired: true,
    phoneVerificationRequired: false,
    links: {},
  }));

  app.post('/xrpc/com.atproto.server.createSession', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const identifier = (str(body.identifier) ?? '').toLowerCase().replace(/^@/, '');
    const password = str(body.password) ?? '';
    if (!identifier || !password) return xrpcError(reply, 400, 'InvalidRequest', 'Input must have the property "identifier"');
    const window = store.limits.blueskyCreateSession;
    const hit = store.hit(`bluesky-session:${identifier}`, window);
    rateHeaders(reply, hit.limit, hit.remaining, hit.resetAt, window.windowSeconds);
    if (!hit.allowed) return xrpcError(reply, 429, 'RateLimitExceeded', 'Rate Limit Exceeded');
    const account = store.findAccount(
      'bluesky',
      (a) => a.handle === identifier || a.externalAccountId === identifier || `${a.handle}@sandbox.invalid` === identifier,
    );
    if (account) bindAccount(store, request, account.id);
    if (!account || account.credentials.appPassword !== password) {
      return xrpcError(reply, 401, 'AuthenticationRequired', 'Invalid identifier or password');
    }
    return issueSession(ctx, account);
  });

  app.post('/xrpc/com.atproto.server.refreshSession', async (request, reply) => {
    const account = authenticate(ctx, request, reply, 'refresh');
    return account ? issueSession(ctx, account) : reply;
  });

  app.get('/xrpc/com.atproto.server.getSession', async (request, reply) => {
    const account = authenticate(ctx, request, reply, 'access');
    return account ? sessionView(ctx, account) : reply;
  });

  app.post('/xrpc/com.atproto.server.deleteSession', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    sessionsOf(store).delete(header.replace(/^Bearer\s+/i, ''));
    return reply.code(200).send();
  });

  app.get('/xrpc/com.atproto.identity.resolveHandle', async (request, reply) => {
    const handle = str((request.query as Record<string, unknown>).handle)?.toLowerCase();
    if (!handle) return xrpcError(reply, 400, 'InvalidRequest', 'Error: Params must have the property "handle"');
    const account = store.findAccount('bluesky', (a) => a.handle === handle);
    return account ? { did: account.externalAccountId } : xrpcError(reply, 400, 'InvalidRequest', 'Unable to resolve handle');
  });

  app.get('/xrpc/app.bsky.actor.getProfile', async (request, reply) => {
    const account = resolveRepo(ctx, str((request.query as Record<string, unknown>).actor));
    if (!account) return xrpcError(reply, 400, 'InvalidRequest', 'Profile not found');
    return { ...profileBasic(account), description: '', followersCount: 0, followsCount: 0, postsCount: storedOrder(ctx, account).length };
  });

  app.post('/xrpc/com.atproto.repo.uploadBlob', async (request, reply) => {
    const account = await guardWrite(ctx, request, reply, { publish: true, cost: 0 });
    if (!account) return reply;
    const data = Buffer.isBuffer(request.body) ? request.body : Buffer.from(JSON.stringify(request.body ?? ''));
    const mimeType = sniffMime(data, request.headers['content-type']?.split(';')[0]?.trim());
    const cid = cidFor(data, 0x55);
    store.addMedia({ id: `bsky:${cid}`, accountId: account.id, mime: mimeType, alt: '', bytes: data.length, data });
    return { blob: { $type: 'blob', ref: { $link: cid }, mimeType, size: data.length } };
  });

  app.get('/xrpc/com.atproto.sync.getBlob', async (request, reply) => {
    const media = store.media.get(`bsky:${str((request.query as Record<string, unknown>).cid) ?? ''}`);
    if (!media) return xrpcError(reply, 400, 'BlobNotFound', 'Blob not found');
    return reply.type(media.mime).send(media.data);
  });

  const writeRecord = async (request: FastifyRequest, reply: FastifyReply, mode: 'create' | 'put') => {
    const account = await guardWrite(ctx, request, reply, { publish: true, cost: mode === 'create' ? 3 : 2 });
    if (!account) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const repo = resolveRepo(ctx, str(body.repo));
    if (!repo || repo.id !== account.id) return xrpcError(reply, 400, 'InvalidRequest', 'Input/repo must be the authenticated user');
    const collection = str(body.collection) ?? '';
    const record = body.record as Record<string, unknown> | undefined;
    if (!record || typeof record !== 'object') return xrpcError(reply, 400, 'InvalidRequest', 'Input must have the property "record"');
    const rkey = str(body.rkey) ?? (mode === 'create' ? tid(store.now()) : undefined);
    if (!rkey) return xrpcError(reply, 400, 'InvalidRequest', 'Input must have the property "rkey"');
    if (!/^[A-Za-z0-9._:~-]{1,512}$/.test(rkey) || rkey === '.' || rkey === '..') {
      return xrpcError(reply, 400, 'InvalidRequest', 'Input/rkey must be a valid Record Key');
    }
    const cid = cidFor(JSON.stringify(record), 0x71);
    const commit = { cid: cidFor(`${cid}:${store.now()}`, 0x71), rev: tid(store.now()) };
    const uri = `at://${account.externalAccountId}/${collection}/${rkey}`;
    if (collection !== postCollection) {
      const key = `${account.externalAccountId}/${collection}/${rkey}`;
      if (mode === 'create' && othersOf(store).has(key)) return xrpcError(reply, 500, 'InternalServerError', 'Internal Server Error');
      othersOf(store).set(key, { cid, value: { ...record, $type: collection } });
      return { uri, cid, commit, validationStatus: 'unknown' };
    }
    if (record.$type !== undefined && record.$type !== postCollection) {
      return xrpcError(reply, 400, 'InvalidRequest', `Invalid $type: expected ${postCollection}, got ${String(record.$type)}`);
    }
    const checked = checkPostRecord(ctx, account, record);
    if (!checked.ok) return xrpcError(reply, 400, checked.error ?? 'InvalidRequest', checked.message);
    const shownCard = cardShown(ctx, account.externalAccountId ?? '', checked.card);
    const existing = store.posts(account.id).find((p) => p.rkey === rkey && !p.deleted);
    const value = { ...record, $type: postCollection };
    if (existing) {
      // The PDS answers a reused record key in createRecord with an unhandled error, not a clean conflict.
      if (mode === 'create') return xrpcError(reply, 500, 'InternalServerError', 'Internal Server Error');
      Object.assign(existing, { text: String(record.text), record: value, cid, media: checked.media, mediaIds: checked.mediaIds, replyTo: checked.replyTo, editedAt: new Date(store.now()).toISOString() });
      if (shownCard) existing.card = shownCard;
      else delete existing.card;
      return { uri, cid, commit, validationStatus: 'valid' };
    }
    store.addPost({
      id: uri,
      accountId: account.id,
      network: 'bluesky',
      text: String(record.text),
      createdAt: new Date(store.now()).toISOString(),
      replyTo: checked.replyTo,
      media: checked.media,
      mediaIds: checked.mediaIds,
      ...(shownCard ? { card: shownCard } : {}),
      visibility: 'public',
      url: `${ctx.webUrl()}/bluesky/${encodeURIComponent(account.handle)}#post-${rkey}`,
      deleted: false,
      rkey,
      cid,
      record: value,
    });
    return { uri, cid, commit, validationStatus: 'valid' };
  };
  app.post('/xrpc/com.atproto.repo.createRecord', (request, reply) => writeRecord(request, reply, 'create'));
  app.post('/xrpc/com.atproto.repo.putRecord', (request, reply) => writeRecord(request, reply, 'put'));

  app.post('/xrpc/com.atproto.repo.deleteRecord', async (request, reply) => {
    const account = await guardWrite(ctx, request, reply, { publish: false, cost: 1 });
    if (!account) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const repo = resolveRepo(ctx, str(body.repo));
    if (!repo || repo.id !== account.id) return xrpcError(reply, 400, 'InvalidRequest', 'Input/repo must be the authenticated user');
    const collection = str(body.collection) ?? '';
    const rkey = str(body.rkey) ?? '';
    if (collection === postCollection) {
      const post = store.posts(account.id).find((p) => p.rkey === rkey && !p.deleted);
      if (post) post.deleted = true;
    } else {
      othersOf(store).delete(`${account.externalAccountId}/${collection}/${rkey}`);
    }
    return { commit: { cid: cidFor(`delete:${rkey}:${store.now()}`, 0x71), rev: tid(store.now()) } };
  });

  app.get('/xrpc/com.atproto.repo.getRecord', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const account = resolveRepo(ctx, str(query.repo));
    const collection = str(query.collection) ?? '';
    const rkey = str(query.rkey) ?? '';
    const uri = `at://${account?.externalAccountId ?? str(query.repo) ?? ''}/${collection}/${rkey}`;
    if (!account) return xrpcError(reply, 400, 'InvalidRequest', `Could not find repo: ${str(query.repo) ?? ''}`);
    if (collection === postCollection) {
      const post = store.posts(account.id).find((p) => p.rkey === rkey && !p.deleted);
      if (post) return { uri, cid: post.cid, value: post.record };
    } else {
      const other = othersOf(store).get(`${account.externalAccountId}/${collection}/${rkey}`);
      if (other) return { uri, cid: other.cid, value: other.value };
    }
    return xrpcError(reply, 400, 'RecordNotFound', `Could not locate record: ${uri}`);
  });

  app.get('/xrpc/com.atproto.repo.listRecords', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const account = resolveRepo(ctx, str(query.repo));
    if (!account) return xrpcError(reply, 400, 'InvalidRequest', `Could not find repo: ${str(query.repo) ?? ''}`);
    if (str(query.collection) !== postCollection) return { records: [] };
    const limit = Math.min(100, Math.max(1, Number(str(query.limit) ?? 50) || 50));
    let list = storedOrder(ctx, account);
    if (str(query.reverse) === 'true') list = list.reverse();
    const cursor = str(query.cursor);
    if (cursor) list = list.slice(list.findIndex((p) => p.rkey === cursor) + 1);
    const page = list.slice(0, limit);
    const last = page[page.length - 1];
    return {
      records: page.map((p) => ({ uri: p.id, cid: p.cid, value: p.record })),
      ...(page.length === limit && last?.rkey ? { cursor: last.rkey } : {}),
    };
  });

  app.get('/xrpc/app.bsky.feed.getAuthorFeed', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const account = resolveRepo(ctx, str(query.actor));
    if (!account) return xrpcError(reply, 400, 'InvalidRequest', 'Profile not found');
    const limit = Math.min(100, Math.max(1, Number(str(query.limit) ?? 50) || 50));
    const filter = str(query.filter) ?? 'posts_with_replies';
    let list = storedOrder(ctx, account);
    if (filter === 'posts_no_replies') list = list.filter((p) => p.replyTo === null);
    // Pictures of the post itself; a link card's thumbnail does not make a post one "with media".
    if (filter === 'posts_with_media') list = list.filter((p) => p.mediaIds.length > 0);
    const cursor = str(query.cursor);
    if (cursor) list = list.slice(list.findIndex((p) => p.rkey === cursor) + 1);
    const page = list.slice(0, limit);
    const last = page[page.length - 1];
    const feed = page.map((post) => {
      const item: Record<string, unknown> = { post: postView(ctx, post) };
      const reply = post.record?.reply as { root?: { uri?: string }; parent?: { uri?: string } } | undefined;
      if (reply?.parent?.uri) {
        const ref = (uri: string | undefined) => {
          const found = uri ? findPost(ctx, uri) : undefined;
          return found ? postView(ctx, found) : { $type: 'app.bsky.feed.defs#notFoundPost', uri: uri ?? '', notFound: true };
        };
        item.reply = { root: ref(reply.root?.uri), parent: ref(reply.parent.uri) };
      }
      return item;
    });
    return { feed, ...(page.length === limit && last?.rkey ? { cursor: last.rkey } : {}) };
  });

  app.get('/xrpc/app.bsky.feed.getPostThread', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const uri = str(query.uri) ?? '';
    const post = findPost(ctx, uri);
    if (!post) return xrpcError(reply, 400, 'NotFound', `Post not found: ${uri}`);
    const depth = Math.min(1000, Number(str(query.depth) ?? 6) || 0);
    const parentHeight = Math.min(1000, Number(str(query.parentHeight) ?? 80) || 0);
    return { thread: threadView(ctx, post, depth, parentHeight) };
  });

  app.get('/xrpc/app.bsky.feed.getPosts', async (request) => {
    const query = request.query as Record<string, unknown>;
    const uris = Array.isArray(query.uris) ? query.uris.map(String) : [str(query.uris) ?? ''];
    return { posts: uris.map((u) => findPost(ctx, u)).filter((p): p is StoredPost => p !== undefined).map((p) => postView(ctx, p)) };
  });

  app.setNotFoundHandler((request, reply) => {
    const method = request.url.startsWith('/xrpc/') ? request.url.slice(6).split('?')[0] : request.url;
    return xrpcError(reply, 501, 'MethodNotImplemented', `Method Not Implemented: ${method}`);
  });

  return app;
}

/** Citizens on Bluesky: a reply is a post record whose `reply` names the thread's root and the parent; a like is counted. */
export function blueskySimulation(ctx: Context): NetworkSimulation {
  return {
    addReply: ({ post, author, text }) => {
      let root = post;
      for (let parent = post.replyTo ? findPost(ctx, post.replyTo) : undefined; parent; parent = parent.replyTo ? findPost(ctx, parent.replyTo) : undefined) root = parent;
      const rkey = tid(ctx.store.now());
      const createdAt = new Date(ctx.store.now()).toISOString();
      const record = {
        $type: postCollection,
        text,
        createdAt,
        langs: ['id'],
        reply: { root: { uri: root.id, cid: root.cid }, parent: { uri: post.id, cid: post.cid } },
      };
      return ctx.store.addPost({
        id: `at://${author.externalAccountId}/${postCollection}/${rkey}`,
        accountId: author.id,
        network: 'bluesky',
        text,
        createdAt,
        replyTo: post.id,
        media: [],
        mediaIds: [],
        visibility: 'public',
        url: `${ctx.webUrl()}/bluesky/${encodeURIComponent(author.handle)}#post-${rkey}`,
        deleted: false,
        rkey,
        cid: cidFor(JSON.stringify(record), 0x71),
        record,
      });
    },
    addLike: ({ post }) => {
      post.likes = (post.likes ?? 0) + 1;
    },
  };
}
