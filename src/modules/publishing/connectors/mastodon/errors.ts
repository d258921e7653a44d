/**
 * Mastodon's answers (through masto's error classes) mapped to ConnectorError. masto keeps the
 * HTTP Response as `cause` of a MastoHttpError, so rate-limit headers are still readable; when a
 * server answers an error with a body that is not JSON (an nginx error page), masto cannot read it
 * and the status is lost: for a write that is treated as "may have been taken".
 */
import { MastoDeserializeError, MastoHttpError, MastoUnexpectedError } from 'masto';
import { ConnectorError } from '../../connector.ts';
import { asRead, fromHttpStatus, fromTransportFailure, refused } from '../failure.ts';
import type { Exchange } from '../failure.ts';

const NAME = 'Mastodon';

/** Mastodon's own words for a daily posting cap (and the sandbox's), which waiting minutes will not lift. */
const DAILY_CAP = /daily|per day|24 ?h|harian/i;

export function mastodonFailure(error: unknown, exchange: Exchange, signal: AbortSignal): ConnectorError {
  const mapped = map(error, exchange, signal);
  return exchange === 'read' ? asRead(mapped) : mapped;
}

function map(error: unknown, exchange: Exchange, signal: AbortSignal): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof MastoHttpError) return fromAnswer(error, exchange);
  const transport = fromTransportFailure(error, exchange, signal);
  if (transport) return transport;
  if (error instanceof MastoUnexpectedError || error instanceof MastoDeserializeError || error instanceof TypeError) {
    // An answer we cannot read (HTML error page, truncated JSON): the status is unknown.
    return exchange === 'write'
      ? new ConnectorError('uncertain', 'unreadable_response', {
        id: 'Jawaban Mastodon tidak bisa dibaca; postingan mungkin sudah diterima.',
        en: 'Mastodon\'s answer could not be read; the post may have been taken.',
      }, { cause: error })
      : new ConnectorError('transient', 'unreadable_response', {
        id: 'Jawaban Mastodon tidak bisa dibaca; akan dicoba lagi.',
        en: 'Mastodon\'s answer could not be read; will try again.',
      }, { cause: error });
  }
  return new ConnectorError(exchange === 'write' ? 'uncertain' : 'transient', 'unexpected_error', {
    id: 'Kesalahan tak terduga saat menghubungi Mastodon.',
    en: 'Unexpected error while talking to Mastodon.',
  }, { cause: error });
}

function fromAnswer(error: MastoHttpError, exchange: Exchange): ConnectorError {
  const status = error.statusCode;
  const response = error.cause instanceof Response ? error.cause : undefined;
  const said = [error.message, error.description].filter(Boolean).join(' — ');
  if ((status === 429 || status === 422 || status === 403) && DAILY_CAP.test(said)) {
    return new ConnectorError('permanent', 'daily_cap', {
      id: 'Mastodon menolak: batas harian postingan akun ini sudah tercapai. Kirim ulang besok.',
      en: 'Mastodon refused: this account\'s daily posting limit is reached. Send again tomorrow.',
    }, { status, cause: error });
  }
  const common = fromHttpStatus(NAME, status, response?.headers, exchange, error);
  if (common) return common;
  const fields = Object.keys(error.details ?? {});
  if (status === 413 || /media|file|attachment|image|video|content type|size/i.test(said) || fields.some((f) => /media|file/.test(f))) {
    return new ConnectorError('permanent', 'media_rejected', {
      id: `Mastodon menolak lampiran media (format, ukuran, atau jumlahnya tidak diterima server ini). Mastodon: "${said.slice(0, 200)}"`,
      en: `Mastodon refused the media (format, size or count not accepted by this server). Mastodon: "${said.slice(0, 200)}"`,
    }, { status, cause: error });
  }
  if (/character limit|too long/i.test(said) || error.details?.text?.some((d) => d.error === 'ERR_TOO_LONG')) {
    return new ConnectorError('permanent', 'text_too_long', {
      id: 'Mastodon menolak teks: terlalu panjang untuk server ini.',
      en: 'Mastodon refused the text: too long for this server.',
    }, { status, cause: error });
  }
  if (/blank|empty/i.test(said)) {
    return new ConnectorError('permanent', 'text_empty', {
      id: 'Mastodon menolak postingan kosong.',
      en: 'Mastodon refused an empty post.',
    }, { status, cause: error });
  }
  if (/duplicate|already/i.test(said)) {
    return new ConnectorError('permanent', 'duplicate_content', {
      id: 'Mastodon menolak: isi yang sama sudah pernah dikirim.',
      en: 'Mastodon refused: the same content was already posted.',
    }, { status, cause: error });
  }
  if (status === 404) {
    return new ConnectorError('permanent', 'not_found', {
      id: 'Mastodon tidak menemukan yang dirujuk (status yang dibalas atau media sudah dihapus).',
      en: 'Mastodon could not find what was referenced (the status replied to or the media was deleted).',
    }, { status, cause: error });
  }
  return refused(NAME, status === 422 ? 'validation_failed' : 'rejected', status, said || undefined, error);
}
