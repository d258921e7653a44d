/**
 * Simulated Threads API (graph.threads.net v1.0, plus the threads.net consent page, all on one origin): a
 * short-lived token from the code, exchanged for a long-lived one (60 days, refreshable once a day old). Posts are
 * containers (TEXT, IMAGE with a really fetched `image_url`, CAROUSEL) published with `threads_publish`; a thread
 * of several parts is a chain of replies (`reply_to_id`). Rolling 24-hour quotas for posts and replies, replies and
 * conversation read back, insights, delete.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NetworkSimulation, SandboxStore, StoredPost } from './store.ts';
import type { RestoredAccount, SandboxAccount } from './types.ts';
import { createApp, str, strList } from './http.ts';
import {
  longLivedToken,
  checkToken,
  codesOf,
  consentRoutes,
  containersOf,
  containerStatus,
  countWithin,
  fetchImage,
  graphErrors,
  GraphFailure,
  graphRouter,
  graphTime,
  guardGraph,
  issueToken,
  linksIn,
  numericId,
  pageOf,
  paramsOf,
  selectFields,
  sendGraphError,
  subFields,
  tokensOf,
  withinTime,
} from './graph.ts';
import type { FieldMap, GraphAuth, GraphCall, GraphContext, GraphError, MediaContainer, NetworkAnswers } from './graph.ts';

export const threadsGraphVersion = 'v1.0';
const maxTextLength = 500;
const maxLinks = 5;
const maxCarousel = 20;
const maxImageBytes = 8 * 1024 * 1024;
const dayMs = 86_400_000;
const permissions = ['threads_basic', 'threads_content_publish', 'threads_manage_replies', 'threads_read_replies', 'threads_manage_insights'];
const insightMetrics = ['views', 'likes', 'replies', 'reposts', 'quotes', 'shares'];

/** Threads counts characters, except that an emoji weighs its UTF-8 bytes. */
export function threadsLength(text: string): number {
  let length = 0;
  for (const char of text) length += /\p{Extended_Pictographic}/u.test(char) ? Buffer.byteLength(char) : 1;
  return length;
}

export function createThreadsAccount(
  store: SandboxStore,
  baseUrl: string,
  options: { handle: string; displayName: string; restore?: RestoredAccount; citizen?: boolean },
): SandboxAccount {
  const restore = options.restore;
  const id = restore?.id ?? randomUUID();
  const userId = restore?.externalAccountId ?? numericId('2', 17);
  const handle = options.handle.replace(/^@/, '');
  if (options.citizen) {
    return store.addAccount({ id, network: 'threads', handle, displayName: options.displayName, baseUrl, credentials: {}, externalAccountId: userId, citizen: true });
  }
  const lifetime = store.limits.threadsTokenSeconds * 1000;
  const expiresAt = restore?.credentials.expiresAt ? Date.parse(restore.credentials.expiresAt) : store.now() + lifetime;
  const record = { network: 'threads' as const, kind: 'user', longLived: true, accountIds: [id], subject: userId, scopes: permissions, expiresAt, issuedAt: expiresAt - lifetime };
  const accessToken = restore?.credentials.accessToken ?? issueToken(store, 'THAA', record);
  tokensOf(store).set(accessToken, record);
  return store.addAccount({
    id,
    network: 'threads',
    handle,
    displayName: options.displayName,
    baseUrl,
    credentials: { accessToken, expiresAt: new Date(expiresAt).toISOString(), userId },
    externalAccountId: userId,
  });
}

const answers = (ctx: GraphContext): NetworkAnswers => ({
  window: () => ctx.store.limits.threadsCalls,
  usageHeaders: (_account, _token, used) => ({ 'X-App-Usage': JSON.stringify({ call_count: used, total_cputime: Math.floor(used / 4), total_time: Math.floor(used / 4) }) }),
  rateLimited: () => ({ status: 400, code: 4, transient: true, message: '(#4) Application request limit reached' }),
  dailyCap: () => quotaReached('posts', ctx.store.limits.threadsPostsPerDay),
});

