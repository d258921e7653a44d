/**
 * TikTok's answers mapped to ConnectorError: the API's `{ error: { code, message, log_id } }`, the
 * OAuth endpoint's `{ error, error_description }`, and the `fail_reason` a post can end with after
 * TikTok took it (status/fetch says FAILED). A 403 from TikTok is a refusal of the post (daily
 * cap, unaudited app, unverified media domain), not a credentials problem: those come as 401.
 */
import { ConnectorError, retryAfterMs } from '../../connector.ts';
import { asRead, fromHttpStatus, fromTransportFailure, rateLimited, refused } from '../failure.ts';
import type { Exchange, Reason } from '../failure.ts';
import { TikTokHttpError, UnreadableAnswer, namedError } from './http.ts';

const NAME = 'TikTok';

export function tiktokFailure(error: unknown, exchange: Exchange, signal: AbortSignal): ConnectorError {
  const mapped = map(error, exchange, signal);
  return exchange === 'read' ? asRead(mapped) : mapped;
}

function messageOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body !== '' ? body : undefined;
  const error = (body as { error?: unknown }).error;
  if (error && typeof error === 'object') {
    const message = (error as { message?: unknown }).message;
    return typeof message === 'string' && message !== '' ? message : undefined;
  }
  const description = (body as { error_description?: unknown }).error_description;
  return typeof description === 'string' && description !== '' ? description : undefined;
}

function map(error: unknown, exchange: Exchange, signal: AbortSignal): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof TikTokHttpError) return fromAnswer(error, exchange);
  if (error instanceof UnreadableAnswer) {
    return exchange === 'write'
      ? new ConnectorError('uncertain', 'unreadable_response', {
        id: 'Jawaban TikTok tidak bisa dibaca; postingan mungkin sudah diterima.',
        en: 'TikTok\'s answer could not be read; the post may have been taken.',
      }, { status: error.status, cause: error })
      : new ConnectorError('transient', 'unreadable_response', {
        id: 'Jawaban TikTok tidak bisa dibaca; akan dicoba lagi.',
        en: 'TikTok\'s answer could not be read; will try again.',
      }, { status: error.status, cause: error });
  }
  const transport = fromTransportFailure(error, exchange, signal);
  if (transport) return transport;
  return new ConnectorError(exchange === 'write' ? 'uncertain' : 'transient', 'unexpected_error', {
    id: 'Kesalahan tak terduga saat menghubungi TikTok.',
    en: 'Unexpected error while talking to TikTok.',
  }, { cause: error });
}

