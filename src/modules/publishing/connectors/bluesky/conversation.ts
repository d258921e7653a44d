/**
 * The conversation under a published Bluesky post, as the AppView shows it: counts from
 * `app.bsky.feed.getPosts`, replies from `app.bsky.feed.getPostThread` (a tree of thread views,
 * walked to its leaves; deleted and blocked replies appear as stubs without a post and are passed over).
 */
import type { AppBskyFeedDefs, AppBskyFeedPost } from '@atproto/api';
import { AtUri } from '@atproto/api';
import type { IncomingComment, PostMetrics } from '../../connector.ts';

export function metricsOf(post: AppBskyFeedDefs.PostView, fetchedAt: Date): PostMetrics {
  return {
    likes: post.likeCount ?? 0,
    reposts: post.repostCount ?? 0,
    replies: post.replyCount ?? 0,
    quotes: post.quoteCount ?? 0,
    // Bluesky counts no views.
    views: null,
    fetchedAt: fetchedAt.toISOString(),
  };
}

/** A node of getPostThread's tree; stubs (`notFoundPost`, `blockedPost`) carry no `post`. */
interface ThreadNode {
  post?: AppBskyFeedDefs.PostView;
  replies?: unknown[];
}

function isPostNode(node: unknown): node is ThreadNode & { post: AppBskyFeedDefs.PostView } {
  const post = (node as ThreadNode | null)?.post;
  return typeof post === 'object' && post !== null && typeof post.uri === 'string';
}

export function recordOf(post: AppBskyFeedDefs.PostView): Partial<AppBskyFeedPost.Record> {
  return post.record as Partial<AppBskyFeedPost.Record>;
}

/**
 * Every reply view in the tree below `root` (root itself excluded), depth first. Our own thread's
 * parts are not comments, but replies under them are, so the walk goes through them.
 */
export function repliesIn(root: unknown, into: Map<string, AppBskyFeedDefs.PostView> = new Map()): Map<string, AppBskyFeedDefs.PostView> {
  const stack: unknown[] = [...((root as ThreadNode | null)?.replies ?? [])];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isPostNode(node)) continue;
    if (!into.has(node.post.uri)) into.set(node.post.uri, node.post);
    stack.push(...(node.replies ?? []));
  }
  return into;
}

export function toComment(post: AppBskyFeedDefs.PostView, ownDid: string, postUrl: (did: string, rkey: string) => string): IncomingComment {
  const record = recordOf(post);
  return {
    externalId: post.uri,
    inReplyTo: record.reply?.parent?.uri ?? '',
    author: {
      externalId: post.author.did,
      handle: post.author.handle,
      name: post.author.displayName || null,
      avatarUrl: post.author.avatar ?? null,
    },
    text: typeof record.text === 'string' ? record.text : '',
    createdAt: typeof record.createdAt === 'string' ? record.createdAt : post.indexedAt,
    url: postUrl(post.author.did, new AtUri(post.uri).rkey),
    own: post.author.did === ownDid,
    likes: post.likeCount ?? 0,
  };
}

/**
 * `since` compares with when Bluesky received the reply (indexedAt), not the createdAt its app
 * wrote: a reply whose app clock runs behind must still count as new.
 */
export function newerThan(post: AppBskyFeedDefs.PostView, since: Date | undefined): boolean {
  if (!since) return true;
  const seen = Math.max(Date.parse(post.indexedAt) || 0, Date.parse(String(recordOf(post).createdAt)) || 0);
  return seen > since.getTime();
}
