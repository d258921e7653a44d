/**
 * Simulated Instagram API with Instagram Login (graph.instagram.com v23.0, plus the www.instagram.com consent page
 * and the api.instagram.com code exchange, all on one origin). Publishing is Instagram's two steps: a media
 * container whose `image_url` the server really fetches (JPEG only) and which stays IN_PROGRESS for a while, then
 * `media_publish`, counted against the rolling 24-hour quota read at `content_publishing_limit`. Comments, replies
 * and insights read back; media cannot be deleted through this API (Graph's "Unsupported delete request").
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NetworkSimulation, SandboxStore, StoredPost } from './store.ts';
import type { RestoredAccount, SandboxAccount } from './types.ts';
import { createApp, str, strList } from './http.ts';
import {
  longLivedToken,
  bucUsage,
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

export const instagramGraphVersion = 'v23.0';
const maxCaption = 2200;
const maxHashtags = 30;
const maxCarousel = 10;
const maxImageBytes = 8 * 1024 * 1024;
const dayMs = 86_400_000;
const permissions = ['instagram_business_basic', 'instagram_business_content_publish', 'instagram_business_manage_comments'];
const insightMetrics = ['views', 'reach', 'likes', 'comments', 'shares', 'saved', 'total_interactions', 'profile_visits', 'follows', 'profile_activity'];

/** The app-scoped id `/me` answers as `id` (the professional account id is `user_id`); derived so a restore keeps it. */
function appScopedId(igUserId: string): string {
  return '2' + igUserId.slice(-16).padStart(16, '0');
}

export function createInstagramAccount(
  store: SandboxStore,
  baseUrl: string,
  options: { handle: string; displayName: string; restore?: RestoredAccount; citizen?: boolean },
): SandboxAccount {
  const restore = options.restore;
  const id = restore?.id ?? randomUUID();
  const igUserId = restore?.externalAccountId ?? numericId('17841', 17);
  const handle = options.handle.replace(/^@/, '');
  if (options.citizen) {
    return store.addAccount({ id, network: 'instagram', handle, displayName: options.displayName, baseUrl, credentials: {}, externalAccountId: igUserId, citizen: true });
  }
  const lifetime = store.limits.instagramTokenSeconds * 1000;
  const expiresAt = restore?.credentials.expiresAt ? Date.parse(restore.credentials.expiresAt) : store.now() + lifetime;
  const record = { network: 'instagram' as const, kind: 'user', longLived: true, accountIds: [id], subject: igUserId, scopes: permissions, expiresAt, issuedAt: expiresAt - lifetime };
  const accessToken = restore?.credentials.accessToken ?? issueToken(store, 'IGAA', record);
  tokensOf(store).set(accessToken, record);
  return store.addAccount({
    id,
    network: 'instagram',
    handle,
    displayName: options.displayName,
    baseUrl,
    credentials: { accessToken, expiresAt: new Date(expiresAt).toISOString(), userId: igUserId },
    externalAccountId: igUserId,
  });
}

const answers = (ctx: GraphContext): NetworkAnswers => ({
  window: () => ctx.store.limits.instagramCalls,
  usageHeaders: (account, _token, used, regain) => ({ 'X-Business-Use-Case-Usage': bucUsage(account.externalAccountId, 'instagram', used, regain) }),
  rateLimited: () => ({
    status: 400,
    code: 80002,
    transient: true,
    message: '(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
  }),
  dailyCap: () => quotaReached(),
});

const quotaReached = (): GraphError => ({
  status: 400,
  code: 9,
  subcode: 2207042,
  transient: false,
  message: 'Application request limit reached',
  userTitle: 'Max. posts reached',
  userMsg: 'You reached maximum number of posts that is allowed to be published by Content Publish API.',
});

function refuse(error: GraphError): never {
  throw new GraphFailure(error);
}

