/**
 * How X shows a post: the text as X renders it (every link wrapped as a t.co link, a trailing t.co link to the
 * attached media, `&`, `<` and `>` HTML-escaped), entities, the fields and expansions a client asks for
 * (tweet.fields, user.fields, media.fields), and users and media objects.
 */
import { randomBytes } from 'node:crypto';
import twitter from 'twitter-text';
import type { SandboxStore, StoredMedia, StoredPost } from './store.ts';
import type { SandboxAccount } from './types.ts';
import { str } from './http.ts';
import type { XContext } from './x-state.ts';

export interface UrlEntity {
  start: number;
  end: number;
  url: string;
  expanded_url: string;
  display_url: string;
  media_key?: string;
}

/** What the server worked out when the post was created; kept on StoredPost.extra. */
export interface XPostDetails {
  /** The text X returns: t.co links, media link, HTML-escaped. */
  display: string;
  urls: UrlEntity[];
  mediaKeys: string[];
  conversationId: string;
  inReplyToUserId?: string;
}

export function detailsOf(post: StoredPost): XPostDetails {
  const extra = (post.extra ?? {}) as Partial<XPostDetails>;
  return {
    display: extra.display ?? post.text,
    urls: extra.urls ?? [],
    mediaKeys: extra.mediaKeys ?? [],
    conversationId: extra.conversationId ?? post.id,
    ...(extra.inReplyToUserId ? { inReplyToUserId: extra.inReplyToUserId } : {}),
  };
}

