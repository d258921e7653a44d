/**
 * Comments on a channel's videos: the first comment under a new video, the replies people leave
 * (read for the inbox), and the channel's answers to them.
 *
 * YouTube threads one level deep: a top-level comment (its id is also its thread's id) and replies
 * whose `parentId` is that top-level comment. An answer to a reply is therefore posted under the
 * top-level comment; a reply's id is `<top-level id>.<suffix>`.
 */
import type { IncomingComment, PublishedPart } from '../../connector.ts';
import { api, commentUrl, sameText } from './api.ts';
import type { CommentResource, CommentThreadResource, ListAnswer, YouTubeClient } from './api.ts';

const MAX_PAGES = 5;

/** A YouTube video id (11 characters); anything else answered is a comment id. */
export function isVideoId(id: string): boolean {
  return /^[A-Za-z0-9_-]{11}$/.test(id);
}

/** Our own top-level comment with this text under the video, if it is there. */
export async function findOwnComment(client: YouTubeClient, videoId: string, text: string, channelId: string | null, signal: AbortSignal): Promise<PublishedPart | null> {
  const answer = await api<ListAnswer<CommentThreadResource>>(client, 'GET', '/youtube/v3/commentThreads', {
    query: { part: 'snippet', videoId, maxResults: 100, order: 'time', textFormat: 'plainText' },
    signal,
  });
  for (const thread of answer.items ?? []) {
    const top = thread.snippet?.topLevelComment;
    const snippet = top?.snippet;
    if (!top || !snippet) continue;
    if (channelId && snippet.authorChannelId?.value && snippet.authorChannelId.value !== channelId) continue;
    if (sameText(snippet.textOriginal ?? snippet.textDisplay ?? '', text)) return { externalId: top.id || thread.id, url: commentUrl(videoId, top.id || thread.id) };
  }
  return null;
}

export async function postTopLevelComment(client: YouTubeClient, videoId: string, text: string, signal: AbortSignal): Promise<PublishedPart> {
  const thread = await api<CommentThreadResource>(client, 'POST', '/youtube/v3/commentThreads', {
    query: { part: 'snippet' },
    json: { snippet: { videoId, topLevelComment: { snippet: { textOriginal: text } } } },
    signal,
  });
  const id = thread.snippet?.topLevelComment?.id ?? thread.id;
  return { externalId: id, url: commentUrl(videoId, id) };
}

export async function postReply(client: YouTubeClient, parentId: string, text: string, videoId: string | null, signal: AbortSignal): Promise<PublishedPart> {
  // Replies hang under the top-level comment, whatever they answer.
  const topLevel = parentId.split('.')[0]!;
  const comment = await api<CommentResource>(client, 'POST', '/youtube/v3/comments', {
    query: { part: 'snippet' },
    json: { snippet: { parentId: topLevel, textOriginal: text } },
    signal,
  });
  const video = comment.snippet?.videoId ?? videoId;
  return { externalId: comment.id, url: video ? commentUrl(video, comment.id) : null };
}

/** Every comment and reply under a video, oldest first, newer than `since` when given. */
export async function listComments(client: YouTubeClient, videoId: string, channelId: string | null, since: Date | undefined, signal: AbortSignal): Promise<IncomingComment[]> {
  const after = since?.getTime() ?? Number.NEGATIVE_INFINITY;
  const found: IncomingComment[] = [];
  const take = (comment: CommentResource, inReplyTo: string): void => {
    const s = comment.snippet ?? {};
    const createdAt = s.publishedAt ?? new Date(0).toISOString();
    if (Date.parse(createdAt) <= after) return;
    const authorId = s.authorChannelId?.value ?? '';
    const handle = s.authorChannelUrl ? decodeURIComponent(s.authorChannelUrl.replace(/^.*\/(@?[^/]+)$/, '$1')) : s.authorDisplayName ?? authorId;
    found.push({
      externalId: comment.id,
      inReplyTo,
      author: { externalId: authorId, handle, name: s.authorDisplayName ?? null, avatarUrl: s.authorProfileImageUrl ?? null },
      text: s.textOriginal ?? s.textDisplay ?? '',
      createdAt,
      url: commentUrl(videoId, comment.id),
      own: channelId !== null && authorId === channelId,
      likes: typeof s.likeCount === 'number' ? s.likeCount : null,
    });
  };

  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api<ListAnswer<CommentThreadResource>>(client, 'GET', '/youtube/v3/commentThreads', {
      query: { part: 'snippet,replies', videoId, maxResults: 100, order: 'time', textFormat: 'plainText', pageToken },
      signal,
    });
    // Every page is read: a new reply may sit under an old thread, so time gives no early stop.
    for (const thread of answer.items ?? []) {
      const top = thread.snippet?.topLevelComment;
      if (!top) continue;
      take(top, videoId);
      const replies = thread.replies?.comments ?? [];
      const total = thread.snippet?.totalReplyCount ?? replies.length;
      // commentThreads carries at most five replies; the rest come from comments.list.
      const all = total > replies.length ? await allReplies(client, top.id, signal) : replies;
      for (const reply of all) take(reply, reply.snippet?.parentId ?? top.id);
    }
    pageToken = answer.nextPageToken;
    if (!pageToken) break;
  }
  const unique = new Map(found.map((c) => [c.externalId, c]));
  return [...unique.values()].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
}

async function allReplies(client: YouTubeClient, parentId: string, signal: AbortSignal): Promise<CommentResource[]> {
  const replies: CommentResource[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api<ListAnswer<CommentResource>>(client, 'GET', '/youtube/v3/comments', {
      query: { part: 'snippet', parentId, maxResults: 100, textFormat: 'plainText', pageToken },
      signal,
    });
    replies.push(...(answer.items ?? []));
    pageToken = answer.nextPageToken;
    if (!pageToken) break;
  }
  return replies;
}
