/**
 * Threads connector (Threads API v1.0 on graph.threads.net, plain fetch). Owns: a text post, one
 * image or a carousel (pulled by Threads from their public URLs, with alt text), a thread as a
 * chain of replies (`reply_to_id` = the part before), the first comment as the last reply, deleting,
 * counts, replies and answering them, the token's 60-day refresh, and finding its own thread after
 * an uncertain outcome.
 *
 * Every part is a container (`POST /{user-id}/threads`), waited on until its `status` is FINISHED,
 * then published (`POST /{user-id}/threads_publish`). Only the publish step is a write whose loss
 * is "uncertain": an unpublished container is invisible. Before publishing, the profile's quota
 * (`threads_publishing_limit`: 250 posts and 1,000 replies a day) is read so that a thread never
 * starts when it cannot finish, and the thread's parts already on the profile (exact text, made
 * since the first attempt, chained as our replies) are looked up: publishing continues after them,
 * and `findPublished` counts only a whole thread.
 *
 * Threads has no edits through the API. A post's `title` has no place here and is ignored.
 */
import { ConnectorError } from '../../connector.ts';
import type { AccountCapabilities, Connector, ConnectorChannel, Credentials, IncomingComment, OutgoingMedia, PublishRequest, PublishResult, PublishedPart } from '../../connector.ts';
import { assertNotCancelled } from '../failure.ts';
import type { Exchange } from '../failure.ts';
import { CLOCK_SKEW_MS, createGraphClient, graphTime, joinUrl, sameText } from '../graph/client.ts';
import type { GraphList, GraphParams } from '../graph/client.ts';
import { waitForContainer } from '../graph/container.ts';
import { isNotFound } from '../graph/errors.ts';
import { metricValues } from '../graph/insights.ts';
import type { InsightsAnswer } from '../graph/insights.ts';
import { halfway } from '../graph/partial.ts';
import { quotaExhausted, readQuota } from '../graph/quota.ts';
import type { QuotaAnswer } from '../graph/quota.ts';
import { REFRESH_WITHIN_MS, accessTokenOf, shouldRefresh } from '../graph/tokens.ts';
import { outgoingTexts } from '../parts.ts';
import { THREADS, threadsFailure } from './errors.ts';
import { findThread } from './find-thread.ts';
import type { ThreadsPost } from './find-thread.ts';
import { THREADS_API, THREADS_VERSION, refreshThreadsToken, threadsOAuth } from './oauth.ts';

const NAME = 'Threads';
const MAX_CAROUSEL = 20;
const POST_FIELDS = 'id,text,timestamp,permalink,media_type';
const REPLY_FIELDS = 'id,text,username,timestamp,permalink';