function tco(): string {
  return `https://t.co/${randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').slice(0, 10)}`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function codePoints(text: string): number {
  return [...text].length;
}

export function mediaKeyOf(media: StoredMedia): string {
  const prefix = media.mime === 'image/gif' ? '16' : media.mime.startsWith('video/') ? '7' : '3';
  return `${prefix}_${media.id}`;
}

export function mediaTypeOf(media: StoredMedia): 'animated_gif' | 'video' | 'photo' {
  if (media.mime === 'image/gif') return 'animated_gif';
  return media.mime.startsWith('video/') ? 'video' : 'photo';
}

/** Renders the text X stores for a new post; entity offsets count code points, as X's do. */
export function renderText(raw: string, media: StoredMedia[], permalink: string): Pick<XPostDetails, 'display' | 'urls' | 'mediaKeys'> {
  let display = '';
  const urls: UrlEntity[] = [];
  let last = 0;
  for (const found of twitter.extractUrlsWithIndices(raw)) {
    const [start, end] = found.indices;
    display += escapeText(raw.slice(last, start));
    const short = tco();
    const expanded = /^https?:\/\//i.test(found.url) ? found.url : `http://${found.url}`;
    const displayUrl = expanded.replace(/^https?:\/\/(www\.)?/i, '');
    urls.push({
      start: codePoints(display),
      end: codePoints(display) + short.length,
      url: short,
      expanded_url: expanded,
      display_url: displayUrl.length > 26 ? `${displayUrl.slice(0, 25)}…` : displayUrl,
    });
    display += short;
    last = end;
  }
  display += escapeText(raw.slice(last));
  const mediaKeys = media.map(mediaKeyOf);
  const first = media[0];
  if (first) {
    // X appends one link to the attached media after the text.
    const short = tco();
    if (display !== '') display += ' ';
    urls.push({
      start: codePoints(display),
      end: codePoints(display) + short.length,
      url: short,
      expanded_url: `${permalink}/${mediaTypeOf(first) === 'video' ? 'video' : 'photo'}/1`,
      display_url: `pic.x.com/${short.slice('https://t.co/'.length)}`,
      media_key: mediaKeyOf(first),
    });
    display += short;
  }
  return { display, urls, mediaKeys };
}

export function fieldSet(query: Record<string, unknown>, name: string): Set<string> {
  return new Set((str(query[name]) ?? '').split(',').map((f) => f.trim()).filter(Boolean));
}

export function createdAtOf(account: SandboxAccount): string {
  try {
    return new Date(Number((BigInt(account.externalAccountId) >> 22n) + 1288834974657n)).toISOString();
  } catch {
    return new Date(0).toISOString();
  }
}

export function presentUser(ctx: XContext, account: SandboxAccount, fields: Set<string>): Record<string, unknown> {
  const user: Record<string, unknown> = { id: account.externalAccountId, name: account.displayName, username: account.handle };
  const posts = ctx.store.posts(account.id).filter((p) => !p.deleted);
  const optional: Record<string, () => unknown> = {
    created_at: () => createdAtOf(account),
    description: () => '',
    location: () => '',
    url: () => '',
    protected: () => false,
    verified: () => false,
    verified_type: () => 'none',
    profile_image_url: () => `${ctx.baseUrl()}/profile_images/${account.externalAccountId}/normal.png`,
    public_metrics: () => ({
      followers_count: 0,
      following_count: 0,
      tweet_count: posts.length,
      listed_count: 0,
      like_count: 0,
      media_count: posts.filter((p) => p.mediaIds.length > 0).length,
    }),
  };
  for (const [field, value] of Object.entries(optional)) if (fields.has(field)) user[field] = value();
  return user;
}

export function presentMedia(ctx: XContext, media: StoredMedia, fields: Set<string>): Record<string, unknown> {
  const type = mediaTypeOf(media);
  const out: Record<string, unknown> = { media_key: mediaKeyOf(media), type };
  const url = `${ctx.baseUrl()}/media/${media.id}`;
  if (fields.has('url') && type === 'photo') out.url = url;
  if (fields.has('preview_image_url') && type !== 'photo') out.preview_image_url = url;
  if (fields.has('alt_text') && media.alt !== '') out.alt_text = media.alt;
  return out;
}

function liveReplies(store: SandboxStore, post: StoredPost): number {
  return store.repliesTo('x', post.id).filter((p) => !p.deleted).length;
}

function entitiesOf(ctx: XContext, details: XPostDetails): Record<string, unknown> | undefined {
  const entities: Record<string, unknown> = {};
  if (details.urls.length > 0) entities.urls = details.urls;
  const toCodePoints = (text: string, index: number) => codePoints(text.slice(0, index));
  const hashtags = twitter.extractHashtagsWithIndices(details.display).map((h) => ({
    start: toCodePoints(details.display, h.indices[0]),
    end: toCodePoints(details.display, h.indices[1]),
    tag: h.hashtag,
  }));
  if (hashtags.length > 0) entities.hashtags = hashtags;
  const mentions = twitter.extractMentionsWithIndices(details.display).map((m) => {
    const user = ctx.store.findAccount('x', (a) => a.handle.toLowerCase() === m.screenName.toLowerCase());
    return {
      start: toCodePoints(details.display, m.indices[0]),
      end: toCodePoints(details.display, m.indices[1]),
      username: m.screenName,
      ...(user ? { id: user.externalAccountId } : {}),
    };
  });
  if (mentions.length > 0) entities.mentions = mentions;
  return Object.keys(entities).length > 0 ? entities : undefined;
}

export function presentTweet(ctx: XContext, post: StoredPost, fields: Set<string>): Record<string, unknown> {
  const details = detailsOf(post);
  const author = ctx.store.account(post.accountId);
  const tweet: Record<string, unknown> = { id: post.id, text: details.display, edit_history_tweet_ids: [post.id] };
  const optional: Record<string, () => unknown> = {
    created_at: () => post.createdAt,
    author_id: () => author?.externalAccountId,
    conversation_id: () => details.conversationId,
    in_reply_to_user_id: () => details.inReplyToUserId,
    referenced_tweets: () => (post.replyTo ? [{ type: 'replied_to', id: post.replyTo }] : undefined),
    attachments: () => (details.mediaKeys.length > 0 ? { media_keys: details.mediaKeys } : undefined),
    entities: () => entitiesOf(ctx, details),
    lang: () => 'in',
    possibly_sensitive: () => false,
    reply_settings: () => 'everyone',
    edit_controls: () => ({ edits_remaining: 5, is_edit_eligible: false, editable_until: new Date(Date.parse(post.createdAt) + 3_600_000).toISOString() }),
    public_metrics: () => ({
      retweet_count: post.reposts ?? 0,
      reply_count: liveReplies(ctx.store, post),
      like_count: post.likes ?? 0,
      quote_count: 0,
      bookmark_count: 0,
      impression_count: post.views ?? 0,
    }),
  };
  for (const [field, value] of Object.entries(optional)) {
    if (!fields.has(field)) continue;
    const computed = value();
    if (computed !== undefined) tweet[field] = computed;
  }
  return tweet;
}

/** The `includes` object for the expansions a client asked for. */
export function includesFor(ctx: XContext, posts: StoredPost[], query: Record<string, unknown>): Record<string, unknown> | undefined {
  const expansions = fieldSet(query, 'expansions');
  const userFields = fieldSet(query, 'user.fields');
  const mediaFields = fieldSet(query, 'media.fields');
  const tweetFields = fieldSet(query, 'tweet.fields');
  const includes: Record<string, unknown[]> = {};
  const users = new Map<string, SandboxAccount>();
  const addUser = (externalId: string | undefined) => {
    if (!externalId || users.has(externalId)) return;
    const account = ctx.store.findAccount('x', (a) => a.externalAccountId === externalId);
    if (account) users.set(externalId, account);
  };
  const referenced = new Map<string, StoredPost>();
  const media: StoredMedia[] = [];
  for (const post of posts) {
    const details = detailsOf(post);
    if (expansions.has('author_id')) addUser(ctx.store.account(post.accountId)?.externalAccountId);
    if (expansions.has('in_reply_to_user_id')) addUser(details.inReplyToUserId);
    if (expansions.has('attachments.media_keys')) {
      for (const id of post.mediaIds) {
        const item = ctx.store.media.get(id);
        if (item) media.push(item);
      }
    }
    if (expansions.has('referenced_tweets.id') && post.replyTo) {
      const parent = ctx.store.findPost('x', post.replyTo);
      if (parent && !parent.deleted) referenced.set(parent.id, parent);
    }
  }
  if (users.size > 0) includes.users = [...users.values()].map((u) => presentUser(ctx, u, userFields));
  if (media.length > 0) includes.media = media.map((m) => presentMedia(ctx, m, mediaFields));
  if (referenced.size > 0) includes.tweets = [...referenced.values()].map((p) => presentTweet(ctx, p, tweetFields));
  return Object.keys(includes).length > 0 ? includes : undefined;
}
