/**
 * Telegram connector (grammY's `Api`, a bot that is admin of a channel). Owns: a text message
 * (link preview on), one photo/video with its caption, an album of 2–10 items (caption on the
 * first), a thread as consecutive messages each replying to the previous one, and deleting.
 *
 * No exactly-once is possible here, and none is pretended:
 * - The Bot API has no idempotency key, and a bot cannot read a channel's history, so after a lost
 *   answer nobody can tell whether the message went out. `findPublished` therefore always answers
 *   null, and the connector says `verifiable: false`: the engine must then end the target as failed
 *   ("mungkin sudah terkirim; periksa kanal sebelum mengirim ulang") instead of sending again.
 * - A thread that fails after its first message was sent cannot be retried as a whole either (the
 *   first message would appear twice): such a failure is reported as permanent `thread_incomplete`,
 *   naming the parts that did go out (`ThreadIncompleteError.published`).
 * - Flood control (429) mid-thread proves the message was not sent: short waits are taken in place.
 *
 * Telegram has no alt text and no title: both are ignored. `firstComment` is the last reply.
 *
 * The answer side is small: a bot can edit what it sent (text, or the caption of media), but the
 * Bot API exposes no view or reaction counts of channel posts, and a channel's comments live in a
 * linked discussion group the bot would have to join and listen to (updates, not a query). So
 * there is no fetchMetrics, fetchComments or reply, and the capabilities say so.
 */
import { Api, InputFile } from 'grammy';
import type { InputMediaPhoto, InputMediaVideo, Message } from 'grammy/types';
import { ConnectorError } from '../../connector.ts';
import type { AccountCapabilities, Connector, ConnectorChannel, Credentials, OutgoingMedia, PublishRequest, PublishedPart } from '../../connector.ts';
import { assertNotCancelled, pause } from '../failure.ts';
import type { Exchange } from '../failure.ts';
import { outgoingTexts } from '../parts.ts';
import { probingFetch, telegramFailure } from './errors.ts';
import type { Probe } from './errors.ts';

const MAX_ALBUM = 10;

/**
 * The Bot API's documented limits. A caption under media has its own limit of 1,024 characters,
 * which `maxCharacters` cannot say; the composer's per-network limits carry it.
 */
const CAPABILITIES: AccountCapabilities = {
  maxCharacters: 4_096,
  maxMedia: MAX_ALBUM,
  mediaKinds: ['image', 'video', 'gif'],
  postsRemaining: null,
  postsWindowHours: null,
  canEdit: true,
  canDelete: true,
  canReadComments: false,
  canReply: false,
  canReadMetrics: false,
};

/** grammY declares some methods with the abort-controller polyfill's signal type; a native signal works at runtime. */
type GrammySignal = NonNullable<Parameters<Api['sendMediaGroup']>[3]>;

