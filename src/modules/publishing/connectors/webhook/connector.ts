/**
 * The outgoing webhook channel: Siar POSTs each post as JSON to another system (a PPID site, a
 * regional portal, a chat bridge), signed with the channel's secret (signature.ts).
 *
 * The contract with the receiver, which makes publishing exactly once:
 * - every delivery carries `X-Siar-Delivery` and `Idempotency-Key`, the same on every retry of one
 *   target; a receiver stores the id and answers a repeat with its first answer (2xx);
 * - any 2xx means taken; its JSON body may give `{ "id": "…", "url": "…" }` of what it made;
 * - 429 and 5xx are retried (honouring Retry-After), 401/403 means the secret no longer matches
 *   (the channel needs reconnecting), 410 means the receiver is gone, other 4xx are refusals.
 * Because the receiver deduplicates, an uncertain delivery (timeout, connection lost) is simply
 * sent again with the same id, like Mastodon's Idempotency-Key.
 *
 * Events: `ping` (when connecting), `post.published`, `post.edited`, `post.removed`.
 */
import { ConnectorError, type AccountCapabilities, type Connector, type ConnectorChannel, type Credentials, type PublishedPart, type PublishRequest, type PublishResult } from '../../connector.ts';
import { assertNotCancelled, fromHttpStatus, fromTransportFailure, refused, requestSignal, type Exchange } from '../failure.ts';
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.ts';

const NAME = 'Webhook';

export interface WebhookConnectorOptions {
  requestTimeoutMs?: number;
  now?: () => number;
}

interface Delivery {
  event: 'ping' | 'post.published' | 'post.edited' | 'post.removed';
  /** Stable across retries of one delivery: the receiver's deduplication key. */
  id: string;
  data: Record<string, unknown>;
}

function secretOf(credentials: Credentials): string {
  const secret = credentials.secret;
  if (!secret) {
    throw new ConnectorError('auth', 'missing_credentials', {
      id: 'Rahasia penanda tangan webhook belum tersimpan untuk kanal ini. Sambungkan ulang kanal.',
      en: 'No webhook signing secret is stored for this channel. Reconnect the channel.',
    });
  }
  return secret;
}

function urlOf(channel: ConnectorChannel): string {
  if (!URL.canParse(channel.baseUrl)) {
    throw new ConnectorError('permanent', 'invalid_url', { id: 'Alamat webhook kanal ini tidak valid.', en: 'This channel\'s webhook address is not valid.' });
  }
  return channel.baseUrl;
}

