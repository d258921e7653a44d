/**
 * Simulated Facebook Pages (Graph API v23.0), serving on one origin what production spreads over www.facebook.com
 * (the Login dialog) and graph.facebook.com: code → short-lived user token → long-lived user token
 * (fb_exchange_token) → `/me/accounts` with each Page's own token (which never expires). Pages publish to `/feed`
 * and `/photos` (by `url`, which is really fetched, or a multipart `source`), edit and delete posts, read their
 * posts, comments (top-level and replies, with `parent`) and reaction/comment/share counts.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NetworkSimulation, SandboxStore, StoredPost } from './store.ts';
import type { RestoredAccount, SandboxAccount } from './types.ts';
import { createApp, sniffMime, str } from './http.ts';
import {
  bucUsage,
  checkToken,
  codesOf,
  consentRoutes,
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
  pkceMatches,
  selectFields,
  sendGraphError,
  subFields,
  tokensOf,
  uploadedFiles,
  withinTime,
} from './graph.ts';
import type { FieldMap, FieldSpec, GraphAuth, GraphCall, GraphContext, GraphError, NetworkAnswers, TokenRecord } from './graph.ts';

export const facebookGraphVersion = 'v23.0';
const maxMessageLength = 63_206;
const pageTasks = ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'];
const grantedScopes = ['pages_show_list', 'pages_manage_posts', 'pages_read_engagement', 'pages_manage_engagement', 'public_profile'];

/** The one person who administers every simulated Page (the signed-in Facebook user). */
const admins = new WeakMap<SandboxStore, { id: string; name: string }>();
function adminOf(store: SandboxStore): { id: string; name: string } {
  let admin = admins.get(store);
  if (!admin) {
    admin = { id: numericId('100', 15), name: 'Admin Humas (sandbox)' };
    admins.set(store, admin);
  }
  return admin;
}

/** Photos uploaded to a Page: unpublished ones wait to be attached to a feed post (`attached_media`). */
const photoPosts = new WeakMap<SandboxStore, Map<string, string | null>>();
function photosOf(store: SandboxStore): Map<string, string | null> {
  let map = photoPosts.get(store);
  if (!map) {
    map = new Map();
    photoPosts.set(store, map);
  }
  return map;
}

export function createFacebookAccount(
  store: SandboxStore,
  baseUrl: string,
  options: { handle: string; displayName: string; restore?: RestoredAccount; citizen?: boolean },
): SandboxAccount {
  const restore = options.restore;
  const id = restore?.id ?? randomUUID();
  const externalAccountId = restore?.externalAccountId ?? (options.citizen ? numericId('100', 15) : numericId('10', 15));
  if (options.citizen) {
    return store.addAccount({ id, network: 'facebook', handle: options.handle, displayName: options.displayName, baseUrl, credentials: {}, externalAccountId, citizen: true });
  }
  const now = store.now();
  const userExpiry = restore?.credentials.userAccessTokenExpiresAt ? Date.parse(restore.credentials.userAccessTokenExpiresAt) : now + store.limits.facebookLongTokenSeconds * 1000;
  const base = { network: 'facebook' as const, accountIds: [id], subject: adminOf(store).id, scopes: grantedScopes, longLived: true };
  const pageToken = restore?.credentials.accessToken ?? issueToken(store, 'EAAG', { ...base, kind: 'page', expiresAt: null });
  const userToken = restore?.credentials.userAccessToken ?? issueToken(store, 'EAAG', { ...base, kind: 'user', expiresAt: userExpiry });
  tokensOf(store).set(pageToken, { ...base, kind: 'page', expiresAt: null, issuedAt: now });
  tokensOf(store).set(userToken, { ...base, kind: 'user', expiresAt: userExpiry, issuedAt: now });
  return store.addAccount({
    id,
    network: 'facebook',
    handle: options.handle,
    displayName: options.displayName,
    baseUrl,
    credentials: { accessToken: pageToken, pageId: externalAccountId, userAccessToken: userToken, userAccessTokenExpiresAt: new Date(userExpiry).toISOString() },
    externalAccountId,
  });
}