/** The refusal TikTok names, worded for a person; undefined when the name is not one we know. */
export function namedFailure(code: string, status: number | undefined, said: string | undefined, cause: unknown): ConnectorError | undefined {
  const detail = said ? ` TikTok: "${said.slice(0, 200)}"` : '';
  const options = { status, cause };
  const permanent = (name: string, reason: Reason) => new ConnectorError('permanent', name, reason, options);
  switch (code) {
    case 'access_token_invalid':
    case 'invalid_grant':
    case 'auth_removed':
      return new ConnectorError('auth', 'auth_rejected', {
        id: 'TikTok menolak izin akses Siar ke akun ini (token kedaluwarsa atau izin dicabut). Sambungkan ulang kanal.',
        en: 'TikTok refused Siar\'s access to this account (token expired or access revoked). Reconnect the channel.',
      }, options);
    case 'scope_not_authorized':
    case 'scope_permission_missed':
      return new ConnectorError('auth', 'scope_missing', {
        id: 'Izin yang diberikan ke Siar di TikTok kurang (memposting atau membaca video). Sambungkan ulang kanal dan setujui semua izin.',
        en: 'Siar was not given enough permissions at TikTok (posting or reading videos). Reconnect the channel and approve every permission.',
      }, options);
    case 'invalid_client':
    case 'unauthorized_client':
    case 'client_key_invalid':
      return permanent('oauth_client_invalid', {
        id: `TikTok menolak aplikasi Siar (client key atau secret salah). Periksa konfigurasi TikTok di pengaturan Siar.${detail}`,
        en: `TikTok refused Siar's app (wrong client key or secret). Check the TikTok settings in Siar's configuration.${detail}`,
      });
    case 'spam_risk_too_many_posts':
      return new ConnectorError('permanent', 'daily_cap', {
        id: 'TikTok menolak: akun ini sudah mencapai batas jumlah postingan harian lewat API. Kirim ulang besok.',
        en: 'TikTok refused: this account has reached its daily limit of posts through the API. Send again tomorrow.',
      }, { ...options, retryAfterMs: 24 * 3_600_000 });
    case 'reached_active_user_cap':
      return new ConnectorError('permanent', 'daily_cap', {
        id: 'TikTok menolak: aplikasi Siar sudah mencapai batas harian jumlah akun yang memposting (aplikasi yang belum diaudit hanya boleh 5 akun per 24 jam). Kirim ulang besok.',
        en: 'TikTok refused: Siar\'s app has reached its daily cap of posting accounts (an unaudited app may post for 5 accounts per 24 hours). Send again tomorrow.',
      }, { ...options, retryAfterMs: 24 * 3_600_000 });
    case 'spam_risk_too_many_pending_share':
      return new ConnectorError('transient', 'too_many_pending', {
        id: 'TikTok masih memproses terlalu banyak kiriman dari akun ini; akan dicoba lagi nanti.',
        en: 'TikTok is still processing too many shares from this account; will try again later.',
      }, { ...options, retryAfterMs: 10 * 60_000 });
    case 'spam_risk_user_banned_from_posting':
      return permanent('account_restricted', {
        id: 'TikTok melarang akun ini memposting untuk sementara. Buka aplikasi TikTok untuk melihat peringatan atau mengajukan banding.',
        en: 'TikTok has barred this account from posting for now. Open the TikTok app to see the warning or appeal.',
      });
    case 'spam_risk_text':
    case 'spam_risk':
      return permanent('spam_suspected', {
        id: 'TikTok menolak postingan ini karena dianggap spam (misalnya teks berulang, terlalu banyak tautan atau tagar). Ubah keterangannya, lalu kirim ulang.',
        en: 'TikTok refused this post as likely spam (for example repeated text, too many links or hashtags). Change the caption, then send again.',
      });
    case 'unaudited_client_can_only_post_to_private_accounts':
      return permanent('private_only', {
        id: 'TikTok menolak: aplikasi Siar belum lolos audit TikTok, sehingga hanya boleh memposting ke akun TikTok yang disetel privat (dan postingannya hanya terlihat oleh pemilik). Setel akun menjadi privat, atau minta pengelola Siar mengajukan audit ke TikTok.',
        en: 'TikTok refused: Siar\'s app has not passed TikTok\'s audit, so it may only post to TikTok accounts set to private (and the posts are visible to the owner only). Make the account private, or ask Siar\'s administrator to apply for TikTok\'s audit.',
      });
    case 'privacy_level_option_mismatch':
      return permanent('validation_failed', {
        id: `TikTok menolak pilihan privasi postingan untuk akun ini (pengaturan akun berubah?). Kirim ulang.${detail}`,
        en: `TikTok refused the post's privacy choice for this account (did the account settings change?). Send again.${detail}`,
      });
    case 'url_ownership_unverified':
      return permanent('media_rejected', {
        id: 'TikTok menolak mengambil media: domain tempat Siar menyimpan media belum diverifikasi di akun pengembang TikTok. Minta pengelola Siar memverifikasi domain media.',
        en: 'TikTok refused to fetch the media: the domain Siar serves media from is not verified in the TikTok developer account. Ask Siar\'s administrator to verify the media domain.',
      });
    case 'invalid_file_upload':
    case 'file_format_check_failed':
    case 'duration_check_failed':
    case 'frame_rate_check_failed':
    case 'picture_size_check_failed':
      return permanent('media_rejected', {
        id: `TikTok menolak berkas media (format, durasi, frame rate, atau ukuran gambar tidak memenuhi syarat).${detail}`,
        en: `TikTok refused the media file (format, duration, frame rate or picture size not accepted).${detail}`,
      });
    case 'video_pull_failed':
    case 'photo_pull_failed':
      return new ConnectorError('transient', 'media_unreachable', {
        id: 'TikTok gagal mengunduh media dari server Siar; akan dicoba lagi.',
        en: 'TikTok could not download the media from Siar\'s server; will try again.',
      }, options);
    case 'publish_cancelled':
      return permanent('cancelled', {
        id: 'Postingan dibatalkan di TikTok sebelum tayang.',
        en: 'The post was cancelled at TikTok before it went live.',
      });
    case 'rate_limit_exceeded':
      return rateLimited(NAME, 60_000, status ?? 429, cause);
    case 'internal':
    case 'internal_error':
      return new ConnectorError('transient', 'server_error', {
        id: 'TikTok sedang bermasalah; akan dicoba lagi.',
        en: 'TikTok is having trouble; will try again.',
      }, options);
    case 'invalid_params':
    case 'invalid_request':
      return refused(NAME, 'validation_failed', status, said, cause);
    default:
      return undefined;
  }
}

function fromAnswer(error: TikTokHttpError, exchange: Exchange): ConnectorError {
  const { status } = error;
  const code = namedError(error.body);
  const said = messageOf(error.body);
  if (status === 429 || code === 'rate_limit_exceeded') {
    // TikTok's windows are per minute (6 post inits a minute per token).
    return rateLimited(NAME, retryAfterMs(error.headers) ?? 60_000, status, error);
  }
  if (code) {
    const named = namedFailure(code, status, said, error);
    if (named) return named;
  }
  if (status === 401) {
    return new ConnectorError('auth', 'auth_rejected', {
      id: 'TikTok menolak token akses akun ini (kedaluwarsa atau dicabut).',
      en: 'TikTok refused this account\'s access token (expired or revoked).',
    }, { status, cause: error });
  }
  if (status === 403) return refused(NAME, 'forbidden', status, said ?? code, error);
  const common = fromHttpStatus(NAME, status, error.headers, exchange, error);
  if (common) return common;
  if (status === 404) {
    return new ConnectorError('permanent', 'not_found', {
      id: 'TikTok tidak menemukan yang dirujuk (postingan atau sesi unggah sudah tidak ada).',
      en: 'TikTok could not find what was referenced (the post or upload session is gone).',
    }, { status, cause: error });
  }
  return refused(NAME, status === 400 ? 'validation_failed' : 'rejected', status, said ?? code, error);
}
