/**
 * YouTube connector (Data API v3 over plain fetch). Owns: uploading the post's one video with the
 * resumable protocol (title = the post's title, cut to 100 characters; description = its text;
 * `<` and `>` removed from both, as YouTube refuses them), the first comment under it, finding the
 * upload again after an uncertain outcome, metrics, comments and replies, editing title and
 * description, deleting, and Google sign-in with refresh.
 *
 * Exactly once: YouTube has no idempotency key. The upload's own session answers a lost PUT (see
 * upload.ts); when even that fails, `findPublished` reads the channel's uploads playlist for a
 * video added since the first attempt with exactly our title and description. A retry (attempt 2
 * and later) looks there too before uploading again.
 *
 * The first comment follows the video. Once the video is up the post is published: a comment that
 * then fails does not fail the post (that would send the video again); the result carries a
 * `notice` saying so instead, and `parts` holds only what exists.
 *
 * Quota: a video upload costs far more of the project's daily 10,000 units than anything else
 * (1,600 by the older price list); reads here cost 1 unit a page, a comment 50.
 */
import { ConnectorError } from '../../connector.ts';
import type { AccountCapabilities, Connector, Credentials, OutgoingMedia, PublishRequest, PublishResult, PublishedPart } from '../../connector.ts';
import type { Reason } from '../failure.ts';
import { api, call, clientFor, myChannel, videoUrl } from './api.ts';
import type { ListAnswer, VideoResource, YouTubeClient } from './api.ts';
import { findOwnComment, isVideoId, listComments, postReply, postTopLevelComment } from './comments.ts';
import { youtubeFailure } from './errors.ts';
import { findUploadedVideo } from './find-video.ts';
import type { HttpClient } from './http.ts';
import { YOUTUBE_API_ROOT, expiresSoon, refreshGoogleToken, youtubeOAuth } from './oauth.ts';
import { awaitProcessing, uploadVideo } from './upload.ts';
import type { VideoMetadata } from './upload.ts';

export const MAX_TITLE = 100;

