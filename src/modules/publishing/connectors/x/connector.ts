/**
 * X connector (API v2 through twitter-api-v2). Owns: checking each part against X's weighted
 * 280-character count (twitter-text), uploading images/GIF/video with alt text, posting a thread
 * as a chain of replies (the first comment as its last reply), deleting, reading counts and
 * replies, answering replies, and finding its own posts after an uncertain outcome.
 *
 * Exactly once: X has no idempotency key, so the connector is not idempotent. After an uncertain
 * outcome `findPublished` reads the account's posts since the first attempt and matches the exact
 * text and the reply chain (find-thread.ts). Every retry (attempt > 1) looks first and only sends
 * the parts not already there, so a thread cut off halfway is completed, never restarted. X's
 * "duplicate content" refusal on a retry is a strong sign the part went out: the connector looks
 * again and adopts the post when it finds it, and only otherwise reports the refusal.
 *
 * Not here: edits (X offers none to API clients); link cards (X reads the page's Open Graph tags
 * itself); refreshing before a call (X rotates refresh tokens, and only the engine's `refresh`
 * stores the new one: a token renewed here and then lost with a failed publish would lock the
 * channel out).
 */
import twitter from 'twitter-text';
import type { SendTweetV2Params, TweetV2, TweetV2UserTimelineResult, Tweetv2SearchResult, UserV2 } from 'twitter-api-v2';
import { ConnectorError } from '../../connector.ts';
import type { AccountCapabilities, Connector, ConnectorChannel, Credentials, IncomingComment, OAuthClient, OutgoingMedia, PublishRequest, PublishResult, PublishedPart } from '../../connector.ts';
import { assertNotCancelled } from '../failure.ts';
import type { Exchange } from '../failure.ts';
import { outgoingTexts } from '../parts.ts';
import { apiRoot, isProduction, X_API_ROOT, xSession } from './client.ts';
import type { XSession } from './client.ts';
import { xFailure } from './errors.ts';
import { matchThread, repliesTo, sameTweetText, startTime } from './find-thread.ts';
import type { XTweet } from './find-thread.ts';
import { tokenRequest, xOAuth } from './oauth.ts';

const MAX_IMAGES = 4;
const MAX_ALT = 1_000;
/** Pages of 100 recent posts read when looking for our own (a busy account posts far fewer per hour). */
const MAX_TIMELINE_PAGES = 3;
const MAX_REPLY_PAGES = 5;
const SEARCH_REACH_MS = 7 * 24 * 3_600_000 - 10 * 60_000;
const TWEET_FIELDS = ['created_at', 'author_id', 'conversation_id', 'referenced_tweets', 'entities', 'public_metrics'];

export interface XConnectorOptions {
  requestTimeoutMs?: number;
  /** The registered app, for renewing tokens; else the clientId stored with the credentials at sign-in. */
  oauthClient?: () => Pick<OAuthClient, 'clientId' | 'clientSecret'> | null;
  /** Public address of a post. */
  postUrl?: (handle: string, id: string, root: string) => string;
}

function missingToken(): ConnectorError {
  return new ConnectorError('auth', 'missing_credentials', {
    id: 'Token akses X belum tersimpan untuk kanal ini. Sambungkan ulang kanal.',
    en: 'No X access token is stored for this channel. Reconnect the channel.',
  });
}

function tooLong(index: number, weighted: number): ConnectorError {
  const which = index === 0 ? '' : ` (bagian ${index + 1})`;
  const whichEn = index === 0 ? '' : ` (part ${index + 1})`;
  return new ConnectorError('permanent', 'text_too_long', {
    id: `Teks untuk X terlalu panjang${which}: ${weighted} dari 280 karakter berbobot (tautan dihitung 23, emoji dan huruf CJK dihitung 2).`,
    en: `The text for X is too long${whichEn}: ${weighted} of 280 weighted characters (a link counts 23, emoji and CJK count 2).`,
  });
}

