/**
 * Facebook Page connector (Graph API v23.0 over plain fetch, with a Page token). Owns: a feed post
 * with its text and photos (uploaded unpublished, then attached to one post), the first comment as
 * a comment under it, edits, deleting, counts, comments and replies, and finding its own post
 * after an uncertain outcome.
 *
 * Exactly once: Facebook has no idempotency key. Unpublished photos are invisible, so losing their
 * upload answer is harmless (a retry uploads again); the feed post is the one write whose loss is
 * "uncertain". Before every write `publish` reads the Page's recent posts (made since the first
 * attempt, exact text) and its own comments under the post, and only writes what is missing; the
 * same read is `findPublished`.
 *
 * Facebook does not thread: several parts are joined into one post, blank line between. A post's
 * `title` has no place on a Page post and is ignored. Video is not sent yet.
 */
import { ConnectorError } from '../../connector.ts';
import type { AccountCapabilities, Connector, ConnectorChannel, IncomingComment, PublishRequest, PublishResult, PublishedPart } from '../../connector.ts';
import { assertNotCancelled } from '../failure.ts';
import type { Exchange } from '../failure.ts';
import { CLOCK_SKEW_MS, createGraphClient, graphTime, joinUrl, sameText } from '../graph/client.ts';
import type { GraphList } from '../graph/client.ts';
import { isNotFound } from '../graph/errors.ts';
import { halfway } from '../graph/partial.ts';
import { accessTokenOf } from '../graph/tokens.ts';
import { FACEBOOK, facebookFailure } from './errors.ts';
import { FACEBOOK_API, FACEBOOK_VERSION, facebookOAuth } from './oauth.ts';

const NAME = 'Facebook';
const MAX_PAGES = 3;

export interface FacebookConnectorOptions {
  /** Deadline for one HTTP request; a write past it is "uncertain". */
  requestTimeoutMs?: number;
  /** Wait after a throttled answer that names no time. */
  throttleFallbackMs?: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

interface FeedPost { id: string; message?: string; created_time?: string; permalink_url?: string }
interface PageComment { id: string; message?: string; created_time?: string; like_count?: number; from?: { id?: string; name?: string }; parent?: { id?: string }; permalink_url?: string }

interface Found { post: PublishedPart | null; comment: PublishedPart | null }

export function createFacebookConnector(options: FacebookConnectorOptions = {}): Connector & { readonly verifiable: true } {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const now = options.now ?? Date.now;
  const graph = createGraphClient({ requestTimeoutMs, fetch: options.fetch });
  const network = options.throttleFallbackMs === undefined ? FACEBOOK : { ...FACEBOOK, throttleFallbackMs: options.throttleFallbackMs };

  /** Runs one request and maps whatever it throws; `write` marks the one call whose loss could duplicate a post. */
  const call = async <T>(exchange: Exchange, signal: AbortSignal, run: () => Promise<T>): Promise<T> => {
    assertNotCancelled(signal);
    try {
      return await run();
    } catch (error) {
      throw facebookFailure(error, exchange, signal, network);
    }
  };
  const api = (channel: ConnectorChannel, path: string): string => joinUrl(channel.baseUrl, `/${FACEBOOK_VERSION}${path}`);

  const pageIdOf = async (channel: ConnectorChannel, token: string, signal: AbortSignal): Promise<string> => {
    if (channel.externalAccountId) return channel.externalAccountId;
    const me = await call('read', signal, () => graph.call<{ id: string }>(api(channel, '/me'), { query: { fields: 'id' }, token, signal }));
    return me.id;
  };

  /** The post's public address; a failure here never fails a publish that already happened. */
  const permalink = async (channel: ConnectorChannel, token: string, id: string, signal: AbortSignal): Promise<string> => {
    try {
      const post = await call('read', signal, () => graph.call<FeedPost>(api(channel, `/${id}`), { query: { fields: 'permalink_url' }, token, signal }));
      if (post.permalink_url) return post.permalink_url;
    } catch {
      // Fall through to the address Facebook answers for any post id.
    }
    return `https://www.facebook.com/${id}`;
  };

  /** The Page's posts made since the first attempt (minus clock skew), oldest first. */
  const recentPosts = async (channel: ConnectorChannel, token: string, pageId: string, since: Date, signal: AbortSignal): Promise<FeedPost[]> => {
    const from = since.getTime() - CLOCK_SKEW_MS;
    const found: FeedPost[] = [];
    let url: string | undefined = api(channel, `/${pageId}/published_posts`);
    let query: Record<string, string | number> | undefined = { fields: 'id,message,created_time,permalink_url', limit: 50, since: Math.floor(from / 1000) };
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const target: string = url;
      const list: GraphList<FeedPost> = await call('read', signal, () => graph.call<GraphList<FeedPost>>(target, { query, token, signal }));
      const items = list.data ?? [];
      const recent = items.filter((p) => !(graphTime(p.created_time) < from));
      found.push(...recent);
      // `paging.next` carries every parameter already; a page reaching back before `since` ends the walk.
      if (recent.length < items.length || items.length === 0) break;
      url = list.paging?.next;
      query = undefined;
    }
    return found.sort((a, b) => graphTime(a.created_time) - graphTime(b.created_time));
  };