export interface ThreadsConnectorOptions {
  requestTimeoutMs?: number;
  /** How often to read a container's status while Threads fetches and processes it. */
  containerPollMs?: number;
  /** How long to wait for a container before trying again later with a new one. */
  containerTimeoutMs?: number;
  /** Refresh the token on the way when less than this is left of its 60 days. */
  refreshWithinMs?: number;
  throttleFallbackMs?: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

interface Me { id: string; username?: string; name?: string; threads_profile_picture_url?: string }
interface Profile { id: string; username: () => Promise<string | undefined> }

export function createThreadsConnector(options: ThreadsConnectorOptions = {}): Connector & { readonly verifiable: true } {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const pollMs = options.containerPollMs ?? 1_000;
  const containerTimeoutMs = options.containerTimeoutMs ?? 60_000;
  const refreshWithinMs = options.refreshWithinMs ?? REFRESH_WITHIN_MS;
  const now = options.now ?? Date.now;
  const graph = createGraphClient({ requestTimeoutMs, fetch: options.fetch });
  const network = options.throttleFallbackMs === undefined ? THREADS : { ...THREADS, throttleFallbackMs: options.throttleFallbackMs };

  const call = async <T>(exchange: Exchange, signal: AbortSignal, run: () => Promise<T>): Promise<T> => {
    assertNotCancelled(signal);
    try {
      return await run();
    } catch (error) {
      throw threadsFailure(error, exchange, signal, network);
    }
  };
  const read = <T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> => call('read', signal, run);
  const api = (channel: ConnectorChannel, path: string): string => joinUrl(channel.baseUrl, `/${THREADS_VERSION}${path}`);

  const me = (channel: ConnectorChannel, token: string, signal: AbortSignal): Promise<Me> =>
    read(signal, () => graph.call<Me>(api(channel, '/me'), { query: { fields: 'id,username,name,threads_profile_picture_url' }, token, signal }));

  const profileOf = async (channel: ConnectorChannel, token: string, signal: AbortSignal): Promise<Profile> => {
    let loaded: Promise<Me> | undefined;
    const load = () => (loaded ??= me(channel, token, signal));
    const id = channel.externalAccountId ?? (await load()).id;
    return { id, username: async () => (await load()).username };
  };

  const permalink = async (channel: ConnectorChannel, token: string, id: string, signal: AbortSignal): Promise<string | null> => {
    try {
      const post = await read(signal, () => graph.call<ThreadsPost>(api(channel, `/${id}`), { query: { fields: 'permalink' }, token, signal }));
      return post.permalink ?? null;
    } catch {
      return null;
    }
  };

  const repliesOf = async (channel: ConnectorChannel, token: string, mediaId: string, signal: AbortSignal): Promise<ThreadsPost[]> =>
    (await read(signal, () => graph.call<GraphList<ThreadsPost>>(api(channel, `/${mediaId}/replies`), { query: { fields: REPLY_FIELDS, reverse: 'false' }, token, signal }))).data ?? [];

  const listPosts = (channel: ConnectorChannel, token: string, profile: Profile, since: number, signal: AbortSignal) => (next: string | undefined) =>
    read(signal, () => graph.call<GraphList<ThreadsPost>>(next ?? api(channel, `/${profile.id}/threads`), {
      query: next ? undefined : { fields: POST_FIELDS, limit: 50, since: Math.floor((since - CLOCK_SKEW_MS) / 1000) },
      token,
      signal,
    }));

  const firstKind = (media: OutgoingMedia[]) => (media.length > 1 ? 'CAROUSEL_ALBUM' : media.length === 1 ? 'IMAGE' : 'TEXT_POST') as 'TEXT_POST' | 'IMAGE' | 'CAROUSEL_ALBUM';

  const find = (request: PublishRequest, token: string, profile: Profile, texts: string[]) => findThread({
    texts,
    since: request.firstAttemptAt,
    firstKind: firstKind(request.media),
    listPosts: listPosts(request.channel, token, profile, request.firstAttemptAt.getTime(), request.signal),
    listReplies: (id) => repliesOf(request.channel, token, id, request.signal),
    ownUsername: profile.username,
  });

  const textsOf = (request: PublishRequest): string[] => {
    const texts = outgoingTexts(request);
    // An image post may have no text at all: it is still one part.
    if (texts.length === 0 && request.media.length > 0) texts.push('');
    return texts;
  };

  const quotaAnswer = (channel: ConnectorChannel, token: string, profile: Profile, signal: AbortSignal) =>
    read(signal, () => graph.call<QuotaAnswer>(api(channel, `/${profile.id}/threads_publishing_limit`), {
      query: { fields: 'quota_usage,config,reply_quota_usage,reply_config' },
      token,
      signal,
    }));

  /** A part's container, ready to publish; creating it shows nothing to anyone. */
  const container = async (channel: ConnectorChannel, token: string, profile: Profile, form: GraphParams, signal: AbortSignal): Promise<string> => {
    const created = await read(signal, () => graph.call<{ id: string }>(api(channel, `/${profile.id}/threads`), { method: 'POST', form, token, signal }));
    await waitForContainer({
      network: NAME,
      pollMs,
      timeoutMs: containerTimeoutMs,
      signal,
      now,
      read: async () => {
        const status = await read(signal, () => graph.call<{ status?: string; error_message?: string }>(api(channel, `/${created.id}`), { query: { fields: 'status,error_message' }, token, signal }));
        return { status: status.status, detail: status.error_message };
      },
    });
    return created.id;
  };

  const partContainer = async (channel: ConnectorChannel, token: string, profile: Profile, text: string, media: OutgoingMedia[], replyTo: string | undefined, signal: AbortSignal): Promise<string> => {
    const textField = text === '' ? {} : { text };
    const reply = replyTo ? { reply_to_id: replyTo } : {};
    if (media.length === 0) return container(channel, token, profile, { media_type: 'TEXT', ...textField, ...reply }, signal);
    const image = (item: OutgoingMedia) => ({ media_type: 'IMAGE', image_url: item.url, ...(item.alt ? { alt_text: item.alt } : {}) });
    if (media.length === 1) return container(channel, token, profile, { ...image(media[0]!), ...textField, ...reply }, signal);
    const children: string[] = [];
    for (const item of media) children.push(await container(channel, token, profile, { ...image(item), is_carousel_item: true }, signal));
    return container(channel, token, profile, { media_type: 'CAROUSEL', children: children.join(','), ...textField, ...reply }, signal);
  };

  const toResult = (parts: PublishedPart[], refreshed: Credentials | undefined): PublishResult => ({
    externalId: parts[0]!.externalId,
    url: parts[0]!.url,
    parts,
    ...(refreshed ? { refreshedCredentials: refreshed } : {}),
  });

  const refresh = (channel: ConnectorChannel, credentials: Credentials, signal: AbortSignal): Promise<Credentials> =>
    refreshThreadsToken({ graph, now, call: read }, channel.baseUrl, credentials, signal);

  const connector: Connector & { readonly verifiable: true } = {
    network: 'threads',
    defaultBaseUrl: THREADS_API,
    idempotent: false,
    verifiable: true,

    async publish(request) {
      const { channel, signal, media } = request;
      const texts = textsOf(request);
      if (texts.length === 0) {
        throw new ConnectorError('permanent', 'text_empty', { id: 'Tidak ada teks atau gambar untuk dikirim ke Threads.', en: 'There is no text or image to send to Threads.' });
      }
      if (media.length > MAX_CAROUSEL) {
        throw new ConnectorError('permanent', 'media_rejected', { id: 'Threads menerima paling banyak 20 gambar dalam satu carousel.', en: 'Threads takes at most 20 images in one carousel.' });
      }
      if (media.some((m) => m.mime !== 'image/jpeg' && m.mime !== 'image/png')) {
        throw new ConnectorError('permanent', 'media_unsupported', {
          id: 'Threads dari Siar saat ini hanya menerima gambar JPEG atau PNG; video belum didukung.',
          en: 'Threads from Siar currently takes JPEG or PNG images only; video is not supported yet.',
        });
      }
      let credentials = request.credentials;
      let refreshed: Credentials | undefined;
      if (shouldRefresh(credentials, now(), refreshWithinMs)) {
        // A lapsed 60-day token cannot be refreshed at all: renew it while it still works.
        try {
          refreshed = await refresh(channel, credentials, signal);
          credentials = refreshed;
        } catch (error) {
          if (error instanceof ConnectorError && error.code === 'aborted') throw error;
        }
      }
      const token = accessTokenOf(credentials, NAME);
      const profile = await profileOf(channel, token, signal);
      const published = await find(request, token, profile, texts);
      if (published.length === texts.length) return toResult(published, refreshed);

      // Never start (or continue) a thread the quota cannot finish: a half thread is worse than none.
      const quotas = await quotaAnswer(channel, token, profile, signal);
      const posts = readQuota(quotas, 'posts');
      if (published.length === 0 && posts && posts.used >= posts.total) {
        const windowStart = now() - posts.windowSeconds * 1000;
        const oldest = await listPosts(channel, token, profile, windowStart + CLOCK_SKEW_MS, signal)(undefined);
        const times = (oldest.data ?? []).map((p) => graphTime(p.timestamp)).filter((t) => Number.isFinite(t) && t >= windowStart);
        throw quotaExhausted(NAME, posts, times.length > 0 ? Math.min(...times) : undefined, now());
      }
      const replies = readQuota(quotas, 'replies');
      const repliesNeeded = texts.length - Math.max(published.length, 1);
      if (replies && repliesNeeded > 0 && replies.total - replies.used < repliesNeeded) {
        throw quotaExhausted(NAME, replies, undefined, now(), { id: 'balasan', en: 'replies' });
      }

      for (let index = published.length; index < texts.length; index++) {
        try {
          const parent = published[index - 1]?.externalId;
          const creationId = await partContainer(channel, token, profile, texts[index]!, index === 0 ? media : [], parent, signal);
          const part = await call('write', signal, () => graph.call<{ id: string }>(api(channel, `/${profile.id}/threads_publish`), { method: 'POST', form: { creation_id: creationId }, token, signal }));
          published.push({ externalId: part.id, url: await permalink(channel, token, part.id, signal) });
        } catch (error) {
          throw halfway(NAME, published, texts.length, error, 'thread');
        }
      }
      return toResult(published, refreshed);
    },

    async findPublished(request) {
      const { channel, signal } = request;
      const texts = textsOf(request);
      const token = accessTokenOf(request.credentials, NAME);
      const profile = await profileOf(channel, token, signal);
      const found = await find(request, token, profile, texts);
      // A partial thread is completed by publishing again, which continues after the parts found.
      return found.length === texts.length && found.length > 0 ? toResult(found, undefined) : null;
    },

    async remove(request) {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      // Replies first, so the thread never shows a reply to a deleted post.
      for (const part of [...request.parts].reverse()) {
        try {
          await read(signal, () => graph.call<{ success?: boolean }>(api(channel, `/${part.externalId}`), { method: 'DELETE', token, signal }));
        } catch (error) {
          if (isNotFound(error)) continue;
          throw error;
        }
      }
    },

    async refresh(request) {
      return refresh(request.channel, request.credentials, request.signal);
    },

    async capabilities(request): Promise<AccountCapabilities> {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      const profile = await profileOf(channel, token, signal);
      const posts = readQuota(await quotaAnswer(channel, token, profile, signal), 'posts');
      return {
        maxCharacters: 500,
        maxMedia: MAX_CAROUSEL,
        mediaKinds: ['image'],
        postsRemaining: posts ? Math.max(0, posts.total - posts.used) : null,
        postsWindowHours: posts ? posts.windowSeconds / 3600 : null,
        canEdit: false,
        canDelete: true,
        canReadComments: true,
        canReply: true,
        canReadMetrics: true,
      };
    },

    async fetchMetrics(request) {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      const values = metricValues(await read(signal, () => graph.call<InsightsAnswer>(api(channel, `/${request.post.externalId}/insights`), {
        query: { metric: 'views,likes,replies,reposts,quotes' },
        token,
        signal,
      })));
      return {
        likes: values.likes ?? null,
        reposts: values.reposts ?? null,
        replies: values.replies ?? null,
        quotes: values.quotes ?? null,
        views: values.views ?? null,
        fetchedAt: new Date(now()).toISOString(),
      };
    },

    async fetchComments(request) {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      const profile = await profileOf(channel, token, signal);
      const username = await profile.username();
      const parts = request.parts && request.parts.length > 0 ? request.parts : [request.post];
      const ours = new Set(parts.map((p) => p.externalId));
      const since = request.since?.getTime();
      const result: IncomingComment[] = [];
      for (const part of parts) {
        for (const reply of await repliesOf(channel, token, part.externalId, signal)) {
          // Our own thread parts are replies too, but not comments.
          if (ours.has(reply.id)) continue;
          if (since !== undefined && !(graphTime(reply.timestamp) > since)) continue;
          result.push({
            externalId: reply.id,
            inReplyTo: part.externalId,
            author: { externalId: reply.username ?? '', handle: reply.username ? `@${reply.username}` : '', name: null, avatarUrl: null },
            text: reply.text ?? '',
            createdAt: new Date(graphTime(reply.timestamp) || now()).toISOString(),
            url: reply.permalink ?? null,
            own: username !== undefined && reply.username === username,
            likes: null,
          });
        }
      }
      return result.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    },

    async reply(request) {
      const { channel, signal, inReplyTo, text } = request;
      const token = accessTokenOf(request.credentials, NAME);
      const profile = await profileOf(channel, token, signal);
      const username = await profile.username();
      // A retried reply whose first answer was lost is already there: no second one.
      const existing = (await repliesOf(channel, token, inReplyTo, signal)).find((r) => sameText(r.text, text) && username !== undefined && r.username === username);
      if (existing) return { externalId: existing.id, url: existing.permalink ?? null };
      const creationId = await partContainer(channel, token, profile, text, [], inReplyTo, signal);
      const part = await call('write', signal, () => graph.call<{ id: string }>(api(channel, `/${profile.id}/threads_publish`), { method: 'POST', form: { creation_id: creationId }, token, signal }));
      return { externalId: part.id, url: await permalink(channel, token, part.id, signal) };
    },

    oauth: threadsOAuth({ graph, now, call: read }),

    async verify(request) {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      const profile = await me(channel, token, signal);
      return {
        externalAccountId: profile.id,
        handle: profile.username ? `@${profile.username}` : profile.id,
        name: profile.name || profile.username || profile.id,
        avatarUrl: profile.threads_profile_picture_url ?? null,
      };
    },
  };
  return connector;
}

export const threadsConnector = createThreadsConnector();
