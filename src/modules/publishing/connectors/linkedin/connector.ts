/**
 * LinkedIn connector (Posts API, versioned REST, plain fetch). Owns: escaping the commentary's
 * "little text" characters, uploading images (initializeUpload, then PUT of the bytes) with alt
 * text, a link card when the post has a title and a link, the parts after the first and the first
 * comment as the author's own comments under the post (LinkedIn has no threads), editing the
 * commentary, deleting, counts, comments and replies, and finding its own post after an uncertain
 * outcome.
 *
 * A channel publishes as a LinkedIn member (`urn:li:person:…`) or, usually for a government unit,
 * as an organisation Page (`urn:li:organization:…`); `externalAccountId` holds that author URN.
 *
 * Exactly once: LinkedIn has no idempotency key, so the connector is not idempotent.
 * `findPublished` reads the author's posts (newest first) and takes the one made since the first
 * attempt with our commentary, then our comments under it in order. Every retry (attempt > 1)
 * looks first and only sends what is missing. LinkedIn's "Content is a duplicate of urn:li:share:…"
 * refusal on a retry names the post: the connector reads it and adopts it when it is ours.
 *
 * Not here: video (LinkedIn's separate Videos API); a link card's description and thumbnail (they
 * will come from the portal's Open Graph data); refreshing before a call (only the engine's
 * `refresh` stores renewed credentials).
 */
import { ConnectorError } from '../../connector.ts';
import type { AccountCapabilities, Connector, ConnectorChannel, Credentials, IncomingComment, OAuthClient, OutgoingMedia, PublishRequest, PublishResult, PublishedPart } from '../../connector.ts';
import { assertNotCancelled } from '../failure.ts';
import type { Exchange } from '../failure.ts';
import { outgoingTexts } from '../parts.ts';
import { duplicateOf, linkedinFailure } from './errors.ts';
import { commentUrnOf, CLOCK_SKEW_MS, createdAtOf, matchComments, matchPost } from './find-post.ts';
import type { LinkedInComment, LinkedInPost } from './find-post.ts';
import { apiRoot, isProduction, encodeUrn, LINKEDIN_API_ROOT, LINKEDIN_VERSION, linkedinRequest } from './http.ts';
import type { LinkedInContext } from './http.ts';
import { toLittleText } from './little-text.ts';
import { linkedinOAuth, memberOf, organizationOf, tokenRequest } from './oauth.ts';

const MAX_CHARACTERS = 3_000;
const MAX_IMAGES = 20;
const MAX_ALT = 4_086;
const RECENT_PAGE = 50;
const MAX_RECENT_PAGES = 2;
const COMMENT_PAGE = 100;

export interface LinkedInConnectorOptions {
  requestTimeoutMs?: number;
  /** LinkedIn-Version header (YYYYMM). */
  apiVersion?: string;
  /** The registered app (with its secret), for renewing tokens where LinkedIn issued a refresh token. */
  oauthClient?: () => Pick<OAuthClient, 'clientId' | 'clientSecret'> | null;
}

export function postUrl(urn: string): string {
  return `https://www.linkedin.com/feed/update/${urn}/`;
}

