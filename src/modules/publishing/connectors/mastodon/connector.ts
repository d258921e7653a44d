/**
 * Mastodon connector (masto 8). Owns: uploading media with alt text, posting a status or a thread
 * of replies, deleting, and recognising our own statuses after an uncertain outcome.
 *
 * Exactly once: every status carries `Idempotency-Key: siar:<targetId>:<part>`, the same on every
 * attempt, so Mastodon answers a repeated create with the status it already made. Mastodon keeps
 * those keys for about an hour; a retry later than that first looks on the account for the parts
 * already there (exact text, chained replies, made since the first attempt) and only writes the rest.
 *
 * The answer side: the instance's own limits (`/api/v2/instance`), a status's counts, the replies
 * under a thread (`/statuses/:id/context`), our replies (an Idempotency-Key from the reply's key,
 * so a retried reply is not posted twice) and edits (`PUT /statuses/:id`, Mastodon 3.5+).
 *
 * A post's `title` has no place on Mastodon and is ignored; `firstComment` goes out as a last
 * reply in the chain.
 */
import { createRestAPIClient } from 'masto';
import type { mastodon } from 'masto';
import { ConnectorError } from '../../connector.ts';
import type { Connector, ConnectorChannel, Credentials, OutgoingMedia, PublishResult, PublishedPart } from '../../connector.ts';
import { assertNotCancelled, pause } from '../failure.ts';
import { outgoingTexts } from '../parts.ts';
import type { Exchange } from '../failure.ts';
import { mastodonFailure } from './errors.ts';
import { findThread, htmlToText } from './find-thread.ts';
import { metricsOf, readComments, replyText } from './conversation.ts';
import { capabilitiesOf, readInstance } from './instance.ts';

export interface MastodonConnectorOptions {
  /** Deadline for one HTTP request; a write past it is "uncertain". */
  requestTimeoutMs?: number;
  /** How long to wait for Mastodon to finish processing an uploaded file. */
  mediaTimeoutMs?: number;
  mediaPollMs?: number;
  /** How long Mastodon keeps an Idempotency-Key (about an hour); after that a retry looks first. */
  keyLifetimeMs?: number;
  now?: () => number;
}

/** Stable across attempts of one target; distinct per part. */
export function idempotencyKey(targetId: string, partIndex: number): string {
  return `siar:${targetId}:${partIndex}`;
}

/** Stable across retries of one reply, and never equal to a publish key. */
export function replyIdempotencyKey(replyKey: string): string {
  return `siar:reply:${replyKey}`;
}

/** Part i gets text i. An edit cannot add parts; parts past the texts (a first comment) stay as they are. */
export function editPairs(parts: readonly PublishedPart[], texts: readonly string[]): [PublishedPart, string][] {
  if (texts.length > parts.length) {
    throw new ConnectorError('permanent', 'edit_adds_parts', {
      id: 'Suntingan tidak bisa menambah bagian baru ke utas yang sudah terbit. Kirim bagian baru sebagai balasan.',
      en: 'An edit cannot add new parts to a published thread. Send the new part as a reply.',
    });
  }
  return texts.map((text, index) => [parts[index]!, text]);
}

