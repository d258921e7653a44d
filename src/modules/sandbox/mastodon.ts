/**
 * Simulated Mastodon server (REST API v1/v2 and OAuth), enough for a publishing client: apps, OAuth tokens,
 * verify_credentials, instance configuration, media upload, statuses with Idempotency-Key, threads, reading back and
 * deleting. Rate limits follow Mastodon's rack-attack rules (X-RateLimit-* headers, ISO reset time).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NetworkSimulation, SandboxStore, StoredMedia, StoredPost } from './store.ts';
import type { SandboxAccount, RestoredAccount } from './types.ts';
import {
  applyTransportFault,
  bindAccount,
  createApp,
  escapeHtml,
  linkify,
  readBody,
  sniffMime,
  str,
  strList,
  urlPattern,
} from './http.ts';
import { snowflake, token } from './ids.ts';

export const mastodonVersion = '4.3.0';

interface Context {
  store: SandboxStore;
  baseUrl: () => string;
  webUrl: () => string;
}

const tokens = new WeakMap<SandboxStore, Map<string, string>>();
const codes = new WeakMap<SandboxStore, Map<string, string>>();
const idempotency = new WeakMap<SandboxStore, Map<string, { statusId: string; at: number }>>();

function mapFor<V>(registry: WeakMap<SandboxStore, Map<string, V>>, store: SandboxStore): Map<string, V> {
  let map = registry.get(store);
  if (!map) {
    map = new Map();
    registry.set(store, map);
  }
  return map;
}

export function createMastodonAccount(
  store: SandboxStore,
  baseUrl: string,
  options: { handle: string; displayName: string; restore?: RestoredAccount; citizen?: boolean },
): SandboxAccount {
  const restore = options.restore;
  const accessToken = restore?.credentials.accessToken ?? token('');
  const authorizationCode = restore?.credentials.authorizationCode ?? token('');
  const account: SandboxAccount = {
    id: restore?.id ?? randomUUID(),
    network: 'mastodon',
    handle: options.handle,
    displayName: options.displayName,
    baseUrl,
    credentials: { accessToken, clientId: restore?.credentials.clientId ?? token(''), clientSecret: restore?.credentials.clientSecret ?? token(''), authorizationCode },
    externalAccountId: restore?.externalAccountId ?? snowflake(store.now()),
    ...(options.citizen ? { citizen: true } : {}),
  };
  store.addAccount(account);
  mapFor(tokens, store).set(accessToken, account.id);
  mapFor(codes, store).set(authorizationCode, account.id);
  return account;
}

/** Mastodon counts characters as code points, every URL as 23, and a remote mention by its username only. */
export function mastodonLength(text: string, reservedPerUrl = 23): number {
  const withoutUrls = text.replace(urlPattern, 'x'.repeat(reservedPerUrl));
  const withoutDomains = withoutUrls.replace(/(@[a-z0-9_]+)@[a-z0-9.-]+\.[a-z]+/gi, '$1');
  return [...withoutDomains].length;
}

function mediaType(mime: string): string {
  if (mime === 'image/gif') return 'gifv';
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'unknown';
}

function presentMedia(ctx: Context, media: StoredMedia): Record<string, unknown> {
  const url = `${ctx.baseUrl()}/system/media/${media.id}`;
  return {
    id: media.id,
    type: mediaType(media.mime),
    url,
    preview_url: url,
    remote_url: null,
    preview_remote_url: null,
    text_url: null,
    meta: { original: { size: String(media.bytes) } },
    description: media.alt === '' ? null : media.alt,
    blurhash: null,
  };
}

function presentAccount(ctx: Context, account: SandboxAccount, withSource = false): Record<string, unknown> {
  const posts = ctx.store.posts(account.id).filter((p) => !p.deleted);
  const created = new Date(Number(BigInt(account.externalAccountId) >> 16n)).toISOString();
  const presented: Record<string, unknown> = {
    id: account.externalAccountId,
    username: account.handle,
    acct: account.handle,
    display_name: account.displayName,
    locked: false,
    bot: false,
    discoverable: true,
    indexable: false,
    group: false,
    created_at: created,
    note: '',
    url: `${ctx.baseUrl()}/@${account.handle}`,
    uri: `${ctx.baseUrl()}/users/${account.handle}`,
    avatar: `${ctx.baseUrl()}/avatars/original/missing.png`,
    avatar_static: `${ctx.baseUrl()}/avatars/original/missing.png`,
    header: `${ctx.baseUrl()}/headers/original/missing.png`,
    header_static: `${ctx.baseUrl()}/headers/original/missing.png`,
    followers_count: 0,
    following_count: 0,
    statuses_count: posts.length,
    last_status_at: posts[0] ? posts[0].createdAt.slice(0, 10) : null,
    emojis: [],
    fields: [],
  };
  if (withSource) {
    presented.source = { privacy: 'public', sensitive: false, language: 'id', note: '', fields: [], follow_requests_count: 0 };
    presented.role = { id: '-99', name: '', permissions: '0', color: '', highlighted: false };
  }
  return presented;
}

function statusHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${linkify(paragraph)}</p>`)
    .join('');
}

function presentStatus(ctx: Context, post: StoredPost, withSource = false): Record<string, unknown> {
  const account = ctx.store.account(post.accountId);
  const parent = post.replyTo === null ? undefined : ctx.store.allPosts('mastodon').find((p) => p.id === post.replyTo);
  const presented: Record<string, unknown> = {
    id: post.id,
    created_at: post.createdAt,
    in_reply_to_id: post.replyTo,
    in_reply_to_account_id: parent ? ctx.store.account(parent.accountId)?.externalAccountId ?? null : null,
    sensitive: false,
    spoiler_text: '',
    visibility: post.visibility,
    language: 'id',
    uri: `${ctx.baseUrl()}/users/${account?.handle ?? ''}/statuses/${post.id}`,
    url: post.url,
    replies_count: ctx.store.allPosts('mastodon').filter((p) => p.replyTo === post.id && !p.deleted).length,
    reblogs_count: post.reposts ?? 0,
    favourites_count: post.likes ?? 0,
    edited_at: post.editedAt ?? null,
    favourited: false,
    reblogged: false,
    muted: false,
    bookmarked: false,
    pinned: false,
    content: statusHtml(post.text),
    filtered: [],
    reblog: null,
    application: { name: 'Siar', website: null },
    account: account ? presentAccount(ctx, account) : null,
    media_attachments: post.mediaIds
      .map((id) => ctx.store.media.get(id))
      .filter((m): m is StoredMedia => m !== undefined)
      .map((m) => presentMedia(ctx, m)),
    mentions: [],
    tags: [],
    emojis: [],
    card: null,
    poll: null,
  };
  if (withSource) presented.text = post.text;
  return presented;
}

function sendError(reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).send({ error });
}

function setRateHeaders(reply: FastifyReply, limit: number, remaining: number, resetAt: number): void {
  reply.header('X-RateLimit-Limit', String(limit));
  reply.header('X-RateLimit-Remaining', String(remaining));
  reply.header('X-RateLimit-Reset', new Date(resetAt).toISOString());
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim() ?? str((request.query as Record<string, unknown>).access_token);
}

/**
 * Authenticates the caller, counts it against the rate limits and applies any injected fault.
 * Returns the account, or undefined when a response has already been sent.
 */
async function guard(
  ctx: Context,
  request: FastifyRequest,
  reply: FastifyReply,
  kind: { publish: boolean; mediaUpload?: boolean; optional?: boolean },
): Promise<SandboxAccount | null | undefined> {
  const presented = bearer(request);
  if (presented === undefined && kind.optional) return null;
  const accountId = presented === undefined ? undefined : mapFor(tokens, ctx.store).get(presented);
  const account = accountId === undefined ? undefined : ctx.store.account(accountId);
  if (!account) {
    sendError(reply, 401, 'The access token is invalid');
    return undefined;
  }
  bindAccount(ctx.store, request, account.id);
  const { store } = ctx;
  const window = store.hit(`mastodon:${account.id}`, store.limits.mastodonRequests);
  setRateHeaders(reply, window.limit, window.remaining, window.resetAt);
  if (!window.allowed) {
    sendError(reply, 429, 'Too many requests');
    return undefined;
  }
  if (kind.mediaUpload) {
    const media = store.hit(`mastodon-media:${account.id}`, store.limits.mastodonMediaUploads);
    if (!media.allowed) {
      setRateHeaders(reply, media.limit, media.remaining, media.resetAt);
      sendError(reply, 429, 'Too many requests');
      return undefined;
    }
  }
  const fault = store.takeFault(account.id, kind.publish);
  if (!fault) return account;
  if (await applyTransportFault(store, request, reply, fault)) return undefined;
  switch (fault.kind) {
    case 'lost_response':
    case 'slow':
      return account;
    case 'rate_limit': {
      const resetAt = store.now() + fault.retryAfterSeconds * 1000;
      setRateHeaders(reply, window.limit, 0, resetAt);
      reply.header('Retry-After', String(fault.retryAfterSeconds));
      sendError(reply, 429, 'Too many requests');
      return undefined;
    }
    case 'daily_cap': {
      // Mastodon's own posting throttle: 300 statuses per 3 hours per account.
      const period = 3 * 3600 * 1000;
      const resetAt = (Math.floor(store.now() / period) + 1) * period;
      setRateHeaders(reply, 300, 0, resetAt);
      reply.header('Retry-After', String(Math.ceil((resetAt - store.now()) / 1000)));
      sendError(reply, 429, 'Too many requests');
      return undefined;
    }
    case 'expired_token':
      sendError(reply, 401, 'The access token is invalid');
      return undefined;
    default:
      sendError(reply, 500, 'Internal Server Error');
      return undefined;
  }
}

function findStatus(ctx: Context, id: string): StoredPost | undefined {
  return ctx.store.allPosts('mastodon').find((p) => p.id === id && !p.deleted);
}

function instanceConfiguration(ctx: Context): Record<string, unknown> {
  const { limits } = ctx.store;
  return {
    urls: { streaming: ctx.baseUrl().replace(/^http/, 'ws') },
    accounts: { max_featured_tags: 10, max_pinned_statuses: 5 },
    statuses: {
      max_characters: limits.mastodonMaxCharacters,
      max_media_attachments: limits.mastodonMaxMediaAttachments,
      characters_reserved_per_url: 23,
    },
    media_attachments: {
      supported_mime_types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'video/mp4', 'video/webm'],
      description_limit: 1500,
      image_size_limit: 16_777_216,
      image_matrix_limit: 33_177_600,
      video_size_limit: 103_809_024,
      video_frame_rate_limit: 120,
      video_matrix_limit: 8_294_400,
    },
    polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2_629_746 },
    translation: { enabled: false },
  };
}

function domainOf(ctx: Context): string {
  return new URL(ctx.baseUrl()).host;
}

export function mastodonApp(ctx: Context): FastifyInstance {
  const { store } = ctx;
  const app = createApp(store);

  app.post('/api/v1/apps', async (request) => {
    const { fields } = await readBody(request);
    const redirectUris = strList(fields.redirect_uris);
    return {
      id: String(Math.floor(Math.random() * 1e6)),
      name: str(fields.client_name) ?? 'app',
      website: str(fields.website) ?? null,
      scopes: (str(fields.scopes) ?? 'read').split(/\s+/),
      redirect_uri: redirectUris.join('\n') || 'urn:ietf:wg:oauth:2.0:oob',
      redirect_uris: redirectUris.length > 0 ? redirectUris : ['urn:ietf:wg:oauth:2.0:oob'],
      client_id: token(''),
      client_secret: token(''),
      client_secret_expires_at: 0,
      vapid_key: '',
    };
  });

  // A practice consent screen: pick which simulated account authorises the app.
  app.get('/oauth/authorize', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const links = store.accounts('mastodon').map((account) => {
      const code = token('');
      mapFor(codes, store).set(code, account.id);
      const redirect = query.redirect_uri ?? 'urn:ietf:wg:oauth:2.0:oob';
      const href =
        redirect === 'urn:ietf:wg:oauth:2.0:oob'
          ? `data:text/plain,${encodeURIComponent(code)}`
          : `${redirect}${redirect.includes('?') ? '&' : '?'}code=${encodeURIComponent(code)}${
              query.state ? `&state=${encodeURIComponent(query.state)}` : ''
            }`;
      return `<li><a href="${escapeHtml(href)}">Izinkan sebagai @${escapeHtml(account.handle)}</a></li>`;
    });
    return reply
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><title>Sandbox Mastodon: otorisasi</title><h1>Otorisasi aplikasi</h1><ul>${links.join('')}</ul>`);
  });

  app.post('/oauth/token', async (request, reply) => {
    const { fields } = await readBody(request);
    const grant = str(fields.grant_type);
    let accountId: string | undefined;
    if (grant === 'authorization_code') accountId = mapFor(codes, store).get(str(fields.code) ?? '');
    else if (grant === 'refresh_token') accountId = mapFor(tokens, store).get(str(fields.refresh_token) ?? '');
    else if (grant === 'password') {
      const username = str(fields.username) ?? '';
      accountId = store.findAccount('mastodon', (a) => a.handle === username || `${a.handle}@${domainOf(ctx)}` === username)?.id;
    } else if (grant === 'client_credentials') {
      return { access_token: token(''), token_type: 'Bearer', scope: str(fields.scope) ?? 'read', created_at: Math.floor(store.now() / 1000) };
    } else {
      return reply.code(400).send({ error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' });
    }
    if (accountId === undefined) {
      return reply.code(400).send({ error: 'invalid_grant', error_description: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.' });
    }
    const accessToken = token('');
    mapFor(tokens, store).set(accessToken, accountId);
    return { access_token: accessToken, token_type: 'Bearer', scope: str(fields.scope) ?? 'read write', created_at: Math.floor(store.now() / 1000) };
  });

  app.post('/oauth/revoke', async (request) => {
    const { fields } = await readBody(request);
    mapFor(tokens, store).delete(str(fields.token) ?? '');
    return {};
  });

  app.get('/api/v1/instance', async () => ({
    uri: domainOf(ctx),
    title: 'Sandbox Mastodon (Siar)',
    short_description: 'Simulated Mastodon server for practice',
    description: 'Simulated Mastodon server for practice',
    email: 'sandbox@siar.invalid',
    version: mastodonVersion,
    urls: { streaming_api: ctx.baseUrl().replace(/^http/, 'ws') },
    stats: { user_count: store.accounts('mastodon').length, status_count: store.allPosts('mastodon').length, domain_count: 1 },
    thumbnail: null,
    languages: ['id', 'en'],
    registrations: false,
    approval_required: false,
    invites_enabled: false,
    configuration: instanceConfiguration(ctx),
    contact_account: null,
    rules: [],
  }));

  app.get('/api/v2/instance', async () => ({
    domain: domainOf(ctx),
    title: 'Sandbox Mastodon (Siar)',
    version: mastodonVersion,
    source_url: 'https://github.com/mastodon/mastodon',
    description: 'Simulated Mastodon server for practice',
    usage: { users: { active_month: store.accounts('mastodon').length } },
    thumbnail: { url: `${ctx.baseUrl()}/packs/media/images/preview.png` },
    languages: ['id', 'en'],
    configuration: instanceConfiguration(ctx),
    registrations: { enabled: false, approval_required: false, message: null },
    contact: { email: 'sandbox@siar.invalid', account: null },
    rules: [],
  }));

  app.get('/api/v1/accounts/verify_credentials', async (request, reply) => {
    const account = await guard(ctx, request, reply, { publish: false });
    if (!account) return reply;
    return presentAccount(ctx, account, true);
  });

  app.get('/api/v1/accounts/lookup', async (request, reply) => {
    const acct = str((request.query as Record<string, unknown>).acct)?.replace(/^@/, '').split('@')[0];
    const account = store.findAccount('mastodon', (a) => a.handle === acct);
    return account ? presentAccount(ctx, account) : sendError(reply, 404, 'Record not found');
  });

  app.get('/api/v1/accounts/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const account = store.findAccount('mastodon', (a) => a.externalAccountId === id);
    return account ? presentAccount(ctx, account) : sendError(reply, 404, 'Record not found');
  });

  const uploadMedia = async (request: FastifyRequest, reply: FastifyReply) => {
    const account = await guard(ctx, request, reply, { publish: true, mediaUpload: true });
    if (!account) return reply;
    const { fields, files } = await readBody(request);
    const file = files.find((f) => f.field === 'file');
    if (!file) return sendError(reply, 422, 'Validation failed: File content type is invalid, File is invalid');
    const description = str(fields.description) ?? '';
    if ([...description].length > 1500) return sendError(reply, 422, 'Validation failed: Description is too long (maximum is 1500 characters)');
    const media = store.addMedia({
      id: snowflake(store.now()),
      accountId: account.id,
      mime: sniffMime(file.data, file.mime),
      alt: description,
      bytes: file.data.length,
      data: file.data,
    });
    return presentMedia(ctx, media);
  };
  app.post('/api/v2/media', uploadMedia);
  app.post('/api/v1/media', uploadMedia);

  app.get('/api/v1/media/:id', async (request, reply) => {
    const account = await guard(ctx, request, reply, { publish: false });
    if (!account) return reply;
    const media = store.media.get((request.params as { id: string }).id);
    if (!media || media.accountId !== account.id) return sendError(reply, 404, 'Record not found');
    return presentMedia(ctx, media);
  });

  app.put('/api/v1/media/:id', async (request, reply) => {
    const account = await guard(ctx, request, reply, { publish: false });
    if (!account) return reply;
    const media = store.media.get((request.params as { id: string }).id);
    if (!media || media.accountId !== account.id) return sendError(reply, 404, 'Record not found');
    const { fields } = await readBody(request);
    const description = str(fields.description);
    if (description !== undefined) media.alt = description;
    return presentMedia(ctx, media);
  });

  app.get('/system/media/:id', async (request, reply) => {
    const media = store.media.get((request.params as { id: string }).id);
    if (!media) return reply.code(404).type('text/plain').send('Not found');
    return reply.type(media.mime).send(media.data);
  });

  app.post('/api/v1/statuses', async (request, reply) => {
    const account = await guard(ctx, request, reply, { publish: true });
    if (!account) return reply;
    const { fields } = await readBody(request);
    const key = request.headers['idempotency-key'];
    const remembered = mapFor(idempotency, store);
    const idempotencyKey = typeof key === 'string' && key !== '' ? `${account.id}:${key}` : undefined;
    if (idempotencyKey) {
      const previous = remembered.get(idempotencyKey);
      const existing = previous && store.now() - previous.at < store.limits.mastodonIdempotencySeconds * 1000
        ? findStatus(ctx, previous.statusId) : undefined;
      if (existing) return presentStatus(ctx, existing);
    }
    const text = str(fields.status) ?? '';
    const mediaIds = strList(fields.media_ids);
    const visibility = str(fields.visibility) ?? 'public';
    const replyTo = str(fields.in_reply_to_id) ?? null;
    if (!['public', 'unlisted', 'private', 'direct'].includes(visibility)) {
      return sendError(reply, 422, 'Validation failed: Visibility is not included in the list');
    }
    if (replyTo !== null && replyTo !== '' && !findStatus(ctx, replyTo)) return sendError(reply, 404, 'Record not found');
    if (mediaIds.length > store.limits.mastodonMaxMediaAttachments) {
      return sendError(reply, 422, `Cannot attach more than ${store.limits.mastodonMaxMediaAttachments} files`);
    }
    const media = mediaIds.map((id) => store.media.get(id));
    if (media.some((m) => !m || m.accountId !== account.id)) {
      return sendError(reply, 422, 'Validation failed: Media attachments could not be found');
    }
    if (text.trim() === '' && mediaIds.length === 0) return sendError(reply, 422, "Validation failed: Text can't be blank");
    const length = mastodonLength(text) + mastodonLength(str(fields.spoiler_text) ?? '');
    if (length > store.limits.mastodonMaxCharacters) {
      return sendError(reply, 422, `Validation failed: Text character limit of ${store.limits.mastodonMaxCharacters} exceeded`);
    }
    const id = snowflake(store.now());
    const post = store.addPost({
      id,
      accountId: account.id,
      network: 'mastodon',
      text,
      createdAt: new Date(store.now()).toISOString(),
      replyTo: replyTo === '' ? null : replyTo,
      media: media.map((m) => ({ mime: m?.mime ?? '', alt: m?.alt ?? '', bytes: m?.bytes ?? 0 })),
      mediaIds,
      visibility,
      url: `${ctx.webUrl()}/mastodon/${encodeURIComponent(account.handle)}#post-${id}`,
      deleted: false,
    });
    if (idempotencyKey) remembered.set(idempotencyKey, { statusId: id, at: store.now() });
    return presentStatus(ctx, post);
  });

  app.get('/api/v1/statuses/:id', async (request, reply) => {
    if ((await guard(ctx, request, reply, { publish: false, optional: true })) === undefined) return reply;
    const post = findStatus(ctx, (request.params as { id: string }).id);
    return post ? presentStatus(ctx, post) : sendError(reply, 404, 'Record not found');
  });

  app.delete('/api/v1/statuses/:id', async (request, reply) => {
    const account = await guard(ctx, request, reply, { publish: false });
    if (!account) return reply;
    const post = findStatus(ctx, (request.params as { id: string }).id);
    if (!post || post.accountId !== account.id) return sendError(reply, 404, 'Record not found');
    post.deleted = true;
    return presentStatus(ctx, post, true);
  });

  // Editing a status (Mastodon 3.5+): new text (and media, alt text) under the same id, `edited_at` set.
  app.put('/api/v1/statuses/:id', async (request, reply) => {
    const account = await guard(ctx, request, reply, { publish: false });
    if (!account) return reply;
    const post = findStatus(ctx, (request.params as { id: string }).id);
    if (!post || post.accountId !== account.id || post.deleted) return sendError(reply, 404, 'Record not found');
    const { fields } = await readBody(request);
    const text = str(fields.status) ?? post.text;
    if (text.trim() === '' && post.mediaIds.length === 0) return sendError(reply, 422, "Validation failed: Text can't be blank");
    if (mastodonLength(text) > store.limits.mastodonMaxCharacters) {
      return sendError(reply, 422, `Validation failed: Text character limit of ${store.limits.mastodonMaxCharacters} exceeded`);
    }
    post.text = text;
    post.editedAt = new Date(store.now()).toISOString();
    return presentStatus(ctx, post);
  });

  app.get('/api/v1/statuses/:id/context', async (request, reply) => {
    if ((await guard(ctx, request, reply, { publish: false, optional: true })) === undefined) return reply;
    const post = findStatus(ctx, (request.params as { id: string }).id);
    if (!post) return sendError(reply, 404, 'Record not found');
    const ancestors: StoredPost[] = [];
    for (let parent = post.replyTo ? findStatus(ctx, post.replyTo) : undefined; parent; ) {
      ancestors.unshift(parent);
      parent = parent.replyTo ? findStatus(ctx, parent.replyTo) : undefined;
    }
    const descendants: StoredPost[] = [];
    const walk = (id: string): void => {
      const children = ctx.store.allPosts('mastodon').filter((p) => p.replyTo === id && !p.deleted);
      for (const child of children) {
        descendants.push(child);
        walk(child.id);
      }
    };
    walk(post.id);
    return { ancestors: ancestors.map((p) => presentStatus(ctx, p)), descendants: descendants.map((p) => presentStatus(ctx, p)) };
  });

  app.get('/api/v1/accounts/:id/statuses', async (request, reply) => {
    if ((await guard(ctx, request, reply, { publish: false, optional: true })) === undefined) return reply;
    const { id } = request.params as { id: string };
    const account = store.findAccount('mastodon', (a) => a.externalAccountId === id);
    if (!account) return sendError(reply, 404, 'Record not found');
    const query = request.query as Record<string, unknown>;
    const limit = Math.min(40, Math.max(1, Number(str(query.limit) ?? 20) || 20));
    const maxId = str(query.max_id);
    const sinceId = str(query.since_id);
    const minId = str(query.min_id);
    let list = store.posts(account.id).filter((p) => !p.deleted);
    if (str(query.exclude_replies) === 'true') list = list.filter((p) => p.replyTo === null);
    if (str(query.only_media) === 'true') list = list.filter((p) => p.mediaIds.length > 0);
    if (maxId) list = list.filter((p) => BigInt(p.id) < BigInt(maxId));
    if (sinceId) list = list.filter((p) => BigInt(p.id) > BigInt(sinceId));
    if (minId) list = list.filter((p) => BigInt(p.id) > BigInt(minId)).reverse().slice(0, limit).reverse();
    const page = list.slice(0, limit);
    const first = page[0];
    const last = page[page.length - 1];
    if (first && last) {
      const base = `${ctx.baseUrl()}/api/v1/accounts/${id}/statuses?limit=${limit}`;
      reply.header('Link', `<${base}&max_id=${last.id}>; rel="next", <${base}&min_id=${first.id}>; rel="prev"`);
    }
    return page.map((p) => presentStatus(ctx, p));
  });

  return app;
}

/** Citizens on Mastodon: a reply is a status with `in_reply_to_id`; a like is a favourite. */
export function mastodonSimulation(ctx: Context): NetworkSimulation {
  return {
    addReply: ({ post, author, text }) => {
      const id = snowflake(ctx.store.now());
      return ctx.store.addPost({
        id,
        accountId: author.id,
        network: 'mastodon',
        text,
        createdAt: new Date(ctx.store.now()).toISOString(),
        replyTo: post.id,
        media: [],
        mediaIds: [],
        visibility: 'public',
        url: `${ctx.webUrl()}/mastodon/${encodeURIComponent(author.handle)}#post-${id}`,
        deleted: false,
      });
    },
    addLike: ({ post }) => {
      post.likes = (post.likes ?? 0) + 1;
    },
  };
}