const answers = (ctx: GraphContext): NetworkAnswers => ({
  window: (token) => (token.kind === 'page' ? ctx.store.limits.facebookPageCalls : ctx.store.limits.facebookUserCalls),
  usageHeaders: (account, token, used, regain): Record<string, string> =>
    token.kind === 'page'
      ? { 'X-Business-Use-Case-Usage': bucUsage(account.externalAccountId, 'pages', used, regain) }
      : { 'X-App-Usage': JSON.stringify({ call_count: used, total_cputime: Math.floor(used / 4), total_time: Math.floor(used / 4) }) },
  rateLimited: (token) =>
    token.kind === 'page'
      ? { status: 400, code: 80001, transient: true, message: '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.' }
      : { status: 400, code: 17, transient: true, message: '(#17) User request limit reached' },
  dailyCap: () => ({
    status: 400,
    code: 368,
    subcode: 1390008,
    message: 'It looks like you were misusing this feature by going too fast. You’ve been temporarily blocked from using it.',
    userTitle: "You Can't Use This Feature Right Now",
    userMsg: 'It looks like you were misusing this feature by going too fast. You’ve been temporarily blocked from using it.',
  }),
});

function kindOf(post: StoredPost): 'post' | 'comment' {
  return post.extra?.kind === 'comment' ? 'comment' : 'post';
}

function live(ctx: GraphContext, id: string): StoredPost | undefined {
  const post = ctx.store.findPost('facebook', id);
  return post && !post.deleted ? post : undefined;
}

function pageAccount(ctx: GraphContext, externalId: string): SandboxAccount | undefined {
  return ctx.store.findAccount('facebook', (a) => a.externalAccountId === externalId);
}

function fromOf(ctx: GraphContext, post: StoredPost): Record<string, unknown> {
  const author = ctx.store.account(post.accountId);
  return { name: author?.displayName ?? '', id: author?.externalAccountId ?? '' };
}

/** Top-level comments of a post, or replies of a comment (Facebook keeps replies one level deep). */
function commentsUnder(ctx: GraphContext, id: string): StoredPost[] {
  return ctx.store.repliesTo('facebook', id).filter((p) => !p.deleted && kindOf(p) === 'comment');
}

function summaryEdge(total: number, spec: FieldSpec, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const withSummary = spec.modifiers.summary !== undefined && spec.modifiers.summary !== 'false';
  return { data: [], ...(withSummary ? { summary: { total_count: total, ...extra } } : {}) };
}

function photoUrl(ctx: GraphContext, mediaId: string): string {
  return `${ctx.baseUrl()}/_sandbox/photos/${mediaId}`;
}

function commentFields(ctx: GraphContext, comment: StoredPost): FieldMap {
  const parent = comment.replyTo ? live(ctx, comment.replyTo) : undefined;
  return {
    id: () => comment.id,
    message: () => comment.text,
    created_time: () => graphTime(comment.createdAt),
    from: (spec) => subFields(fromOf(ctx, comment), spec),
    like_count: () => comment.likes ?? 0,
    comment_count: () => commentsUnder(ctx, comment.id).length,
    parent: (spec) => (parent && kindOf(parent) === 'comment' ? subFields(presentComment(ctx, parent, undefined), spec) : undefined),
    permalink_url: () => comment.url,
    can_comment: () => true,
    can_remove: () => true,
    is_hidden: () => false,
    message_tags: () => [],
    object: () => (comment.extra?.postId ? { id: comment.extra.postId } : undefined),
  };
}

function presentComment(ctx: GraphContext, comment: StoredPost, fields: string | undefined): Record<string, unknown> {
  return selectFields(commentFields(ctx, comment), fields, ['created_time', 'from', 'message', 'id'], 'Comment');
}

