/**
 * Simulated TikTok (open.tiktokapis.com, www.tiktok.com's authorize page and the upload host, on one port): Login
 * Kit, the Content Posting API (tiktok-publish.ts) and the Display API reads a publishing client uses, user/info,
 * video/list (public posts, newest first) and video/query. TikTok offers no public API to delete a post or to read
 * or write comments, so neither exists here; simulated citizens still comment and like, as people do in the app.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { NetworkSimulation, SandboxStore, StoredPost } from './store.ts';
import type { RestoredAccount, SandboxAccount } from './types.ts';
import { createApp, str } from './http.ts';
import {
  admit,
  newTiktokAccessToken,
  newTiktokRefreshToken,
  registerTiktokAuth,
  registerTiktokToken,
  tiktokAnswer,
  tiktokDefaultScopes,
  tiktokError,
} from './tiktok-auth.ts';
import type { TiktokContext } from './tiktok-auth.ts';
import { newTiktokVideoId, registerTiktokPublish, settleAll } from './tiktok-publish.ts';

export function createTiktokAccount(
  store: SandboxStore,
  baseUrl: string,
  options: { handle: string; displayName: string; restore?: RestoredAccount; citizen?: boolean },
): SandboxAccount {
  const restore = options.restore;
  const openId = restore?.externalAccountId ?? `-000${randomUUID().replace(/-/g, '').slice(0, 28)}`;
  const now = store.now();
  const parsed = (value: string | undefined, fallback: number) => {
    const time = Date.parse(value ?? '');
    return Number.isNaN(time) ? fallback : time;
  };
  const expiresAt = parsed(restore?.credentials.expiresAt, now + store.limits.tiktokAccessTokenSeconds * 1000);
  const refreshExpiresAt = parsed(restore?.credentials.refreshExpiresAt, now + store.limits.tiktokRefreshTokenSeconds * 1000);
  const credentials: Record<string, string> = {
    accessToken: restore?.credentials.accessToken ?? newTiktokAccessToken(),
    refreshToken: restore?.credentials.refreshToken ?? newTiktokRefreshToken(),
    expiresAt: new Date(expiresAt).toISOString(),
    refreshExpiresAt: new Date(refreshExpiresAt).toISOString(),
    openId,
    // The app the practice account signed in with (the token endpoint wants client_key; any is accepted).
    clientId: restore?.credentials.clientId ?? 'siar-sandbox',
    scope: restore?.credentials.scope ?? tiktokDefaultScopes.join(','),
  };
  const account = store.addAccount({
    id: restore?.id ?? randomUUID(),
    network: 'tiktok',
    handle: options.handle,
    displayName: options.displayName,
    baseUrl,
    credentials,
    externalAccountId: openId,
    ...(options.citizen ? { citizen: true } : {}),
  });
  const scopes = (credentials.scope ?? '').split(',').filter(Boolean);
  registerTiktokToken(store, credentials.accessToken!, { accountId: account.id, kind: 'access', expiresAt, scopes });
  registerTiktokToken(store, credentials.refreshToken!, { accountId: account.id, kind: 'refresh', expiresAt: refreshExpiresAt, scopes });
  return account;
}

const userFields = [
  'open_id', 'union_id', 'avatar_url', 'avatar_url_100', 'avatar_large_url', 'display_name', 'bio_description',
  'profile_deep_link', 'is_verified', 'username', 'follower_count', 'following_count', 'likes_count', 'video_count',
];
const videoFields = [
  'id', 'create_time', 'cover_image_url', 'share_url', 'video_description', 'duration', 'height', 'width', 'title',
  'embed_html', 'embed_link', 'like_count', 'comment_count', 'share_count', 'view_count',
];

/** The `fields` query parameter: required, each a known field. */
function fieldsOf(value: unknown, known: string[]): string[] | undefined {
  const fields = (str(value) ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  return fields.length > 0 && fields.every((f) => known.includes(f)) ? fields : undefined;
}

function pick(all: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => f in all).map((f) => [f, all[f]]));
}

function isPublished(post: StoredPost): boolean {
  const kind = (post.extra as { kind?: string } | undefined)?.kind;
  return !post.deleted && (kind === 'video' || kind === 'photo');
}

function commentsUnder(store: SandboxStore, postId: string): StoredPost[] {
  const out: StoredPost[] = [];
  const walk = (id: string): void => {
    for (const reply of store.repliesTo('tiktok', id)) {
      if (reply.deleted) continue;
      out.push(reply);
      walk(reply.id);
    }
  };
  walk(postId);
  return out;
}

function presentVideo(ctx: TiktokContext, post: StoredPost): Record<string, unknown> {
  const account = ctx.store.account(post.accountId);
  const title = post.title ?? post.text;
  return {
    id: post.id,
    create_time: Math.floor(Date.parse(post.createdAt) / 1000),
    cover_image_url: `${ctx.baseUrl()}/cover/${post.id}.jpeg`,
    share_url: post.url,
    video_description: post.text,
    duration: 0,
    height: 1920,
    width: 1080,
    title,
    embed_html: `<blockquote class="tiktok-embed" cite="${post.url}" data-video-id="${post.id}"></blockquote>`,
    embed_link: `${ctx.webUrl()}/tiktok/${encodeURIComponent(account?.handle ?? '')}#post-${post.id}`,
    like_count: post.likes ?? 0,
    comment_count: commentsUnder(ctx.store, post.id).length,
    share_count: post.reposts ?? 0,
    view_count: post.views ?? 0,
  };
}

