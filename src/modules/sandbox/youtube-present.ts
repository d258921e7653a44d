/**
 * YouTube's resource shapes (video, channel, playlistItem, comment, commentThread) built from what the sandbox
 * stores, plus the identifiers and metadata rules YouTube uses. A video is a StoredPost with `extra.kind = 'video'`;
 * a comment is a StoredPost with `extra.kind = 'comment'` whose `replyTo` is the video (top level) or its thread.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { StoredPost } from './store.ts';
import type { SandboxAccount } from './types.ts';
import { linkify } from './http.ts';
import type { YoutubeContext } from './youtube-guard.ts';

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function randomId(length: number): string {
  const bytes = randomBytes(length);
  return [...bytes].map((b) => idAlphabet[b & 63]).join('');
}

/** Video ids are 11 characters of the URL-safe alphabet. */
export function newVideoId(): string {
  return randomId(11);
}

/** Channel ids: "UC" + 22 characters; the uploads playlist is the same id with "UU". */
export function newChannelId(): string {
  return 'UC' + randomId(22);
}

export function uploadsPlaylistOf(channelId: string): string {
  return 'UU' + channelId.slice(2);
}

/** Top-level comment ids look like "Ugx…4AaABAg"; a reply is "<thread id>.<22 characters>". */
export function newCommentId(parentId?: string): string {
  return parentId ? `${parentId}.${randomId(22)}` : `Ugx${randomId(17)}4AaABAg`;
}

export function etag(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('base64url').slice(0, 27);
}

/** Categories a video may be filed under (assignable ones of the region list); 22 "People & Blogs" by default. */
export const assignableCategories = new Set(['1', '2', '10', '15', '17', '19', '20', '22', '23', '24', '25', '26', '27', '28', '29']);

export type VideoExtra = {
  kind: 'video';
  categoryId: string;
  tags: string[];
  publishAt: string | null;
  madeForKids: boolean;
  defaultLanguage: string | null;
  /** Epoch ms after which processing has finished. */
  processedAt: number;
  /** Why processing failed (YouTube's failureReason: invalidFile, emptyFile…), or null. */
  failure: string | null;
};

export type CommentExtra = {
  kind: 'comment';
  videoId: string;
  /** The thread (top-level comment) a reply belongs to. */
  parentId: string | null;
};

export function videoExtra(post: StoredPost): VideoExtra | undefined {
  const extra = post.extra as Partial<VideoExtra> | undefined;
  return extra?.kind === 'video' ? (extra as VideoExtra) : undefined;
}

export function commentExtra(post: StoredPost): CommentExtra | undefined {
  const extra = post.extra as Partial<CommentExtra> | undefined;
  return extra?.kind === 'comment' ? (extra as CommentExtra) : undefined;
}

/** A scheduled private video turns public once its publishAt has passed. */
export function effectivePrivacy(post: StoredPost, now: number): string {
  const extra = videoExtra(post);
  if (post.visibility === 'private' && extra?.publishAt && Date.parse(extra.publishAt) <= now) return 'public';
  return post.visibility;
}

/** Title: 1-100 characters, no angle brackets. Description: at most 5,000 bytes, no angle brackets. */
export function titleProblem(title: unknown): string | undefined {
  if (typeof title !== 'string' || title.trim() === '') return 'The request metadata specifies an invalid or empty video title.';
  if ([...title].length > 100 || /[<>]/.test(title)) return 'The request metadata specifies an invalid or empty video title.';
  return undefined;
}

export function descriptionProblem(description: unknown): string | undefined {
  if (description === undefined) return undefined;
  if (typeof description !== 'string' || Buffer.byteLength(description) > 5000 || /[<>]/.test(description)) {
    return 'The request metadata specifies an invalid video description.';
  }
  return undefined;
}

/** Tags: at most 500 characters in all (a tag with a space counts its quotes too). */
export function tagsProblem(tags: unknown): string | undefined {
  if (tags === undefined) return undefined;
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) return 'The request metadata specifies invalid video keywords.';
  const total = (tags as string[]).reduce((sum, tag) => sum + [...tag].length + (tag.includes(' ') ? 2 : 0), 0) + Math.max(0, tags.length - 1);
  return total > 500 ? 'The request metadata specifies invalid video keywords.' : undefined;
}

function thumbnails(ctx: YoutubeContext, videoId: string): Record<string, unknown> {
  const base = `${ctx.baseUrl()}/vi/${videoId}`;
  return {
    default: { url: `${base}/default.jpg`, width: 120, height: 90 },
    medium: { url: `${base}/mqdefault.jpg`, width: 320, height: 180 },
    high: { url: `${base}/hqdefault.jpg`, width: 480, height: 360 },
  };
}

