/**
 * Graph API answers mapped to ConnectorError, shared by Facebook, Instagram and Threads. Meta's
 * error body is `{ error: { message, type: "OAuthException", code, error_subcode, fbtrace_id } }`
 * and the HTTP status says little: rate limits come as 400/403 (codes 4, 17, 32, 613, 80001…),
 * not 429; an expired token is code 190 whatever the status. So the code decides first, then the
 * status. Each network adds its own codes (Instagram's 2207xxx subcodes) through `classify`.
 */
import { ConnectorError } from '../../connector.ts';
import { asRead, fromHttpStatus, fromTransportFailure, rateLimited, refused } from '../failure.ts';
import type { Exchange, Reason } from '../failure.ts';
import { GraphHttpError, GraphUnreadableError } from './client.ts';
import { throttleWaitMs } from './usage.ts';

export interface GraphNetwork {
  /** The network's name as people know it: "Facebook", "Instagram", "Threads". */
  name: string;
  /** What a person reads when the token is refused (expired, revoked, password changed). */
  authReason: Reason;
  /** Network-specific codes, consulted first; undefined falls through to the shared rules. */
  classify?: (error: GraphHttpError, exchange: Exchange) => ConnectorError | undefined;
  /** Wait after a throttled answer that names no time (tests shorten it). */
  throttleFallbackMs?: number;
}

/** Invalid or expired token (190; 102 is the old session error; 2500 "an active access token must be used"). */
const AUTH_CODES = new Set([190, 102, 2500]);
/** App, user, Page, per-hour and business-use-case limits; 341 is the feed action limit. */
const RATE_CODES = new Set([4, 17, 32, 341, 613, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009, 80014]);

export function isPermissionCode(code: number | undefined): boolean {
  return code === 10 || (code !== undefined && code >= 200 && code <= 299);
}

/** True for an answer meaning "this object is not there (any more)". */
export function isNotFound(error: unknown): boolean {
  if (error instanceof ConnectorError) return error.code === 'not_found';
  return error instanceof GraphHttpError && (error.status === 404 || error.code === 803 || (error.code === 100 && error.subcode === 33));
}

export function graphFailure(error: unknown, exchange: Exchange, signal: AbortSignal, network: GraphNetwork): ConnectorError {
  const mapped = map(error, exchange, signal, network);
  return exchange === 'read' ? asRead(mapped) : mapped;
}

function map(error: unknown, exchange: Exchange, signal: AbortSignal, network: GraphNetwork): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof GraphHttpError) return fromAnswer(error, exchange, network);
  const transport = fromTransportFailure(error, exchange, signal);
  if (transport) return transport;
  const name = network.name;
  if (error instanceof GraphUnreadableError || error instanceof SyntaxError) {
    return exchange === 'write'
      ? new ConnectorError('uncertain', 'unreadable_response', {
        id: `Jawaban ${name} tidak bisa dibaca; postingan mungkin sudah diterima.`,
        en: `${name}'s answer could not be read; the post may have been taken.`,
      }, { cause: error })
      : new ConnectorError('transient', 'unreadable_response', {
        id: `Jawaban ${name} tidak bisa dibaca; akan dicoba lagi.`,
        en: `${name}'s answer could not be read; will try again.`,
      }, { cause: error });
  }
  return new ConnectorError(exchange === 'write' ? 'uncertain' : 'transient', 'unexpected_error', {
    id: `Kesalahan tak terduga saat menghubungi ${name}.`,
    en: `Unexpected error while talking to ${name}.`,
  }, { cause: error });
}

function fromAnswer(error: GraphHttpError, exchange: Exchange, network: GraphNetwork): ConnectorError {
  const { name } = network;
  const status = error.status;
  const code = error.code;
  const options = { status, cause: error };

  const own = network.classify?.(error, exchange);
  if (own) return own;

  if ((code !== undefined && AUTH_CODES.has(code)) || status === 401) {
    return new ConnectorError('auth', error.subcode === 463 ? 'token_expired' : 'auth_rejected', network.authReason, options);
  }
  if ((code !== undefined && RATE_CODES.has(code)) || status === 429) {
    return rateLimited(name, throttleWaitMs(error.headers, network.throttleFallbackMs), status, error);
  }
  if (code === 368) {
    return new ConnectorError('permanent', 'temporarily_blocked', {
      id: `${name} untuk sementara memblokir akun ini dari mengirim (dianggap melanggar aturan komunitas atau terlalu banyak aktivitas). Tunggu blokir selesai, lalu kirim ulang. ${name}: "${error.said.slice(0, 200)}"`,
      en: `${name} has temporarily blocked this account from posting (a community-standards or activity restriction). Wait for the block to end, then send again. ${name}: "${error.said.slice(0, 200)}"`,
    }, options);
  }
  if (code === 506) {
    return new ConnectorError('permanent', 'duplicate_content', {
      id: `${name} menolak: teks yang sama persis baru saja dikirim akun ini. Ubah teksnya sedikit bila memang ingin mengirim lagi.`,
      en: `${name} refused: this account just posted exactly the same text. Change the text a little if you really mean to send it again.`,
    }, options);
  }
  if (isPermissionCode(code)) {
    return new ConnectorError('permanent', 'permission_denied', {
      id: `${name} menolak: akun ini tidak memberi Siar izin untuk tindakan ini (izin tidak dicentang saat menyambungkan, atau peran admin dicabut). Sambungkan ulang kanal dan setujui semua izin yang diminta.`,
      en: `${name} refused: this account has not given Siar permission for this (a permission was left unticked when connecting, or the admin role was removed). Reconnect the channel and grant every permission asked for.`,
    }, options);
  }
  // A server fault: before the code-based wording, because a 5xx on a write may still be uncertain.
  if (status >= 500) {
    const common = fromHttpStatus(name, status, error.headers, exchange, error);
    if (common) return common;
  }
  if (code === 1 || code === 2 || error.body?.is_transient === true) {
    // "An unknown error occurred" on a write may have been processed anyway: look before resending.
    if (exchange === 'write' && code === 1) {
      return new ConnectorError('uncertain', 'server_error', {
        id: `${name} melaporkan kesalahan tak dikenal saat menerima postingan; postingan mungkin sudah diterima.`,
        en: `${name} reported an unknown error while taking the post; the post may have been taken.`,
      }, options);
    }
    return new ConnectorError('transient', 'server_error', {
      id: `${name} sedang bermasalah sementara; akan dicoba lagi.`,
      en: `${name} is having a temporary problem; will try again.`,
    }, options);
  }
  if (isNotFound(error)) {
    return new ConnectorError('permanent', 'not_found', {
      id: `${name} tidak menemukan yang dirujuk (postingan atau komentar itu sudah dihapus, atau bukan milik akun ini).`,
      en: `${name} could not find what was referenced (that post or comment was deleted, or is not this account's).`,
    }, options);
  }
  if (code === 100) return refused(name, 'validation_failed', status, error.said, error);
  return refused(name, 'rejected', status, error.said, error);
}
