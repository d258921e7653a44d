/**
 * Telegram Bot API answers (through grammY) mapped to ConnectorError. A `GrammyError` is the Bot
 * API's own `{ ok: false, error_code, description, parameters }`; an `HttpError` means no readable
 * answer: then the HTTP status the probe saw (a gateway's HTML page) or the transport failure decides.
 */
import { GrammyError, HttpError } from 'grammy';
import { ConnectorError } from '../../connector.ts';
import { asRead, fromHttpStatus, fromTransportFailure, rateLimited, refused } from '../failure.ts';
import type { Exchange } from '../failure.ts';

const NAME = 'Telegram';

/** What the fetch underneath saw, for answers grammY could not read. */
export interface Probe {
  status: number | undefined;
  headers: Headers | undefined;
}

export function probingFetch(probe: Probe, base: typeof globalThis.fetch = globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    probe.status = undefined;
    probe.headers = undefined;
    const response = await base(input, init ? { ...init, signal: nativeSignal(init.signal) } : init);
    probe.status = response.status;
    probe.headers = response.headers;
    return response;
  };
}

/**
 * grammY (built for node-fetch) hands fetch the abort-controller polyfill's signal, which Node's
 * own fetch refuses; it is bridged to a native signal here.
 */
function nativeSignal(signal: unknown): AbortSignal | null | undefined {
  if (signal === null || signal === undefined || signal instanceof AbortSignal) return signal;
  const foreign = signal as { aborted: boolean; addEventListener(type: 'abort', listener: () => void): void };
  const controller = new AbortController();
  if (foreign.aborted) controller.abort();
  else foreign.addEventListener('abort', () => controller.abort());
  return controller.signal;
}

export interface TelegramFailureContext {
  exchange: Exchange;
  /** The engine's signal: aborted means cancelled. */
  signal: AbortSignal;
  /** Our per-request deadline: aborted (and the engine's not) means timed out. */
  deadline: AbortSignal;
  probe: Probe;
}

export function telegramFailure(error: unknown, context: TelegramFailureContext): ConnectorError {
  const mapped = map(error, context);
  return context.exchange === 'read' ? asRead(mapped) : mapped;
}

function map(error: unknown, { exchange, signal, deadline, probe }: TelegramFailureContext): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof GrammyError) return fromAnswer(error, exchange);
  const cause = error instanceof HttpError ? error.error : error;
  if (!signal.aborted && deadline.aborted) {
    // grammY aborts its own controller without a reason, so the deadline is told apart here.
    return fromTransportFailure(new DOMException('deadline passed', 'TimeoutError'), exchange, signal)!;
  }
  const transport = fromTransportFailure(cause, exchange, signal);
  if (transport) return transport;
  if (probe.status !== undefined && probe.status >= 400) {
    const common = fromHttpStatus(NAME, probe.status, probe.headers, exchange, error);
    if (common) return common;
    return refused(NAME, 'rejected', probe.status, undefined, error);
  }
  return new ConnectorError(exchange === 'write' ? 'uncertain' : 'transient', 'unreadable_response', exchange === 'write' ? {
    id: 'Jawaban Telegram tidak bisa dibaca; pesan mungkin sudah terkirim.',
    en: 'Telegram\'s answer could not be read; the message may have been sent.',
  } : {
    id: 'Jawaban Telegram tidak bisa dibaca; akan dicoba lagi.',
    en: 'Telegram\'s answer could not be read; will try again.',
  }, { status: probe.status, cause: error });
}