export interface YouTubeConnectorOptions {
  /** Deadline for one API request; a write past it is "uncertain". */
  requestTimeoutMs?: number;
  /** Deadline for sending the video's bytes (the engine's own deadline still applies). */
  uploadTimeoutMs?: number;
  /** How long to watch YouTube's processing for a refusal after the upload, and how often. */
  processingWaitMs?: number;
  processingPollMs?: number;
  privacyStatus?: 'public' | 'unlisted' | 'private';
  /** 25 = News & Politics, the category government information belongs to. */
  categoryId?: string;
  language?: string;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

/** A publish result with a note for the person when part of the post could not be made. */
export type YouTubePublishResult = PublishResult & { notice?: Reason };

/** YouTube refuses `<` and `>` in titles and descriptions. */
export function withoutAngleBrackets(text: string): string {
  return text.replace(/[<>]/g, '');
}

/** Title and description as sent, and as looked for after an uncertain outcome. */
export function videoMetadata(request: Pick<PublishRequest, 'title' | 'parts'>): VideoMetadata {
  const description = withoutAngleBrackets(request.parts.filter((p) => p.trim() !== '').join('\n\n')).trim();
  const source = request.title?.trim() || description.split('\n')[0] || '';
  const title = Array.from(withoutAngleBrackets(source).replace(/\s+/g, ' ').trim()).slice(0, MAX_TITLE).join('').trim();
  if (title === '') {
    throw new ConnectorError('permanent', 'title_missing', {
      id: 'Video YouTube wajib punya judul. Isi judul postingan, lalu kirim ulang.',
      en: 'A YouTube video needs a title. Fill in the post\'s title, then send again.',
    });
  }
  return { title, description };
}

function pickVideo(media: OutgoingMedia[]): OutgoingMedia {
  const videos = media.filter((m) => m.mime.startsWith('video/'));
  if (videos.length === 0) {
    throw new ConnectorError('permanent', 'video_required', {
      id: 'YouTube hanya menerima video: lampirkan satu berkas video ke postingan ini.',
      en: 'YouTube only takes videos: attach one video file to this post.',
    });
  }
  if (media.length > 1) {
    throw new ConnectorError('permanent', 'media_rejected', {
      id: 'YouTube menerima tepat satu video per postingan, tanpa foto tambahan.',
      en: 'YouTube takes exactly one video per post, with no extra photos.',
    });
  }
  return videos[0]!;
}

const count = (value: string | undefined): number | null => (value === undefined || value === '' ? null : Number(value));

export function createYouTubeConnector(options: YouTubeConnectorOptions = {}): Connector & { readonly verifiable: true } {
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const http: HttpClient = { fetch: fetchImpl, timeoutMs: options.requestTimeoutMs ?? 30_000 };
  const uploadHttp: HttpClient = { fetch: fetchImpl, timeoutMs: options.uploadTimeoutMs ?? 10 * 60_000 };
  const processing = { waitMs: options.processingWaitMs ?? 10_000, pollMs: options.processingPollMs ?? 3_000 };
  const root = (baseUrl: string): string => baseUrl || YOUTUBE_API_ROOT;
  const flow = youtubeOAuth(http, now);

  /** Writes refresh an access token that is about to run out first, rather than fail halfway. */
  const freshCredentials = async (request: { channel: PublishRequest['channel']; credentials: Credentials; signal: AbortSignal }): Promise<Credentials | undefined> => {
    const { credentials } = request;
    if (!expiresSoon(credentials, now()) || !credentials.refreshToken || !credentials.clientId) return undefined;
    return call('read', request.signal, () => refreshGoogleToken(http, root(request.channel.baseUrl), credentials, request.signal, now()));
  };

  /** The video is up: adds the first comment (once) and builds the result. */
  const complete = async (client: YouTubeClient, videoId: string, request: PublishRequest, lookFirst: boolean): Promise<YouTubePublishResult> => {
    const { signal } = request;
    const parts: PublishedPart[] = [{ externalId: videoId, url: videoUrl(videoId) }];
    const result: YouTubePublishResult = { externalId: videoId, url: videoUrl(videoId), parts };
    const comment = request.firstComment?.trim() ? withoutAngleBrackets(request.firstComment) : null;
    if (!comment) return result;
    try {
      const channelId = request.channel.externalAccountId;
      const found = lookFirst ? await call('read', signal, () => findOwnComment(client, videoId, comment, channelId, signal)) : null;
      parts.push(found ?? await call('write', signal, () => postTopLevelComment(client, videoId, comment, signal)));
    } catch (error) {
      const failure = error instanceof ConnectorError ? error : youtubeFailure(error, 'write', signal);
      const check = failure.kind === 'uncertain'
        ? { id: ' Komentar itu mungkin sudah terkirim; periksa dulu sebelum menulisnya di YouTube.', en: ' It may have gone out; check before writing it on YouTube.' }
        : { id: ' Tulis komentar itu langsung di YouTube.', en: ' Write that comment directly on YouTube.' };
      result.notice = {
        id: `Video sudah tayang, tetapi komentar pertama tidak terkirim: ${failure.reason.id}${check.id}`,
        en: `The video is live, but the first comment was not sent: ${failure.reason.en}${check.en}`,
      };
    }
    return result;
  };

  const connector: Connector & { readonly verifiable: true } = {
    network: 'youtube',
    defaultBaseUrl: YOUTUBE_API_ROOT,
    idempotent: false,
    verifiable: true,
    oauth: { ...flow, exchangeCode: (input) => call('read', input.signal, () => flow.exchangeCode(input)) },

    async publish(request) {
      const { signal } = request;
      const metadata = videoMetadata(request);
      const file = pickVideo(request.media);
      const refreshed = await freshCredentials(request);
      const client = clientFor(http, root(request.channel.baseUrl), refreshed ?? request.credentials);

      // A retry may follow an attempt whose upload went through (its answer lost): look first.
      let videoId = request.attempt > 1
        ? await call('read', signal, () => findUploadedVideo(client, metadata, request.firstAttemptAt, signal))
        : null;
      const found = videoId !== null;
      const privacyStatus = options.privacyStatus ?? 'public';
      let locked: Reason | undefined;
      if (!videoId) {
        const bytes = await file.read();
        const video = await uploadVideo({
          client: { ...client, http: uploadHttp },
          bytes,
          mime: file.mime,
          metadata,
          privacyStatus,
          categoryId: options.categoryId ?? '25',
          language: options.language ?? 'id',
          signal,
        });
        videoId = video.id;
        await awaitProcessing(client, video, { ...processing, now, signal });
        // Google keeps uploads from unverified API projects private, whatever was asked.
        if (video.status?.privacyStatus && video.status.privacyStatus !== privacyStatus) {
          locked = {
            id: `YouTube menyimpan video ini sebagai "${video.status.privacyStatus}", bukan "${privacyStatus}" (proyek API Google Siar belum diverifikasi untuk unggahan publik). Ubah visibilitasnya di YouTube Studio bila perlu.`,
            en: `YouTube keeps this video "${video.status.privacyStatus}", not "${privacyStatus}" (Siar's Google API project is not verified for public uploads). Change its visibility in YouTube Studio if needed.`,
          };
        }
      }
      const result = await complete(client, videoId, request, found);
      if (locked) result.notice = result.notice ? { id: `${locked.id} ${result.notice.id}`, en: `${locked.en} ${result.notice.en}` } : locked;
      return refreshed ? { ...result, refreshedCredentials: refreshed } : result;
    },

    async findPublished(request) {
      const { signal } = request;
      const metadata = videoMetadata(request);
      const client = clientFor(http, root(request.channel.baseUrl), request.credentials);
      const videoId = await call('read', signal, () => findUploadedVideo(client, metadata, request.firstAttemptAt, signal));
      if (!videoId) return null;
      // The video is there; a first comment that is not yet is added now (see `complete`).
      return complete(client, videoId, request, true);
    },

    async remove(request) {
      const { signal } = request;
      const client = clientFor(http, root(request.channel.baseUrl), request.credentials);
      const videos = request.parts.filter((p) => isVideoId(p.externalId));
      // Comments go with their video; on their own (no video part) they are deleted one by one.
      const targets = videos.length > 0
        ? videos.map((p) => ({ path: '/youtube/v3/videos', id: p.externalId }))
        : request.parts.map((p) => ({ path: '/youtube/v3/comments', id: p.externalId }));
      for (const target of targets) {
        try {
          await call('read', signal, () => api(client, 'DELETE', target.path, { query: { id: target.id }, signal }));
        } catch (error) {
          // Already gone (deleted in YouTube Studio, or a repeated remove): nothing left to do.
          if (error instanceof ConnectorError && error.code === 'not_found') continue;
          throw error;
        }
      }
    },

    async refresh(request) {
      return call('read', request.signal, () => refreshGoogleToken(http, root(request.channel.baseUrl), request.credentials, request.signal, now()));
    },

    async capabilities(): Promise<AccountCapabilities> {
      // YouTube publishes no per-channel quota: the project's daily units are shared by all channels.
      return {
        maxCharacters: 5_000,
        maxMedia: 1,
        mediaKinds: ['video'],
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
      const { signal } = request;
      const client = clientFor(http, root(request.channel.baseUrl), request.credentials);
      const answer = await call('read', signal, () => api<ListAnswer<VideoResource>>(client, 'GET', '/youtube/v3/videos', { query: { part: 'statistics', id: request.post.externalId }, signal }));
      const video = answer.items?.[0];
      if (!video) {
        throw new ConnectorError('permanent', 'not_found', {
          id: 'Video ini sudah tidak ada di YouTube (mungkin dihapus).',
          en: 'This video is no longer on YouTube (perhaps deleted).',
        });
      }
      const stats = video.statistics ?? {};
      return { likes: count(stats.likeCount), reposts: null, replies: count(stats.commentCount), quotes: null, views: count(stats.viewCount), fetchedAt: new Date(now()).toISOString() };
    },

    async fetchComments(request) {
      const { signal } = request;
      const client = clientFor(http, root(request.channel.baseUrl), request.credentials);
      return call('read', signal, () => listComments(client, request.post.externalId, request.channel.externalAccountId, request.since, signal));
    },

    async reply(request) {
      const { signal } = request;
      const client = clientFor(http, root(request.channel.baseUrl), request.credentials);
      const text = withoutAngleBrackets(request.text);
      return call('write', signal, () => isVideoId(request.inReplyTo)
        ? postTopLevelComment(client, request.inReplyTo, text, signal)
        : postReply(client, request.inReplyTo, text, null, signal));
    },

    async edit(request) {
      const { signal } = request;
      const client = clientFor(http, root(request.channel.baseUrl), request.credentials);
      for (const [index, part] of request.parts.entries()) {
        const text = request.texts[index];
        if (text === undefined) continue;
        if (!isVideoId(part.externalId)) {
          await call('read', signal, () => api(client, 'PUT', '/youtube/v3/comments', {
            query: { part: 'snippet' },
            json: { id: part.externalId, snippet: { textOriginal: withoutAngleBrackets(text) } },
            signal,
          }));
          continue;
        }
        const answer = await call('read', signal, () => api<ListAnswer<VideoResource>>(client, 'GET', '/youtube/v3/videos', { query: { part: 'snippet', id: part.externalId }, signal }));
        const snippet = answer.items?.[0]?.snippet;
        if (!snippet) {
          throw new ConnectorError('permanent', 'not_found', {
            id: 'Video ini sudah tidak ada di YouTube (mungkin dihapus).',
            en: 'This video is no longer on YouTube (perhaps deleted).',
          });
        }
        const metadata = videoMetadata({ title: request.title ?? snippet.title ?? null, parts: [text] });
        // videos.update replaces the whole snippet: what is not sent again (category, tags) is lost.
        await call('read', signal, () => api(client, 'PUT', '/youtube/v3/videos', {
          query: { part: 'snippet' },
          json: {
            id: part.externalId,
            snippet: {
              title: metadata.title,
              description: metadata.description,
              categoryId: snippet.categoryId ?? options.categoryId ?? '25',
              ...(snippet.tags ? { tags: snippet.tags } : {}),
              ...(snippet.defaultLanguage ? { defaultLanguage: snippet.defaultLanguage } : {}),
            },
          },
          signal,
        }));
      }
    },

    async verify(request) {
      const client = clientFor(http, root(request.channel.baseUrl), request.credentials);
      const channel = await call('read', request.signal, () => myChannel(client, request.signal));
      const name = channel.snippet?.title ?? channel.id;
      const thumbnails = channel.snippet?.thumbnails ?? {};
      return {
        externalAccountId: channel.id,
        handle: channel.snippet?.customUrl ?? name,
        name,
        avatarUrl: thumbnails.default?.url ?? thumbnails.medium?.url ?? null,
      };
    },
  };
  return connector;
}

export const youtubeConnector = createYouTubeConnector();