function postFields(ctx: GraphContext, post: StoredPost): FieldMap {
  const photos = (post.extra?.photoIds as string[] | undefined) ?? [];
  const comments = commentsUnder(ctx, post.id);
  return {
    id: () => post.id,
    message: () => (post.text === '' ? undefined : post.text),
    created_time: () => graphTime(post.createdAt),
    updated_time: () => graphTime(post.editedAt ?? post.createdAt),
    permalink_url: () => post.url,
    from: (spec) => subFields(fromOf(ctx, post), spec),
    is_published: () => true,
    is_hidden: () => false,
    status_type: () => (photos.length > 0 ? 'added_photos' : post.extra?.link ? 'shared_story' : 'mobile_status_update'),
    full_picture: () => (photos[0] ? photoUrl(ctx, photos[0]) : undefined),
    attachments: () =>
      photos.length === 0
        ? post.extra?.link ? { data: [{ type: 'share', url: post.extra.link, target: { url: post.extra.link } }] } : undefined
        : {
            data: [
              photos.length === 1
                ? { type: 'photo', media: { image: { src: photoUrl(ctx, photos[0]!) } }, target: { id: photos[0] }, url: post.url }
                : { type: 'album', subattachments: { data: photos.map((id) => ({ type: 'photo', media: { image: { src: photoUrl(ctx, id) } }, target: { id } })) }, url: post.url },
            ],
          },
    // Facebook leaves `shares` out until the post has been shared.
    shares: () => (post.reposts ? { count: post.reposts } : undefined),
    reactions: (spec) => summaryEdge(post.likes ?? 0, spec, { viewer_reaction: 'NONE' }),
    likes: (spec) => summaryEdge(post.likes ?? 0, spec, { can_like: true, has_liked: false }),
    comments: (spec) => {
      const edge = summaryEdge(comments.length, spec, { order: 'chronological', can_comment: true });
      if (spec.modifiers.limit !== '0') edge.data = comments.slice(0, Number(spec.modifiers.limit ?? 25) || 25).map((c) => presentComment(ctx, c, undefined));
      return edge;
    },
    link: () => post.extra?.link,
    privacy: () => ({ value: 'EVERYONE', description: 'Public', friends: '', allow: '', deny: '' }),
  };
}

function presentPost(ctx: GraphContext, post: StoredPost, fields: string | undefined): Record<string, unknown> {
  return selectFields(postFields(ctx, post), fields, ['created_time', 'message', 'id'], 'Post');
}

function pageFields(ctx: GraphContext, page: SandboxAccount, token?: TokenRecord): FieldMap {
  return {
    id: () => page.externalAccountId,
    name: () => page.displayName,
    username: () => page.handle,
    link: () => `${ctx.webUrl()}/facebook/${encodeURIComponent(page.handle)}`,
    category: () => 'Government Organization',
    category_list: () => [{ id: '2235', name: 'Government Organization' }],
    about: () => '',
    fan_count: () => 0,
    followers_count: () => 0,
    verification_status: () => 'not_verified',
    picture: () => ({ data: { height: 50, is_silhouette: true, url: `${ctx.baseUrl()}/_sandbox/avatar.png`, width: 50 } }),
    access_token: () => (token?.kind === 'user' && token.accountIds.includes(page.id) ? page.credentials.accessToken : undefined),
    tasks: () => (token?.kind === 'user' && token.accountIds.includes(page.id) ? pageTasks : undefined),
  };
}

function refuse(error: GraphError): never {
  throw new GraphFailure(error);
}

const permissionError = (): GraphError => ({ status: 403, code: 200, message: '(#200) Permissions error' });
const needsPageToken = (): GraphError => ({
  status: 403,
  code: 200,
  message: '(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission',
});

/** `attached_media[0]={"media_fbid":"…"}` as form keys, a JSON array, or an array of objects/JSON strings. */
function attachedMedia(params: Record<string, unknown>): string[] {
  const items: unknown[] = [];
  const indexed = Object.keys(params)
    .map((key) => ({ key, index: /^attached_media\[(\d+)\]$/.exec(key)?.[1] }))
    .filter((k) => k.index !== undefined)
    .sort((a, b) => Number(a.index) - Number(b.index));
  for (const { key } of indexed) items.push(params[key]);
  const whole = params.attached_media;
  if (whole !== undefined) items.push(...(Array.isArray(whole) ? whole : [whole]));
  const ids: string[] = [];
  const visit = (item: unknown): void => {
    if (typeof item === 'string') {
      try {
        visit(JSON.parse(item) as unknown);
      } catch {
        ids.push('');
      }
    } else if (Array.isArray(item)) item.forEach(visit);
    else if (item && typeof item === 'object') ids.push(str((item as { media_fbid?: unknown }).media_fbid) ?? '');
  };
  items.forEach(visit);
  return ids;
}

