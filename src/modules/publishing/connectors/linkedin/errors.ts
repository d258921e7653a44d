/**
 * LinkedIn's answers mapped to ConnectorError. LinkedIn answers errors with
 * `{ status, serviceErrorCode, code, message }`: 401 EXPIRED_ACCESS_TOKEN / REVOKED_ACCESS_TOKEN
 * (a 60-day token ran out or the member withdrew the app), 403 ACCESS_DENIED (the member lacks the
 * Page role or the app lacks the permission: signing in again does not fix a missing role), 422
 * for a refused post (duplicate, too long), 426 for an API version LinkedIn no longer serves, and
 * 429 when a daily limit is used up (LinkedIn's limits run per day and reset at midnight UTC).
 */
import { ConnectorError, retryAfterMs } from '../../connector.ts';
import { asRead, fromHttpStatus, fromTransportFailure, rateLimited, refused } from '../failure.ts';
import type { Exchange } from '../failure.ts';
import { LinkedInHttpError } from './http.ts';
import type { LinkedInProblem } from './http.ts';

const NAME = 'LinkedIn';

export function linkedinFailure(error: unknown, exchange: Exchange, signal: AbortSignal): ConnectorError {
  const mapped = map(error, exchange, signal);
  return exchange === 'read' ? asRead(mapped) : mapped;
}

function map(error: unknown, exchange: Exchange, signal: AbortSignal): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof LinkedInHttpError) return fromAnswer(error.status, error.body, error.headers, exchange, error);
  const transport = fromTransportFailure(error, exchange, signal);
  if (transport) return transport;
  if (error instanceof SyntaxError) {
    // A success answer whose body we cannot read: for a write the post may exist.
    return exchange === 'write'
      ? new ConnectorError('uncertain', 'unreadable_response', {
        id: 'Jawaban LinkedIn tidak bisa dibaca; postingan mungkin sudah diterima.',
        en: 'LinkedIn\'s answer could not be read; the post may have been taken.',
      }, { cause: error })
      : new ConnectorError('transient', 'unreadable_response', {
        id: 'Jawaban LinkedIn tidak bisa dibaca; akan dicoba lagi.',
        en: 'LinkedIn\'s answer could not be read; will try again.',
      }, { cause: error });
  }
  return new ConnectorError(exchange === 'write' ? 'uncertain' : 'transient', 'unexpected_error', {
    id: 'Kesalahan tak terduga saat menghubungi LinkedIn.',
    en: 'Unexpected error while talking to LinkedIn.',
  }, { cause: error });
}

export function problemText(body: LinkedInProblem | undefined): string {
  if (!body || typeof body !== 'object') return '';
  return [body.message, body.error_description, body.code, body.error].find((s) => typeof s === 'string' && s !== '') ?? '';
}

/** Milliseconds to the next midnight UTC, when LinkedIn's daily limits reset. */
export function untilUtcMidnight(now: number): number {
  const next = new Date(now);
  next.setUTCHours(24, 0, 0, 0);
  return next.getTime() - now;
}

