/**
 * Simulated YouTube (Data API v3 at www.googleapis.com's paths, Google OAuth at accounts.google.com's and
 * oauth2.googleapis.com's, all on one port): channels, resumable video upload with processing, videos read/edit/
 * delete, the uploads playlist for recent videos, comment threads and replies, and the daily quota per project.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { NetworkSimulation, SandboxStore, StoredPost } from './store.ts';
import type { RestoredAccount, SandboxAccount } from './types.ts';
import { createApp, str } from './http.ts';
import {
  defaultYoutubeScopes,
  newAccessToken,
  newRefreshToken,
  registerYoutubeOAuth,
  registerYoutubeToken,
  sandboxGoogleProject,
} from './youtube-oauth.ts';
import { admit, googleError, scopeSets } from './youtube-guard.ts';
import type { YoutubeContext } from './youtube-guard.ts';
import { checkVideoMetadata, registerYoutubeUpload } from './youtube-upload.ts';
import {
  commentExtra,
  effectivePrivacy,
  etag,
  newChannelId,
  newCommentId,
  offsetOf,
  pageToken,
  partsOf,
  presentChannel,
  presentComment,
  presentPlaylistItem,
  presentThread,
  presentVideo,
  repliesOf,
  uploadsPlaylistOf,
  videoExtra,
} from './youtube-present.ts';

export function createYoutubeAccount(
  store: SandboxStore,
  baseUrl: string,
  options: { handle: string; displayName: string; restore?: RestoredAccount; citizen?: boolean },
): SandboxAccount {
  const restore = options.restore;
  const channelId = restore?.externalAccountId ?? newChannelId();
  const lifetime = store.limits.youtubeAccessTokenSeconds;
  const restoredExpiry = Date.parse(restore?.credentials.expiresAt ?? '');
  const expiresAt = Number.isNaN(restoredExpiry) ? store.now() + lifetime * 1000 : restoredExpiry;
  const credentials: Record<string, string> = {
    accessToken: restore?.credentials.accessToken ?? newAccessToken(),
    refreshToken: restore?.credentials.refreshToken ?? newRefreshToken(),
    expiresAt: new Date(expiresAt).toISOString(),
    channelId,
    clientId: restore?.credentials.clientId ?? sandboxGoogleProject,
    scope: restore?.credentials.scope ?? defaultYoutubeScopes.join(' '),
  };
  const account = store.addAccount({
    id: restore?.id ?? randomUUID(),
    network: 'youtube',
    handle: options.handle,
    displayName: options.displayName,
    baseUrl,
    credentials,
    externalAccountId: channelId,
    ...(options.citizen ? { citizen: true } : {}),
  });
  const scopes = (credentials.scope ?? '').split(/\s+/).filter(Boolean);
  const project = credentials.clientId ?? sandboxGoogleProject;
  registerYoutubeToken(store, credentials.accessToken!, { accountId: account.id, kind: 'access', expiresAt, scopes, project });
  registerYoutubeToken(store, credentials.refreshToken!, { accountId: account.id, kind: 'refresh', expiresAt: null, scopes, project });
  return account;
}

function isVideo(post: StoredPost | undefined): post is StoredPost {
  return post !== undefined && !post.deleted && videoExtra(post) !== undefined;
}

function listResponse(kind: string, items: Record<string, unknown>[], total: number, perPage: number, next?: string): Record<string, unknown> {
  const answer: Record<string, unknown> = { kind, etag: etag([kind, items.map((i) => i.etag)]) };
  if (next) answer.nextPageToken = next;
  answer.pageInfo = { totalResults: total, resultsPerPage: perPage };
  answer.items = items;
  return answer;
}

function clampResults(value: unknown, fallback: number, max: number): number {
  const parsed = Number(str(value) ?? fallback);
  return Number.isInteger(parsed) ? Math.min(max, Math.max(0, parsed)) : fallback;
}

function addComment(ctx: YoutubeContext, input: { author: SandboxAccount; videoId: string; parentId: string | null; text: string }): StoredPost {
  const id = newCommentId(input.parentId ?? undefined);
  return ctx.store.addPost({
    id,
    accountId: input.author.id,
    network: 'youtube',
    text: input.text,
    createdAt: new Date(ctx.store.now()).toISOString(),
    replyTo: input.parentId ?? input.videoId,
    media: [],
    mediaIds: [],
    visibility: 'public',
    url: `${ctx.webUrl()}/youtube/${encodeURIComponent(input.author.handle)}#post-${id}`,
    deleted: false,
    extra: { kind: 'comment', videoId: input.videoId, parentId: input.parentId },
  });
}

function commentTextProblem(text: unknown): { reason: string; message: string } | undefined {
  if (typeof text !== 'string' || text.trim() === '') {
    return { reason: 'commentTextRequired', message: 'The comment resource that is being inserted must specify a value for the <code>snippet.textOriginal</code> property. Comments cannot be empty.' };
  }
  if ([...text].length > 10_000) return { reason: 'commentTextTooLong', message: 'The comment resource that is being inserted contains too many characters in the <code>snippet.textOriginal</code> property.' };
  return undefined;
}

export function youtubeApp(ctx: YoutubeContext): FastifyInstance {
  const { store } = ctx;
  const app = createApp(store, { bodyLimit: 256 * 1024 * 1024 });
  // Uploads arrive as raw bytes of any media type; Google also accepts an empty JSON body.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('Parse Error'), { statusCode: 400 }), undefined);
    }
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const code = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (code === 400) return googleError(reply, 400, 'parseError', 'Parse Error', { domain: 'global' });
    if (code === 413) return googleError(reply, 413, 'uploadTooLarge', 'The request is larger than the sandbox accepts.', { domain: 'global' });
    if (code < 500) return googleError(reply, code, 'badRequest', error.message, { domain: 'global' });
    return googleError(reply, 500, 'backendError', 'Internal error encountered.', { domain: 'global' });
  });

  registerYoutubeOAuth(app, store);
  registerYoutubeUpload(app, ctx);

  app.get('/youtube/v3/channels', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const admitted = await admit(ctx, request, reply, { publish: false, cost: 1, scopes: scopeSets.read });
    if (!admitted) return reply;
    const parts = partsOf(query.part);
    if (parts.size === 0) return googleError(reply, 400, 'required', 'Required parameter: part', { domain: 'global', location: 'part', locationType: 'parameter' });
    let accounts: SandboxAccount[];
    if (str(query.mine) === 'true') accounts = [admitted.account];
    else if (str(query.id)) {
      const ids = (str(query.id) ?? '').split(',');
      accounts = store.accounts('youtube').filter((a) => ids.includes(a.externalAccountId));
    } else if (str(query.forHandle)) {
      const handle = (str(query.forHandle) ?? '').replace(/^@/, '').toLowerCase();
      accounts = store.accounts('youtube').filter((a) => a.handle.toLowerCase() === handle);
    } else {
      return googleError(reply, 400, 'missingRequiredParameter', 'No filter selected. Expected one of: mine, forHandle, id, managedByMe, forUsername, categoryId', { domain: 'youtube.parameter' });
    }
    const items = accounts.map((a) => presentChannel(ctx, a, parts));
    return listResponse('youtube#channelListResponse', items, items.length, 5);
  });

  app.get('/youtube/v3/videos', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const admitted = await admit(ctx, request, reply, { publish: false, cost: 1, scopes: scopeSets.read });
    if (!admitted) return reply;
    const parts = partsOf(query.part);
    const ids = (str(query.id) ?? '').split(',').filter(Boolean);
    if (parts.size === 0 || ids.length === 0) {
      return googleError(reply, 400, 'missingRequiredParameter', 'No filter selected. Expected one of: myRating, chart, id', { domain: 'youtube.parameter' });
    }
    const items = ids
      .map((id) => store.findPost('youtube', id))
      .filter(isVideo)
      .filter((post) => post.accountId === admitted.account.id || effectivePrivacy(post, store.now()) !== 'private')
      .map((post) => presentVideo(ctx, post, parts, post.accountId === admitted.account.id));
    return listResponse('youtube#videoListResponse', items, items.length, items.length);
  });

  app.put('/youtube/v3/videos', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const admitted = await admit(ctx, request, reply, { publish: false, cost: 50, scopes: scopeSets.manage });
    if (!admitted) return reply;
    const parts = partsOf(query.part);
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    const post = store.findPost('youtube', str(body.id) ?? '');
    if (!isVideo(post)) {
      return googleError(reply, 404, 'videoNotFound', 'The video that you are trying to update cannot be found. Check the value of the <code>id</code> field in the request body to ensure that it is correct.', { domain: 'youtube.video' });
    }
    if (post.accountId !== admitted.account.id) return googleError(reply, 403, 'forbidden', 'The request is not properly authorized to update the video.', { domain: 'youtube.video' });
    const extra = videoExtra(post)!;
    // An update replaces the whole part: what the body leaves out is cleared, so snippet needs title and categoryId.
    const checked = checkVideoMetadata(
      {
        snippet: parts.has('snippet') ? body.snippet : { title: post.title, description: post.text, tags: extra.tags, categoryId: extra.categoryId },
        status: parts.has('status') ? body.status : {},
      },
      store.now(),
      parts.has('snippet'),
    );
    if (!checked.ok) return googleError(reply, 400, checked.reason, checked.message, { domain: 'youtube.video' });
    const { metadata } = checked;
    if (!parts.has('status')) Object.assign(metadata, { privacyStatus: post.visibility, publishAt: extra.publishAt, madeForKids: extra.madeForKids });
    post.title = metadata.title;
    post.text = metadata.description;
    post.visibility = metadata.privacyStatus;
    Object.assign(extra, { tags: metadata.tags, categoryId: metadata.categoryId, publishAt: metadata.publishAt, defaultLanguage: metadata.defaultLanguage ?? extra.defaultLanguage });
    extra.madeForKids = metadata.madeForKids;
    post.editedAt = new Date(store.now()).toISOString();
    return presentVideo(ctx, post, parts, true);
  });

  app.delete('/youtube/v3/videos', async (request, reply) => {
    const admitted = await admit(ctx, request, reply, { publish: false, cost: 50, scopes: scopeSets.manage });
    if (!admitted) return reply;
    const post = store.findPost('youtube', str((request.query as Record<string, unknown>).id) ?? '');
    if (!isVideo(post)) {
      return googleError(reply, 404, 'videoNotFound', 'The video that you are trying to delete cannot be found. Check the value of the <code>id</code> parameter in your request to ensure that it is correct.', { domain: 'youtube.video' });
    }
    if (post.accountId !== admitted.account.id) return googleError(reply, 403, 'forbidden', 'The video that you are trying to delete cannot be deleted. The request might not be properly authorized.', { domain: 'youtube.video' });
    post.deleted = true;
    return reply.code(204).send();
  });

  app.get('/youtube/v3/playlistItems', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const admitted = await admit(ctx, request, reply, { publish: false, cost: 1, scopes: scopeSets.read });
    if (!admitted) return reply;
    const parts = partsOf(query.part);
    const playlistId = str(query.playlistId) ?? '';
    const owner = store.accounts('youtube').find((a) => uploadsPlaylistOf(a.externalAccountId) === playlistId);
    if (!owner) {
      return googleError(reply, 404, 'playlistNotFound', 'The playlist identified with the request\'s <code>playlistId</code> parameter cannot be found.', { domain: 'youtube.playlistItem', location: 'playlistId', locationType: 'parameter' });
    }
    const offset = offsetOf(str(query.pageToken));
    if (offset === null) return googleError(reply, 400, 'invalidPageToken', 'The request specifies an invalid page token.', { domain: 'youtube.parameter' });
    const perPage = clampResults(query.maxResults, 5, 50);
    // The uploads playlist: newest first; private videos only for their owner.
    const videos = store.posts(owner.id).filter(isVideo)
      .filter((post) => owner.id === admitted.account.id || effectivePrivacy(post, store.now()) !== 'private');
    const page = videos.slice(offset, offset + perPage);
    const next = offset + perPage < videos.length ? pageToken(offset + perPage) : undefined;
    return listResponse('youtube#playlistItemListResponse', page.map((post, i) => presentPlaylistItem(ctx, post, offset + i, parts)), videos.length, perPage, next);
  });

  app.get('/youtube/v3/commentThreads', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const admitted = await admit(ctx, request, reply, { publish: false, cost: 1, scopes: scopeSets.read });
    if (!admitted) return reply;
    const parts = partsOf(query.part);
    let threads: StoredPost[];
    if (str(query.videoId)) {
      const video = store.findPost('youtube', str(query.videoId) ?? '');
      if (!isVideo(video)) {
        return googleError(reply, 404, 'videoNotFound', 'The video identified by the <code><a href="/youtube/v3/docs/commentThreads/list#videoId">videoId</a></code> parameter could not be found.', { domain: 'youtube.commentThread', location: 'videoId', locationType: 'parameter' });
      }
      threads = store.repliesTo('youtube', video.id).filter((p) => !p.deleted && commentExtra(p));
    } else if (str(query.id)) {
      const ids = (str(query.id) ?? '').split(',');
      threads = ids.map((id) => store.findPost('youtube', id)).filter((p): p is StoredPost => p !== undefined && !p.deleted && commentExtra(p)?.parentId === null);
    } else if (str(query.allThreadsRelatedToChannelId)) {
      const channel = store.accounts('youtube').find((a) => a.externalAccountId === str(query.allThreadsRelatedToChannelId));
      const videoIds = new Set(channel ? store.posts(channel.id).filter(isVideo).map((p) => p.id) : []);
      threads = store.allPosts('youtube').filter((p) => !p.deleted && commentExtra(p)?.parentId === null && videoIds.has(commentExtra(p)?.videoId ?? ''));
    } else {
      return googleError(reply, 400, 'missingRequiredParameter', 'No filter selected. Expected one of: allThreadsRelatedToChannelId, videoId, id', { domain: 'youtube.parameter' });
    }
    // order=time (the default) is newest first.
    threads = [...threads].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const offset = offsetOf(str(query.pageToken));
    if (offset === null) return googleError(reply, 400, 'invalidPageToken', 'The request specifies an invalid page token.', { domain: 'youtube.parameter' });
    const perPage = Math.max(1, clampResults(query.maxResults, 20, 100));
    const page = threads.slice(offset, offset + perPage);
    const next = offset + perPage < threads.length ? pageToken(offset + perPage) : undefined;
    return listResponse('youtube#commentThreadListResponse', page.map((t) => presentThread(ctx, t, parts)), threads.length, perPage, next);
  });

  app.get('/youtube/v3/comments', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const admitted = await admit(ctx, request, reply, { publish: false, cost: 1, scopes: scopeSets.read });
    if (!admitted) return reply;
    let comments: StoredPost[];
    if (str(query.parentId)) comments = repliesOf(ctx, str(query.parentId) ?? '');
    else if (str(query.id)) {
      const ids = (str(query.id) ?? '').split(',');
      comments = ids.map((id) => store.findPost('youtube', id)).filter((p): p is StoredPost => p !== undefined && !p.deleted && commentExtra(p) !== undefined);
    } else return googleError(reply, 400, 'missingRequiredParameter', 'No filter selected. Expected one of: parentId, id', { domain: 'youtube.parameter' });
    return listResponse('youtube#commentListResponse', comments.map((c) => presentComment(ctx, c)), comments.length, 20);
  });

  app.post('/youtube/v3/comments', async (request, reply) => {
    const admitted = await admit(ctx, request, reply, { publish: true, cost: 50, scopes: scopeSets.comments });
    if (!admitted) return reply;
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as { snippet?: { parentId?: unknown; textOriginal?: unknown } };
    const parent = store.findPost('youtube', str(body.snippet?.parentId) ?? '');
    const parentExtra = parent && !parent.deleted ? commentExtra(parent) : undefined;
    if (!parent || !parentExtra) {
      return googleError(reply, 404, 'parentCommentNotFound', 'The specified parent comment could not be found. Check the value of the <code>snippet.parentId</code> property in the request body to ensure that it is correct.', { domain: 'youtube.comment' });
    }
    if (parentExtra.parentId !== null) {
      return googleError(reply, 400, 'operationNotSupported', 'The API user is not able to insert a comment in reply to the specified comment; replies go to the top-level comment.', { domain: 'youtube.comment' });
    }
    const problem = commentTextProblem(body.snippet?.textOriginal);
    if (problem) return googleError(reply, 400, problem.reason, problem.message, { domain: 'youtube.comment' });
    const comment = addComment(ctx, { author: admitted.account, videoId: parentExtra.videoId, parentId: parent.id, text: body.snippet?.textOriginal as string });
    return presentComment(ctx, comment);
  });

  app.post('/youtube/v3/commentThreads', async (request, reply) => {
    const admitted = await admit(ctx, request, reply, { publish: true, cost: 50, scopes: scopeSets.comments });
    if (!admitted) return reply;
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as {
      snippet?: { videoId?: unknown; topLevelComment?: { snippet?: { textOriginal?: unknown } } };
    };
    const video = store.findPost('youtube', str(body.snippet?.videoId) ?? '');
    if (!isVideo(video)) {
      return googleError(reply, 404, 'videoNotFound', 'The video identified by the <code><a href="/youtube/v3/docs/commentThreads/insert#snippet.videoId">snippet.videoId</a></code> property could not be found.', { domain: 'youtube.commentThread' });
    }
    const text = body.snippet?.topLevelComment?.snippet?.textOriginal;
    const problem = commentTextProblem(text);
    if (problem) return googleError(reply, 400, problem.reason, problem.message, { domain: 'youtube.commentThread' });
    const comment = addComment(ctx, { author: admitted.account, videoId: video.id, parentId: null, text: text as string });
    return presentThread(ctx, comment, partsOf('snippet'));
  });

  app.delete('/youtube/v3/comments', async (request, reply) => {
    const admitted = await admit(ctx, request, reply, { publish: false, cost: 50, scopes: scopeSets.comments });
    if (!admitted) return reply;
    const comment = store.findPost('youtube', str((request.query as Record<string, unknown>).id) ?? '');
    if (!comment || comment.deleted || !commentExtra(comment)) {
      return googleError(reply, 404, 'commentNotFound', 'The comment identified by the <code>id</code> parameter could not be found.', { domain: 'youtube.comment' });
    }
    if (comment.accountId !== admitted.account.id) return googleError(reply, 403, 'forbidden', 'The comment could not be deleted. The request might not be properly authorized.', { domain: 'youtube.comment' });
    comment.deleted = true;
    return reply.code(204).send();
  });

  return app;
}

/** Citizens comment under a video (or answer in a comment's thread) and like it, as YouTube stores both. */
export function youtubeSimulation(ctx: YoutubeContext): NetworkSimulation {
  return {
    addReply: ({ post, author, text }) => {
      const extra = commentExtra(post);
      if (extra) return addComment(ctx, { author, videoId: extra.videoId, parentId: extra.parentId ?? post.id, text });
      return addComment(ctx, { author, videoId: post.id, parentId: null, text });
    },
    addLike: ({ post }) => {
      post.likes = (post.likes ?? 0) + 1;
    },
  };
}