function quotaReached(what: 'posts' | 'replies', total: number): GraphError {
  return {
    status: 400,
    code: 9,
    subcode: 2207042,
    transient: false,
    message: 'Application request limit reached',
    userTitle: what === 'posts' ? 'Max. posts reached' : 'Max. replies reached',
    userMsg: `You reached the maximum number of ${what} (${total}) that can be published through the API in 24 hours.`,
  };
}

const mediaNotFound = (id: string): GraphError => ({
  status: 400,
  code: 24,
  subcode: 4279009,
  transient: false,
  message: 'The requested resource does not exist',
  userTitle: 'Media Not Found',
  userMsg: `The media with id ${id} cannot be found.`,
});

function refuse(error: GraphError): never {
  throw new GraphFailure(error);
}

function live(store: SandboxStore, id: string | undefined): StoredPost | undefined {
  const post = id ? store.findPost('threads', id) : undefined;
  return post && !post.deleted ? post : undefined;
}

function directReplies(store: SandboxStore, id: string): StoredPost[] {
  return store.repliesTo('threads', id).filter((p) => !p.deleted);
}

function rootOf(store: SandboxStore, post: StoredPost): StoredPost {
  let root = post;
  for (let parent = live(store, post.replyTo ?? undefined); parent; parent = live(store, parent.replyTo ?? undefined)) root = parent;
  return root;
}

function mediaUrl(ctx: GraphContext, mediaId: string): string {
  return `${ctx.baseUrl()}/_sandbox/media/${mediaId}`;
}

interface CarouselChild {
  id: string;
  mediaId: string;
}

function mediaFields(ctx: GraphContext, post: StoredPost, viewer: SandboxAccount): FieldMap {
  const { store } = ctx;
  const owner = store.account(post.accountId);
  const children = (post.extra?.children as CarouselChild[] | undefined) ?? [];
  const parent = live(store, post.replyTo ?? undefined);
  const root = rootOf(store, post);
  return {
    id: () => post.id,
    media_product_type: () => 'THREADS',
    media_type: () => (children.length > 0 ? 'CAROUSEL_ALBUM' : post.mediaIds.length > 0 ? 'IMAGE' : 'TEXT_POST'),
    media_url: () => (children.length === 0 && post.mediaIds[0] ? mediaUrl(ctx, post.mediaIds[0]) : undefined),
    permalink: () => post.url,
    owner: () => ({ id: owner?.externalAccountId }),
    username: () => owner?.handle,
    text: () => (post.text === '' ? undefined : post.text),
    timestamp: () => graphTime(post.createdAt),
    shortcode: () => String(post.extra?.shortcode ?? ''),
    is_quote_post: () => false,
    has_replies: () => directReplies(store, post.id).length > 0,
    is_reply: () => post.replyTo !== null,
    is_reply_owned_by_me: () => (post.replyTo !== null ? post.accountId === viewer.id : undefined),
    root_post: () => (post.replyTo !== null ? { id: root.id } : undefined),
    replied_to: () => (parent ? { id: parent.id } : undefined),
    hide_status: () => 'NOT_HUSHED',
    reply_audience: () => 'EVERYONE',
    alt_text: () => post.media[0]?.alt || undefined,
    link_attachment_url: () => linksIn(post.text)[0],
    children: (spec) => ({ data: children.map((child) => subFields({ id: child.id, media_type: 'IMAGE', media_url: mediaUrl(ctx, child.mediaId) }, spec)) }),
  };
}

function presentMedia(ctx: GraphContext, post: StoredPost, viewer: SandboxAccount, fields: string | undefined): Record<string, unknown> {
  return selectFields(mediaFields(ctx, post, viewer), fields, ['id'], 'ThreadsMedia');
}