function fromAnswer(error: GrammyError, exchange: Exchange): ConnectorError {
  const status = error.error_code;
  const said = error.description;
  const options = { status, cause: error };
  if (status === 429) {
    const wait = error.parameters.retry_after !== undefined ? error.parameters.retry_after * 1000 : undefined;
    return rateLimited(NAME, wait, status, error);
  }
  if (status === 401 || status === 404 && /not found$/i.test(said) && !/message|chat/i.test(said)) {
    return new ConnectorError('auth', 'auth_rejected', {
      id: 'Telegram menolak token bot (salah atau sudah dicabut di BotFather). Sambungkan ulang kanal dengan token baru.',
      en: 'Telegram refused the bot token (wrong or revoked in BotFather). Reconnect the channel with a new token.',
    }, options);
  }
  if (status === 403 || /not enough rights|need administrator rights|CHAT_WRITE_FORBIDDEN|CHAT_ADMIN_REQUIRED/i.test(said)) {
    return new ConnectorError('auth', 'bot_not_admin', {
      id: 'Bot tidak (lagi) menjadi admin kanal dengan izin mengirim pesan. Tambahkan bot sebagai admin kanal, lalu sambungkan ulang.',
      en: 'The bot is not (or no longer) a channel admin allowed to post. Add the bot as a channel admin, then reconnect.',
    }, options);
  }
  if (/chat not found/i.test(said)) {
    return new ConnectorError('auth', 'chat_not_found', {
      id: 'Telegram tidak menemukan kanal ini untuk bot tersebut (ID kanal salah atau bot belum ditambahkan). Sambungkan ulang kanal.',
      en: 'Telegram cannot find this channel for the bot (wrong channel id or the bot was not added). Reconnect the channel.',
    }, options);
  }
  const common = fromHttpStatus(NAME, status, undefined, exchange, error);
  if (common) return common;
  // Edits: the connector's `edit` acts on the first two (unchanged is done; a media message gets its caption edited).
  if (/message is not modified/i.test(said)) {
    return new ConnectorError('permanent', 'not_modified', {
      id: 'Telegram: isi pesan sudah sama dengan suntingan ini.',
      en: 'Telegram: the message already reads as this edit.',
    }, options);
  }
  if (/no text in the message to edit/i.test(said)) {
    return new ConnectorError('permanent', 'no_text_to_edit', {
      id: 'Telegram: pesan ini berupa media; yang bisa disunting adalah keterangannya.',
      en: 'Telegram: this message is media; its caption is what can be edited.',
    }, options);
  }
  if (/message can'?t be edited/i.test(said)) {
    return new ConnectorError('permanent', 'edit_refused', {
      id: 'Telegram tidak mengizinkan pesan ini disunting (bot mungkin perlu izin "Edit pesan orang lain" di kanal, atau pesan ini memang tidak bisa diubah).',
      en: 'Telegram does not allow this message to be edited (the bot may need the "Edit messages of others" right in the channel, or this message cannot be changed at all).',
    }, options);
  }
  if (/too long/i.test(said)) {
    return new ConnectorError('permanent', 'text_too_long', {
      id: 'Telegram menolak teks: terlalu panjang (pesan maks. 4.096 karakter, keterangan media maks. 1.024).',
      en: 'Telegram refused the text: too long (messages up to 4,096 characters, media captions up to 1,024).',
    }, options);
  }
  if (/text is empty|message must be non-empty/i.test(said)) {
    return new ConnectorError('permanent', 'text_empty', {
      id: 'Telegram menolak pesan kosong.',
      en: 'Telegram refused an empty message.',
    }, options);
  }
  if (/photo|image|file|media|video|document|IMAGE_PROCESS_FAILED|wrong type|HTTP URL/i.test(said)) {
    return new ConnectorError('permanent', 'media_rejected', {
      id: `Telegram menolak media (format, ukuran, atau jumlahnya). Telegram: "${said.slice(0, 200)}"`,
      en: `Telegram refused the media (format, size or count). Telegram: "${said.slice(0, 200)}"`,
    }, options);
  }
  if (/to (delete|edit) not found/i.test(said)) {
    return new ConnectorError('permanent', 'not_found', {
      id: 'Pesan ini sudah tidak ada di kanal.',
      en: 'This message is no longer in the channel.',
    }, options);
  }
  if (/replied not found/i.test(said)) {
    return new ConnectorError('permanent', 'not_found', {
      id: 'Pesan yang dibalas sudah tidak ada di kanal (mungkin dihapus).',
      en: 'The message being replied to is no longer in the channel (perhaps deleted).',
    }, options);
  }
  return refused(NAME, 'validation_failed', status, said, error);
}
