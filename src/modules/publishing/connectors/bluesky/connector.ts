/**
 * Bluesky connector (@atproto/api). Owns: rich-text facets (links, mentions, hashtags with UTF-8
 * byte offsets, via RichText.detectFacets), images with alt text, threads as replies carrying root
 * and parent references, deleting, and finding its own records after an uncertain outcome.
 *
 * Exactly once: every part is written with `com.atproto.repo.putRecord` under a record key derived
 * from the target id, the first attempt's time and the part index (see tid.ts), with
 * `createdAt` = firstAttemptAt (+ the part index in milliseconds, so a thread keeps its order). A
 * repeated attempt computes the same keys; it reads each key first (a first attempt need not:
 * nothing was sent under its keys before) and reuses the record already there, so a lost answer
 * never turns into a second post, and a thread that failed halfway is completed rather than
 * restarted. `findPublished` is the same read.
 *
 * Link cards: Bluesky shows a card only when the client builds it, so we do, as Bluesky's own app
 * does (link-card.ts): when the first part has no images and its text has a link, the first link's
 * page is read for its Open Graph title, description and picture (the portal's own short links and
 * articles included: they are fetched over HTTP like any page), the picture is uploaded as the
 * thumbnail blob, and the card goes into the record as an `app.bsky.embed.external`. A card that
 * cannot be built (unreachable, not HTML, no title, a picture too big, out of time) never fails the
 * post: it goes out with its link facet only. The card is part of the record written under the
 * deterministic key, so a repeated attempt that finds the record builds nothing again.
 * Video is not sent (it needs Bluesky's separate video service).
 * A post's `title` has no place on Bluesky and is ignored; `firstComment` is the last reply.
 *
 * The answer side reads the AppView through the PDS: counts (`getPosts`), the replies under a
 * thread (`getPostThread`), and writes our replies with the same put-under-our-own-key approach
 * (keys from the reply's key, see `replyRecordKeys`). Bluesky has no edit: a post's text is fixed.
 * A session refreshed during a read is not handed back (the read calls return no credentials);
 * the next publish or `refresh` renews it.
 */
import { AtUri, RichText } from '@atproto/api';
import type { $Typed, AppBskyEmbedExternal, AppBskyEmbedImages, AppBskyFeedDefs, AppBskyFeedPost, AppBskyRichtextFacet, Agent, BlobRef } from '@atproto/api';
import { ConnectorError, rateWindowFrom } from '../../connector.ts';
import type { AccountCapabilities, Connector, Credentials, OutgoingMedia, PublishRequest, PublishResult, PublishedPart, RateWindow } from '../../connector.ts';
import { assertNotCancelled } from '../failure.ts';
import type { Exchange } from '../failure.ts';
import { outgoingTexts } from '../parts.ts';
import { metricsOf, newerThan, recordOf, repliesIn, toComment } from './conversation.ts';
import { blueskyFailure, isPostNotFound, isRecordNotFound, postGone } from './errors.ts';
import { buildLinkCard } from './link-card.ts';
import type { LinkCardOptions } from './link-card.ts';
import { renewSession, withSession } from './session.ts';
import { postRecordKey, replyRecordKeys } from './tid.ts';

const POST = 'app.bsky.feed.post';
const MAX_IMAGES = 4;
/** What writing one record costs of an account's hourly points (the PDS's own rate limits). */
const RECORD_POINTS = 3;
/** Levels of replies read below each part of a thread (getPostThread allows up to 1,000). */
const COMMENT_DEPTH = 12;

/** Bluesky's documented limits; it reports no per-account quota to read. */
const CAPABILITIES: AccountCapabilities = {
  maxCharacters: 300,
  maxMedia: MAX_IMAGES,
  // Video needs Bluesky's separate video service, which this connector does not use yet.
  mediaKinds: ['image'],
  postsRemaining: null,
  postsWindowHours: null,
  canEdit: false,
  canDelete: true,
  canReadComments: true,
  canReply: true,
  canReadMetrics: true,
};

