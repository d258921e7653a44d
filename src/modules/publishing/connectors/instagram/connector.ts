/**
 * Instagram connector ("Instagram API with Instagram Login", Graph API v23.0 on graph.instagram.com,
 * plain fetch). Owns: one JPEG or a carousel of 2–10, pulled by Instagram from their public URLs,
 * with caption and alt text; the first comment as a comment; counts, comments and replies; the
 * token's 60-day refresh; and finding its own post after an uncertain outcome.
 *
 * Publishing is three steps: read the quota (`content_publishing_limit`: a used-up quota fails at
 * once as `daily_cap`, saying when it reopens), create a container (per image, then the carousel)
 * and wait until its `status_code` is FINISHED, then `media_publish`. A container nobody published
 * is invisible and expires in 24 hours, so only `media_publish` is a write whose loss is
 * "uncertain". Before every publish the account's recent media (made since the first attempt,
 * exact caption) and our comment under it are looked up, and only what is missing is made; the same
 * look-up is `findPublished`.
 *
 * Instagram does not thread: several parts are joined into one caption. It cannot delete posts
 * through this API: `remove` says so, and capabilities report `canDelete: false`. Edits are not
 * offered either (the API cannot change a caption).
 */
import { ConnectorError } from '../../connector.ts';
import type { AccountCapabilities, Connector, ConnectorChannel, Credentials, IncomingComment, OutgoingMedia, PublishRequest, PublishResult, PublishedPart } from '../../connector.ts';
import { assertNotCancelled } from '../failure.ts';
import type { Exchange } from '../failure.ts';
import { CLOCK_SKEW_MS, createGraphClient, graphTime, joinUrl, sameText } from '../graph/client.ts';
import type { GraphList, GraphParams } from '../graph/client.ts';
import { waitForContainer } from '../graph/container.ts';
import { metricValues } from '../graph/insights.ts';
import type { InsightsAnswer } from '../graph/insights.ts';
import { halfway } from '../graph/partial.ts';
import { REFRESH_WITHIN_MS, accessTokenOf, shouldRefresh } from '../graph/tokens.ts';
import { INSTAGRAM, instagramFailure } from './errors.ts';
import { INSTAGRAM_API, INSTAGRAM_VERSION, instagramOAuth, refreshInstagramToken } from './oauth.ts';
import { quotaExhausted, readQuota } from '../graph/quota.ts';
import type { PublishingQuota, QuotaAnswer } from '../graph/quota.ts';

const NAME = 'Instagram';
const MAX_CAROUSEL = 10;
const MAX_PAGES = 3;

export interface InstagramConnectorOptions {
  requestTimeoutMs?: number;
  /** How often to read a container's status while Instagram fetches and processes the image. */
  containerPollMs?: number;
  /** How long to wait for a container before trying again later with a new one. */
  containerTimeoutMs?: number;
  /** Refresh the token on the way when less than this is left of its 60 days. */
  refreshWithinMs?: number;
  throttleFallbackMs?: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

interface Media { id: string; caption?: string; timestamp?: string; permalink?: string; media_type?: string }
interface IgComment {
  id: string;
  text?: string;
  timestamp?: string;
  username?: string;
  like_count?: number;
  from?: { id?: string; username?: string };
  replies?: { data?: IgComment[] };
}
interface Me { id?: string; user_id?: string | number; username?: string; name?: string; profile_picture_url?: string }

interface Account { id: string; username: () => Promise<string | undefined> }

export function createInstagramConnector(options: InstagramConnectorOptions = {}): Connector & { readonly verifiable: true } {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const pollMs = options.containerPollMs ?? 1_000;
  const containerTimeoutMs = options.containerTimeoutMs ?? 60_000;
  const refreshWithinMs = options.refreshWithinMs ?? REFRESH_WITHIN_MS;
  const now = options.now ?? Date.now;
  const graph = createGraphClient({ requestTimeoutMs, fetch: options.fetch });
  const network = options.throttleFallbackMs === undefined ? INSTAGRAM : { ...INSTAGRAM, throttleFallbackMs: options.throttleFallbackMs };

  const call = async <T>(exchange: Exchange, signal: AbortSignal, run: () => Promise<T>): Promise<T> => {
    assertNotCancelled(signal);
    try {
      return await run();
    } catch (error) {
      throw instagramFailure(error, exchange, signal, network);
    }
  };
  const read = <T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> => call('read', signal, run);
  const api = (channel: ConnectorChannel, path: string): string => joinUrl(channel.baseUrl, `/${INSTAGRAM_VERSION}${path}`);

  const me = (channel: ConnectorChannel, token: string, signal: AbortSignal): Promise<Me> =>
    read(signal, () => graph.call<Me>(api(channel, '/me'), { query: { fields: 'user_id,username,name,profile_picture_url' }, token, signal }));

  /** The professional account's id (`user_id`, not the app-scoped `id`), and its username when needed. */
  const accountOf = async (channel: ConnectorChannel, token: string, signal: AbortSignal): Promise<Account> => {
    let profile: Promise<Me> | undefined;
    const load = () => (profile ??= me(channel, token, signal));
    const id = channel.externalAccountId ?? String((await load()).user_id ?? (await load()).id);
    return { id, username: async () => (await load()).username };
  };

  const permalink = async (channel: ConnectorChannel, token: string, id: string, signal: AbortSignal): Promise<string | null> => {
    try {
      const media = await read(signal, () => graph.call<Media>(api(channel, `/${id}`), { query: { fields: 'permalink' }, token, signal }));
      return media.permalink ?? null;
    } catch {
      return null;
    }
  };

  /** The account's media made since `since` (minus clock skew), oldest first. */
  const recentMedia = async (channel: ConnectorChannel, token: string, accountId: string, since: number, signal: AbortSignal): Promise<Media[]> => {
    const from = since - CLOCK_SKEW_MS;
    const found: Media[] = [];
    let url: string | undefined = api(channel, `/${accountId}/media`);
    let query: Record<string, string | number> | undefined = { fields: 'id,caption,timestamp,permalink,media_type', limit: 50 };
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const target: string = url;
      const list: GraphList<Media> = await read(signal, () => graph.call<GraphList<Media>>(target, { query, token, signal }));
      const items = list.data ?? [];
      const recent = items.filter((m) => !(graphTime(m.timestamp) < from));
      found.push(...recent);
      if (recent.length < items.length || items.length === 0) break;
      url = list.paging?.next;
      query = undefined;
    }
    return found.sort((a, b) => graphTime(a.timestamp) - graphTime(b.timestamp));
  };

