/**
 * TikTok connector (Content Posting API v2 over plain fetch). Owns: a post of one video (uploaded
 * in chunks) or up to 35 photos (pulled by TikTok from Siar's public media URLs, never mixed), its
 * privacy (PUBLIC_TO_EVERYONE when TikTok offers it to the creator, else the most public option
 * offered, with a `notice` on the result saying so), following the post until TikTok publishes it,
 * finding it again after an uncertain outcome, its metrics, and TikTok sign-in with refresh
 * (refresh tokens rotate: the new one is returned and must be stored).
 *
 * What TikTok's public API does not allow, and this connector therefore does not pretend: deleting
 * a post, reading or writing comments. `capabilities` says so; `remove` and `reply` fail with advice
 * to do it in the TikTok app. A `firstComment` cannot be sent either and is left out (the post is
 * still published; capabilities tell the composer not to offer one). Alt text has no place on
 * TikTok. The caption is the post's text (thread parts joined); a photo post's `title` is the
 * post's title (TikTok cuts it at 90).
 *
 * Exactly once: TikTok has no idempotency key. The init is the uncertain write (photos: it alone
 * makes the post); a lost answer to a video's last chunk is settled with status/fetch (post.ts).
 * `findPublished` reads the account's posts since the first attempt for our exact caption; since
 * TikTok lists public posts only, and only after moderation, "not there" is only believed when the
 * post would have been public and the first attempt is older than `moderationWindowMs`.
 */
import { ConnectorError } from '../../connector.ts';
import type { AccountCapabilities, Connector, Credentials, OutgoingMedia, PublishRequest, PublishResult } from '../../connector.ts';
import type { Reason } from '../failure.ts';
import { api, call, choosePrivacy, clientFor, creatorInfo, fetchStatus, isPostId, postUrl, privacyNotice, VIDEO_FIELDS } from './api.ts';
import type { ListedVideo } from './api.ts';
import { findOwnPost } from './find-post.ts';
import type { HttpClient } from './http.ts';
import { TIKTOK_API_ROOT, expiresSoon, refreshTikTokToken, tiktokOAuth } from './oauth.ts';
import { MAX_PHOTOS, sendPhotos, sendVideo, settle } from './post.ts';

