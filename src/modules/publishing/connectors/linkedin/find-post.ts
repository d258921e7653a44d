/**
 * Recognising our own post on a LinkedIn member or Page after an uncertain outcome: among the
 * author's posts created since the first attempt, the one whose commentary is the text we sent;
 * then, for the parts that follow it (LinkedIn has no threads, so they go out as the author's own
 * comments under the post, the first comment last), the author's comments in order.
 */
import { sameCommentary, sameText } from './little-text.ts';

/** Servers' and our clocks differ a little; a post stamped this much before firstAttemptAt still counts. */
export const CLOCK_SKEW_MS = 2 * 60_000;

export interface LinkedInPost {
  id: string;
  author?: string;
  commentary?: string;
  /** Epoch milliseconds. */
  createdAt?: number;
  publishedAt?: number;
  lifecycleState?: string;
}

export interface LinkedInComment {
  id?: string;
  $URN?: string;
  commentUrn?: string;
  actor?: string;
  object?: string;
  parentComment?: string;
  message?: { text?: string };
  created?: { time?: number };
  likesSummary?: { totalLikes?: number };
  commentsSummary?: { aggregatedTotalComments?: number; totalFirstLevelComments?: number };
}

export function createdAtOf(post: LinkedInPost): number | undefined {
  return post.createdAt ?? post.publishedAt;
}

/** Our post among the author's recent ones: made since the first attempt, same text, oldest first. */
export function matchPost(posts: readonly LinkedInPost[], text: string, since: Date, author: string): LinkedInPost | undefined {
  const from = since.getTime() - CLOCK_SKEW_MS;
  return posts
    .filter((p) => (!p.author || p.author === author) && p.lifecycleState !== 'DELETED')
    .filter((p) => { const at = createdAtOf(p); return at === undefined || at >= from; })
    .sort((a, b) => (createdAtOf(a) ?? 0) - (createdAtOf(b) ?? 0))
    .find((p) => sameCommentary(p.commentary, text));
}

/** A comment's URN as LinkedIn names it, whichever field carries it. */
export function commentUrnOf(comment: LinkedInComment, postUrn: string): string {
  return comment.$URN ?? comment.commentUrn ?? (comment.id?.startsWith('urn:') ? comment.id : `urn:li:comment:(${postUrn},${comment.id ?? ''})`);
}

/** The prefix of `texts` the author already left as top-level comments under the post, in order. */
export function matchComments(comments: readonly LinkedInComment[], texts: readonly string[], actor: string): LinkedInComment[] {
  const own = comments
    .filter((c) => c.actor === actor && !c.parentComment)
    .sort((a, b) => (a.created?.time ?? 0) - (b.created?.time ?? 0));
  const found: LinkedInComment[] = [];
  for (const [index, text] of texts.entries()) {
    const comment = own[index];
    if (!comment || !sameText(comment.message?.text ?? '', text)) break;
    found.push(comment);
  }
  return found;
}
