/**
 * YouTube's answers mapped to ConnectorError. The Data API answers errors as
 * `{ error: { code, message, errors: [{ domain, reason, message }] } }`, and the `reason` decides:
 * a 403 is not always about credentials on YouTube (quotaExceeded is the project's daily quota,
 * rateLimitExceeded a short pause, forbidden a refusal of this upload). Google's token endpoint
 * answers `{ error: "invalid_grant", error_description }`.
 */
import { ConnectorError, retryAfterMs } from '../../connector.ts';
import { asRead, fromHttpStatus, fromTransportFailure, rateLimited, refused } from '../failure.ts';
import type { Exchange, Reason } from '../failure.ts';
import { GoogleHttpError, UnreadableAnswer } from './http.ts';

const NAME = 'YouTube';

export function youtubeFailure(error: unknown, exchange: Exchange, signal: AbortSignal, now = Date.now()): ConnectorError {
  const mapped = map(error, exchange, signal, now);
  return exchange === 'read' ? asRead(mapped) : mapped;
}

/** The first `reason` of a Data API error body (`quotaExceeded`, `invalidTitle`…), or the OAuth `error`. */
export function reasonOf(body: unknown): { reason: string | undefined; message: string | undefined } {
  if (!body || typeof body !== 'object') return { reason: undefined, message: typeof body === 'string' ? body.slice(0, 300) : undefined };
  const error = (body as { error?: unknown; error_description?: unknown }).error;
  if (typeof error === 'string') {
    const description = (body as { error_description?: unknown }).error_description;
    return { reason: error, message: typeof description === 'string' ? description : undefined };
  }
  if (error && typeof error === 'object') {
    const details = (error as { errors?: { reason?: unknown; message?: unknown }[] }).errors;
    const first = Array.isArray(details) ? details[0] : undefined;
    const message = (error as { message?: unknown }).message;
    return {
      reason: typeof first?.reason === 'string' ? first.reason : undefined,
      message: typeof message === 'string' ? message : typeof first?.message === 'string' ? first.message : undefined,
    };
  }
  return { reason: undefined, message: undefined };
}

/**
 * Google resets the Data API's daily quota at midnight Pacific Time; the wait until then is what
 * a person is told (and what the engine would wait, were it to).
 */
export function msUntilQuotaReset(now: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' })
    .formatToParts(new Date(now));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const elapsed = ((get('hour') * 60 + get('minute')) * 60 + get('second')) * 1000 + (now % 1000);
  return 24 * 3_600_000 - elapsed;
}

function map(error: unknown, exchange: Exchange, signal: AbortSignal, now: number): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof GoogleHttpError) return fromAnswer(error, exchange, now);
  if (error instanceof UnreadableAnswer) {
    return exchange === 'write'
      ? new ConnectorError('uncertain', 'unreadable_response', {
        id: 'Jawaban YouTube tidak bisa dibaca; video mungkin sudah diterima.',
        en: 'YouTube\'s answer could not be read; the video may have been taken.',
      }, { status: error.status, cause: error })
      : new ConnectorError('transient', 'unreadable_response', {
        id: 'Jawaban YouTube tidak bisa dibaca; akan dicoba lagi.',
        en: 'YouTube\'s answer could not be read; will try again.',
      }, { status: error.status, cause: error });
  }
  const transport = fromTransportFailure(error, exchange, signal);
  if (transport) return transport;
  return new ConnectorError(exchange === 'write' ? 'uncertain' : 'transient', 'unexpected_error', {
    id: 'Kesalahan tak terduga saat menghubungi YouTube.',
    en: 'Unexpected error while talking to YouTube.',
  }, { cause: error });
}

const permanent = (code: string, reason: Reason, status: number, cause: unknown): ConnectorError =>
  new ConnectorError('permanent', code, reason, { status, cause });

