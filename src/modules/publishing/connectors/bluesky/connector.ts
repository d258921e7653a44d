/**
 * Bluesky connector (@atproto/api). Owns: rich-text facets (links, mentions, hashtags with UTF-8
 * byte offsets, via RichText.detectFacets), images with alt text, threads as replies carrying root
 * and parent references, deleting, and finding its own records after an uncertain outcome.
 *
 * Exactly once: every part is written with `com.atproto.repo.putRecord` under a record key derived
 * from the target id, the first attempt's time and the part index (see tid.ts), with
 * `createdAt` = firstAttemptAt (+ the part index in milliseconds, so a thread keeps its order). A
 * repeated attempt computes the same keys; it reads each key first and reuses the record already
 * there, so a lost answer never turns into a second post, and a thread that failed halfway is
 * completed rather than restarted. `findPublished` is the same read.
 *
 * Link cards: Bluesky shows a card only when the client builds it (an external embed with title,
 * description and thumbnail). They are not built here yet: the card data will come from the
 * portal's Open Graph data, which the Publishing issue's next step passes to connectors. Until then
 * links are plain facets. Video is not sent either (it needs Bluesky's separate video service).
 * A post's `title` has no place on Bluesky and is ignored; `firstComment` is the last reply.
 */
import { AtUri, RichText } from '@atproto/api';
import type { $Typed, AppBskyEmbedImages, AppBskyFeedPost, AppBskyRichtextFacet, AtpAgent, BlobRef } from '@atproto/api';
import { ConnectorError } from '../../connector.ts';
import type { Connector, Credentials, OutgoingMedia, PublishRequest, PublishResult, PublishedPart } from '../../connector.ts';
import { assertNotCancelled } from '../failure.ts';
import type { Exchange } from '../failure.ts';
import { outgoingTexts } from '../parts.ts';
import { blueskyFailure, isRecordNotFound } from './errors.ts';
import { renewSession, withSession } from './session.ts';
import { postRecordKey } from './tid.ts';

const POST = 'app.bsky.feed.post';
const MAX_IMAGES = 4;

export interface BlueskyConnectorOptions {
  requestTimeoutMs?: number;
  /** Public address of a post; defaults to the bsky.app web client. */
  postUrl?: (did: string, rkey: string) => string;
  fetch?: typeof globalThis.fetch;
}

interface StrongRef { uri: string; cid: string }

/** createdAt of a part: stable across attempts, one millisecond apart so a thread sorts in order. */
export function partCreatedAt(firstAttemptAt: Date, partIndex: number): string {
  return new Date(firstAttemptAt.getTime() + partIndex).toISOString();
}

export function createBlueskyConnector(options: BlueskyConnectorOptions = {}): Connector & { readonly verifiable: true } {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const postUrl = options.postUrl ?? ((did: string, rkey: string) => `https://bsky.app/profile/${did}/post/${rkey}`);

  const call = async <T>(exchange: Exchange, signal: AbortSignal, run: () => Promise<T>): Promise<T> => {
    assertNotCancelled(signal);
    try {
      return await run();
    } catch (error) {
      throw blueskyFailure(error, exchange, signal);
    }
  };

  const session = <T>(request: { channel: PublishRequest['channel']; credentials: Credentials; signal: AbortSignal }, work: (agent: AtpAgent, did: string) => Promise<T>) =>
    withSession({ ...request, requestTimeoutMs, fetch: options.fetch }, work).catch((error: unknown) => {
      // Errors of the work itself are already mapped (a write's "uncertain" must stay uncertain).
      throw error instanceof ConnectorError ? error : blueskyFailure(error, 'read', request.signal);
    });

  /** The record under our key, if any: ours when its createdAt is the one we set. */
  const existing = async (agent: AtpAgent, did: string, rkey: string, createdAt: string, signal: AbortSignal): Promise<StrongRef | null> => {
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

  const facetsFor = async (agent: AtpAgent, text: string): Promise<{ text: string; facets: AppBskyRichtextFacet.Main[] | undefined }> => {
    const rich = new RichText({ text });
    await rich.detectFacets(agent);
    // A mention whose handle does not resolve keeps no DID; the PDS would refuse the whole post for it.
    const facets = (rich.facets ?? [])
      .map((facet) => ({ ...facet, features: facet.features.filter((f) => !('did' in f) || (typeof f.did === 'string' && f.did !== '')) }))
      .filter((facet) => facet.features.length > 0);
    return { text: rich.text, facets: facets.length > 0 ? facets : undefined };
  };

  const uploadImages = async (agent: AtpAgent, media: OutgoingMedia[], signal: AbortSignal): Promise<$Typed<AppBskyEmbedImages.Main> | undefined> => {
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

  const toResult = (did: string, refs: StrongRef[]): PublishResult => {
    const parts: PublishedPart[] = refs.map((ref) => ({ externalId: ref.uri, url: postUrl(did, new AtUri(ref.uri).rkey) }));
    const first = parts[0]!;
    return { externalId: first.externalId, url: first.url, parts };
  };

  const connector: Connector & { readonly verifiable: true } = {
    network: 'bluesky',
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
      const outcome = await session(request, async (agent, did) => {
        const refs: StrongRef[] = [];
        for (const [index, text] of texts.entries()) {
          const rkey = postRecordKey(request.targetId, request.firstAttemptAt, index);
          const createdAt = partCreatedAt(request.firstAttemptAt, index);
          const found = await existing(agent, did, rkey, createdAt, signal);
          if (found) {
            refs.push(found);
            continue;
          }
          const rich = await facetsFor(agent, text);
          const embed = index === 0 ? await uploadImages(agent, request.media, signal) : undefined;
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
          const { data } = await call('write', signal, () => agent.com.atproto.repo.putRecord({ repo: did, collection: POST, rkey, record: record as unknown as Record<string, unknown> }));
          refs.push({ uri: data.uri, cid: data.cid });
        }
        return toResult(did, refs);
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

    async refresh(request) {
      return renewSession({ ...request, requestTimeoutMs, fetch: options.fetch });
    },

    async verify(request) {
      const { signal } = request;
      const outcome = await session(request, async (agent, did) => {
        const handle = agent.session?.handle ?? request.channel.handle;
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