function newPost(ctx: GraphContext, page: SandboxAccount, input: { text: string; photoIds: string[]; link?: string }): StoredPost {
  const id = `${page.externalAccountId}_${numericId('1', 16)}`;
  const media = input.photoIds.map((photoId) => ctx.store.media.get(photoId)!).map((m) => ({ mime: m.mime, alt: m.alt, bytes: m.bytes }));
  const post = ctx.store.addPost({
    id,
    accountId: page.id,
    network: 'facebook',
    text: input.text,
    createdAt: new Date(ctx.store.now()).toISOString(),
    replyTo: null,
    media,
    mediaIds: input.photoIds,
    visibility: 'public',
    url: `${ctx.webUrl()}/facebook/${encodeURIComponent(page.handle)}#post-${id}`,
    deleted: false,
    extra: { kind: 'post', photoIds: input.photoIds, ...(input.link ? { link: input.link } : {}) },
  });
  for (const photoId of input.photoIds) photosOf(ctx.store).set(photoId, id);
  return post;
}

function newComment(ctx: GraphContext, author: SandboxAccount, target: StoredPost, text: string): StoredPost {
  // Replies to a reply join the top-level comment's thread: Facebook keeps one level of replies.
  let parent = target;
  if (kindOf(target) === 'comment' && target.replyTo) {
    const above = live(ctx, target.replyTo);
    if (above && kindOf(above) === 'comment') parent = above;
  }
  const postId = kindOf(parent) === 'post' ? parent.id : String(parent.extra?.postId ?? '');
  const id = `${postId.split('_').pop() ?? ''}_${numericId('1', 16)}`;
  return ctx.store.addPost({
    id,
    accountId: author.id,
    network: 'facebook',
    text,
    createdAt: new Date(ctx.store.now()).toISOString(),
    replyTo: parent.id,
    media: [],
    mediaIds: [],
    visibility: 'public',
    url: `${ctx.webUrl()}/facebook/${encodeURIComponent(author.handle)}#post-${id}`,
    deleted: false,
    extra: { kind: 'comment', postId },
  });
}

/** Stores a Page photo from `url` (fetched) or a multipart `source`. */
async function receivePhoto(ctx: GraphContext, request: FastifyRequest, page: SandboxAccount, params: Record<string, unknown>): Promise<string> {
  const file = uploadedFiles(request).find((f) => f.field === 'source');
  let data: Buffer;
  let mime: string;
  if (file) {
    data = file.data;
    mime = sniffMime(file.data, undefined);
  } else {
    const url = str(params.url);
    if (!url) refuse({ status: 400, code: 324, message: '(#324) Requires upload file' });
    const fetched = await fetchImage(url);
    if (!fetched.ok) refuse({ status: 400, code: 324, message: '(#324) Missing or invalid image file' });
    data = fetched.data;
    mime = fetched.mime;
  }
  if (!mime.startsWith('image/')) refuse({ status: 400, code: 324, message: '(#324) Missing or invalid image file' });
  const photoId = numericId('1', 16);
  ctx.store.addMedia({ id: photoId, accountId: page.id, mime, alt: str(params.alt_text_custom) ?? '', bytes: data.length, data });
  photosOf(ctx.store).set(photoId, null);
  return photoId;
}

function checkMessage(text: string): void {
  if ([...text].length > maxMessageLength) refuse(graphErrors.invalidParameter(`Param message must be at most ${maxMessageLength} characters long`));
}

/** Facebook refuses a status identical to the Page's latest one (#506). */
function checkDuplicate(ctx: GraphContext, page: SandboxAccount, text: string): void {
  const latest = ctx.store.posts(page.id).find((p) => !p.deleted && kindOf(p) === 'post');
  if (text !== '' && latest && latest.text === text && (latest.extra?.photoIds as string[] | undefined)?.length === 0) {
    refuse({ status: 400, code: 506, message: '(#506) Duplicate status message' });
  }
}

function ownsPage(auth: GraphAuth, page: SandboxAccount): void {
  if (auth.token.kind !== 'page') refuse(needsPageToken());
  if (!auth.token.accountIds.includes(page.id)) refuse(permissionError());
}