export interface BlueskyConnectorOptions {
  requestTimeoutMs?: number;
  /** Public address of a post; defaults to the bsky.app web client. */
  postUrl?: (did: string, rkey: string) => string;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  /** How link cards read pages (their own fetch, time limit and caps); false: links stay plain facets. */
  linkCards?: LinkCardOptions | false;
}

interface StrongRef { uri: string; cid: string }

/** createdAt of a part: stable across attempts, one millisecond apart so a thread sorts in order. */
export function partCreatedAt(firstAttemptAt: Date, partIndex: number): string {
  return new Date(firstAttemptAt.getTime() + partIndex).toISOString();
}

export function createBlueskyConnector(options: BlueskyConnectorOptions = {}): Connector & { readonly verifiable: true } {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const postUrl = options.postUrl ?? ((did: string, rkey: string) => `https://bsky.app/profile/${did}/post/${rkey}`);
  const now = options.now ?? Date.now;

  const call = async <T>(exchange: Exchange, signal: AbortSignal, run: () => Promise<T>): Promise<T> => {
    assertNotCancelled(signal);
    try {
      return await run();
    } catch (error) {
      throw blueskyFailure(error, exchange, signal);
    }
  };

  const session = <T>(request: { channel: PublishRequest['channel']; credentials: Credentials; signal: AbortSignal }, work: (agent: Agent, did: string, handle: string) => Promise<T>) =>
    withSession({ ...request, requestTimeoutMs, fetch: options.fetch }, work).catch((error: unknown) => {
      // Errors of the work itself are already mapped (a write's "uncertain" must stay uncertain).
      throw error instanceof ConnectorError ? error : blueskyFailure(error, 'read', request.signal);
    });

  /** The record under our key, if any: ours when its createdAt is the one we set. */
  const existing = async (agent: Agent, did: string, rkey: string, createdAt: string, signal: AbortSignal): Promise<StrongRef | null> => {
    try {
      const { data } = await agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey });
      const value = data.value as Partial<AppBskyFeedPost.Record>;
      if (value.createdAt !== createdAt) {
        // Another record holds this key (a one-in-a-million collision): never overwrite it.
        throw new ConnectorError('permanent', 'record_conflict', {
          id: 'Bluesky: kunci rekaman postingan ini sudah dipakai postingan lain; kirim ulang sebagai postingan baru.',
          en: 'Bluesky: this post\'s record key is taken by another post; send it again as a new post.',
        });
      }
      return { uri: data.uri, cid: data.cid ?? '' };
    } catch (error) {
      if (isRecordNotFound(error)) return null;
      throw blueskyFailure(error, 'read', signal);
    }
  };

  /** Our earlier reply under `rkey`, if a previous attempt made it: a reply to the same post. */
  const existingReply = async (agent: Agent, did: string, rkey: string, inReplyTo: string, signal: AbortSignal): Promise<StrongRef | null> => {
    try {
      const { data } = await agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey });
      const value = data.value as Partial<AppBskyFeedPost.Record>;
      if (value.reply?.parent?.uri !== inReplyTo) {
        throw new ConnectorError('permanent', 'record_conflict', {
          id: 'Bluesky: kunci rekaman balasan ini sudah dipakai postingan lain; tulis balasan ini sebagai balasan baru.',
          en: 'Bluesky: this reply\'s record key is taken by another post; write it again as a new reply.',
        });
      }
      return { uri: data.uri, cid: data.cid ?? '' };
    } catch (error) {
      if (isRecordNotFound(error)) return null;
      throw blueskyFailure(error, 'read', signal);
    }
  };

  /** One post as the AppView shows it (counts, record, cid), or null when it is gone. */
  const viewOf = async (agent: Agent, uri: string, signal: AbortSignal) => {
    const { data } = await call('read', signal, () => agent.app.bsky.feed.getPosts({ uris: [uri] }));
    return data.posts.find((post) => post.uri === uri) ?? null;
  };

  const facetsFor = async (agent: Agent, text: string): Promise<{ text: string; facets: AppBskyRichtextFacet.Main[] | undefined }> => {
    const rich = new RichText({ text });
    await rich.detectFacets(agent);
    // A mention whose handle does not resolve keeps no DID; the PDS would refuse the whole post for it.
    const facets = (rich.facets ?? [])
      .map((facet) => ({ ...facet, features: facet.features.filter((f) => !('did' in f) || (typeof f.did === 'string' && f.did !== '')) }))
      .filter((facet) => facet.features.length > 0);
    return { text: rich.text, facets: facets.length > 0 ? facets : undefined };
  };

  const uploadImages = async (agent: Agent, media: OutgoingMedia[], signal: AbortSignal): Promise<$Typed<AppBskyEmbedImages.Main> | undefined> => {
    if (media.length === 0) return undefined;
    if (media.some((m) => !m.mime.startsWith('image/')) || media.length > MAX_IMAGES) {
      throw new ConnectorError('permanent', 'media_unsupported', {
        id: 'Bluesky dari Siar saat ini hanya menerima 1–4 gambar; video belum didukung.',
        en: 'Bluesky from Siar currently takes 1–4 images; video is not supported yet.',
      });
    }
    const images: AppBskyEmbedImages.Image[] = [];
    for (const item of media) {
      const bytes = new Uint8Array(await item.read());
      // A repeated upload of the same bytes yields the same blob: nothing to duplicate.
      const { data } = await call('read', signal, () => agent.com.atproto.repo.uploadBlob(bytes, { encoding: item.mime }));
      images.push({
        alt: item.alt,
        image: data.blob as BlobRef,
        ...(item.width && item.height ? { aspectRatio: { width: item.width, height: item.height } } : {}),
      });
    }
    return { $type: 'app.bsky.embed.images', images };
  };

  /** The card of the text's first link, or undefined (the link stays a plain facet) when it cannot be built. */
  const linkCard = async (agent: Agent, facets: AppBskyRichtextFacet.Main[] | undefined, signal: AbortSignal): Promise<$Typed<AppBskyEmbedExternal.Main> | undefined> => {
    if (options.linkCards === false) return undefined;
    const link = [...(facets ?? [])]
      .sort((a, b) => a.index.byteStart - b.index.byteStart)
      .flatMap((facet) => facet.features)
      .find((feature): feature is $Typed<AppBskyRichtextFacet.Link> => feature.$type === 'app.bsky.richtext.facet#link')?.uri;
    if (!link) return undefined;
    try {
      return await buildLinkCard(link, signal, async (thumb) => {
        const { data } = await call('read', signal, () => agent.com.atproto.repo.uploadBlob(thumb.bytes, { encoding: thumb.mime }));
        return data.blob as BlobRef;
      }, options.linkCards);
    } catch (error) {
      assertNotCancelled(signal);
      // A refused session would refuse the post itself too: the engine renews it and tries again.
      if (error instanceof ConnectorError && error.kind === 'auth') throw error;
      return undefined;
    }
  };

  const toResult = (did: string, refs: StrongRef[]): PublishResult => {
    const parts: PublishedPart[] = refs.map((ref) => ({ externalId: ref.uri, url: postUrl(did, new AtUri(ref.uri).rkey) }));
    const first = parts[0]!;
    return { externalId: first.externalId, url: first.url, parts };
  };

  const connector: Connector & { readonly verifiable: true } = {
    network: 'bluesky',
    // The Bluesky-hosted PDS entryway; accounts on their own PDS name theirs as the channel's baseUrl.
    defaultBaseUrl: 'https://bsky.social',
    idempotent: true,
    verifiable: true,

    async publish(request) {
      const { signal } = request;
      const texts = outgoingTexts(request);
      if (texts.length === 0 && request.media.length === 0) {
        throw new ConnectorError('permanent', 'text_empty', {
          id: 'Tidak ada teks atau gambar untuk dikirim ke Bluesky.',
          en: 'There is no text or image to send to Bluesky.',
        });
      }
      if (texts.length === 0) texts.push('');
      let window: RateWindow | undefined;
      const outcome = await session(request, async (agent, did) => {
        const refs: StrongRef[] = [];
        for (const [index, text] of texts.entries()) {
          const rkey = postRecordKey(request.targetId, request.firstAttemptAt, index);
          const createdAt = partCreatedAt(request.firstAttemptAt, index);
          // A first attempt has nothing to find: no call was ever made under these keys.
          const found = request.attempt > 1 ? await existing(agent, did, rkey, createdAt, signal) : null;
          if (found) {
            refs.push(found);
            continue;
          }
          const rich = await facetsFor(agent, text);
          const embed = index === 0 ? (await uploadImages(agent, request.media, signal)) ?? (await linkCard(agent, rich.facets, signal)) : undefined;
          const root = refs[0];
          const parent = refs[index - 1];
          const record: AppBskyFeedPost.Record = {
            $type: POST,
            text: rich.text,
            createdAt,
            ...(rich.facets ? { facets: rich.facets } : {}),
            ...(embed ? { embed } : {}),
            ...(root && parent ? { reply: { root, parent } } : {}),
          };
          const { data, headers } = await call('write', signal, () => agent.com.atproto.repo.putRecord({ repo: did, collection: POST, rkey, record: record as unknown as Record<string, unknown> }));
          refs.push({ uri: data.uri, cid: data.cid });
          window = rateWindowFrom(headers, RECORD_POINTS) ?? window;
        }
        const result = toResult(did, refs);
        return window ? { ...result, rateWindow: window } : result;
      });
      return outcome.refreshedCredentials ? { ...outcome.value, refreshedCredentials: outcome.refreshedCredentials } : outcome.value;
    },

    async findPublished(request) {
      const { signal } = request;
      const texts = outgoingTexts(request);
      const count = Math.max(texts.length, 1);
      const outcome = await session(request, async (agent, did) => {
        const refs: StrongRef[] = [];
        for (let index = 0; index < count; index++) {
          const found = await existing(agent, did, postRecordKey(request.targetId, request.firstAttemptAt, index), partCreatedAt(request.firstAttemptAt, index), signal);
          if (!found) return null;
          refs.push(found);
        }
        return toResult(did, refs);
      });
      if (!outcome.value) return null;
      return outcome.refreshedCredentials ? { ...outcome.value, refreshedCredentials: outcome.refreshedCredentials } : outcome.value;
    },

    async remove(request) {
      const { signal } = request;
      await session(request, async (agent, did) => {
        for (const part of [...request.parts].reverse()) {
          const uri = new AtUri(part.externalId);
          // Deleting a record that is already gone succeeds on the PDS: a repeated remove is harmless.
          await call('read', signal, () => agent.com.atproto.repo.deleteRecord({ repo: uri.host || did, collection: uri.collection || POST, rkey: uri.rkey }));
        }
      });
    },

    async capabilities(request) {
      assertNotCancelled(request.signal);
      return { ...CAPABILITIES, mediaKinds: [...CAPABILITIES.mediaKinds] };
    },

    async fetchMetrics(request) {
      const { signal } = request;
      const outcome = await session(request, async (agent) => {
        const post = await viewOf(agent, request.post.externalId, signal);
        if (!post) throw postGone('post');
        return metricsOf(post, new Date(now()));
      });
      return outcome.value;
    },

    async fetchComments(request) {
      const { signal } = request;
      const parts = request.parts && request.parts.length > 0 ? request.parts : [request.post];
      const ours = new Set(parts.map((part) => part.externalId));
      const outcome = await session(request, async (agent, did) => {
        const views = new Map<string, AppBskyFeedDefs.PostView>();
        for (const [index, part] of parts.entries()) {
          // One read of the first part usually reaches every later part and the replies under
          // them; a part it did not reach (a deleted middle part cuts the chain) is read itself.
          if (index > 0 && views.has(part.externalId)) continue;
          const thread = await call('read', signal, async () => {
            try {
              const { data } = await agent.app.bsky.feed.getPostThread({ uri: part.externalId, depth: Math.min(1000, parts.length + COMMENT_DEPTH), parentHeight: 0 });
              return data.thread;
            } catch (error) {
              if (isPostNotFound(error)) return null;
              throw error;
            }
          });
          if (!thread || !('post' in thread)) {
            if (index === 0) throw postGone('post');
            continue;
          }
          repliesIn(thread, views);
        }
        return [...views.values()]
          .filter((post) => !ours.has(post.uri) && newerThan(post, request.since))
          .map((post) => toComment(post, did, postUrl))
          .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.externalId < b.externalId ? -1 : 1));
      });
      return outcome.value;
    },

    async reply(request) {
      const { signal } = request;
      try {
        if (new AtUri(request.inReplyTo).collection !== POST) throw new Error('not a post');
      } catch (error) {
        throw new ConnectorError('permanent', 'invalid_reference', {
          id: 'Yang hendak dibalas bukan alamat postingan Bluesky (at://…/app.bsky.feed.post/…).',
          en: 'What is being answered is not a Bluesky post address (at://…/app.bsky.feed.post/…).',
        }, { cause: error });
      }
      const outcome = await session(request, async (agent, did) => {
        const keys = replyRecordKeys(request.replyKey, now());
        // An earlier attempt (today's key, or yesterday's if it ran before midnight UTC) may have made it.
        for (const rkey of [keys.current, keys.previous]) {
          const found = await existingReply(agent, did, rkey, request.inReplyTo, signal);
          if (found) return { externalId: found.uri, url: postUrl(did, new AtUri(found.uri).rkey) };
        }
        const parent = await viewOf(agent, request.inReplyTo, signal);
        if (!parent) throw postGone('comment');
        const parentRef: StrongRef = { uri: parent.uri, cid: parent.cid };
        // The root of the conversation: the parent's own root when it is itself a reply.
        const root = recordOf(parent).reply?.root ?? parentRef;
        const rich = await facetsFor(agent, request.text);
        // The key, not the time, makes a retry land on this record; createdAt is simply when it was written.
        const record: AppBskyFeedPost.Record = {
          $type: POST,
          text: rich.text,
          createdAt: new Date(now()).toISOString(),
          ...(rich.facets ? { facets: rich.facets } : {}),
          reply: { root: { uri: root.uri, cid: root.cid }, parent: parentRef },
        };
        const { data } = await call('write', signal, () => agent.com.atproto.repo.putRecord({ repo: did, collection: POST, rkey: keys.current, record: record as unknown as Record<string, unknown> }));
        return { externalId: data.uri, url: postUrl(did, keys.current) };
      });
      return outcome.value;
    },

    async refresh(request) {
      return renewSession({ ...request, requestTimeoutMs, fetch: options.fetch });
    },

    async verify(request) {
      const { signal } = request;
      const outcome = await session(request, async (agent, did, handle) => {
        try {
          const { data } = await agent.app.bsky.actor.getProfile({ actor: did });
          return { externalAccountId: did, handle: data.handle, name: data.displayName || data.handle, avatarUrl: data.avatar ?? null };
        } catch (error) {
          // A PDS without an AppView behind it has no profiles; the session alone proves the account.
          const mapped = blueskyFailure(error, 'read', signal);
          if (mapped.kind === 'auth' || mapped.kind === 'transient' && mapped.code === 'aborted') throw mapped;
          return { externalAccountId: did, handle, name: handle, avatarUrl: null };
        }
      });
      return outcome.value;
    },
  };
  return connector;
}

export const blueskyConnector = createBlueskyConnector();