function kindOf(post: StoredPost): 'media' | 'comment' {
  return post.extra?.kind === 'comment' ? 'comment' : 'media';
}

function publishedMedia(store: SandboxStore, account: SandboxAccount): StoredPost[] {
  return store.posts(account.id).filter((p) => kindOf(p) === 'media');
}

function comments(store: SandboxStore, id: string): StoredPost[] {
  return store.repliesTo('instagram', id).filter((p) => !p.deleted && kindOf(p) === 'comment');
}

function mediaUrl(ctx: GraphContext, mediaId: string): string {
  return `${ctx.baseUrl()}/_sandbox/media/${mediaId}`;
}

interface CarouselChild {
  id: string;
  mediaId: string;
}

function mediaFields(ctx: GraphContext, post: StoredPost): FieldMap {
  const owner = ctx.store.account(post.accountId);
  const children = (post.extra?.children as CarouselChild[] | undefined) ?? [];
  const all = comments(ctx.store, post.id);
  const withReplies = all.flatMap((c) => [c, ...comments(ctx.store, c.id)]);
  return {
    id: () => post.id,
    caption: () => (post.text === '' ? undefined : post.text),
    media_type: () => (children.length > 0 ? 'CAROUSEL_ALBUM' : 'IMAGE'),
    media_product_type: () => 'FEED',
    media_url: () => (children.length > 0 ? undefined : post.mediaIds[0] ? mediaUrl(ctx, post.mediaIds[0]) : undefined),
    permalink: () => post.url,
    shortcode: () => String(post.extra?.shortcode ?? ''),
    timestamp: () => graphTime(post.createdAt),
    username: () => owner?.handle,
    owner: () => ({ id: owner?.externalAccountId }),
    like_count: () => post.likes ?? 0,
    comments_count: () => withReplies.length,
    is_comment_enabled: () => post.extra?.commentEnabled !== false,
    alt_text: () => post.media[0]?.alt || undefined,
    children: (spec) => ({
      data: children.map((child, index) =>
        subFields({ id: child.id, media_type: 'IMAGE', media_url: mediaUrl(ctx, child.mediaId), timestamp: graphTime(post.createdAt), alt_text: post.media[index]?.alt || undefined }, spec),
      ),
    }),
  };
}

function commentFields(ctx: GraphContext, comment: StoredPost): FieldMap {
  const author = ctx.store.account(comment.accountId);
  const parent = comment.replyTo ? ctx.store.findPost('instagram', comment.replyTo) : undefined;
  return {
    id: () => comment.id,
    text: () => comment.text,
    timestamp: () => graphTime(comment.createdAt),
    username: () => author?.handle,
    from: (spec) => subFields({ id: author?.externalAccountId, username: author?.handle }, spec),
    like_count: () => comment.likes ?? 0,
    hidden: () => false,
    parent_id: () => (parent && kindOf(parent) === 'comment' ? parent.id : undefined),
    media: () => ({ id: String(comment.extra?.mediaId ?? ''), media_product_type: 'FEED' }),
    replies: (spec) => ({
      data: comments(ctx.store, comment.id).map((reply) => subFields(selectFields(commentFields(ctx, reply), 'id,text,timestamp,username', [], 'IGCommentReply'), spec)),
    }),
  };
}

function presentComment(ctx: GraphContext, comment: StoredPost, fields: string | undefined): Record<string, unknown> {
  return selectFields(commentFields(ctx, comment), fields, ['timestamp', 'text', 'id'], 'IGComment');
}

function userFields(ctx: GraphContext, account: SandboxAccount): FieldMap {
  return {
    id: () => appScopedId(account.externalAccountId),
    user_id: () => account.externalAccountId,
    username: () => account.handle,
    name: () => account.displayName,
    account_type: () => 'BUSINESS',
    profile_picture_url: () => `${ctx.baseUrl()}/_sandbox/avatar.jpg`,
    followers_count: () => 0,
    follows_count: () => 0,
    media_count: () => publishedMedia(ctx.store, account).filter((p) => !p.deleted).length,
    biography: () => '',
    website: () => `${ctx.webUrl()}/instagram/${encodeURIComponent(account.handle)}`,
  };
}