export interface TikTokConnectorOptions {
  /** Deadline for one API request; a write past it is "uncertain". */
  requestTimeoutMs?: number;
  /** Deadline for sending one chunk of a video (the engine's own deadline still applies). */
  uploadTimeoutMs?: number;
  /** Video chunk size (TikTok: 5–64 MB; a smaller file goes whole). */
  chunkSizeBytes?: number;
  /** How long to follow the post's status after sending, and how often (status/fetch allows 30 a minute). */
  statusWaitMs?: number;
  statusPollMs?: number;
  /** How long after the first attempt a post missing from the list may still be in moderation. */
  moderationWindowMs?: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

/** A publish result with a note for the person (the post is not public). */
export type TikTokPublishResult = PublishResult & { notice?: Reason };

const NO_API = {
  remove: {
    id: 'TikTok tidak menyediakan API untuk menghapus postingan. Hapus postingan ini langsung di aplikasi TikTok (buka postingan, ketuk ⋯, lalu Hapus).',
    en: 'TikTok offers no API to delete a post. Delete it directly in the TikTok app (open the post, tap ⋯, then Delete).',
  },
  comments: {
    id: 'TikTok tidak menyediakan API untuk membaca atau membalas komentar. Baca dan balas komentar langsung di aplikasi TikTok.',
    en: 'TikTok offers no API to read or answer comments. Read and answer them directly in the TikTok app.',
  },
} satisfies Record<string, Reason>;

/** The caption: the post's text (thread parts joined). */
export function captionOf(request: Pick<PublishRequest, 'parts'>): string {
  return request.parts.filter((p) => p.trim() !== '').join('\n\n').trim();
}

/** One video, or 1–35 photos; TikTok never mixes them. */
export function classifyMedia(media: OutgoingMedia[]): { kind: 'video'; video: OutgoingMedia } | { kind: 'photo'; photos: OutgoingMedia[] } {
  if (media.length === 0) {
    throw new ConnectorError('permanent', 'media_required', {
      id: 'TikTok butuh satu video atau foto (maks. 35) di setiap postingan; postingan teks saja tidak bisa dikirim.',
      en: 'TikTok needs one video or photos (up to 35) in every post; a text-only post cannot be sent.',
    });
  }
  const videos = media.filter((m) => m.mime.startsWith('video/'));
  if (videos.length > 0) {
    if (media.length > 1) {
      throw new ConnectorError('permanent', 'media_rejected', {
        id: 'TikTok menerima satu video saja, atau foto saja; video dan foto tidak bisa digabung, dan video hanya satu.',
        en: 'TikTok takes one video, or photos only; videos and photos cannot be mixed, and there is only one video.',
      });
    }
    return { kind: 'video', video: videos[0]! };
  }
  if (media.length > MAX_PHOTOS) {
    throw new ConnectorError('permanent', 'media_rejected', {
      id: `TikTok menerima paling banyak ${MAX_PHOTOS} foto dalam satu postingan.`,
      en: `TikTok takes at most ${MAX_PHOTOS} photos in one post.`,
    });
  }
  return { kind: 'photo', photos: media };
}

const listedResult = (video: ListedVideo): PublishResult => {
  const part = { externalId: String(video.id), url: video.share_url ?? null };
  return { externalId: part.externalId, url: part.url, parts: [part] };
};

export function createTikTokConnector(options: TikTokConnectorOptions = {}): Connector & { readonly verifiable: true } {
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const http: HttpClient = { fetch: fetchImpl, timeoutMs: options.requestTimeoutMs ?? 30_000 };
  const uploadHttp: HttpClient = { fetch: fetchImpl, timeoutMs: options.uploadTimeoutMs ?? 5 * 60_000 };
  const status = { waitMs: options.statusWaitMs ?? 20_000, pollMs: options.statusPollMs ?? 3_000 };
  const moderationWindowMs = options.moderationWindowMs ?? 3 * 60_000;
  const root = (baseUrl: string): string => baseUrl || TIKTOK_API_ROOT;
  const flow = tiktokOAuth(http, now);

  /** Writes refresh an access token that is about to run out first, rather than fail halfway. */
  const freshCredentials = async (request: { channel: PublishRequest['channel']; credentials: Credentials; signal: AbortSignal }): Promise<Credentials | undefined> => {
    const { credentials } = request;
    if (!expiresSoon(credentials, now()) || !credentials.refreshToken) return undefined;
    return call('read', request.signal, () => refreshTikTokToken(http, root(request.channel.baseUrl), credentials, request.signal, now()));
  };

  const connector: Connector & { readonly verifiable: true } = {
    network: 'tiktok',
    defaultBaseUrl: TIKTOK_API_ROOT,
    idempotent: false,
    verifiable: true,
    oauth: { ...flow, exchangeCode: (input) => call('read', input.signal, () => flow.exchangeCode(input)) },

    async publish(request) {
      const { signal } = request;
      const caption = captionOf(request);
      const media = classifyMedia(request.media);
      const refreshed = await freshCredentials(request);
      const client = clientFor(http, root(request.channel.baseUrl), refreshed ?? request.credentials);
      const withCredentials = (result: TikTokPublishResult): TikTokPublishResult => (refreshed ? { ...result, refreshedCredentials: refreshed } : result);

      // A retry may follow an attempt whose post went through (its answer lost): look first.
      if (request.attempt > 1) {
        const found = await call('read', signal, () => findOwnPost(client, caption, request.firstAttemptAt, signal));
        if (found) return withCredentials(listedResult(found));
      }

      // TikTok requires the creator's current options before every post.
      const creator = await call('read', signal, () => creatorInfo(client, signal));
      const privacy = choosePrivacy(creator.privacy_level_options);
      const settings = {
        caption,
        title: request.title?.trim() || null,
        privacy,
        disableComment: creator.comment_disabled === true,
        disableDuet: creator.duet_disabled === true,
        disableStitch: creator.stitch_disabled === true,
      };
      const publishId = media.kind === 'video'
        ? await sendVideo(client, media.video, settings, { chunkSize: options.chunkSizeBytes ?? 10 * 1024 * 1024, uploadHttp, signal })
        : await sendPhotos(client, media.photos, settings, signal);
      const settled = await settle(client, publishId, { ...status, now, signal, public: privacy === 'PUBLIC_TO_EVERYONE' });

      const externalId = settled.postId ?? publishId;
      const url = settled.postId ? postUrl(creator.creator_username, settled.postId, media.kind) : null;
      const result: TikTokPublishResult = { externalId, url, parts: [{ externalId, url }] };
      const notice = privacyNotice(privacy);
      if (notice) result.notice = notice;
      return withCredentials(result);
    },

    async findPublished(request) {
      const { signal } = request;
      const client = clientFor(http, root(request.channel.baseUrl), request.credentials);
      const found = await call('read', signal, () => findOwnPost(client, captionOf(request), request.firstAttemptAt, signal));
      if (found) return listedResult(found);
      const creator = await call('read', signal, () => creatorInfo(client, signal));
      if (choosePrivacy(creator.privacy_level_options) !== 'PUBLIC_TO_EVERYONE') {
        // TikTok never lists a post that is not public: absence proves nothing here.
        throw new ConnectorError('permanent', 'uncertain_unverifiable', {
          id: 'Postingan mungkin sudah terkirim, tetapi akun ini hanya bisa memposting secara privat dan TikTok tidak menampilkan postingan privat ke aplikasi lain. Periksa akun di aplikasi TikTok sebelum mengirim ulang.',
          en: 'The post may have gone out, but this account can only post privately and TikTok does not show private posts to other apps. Check the account in the TikTok app before sending again.',
        });
      }
      const elapsed = now() - request.firstAttemptAt.getTime();
      if (elapsed < moderationWindowMs) {
        // A public post appears only after TikTok's moderation: look again shortly, don't resend yet.
        throw new ConnectorError('transient', 'not_yet_visible', {
          id: 'TikTok belum menampilkan postingan ini (mungkin masih dimoderasi); Siar memeriksa lagi sebentar lagi sebelum mengirim ulang.',
          en: 'TikTok does not show this post yet (it may still be in moderation); Siar checks again shortly before sending again.',
        }, { retryAfterMs: Math.max(5_000, moderationWindowMs - elapsed) });
      }
      return null;
    },

    async remove() {
      throw new ConnectorError('permanent', 'not_supported', NO_API.remove);
    },

    async refresh(request) {
      return call('read', request.signal, () => refreshTikTokToken(http, root(request.channel.baseUrl), request.credentials, request.signal, now()));
    },

    async capabilities(): Promise<AccountCapabilities> {
      // TikTok reports no remaining quota; its daily cap only shows as spam_risk_too_many_posts.
      return {
        maxCharacters: 2_200,
        maxMedia: MAX_PHOTOS,
        mediaKinds: ['image', 'video'],
        postsRemaining: null,
        postsWindowHours: null,
        canEdit: false,
        canDelete: false,
        canReadComments: false,
        canReply: false,
        canReadMetrics: true,
      };
    },

    async fetchMetrics(request) {
      const { signal } = request;
      const client = clientFor(http, root(request.channel.baseUrl), request.credentials);
      const fetchedAt = (): string => new Date(now()).toISOString();
      const none = { likes: null, reposts: null, replies: null, quotes: null, views: null };
      let postId: string | undefined = request.post.externalId;
      if (!isPostId(postId)) {
        // Stored under its publish id (still in moderation when published): TikTok may know the post id by now.
        const state = await call('read', signal, () => fetchStatus(client, request.post.externalId, signal));
        const id = state.publicaly_available_post_id?.[0];
        postId = id === undefined ? undefined : String(id);
        if (!postId) return { ...none, fetchedAt: fetchedAt() };
      }
      const id = postId;
      const data = await call('read', signal, () => api<{ videos?: ListedVideo[] }>(client, 'POST', '/v2/video/query/', {
        query: { fields: VIDEO_FIELDS },
        json: { filters: { video_ids: [id] } },
        signal,
      }));
      const video = data.videos?.[0];
      if (!video) return { ...none, fetchedAt: fetchedAt() };
      const n = (value: number | undefined): number | null => (typeof value === 'number' ? value : null);
      return { likes: n(video.like_count), reposts: n(video.share_count), replies: n(video.comment_count), quotes: null, views: n(video.view_count), fetchedAt: fetchedAt() };
    },

    async reply() {
      throw new ConnectorError('permanent', 'not_supported', NO_API.comments);
    },

    async verify(request) {
      const client = clientFor(http, root(request.channel.baseUrl), request.credentials);
      const data = await call('read', request.signal, () => api<{ user?: { open_id?: string; union_id?: string; avatar_url?: string; display_name?: string; username?: string } }>(client, 'GET', '/v2/user/info/', {
        query: { fields: 'open_id,union_id,avatar_url,display_name,username' },
        signal: request.signal,
      }));
      const user = data.user ?? {};
      const openId = user.open_id ?? request.credentials.openId;
      if (!openId) {
        throw new ConnectorError('transient', 'unreadable_response', {
          id: 'TikTok tidak mengirim identitas akun; akan dicoba lagi.',
          en: 'TikTok sent no account identity; will try again.',
        });
      }
      const name = user.display_name || user.username || openId;
      return { externalAccountId: openId, handle: user.username ? `@${user.username}` : name, name, avatarUrl: user.avatar_url ?? null };
    },
  };
  return connector;
}

export const tiktokConnector = createTikTokConnector();
