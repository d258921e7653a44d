/**
 * Recognising our own thread on a Threads profile: the first part is a post made since the first
 * attempt with exactly the text we sent (`GET /{user-id}/threads`); each next part is our own reply
 * with the next text under the part before it (`GET /{media-id}/replies`). Answers the prefix
 * found, in order (empty when the first part is not there), so `publish` continues from it and
 * `findPublished` only counts a whole thread.
 */
import type { PublishedPart } from '../../connector.ts';
import { CLOCK_SKEW_MS, graphTime, sameText } from '../graph/client.ts';
import type { GraphList } from '../graph/client.ts';

export interface ThreadsPost {
  id: string;
  text?: string;
  timestamp?: string;
  permalink?: string;
  username?: string;
  media_type?: string;
}

export interface FindThreadOptions {
  texts: readonly string[];
  /** First attempt: posts older than this (minus clock skew) are not ours. */
  since: Date;
  /** Media the first part carries (an empty first text then has to match the kind of post). */
  firstKind: 'TEXT_POST' | 'IMAGE' | 'CAROUSEL_ALBUM';
  /** One page of the profile's posts: the first, or the one `next` points to. */
  listPosts: (next: string | undefined) => Promise<GraphList<ThreadsPost>>;
  listReplies: (mediaId: string) => Promise<ThreadsPost[]>;
  ownUsername: () => Promise<string | undefined>;
}

const MAX_PAGES = 3;

export async function findThread(options: FindThreadOptions): Promise<PublishedPart[]> {
  const { texts } = options;
  if (texts.length === 0) return [];
  const from = options.since.getTime() - CLOCK_SKEW_MS;
  const candidates: ThreadsPost[] = [];
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const list = await options.listPosts(next);
    const items = list.data ?? [];
    const recent = items.filter((p) => !(graphTime(p.timestamp) < from));
    candidates.push(...recent);
    next = list.paging?.next;
    if (recent.length < items.length || items.length === 0 || !next) break;
  }
  // Oldest first, so that a double made outside Siar resolves to the first one.
  candidates.sort((a, b) => graphTime(a.timestamp) - graphTime(b.timestamp));
  const first = texts[0]!;
  const head = candidates.find((p) => sameText(p.text, first) && (first.trim() !== '' || !p.media_type || p.media_type === options.firstKind));
  if (!head) return [];

  const found: PublishedPart[] = [{ externalId: head.id, url: head.permalink ?? null }];
  let username: string | undefined;
  for (let index = 1; index < texts.length; index++) {
    username ??= await options.ownUsername();
    const parent = found[index - 1]!.externalId;
    const replies = (await options.listReplies(parent)).sort((a, b) => graphTime(a.timestamp) - graphTime(b.timestamp));
    const hit = replies.find((r) => sameText(r.text, texts[index]) && (username === undefined || r.username === undefined || r.username === username));
    if (!hit) break;
    found.push({ externalId: hit.id, url: hit.permalink ?? null });
  }
  return found;
}