  const commentsOf = async (channel: ConnectorChannel, token: string, mediaId: string, signal: AbortSignal): Promise<IgComment[]> => {
    const list = await read(signal, () => graph.call<GraphList<IgComment>>(api(channel, `/${mediaId}/comments`), {
      query: { fields: 'id,text,timestamp,username,from,like_count,replies', limit: 50 },
      token,
      signal,
    }));
    return list.data ?? [];
  };

  const isOwn = async (comment: IgComment, account: Account): Promise<boolean> => {
    if (comment.from?.id !== undefined) return comment.from.id === account.id;
    const username = comment.username ?? comment.from?.username;
    return username !== undefined && username === await account.username();
  };

  const outgoing = (request: PublishRequest): { caption: string; comment: string | null } => ({
    caption: request.parts.filter((p) => p.trim() !== '').join('\n\n'),
    comment: request.firstComment && request.firstComment.trim() !== '' ? request.firstComment : null,
  });

  /** Our post (exact caption, since the first attempt) and our first comment under it. */
  const find = async (request: PublishRequest, token: string, account: Account, recent: Media[]) => {
    const { caption, comment } = outgoing(request);
    const kind = request.media.length > 1 ? 'CAROUSEL_ALBUM' : 'IMAGE';
    // An empty caption says little: then the kind of post has to match too.
    const post = recent.find((m) => sameText(m.caption, caption) && (caption.trim() !== '' || !m.media_type || m.media_type === kind));
    if (!post) return { post: null, comment: null };
    const published: PublishedPart = { externalId: post.id, url: post.permalink ?? await permalink(request.channel, token, post.id, request.signal) };
    if (!comment) return { post: published, comment: null };
    for (const c of await commentsOf(request.channel, token, post.id, request.signal)) {
      if (sameText(c.text, comment) && await isOwn(c, account)) return { post: published, comment: { externalId: c.id, url: null } };
    }
    return { post: published, comment: null };
  };

  const quotaOf = async (channel: ConnectorChannel, token: string, accountId: string, signal: AbortSignal): Promise<PublishingQuota | null> =>
    readQuota(await read(signal, () => graph.call<QuotaAnswer>(api(channel, `/${accountId}/content_publishing_limit`), { query: { fields: 'quota_usage,config' }, token, signal })));

  const container = async (channel: ConnectorChannel, token: string, accountId: string, form: GraphParams, signal: AbortSignal): Promise<string> => {
    // Creating a container publishes nothing: a lost answer only leaves an invisible container.
    const created = await read(signal, () => graph.call<{ id: string }>(api(channel, `/${accountId}/media`), { method: 'POST', form, token, signal }));
    await waitForContainer({
      network: NAME,
      pollMs,
      timeoutMs: containerTimeoutMs,
      signal,
      now,
      read: async () => {
        const status = await read(signal, () => graph.call<{ status_code?: string; status?: string }>(api(channel, `/${created.id}`), { query: { fields: 'status_code,status' }, token, signal }));
        return { status: status.status_code, detail: status.status };
      },
    });
    return created.id;
  };