/** Every comment under a video (threads and replies), not deleted. */
export function commentsOn(ctx: YoutubeContext, videoId: string): StoredPost[] {
  return ctx.store.allPosts('youtube').filter((p) => !p.deleted && commentExtra(p)?.videoId === videoId);
}

export function presentVideo(ctx: YoutubeContext, post: StoredPost, parts: Set<string>, owner: boolean): Record<string, unknown> {
  const extra = videoExtra(post);
  const account = ctx.store.account(post.accountId);
  const now = ctx.store.now();
  const privacy = effectivePrivacy(post, now);
  const processed = extra ? extra.processedAt <= now : true;
  const video: Record<string, unknown> = { kind: 'youtube#video', etag: etag([post.id, post.title, post.text, privacy, processed, post.likes]), id: post.id };
  if (parts.has('snippet')) {
    const snippet: Record<string, unknown> = {
      publishedAt: post.createdAt,
      channelId: account?.externalAccountId ?? '',
      title: post.title ?? '',
      description: post.text,
      thumbnails: thumbnails(ctx, post.id),
      channelTitle: account?.displayName ?? '',
      categoryId: extra?.categoryId ?? '22',
      liveBroadcastContent: 'none',
      localized: { title: post.title ?? '', description: post.text },
    };
    if (extra && extra.tags.length > 0) snippet.tags = extra.tags;
    if (extra?.defaultLanguage) snippet.defaultLanguage = extra.defaultLanguage;
    video.snippet = snippet;
  }
  if (parts.has('status')) {
    const status: Record<string, unknown> = {
      uploadStatus: extra?.failure && processed ? 'failed' : processed ? 'processed' : 'uploaded',
      privacyStatus: privacy,
      license: 'youtube',
      embeddable: true,
      publicStatsViewable: true,
      madeForKids: extra?.madeForKids ?? false,
    };
    if (extra?.failure && processed) status.failureReason = extra.failure;
    if (privacy === 'private' && extra?.publishAt) status.publishAt = extra.publishAt;
    if (owner) status.selfDeclaredMadeForKids = extra?.madeForKids ?? false;
    video.status = status;
  }
  if (parts.has('statistics')) {
    video.statistics = {
      viewCount: String(post.views ?? 0),
      likeCount: String(post.likes ?? 0),
      favoriteCount: '0',
      commentCount: String(commentsOn(ctx, post.id).length),
    };
  }
  if (parts.has('processingDetails')) {
    video.processingDetails = processed && extra?.failure
      ? { processingStatus: 'failed', processingFailureReason: 'other' }
      : processed
      ? { processingStatus: 'succeeded', fileDetailsAvailability: 'available', processingIssuesAvailability: 'available', tagSuggestionsAvailability: 'available', editorSuggestionsAvailability: 'available', thumbnailsAvailability: 'available' }
      : { processingStatus: 'processing', processingProgress: { partsTotal: '1000', partsProcessed: '0', timeLeftMs: String(Math.max(0, (extra?.processedAt ?? now) - now)) } };
  }
  if (parts.has('contentDetails')) {
    video.contentDetails = { duration: 'P0D', dimension: '2d', definition: 'hd', caption: 'false', licensedContent: false, contentRating: {}, projection: 'rectangular' };
  }
  if (parts.has('player')) {
    video.player = { embedHtml: `<iframe width="480" height="270" src="${post.url}" frameborder="0"></iframe>` };
  }
  return video;
}

export function presentChannel(ctx: YoutubeContext, account: SandboxAccount, parts: Set<string>): Record<string, unknown> {
  const videos = ctx.store.posts(account.id).filter((p) => !p.deleted && videoExtra(p));
  const channel: Record<string, unknown> = { kind: 'youtube#channel', etag: etag([account.id, account.displayName, videos.length]), id: account.externalAccountId };
  if (parts.has('snippet')) {
    channel.snippet = {
      title: account.displayName,
      description: '',
      customUrl: `@${account.handle.toLowerCase()}`,
      publishedAt: new Date(0).toISOString(),
      thumbnails: { default: { url: `${ctx.baseUrl()}/avatar/${account.externalAccountId}.jpg`, width: 88, height: 88 } },
      localized: { title: account.displayName, description: '' },
    };
  }
  if (parts.has('contentDetails')) channel.contentDetails = { relatedPlaylists: { likes: '', uploads: uploadsPlaylistOf(account.externalAccountId) } };
  if (parts.has('statistics')) {
    channel.statistics = { viewCount: String(videos.reduce((sum, v) => sum + (v.views ?? 0), 0)), subscriberCount: '0', hiddenSubscriberCount: false, videoCount: String(videos.length) };
  }
  if (parts.has('status')) channel.status = { privacyStatus: 'public', isLinked: true, longUploadsStatus: 'allowed', madeForKids: false };
  return channel;
}