function fromAnswer(error: GoogleHttpError, exchange: Exchange, now: number): ConnectorError {
  const { status } = error;
  const { reason, message } = reasonOf(error.body);
  const said = message ? ` YouTube: "${message.slice(0, 200)}"` : '';
  switch (reason) {
    case 'quotaExceeded':
    case 'dailyLimitExceeded': {
      const wait = msUntilQuotaReset(now);
      const hours = Math.max(1, Math.ceil(wait / 3_600_000));
      return new ConnectorError('permanent', 'daily_cap', {
        id: `YouTube menolak: kuota harian API proyek Siar sudah habis (satu unggahan video memakai banyak kuota). Kuota dibuka lagi sekitar ${hours} jam lagi (tengah malam waktu Pasifik); kirim ulang setelah itu.`,
        en: `YouTube refused: Siar's project has used up its daily API quota (one video upload uses a large share). It reopens in about ${hours} hours (midnight Pacific Time); send again after that.`,
      }, { status, retryAfterMs: wait, cause: error });
    }
    case 'uploadLimitExceeded':
      return new ConnectorError('permanent', 'daily_cap', {
        id: 'YouTube menolak: kanal ini sudah mencapai batas jumlah unggahan video per hari. Kirim ulang dalam 24 jam.',
        en: 'YouTube refused: this channel has reached its daily video upload limit. Send again in 24 hours.',
      }, { status, retryAfterMs: 24 * 3_600_000, cause: error });
    case 'rateLimitExceeded':
    case 'userRateLimitExceeded':
      return rateLimited(NAME, retryAfterMs(error.headers) ?? 60_000, status, error);
    case 'invalid_grant':
      return new ConnectorError('auth', 'auth_rejected', {
        id: 'Google menolak izin akses Siar ke kanal YouTube ini (dicabut, kata sandi diganti, atau kedaluwarsa). Sambungkan ulang kanal.',
        en: 'Google refused Siar\'s access to this YouTube channel (revoked, password changed or expired). Reconnect the channel.',
      }, { status, cause: error });
    case 'invalid_client':
    case 'unauthorized_client':
      return permanent('oauth_client_invalid', {
        id: `Google menolak aplikasi OAuth Siar (client ID atau secret salah). Periksa konfigurasi YouTube di pengaturan Siar.${said}`,
        en: `Google refused Siar's OAuth app (wrong client ID or secret). Check the YouTube settings in Siar's configuration.${said}`,
      }, status, error);
    case 'insufficientPermissions':
    case 'ACCESS_TOKEN_SCOPE_INSUFFICIENT':
      return new ConnectorError('auth', 'scope_missing', {
        id: 'Izin yang diberikan ke Siar di Google kurang (misalnya mengunggah video atau mengelola komentar). Sambungkan ulang kanal dan setujui semua izin.',
        en: 'Siar was not given enough permissions at Google (for example uploading videos or managing comments). Reconnect the channel and approve every permission.',
      }, { status, cause: error });
    case 'youtubeSignupRequired':
    case 'channelNotFound':
      return new ConnectorError('auth', 'no_channel', {
        id: 'Akun Google yang tersambung belum punya kanal YouTube. Buat kanal di YouTube, atau sambungkan ulang dengan akun kanal yang benar.',
        en: 'The connected Google account has no YouTube channel. Create one on YouTube, or reconnect with the channel\'s account.',
      }, { status, cause: error });
    case 'invalidTitle':
      return permanent('title_invalid', {
        id: `YouTube menolak judul video (wajib ada, maks. 100 karakter, tanpa < atau >).${said}`,
        en: `YouTube refused the video title (required, at most 100 characters, no < or >).${said}`,
      }, status, error);
    case 'invalidDescription':
      return permanent('text_too_long', {
        id: `YouTube menolak deskripsi video (maks. 5.000 byte, tanpa < atau >).${said}`,
        en: `YouTube refused the video description (at most 5,000 bytes, no < or >).${said}`,
      }, status, error);
    case 'invalidTags':
    case 'invalidCategoryId':
    case 'defaultLanguageNotSet':
    case 'invalidVideoMetadata':
    case 'invalidPublishAt':
      return permanent('validation_failed', {
        id: `YouTube menolak data video (${reason}).${said}`,
        en: `YouTube refused the video's details (${reason}).${said}`,
      }, status, error);
    case 'mediaBodyRequired':
    case 'invalidFilename':
      return permanent('media_rejected', {
        id: `YouTube menolak berkas video.${said}`,
        en: `YouTube refused the video file.${said}`,
      }, status, error);
    case 'commentsDisabled':
      return permanent('comments_disabled', {
        id: 'Komentar dimatikan untuk video ini, sehingga komentar tidak bisa dikirim.',
        en: 'Comments are turned off for this video, so the comment cannot be sent.',
      }, status, error);
    case 'videoNotFound':
    case 'commentNotFound':
    case 'parentCommentNotFound':
    case 'playlistNotFound':
      return permanent('not_found', {
        id: 'YouTube tidak menemukan video atau komentar ini (mungkin sudah dihapus).',
        en: 'YouTube cannot find this video or comment (perhaps deleted).',
      }, status, error);
    case 'forbiddenPrivacySetting':
    case 'forbiddenLicenseSetting':
    case 'forbidden':
      return permanent('forbidden', {
        id: `YouTube tidak mengizinkan tindakan ini untuk kanal tersebut (misalnya kanal belum terverifikasi atau dibatasi).${said}`,
        en: `YouTube does not allow this for the channel (for example the channel is unverified or restricted).${said}`,
      }, status, error);
    default:
      break;
  }
  if (status === 401) {
    return new ConnectorError('auth', 'auth_rejected', {
      id: 'YouTube menolak token akses kanal ini (kedaluwarsa atau dicabut).',
      en: 'YouTube refused this channel\'s access token (expired or revoked).',
    }, { status, cause: error });
  }
  if (status === 403) {
    // Credentials problems come as 401 or a named reason above; an unnamed 403 is a refusal.
    return refused(NAME, 'forbidden', status, message, error);
  }
  const common = fromHttpStatus(NAME, status, error.headers, exchange, error);
  if (common) return common;
  if (status === 404) {
    return permanent('not_found', {
      id: 'YouTube tidak menemukan yang dirujuk (video atau sesi unggah sudah tidak ada).',
      en: 'YouTube could not find what was referenced (the video or upload session is gone).',
    }, status, error);
  }
  if (status === 413) {
    return permanent('media_rejected', {
      id: 'YouTube menolak berkas video: terlalu besar.',
      en: 'YouTube refused the video file: too large.',
    }, status, error);
  }
  return refused(NAME, status === 400 ? 'validation_failed' : 'rejected', status, message, error);
}