export function tiktokApp(ctx: TiktokContext): FastifyInstance {
  const { store } = ctx;
  const limits = store.limits;
  const app = createApp(store, { bodyLimit: 200 * 1024 * 1024 });
  // Chunks arrive as raw video bytes; creator_info/query is often sent with an empty JSON body.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('The request body is not valid JSON.'), { statusCode: 400 }), undefined);
    }
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    return tiktokError(ctx, reply, status, status === 500 ? 'internal_error' : 'invalid_params', error.message);
  });

  app.addHook('onRequest', async () => settleAll(ctx));
  registerTiktokAuth(app, ctx);
  registerTiktokPublish(app, ctx);

  app.get('/v2/user/info', async (request, reply) => {
    const call = await admit(ctx, request, reply, { scopes: ['user.info.basic'], window: limits.tiktokDisplayPerToken, endpoint: 'user_info', publish: false });
    if (!call) return reply;
    const fields = fieldsOf((request.query as Record<string, unknown>).fields, userFields);
    if (!fields) return tiktokError(ctx, reply, 400, 'invalid_params', `fields is required; valid fields: ${userFields.join(',')}.`);
    const { account } = call;
    const avatar = `${ctx.baseUrl()}/avatar/${account.externalAccountId}.jpeg`;
    const published = store.posts(account.id).filter(isPublished);
    const user = {
      open_id: account.externalAccountId,
      union_id: `u${account.externalAccountId}`,
      avatar_url: avatar,
      avatar_url_100: avatar,
      avatar_large_url: avatar,
      display_name: account.displayName,
      bio_description: '',
      profile_deep_link: `${ctx.webUrl()}/tiktok/${encodeURIComponent(account.handle)}`,
      is_verified: false,
      username: account.handle,
      follower_count: 0,
      following_count: 0,
      likes_count: published.reduce((sum, p) => sum + (p.likes ?? 0), 0),
      video_count: published.length,
    };
    return tiktokAnswer(ctx, reply, { user: pick(user, fields) });
  });

  app.post('/v2/video/list', async (request, reply) => {
    const call = await admit(ctx, request, reply, { scopes: ['video.list'], window: limits.tiktokDisplayPerToken, endpoint: 'video_list', publish: false });
    if (!call) return reply;
    const fields = fieldsOf((request.query as Record<string, unknown>).fields, videoFields);
    if (!fields) return tiktokError(ctx, reply, 400, 'invalid_params', `fields is required; valid fields: ${videoFields.join(',')}.`);
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    const maxCount = body.max_count === undefined ? 10 : Number(body.max_count);
    if (!Number.isInteger(maxCount) || maxCount < 1 || maxCount > 20) return tiktokError(ctx, reply, 400, 'invalid_params', 'max_count must be between 1 and 20.');
    const cursor = body.cursor === undefined ? Number.POSITIVE_INFINITY : Number(body.cursor);
    // video/list shows the creator's public posts only; SELF_ONLY ones never appear.
    const all = store.posts(call.account.id)
      .filter((p) => isPublished(p) && p.visibility !== 'SELF_ONLY' && Date.parse(p.createdAt) < cursor);
    const page = all.slice(0, maxCount);
    const last = page[page.length - 1];
    return tiktokAnswer(ctx, reply, {
      videos: page.map((p) => pick(presentVideo(ctx, p), fields)),
      cursor: last ? Date.parse(last.createdAt) : 0,
      has_more: all.length > page.length,
    });
  });

  app.post('/v2/video/query', async (request, reply) => {
    const call = await admit(ctx, request, reply, { scopes: ['video.list'], window: limits.tiktokDisplayPerToken, endpoint: 'video_query', publish: false });
    if (!call) return reply;
    const fields = fieldsOf((request.query as Record<string, unknown>).fields, videoFields);
    if (!fields) return tiktokError(ctx, reply, 400, 'invalid_params', `fields is required; valid fields: ${videoFields.join(',')}.`);
    const filters = ((request.body as Record<string, unknown> | undefined)?.filters ?? {}) as { video_ids?: unknown };
    const ids = Array.isArray(filters.video_ids) ? filters.video_ids.map((id) => String(id)) : [];
    if (ids.length < 1 || ids.length > 20) return tiktokError(ctx, reply, 400, 'invalid_params', 'filters.video_ids must hold 1 to 20 ids.');
    const videos = ids
      .map((id) => store.findPost('tiktok', id))
      .filter((p): p is StoredPost => p !== undefined && p.accountId === call.account.id && isPublished(p))
      .map((p) => pick(presentVideo(ctx, p), fields));
    return tiktokAnswer(ctx, reply, { videos, cursor: 0, has_more: false });
  });

  return app;
}

/** Citizens comment under a post (or answer a comment) and like it, as people do in the TikTok app. */
export function tiktokSimulation(ctx: TiktokContext): NetworkSimulation {
  return {
    addReply: ({ post, author, text }) => {
      const id = newTiktokVideoId(ctx.store.now());
      return ctx.store.addPost({
        id,
        accountId: author.id,
        network: 'tiktok',
        text,
        createdAt: new Date(ctx.store.now()).toISOString(),
        replyTo: post.id,
        media: [],
        mediaIds: [],
        visibility: 'PUBLIC_TO_EVERYONE',
        url: `${ctx.webUrl()}/tiktok/${encodeURIComponent(author.handle)}#post-${id}`,
        deleted: false,
        extra: { kind: 'comment' },
      });
    },
    addLike: ({ post }) => {
      post.likes = (post.likes ?? 0) + 1;
    },
  };
}