function containerFields(ctx: GraphContext, container: MediaContainer): FieldMap {
  const status = containerStatus(ctx.store, container);
  const description: Record<typeof status, string> = {
    IN_PROGRESS: 'In Progress: Media is still being processed.',
    FINISHED: 'Finished: Media has been uploaded and it is ready to be published.',
    ERROR: 'Error: Media upload has failed with error code 2207001',
    EXPIRED: 'Expired: Media container was not published within 24 hours.',
    PUBLISHED: 'Published: Media has been published.',
  };
  return { id: () => container.id, status_code: () => status, status: () => description[status] };
}

/** Carousel children arrive as `children=1,2` or repeated/array values. */
function childIds(value: unknown): string[] {
  return strList(value).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

async function createContainer(ctx: GraphContext, auth: GraphAuth, params: Record<string, unknown>): Promise<{ id: string }> {
  const { store } = ctx;
  const account = auth.account;
  const mine = [...containersOf(store).values()].filter((c) => c.accountId === account.id && c.network === 'instagram');
  if (countWithin(mine, store.now(), dayMs) >= store.limits.instagramContainersPerDay) {
    refuse({ ...quotaReached(), userTitle: 'Max. containers reached', userMsg: `You reached the maximum of ${store.limits.instagramContainersPerDay} media containers in 24 hours.` });
  }
  const mediaType = (str(params.media_type) ?? 'IMAGE').toUpperCase();
  const isCarouselItem = str(params.is_carousel_item) === 'true';
  const caption = str(params.caption) ?? '';
  if (!isCarouselItem) {
    if ([...caption].length > maxCaption) refuse(graphErrors.invalidParameter(`The caption is too long. Captions can be at most ${maxCaption} characters.`));
    if ((caption.match(/#[\p{L}\p{N}_]+/gu) ?? []).length > maxHashtags) refuse(graphErrors.invalidParameter(`The caption contains more than ${maxHashtags} hashtags.`));
  }
  const container: MediaContainer = {
    id: numericId('178', 17),
    network: 'instagram',
    accountId: account.id,
    createdAt: new Date(store.now()).toISOString(),
    readyAt: store.now() + store.limits.instagramContainerProcessingMs,
    mediaType,
    text: caption,
    altText: str(params.alt_text) ?? '',
    isCarouselItem,
    children: [],
    failed: auth.containerError,
  };
  if (mediaType === 'CAROUSEL') {
    const children = childIds(params.children);
    const carouselError = (userMsg: string): GraphError => ({ status: 400, code: 100, subcode: 2207028, message: 'Invalid parameter', userTitle: 'Carousel validation failed', userMsg });
    if (children.length < 2 || children.length > maxCarousel) refuse(carouselError(`A carousel needs between 2 and ${maxCarousel} photos or videos.`));
    for (const childId of children) {
      const child = containersOf(store).get(childId);
      if (!child || child.accountId !== account.id || !child.isCarouselItem) refuse(carouselError(`Media ${childId} is not a carousel item of this account.`));
      const status = containerStatus(store, child);
      if (status === 'ERROR' || status === 'EXPIRED' || status === 'PUBLISHED') refuse(carouselError(`Carousel item ${childId} cannot be used (status ${status}).`));
    }
    container.children = children;
  } else if (mediaType === 'IMAGE') {
    const url = str(params.image_url);
    if (!url) refuse(graphErrors.invalidParameter('The parameter image_url is required.'));
    const fetched = await fetchImage(url);
    if (!fetched.ok) {
      refuse(
        fetched.reason === 'timeout'
          ? { status: 400, code: -2, subcode: 2207003, message: 'Timeout', userTitle: 'Timeout', userMsg: 'It takes too long to download the media.' }
          : { status: 400, code: 9004, subcode: 2207052, message: 'Only photo or video can be accepted as media type.', userTitle: 'Media download has failed', userMsg: `The media could not be fetched from this URI: ${url}. Please check the URI and try again.` },
      );
    }
    if (fetched.mime !== 'image/jpeg') {
      refuse({ status: 400, code: 36001, message: 'The image format is not supported.', userTitle: 'Unsupported image format', userMsg: 'The image format is not supported. Supported formats are: JPEG.' });
    }
    if (fetched.data.length > maxImageBytes) {
      refuse({ status: 400, code: 36000, subcode: 2207004, message: 'The image size is too large.', userTitle: 'Image size too large', userMsg: 'The image is too large to download. It should be less than 8 MiB.' });
    }
    container.image = { data: fetched.data, mime: fetched.mime, url };
  } else {
    refuse(graphErrors.invalidParameter(`media_type ${mediaType} is not simulated by this sandbox; use IMAGE or CAROUSEL`));
  }
  containersOf(store).set(container.id, container);
  return { id: container.id };
}

function publish(ctx: GraphContext, account: SandboxAccount, creationId: string | undefined): { id: string } {
  const { store } = ctx;
  const container = creationId ? containersOf(store).get(creationId) : undefined;
  if (!container || container.accountId !== account.id || container.network !== 'instagram') {
    refuse({ status: 400, code: 9007, subcode: 2207006, message: 'Media ID is not available', userTitle: 'Media not found', userMsg: 'The media with this creation_id cannot be found.' });
  }
  if (container.isCarouselItem) refuse(graphErrors.invalidParameter('A carousel item cannot be published on its own; publish the CAROUSEL container.'));
  const status = containerStatus(store, container);
  if (status === 'IN_PROGRESS') {
    refuse({ status: 400, code: 9007, subcode: 2207027, message: 'Media ID is not available', userTitle: 'Media not ready for publishing', userMsg: 'The media is not ready for publishing, please wait for a moment' });
  }
  if (status === 'ERROR') refuse({ status: 400, code: -1, subcode: 2207032, message: 'Create media fail, please try to re-create media', userTitle: 'Create media failed', userMsg: 'Create media fail, please try to re-create media' });
  if (status === 'EXPIRED') refuse({ status: 400, code: -2, subcode: 2207020, message: 'The media you are trying to access has expired. Please try to upload again.', userTitle: 'Media expired', userMsg: 'The media you are trying to access has expired. Please try to upload again.' });
  if (status === 'PUBLISHED') refuse({ status: 400, code: 9007, message: 'Media ID is not available', userTitle: 'Media already published', userMsg: 'This media container has already been published.' });
  if (countWithin(publishedMedia(store, account), store.now(), dayMs) >= store.limits.instagramPostsPerDay) refuse(quotaReached());
  const items = container.children.length > 0 ? container.children.map((id) => containersOf(store).get(id)!) : [container];
  const stored = items.map((item) => store.addMedia({ accountId: account.id, mime: item.image?.mime ?? 'image/jpeg', alt: item.altText, bytes: item.image?.data.length ?? 0, data: item.image?.data ?? Buffer.alloc(0) }));
  const id = numericId('18', 17);
  store.addPost({
    id,
    accountId: account.id,
    network: 'instagram',
    text: container.text,
    createdAt: new Date(store.now()).toISOString(),
    replyTo: null,
    media: stored.map((m) => ({ mime: m.mime, alt: m.alt, bytes: m.bytes })),
    mediaIds: stored.map((m) => m.id),
    visibility: 'public',
    url: `${ctx.webUrl()}/instagram/${encodeURIComponent(account.handle)}#post-${id}`,
    deleted: false,
    extra: {
      kind: 'media',
      containerId: container.id,
      shortcode: Buffer.from(id).toString('base64url').slice(0, 11),
      ...(container.children.length > 0 ? { children: stored.map((m) => ({ id: numericId('18', 17), mediaId: m.id })) } : {}),
    },
  });
  container.publishedId = id;
  for (const item of items) if (item !== container) item.publishedId = id;
  return { id };
}

function newComment(ctx: GraphContext, author: SandboxAccount, target: StoredPost, text: string): StoredPost {
  // Instagram threads replies one level deep: a reply to a reply joins the top-level comment.
  let parent = target;
  if (kindOf(target) === 'comment' && target.replyTo) {
    const above = ctx.store.findPost('instagram', target.replyTo);
    if (above && kindOf(above) === 'comment') parent = above;
  }
  const mediaId = kindOf(parent) === 'media' ? parent.id : String(parent.extra?.mediaId ?? '');
  const id = numericId('17', 17);
  return ctx.store.addPost({
    id,
    accountId: author.id,
    network: 'instagram',
    text,
    createdAt: new Date(ctx.store.now()).toISOString(),
    replyTo: parent.id,
    media: [],
    mediaIds: [],
    visibility: 'public',
    url: `${ctx.webUrl()}/instagram/${encodeURIComponent(author.handle)}#post-${id}`,
    deleted: false,
    extra: { kind: 'comment', mediaId },
  });
}

function insights(post: StoredPost, metricParam: string | undefined, commentCount: number): Record<string, unknown> {
  const metrics = (metricParam ?? '').split(',').map((m) => m.trim()).filter(Boolean);
  if (metrics.length === 0) refuse(graphErrors.invalidParameter('The parameter metric is required'));
  const values: Record<string, number> = {
    views: post.views ?? 0,
    reach: post.views ?? 0,
    likes: post.likes ?? 0,
    comments: commentCount,
    shares: post.reposts ?? 0,
    saved: 0,
    profile_visits: 0,
    follows: 0,
    profile_activity: 0,
  };
  values.total_interactions = (values.likes ?? 0) + commentCount + (values.shares ?? 0);
  metrics.forEach((metric, index) => {
    if (!insightMetrics.includes(metric)) refuse(graphErrors.invalidParameter(`metric[${index}] must be one of the following values: ${insightMetrics.join(', ')}`));
  });
  return {
    data: metrics.map((name) => ({
      name,
      period: 'lifetime',
      values: [{ value: values[name] ?? 0 }],
      title: name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
      description: `Lifetime ${name.replace(/_/g, ' ')} of this media.`,
      id: `${post.id}/insights/${name}/lifetime`,
    })),
  };
}

async function handleGraph(ctx: GraphContext, call: GraphCall): Promise<unknown> {
  const { store } = ctx;
  const { method, node, edge, request, reply } = call;
  const creates = method === 'POST' && edge === 'media';
  const publishing = method === 'POST' && (edge === 'media' || edge === 'media_publish' || edge === 'comments' || edge === 'replies');
  const auth = await guardGraph(ctx, request, reply, answers(ctx), { publish: publishing, containerError: creates ? 'take' : 'defer' });
  if (!auth) return reply;
  const { account } = auth;
  const params = paramsOf(request);
  const query = request.query as Record<string, unknown>;
  const fields = str(query.fields);

  if (node === 'me' || node === account.externalAccountId || node === appScopedId(account.externalAccountId)) {
    if (!edge && method === 'GET') return selectFields(userFields(ctx, account), fields, ['id'], 'User');
    if (edge === 'media' && method === 'POST') return createContainer(ctx, auth, params);
    if (edge === 'media_publish' && method === 'POST') return publish(ctx, account, str(params.creation_id));
    if (edge === 'media' && method === 'GET') {
      const list = withinTime(publishedMedia(store, account).filter((p) => !p.deleted), query);
      return pageOf(list, request, ctx.baseUrl(), (p) => selectFields(mediaFields(ctx, p), fields, ['id'], 'IGMedia'));
    }
    if (edge === 'content_publishing_limit' && method === 'GET') {
      const usage = countWithin(publishedMedia(store, account), store.now(), dayMs);
      const map: FieldMap = { quota_usage: () => usage, config: () => ({ quota_total: store.limits.instagramPostsPerDay, quota_duration: 86_400 }) };
      const row = selectFields(map, fields, ['quota_usage'], 'ContentPublishingLimit');
      return { data: [row] };
    }
    refuse(graphErrors.unsupported(method, edge ? `${node}/${edge}` : node));
  }

  const container = containersOf(store).get(node);
  if (container && container.network === 'instagram' && container.accountId === account.id && !edge && method === 'GET') {
    return selectFields(containerFields(ctx, container), fields, ['id'], 'ShadowIGMediaBuilder');
  }

  const target = store.findPost('instagram', node);
  const mediaOwnerId = target ? (kindOf(target) === 'media' ? target.accountId : store.findPost('instagram', String(target.extra?.mediaId ?? ''))?.accountId) : undefined;
  // The API only opens an account's own media and the comments on it.
  if (!target || target.deleted || mediaOwnerId !== account.id) {
    const child = publishedMedia(store, account).flatMap((p) => ((p.extra?.children as CarouselChild[] | undefined) ?? []).map((c) => ({ ...c, post: p }))).find((c) => c.id === node);
    if (child && !edge && method === 'GET') {
      return selectFields({ id: () => child.id, media_type: () => 'IMAGE', media_url: () => mediaUrl(ctx, child.mediaId), timestamp: () => graphTime(child.post.createdAt), permalink: () => child.post.url }, fields, ['id'], 'IGMedia');
    }
    refuse(graphErrors.unsupported(method, node));
  }
  if (kindOf(target) === 'media') {
    if (!edge && method === 'GET') return selectFields(mediaFields(ctx, target), fields, ['id'], 'IGMedia');
    if (!edge && method === 'POST') {
      const enabled = str(params.comment_enabled);
      if (enabled === undefined) refuse(graphErrors.invalidParameter('Only comment_enabled can be changed on published media'));
      target.extra = { ...target.extra, commentEnabled: enabled !== 'false' };
      return { success: true };
    }
    if (edge === 'children' && method === 'GET') return { data: ((target.extra?.children as CarouselChild[] | undefined) ?? []).map((c) => ({ id: c.id })) };
    if (edge === 'comments' && method === 'GET') {
      return pageOf(comments(store, target.id), request, ctx.baseUrl(), (c) => presentComment(ctx, c, fields));
    }
    if (edge === 'comments' && method === 'POST') {
      const text = str(params.message) ?? '';
      if (text.trim() === '') refuse(graphErrors.invalidParameter('The parameter message is required'));
      if (target.extra?.commentEnabled === false) refuse({ status: 400, code: 20, message: 'Comments are disabled for this media.' });
      return { id: newComment(ctx, account, target, text).id };
    }
    if (edge === 'insights' && method === 'GET') {
      const count = comments(store, target.id).flatMap((c) => [c, ...comments(store, c.id)]).length;
      return insights(target, str(query.metric), count);
    }
    refuse(graphErrors.unsupported(method, edge ? `${node}/${edge}` : node));
  }
  // A comment on this account's media.
  if (!edge && method === 'GET') return presentComment(ctx, target, fields);
  if (!edge && method === 'DELETE') {
    target.deleted = true;
    return { success: true };
  }
  if (!edge && method === 'POST' && str(params.hide) !== undefined) return { success: true };
  if (edge === 'replies' && method === 'GET') return pageOf(comments(store, target.id), request, ctx.baseUrl(), (c) => presentComment(ctx, c, fields));
  if (edge === 'replies' && method === 'POST') {
    const text = str(params.message) ?? '';
    if (text.trim() === '') refuse(graphErrors.invalidParameter('The parameter message is required'));
    return { id: newComment(ctx, account, target, text).id };
  }
  refuse(graphErrors.unsupported(method, edge ? `${node}/${edge}` : node));
}

/** api.instagram.com's own error shape for the code exchange (not the Graph envelope). */
function oauthError(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ error_type: 'OAuthException', code: 400, error_message: message });
}

function codeExchange(ctx: GraphContext, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { store } = ctx;
  const params = paramsOf(request);
  if (str(params.grant_type) !== 'authorization_code') return oauthError(reply, 'Invalid grant_type');
  const code = codesOf(store).get((str(params.code) ?? '').replace(/#_$/, ''));
  if (!code || code.network !== 'instagram') return oauthError(reply, 'Invalid authorization code');
  if (code.used) return oauthError(reply, 'This authorization code has been used');
  if (code.expiresAt <= store.now()) return oauthError(reply, 'This authorization code has expired');
  if (str(params.client_id) !== code.clientId) return oauthError(reply, 'Invalid platform app');
  if (str(params.redirect_uri) !== code.redirectUri) {
    return oauthError(reply, 'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request');
  }
  code.used = true;
  const account = store.account(code.accountIds[0] ?? '');
  if (!account) return oauthError(reply, 'Invalid authorization code');
  const token = issueToken(store, 'IGAA', {
    network: 'instagram',
    kind: 'user',
    longLived: false,
    accountIds: [account.id],
    subject: account.externalAccountId,
    expiresAt: store.now() + store.limits.instagramShortTokenSeconds * 1000,
    scopes: code.scopes.length > 0 ? code.scopes : permissions,
  });
  // The documented sample writes user_id as a bare JSON number; it is larger than 2^53, so a JavaScript
  // JSON.parse rounds it. Clients should read the id from `/me?fields=user_id` (a string) instead.
  const granted = code.scopes.length > 0 ? code.scopes : permissions;
  return reply
    .type('application/json; charset=utf-8')
    .send(`{"access_token":${JSON.stringify(token)},"user_id":${account.externalAccountId},"permissions":${JSON.stringify(granted)}}`);
}

/** graph.instagram.com `/access_token` (ig_exchange_token) and `/refresh_access_token` (ig_refresh_token). */
export function instagramApp(ctx: GraphContext): FastifyInstance {
  const app = createApp(ctx.store);
  consentRoutes(app, ctx, ['/oauth/authorize'], {
    network: 'instagram',
    networkName: 'Instagram',
    multiple: false,
    pkce: false,
    fragment: '#_',
    describe: (account) => `@${account.handle} (${account.displayName})`,
  });
  app.post('/oauth/access_token', (request, reply) => codeExchange(ctx, request, reply));
  app.get('/access_token', (request, reply) => longLivedToken(ctx, request, reply, { network: 'instagram', grant: 'ig_exchange_token', exchange: true, prefix: 'IGAA', seconds: ctx.store.limits.instagramTokenSeconds }));
  app.get('/refresh_access_token', (request, reply) => longLivedToken(ctx, request, reply, { network: 'instagram', grant: 'ig_refresh_token', exchange: false, prefix: 'IGAA', seconds: ctx.store.limits.instagramTokenSeconds }));
  app.get('/_sandbox/media/:id', async (request, reply) => {
    const media = ctx.store.media.get((request.params as { id: string }).id);
    if (!media) return reply.code(404).send('Not found');
    return reply.type(media.mime).send(media.data);
  });
  graphRouter(app, (call) => handleGraph(ctx, call));
  return app;
}

/** Citizens on Instagram comment on a post (or reply to a comment) and like it. */
export function instagramSimulation(ctx: GraphContext): NetworkSimulation {
  return {
    addReply: ({ post, author, text }) => newComment(ctx, author, post, text),
    addLike: ({ post }) => {
      post.likes = (post.likes ?? 0) + 1;
    },
  };
}