function listPosts(ctx: GraphContext, page: SandboxAccount, request: FastifyRequest): Record<string, unknown> {
  const query = request.query as Record<string, unknown>;
  const posts = withinTime(ctx.store.posts(page.id).filter((p) => !p.deleted && kindOf(p) === 'post'), query);
  return pageOf(posts, request, ctx.baseUrl(), (p) => presentPost(ctx, p, str(query.fields)));
}

function listComments(ctx: GraphContext, target: StoredPost, request: FastifyRequest): Record<string, unknown> {
  const query = request.query as Record<string, unknown>;
  const stream = str(query.filter) === 'stream';
  let comments = commentsUnder(ctx, target.id);
  if (stream) comments = comments.flatMap((c) => [c, ...commentsUnder(ctx, c.id)]).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (str(query.order) === 'reverse_chronological') comments = [...comments].reverse();
  const summary = str(query.summary);
  const extra = summary && summary !== 'false'
    ? { summary: { order: str(query.order) ?? 'chronological', total_count: commentsUnder(ctx, target.id).length, can_comment: true } }
    : {};
  return pageOf(comments, request, ctx.baseUrl(), (c) => presentComment(ctx, c, str(query.fields)), extra);
}

async function handleGraph(ctx: GraphContext, call: GraphCall): Promise<unknown> {
  const { store } = ctx;
  const { method, node, edge, request, reply } = call;
  if (node === 'debug_token' && !edge) return debugToken(ctx, request);
  const publish = method === 'POST' && (edge === 'feed' || edge === 'photos' || edge === 'comments');
  const auth = await guardGraph(ctx, request, reply, answers(ctx), { publish, containerError: 'ignore' });
  if (!auth) return reply;
  const params = paramsOf(request);
  const fields = str((request.query as Record<string, unknown>).fields);
  const admin = adminOf(store);

  // The person behind a user token.
  if (node === 'me' && auth.token.kind === 'user') {
    if (!edge && method === 'GET') return selectFields({ id: () => admin.id, name: () => admin.name }, fields, ['name', 'id'], 'User');
    if (edge === 'accounts' && method === 'GET') {
      const pages = auth.token.accountIds.map((id) => store.account(id)).filter((a): a is SandboxAccount => a !== undefined);
      return pageOf(pages, request, ctx.baseUrl(), (page) =>
        selectFields(pageFields(ctx, page, auth.token), fields, ['access_token', 'category', 'category_list', 'name', 'id', 'tasks'], 'Page'));
    }
    if (edge === 'permissions' && method === 'GET') return { data: auth.token.scopes.map((permission) => ({ permission, status: 'granted' })) };
    refuse(graphErrors.unsupported(method, node));
  }
  const page = node === 'me' ? store.account(auth.token.accountIds[0] ?? '') : pageAccount(ctx, node);
  if (page && !page.citizen) {
    if (!edge) {
      if (method === 'GET') return selectFields(pageFields(ctx, page, auth.token), fields, ['name', 'id'], 'Page');
      refuse(graphErrors.unsupported(method, node));
    }
    if (method === 'GET' && (edge === 'feed' || edge === 'posts' || edge === 'published_posts')) return listPosts(ctx, page, request);
    if (method === 'POST' && edge === 'feed') {
      ownsPage(auth, page);
      const text = str(params.message) ?? '';
      const link = str(params.link);
      const photoIds = attachedMedia(params);
      for (const photoId of photoIds) {
        const photo = store.media.get(photoId);
        if (!photo || photo.accountId !== page.id || photosOf(store).get(photoId) !== null) {
          refuse(graphErrors.invalidParameter(`param attached_media[${photoIds.indexOf(photoId)}] has invalid media_fbid ${photoId}`));
        }
      }
      if (text.trim() === '' && !link && photoIds.length === 0) refuse(graphErrors.invalidParameter('Missing message or attachment'));
      checkMessage(text);
      if (photoIds.length === 0 && !link) checkDuplicate(ctx, page, text);
      return { id: newPost(ctx, page, { text, photoIds, ...(link ? { link } : {}) }).id };
    }
    if (method === 'POST' && edge === 'photos') {
      ownsPage(auth, page);
      const caption = str(params.caption) ?? str(params.message) ?? '';
      checkMessage(caption);
      const photoId = await receivePhoto(ctx, request, page, params);
      if (str(params.published) === 'false') return { id: photoId };
      return { id: photoId, post_id: newPost(ctx, page, { text: caption, photoIds: [photoId] }).id };
    }
    refuse(graphErrors.unsupported(method, `${node}/${edge}`));
  }

  const target = live(ctx, node);
  if (target) {
    const owner = store.account(target.accountId);
    const rootPost = kindOf(target) === 'post' ? target : live(ctx, String(target.extra?.postId ?? ''));
    const pageOwner = rootPost ? store.account(rootPost.accountId) : undefined;
    if (!edge && method === 'GET') return kindOf(target) === 'post' ? presentPost(ctx, target, fields) : presentComment(ctx, target, fields);
    if (!edge && method === 'POST') {
      if (auth.token.kind !== 'page' || !owner || !auth.token.accountIds.includes(owner.id)) refuse(permissionError());
      const text = str(params.message);
      if (text === undefined) refuse(graphErrors.invalidParameter('The parameter message is required'));
      checkMessage(text);
      target.text = text;
      target.editedAt = new Date(store.now()).toISOString();
      return { success: true };
    }
    if (!edge && method === 'DELETE') {
      // A Page removes its own posts and any comment under its posts.
      const allowed = auth.token.kind === 'page' && ((owner && auth.token.accountIds.includes(owner.id)) || (pageOwner && auth.token.accountIds.includes(pageOwner.id)));
      if (!allowed) refuse(graphErrors.unsupported('delete', node));
      target.deleted = true;
      return { success: true };
    }
    if (edge === 'comments' && method === 'GET') return listComments(ctx, target, request);
    if (edge === 'comments' && method === 'POST') {
      if (auth.token.kind !== 'page') refuse(needsPageToken());
      const author = store.account(auth.token.accountIds[0] ?? '');
      const text = str(params.message) ?? '';
      if (!author) refuse(permissionError());
      if (text.trim() === '' && !str(params.attachment_url)) refuse(graphErrors.invalidParameter('Missing message or attachment'));
      checkMessage(text);
      return { id: newComment(ctx, author, target, text).id };
    }
    if ((edge === 'reactions' || edge === 'likes') && method === 'GET') {
      const summary = str((request.query as Record<string, unknown>).summary);
      return { data: [], ...(summary && summary !== 'false' ? { summary: { total_count: target.likes ?? 0, viewer_reaction: 'NONE' } } : {}) };
    }
    refuse(graphErrors.unsupported(method, `${node}/${edge}`));
  }

  const photo = store.media.get(node);
  if (photo && photosOf(store).has(node) && !edge) {
    if (method === 'GET') {
      return selectFields(
        { id: () => node, created_time: () => graphTime(photo.createdAt), alt_text_custom: () => photo.alt || undefined, images: () => [{ source: photoUrl(ctx, node), height: 0, width: 0 }], link: () => photoUrl(ctx, node) },
        fields,
        ['created_time', 'id'],
        'Photo',
      );
    }
  }
  refuse(graphErrors.unsupported(method, node));
}