export function fromAnswer(status: number, body: LinkedInProblem | undefined, headers: Headers | undefined, exchange: Exchange, cause: unknown): ConnectorError {
  const said = problemText(body);
  const code = body?.code ?? '';
  const options = { status, cause };
  if (status === 429) {
    // LinkedIn rarely says how long; its documented limits are daily, renewed at midnight UTC.
    const wait = (headers ? retryAfterMs(headers, Date.now(), { resetHeaders: false }) : undefined) ?? untilUtcMidnight(Date.now());
    return rateLimited(NAME, wait, status, cause);
  }
  if (status === 401) {
    const revoked = code === 'REVOKED_ACCESS_TOKEN' || /revoked/i.test(said);
    return new ConnectorError('auth', revoked ? 'token_revoked' : 'token_expired', revoked ? {
      id: 'Izin Siar di akun LinkedIn ini sudah dicabut. Sambungkan ulang kanal.',
      en: 'Siar\'s access to this LinkedIn account was revoked. Reconnect the channel.',
    } : {
      id: 'Token LinkedIn kanal ini tidak berlaku lagi (token berlaku 60 hari). Sambungkan ulang kanal.',
      en: 'This channel\'s LinkedIn token is no longer valid (tokens last 60 days). Reconnect the channel.',
    }, options);
  }
  if (status === 403) {
    return new ConnectorError('permanent', 'permission_denied', {
      id: `LinkedIn menolak: akun yang menyambungkan kanal ini tidak punya peran admin di Halaman ini, atau izin aplikasi Siar kurang. LinkedIn: "${said.slice(0, 200)}"`,
      en: `LinkedIn refused: the account that connected this channel is not an admin of this Page, or Siar's app lacks the permission. LinkedIn: "${said.slice(0, 200)}"`,
    }, options);
  }
  if (/duplicate/i.test(said)) {
    return new ConnectorError('permanent', 'duplicate_content', {
      id: 'LinkedIn menolak: isi yang sama persis sudah pernah dikirim akun ini.',
      en: 'LinkedIn refused: this account already posted exactly the same content.',
    }, options);
  }
  if (status === 426 || code === 'NONEXISTENT_VERSION' || /version/i.test(code)) {
    return new ConnectorError('permanent', 'api_version', {
      id: 'LinkedIn tidak lagi melayani versi API yang dipakai Siar. Hubungi admin Siar untuk memperbarui Siar.',
      en: 'LinkedIn no longer serves the API version Siar uses. Ask Siar\'s admin to update Siar.',
    }, options);
  }
  const common = fromHttpStatus(NAME, status, headers, exchange, cause);
  if (common) return common;
  if (/too long|length|exceed.*(char|limit)/i.test(said)) {
    return new ConnectorError('permanent', 'text_too_long', {
      id: 'LinkedIn menolak teks: terlalu panjang (maksimal 3.000 karakter).',
      en: 'LinkedIn refused the text: too long (at most 3,000 characters).',
    }, options);
  }
  if (status === 413 || /image|media|asset|upload/i.test(said)) {
    return new ConnectorError('permanent', 'media_rejected', {
      id: `LinkedIn menolak gambar (format atau ukurannya tidak diterima). LinkedIn: "${said.slice(0, 200)}"`,
      en: `LinkedIn refused the image (format or size not accepted). LinkedIn: "${said.slice(0, 200)}"`,
    }, options);
  }
  if (status === 404) {
    return new ConnectorError('permanent', 'not_found', {
      id: 'LinkedIn tidak menemukan yang dirujuk (postingan atau komentar sudah dihapus).',
      en: 'LinkedIn could not find what was referenced (the post or comment was deleted).',
    }, options);
  }
  return refused(NAME, status === 422 || status === 400 ? 'validation_failed' : 'rejected', status, said || undefined, cause);
}

/** The post a "duplicate" refusal names (`Content is a duplicate of urn:li:share:…`), if it names one. */
export function duplicateOf(error: ConnectorError): string | undefined {
  const cause = error.cause;
  const said = cause instanceof LinkedInHttpError ? problemText(cause.body) : '';
  return /urn:li:(?:share|ugcPost):[\w-]+/.exec(said)?.[0];
}

/** The token endpoint: a refused grant means signing in again. */
export function fromTokenAnswer(status: number, body: LinkedInProblem | undefined, headers: Headers | undefined, cause: unknown): ConnectorError {
  if (status === 400 || status === 401) {
    const said = problemText(body);
    return new ConnectorError('auth', 'grant_rejected', {
      id: `LinkedIn menolak izin masuk akun ini (kode atau token penyegaran kedaluwarsa atau dicabut). Sambungkan ulang kanal.${said ? ` LinkedIn: "${said.slice(0, 200)}"` : ''}`,
      en: `LinkedIn refused this account's sign-in grant (code or refresh token expired or revoked). Reconnect the channel.${said ? ` LinkedIn: "${said.slice(0, 200)}"` : ''}`,
    }, { status, cause });
  }
  return fromAnswer(status, body, headers, 'read', cause);
}