export function createXConnector(options: XConnectorOptions = {}): Connector & { readonly verifiable: true } {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  // Practice accounts link to the sandbox, which answers X's permalink paths with the account's page.
  const postUrl = options.postUrl ?? ((handle: string, id: string, root: string) => {
    const site = isProduction(root) ? 'https://x.com' : root;
    return handle ? `${site}/${handle}/status/${id}` : `${site}/i/web/status/${id}`;
  });

  const open = (channel: ConnectorChannel, credentials: Credentials, signal: AbortSignal): XSession => {
    if (!credentials.accessToken) throw missingToken();
    return xSession(apiRoot(channel), credentials.accessToken, signal, requestTimeoutMs);
  };

  /** Runs one library call and maps whatever it throws; `write` marks a call whose loss could duplicate a post. */
  const call = async <T>(session: XSession, exchange: Exchange, run: () => Promise<T>): Promise<T> => {
    assertNotCancelled(session.signal);
    session.timedOut = false;
    try {
      return await run();
    } catch (error) {
      throw xFailure(error, exchange, session.signal, session.timedOut);
    }
  };

  const userIdOf = async (session: XSession, channel: ConnectorChannel): Promise<string> => {
    if (channel.externalAccountId) return channel.externalAccountId;
    const me = await call(session, 'read', () => session.api.me());
    return me.data.id;
  };

  const handleOf = (channel: ConnectorChannel): string => channel.handle.replace(/^@/, '');
  const partOf = (channel: ConnectorChannel, id: string): PublishedPart => ({ externalId: id, url: postUrl(handleOf(channel), id, apiRoot(channel)) });
  const toResult = (channel: ConnectorChannel, ids: string[]): PublishResult => {
    const parts = ids.map((id) => partOf(channel, id));
    return { externalId: parts[0]!.externalId, url: parts[0]!.url, parts };
  };

  /** The account's posts since the first attempt (minus clock skew), newest first, a few pages deep. */
  const recentPosts = async (session: XSession, userId: string, since: Date): Promise<XTweet[]> => {
    const posts: XTweet[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_TIMELINE_PAGES; page++) {
      const answer = await call(session, 'read', () => session.api.get<TweetV2UserTimelineResult>('users/:id/tweets', {
        start_time: startTime(since),
        max_results: 100,
        'tweet.fields': TWEET_FIELDS.join(','),
        ...(token ? { pagination_token: token } : {}),
      }, { params: { id: userId } }));
      posts.push(...(answer.data ?? []) as XTweet[]);
      token = answer.meta?.next_token;
      if (!token) break;
    }
    return posts;
  };

  const findParts = async (session: XSession, request: PublishRequest, texts: string[]): Promise<string[]> => {
    const userId = await userIdOf(session, request.channel);
    const recent = await recentPosts(session, userId, request.firstAttemptAt);
    return matchThread(recent, texts, request.firstAttemptAt).map((t) => t.id);
  };

  const upload = async (session: XSession, media: OutgoingMedia): Promise<string> => {
    const bytes = await media.read();
    // An upload lost and repeated only leaves an unattached file that X discards: never "uncertain".
    const id = await call(session, 'read', async () => {
      try {
        // The library types media_type as its list of known MIME types; X decides what it takes.
        return await session.api.uploadMedia(bytes, { media_type: media.mime as Parameters<XSession['api']['uploadMedia']>[1]['media_type'] });
      } catch (error) {
        // The library's own wait for video processing reports a failed transcode as a plain Error.
        if (error instanceof Error && /^Media processing failed/.test(error.message)) {
          throw new ConnectorError('permanent', 'media_rejected', {
            id: `X gagal memproses media ini (format atau isinya tidak diterima). X: "${error.message.slice(0, 200)}"`,
            en: `X could not process this media (format or content not accepted). X: "${error.message.slice(0, 200)}"`,
          }, { cause: error });
        }
        throw error;
      }
    });
    const alt = media.alt.trim();
    // X takes alt text for images and GIFs only.
    if (alt && media.mime.startsWith('image/')) {
      await call(session, 'read', () => session.api.createMediaMetadata(id, { alt_text: { text: alt.slice(0, MAX_ALT) } }));
    }
    return id;
  };

  const checkMedia = (media: OutgoingMedia[]): void => {
    const images = media.filter((m) => m.mime.startsWith('image/') && m.mime !== 'image/gif');
    const others = media.length - images.length;
    if (images.length > MAX_IMAGES || others > 1 || (others === 1 && images.length > 0)) {
      throw new ConnectorError('permanent', 'media_unsupported', {
        id: 'X menerima 1–4 gambar, atau satu GIF, atau satu video per postingan; jenisnya tidak boleh dicampur.',
        en: 'X takes 1–4 images, or one GIF, or one video per post; kinds cannot be mixed.',
      });
    }
  };

  /** One post (a reply when `parent` is given); X's "duplicate" after a retry is checked against the account. */
  const sendPart = async (session: XSession, text: string, parent: string | null, mediaIds: string[]): Promise<string> => {
    const payload: SendTweetV2Params = {
      // X takes a post with media and no words; an empty text field would be refused.
      ...(text !== '' ? { text } : {}),
      ...(parent ? { reply: { in_reply_to_tweet_id: parent } } : {}),
      ...(mediaIds.length > 0 ? { media: { media_ids: mediaIds as [string] } } : {}),
    };
    const created = await call(session, 'write', () => session.api.tweet(payload));
    return created.data.id;
  };

  const connector: Connector & { readonly verifiable: true } = {
    network: 'x',
    defaultBaseUrl: X_API_ROOT,
    idempotent: false,
    verifiable: true,
    oauth: xOAuth(requestTimeoutMs),

    async publish(request) {
      const texts = outgoingTexts(request);
      if (texts.length === 0 && request.media.length === 0) {
        throw new ConnectorError('permanent', 'text_empty', { id: 'Tidak ada teks atau media untuk dikirim ke X.', en: 'There is no text or media to send to X.' });
      }
      if (texts.length === 0) texts.push('');
      for (const [index, text] of texts.entries()) {
        const parsed = twitter.parseTweet(text);
        if (parsed.weightedLength > 280) throw tooLong(index, parsed.weightedLength);
      }
      checkMedia(request.media);
      const session = open(request.channel, request.credentials, request.signal);

      // A retry never repeats what an earlier attempt already put on the account.
      const published = request.attempt > 1 ? await findParts(session, request, texts) : [];
      const mediaIds: string[] = [];
      if (published.length === 0) {
        for (const media of request.media) mediaIds.push(await upload(session, media));
      }
      for (let index = published.length; index < texts.length; index++) {
        const parent = published[index - 1] ?? null;
        try {
          published.push(await sendPart(session, texts[index]!, parent, index === 0 ? mediaIds : []));
        } catch (error) {
          if (!(error instanceof ConnectorError && error.code === 'duplicate_content' && request.attempt > 1)) throw error;
          // After an uncertain attempt X's "duplicate" usually means this very part went out:
          // adopt it when the account shows it, chained where it belongs; else report the refusal.
          const found = await findParts(session, request, texts.slice(0, index + 1));
          if (found.length <= index) throw error;
          published.splice(0, published.length, ...found);
        }
      }
      const result = toResult(request.channel, published);
      return session.rateWindow ? { ...result, rateWindow: session.rateWindow } : result;
    },

    async findPublished(request) {
      const texts = outgoingTexts(request);
      if (texts.length === 0) texts.push('');
      const session = open(request.channel, request.credentials, request.signal);
      const found = await findParts(session, request, texts);
      // Only a whole thread counts as published; a partial one is completed by the next publish,
      // which looks first and sends only the missing parts.
      return found.length === texts.length ? toResult(request.channel, found) : null;
    },

    async remove(request) {
      const session = open(request.channel, request.credentials, request.signal);
      // Replies first, so that a thread never shows a dangling "replying to a deleted post".
      for (const part of [...request.parts].reverse()) {
        try {
          await call(session, 'read', () => session.api.deleteTweet(part.externalId));
        } catch (error) {
          // Already gone (deleted by hand, or an earlier attempt that lost its answer): done.
          if (error instanceof ConnectorError && error.status === 404) continue;
          throw error;
        }
      }
    },

    async refresh(request) {
      const refreshToken = request.credentials.refreshToken;
      const client = options.oauthClient?.()
        ?? (request.credentials.clientId ? { clientId: request.credentials.clientId, clientSecret: null } : null)
        // A practice account made by the sandbox carries no client id, and the sandbox accepts any.
        ?? (isProduction(apiRoot(request.channel)) ? null : { clientId: 'siar-sandbox', clientSecret: null });
      if (!refreshToken || !client) {
        throw new ConnectorError('auth', 'cannot_refresh', {
          id: 'Token X kanal ini tidak bisa diperbarui otomatis (tidak ada token penyegaran). Sambungkan ulang kanal.',
          en: 'This channel\'s X token cannot be renewed automatically (no refresh token). Reconnect the channel.',
        });
      }
      const renewed = await tokenRequest({
        root: apiRoot(request.channel),
        client,
        params: { grant_type: 'refresh_token', refresh_token: refreshToken },
        signal: request.signal,
        timeoutMs: requestTimeoutMs,
      });
      // X rotates the refresh token; keep the old one only if X sent none.
      return { ...request.credentials, ...renewed, refreshToken: renewed.refreshToken ?? refreshToken };
    },

    async verify(request) {
      const session = open(request.channel, request.credentials, request.signal);
      const me = await call(session, 'read', () => session.api.me({ 'user.fields': ['profile_image_url', 'name', 'username'] }));
      const user: UserV2 = me.data;
      return { externalAccountId: user.id, handle: `@${user.username}`, name: user.name || user.username, avatarUrl: user.profile_image_url ?? null };
    },

    async capabilities(): Promise<AccountCapabilities> {
      // X reports no posting quota to read: its 100 posts / 15 min and 24-hour caps show only as
      // rate-limit headers on the posting answers themselves.
      return {
        maxCharacters: 280,
        maxMedia: MAX_IMAGES,
        mediaKinds: ['image', 'gif', 'video'],
        postsRemaining: null,
        postsWindowHours: null,
        canEdit: false,
        canDelete: true,
        canReadComments: true,
        canReply: true,
        canReadMetrics: true,
      };
    },

    async fetchMetrics(request) {
      const session = open(request.channel, request.credentials, request.signal);
      const answer = await call(session, 'read', () => session.api.singleTweet(request.post.externalId, { 'tweet.fields': ['public_metrics'] }));
      const m = answer.data.public_metrics;
      return {
        likes: m?.like_count ?? null,
        reposts: m?.retweet_count ?? null,
        replies: m?.reply_count ?? null,
        quotes: m?.quote_count ?? null,
        views: m?.impression_count ?? null,
        fetchedAt: new Date().toISOString(),
      };
    },

    async fetchComments(request) {
      const session = open(request.channel, request.credentials, request.signal);
      const own = new Set((request.parts ?? [request.post]).map((p) => p.externalId));
      const ownAccount = request.channel.externalAccountId;
      const comments: IncomingComment[] = [];
      let token: string | undefined;
      // Every reply in a thread's conversation carries the first part's id as conversation_id.
      for (let page = 0; page < MAX_REPLY_PAGES; page++) {
        const answer = await call(session, 'read', () => session.api.get<Tweetv2SearchResult>('tweets/search/recent', {
          query: `conversation_id:${request.post.externalId}`,
          max_results: 100,
          'tweet.fields': TWEET_FIELDS.join(','),
          expansions: 'author_id',
          'user.fields': 'username,name,profile_image_url',
          // Recent search reaches back 7 days and refuses an older start_time.
          ...(request.since && request.since.getTime() > Date.now() - SEARCH_REACH_MS ? { start_time: new Date(Math.floor(request.since.getTime() / 1000) * 1000 + 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
          ...(token ? { next_token: token } : {}),
        }));
        const users = new Map((answer.includes?.users ?? []).map((u) => [u.id, u]));
        for (const tweet of (answer.data ?? []) as (TweetV2 & XTweet)[]) {
          if (own.has(tweet.id)) continue;
          if (request.since && tweet.created_at && Date.parse(tweet.created_at) <= request.since.getTime()) continue;
          const author = users.get(tweet.author_id ?? '');
          comments.push({
            externalId: tweet.id,
            inReplyTo: repliesTo(tweet) ?? request.post.externalId,
            author: {
              externalId: tweet.author_id ?? '',
              handle: author ? `@${author.username}` : (tweet.author_id ?? ''),
              name: author?.name ?? null,
              avatarUrl: author?.profile_image_url ?? null,
            },
            text: tweet.text,
            createdAt: tweet.created_at ?? new Date().toISOString(),
            url: postUrl(author?.username ?? '', tweet.id, apiRoot(request.channel)),
            own: ownAccount !== null && tweet.author_id === ownAccount,
            likes: tweet.public_metrics?.like_count ?? null,
          });
        }
        token = answer.meta?.next_token;
        if (!token) break;
      }
      // Oldest first; replies within one second (X's created_at has no finer grain) by their ids,
      // which X hands out in time order.
      const byId = (a: string, b: string) => (a.length - b.length) || (a < b ? -1 : a > b ? 1 : 0);
      return comments.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || byId(a.externalId, b.externalId));
    },

    async reply(request) {
      const session = open(request.channel, request.credentials, request.signal);
      try {
        return partOf(request.channel, await sendPart(session, request.text, request.inReplyTo, []));
      } catch (error) {
        if (!(error instanceof ConnectorError && error.code === 'duplicate_content')) throw error;
        // A retried reply whose first try went out: X calls it a duplicate; find and return it.
        const userId = await userIdOf(session, request.channel);
        const recent = await recentPosts(session, userId, new Date(Date.now() - 60 * 60_000));
        const mine = recent.find((t) => repliesTo(t) === request.inReplyTo && sameTweetText(t, request.text));
        if (!mine) throw error;
        return partOf(request.channel, mine.id);
      }
    },
  };
  return connector;
}

export const xConnector = createXConnector();