function debugToken(ctx: GraphContext, request: FastifyRequest): Record<string, unknown> {
  const input = str((request.query as Record<string, unknown>).input_token);
  const checked = checkToken(ctx.store, input);
  if ('error' in checked) return { data: { is_valid: false, error: { code: checked.error.code, message: checked.error.message, ...(checked.error.subcode ? { subcode: checked.error.subcode } : {}) }, scopes: [] } };
  const record = checked.record;
  const page = record.kind === 'page' ? ctx.store.account(record.accountIds[0] ?? '') : undefined;
  return {
    data: {
      app_id: '000000000000000',
      type: record.kind === 'page' ? 'PAGE' : 'USER',
      application: 'Siar',
      data_access_expires_at: Math.floor((record.issuedAt + 90 * 86_400_000) / 1000),
      expires_at: record.expiresAt === null ? 0 : Math.floor(record.expiresAt / 1000),
      is_valid: true,
      issued_at: Math.floor(record.issuedAt / 1000),
      scopes: record.scopes,
      granular_scopes: record.scopes.filter((s) => s.startsWith('pages_')).map((scope) => ({ scope, target_ids: record.accountIds.map((id) => ctx.store.account(id)?.externalAccountId ?? '') })),
      ...(page ? { profile_id: page.externalAccountId } : {}),
      user_id: record.subject,
    },
  };
}