export function createLinkedInConnector(options: LinkedInConnectorOptions = {}): Connector & { readonly verifiable: true } {
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const version = options.apiVersion ?? LINKEDIN_VERSION;

  const open = (channel: ConnectorChannel, credentials: Credentials, signal: AbortSignal): LinkedInContext => {
    if (!credentials.accessToken) {
      throw new ConnectorError('auth', 'missing_credentials', {
        id: 'Token akses LinkedIn belum tersimpan untuk kanal ini. Sambungkan ulang kanal.',
        en: 'No LinkedIn access token is stored for this channel. Reconnect the channel.',
      });
    }
    return { root: apiRoot(channel.baseUrl), accessToken: credentials.accessToken, version, signal, timeoutMs };
  };

  const call = async <T>(ctx: LinkedInContext, exchange: Exchange, run: () => Promise<T>): Promise<T> => {
    assertNotCancelled(ctx.signal);
    try {
      return await run();
    } catch (error) {
      throw linkedinFailure(error, exchange, ctx.signal);
    }
  };

  /** The author URN the channel publishes as. */
  const authorOf = async (ctx: LinkedInContext, channel: ConnectorChannel): Promise<string> => {
    const id = channel.externalAccountId;
    if (id?.startsWith('urn:li:')) return id;
    // A bare id: the member's own OpenID `sub`, else a Page's numeric id.
    const member = await memberOf(ctx);
    return !id || id === member.sub ? `urn:li:person:${member.sub}` : `urn:li:organization:${id}`;
  };

  const recentPosts = async (ctx: LinkedInContext, author: string, since: Date): Promise<LinkedInPost[]> => {
    const posts: LinkedInPost[] = [];
    const from = since.getTime() - CLOCK_SKEW_MS;
    for (let page = 0; page < MAX_RECENT_PAGES; page++) {
      const { data } = await call(ctx, 'read', () => linkedinRequest<{ elements?: LinkedInPost[] }>(ctx, 'GET', '/rest/posts', {
        query: { author, q: 'author', count: RECENT_PAGE, start: page * RECENT_PAGE, sortBy: 'LAST_MODIFIED' },
      }));
      const elements = data?.elements ?? [];
      posts.push(...elements);
      // Newest first: once a page reaches back before the first attempt, older pages cannot hold ours.
      if (elements.length < RECENT_PAGE || elements.some((p) => (createdAtOf(p) ?? Infinity) < from)) break;
    }
    return posts;
  };

  const commentsUnder = async (ctx: LinkedInContext, urn: string): Promise<LinkedInComment[]> => {
    const comments: LinkedInComment[] = [];
    for (let start = 0; start < 5 * COMMENT_PAGE; start += COMMENT_PAGE) {
      const { data } = await call(ctx, 'read', () => linkedinRequest<{ elements?: LinkedInComment[] }>(ctx, 'GET', `/rest/socialActions/${encodeUrn(urn)}/comments`, {
        query: { count: COMMENT_PAGE, start },
      }));
      const elements = data?.elements ?? [];
      comments.push(...elements);
      if (elements.length < COMMENT_PAGE) break;
    }
    return comments;
  };

  /** What an earlier attempt already put on LinkedIn: the post and the prefix of our comments under it. */
  const findExisting = async (ctx: LinkedInContext, author: string, request: PublishRequest, texts: string[]): Promise<string[]> => {
    const post = matchPost(await recentPosts(ctx, author, request.firstAttemptAt), texts[0]!, request.firstAttemptAt, author);
    if (!post) return [];
    if (texts.length === 1) return [post.id];
    const comments = matchComments(await commentsUnder(ctx, post.id), texts.slice(1), author);
    return [post.id, ...comments.map((c) => commentUrnOf(c, post.id))];
  };

  /** A refused duplicate on a retry names the post it duplicates: ours if made since the first attempt. */
  const adoptDuplicate = async (ctx: LinkedInContext, error: ConnectorError, author: string, request: PublishRequest, text: string): Promise<string | undefined> => {
    const urn = duplicateOf(error);
    if (!urn) return undefined;
    const { data } = await call(ctx, 'read', () => linkedinRequest<LinkedInPost>(ctx, 'GET', `/rest/posts/${encodeUrn(urn)}`));
    if (!data) return undefined;
    return matchPost([{ ...data, id: data.id ?? urn }], text, request.firstAttemptAt, author) ? urn : undefined;
  };

  const upload = async (ctx: LinkedInContext, author: string, media: OutgoingMedia): Promise<string> => {
    const bytes = new Uint8Array(await media.read());
    // An image uploaded twice is only an unused image: nobody sees it, so this is never "uncertain".
    const { data } = await call(ctx, 'read', () => linkedinRequest<{ value?: { uploadUrl?: string; image?: string } }>(ctx, 'POST', '/rest/images', {
      query: { action: 'initializeUpload' },
      json: { initializeUploadRequest: { owner: author } },
    }));
    const target = data?.value;
    if (!target?.uploadUrl || !target.image) {
      throw new ConnectorError('transient', 'unreadable_response', {
        id: 'LinkedIn tidak memberi alamat unggah gambar; akan dicoba lagi.',
        en: 'LinkedIn gave no image upload address; will try again.',
      });
    }
    await call(ctx, 'read', () => linkedinRequest(ctx, 'PUT', target.uploadUrl!, { bytes, contentType: media.mime, unversioned: true }));
    return target.image;
  };

  const contentFor = async (ctx: LinkedInContext, author: string, request: PublishRequest, text: string): Promise<Record<string, unknown> | undefined> => {
    if (request.media.length > 0) {
      if (request.media.some((m) => !m.mime.startsWith('image/')) || request.media.length > MAX_IMAGES) {
        throw new ConnectorError('permanent', 'media_unsupported', {
          id: 'LinkedIn dari Siar saat ini hanya menerima 1–20 gambar; video belum didukung.',
          en: 'LinkedIn from Siar currently takes 1–20 images; video is not supported yet.',
        });
      }
      const images: { id: string; altText?: string }[] = [];
      for (const media of request.media) {
        const id = await upload(ctx, author, media);
        images.push({ id, ...(media.alt.trim() ? { altText: media.alt.trim().slice(0, MAX_ALT) } : {}) });
      }
      return images.length === 1 ? { media: images[0] } : { multiImage: { images } };
    }
    // LinkedIn builds no card from a link in the text: the post carries it as an article.
    const link = /https?:\/\/[^\s<>()]+/.exec(text)?.[0]?.replace(/[.,;:!?]+$/, '');
    if (link && request.title) return { article: { source: link, title: request.title } };
    return undefined;
  };

  const sendComment = async (ctx: LinkedInContext, author: string, target: string, text: string, exchange: Exchange): Promise<string> => {
    // A comment's parent is a post, or a comment `urn:li:comment:(<post>,<id>)` under that post.
    const parentComment = target.startsWith('urn:li:comment:') ? target : undefined;
    const object = parentComment ? /^urn:li:comment:\((.+),[^,]+\)$/.exec(parentComment)?.[1] ?? target : target;
    const answer = await call(ctx, exchange, () => linkedinRequest<LinkedInComment>(ctx, 'POST', `/rest/socialActions/${encodeUrn(target)}/comments`, {
      json: { actor: author, object, message: { text }, ...(parentComment ? { parentComment } : {}) },
    }));
    const header = answer.headers.get('x-restli-id');
    if (answer.data?.$URN || answer.data?.commentUrn) return commentUrnOf(answer.data, object);
    if (header?.startsWith('urn:')) return header;
    if (answer.data?.id || header) return commentUrnOf({ id: answer.data?.id ?? header! }, object);
    throw new ConnectorError(exchange === 'write' ? 'uncertain' : 'transient', 'unreadable_response', {
      id: 'LinkedIn menerima komentar tetapi tidak menyebut alamatnya.',
      en: 'LinkedIn took the comment but did not name it.',
    }, { status: answer.status });
  };

  const toResult = (urns: string[]): PublishResult => {
    const post = urns[0]!;
    const parts: PublishedPart[] = urns.map((urn, index) => ({ externalId: urn, url: index === 0 ? postUrl(urn) : null }));
    return { externalId: post, url: postUrl(post), parts };
  };

  const connector: Connector & { readonly verifiable: true } = {
    network: 'linkedin',
    defaultBaseUrl: LINKEDIN_API_ROOT,
    idempotent: false,
    verifiable: true,
    oauth: linkedinOAuth(timeoutMs, version),

    async publish(request) {
      const texts = outgoingTexts(request);
      if (texts.length === 0 && request.media.length === 0) {
        throw new ConnectorError('permanent', 'text_empty', { id: 'Tidak ada teks atau gambar untuk dikirim ke LinkedIn.', en: 'There is no text or image to send to LinkedIn.' });
      }
      if (texts.length === 0) texts.push('');
      const length = [...texts[0]!].length;
      if (length > MAX_CHARACTERS) {
        throw new ConnectorError('permanent', 'text_too_long', {
          id: `Teks untuk LinkedIn terlalu panjang: ${length} dari ${MAX_CHARACTERS} karakter.`,
          en: `The text for LinkedIn is too long: ${length} of ${MAX_CHARACTERS} characters.`,
        });
      }
      const ctx = open(request.channel, request.credentials, request.signal);
      const author = await authorOf(ctx, request.channel);

      const published = request.attempt > 1 ? await findExisting(ctx, author, request, texts) : [];
      if (published.length === 0) {
        const content = await contentFor(ctx, author, request, texts[0]!);
        try {
          const answer = await call(ctx, 'write', () => linkedinRequest<{ id?: string }>(ctx, 'POST', '/rest/posts', {
            json: {
              author,
              commentary: toLittleText(texts[0]!),
              visibility: 'PUBLIC',
              distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
              ...(content ? { content } : {}),
              lifecycleState: 'PUBLISHED',
              isReshareDisabledByAuthor: false,
            },
          }));
          const urn = answer.headers.get('x-restli-id') ?? answer.data?.id;
          if (!urn) {
            throw new ConnectorError('uncertain', 'unreadable_response', {
              id: 'LinkedIn menerima postingan tetapi tidak menyebut alamatnya; Siar memeriksa akun sebelum mencoba lagi.',
              en: 'LinkedIn took the post but did not name it; Siar checks the account before trying again.',
            }, { status: answer.status });
          }
          published.push(urn);
        } catch (error) {
          if (!(error instanceof ConnectorError && error.code === 'duplicate_content' && request.attempt > 1)) throw error;
          const ours = await adoptDuplicate(ctx, error, author, request, texts[0]!);
          if (!ours) throw error;
          published.push(ours);
        }
      }
      for (let index = published.length; index < texts.length; index++) {
        published.push(await sendComment(ctx, author, published[0]!, texts[index]!, 'write'));
      }
      return toResult(published);
    },

    async findPublished(request) {
      const texts = outgoingTexts(request);
      if (texts.length === 0) texts.push('');
      const ctx = open(request.channel, request.credentials, request.signal);
      const author = await authorOf(ctx, request.channel);
      const found = await findExisting(ctx, author, request, texts);
      // Only the post with all its comments counts; a partial one is completed by the next
      // publish, which looks first and sends only the missing comments.
      return found.length === texts.length ? toResult(found) : null;
    },

    async remove(request) {
      const ctx = open(request.channel, request.credentials, request.signal);
      // Deleting the post takes its comments (ours included) with it.
      for (const part of request.parts.filter((p) => !p.externalId.startsWith('urn:li:comment:'))) {
        try {
          await call(ctx, 'read', () => linkedinRequest(ctx, 'DELETE', `/rest/posts/${encodeUrn(part.externalId)}`));
        } catch (error) {
          if (error instanceof ConnectorError && (error.status === 404 || error.status === 410)) continue;
          throw error;
        }
      }
    },

    async edit(request) {
      const ctx = open(request.channel, request.credentials, request.signal);
      const post = request.parts[0];
      const text = request.texts[0];
      if (!post || text === undefined) return;
      // LinkedIn edits a post's commentary only; comments left under it stay as they are.
      await call(ctx, 'write', () => linkedinRequest(ctx, 'POST', `/rest/posts/${encodeUrn(post.externalId)}`, {
        headers: { 'x-restli-method': 'PARTIAL_UPDATE' },
        json: { patch: { $set: { commentary: toLittleText(text) } } },
      }));
    },

    async refresh(request) {
      const client = options.oauthClient?.()
        // A practice account on the sandbox, which accepts any app.
        ?? (isProduction(apiRoot(request.channel.baseUrl)) ? null : { clientId: 'siar-sandbox', clientSecret: 'siar-sandbox-secret' });
      const refreshToken = request.credentials.refreshToken;
      if (!refreshToken || !client?.clientSecret) {
        throw new ConnectorError('auth', 'cannot_refresh', {
          id: 'Token LinkedIn kanal ini tidak bisa diperbarui otomatis (LinkedIn memberi token penyegaran hanya untuk aplikasi mitra). Sambungkan ulang kanal.',
          en: 'This channel\'s LinkedIn token cannot be renewed automatically (LinkedIn issues refresh tokens to partner apps only). Reconnect the channel.',
        });
      }
      const renewed = await tokenRequest({
        root: apiRoot(request.channel.baseUrl),
        client,
        params: { grant_type: 'refresh_token', refresh_token: refreshToken },
        signal: request.signal,
        timeoutMs,
      });
      return { ...request.credentials, ...renewed, refreshToken: renewed.refreshToken ?? refreshToken };
    },

    async verify(request) {
      const ctx = open(request.channel, request.credentials, request.signal);
      const author = await authorOf(ctx, request.channel);
      if (author.startsWith('urn:li:organization:')) {
        const org = await organizationOf(ctx, author);
        return { externalAccountId: author, handle: org.vanityName ?? author, name: org.localizedName ?? org.vanityName ?? author, avatarUrl: null };
      }
      const member = await memberOf(ctx);
      const name = member.name ?? ([member.given_name, member.family_name].filter(Boolean).join(' ') || member.sub);
      return { externalAccountId: `urn:li:person:${member.sub}`, handle: name, name, avatarUrl: member.picture ?? null };
    },

    async capabilities(): Promise<AccountCapabilities> {
      // LinkedIn publishes no quota to read; its ~150 posts a day per member shows only as a 429.
      return {
        maxCharacters: MAX_CHARACTERS,
        maxMedia: MAX_IMAGES,
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
      const ctx = open(request.channel, request.credentials, request.signal);
      const { data } = await call(ctx, 'read', () => linkedinRequest<LinkedInComment>(ctx, 'GET', `/rest/socialActions/${encodeUrn(request.post.externalId)}`));
      return {
        likes: data?.likesSummary?.totalLikes ?? null,
        reposts: null,
        replies: data?.commentsSummary?.aggregatedTotalComments ?? data?.commentsSummary?.totalFirstLevelComments ?? null,
        quotes: null,
        views: null,
        fetchedAt: new Date().toISOString(),
      };
    },

    async fetchComments(request) {
      const ctx = open(request.channel, request.credentials, request.signal);
      const author = request.channel.externalAccountId?.startsWith('urn:li:') ? request.channel.externalAccountId : await authorOf(ctx, request.channel);
      const ours = new Set((request.parts ?? [request.post]).map((p) => p.externalId));
      const postUrn = request.post.externalId;
      const top = await commentsUnder(ctx, postUrn);
      // One level of answers under each comment that has some.
      const nested: LinkedInComment[] = [];
      for (const comment of top) {
        if ((comment.commentsSummary?.aggregatedTotalComments ?? comment.commentsSummary?.totalFirstLevelComments ?? 0) > 0) {
          nested.push(...(await commentsUnder(ctx, commentUrnOf(comment, postUrn))).map((c) => ({ ...c, parentComment: c.parentComment ?? commentUrnOf(comment, postUrn) })));
        }
      }
      const since = request.since?.getTime();
      return [...top, ...nested]
        .map((c): IncomingComment => ({
          externalId: commentUrnOf(c, postUrn),
          inReplyTo: c.parentComment ?? postUrn,
          author: { externalId: c.actor ?? '', handle: c.actor ?? '', name: null, avatarUrl: null },
          text: c.message?.text ?? '',
          createdAt: new Date(c.created?.time ?? 0).toISOString(),
          url: null,
          own: c.actor === author,
          likes: c.likesSummary?.totalLikes ?? null,
        }))
        .filter((c) => !ours.has(c.externalId) && (since === undefined || Date.parse(c.createdAt) > since))
        .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    },

    async reply(request) {
      const ctx = open(request.channel, request.credentials, request.signal);
      const author = await authorOf(ctx, request.channel);
      const urn = await sendComment(ctx, author, request.inReplyTo, request.text, 'write');
      return { externalId: urn, url: null };
    },
  };
  return connector;
}

export const linkedinConnector = createLinkedInConnector();