export interface TelegramConnectorOptions {
  requestTimeoutMs?: number;
  /** Pause between the messages of a thread (Telegram allows about one message a second per chat). */
  partSpacingMs?: number;
  /** Flood waits up to this long are taken in place in the middle of a thread. */
  maxInlineWaitMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** Thrown when a thread stopped halfway: the parts in `published` are on the channel. */
export class ThreadIncompleteError extends ConnectorError {
  readonly published: PublishedPart[];
  constructor(published: PublishedPart[], total: number, failure: ConnectorError) {
    const maybe = failure.kind === 'uncertain';
    super('permanent', 'thread_incomplete', {
      id: `Utas berhenti di tengah: ${published.length} dari ${total} bagian sudah terkirim${maybe ? ' (bagian berikutnya mungkin juga)' : ''}. Periksa kanal, lalu kirim sisanya secara manual. Penyebab: ${failure.reason.id}`,
      en: `The thread stopped halfway: ${published.length} of ${total} parts were sent${maybe ? ' (the next one may have been too)' : ''}. Check the channel, then send the rest by hand. Cause: ${failure.reason.en}`,
    }, { status: failure.status, cause: failure });
    this.published = published;
  }
}

/** `<chat id>:<message id>[,<message id>…]`: an album is one part made of several messages. */
export function externalIdOf(chatId: number | string, messageIds: number[]): string {
  return `${chatId}:${messageIds.join(',')}`;
}

export function parseExternalId(externalId: string): { chatId: string; messageIds: number[] } {
  const at = externalId.lastIndexOf(':');
  if (at <= 0) throw new RangeError(`not a Telegram message id: ${externalId}`);
  const messageIds = externalId.slice(at + 1).split(',').map(Number);
  if (messageIds.length === 0 || messageIds.some((id) => !Number.isSafeInteger(id) || id <= 0)) throw new RangeError(`not a Telegram message id: ${externalId}`);
  return { chatId: externalId.slice(0, at), messageIds };
}

/** A public channel's message link; private channels (-100…) get the members-only t.me/c link. */
export function messageUrl(chat: { id: number; username?: string | undefined }, messageId: number): string | null {
  if (chat.username) return `https://t.me/${chat.username}/${messageId}`;
  const id = String(chat.id);
  return id.startsWith('-100') ? `https://t.me/c/${id.slice(4)}/${messageId}` : null;
}

export function createTelegramConnector(options: TelegramConnectorOptions = {}): Connector & { readonly verifiable: false } {
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const partSpacingMs = options.partSpacingMs ?? 1_000;
  const maxInlineWaitMs = options.maxInlineWaitMs ?? 30_000;

  const botOf = (channel: ConnectorChannel, credentials: Credentials) => {
    const { botToken } = credentials;
    const chatId = credentials.chatId ?? channel.externalAccountId ?? undefined;
    if (!botToken || !chatId) {
      throw new ConnectorError('auth', 'missing_credentials', {
        id: 'Token bot atau ID kanal Telegram belum tersimpan. Sambungkan ulang kanal.',
        en: 'The Telegram bot token or channel id is not stored. Reconnect the channel.',
      });
    }
    const probe: Probe = { status: undefined, headers: undefined };
    // Our own deadline per call (below), so grammY's is set out of the way.
    const api = new Api(botToken, {
      apiRoot: channel.baseUrl.replace(/\/+$/, ''),
      timeoutSeconds: Math.ceil(requestTimeoutMs / 1000) + 60,
      fetch: probingFetch(probe, options.fetch),
    });
    return { api, chatId, probe };
  };

  const call = async <T>(exchange: Exchange, signal: AbortSignal, probe: Probe, run: (signal: GrammySignal) => Promise<T>): Promise<T> => {
    assertNotCancelled(signal);
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(requestTimeoutMs)]);
    try {
      return await run(deadline as unknown as GrammySignal);
    } catch (error) {
      throw telegramFailure(error, { exchange, signal, deadline, probe });
    }
  };

  const inputFile = async (media: OutgoingMedia, index: number): Promise<InputFile> => {
    const ext = media.mime.split('/')[1]?.replace('jpeg', 'jpg').replace(/[^a-z0-9]/gi, '') || 'bin';
    return new InputFile(new Uint8Array(await media.read()), `media-${index + 1}.${ext}`);
  };

  const connector: Connector & { readonly verifiable: false } = {
    network: 'telegram',
    defaultBaseUrl: 'https://api.telegram.org',
    idempotent: false,
    verifiable: false,

    async publish(request: PublishRequest) {
      const { signal } = request;
      const { api, chatId, probe } = botOf(request.channel, request.credentials);
      const texts = outgoingTexts(request);
      const media = request.media;
      if (texts.length === 0 && media.length === 0) {
        throw new ConnectorError('permanent', 'text_empty', { id: 'Tidak ada teks atau media untuk dikirim ke Telegram.', en: 'There is no text or media to send to Telegram.' });
      }
      if (media.length > MAX_ALBUM) {
        throw new ConnectorError('permanent', 'media_rejected', { id: 'Telegram menerima paling banyak 10 media dalam satu album.', en: 'Telegram takes at most 10 items in one album.' });
      }
      const total = Math.max(texts.length, 1);
      const published: PublishedPart[] = [];
      let previous: number | undefined;

      const sendPart = async (index: number): Promise<Message[]> => {
        const text = texts[index] ?? '';
        const replyTo = previous === undefined ? {} : { reply_parameters: { message_id: previous } };
        if (index > 0 || media.length === 0) {
          return [await call('write', signal, probe, (s) => api.sendMessage(chatId, text, { ...replyTo, link_preview_options: { is_disabled: false } }, s))];
        }
        const caption = text === '' ? {} : { caption: text };
        if (media.length === 1) {
          const item = media[0]!;
          const file = await inputFile(item, 0);
          if (item.mime.startsWith('video/')) return [await call('write', signal, probe, (s) => api.sendVideo(chatId, file, { ...caption, supports_streaming: true }, s))];
          if (item.mime === 'image/gif') return [await call('write', signal, probe, (s) => api.sendAnimation(chatId, file, caption, s))];
          return [await call('write', signal, probe, (s) => api.sendPhoto(chatId, file, caption, s))];
        }
        const items: (InputMediaPhoto | InputMediaVideo)[] = [];
        for (const [i, item] of media.entries()) {
          const file = await inputFile(item, i);
          const first = i === 0 ? caption : {};
          items.push(item.mime.startsWith('video/') ? { type: 'video', media: file, ...first } : { type: 'photo', media: file, ...first });
        }
        return call('write', signal, probe, (s) => api.sendMediaGroup(chatId, items, {}, s));
      };

      for (let index = 0; index < total; index++) {
        if (index > 0 && partSpacingMs > 0) await pause(partSpacingMs, signal).catch((error: unknown) => { throw incomplete(published, total, error); });
        let messages: Message[] | undefined;
        for (let tries = 0; messages === undefined; tries++) {
          try {
            messages = await sendPart(index);
          } catch (error) {
            const failure = incomplete([], total, error);
            // Flood control proves nothing was sent; mid-thread a short wait beats a broken thread.
            const wait = failure.code === 'rate_limited' ? failure.retryAfterMs ?? 1_000 : undefined;
            if (published.length > 0 && wait !== undefined && wait <= maxInlineWaitMs && tries < 3) {
              await pause(wait, signal).catch((e: unknown) => { throw incomplete(published, total, e); });
              continue;
            }
            throw published.length > 0 ? incomplete(published, total, failure) : failure;
          }
        }
        const first = messages[0]!;
        published.push({ externalId: externalIdOf(first.chat.id, messages.map((m) => m.message_id)), url: messageUrl(first.chat, first.message_id) });
        previous = first.message_id;
      }
      const head = published[0]!;
      return { externalId: head.externalId, url: head.url, parts: published };
    },

    async findPublished() {
      // The Bot API cannot list a channel's messages: an uncertain send cannot be checked.
      // `verifiable: false` tells the engine not to read this null as "not sent".
      return null;
    },

    async remove(request) {
      const { signal } = request;
      const { api, probe } = botOf(request.channel, request.credentials);
      for (const part of [...request.parts].reverse()) {
        const { chatId, messageIds } = parseExternalId(part.externalId);
        for (const messageId of messageIds) {
          try {
            await call('read', signal, probe, (s) => api.deleteMessage(chatId, messageId, s));
          } catch (error) {
            // Already deleted (by hand, or a repeated remove): nothing left to do for this message.
            if (error instanceof ConnectorError && error.code === 'not_found') continue;
            throw error;
          }
        }
      }
    },

    async capabilities(request) {
      assertNotCancelled(request.signal);
      return { ...CAPABILITIES, mediaKinds: [...CAPABILITIES.mediaKinds] };
    },

    async edit(request) {
      const { signal } = request;
      const { api, probe } = botOf(request.channel, request.credentials);
      for (const [part, text] of editPairs(request.parts, request.texts)) {
        const { chatId, messageIds } = parseExternalId(part.externalId);
        // An album's caption sits on its first message; a single message is text or captioned media.
        const messageId = messageIds[0]!;
        // Setting the same text twice changes nothing, so a lost answer is retried ('read'), never "uncertain".
        const editCaption = () => call('read', signal, probe, (s) => api.editMessageCaption(chatId, messageId, { caption: text }, s));
        try {
          if (messageIds.length > 1) await editCaption();
          else {
            try {
              await call('read', signal, probe, (s) => api.editMessageText(chatId, messageId, text, { link_preview_options: { is_disabled: false } }, s));
            } catch (error) {
              if (!(error instanceof ConnectorError && error.code === 'no_text_to_edit')) throw error;
              await editCaption();
            }
          }
        } catch (error) {
          // Already reads this way (an earlier attempt, or only another part changed): done.
          if (error instanceof ConnectorError && error.code === 'not_modified') continue;
          throw error;
        }
      }
    },

    async verify(request) {
      const { signal } = request;
      const { api, chatId, probe } = botOf(request.channel, request.credentials);
      const bot = await call('read', signal, probe, (s) => api.getMe(s));
      const chat = await call('read', signal, probe, (s) => api.getChat(chatId, s));
      const title = 'title' in chat && chat.title ? chat.title : bot.first_name;
      return {
        externalAccountId: String(chat.id),
        handle: chat.username ? `@${chat.username}` : title,
        name: title,
        // A chat photo is only reachable through a URL that contains the bot token: never shown.
        avatarUrl: null,
      };
    },
  };
  return connector;
}

/** Part i gets text i. An edit cannot add parts; parts past the texts (a first comment) stay as they are. */
function editPairs(parts: readonly PublishedPart[], texts: readonly string[]): [PublishedPart, string][] {
  if (texts.length > parts.length) {
    throw new ConnectorError('permanent', 'edit_adds_parts', {
      id: 'Suntingan tidak bisa menambah bagian baru ke utas yang sudah terbit. Kirim bagian baru sebagai balasan.',
      en: 'An edit cannot add new parts to a published thread. Send the new part as a reply.',
    });
  }
  return texts.map((text, index) => [parts[index]!, text]);
}

function incomplete(published: PublishedPart[], total: number, error: unknown): ConnectorError {
  const failure = error instanceof ConnectorError ? error : new ConnectorError('uncertain', 'unexpected_error', {
    id: 'Kesalahan tak terduga saat mengirim ke Telegram.',
    en: 'Unexpected error while sending to Telegram.',
  }, { cause: error });
  return published.length > 0 ? new ThreadIncompleteError(published, total, failure) : failure;
}

export const telegramConnector = createTelegramConnector();