/** The code and `fb_exchange_token` grants of `GET /oauth/access_token`. */
function tokenEndpoint(ctx: GraphContext, request: FastifyRequest, reply: FastifyReply): unknown {
  const { store } = ctx;
  const params = paramsOf(request);
  const bearer = (token: string, seconds: number) => ({ access_token: token, token_type: 'bearer', expires_in: seconds });
  if (str(params.grant_type) === 'fb_exchange_token') {
    const checked = checkToken(store, str(params.fb_exchange_token));
    if ('error' in checked) return sendGraphError(reply, checked.error.code === 2500 ? graphErrors.invalidParameter('Missing fb_exchange_token parameter') : checked.error);
    if (checked.record.kind !== 'user') return sendGraphError(reply, graphErrors.invalidToken());
    const seconds = store.limits.facebookLongTokenSeconds;
    return bearer(issueToken(store, 'EAAG', { ...checked.record, longLived: true, expiresAt: store.now() + seconds * 1000, issuedAt: store.now() }), seconds);
  }
  const codeValue = str(params.code);
  const code = codeValue ? codesOf(store).get(codeValue) : undefined;
  if (!codeValue) return sendGraphError(reply, { status: 400, code: 1, message: 'Missing authorization code' });
  if (!code || code.network !== 'facebook') return sendGraphError(reply, { status: 400, code: 100, message: 'Invalid verification code format.' });
  if (code.used) return sendGraphError(reply, { status: 400, code: 100, subcode: 36009, message: 'This authorization code has been used.' });
  if (code.expiresAt <= store.now()) return sendGraphError(reply, { status: 400, code: 100, subcode: 36007, message: 'This authorization code has expired.' });
  if (str(params.client_id) !== code.clientId) return sendGraphError(reply, { status: 400, code: 100, message: 'Error validating verification code. Please make sure your client_id matches the one used in the OAuth dialog request' });
  if (str(params.redirect_uri) !== code.redirectUri) {
    return sendGraphError(reply, { status: 400, code: 100, subcode: 36008, message: 'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request' });
  }
  if (!pkceMatches(code, str(params.code_verifier))) return sendGraphError(reply, { status: 400, code: 100, message: 'Invalid code verifier.' });
  code.used = true;
  const seconds = store.limits.facebookShortTokenSeconds;
  const token = issueToken(store, 'EAAG', {
    network: 'facebook',
    kind: 'user',
    longLived: false,
    accountIds: code.accountIds,
    subject: adminOf(store).id,
    expiresAt: store.now() + seconds * 1000,
    scopes: code.scopes.length > 0 ? code.scopes : grantedScopes,
  });
  return bearer(token, seconds);
}

export function facebookApp(ctx: GraphContext): FastifyInstance {
  const app = createApp(ctx.store);
  consentRoutes(app, ctx, [`/${facebookGraphVersion}/dialog/oauth`, '/dialog/oauth'], {
    network: 'facebook',
    networkName: 'Facebook',
    multiple: true,
    pkce: true,
    describe: (page) => `${page.displayName} (Halaman, @${page.handle})`,
  });
  for (const path of [`/${facebookGraphVersion}/oauth/access_token`, '/oauth/access_token']) {
    app.get(path, (request, reply) => tokenEndpoint(ctx, request, reply));
    app.post(path, (request, reply) => tokenEndpoint(ctx, request, reply));
  }
  app.get('/_sandbox/photos/:id', async (request, reply) => {
    const media = ctx.store.media.get((request.params as { id: string }).id);
    if (!media) return reply.code(404).send('Not found');
    return reply.type(media.mime).send(media.data);
  });
  graphRouter(app, (call) => handleGraph(ctx, call));
  return app;
}

/** Citizens on Facebook comment under a Page post (or reply to a comment) and react to it. */
export function facebookSimulation(ctx: GraphContext): NetworkSimulation {
  return {
    addReply: ({ post, author, text }) => newComment(ctx, author, post, text),
    addLike: ({ post }) => {
      post.likes = (post.likes ?? 0) + 1;
    },
  };
}