export function presentPlaylistItem(ctx: YoutubeContext, post: StoredPost, position: number, parts: Set<string>): Record<string, unknown> {
  const account = ctx.store.account(post.accountId);
  const channelId = account?.externalAccountId ?? '';
  const item: Record<string, unknown> = {
    kind: 'youtube#playlistItem',
    etag: etag([post.id, position, post.title]),
    id: Buffer.from(`${uploadsPlaylistOf(channelId)}.${post.id}`).toString('base64url'),
  };
  if (parts.has('snippet')) {
    item.snippet = {
      publishedAt: post.createdAt,
      channelId,
      title: post.title ?? '',
      description: post.text,
      thumbnails: thumbnails(ctx, post.id),
      channelTitle: account?.displayName ?? '',
      playlistId: uploadsPlaylistOf(channelId),
      position,
      resourceId: { kind: 'youtube#video', videoId: post.id },
      videoOwnerChannelTitle: account?.displayName ?? '',
      videoOwnerChannelId: channelId,
    };
  }
  if (parts.has('contentDetails')) {
    const details: Record<string, unknown> = { videoId: post.id };
    if (effectivePrivacy(post, ctx.store.now()) !== 'private') details.videoPublishedAt = post.createdAt;
    item.contentDetails = details;
  }
  if (parts.has('status')) item.status = { privacyStatus: effectivePrivacy(post, ctx.store.now()) };
  return item;
}

export function presentComment(ctx: YoutubeContext, post: StoredPost): Record<string, unknown> {
  const author = ctx.store.account(post.accountId);
  const extra = commentExtra(post);
  const video = extra ? ctx.store.findPost('youtube', extra.videoId) : undefined;
  const channelId = video ? ctx.store.account(video.accountId)?.externalAccountId ?? '' : '';
  const snippet: Record<string, unknown> = {
    channelId,
    videoId: extra?.videoId ?? '',
    textDisplay: linkify(post.text),
    textOriginal: post.text,
    authorDisplayName: `@${author?.handle ?? 'unknown'}`,
    authorProfileImageUrl: `${ctx.baseUrl()}/avatar/${author?.externalAccountId ?? ''}.jpg`,
    authorChannelUrl: `${ctx.webUrl()}/youtube/${encodeURIComponent(author?.handle ?? '')}`,
    authorChannelId: { value: author?.externalAccountId ?? '' },
    canRate: true,
    viewerRating: 'none',
    likeCount: post.likes ?? 0,
    publishedAt: post.createdAt,
    updatedAt: post.editedAt ?? post.createdAt,
  };
  if (extra?.parentId) snippet.parentId = extra.parentId;
  return { kind: 'youtube#comment', etag: etag([post.id, post.text, post.likes]), id: post.id, snippet };
}

export function repliesOf(ctx: YoutubeContext, threadId: string): StoredPost[] {
  return ctx.store.repliesTo('youtube', threadId).filter((p) => !p.deleted);
}

export function presentThread(ctx: YoutubeContext, top: StoredPost, parts: Set<string>): Record<string, unknown> {
  const replies = repliesOf(ctx, top.id);
  const comment = presentComment(ctx, top);
  const snippet = comment.snippet as Record<string, unknown>;
  const thread: Record<string, unknown> = {
    kind: 'youtube#commentThread',
    etag: etag([top.id, replies.length]),
    id: top.id,
    snippet: { channelId: snippet.channelId, videoId: snippet.videoId, topLevelComment: comment, canReply: true, totalReplyCount: replies.length, isPublic: true },
  };
  if (parts.has('replies') && replies.length > 0) thread.replies = { comments: replies.map((r) => presentComment(ctx, r)) };
  return thread;
}

export function partsOf(value: unknown): Set<string> {
  return new Set((typeof value === 'string' ? value : '').split(',').map((p) => p.trim()).filter(Boolean));
}

/** Page tokens are opaque to clients; here they carry the offset. */
export function pageToken(offset: number): string {
  return 'CA' + Buffer.from(`o${offset}`).toString('base64url');
}

export function offsetOf(token: string | undefined): number | null {
  if (token === undefined || token === '') return 0;
  const match = /^o(\d+)$/.exec(Buffer.from(token.slice(2), 'base64url').toString());
  return token.startsWith('CA') && match ? Number(match[1]) : null;
}
