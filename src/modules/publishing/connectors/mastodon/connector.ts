/**
 * Mastodon connector (masto 8). Owns: uploading media with alt text, posting a status or a thread
 * of replies, deleting, and recognising our own statuses after an uncertain outcome.
 *
 * Exactly once: every status carries `Idempotency-Key: siar:<targetId>:<part>`, the same on every
 * attempt, so Mastodon answers a repeated create with the status it already made. Mastodon keeps
 * those keys for about an hour; a retry later than that first looks on the account for the parts
 * already there (exact text, chained replies, made since the first attempt) and only writes the rest.
 *
 * Not here: per-instance limits (characters, attachments) are read by the engine from
 * `/api/v2/instance`. A post's `title` has no place on Mastodon and is ignored; `firstComment`
 * goes out as a last reply in the chain.
 */
import { createRestAPIClient } from 'masto';
import type { mastodon } from 'masto';
import { ConnectorError } from '../../connector.ts';
import type { Connector, ConnectorChannel, Credentials, OutgoingMedia, PublishResult } from '../../connector.ts';
import { assertNotCancelled, pause } from '../failure.ts';
import { outgoingTexts } from '../parts.ts';
import type { Exchange } from '../failure.ts';
import { mastodonFailure } from './errors.ts';
import { findThread } from './find-thread.ts';

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