function containerFields(ctx: GraphContext, container: MediaContainer): FieldMap {
  const status = containerStatus(ctx.store, container);
  return { id: () => container.id, status: () => status, error_message: () => (status === 'ERROR' ? 'UNKNOWN' : undefined) };
}

function childIds(value: unknown): string[] {
  return strList(value).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

async function createContainer(ctx: GraphContext, auth: GraphAuth, params: Record<string, unknown>): Promise<{ id: string }> {
  const { store } = ctx;
  const mediaType = (str(params.media_type) ?? 'TEXT').toUpperCase();
  const text = str(params.text) ?? '';
  const isCarouselItem = str(params.is_carousel_item) === 'true';
  const replyTo = str(params.reply_to_id);
  if (threadsLength(text) > maxTextLength) refuse(graphErrors.invalidParameter(`Param text must be at most ${maxTextLength} characters long.`, { type: 'THApiException' }));
  if (linksIn(text).length > maxLinks) refuse({ status: 400, type: 'THApiException', code: 100, message: 'Invalid parameter', userTitle: 'Too many links', userMsg: `A post can contain at most ${maxLinks} links.` });
  if (replyTo !== undefined && !live(store, replyTo)) refuse(mediaNotFound(replyTo));
  const container: MediaContainer = {
    id: numericId('179', 17),
    network: 'threads',
    accountId: auth.account.id,
    createdAt: new Date(store.now()).toISOString(),
    readyAt: store.now() + store.limits.threadsContainerProcessingMs,
    mediaType,
    text,
    altText: str(params.alt_text) ?? '',
    isCarouselItem,
    children: [],
    ...(replyTo !== undefined ? { replyTo } : {}),
    failed: auth.containerError,
  };
  if (mediaType === 'TEXT') {
    if (text.trim() === '') refuse(graphErrors.invalidParameter('The parameter text is required for TEXT posts.', { type: 'THApiException' }));
  } else if (mediaType === 'IMAGE') {
    const url = str(params.image_url);
    if (!url) refuse(graphErrors.invalidParameter('The parameter image_url is required.', { type: 'THApiException' }));
    const fetched = await fetchImage(url);
    if (!fetched.ok) {
      refuse({ status: 400, code: 9004, subcode: 2207052, message: 'Media download has failed. The media URI doesn\'t meet our requirements.', userTitle: 'Media download has failed', userMsg: `The media could not be fetched from this URI: ${url}. Please check the URI and try again.` });
    }
    if (fetched.mime !== 'image/jpeg' && fetched.mime !== 'image/png') {
      refuse({ status: 400, code: 36001, message: 'The image format is not supported.', userTitle: 'Unsupported image format', userMsg: 'The image format is not supported. Supported formats are: JPEG, PNG.' });
    }
    if (fetched.data.length > maxImageBytes) refuse({ status: 400, code: 36000, subcode: 2207004, message: 'The image size is too large.', userTitle: 'Image size too large', userMsg: 'The image is too large to download. It should be less than 8 MiB.' });
    container.image = { data: fetched.data, mime: fetched.mime, url };
  } else if (mediaType === 'CAROUSEL') {
    const children = childIds(params.children);
    if (children.length < 2 || children.length > maxCarousel) refuse(graphErrors.invalidParameter(`A carousel needs between 2 and ${maxCarousel} items.`, { type: 'THApiException' }));
    for (const childId of children) {
      const child = containersOf(store).get(childId);
      if (!child || child.network !== 'threads' || child.accountId !== auth.account.id || !child.isCarouselItem) refuse(mediaNotFound(childId));
    }
    container.children = children;
  } else {
    refuse(graphErrors.invalidParameter(`media_type ${mediaType} is not simulated by this sandbox; use TEXT, IMAGE or CAROUSEL`, { type: 'THApiException' }));
  }
  containersOf(store).set(container.id, container);
  return { id: container.id };
}

function publish(ctx: GraphContext, account: SandboxAccount, creationId: string | undefined): { id: string } {
  const { store } = ctx;
  const container = creationId ? containersOf(store).get(creationId) : undefined;
  // Anything but a FINISHED container of this account answers "Media Not Found" (24/4279009), as Threads does.
  if (!container || container.network !== 'threads' || container.accountId !== account.id || container.isCarouselItem || containerStatus(store, container) !== 'FINISHED') {
    refuse(mediaNotFound(creationId ?? ''));
  }
  const mine = store.posts(account.id);
  if (container.replyTo !== undefined) {
    if (!live(store, container.replyTo)) refuse(mediaNotFound(container.replyTo));
    if (countWithin(mine.filter((p) => p.replyTo !== null), store.now(), dayMs) >= store.limits.threadsRepliesPerDay) refuse(quotaReached('replies', store.limits.threadsRepliesPerDay));
  } else if (countWithin(mine.filter((p) => p.replyTo === null), store.now(), dayMs) >= store.limits.threadsPostsPerDay) {
    refuse(quotaReached('posts', store.limits.threadsPostsPerDay));
  }
  const items = container.children.length > 0 ? container.children.map((id) => containersOf(store).get(id)!) : container.image ? [container] : [];
  const stored = items.map((item) => store.addMedia({ accountId: account.id, mime: item.image?.mime ?? 'image/jpeg', alt: item.altText, bytes: item.image?.data.length ?? 0, data: item.image?.data ?? Buffer.alloc(0) }));
  const id = numericId('18', 17);
  store.addPost({
    id,
    accountId: account.id,
    network: 'threads',
    text: container.text,
    createdAt: new Date(store.now()).toISOString(),
    replyTo: container.replyTo ?? null,
    media: stored.map((m) => ({ mime: m.mime, alt: m.alt, bytes: m.bytes })),
    mediaIds: stored.map((m) => m.id),
    visibility: 'public',
    url: `${ctx.webUrl()}/threads/${encodeURIComponent(account.handle)}#post-${id}`,
    deleted: false,
    extra: {
      kind: 'post',
      containerId: container.id,
      shortcode: Buffer.from(id).toString('base64url').slice(0, 11),
      ...(container.children.length > 0 ? { children: stored.map((m) => ({ id: numericId('18', 17), mediaId: m.id })) } : {}),
    },
  });
  container.publishedId = id;
  for (const item of items) item.publishedId = id;
  return { id };
}

function insights(store: SandboxStore, post: StoredPost, metricParam: string | undefined): Record<string, unknown> {
  const metrics = (metricParam ?? '').split(',').map((m) => m.trim()).filter(Boolean);
  if (metrics.length === 0) refuse(graphErrors.invalidParameter('The parameter metric is required', { type: 'THApiException' }));
  metrics.forEach((metric, index) => {
    if (!insightMetrics.includes(metric)) refuse(graphErrors.invalidParameter(`metric[${index}] must be one of the following values: ${insightMetrics.join(', ')}`, { type: 'THApiException' }));
  });
  const values: Record<string, number> = {
    views: post.views ?? 0,
    likes: post.likes ?? 0,
    replies: directReplies(store, post.id).length,
    reposts: post.reposts ?? 0,
    quotes: 0,
    shares: 0,
  };
  return {
    data: metrics.map((name) => ({
      name,
      period: 'lifetime',
      values: [{ value: values[name] ?? 0 }],
      title: name.replace(/^./, (c) => c.toUpperCase()),
      description: `The number of ${name} of this post.`,
      id: `${post.id}/insights/${name}/lifetime`,
    })),
  };
}

/** `reverse` (default true) puts the newest first. */
function ordered(list: StoredPost[], query: Record<string, unknown>): StoredPost[] {
  return str(query.reverse) === 'false' ? list : [...list].reverse();
}

async function handleGraph(ctx: GraphContext, call: GraphCall): Promise<unknown> {
  const { store } = ctx;
  const { method, node, edge, request, reply } = call;
  const creates = method === 'POST' && edge === 'threads';
  const publishing = creates || (method === 'POST' && edge === 'threads_publish');
  const auth = await guardGraph(ctx, request, reply, answers(ctx), { publish: publishing, containerError: creates ? 'take' : 'defer' });
  if (!auth) return reply;
  const { account } = auth;
  const params = paramsOf(request);
  const query = request.query as Record<string, unknown>;
  const fields = str(query.fields);

  if (node === 'me' || node === account.externalAccountId) {
    if (!edge && method === 'GET') {
      const map: FieldMap = {
        id: () => account.externalAccountId,
        username: () => account.handle,
        name: () => account.displayName,
        threads_profile_picture_url: () => `${ctx.baseUrl()}/_sandbox/avatar.jpg`,
        threads_biography: () => '',
      };
      return selectFields(map, fields, ['id'], 'ThreadsUser');
    }
    if (edge === 'threads' && method === 'POST') return createContainer(ctx, auth, params);
    if (edge === 'threads_publish' && method === 'POST') return publish(ctx, account, str(params.creation_id));
    if ((edge === 'threads' || edge === 'replies') && method === 'GET') {
      // `threads` lists the account's own posts; its replies (thread parts included) are under `replies`.
      const list = withinTime(store.posts(account.id).filter((p) => !p.deleted && (edge === 'threads' ? p.replyTo === null : p.replyTo !== null)), query);
      return pageOf(list, request, ctx.baseUrl(), (p) => presentMedia(ctx, p, account, fields));
    }
    if (edge === 'threads_publishing_limit' && method === 'GET') {
      const mine = store.posts(account.id);
      const map: FieldMap = {
        quota_usage: () => countWithin(mine.filter((p) => p.replyTo === null), store.now(), dayMs),
        config: () => ({ quota_total: store.limits.threadsPostsPerDay, quota_duration: 86_400 }),
        reply_quota_usage: () => countWithin(mine.filter((p) => p.replyTo !== null), store.now(), dayMs),
        reply_config: () => ({ quota_total: store.limits.threadsRepliesPerDay, quota_duration: 86_400 }),
      };
      return { data: [selectFields(map, fields, ['quota_usage'], 'ThreadsPublishingLimit')] };
    }
    refuse(graphErrors.unsupported(method, edge ? `${node}/${edge}` : node));
  }

  const container = containersOf(store).get(node);
  if (container && container.network === 'threads' && container.accountId === account.id && !edge && method === 'GET') {
    return selectFields(containerFields(ctx, container), fields, ['id'], 'ThreadsMediaContainer');
  }

  const post = live(store, node);
  if (!post) refuse(graphErrors.unsupported(method, node));
  if (!edge && method === 'GET') return presentMedia(ctx, post, account, fields);
  if (!edge && method === 'DELETE') {
    if (post.accountId !== account.id) refuse(graphErrors.unsupported('delete', node));
    post.deleted = true;
    return { success: true, deleted_id: post.id };
  }
  if ((edge === 'replies' || edge === 'conversation') && method === 'GET') {
    const collect = (id: string): StoredPost[] => directReplies(store, id).flatMap((r) => [r, ...collect(r.id)]);
    const list = edge === 'replies' ? directReplies(store, post.id) : collect(post.id).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return pageOf(ordered(list, query), request, ctx.baseUrl(), (p) => presentMedia(ctx, p, account, fields));
  }
  if (edge === 'insights' && method === 'GET') {
    if (post.accountId !== account.id) refuse(graphErrors.unsupported(method, `${node}/${edge}`));
    return insights(store, post, str(query.metric));
  }
  if (edge === 'manage_reply' && method === 'POST') {
    if (rootOf(store, post).accountId !== account.id) refuse(graphErrors.unsupported(method, `${node}/${edge}`));
    return { success: true };
  }
  refuse(graphErrors.unsupported(method, edge ? `${node}/${edge}` : node));
}

function codeExchange(ctx: GraphContext, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { store } = ctx;
  const params = paramsOf(request);
  const fail = (message: string, subcode?: number) => sendGraphError(reply, { status: 400, code: 100, ...(subcode ? { subcode } : {}), message });
  if (str(params.grant_type) !== 'authorization_code') return fail('Unsupported grant_type');
  const code = codesOf(store).get(str(params.code) ?? '');
  if (!code || code.network !== 'threads') return fail('Invalid verification code format.');
  if (code.used) return fail('This authorization code has been used.', 36009);
  if (code.expiresAt <= store.now()) return fail('This authorization code has expired.', 36007);
  if (str(params.client_id) !== code.clientId) return fail('Error validating application. Invalid application ID.');
  if (str(params.redirect_uri) !== code.redirectUri) return fail('Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request', 36008);
  code.used = true;
  const account = store.account(code.accountIds[0] ?? '');
  if (!account) return fail('Invalid verification code format.');
  const token = issueToken(store, 'THAA', {
    network: 'threads',
    kind: 'user',
    longLived: false,
    accountIds: [account.id],
    subject: account.externalAccountId,
    expiresAt: store.now() + store.limits.threadsShortTokenSeconds * 1000,
    scopes: code.scopes.length > 0 ? code.scopes : permissions,
  });
  // As documented, user_id is a bare JSON number (it can exceed 2^53: read `/me?fields=id` for an exact string).
  return reply.type('application/json; charset=utf-8').send(`{"access_token":${JSON.stringify(token)},"user_id":${account.externalAccountId}}`);
}

/** `/access_token` (th_exchange_token) and `/refresh_access_token` (th_refresh_token). */
export function threadsApp(ctx: GraphContext): FastifyInstance {
  const app = createApp(ctx.store);
  consentRoutes(app, ctx, ['/oauth/authorize'], {
    network: 'threads',
    networkName: 'Threads',
    multiple: false,
    pkce: false,
    describe: (account) => `@${account.handle} (${account.displayName})`,
  });
  app.post('/oauth/access_token', (request, reply) => codeExchange(ctx, request, reply));
  app.get('/access_token', (request, reply) => longLivedToken(ctx, request, reply, { network: 'threads', grant: 'th_exchange_token', exchange: true, prefix: 'THAA', seconds: ctx.store.limits.threadsTokenSeconds }));
  app.get('/refresh_access_token', (request, reply) => longLivedToken(ctx, request, reply, { network: 'threads', grant: 'th_refresh_token', exchange: false, prefix: 'THAA', seconds: ctx.store.limits.threadsTokenSeconds }));
  app.get('/_sandbox/media/:id', async (request, reply) => {
    const media = ctx.store.media.get((request.params as { id: string }).id);
    if (!media) return reply.code(404).send('Not found');
    return reply.type(media.mime).send(media.data);
  });
  graphRouter(app, (call) => handleGraph(ctx, call));
  return app;
}

/** Citizens on Threads reply with a post of their own (`reply_to_id` the post they answer) and like. */
export function threadsSimulation(ctx: GraphContext): NetworkSimulation {
  return {
    addReply: ({ post, author, text }) => {
      const id = numericId('18', 17);
      return ctx.store.addPost({
        id,
        accountId: author.id,
        network: 'threads',
        text,
        createdAt: new Date(ctx.store.now()).toISOString(),
        replyTo: post.id,
        media: [],
        mediaIds: [],
        visibility: 'public',
        url: `${ctx.webUrl()}/threads/${encodeURIComponent(author.handle)}#post-${id}`,
        deleted: false,
        extra: { kind: 'post', shortcode: Buffer.from(id).toString('base64url').slice(0, 11) },
      });
    },
    addLike: ({ post }) => {
      post.likes = (post.likes ?? 0) + 1;
    },
  };
}