export function createMastodonConnector(options: MastodonConnectorOptions = {}): Connector {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const mediaTimeoutMs = options.mediaTimeoutMs ?? 120_000;
  const mediaPollMs = options.mediaPollMs ?? 1_000;
  const keyLifetimeMs = options.keyLifetimeMs ?? 55 * 60_000;
  const now = options.now ?? Date.now;

  const clientFor = (channel: ConnectorChannel, credentials: Credentials, signal: AbortSignal): mastodon.rest.Client => {
    const accessToken = credentials.accessToken;
    if (!accessToken) {
      throw new ConnectorError('auth', 'missing_credentials', {
        id: 'Token akses Mastodon belum tersimpan untuk kanal ini. Sambungkan ulang kanal.',
        en: 'No Mastodon access token is stored for this channel. Reconnect the channel.',
      });
    }
    return createRestAPIClient({ url: channel.baseUrl, accessToken, timeout: requestTimeoutMs, requestInit: { signal } });
  };

  /** Runs one call and maps whatever it throws; `write` marks a call whose loss could duplicate a post. */
  const call = async <T>(exchange: Exchange, signal: AbortSignal, run: () => Promise<T>): Promise<T> => {
    assertNotCancelled(signal);
    try {
      return await run();
    } catch (error) {
      throw mastodonFailure(error, exchange, signal);
    }
  };

  const accountIdOf = async (api: mastodon.rest.Client, channel: ConnectorChannel, signal: AbortSignal): Promise<string> => {
    if (channel.externalAccountId) return channel.externalAccountId;
    const me = await call('read', signal, () => api.v1.accounts.verifyCredentials());
    return me.id;
  };

  const upload = async (api: mastodon.rest.Client, media: OutgoingMedia, signal: AbortSignal): Promise<string> => {
    const bytes = await media.read();
    const file = new File([new Uint8Array(bytes)], fileName(media.mime), { type: media.mime });
    // An upload that is lost and repeated only leaves an unattached file (Mastodon removes those):
    // nobody sees a duplicate, so upload failures are never "uncertain".
    let attachment = await call('read', signal, () => api.v2.media.create({
      file,
      ...(media.alt ? { description: media.alt } : {}),
      // We poll ourselves, with the request's signal and our deadline (masto's poll ignores both).
      skipPolling: true,
    }));
    const deadline = now() + mediaTimeoutMs;
    while (!attachment.url) {
      if (now() > deadline) {
        throw new ConnectorError('transient', 'media_processing_timeout', {
          id: 'Mastodon belum selesai memproses media; akan dicoba lagi.',
          en: 'Mastodon has not finished processing the media; will try again.',
        });
      }
      await pause(mediaPollMs, signal);
      attachment = await call('read', signal, () => api.v1.media.$select(attachment.id).fetch());
    }
    return attachment.id;
  };

  const toResult = (statuses: mastodon.v1.Status[]): PublishResult => {
    const parts = statuses.map((s) => ({ externalId: s.id, url: s.url ?? s.uri ?? null }));
    const first = parts[0]!;
    return { externalId: first.externalId, url: first.url, parts };
  };

  const connector: Connector = {
    network: 'mastodon',
    idempotent: true,

    async publish(request) {
      const { signal } = request;
      const texts = outgoingTexts(request);
      if (texts.length === 0) {
        throw new ConnectorError('permanent', 'text_empty', {
          id: 'Tidak ada teks untuk dikirim ke Mastodon.',
          en: 'There is no text to send to Mastodon.',
        });
      }
      const api = clientFor(request.channel, request.credentials, signal);

      const published: mastodon.v1.Status[] = [];
      if (request.attempt > 1 && now() - request.firstAttemptAt.getTime() > keyLifetimeMs) {
        const accountId = await accountIdOf(api, request.channel, signal);
        published.push(...await call('read', signal, () => findThread({ api, accountId, texts, since: request.firstAttemptAt })));
      }

      const mediaIds: string[] = [];
      if (published.length === 0) {
        for (const media of request.media) mediaIds.push(await upload(api, media, signal));
      }

      for (let index = published.length; index < texts.length; index++) {
        const parent = published[index - 1];
        const status = await call('write', signal, () => api.v1.statuses.create({
          status: texts[index]!,
          visibility: 'public',
          ...(index === 0 && mediaIds.length > 0 ? { mediaIds } : {}),
          ...(parent ? { inReplyToId: parent.id } : {}),
        }, { requestInit: { headers: { 'Idempotency-Key': idempotencyKey(request.targetId, index) } } }));
        published.push(status);
      }
      return toResult(published);
    },

    async findPublished(request) {
      const { signal } = request;
      const api = clientFor(request.channel, request.credentials, signal);
      const accountId = await accountIdOf(api, request.channel, signal);
      const texts = outgoingTexts(request);
      const found = await call('read', signal, () => findThread({ api, accountId, texts, since: request.firstAttemptAt }));
      // Only a whole thread counts as published; a partial one is completed by publishing again,
      // which the idempotency keys (or the look-up above) keep from repeating the parts already there.
      return found.length === texts.length && found.length > 0 ? toResult(found) : null;
    },

    async remove(request) {
      const { signal } = request;
      const api = clientFor(request.channel, request.credentials, signal);
      // Replies first, so that a thread never shows a dangling "in reply to a deleted post".
      for (const part of [...request.parts].reverse()) {
        try {
          await call('read', signal, () => api.v1.statuses.$select(part.externalId).remove());
        } catch (error) {
          // Already gone (deleted by hand, or an earlier attempt that lost its answer): done.
          if (error instanceof ConnectorError && error.status === 404) continue;
          throw error;
        }
      }
    },

    async capabilities(request) {
      const api = clientFor(request.channel, request.credentials, request.signal);
      return capabilitiesOf(await call('read', request.signal, () => readInstance(api)));
    },

    async fetchMetrics(request) {
      const api = clientFor(request.channel, request.credentials, request.signal);
      const status = await call('read', request.signal, () => api.v1.statuses.$select(request.post.externalId).fetch());
      return metricsOf(status, new Date(now()));
    },

    async fetchComments(request) {
      const { signal } = request;
      const api = clientFor(request.channel, request.credentials, signal);
      const ownAccountId = await accountIdOf(api, request.channel, signal);
      const parts = request.parts && request.parts.length > 0 ? request.parts : [request.post];
      return call('read', signal, () => readComments({ api, parts, ownAccountId, host: new URL(request.channel.baseUrl).host, since: request.since }));
    },

    async reply(request) {
      const { signal } = request;
      const api = clientFor(request.channel, request.credentials, signal);
      const ownAccountId = await accountIdOf(api, request.channel, signal);
      const answered = await call('read', signal, () => api.v1.statuses.$select(request.inReplyTo).fetch());
      const status = await call('write', signal, () => api.v1.statuses.create({
        status: replyText(request.text, answered.account, ownAccountId),
        visibility: 'public',
        inReplyToId: answered.id,
      }, { requestInit: { headers: { 'Idempotency-Key': replyIdempotencyKey(request.replyKey) } } }));
      return { externalId: status.id, url: status.url ?? status.uri ?? null };
    },

    async edit(request) {
      const { signal } = request;
      const api = clientFor(request.channel, request.credentials, signal);
      for (const [part, text] of editPairs(request.parts, request.texts)) {
        const select = api.v1.statuses.$select(part.externalId);
        const current = await call('read', signal, () => select.fetch());
        // An unchanged part is left alone: no needless "edited" mark under it.
        if (htmlToText(current.content).normalize('NFC') === text.normalize('NFC')) continue;
        // Mastodon replaces the status with what the edit sends: media, content warning and
        // language are sent back as they are, or they would be dropped. Repeating the same
        // edit changes nothing, so a lost answer is simply retried ('read'), never "uncertain".
        const kept = {
          sensitive: current.sensitive,
          spoilerText: current.spoilerText,
          ...(current.language ? { language: current.language } : {}),
        };
        const mediaIds = current.mediaAttachments.map((m) => m.id);
        await call('read', signal, () => select.update(mediaIds.length > 0 ? { status: text, mediaIds, ...kept } : { status: text, ...kept }));
      }
    },

    async verify(request) {
      const api = clientFor(request.channel, request.credentials, request.signal);
      const me = await call('read', request.signal, () => api.v1.accounts.verifyCredentials());
      const host = new URL(request.channel.baseUrl).host;
      return {
        externalAccountId: me.id,
        handle: `@${me.username}@${host}`,
        name: me.displayName || me.username,
        avatarUrl: me.avatar || null,
      };
    },
  };
  return connector;
}

function fileName(mime: string): string {
  const ext = mime.split('/')[1]?.replace('jpeg', 'jpg').replace('quicktime', 'mov').replace(/[^a-z0-9]/gi, '') || 'bin';
  return `media.${ext}`;
}

export const mastodonConnector = createMastodonConnector();
