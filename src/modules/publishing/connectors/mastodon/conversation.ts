/**
 * The conversation under a published Mastodon status: its counts, the replies people wrote
 * (`GET /api/v1/statuses/:id/context`, the descendants of each part of our thread), and what a
 * reply of ours must say so that the person answered is notified.
 */
import type { mastodon } from 'masto';
import type { IncomingComment, PostMetrics, PublishedPart } from '../../connector.ts';
import { htmlToText } from './find-thread.ts';

export function metricsOf(status: mastodon.v1.Status, fetchedAt: Date): PostMetrics {
  return {
    likes: status.favouritesCount,
    reposts: status.reblogsCount,
    replies: status.repliesCount,
    // Quote posts came with Mastodon 4.5; older servers do not send the count at all.
    quotes: typeof status.quotesCount === 'number' ? status.quotesCount : null,
    // Mastodon counts no views.
    views: null,
    fetchedAt: fetchedAt.toISOString(),
  };
}

/** `@user@host` for every author: local accounts come as a bare `user` in `acct`. */
export function handleOf(account: mastodon.v1.Account, host: string): string {
  return account.acct.includes('@') ? `@${account.acct}` : `@${account.acct}@${host}`;
}

export function toComment(status: mastodon.v1.Status, ownAccountId: string, host: string): IncomingComment {
  return {
    externalId: status.id,
    inReplyTo: status.inReplyToId ?? '',
    author: {
      externalId: status.account.id,
      handle: handleOf(status.account, host),
      name: status.account.displayName || status.account.username || null,
      avatarUrl: status.account.avatar || null,
    },
    // A content warning is part of what the person wrote; it goes first, as Mastodon shows it.
    text: status.spoilerText ? `${status.spoilerText}\n\n${htmlToText(status.content)}` : htmlToText(status.content),
    createdAt: status.createdAt,
    url: status.url ?? status.uri ?? null,
    own: status.account.id === ownAccountId,
    likes: status.favouritesCount,
  };
}

export interface ReadCommentsOptions {
  api: mastodon.rest.Client;
  /** Every part of our thread: replies may be under any of them, and none of them is a comment. */
  parts: readonly PublishedPart[];
  ownAccountId: string;
  host: string;
  since?: Date | undefined;
}

/** The replies under the thread, oldest first, each once (a reply under part 2 is also a descendant of part 1). */
export async function readComments(options: ReadCommentsOptions): Promise<IncomingComment[]> {
  const ours = new Set(options.parts.map((p) => p.externalId));
  const seen = new Map<string, mastodon.v1.Status>();
  for (const part of options.parts) {
    const context = await options.api.v1.statuses.$select(part.externalId).context.fetch();
    for (const status of context.descendants) {
      if (ours.has(status.id) || seen.has(status.id)) continue;
      // A private mention is a direct message, not a public comment: answering it publicly would expose it.
      if (status.visibility === 'direct') continue;
      seen.set(status.id, status);
    }
  }
  const since = options.since?.getTime();
  return [...seen.values()]
    .filter((s) => since === undefined || Date.parse(s.createdAt) > since)
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || compareIds(a.id, b.id))
    .map((s) => toComment(s, options.ownAccountId, options.host));
}

/** Mastodon ids are numeric strings (snowflakes) that sort by length, then lexically. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Mastodon notifies only the accounts a status mentions; its apps put the @handle of the person
 * answered in front of a reply. Ours does the same, unless the text already mentions them or the
 * status answered is our own.
 */
export function replyText(text: string, answered: mastodon.v1.Account, ownAccountId: string): string {
  if (answered.id === ownAccountId) return text;
  const mention = `@${answered.acct}`;
  // The handle as a whole word: not "@budiman" for @budi, nor "@budi@other.server".
  const mentioned = new RegExp(`(^|[^\\w@])${escapeRegExp(mention)}(?![\\w@-]|\\.\\w)`, 'i').test(text);
  return mentioned ? text : `${mention} ${text}`;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