  const imageForm = (item: OutgoingMedia, extra: Record<string, string | boolean>): Record<string, string | boolean> => ({
    image_url: item.url,
    ...(item.alt ? { alt_text: item.alt } : {}),
    ...extra,
  });

  const toResult = (post: PublishedPart, comment: PublishedPart | null, refreshed: Credentials | undefined): PublishResult => ({
    externalId: post.externalId,
    url: post.url,
    parts: comment ? [post, comment] : [post],
    ...(refreshed ? { refreshedCredentials: refreshed } : {}),
  });

  const refresh = (channel: ConnectorChannel, credentials: Credentials, signal: AbortSignal): Promise<Credentials> =>
    refreshInstagramToken({ graph, now, call: read }, channel.baseUrl, credentials, signal);

  const connector: Connector & { readonly verifiable: true } = {
    network: 'instagram',
    defaultBaseUrl: INSTAGRAM_API,
    idempotent: false,
    verifiable: true,

    async publish(request) {
      const { channel, signal, media } = request;
      const { caption, comment } = outgoing(request);
      if (media.length === 0) {
        throw new ConnectorError('permanent', 'media_required', { id: 'Instagram memerlukan minimal satu gambar.', en: 'Instagram needs at least one image.' });
      }
      if (media.length > MAX_CAROUSEL) {
        throw new ConnectorError('permanent', 'media_rejected', { id: 'Instagram menerima paling banyak 10 gambar dalam satu carousel.', en: 'Instagram takes at most 10 images in one carousel.' });
      }
      if (media.some((m) => m.mime !== 'image/jpeg')) {
        throw new ConnectorError('permanent', 'media_unsupported', {
          id: 'Instagram hanya menerima gambar JPEG (PNG, GIF, dan video belum bisa dikirim dari Siar).',
          en: 'Instagram only takes JPEG images (PNG, GIF and video cannot be sent from Siar yet).',
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
      const account = await accountOf(channel, token, signal);
      const recent = await recentMedia(channel, token, account.id, request.firstAttemptAt.getTime(), signal);
      const found = await find(request, token, account, recent);

      let post = found.post;
      if (!post) {
        const quota = await quotaOf(channel, token, account.id, signal);
        if (quota && quota.used >= quota.total) {
          const windowStart = now() - quota.windowSeconds * 1000;
          const inWindow = graphTime((await recentMedia(channel, token, account.id, windowStart + CLOCK_SKEW_MS, signal))[0]?.timestamp);
          throw quotaExhausted(NAME, quota, Number.isFinite(inWindow) ? inWindow : undefined, now());
        }
        let creationId: string;
        if (media.length === 1) {
          creationId = await container(channel, token, account.id, imageForm(media[0]!, { caption }), signal);
        } else {
          const children: string[] = [];
          for (const item of media) children.push(await container(channel, token, account.id, imageForm(item, { is_carousel_item: true }), signal));
          creationId = await container(channel, token, account.id, { media_type: 'CAROUSEL', children: children.join(','), caption }, signal);
        }
        const published = await call('write', signal, () => graph.call<{ id: string }>(api(channel, `/${account.id}/media_publish`), { method: 'POST', form: { creation_id: creationId }, token, signal }));
        post = { externalId: published.id, url: await permalink(channel, token, published.id, signal) };
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
      return toResult(post, commentPart, refreshed);
    },

    async findPublished(request) {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      const account = await accountOf(channel, token, signal);
      const recent = await recentMedia(channel, token, account.id, request.firstAttemptAt.getTime(), signal);
      const found = await find(request, token, account, recent);
      // A post without its first comment is completed by publishing again, which finds the post.
      if (!found.post || (outgoing(request).comment && !found.comment)) return null;
      return toResult(found.post, found.comment, undefined);
    },

    async remove() {
      throw new ConnectorError('permanent', 'delete_unsupported', {
        id: 'Instagram tidak mengizinkan aplikasi menghapus postingan lewat API. Hapus postingan ini langsung di aplikasi Instagram.',
        en: 'Instagram does not let apps delete posts through its API. Delete this post in the Instagram app.',
      });
    },

    async refresh(request) {
      return refresh(request.channel, request.credentials, request.signal);
    },

    async capabilities(request): Promise<AccountCapabilities> {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      const account = await accountOf(channel, token, signal);
      const quota = await quotaOf(channel, token, account.id, signal);
      return {
        maxCharacters: 2_200,
        maxMedia: MAX_CAROUSEL,
        mediaKinds: ['image'],
        postsRemaining: quota ? Math.max(0, quota.total - quota.used) : null,
        postsWindowHours: quota ? quota.windowSeconds / 3600 : null,
        canEdit: false,
        canDelete: false,
        canReadComments: true,
        canReply: true,
        canReadMetrics: true,
      };
    },

    async fetchMetrics(request) {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      const id = request.post.externalId;
      const counts = await read(signal, () => graph.call<{ like_count?: number; comments_count?: number }>(api(channel, `/${id}`), { query: { fields: 'like_count,comments_count' }, token, signal }));
      let insights: Record<string, number> = {};
      try {
        insights = metricValues(await read(signal, () => graph.call<InsightsAnswer>(api(channel, `/${id}/insights`), { query: { metric: 'views,likes,comments,shares,saved' }, token, signal })));
      } catch (error) {
        // Insights lag up to 48 h and are refused for some media; the plain counts still stand.
        if (error instanceof ConnectorError && (error.kind === 'auth' || error.code === 'aborted')) throw error;
      }
      return {
        likes: counts.like_count ?? insights.likes ?? null,
        reposts: insights.shares ?? null,
        replies: counts.comments_count ?? insights.comments ?? null,
        quotes: null,
        views: insights.views ?? null,
        fetchedAt: new Date(now()).toISOString(),
      };
    },

    async fetchComments(request) {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      const account = await accountOf(channel, token, signal);
      const mediaId = request.post.externalId;
      const since = request.since?.getTime();
      const result: IncomingComment[] = [];
      const add = async (c: IgComment, inReplyTo: string) => {
        if (since !== undefined && !(graphTime(c.timestamp) > since)) return;
        const handle = c.username ?? c.from?.username ?? '';
        result.push({
          externalId: c.id,
          inReplyTo,
          author: { externalId: c.from?.id ?? handle, handle, name: null, avatarUrl: null },
          text: c.text ?? '',
          createdAt: new Date(graphTime(c.timestamp) || now()).toISOString(),
          url: null,
          own: await isOwn(c, account),
          likes: c.like_count ?? null,
        });
      };
      for (const comment of await commentsOf(channel, token, mediaId, signal)) {
        await add(comment, mediaId);
        let replies = comment.replies?.data ?? [];
        // Without field expansion the `replies` edge lists ids only: read them in full.
        if (replies.some((r) => r.text === undefined)) {
          const list = await read(signal, () => graph.call<GraphList<IgComment>>(api(channel, `/${comment.id}/replies`), {
            query: { fields: 'id,text,timestamp,username,from,like_count' },
            token,
            signal,
          }));
          replies = list.data ?? [];
        }
        for (const reply of replies) await add(reply, comment.id);
      }
      return result.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    },

    async reply(request) {
      const { channel, signal, inReplyTo, text } = request;
      const token = accessTokenOf(request.credentials, NAME);
      const account = await accountOf(channel, token, signal);
      // A post's id takes a comment (`/comments`); a comment's id takes a reply (`/replies`).
      let isMedia = false;
      try {
        const target = await read(signal, () => graph.call<{ media_type?: string }>(api(channel, `/${inReplyTo}`), { query: { fields: 'id,media_type' }, token, signal }));
        isMedia = typeof target.media_type === 'string';
      } catch (error) {
        if (!(error instanceof ConnectorError) || error.kind !== 'permanent') throw error;
      }
      // A retried reply whose first answer was lost is already there: no second one.
      const existing = isMedia
        ? await commentsOf(channel, token, inReplyTo, signal)
        : (await read(signal, () => graph.call<GraphList<IgComment>>(api(channel, `/${inReplyTo}/replies`), { query: { fields: 'id,text,timestamp,username,from' }, token, signal }))).data ?? [];
      for (const c of existing) {
        if (sameText(c.text, text) && await isOwn(c, account)) return { externalId: c.id, url: null };
      }
      const created = await call('write', signal, () => graph.call<{ id: string }>(api(channel, `/${inReplyTo}/${isMedia ? 'comments' : 'replies'}`), { method: 'POST', form: { message: text }, token, signal }));
      return { externalId: created.id, url: null };
    },

    oauth: instagramOAuth({ graph, now, call: read }),

    async verify(request) {
      const { channel, signal } = request;
      const token = accessTokenOf(request.credentials, NAME);
      const profile = await me(channel, token, signal);
      const id = String(profile.user_id ?? profile.id ?? '');
      const handle = profile.username ? `@${profile.username}` : id;
      return { externalAccountId: id, handle, name: profile.name || profile.username || id, avatarUrl: profile.profile_picture_url ?? null };
    },
  };
  return connector;
}

export const instagramConnector = createInstagramConnector();