export function createWebhookConnector(options: WebhookConnectorOptions = {}): Connector {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const now = options.now ?? Date.now;

  /** Sends one delivery and returns the receiver's JSON answer (or {}); every failure mapped. */
  const deliver = async (channel: ConnectorChannel, credentials: Credentials, delivery: Delivery, exchange: Exchange, signal: AbortSignal): Promise<Record<string, unknown>> => {
    assertNotCancelled(signal);
    const body = JSON.stringify({ event: delivery.event, id: delivery.id, sentAt: new Date(now()).toISOString(), channel: { id: channel.id, handle: channel.handle }, data: delivery.data });
    const timestamp = Math.floor(now() / 1000);
    let response: Response;
    try {
      response = await fetch(urlOf(channel), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Siar-Webhook/1',
          'x-siar-event': delivery.event,
          'x-siar-delivery': delivery.id,
          'idempotency-key': delivery.id,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(secretOf(credentials), timestamp, body),
        },
        body,
        redirect: 'error',
        signal: requestSignal(signal, requestTimeoutMs),
      });
    } catch (error) {
      if (error instanceof ConnectorError) throw error;
      throw fromTransportFailure(error, exchange, signal) ?? new ConnectorError(exchange === 'write' ? 'uncertain' : 'transient', 'connection_lost', {
        id: 'Sambungan ke penerima webhook gagal.', en: 'The connection to the webhook receiver failed.',
      }, { cause: error });
    }
    let text = '';
    try {
      text = await response.text();
    } catch (error) {
      // The answer was cut off after the receiver had it: for a write that is a lost answer.
      throw fromTransportFailure(error, exchange, signal) ?? new ConnectorError('uncertain', 'connection_lost', { id: 'Jawaban penerima webhook terputus.', en: 'The webhook receiver\'s answer was cut off.' }, { cause: error });
    }
    if (response.ok) {
      try {
        const parsed = text.trim() === '' ? {} : JSON.parse(text) as unknown;
        return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, unknown> : {};
      } catch {
        return {};
      }
    }
    const mapped = fromHttpStatus(NAME, response.status, response.headers, exchange, undefined);
    if (mapped) throw mapped;
    if (response.status === 410) {
      throw new ConnectorError('permanent', 'webhook_gone', { id: 'Penerima webhook menyatakan alamat ini sudah tidak dipakai (410). Perbarui alamat kanal.', en: 'The webhook receiver says this address is gone (410). Update the channel\'s address.' }, { status: 410 });
    }
    throw refused(NAME, 'webhook_refused', response.status, `${response.status} ${text.slice(0, 200)}`.trim(), undefined);
  };

  const partOf = (answer: Record<string, unknown>, fallback: string): PublishedPart => ({
    externalId: typeof answer.id === 'string' && answer.id !== '' ? answer.id : fallback,
    url: typeof answer.url === 'string' && URL.canParse(answer.url) ? answer.url : null,
  });

  return {
    network: 'webhook',
    idempotent: true,
    verifiable: true,

    async publish(request: PublishRequest): Promise<PublishResult> {
      const answer = await deliver(request.channel, request.credentials, {
        event: 'post.published',
        id: `siar:${request.targetId}`,
        data: {
          target: request.targetId,
          attempt: request.attempt,
          firstAttemptAt: request.firstAttemptAt.toISOString(),
          title: request.title,
          text: request.parts.join('\n\n'),
          parts: request.parts,
          firstComment: request.firstComment,
          media: request.media.map((m) => ({ url: m.url, mime: m.mime, alt: m.alt, width: m.width, height: m.height })),
        },
      }, 'write', request.signal);
      const part = partOf(answer, request.targetId);
      return { externalId: part.externalId, url: part.url, parts: [part] };
    },

    // The receiver deduplicates by delivery id, so the engine resends instead of looking up.
    async findPublished() {
      return null;
    },

    async remove(request) {
      const first = request.parts[0];
      if (!first) return;
      await deliver(request.channel, request.credentials, { event: 'post.removed', id: `siar:remove:${first.externalId}`, data: { externalId: first.externalId } }, 'write', request.signal);
    },

    async edit(request) {
      const first = request.parts[0];
      if (!first) return;
      await deliver(request.channel, request.credentials, {
        event: 'post.edited',
        // A new id per correction: the same correction retried is deduplicated, a later one is not.
        id: `siar:edit:${first.externalId}:${Buffer.from(request.texts.join('\u0000')).toString('base64url').slice(0, 32)}`,
        data: { externalId: first.externalId, title: request.title, text: request.texts.join('\n\n'), parts: request.texts },
      }, 'write', request.signal);
    },

    async capabilities(): Promise<AccountCapabilities> {
      return {
        maxCharacters: null, maxMedia: null, mediaKinds: ['image', 'video', 'gif'], postsRemaining: null, postsWindowHours: null,
        canEdit: true, canDelete: true, canReadComments: false, canReply: false, canReadMetrics: false,
      };
    },

    async verify(request) {
      const url = new URL(urlOf(request.channel));
      await deliver(request.channel, request.credentials, { event: 'ping', id: `siar:ping:${now()}`, data: { message: 'Siar memeriksa webhook ini (Siar is checking this webhook).' } }, 'read', request.signal);
      return { externalAccountId: url.origin + url.pathname, handle: url.host, name: url.host, avatarUrl: null };
    },
  };
}

export const webhookConnector = createWebhookConnector();