  const commentsOf = async (channel: ConnectorChannel, token: string, objectId: string, signal: AbortSignal): Promise<PageComment[]> => {
    const list = await call('read', signal, () => graph.call<GraphList<PageComment>>(api(channel, `/${objectId}/comments`), {
      query: { fields: 'id,message,from,created_time,like_count,parent', filter: 'stream', order: 'chronological', limit: 100 },
      token,
      signal,
    }));
    return list.data ?? [];
  };

  /** Our post (exact text, since the first attempt) and our first comment under it, if there. */
  const find = async (request: PublishRequest, token: string, pageId: string, message: string, comment: string | null): Promise<Found> => {
    const { channel, signal } = request;
    const post = (await recentPosts(channel, token, pageId, request.firstAttemptAt, signal)).find((p) => sameText(p.message, message));
    if (!post) return { post: null, comment: null };
    const published = { externalId: post.id, url: post.permalink_url ?? await permalink(channel, token, post.id, signal) };
    if (!comment) return { post: published, comment: null };
    const own = (await commentsOf(channel, token, post.id, signal)).find((c) => c.from?.id === pageId && !c.parent?.id && sameText(c.message, comment));
    return { post: published, comment: own ? { externalId: own.id, url: null } : null };
  };

  const outgoing = (request: PublishRequest): { message: string; comment: string | null } => {
    const message = request.parts.filter((p) => p.trim() !== '').join('\n\n');
    const comment = request.firstComment && request.firstComment.trim() !== '' ? request.firstComment : null;
    return { message, comment };
  };

  const toResult = (post: PublishedPart, comment: PublishedPart | null): PublishResult => ({
    externalId: post.externalId,
    url: post.url,
    parts: comment ? [post, comment] : [post],
  });

