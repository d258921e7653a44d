/**
 * Bluesky's XRPC answers mapped to ConnectorError. `XRPCError` keeps the HTTP status (as
 * ResponseType, the same numbers for the codes that matter), the error name (`ExpiredToken`,
 * `RateLimitExceeded`, `RecordNotFound`…) and the response headers; a failure without an answer
 * arrives as status 1 ("Unknown") with the fetch error as its cause.
 */
import { XRPCError } from '@atproto/api';
import { ConnectorError, retryAfterMs } from '../../connector.ts';
import { CAP_WAIT_MS, asRead, fromHttpStatus, fromTransportFailure, refused } from '../failure.ts';
import type { Exchange } from '../failure.ts';

const NAME = 'Bluesky';

export const AUTH_ERRORS = new Set(['ExpiredToken', 'InvalidToken', 'AuthenticationRequired', 'AccountTakedown', 'AccountDeactivated', 'AuthMissing']);

/** Refused credentials, whether still the library's error or already mapped by us. */
export function isAuthFailure(error: unknown): boolean {
  if (error instanceof ConnectorError) return error.kind === 'auth' && error.code !== 'missing_credentials';
  return error instanceof XRPCError && (error.status === 401 || (error.status === 400 || error.status === 403) && AUTH_ERRORS.has(error.error));
}

export function isRecordNotFound(error: unknown): boolean {
  return error instanceof XRPCError && (error.error === 'RecordNotFound' || error.status === 404 && /not found/i.test(error.message));
}

/** The AppView's answer for a post that is gone (deleted, or its author's account removed). */
export function isPostNotFound(error: unknown): boolean {
  return error instanceof XRPCError && (error.error === 'NotFound' || isRecordNotFound(error));
}

/** A post Siar published, or the comment being answered, is no longer on Bluesky. */
export function postGone(what: 'post' | 'comment', cause?: unknown): ConnectorError {
  return new ConnectorError('permanent', 'not_found', what === 'post' ? {
    id: 'Postingan ini sudah tidak ada di Bluesky (mungkin dihapus).',
    en: 'This post is no longer on Bluesky (perhaps deleted).',
  } : {
    id: 'Komentar yang hendak dibalas sudah tidak ada di Bluesky (mungkin dihapus).',
    en: 'The comment being answered is no longer on Bluesky (perhaps deleted).',
  }, { cause });
}

export function blueskyFailure(error: unknown, exchange: Exchange, signal: AbortSignal): ConnectorError {
  const mapped = map(error, exchange, signal);
  return exchange === 'read' ? asRead(mapped) : mapped;
}

function map(error: unknown, exchange: Exchange, signal: AbortSignal): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof XRPCError && error.status >= 100) return fromAnswer(error, exchange);
  const transport = fromTransportFailure(error instanceof XRPCError ? (error.cause ?? error) : error, exchange, signal);
  if (transport) return transport;
  return new ConnectorError(exchange === 'write' ? 'uncertain' : 'transient', 'unexpected_error', {
    id: 'Kesalahan tak terduga saat menghubungi Bluesky.',
    en: 'Unexpected error while talking to Bluesky.',
  }, { cause: error });
}

function fromAnswer(error: XRPCError, exchange: Exchange): ConnectorError {
  const status = error.status;
  const headers = error.headers ?? {};
  const said = error.message && error.message !== error.error ? `${error.error}: ${error.message}` : error.error;
  if (status === 429) {
    const wait = retryAfterMs(headers);
    const window = /;\s*w=(\d+)/.exec(headers['ratelimit-policy'] ?? '')?.[1];
    if ((wait !== undefined && wait > CAP_WAIT_MS) || (window !== undefined && Number(window) >= 86_400)) {
      return new ConnectorError('permanent', 'daily_cap', {
        id: 'Bluesky menolak: batas harian penulisan akun ini sudah tercapai. Kirim ulang setelah batas dibuka.',
        en: 'Bluesky refused: this account\'s daily write limit is reached. Send again once it resets.',
      }, { status, retryAfterMs: wait, cause: error });
    }
  }
  if (AUTH_ERRORS.has(error.error) || status === 401) {
    return new ConnectorError('auth', error.error === 'ExpiredToken' ? 'token_expired' : 'auth_rejected', {
      id: 'Bluesky menolak sesi akun ini dan sandi aplikasinya. Buat sandi aplikasi baru lalu sambungkan ulang kanal.',
      en: 'Bluesky refused this account\'s session and app password. Create a new app password and reconnect the channel.',
    }, { status, cause: error });
  }
  const common = fromHttpStatus(NAME, status, headers, exchange, error);
  if (common) return common;
  if (status === 413 || /BlobTooLarge|blob|image|mime|PayloadTooLarge/i.test(said)) {
    return new ConnectorError('permanent', 'media_rejected', {
      id: `Bluesky menolak gambar (terlalu besar atau formatnya tidak diterima; batas 2 MB per gambar). Bluesky: "${said.slice(0, 200)}"`,
      en: `Bluesky refused the image (too large or an unaccepted format; the limit is 2 MB per image). Bluesky: "${said.slice(0, 200)}"`,
    }, { status, cause: error });
  }
  if (/graphemes|too long|maxLength|longer than/i.test(said)) {
    return new ConnectorError('permanent', 'text_too_long', {
      id: 'Bluesky menolak teks: terlalu panjang (batas 300 karakter/grafem dan 3.000 byte).',
      en: 'Bluesky refused the text: too long (limit 300 graphemes and 3,000 bytes).',
    }, { status, cause: error });
  }
  if (error.error === 'InvalidSwap') {
    return new ConnectorError('permanent', 'record_conflict', {
      id: 'Bluesky: kunci rekaman postingan ini sudah dipakai oleh rekaman lain.',
      en: 'Bluesky: this post\'s record key is already used by another record.',
    }, { status, cause: error });
  }
  return refused(NAME, 'validation_failed', status, said, error);
}