  const connector: Connector & { readonly verifiable: true } = {
    network: 'facebook',
    defaultBaseUrl: FACEBOOK_API,
    idempotent: false,
    verifiable: true,

    async publish(request) {
      const { channel, signal } = request;
      const { message, comment } = outgoing(request);
      if (message === '' && request.media.length === 0) {
        throw new ConnectorError('permanent', 'text_empty', { id: 'Tidak ada teks atau foto untuk dikirim ke Facebook.', en: 'There is no text or photo to send to Facebook.' });
      }
      if (request.media.some((m) => !m.mime.startsWith('image/') || m.mime === 'image/gif')) {
        throw new ConnectorError('permanent', 'media_unsupported', {
          id: 'Facebook dari Siar saat ini hanya menerima foto (JPEG atau PNG); video belum didukung.',
          en: 'Facebook from Siar currently takes photos only (JPEG or PNG); video is not supported yet.',
        });
      }
      const token = accessTokenOf(request.credentials, NAME);
      const pageId = await pageIdOf(channel, token, signal);
      const found = await find(request, token, pageId, message, comment);

      let post = found.post;
      if (!post) {
        // Unpublished photos stay invisible until a post attaches them: their loss is never a duplicate.
        const photoIds: string[] = [];
        for (const [index, item] of request.media.entries()) {
          const form = new FormData();
          const ext = item.mime === 'image/png' ? 'png' : 'jpg';
          form.set('source', new Blob([new Uint8Array(await item.read())], { type: item.mime }), `foto-${index + 1}.${ext}`);
          form.set('published', 'false');
          if (item.alt) form.set('alt_text_custom', item.alt);
          const photo = await call('read', signal, () => graph.call<{ id: string }>(api(channel, `/${pageId}/photos`), { method: 'POST', multipart: form, token, signal }));
          photoIds.push(photo.id);
        }
        const form: Record<string, string> = { message };
        for (const [index, id] of photoIds.entries()) form[`attached_media[${index}]`] = JSON.stringify({ media_fbid: id });
        const created = await call('write', signal, () => graph.call<{ id: string }>(api(channel, `/${pageId}/feed`), { method: 'POST', form, token, signal }));
        post = { externalId: created.id, url: await permalink(channel, token, created.id, signal) };
      }

      let commentPart = found.comment;
      if (comment && !commentPart) {
        try {
          const created = await call('write', signal, () => graph.call<{ id: string }>(api(channel, `/${post!.externalId}/comments`), { method: 'POST', form: { message: comment }, token, signal }));
          commentPart = { externalId: created.id, url: null };
        } catch (error) {
          throw halfway(NAME, [post], 2, error, 'first_comment');
        }
      }
      return toResult(post, commentPart);
    },

    async findPublished(request) {
      const { message, comment } = outgoing(request);
      const token = accessTokenOf(request.credentials, NAME);
      const pageId = await pageIdOf(request.channel, token, request.signal);
      const found = await find(request, token, pageId, message, comment);
      // A post without its first comment is completed by publishing again, which finds the post.
      if (!found.post || (comment && !found.comment)) return null;
      return toResult(found.post, found.comment);
    },

    async remove(request) {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      // The comment first, then the post; a repeated delete of something gone is not an error.
      for (const part of [...request.parts].reverse()) {
        try {
          await call('read', signal, () => graph.call<{ success?: boolean }>(api(channel, `/${part.externalId}`), { method: 'DELETE', token, signal }));
        } catch (error) {
          if (isNotFound(error)) continue;
          throw error;
        }
      }
    },

    async edit(request) {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      // texts[0] is the post, texts[1] the first comment (when it was published as parts[1]).
      // Editing twice to the same text changes nothing, so a lost answer is simply repeated.
      for (const [index, part] of request.parts.slice(0, 2).entries()) {
        const text = request.texts[index];
        if (text === undefined) continue;
        await call('read', signal, () => graph.call<{ success?: boolean }>(api(channel, `/${part.externalId}`), { method: 'POST', form: { message: text }, token, signal }));
      }
    },

    async capabilities(): Promise<AccountCapabilities> {
      // The Pages API reports no posting quota; these are Facebook's documented limits.
      return {
        maxCharacters: 63_206,
        maxMedia: null,
        mediaKinds: ['image'],
        postsRemaining: null,
        postsWindowHours: null,
        canEdit: true,
        canDelete: true,
        canReadComments: true,
        canReply: true,
        canReadMetrics: true,
      };
    },

    async fetchMetrics(request) {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      const post = await call('read', signal, () => graph.call<{
        reactions?: { summary?: { total_count?: number } };
        comments?: { summary?: { total_count?: number } };
        shares?: { count?: number };
      }>(api(channel, `/${request.post.externalId}`), {
        query: { fields: 'reactions.summary(total_count),comments.summary(total_count),shares' },
        token,
        signal,
      }));
      return {
        likes: post.reactions?.summary?.total_count ?? null,
        // Facebook omits `shares` on a post nobody shared yet.
        reposts: post.shares?.count ?? 0,
        replies: post.comments?.summary?.total_count ?? null,
        quotes: null,
        // Page post views come from Page Insights (pages with 100+ likes, daily): not read here.
        views: null,
        fetchedAt: new Date(now()).toISOString(),
      };
    },

    async fetchComments(request) {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      const pageId = await pageIdOf(channel, token, signal);
      const postId = request.post.externalId;
      // `filter=stream` lists replies to comments too, each with its parent.
      const comments = await commentsOf(channel, token, postId, signal);
      const since = request.since?.getTime();
      const result: IncomingComment[] = comments
        .filter((c) => since === undefined || graphTime(c.created_time) > since)
        .map((c) => ({
          externalId: c.id,
          inReplyTo: c.parent?.id ?? postId,
          author: { externalId: c.from?.id ?? '', handle: c.from?.name ?? '', name: c.from?.name ?? null, avatarUrl: null },
          text: c.message ?? '',
          createdAt: new Date(graphTime(c.created_time) || now()).toISOString(),
          url: c.permalink_url ?? null,
          own: c.from?.id === pageId,
          likes: c.like_count ?? null,
        }));
      return result.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    },

    async reply(request) {
      const { channel, signal, inReplyTo, text } = request;
      const token = accessTokenOf(request.credentials, NAME);
      const pageId = await pageIdOf(channel, token, signal);
      // A retried reply whose first answer was lost is already there: no second one.
      const existing = (await commentsOf(channel, token, inReplyTo, signal)).find((c) => c.from?.id === pageId && sameText(c.message, text));
      if (existing) return { externalId: existing.id, url: existing.permalink_url ?? null };
      const created = await call('write', signal, () => graph.call<{ id: string }>(api(channel, `/${inReplyTo}/comments`), { method: 'POST', form: { message: text }, token, signal }));
      return { externalId: created.id, url: null };
    },

    oauth: facebookOAuth({ graph, now, call: (signal, run) => call('read', signal, run) }),

    async verify(request) {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      // With a Page token, `me` is the Page.
      const me = await call('read', signal, () => graph.call<{ id: string; name?: string; username?: string; picture?: { data?: { url?: string } } }>(api(channel, '/me'), {
        query: { fields: 'id,name,username,picture' },
        token,
        signal,
      }));
      return {
        externalAccountId: me.id,
        handle: me.username ?? me.name ?? me.id,
        name: me.name ?? me.username ?? me.id,
        avatarUrl: me.picture?.data?.url ?? null,
      };
    },
  };
  return connector;
}

export const facebookConnector = createFacebookConnector();
