/**
 * X's answers (as twitter-api-v2 reports them, or as our own token requests read them) mapped to
 * ConnectorError.
 *
 * twitter-api-v2 has three error classes: ApiResponseError (an HTTP answer, with status, body and
 * headers), ApiPartialResponseError (an answer cut off mid-body) and ApiRequestError (no answer).
 * The last one keeps the socket error only in a hidden `_options.error` (its `requestError`
 * getter reads a key that is never set in 1.29), so it is dug out here to tell "never sent" from
 * "lost after sending".
 */
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { ConnectorError, retryAfterMs } from '../../connector.ts';
import { asRead, fromHttpStatus, fromTransportFailure, rateLimited, refused } from '../failure.ts';
import type { Exchange } from '../failure.ts';

const NAME = 'X';

type Headers = Record<string, string | string[] | undefined>;

/** X's problem body (v2) — `detail` and `type` — or the older `errors` list. */
export interface XProblem {
  title?: string;
  detail?: string;
  type?: string;
  status?: number;
  errors?: { message?: string; parameters?: Record<string, unknown>; code?: number }[];
  /** OAuth token endpoint errors. */
  error?: string;
  error_description?: string;
}

export function xFailure(error: unknown, exchange: Exchange, signal: AbortSignal, timedOut = false): ConnectorError {
  const mapped = map(error, exchange, signal, timedOut);
  return exchange === 'read' ? asRead(mapped) : mapped;
}

/** The socket error behind an ApiRequestError (see the module comment). */
function socketError(error: ApiRequestError): unknown {
  const hidden = (error as unknown as { _options?: { error?: unknown; requestError?: unknown } })._options;
  return hidden?.error ?? hidden?.requestError ?? error.requestError;
}

function map(error: unknown, exchange: Exchange, signal: AbortSignal, timedOut: boolean): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof ApiResponseError) return fromAnswer(error.code, error.data as XProblem | undefined, error.headers as Headers, exchange, error);
  const write = exchange === 'write';
  if (error instanceof ApiRequestError || timedOut) {
    const inner = error instanceof ApiRequestError ? socketError(error) ?? error : error;
    if (timedOut && !signal.aborted) {
      return write
        ? new ConnectorError('uncertain', 'timeout', {
          id: 'X tidak menjawab tepat waktu; postingan mungkin sudah diterima.',
          en: 'X did not answer in time; the post may have been taken.',
        }, { cause: error })
        : new ConnectorError('transient', 'timeout', { id: 'X tidak menjawab tepat waktu.', en: 'X did not answer in time.' }, { cause: error });
    }
    const transport = fromTransportFailure(inner, exchange, signal);
    if (transport) return transport;
    // "Socket closed without any information": the connection ended with no answer.
    return write
      ? new ConnectorError('uncertain', 'connection_lost', {
        id: 'Sambungan ke X terputus setelah permintaan terkirim; postingan mungkin sudah diterima.',
        en: 'The connection to X dropped after the request was sent; the post may have been taken.',
      }, { cause: error })
      : new ConnectorError('transient', 'connection_lost', { id: 'Sambungan ke X terputus.', en: 'The connection to X dropped.' }, { cause: error });
  }
  if (error instanceof ApiPartialResponseError) {
    const status = error.response?.statusCode;
    // An answer cut off in the middle: the status line came, the body did not.
    return write && (status === undefined || status < 400 || status === 502 || status === 504)
      ? new ConnectorError('uncertain', 'unreadable_response', {
        id: 'Jawaban X terpotong; postingan mungkin sudah diterima.',
        en: 'X\'s answer was cut off; the post may have been taken.',
      }, { status, cause: error })
      : new ConnectorError('transient', 'unreadable_response', {
        id: 'Jawaban X terpotong; akan dicoba lagi.',
        en: 'X\'s answer was cut off; will try again.',
      }, { status, cause: error });
  }
  const transport = fromTransportFailure(error, exchange, signal);
  if (transport) return transport;
  return new ConnectorError(write ? 'uncertain' : 'transient', 'unexpected_error', {
    id: 'Kesalahan tak terduga saat menghubungi X.',
    en: 'Unexpected error while talking to X.',
  }, { cause: error });
}

/** What X said, in one line: the listed errors (the precise ones) and the problem's detail, else its title. */
export function problemText(body: XProblem | undefined): string {
  if (!body || typeof body !== 'object') return '';
  const said = [...(body.errors ?? []).map((e) => e.message), body.detail, body.error_description].filter((s): s is string => Boolean(s));
  return said.join(' — ') || body.title || body.error || '';
}

function header(headers: Headers | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/** 24-hour caps: X says which window ran out with the x-user-limit-24hour-* / x-app-limit-24hour-* headers. */
function dailyWait(headers: Headers | undefined, now: number): number | undefined {
  for (const scope of ['user', 'app']) {
    if (header(headers, `x-${scope}-limit-24hour-remaining`) !== '0') continue;
    const reset = Number(header(headers, `x-${scope}-limit-24hour-reset`));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  }
  return undefined;
}

export function fromAnswer(status: number, body: XProblem | undefined, headers: Headers | undefined, exchange: Exchange, cause: unknown): ConnectorError {
  const said = problemText(body);
  const type = body?.type ?? '';
  const options = { status, cause };
  if (status === 429) {
    const wait = dailyWait(headers, Date.now()) ?? (headers ? retryAfterMs(headers) : undefined);
    return rateLimited(NAME, wait, status, cause);
  }
  if (status === 401 || /unsupported-authentication/.test(type)) {
    return new ConnectorError('auth', 'auth_rejected', {
      id: 'X menolak token akses akun ini (kedaluwarsa atau dicabut). Siar mencoba memperbaruinya; bila gagal, sambungkan ulang kanal.',
      en: 'X refused this account\'s access token (expired or revoked). Siar tries to renew it; if that fails, reconnect the channel.',
    }, options);
  }
  if (/duplicate/i.test(said)) {
    return new ConnectorError('permanent', 'duplicate_content', {
      id: 'X menolak: teks yang sama persis sudah pernah dikirim akun ini. Ubah teksnya sedikit bila memang ingin mengirim ulang.',
      en: 'X refused: this account already posted exactly the same text. Change the text a little if you do mean to send it again.',
    }, options);
  }
  const common = fromHttpStatus(NAME, status, headers, exchange, cause);
  if (common && status !== 403) return common;
  if (status === 403) {
    if (/client-not-enrolled|client-forbidden/.test(type) || /enrolled|attached to a Project|access level/i.test(said)) {
      return new ConnectorError('permanent', 'app_not_enrolled', {
        id: 'Aplikasi X milik Siar belum punya akses API yang cukup untuk tindakan ini (paket atau proyek di X Developer Console). Hubungi admin Siar.',
        en: 'Siar\'s X app lacks the API access this needs (plan or project in the X Developer Console). Contact Siar\'s admin.',
      }, options);
    }
    if (/suspend|locked|restricted/i.test(said)) {
      return new ConnectorError('permanent', 'account_restricted', {
        id: `X menolak: akun ini sedang dibatasi atau ditangguhkan oleh X. X: "${said.slice(0, 200)}"`,
        en: `X refused: this account is restricted or suspended by X. X: "${said.slice(0, 200)}"`,
      }, options);
    }
    return new ConnectorError('permanent', 'forbidden', {
      id: `X tidak mengizinkan tindakan ini untuk akun ini (misalnya membalas percakapan yang dibatasi).${said ? ` X: "${said.slice(0, 200)}"` : ''}`,
      en: `X does not allow this action for this account (for example replying to a restricted conversation).${said ? ` X: "${said.slice(0, 200)}"` : ''}`,
    }, options);
  }
  if (status === 413 || /media/i.test(said) && !/text/i.test(said)) {
    return new ConnectorError('permanent', 'media_rejected', {
      id: `X menolak media (format, ukuran, atau jumlahnya tidak diterima; maksimal 4 gambar 5 MB). X: "${said.slice(0, 200)}"`,
      en: `X refused the media (format, size or count not accepted; at most 4 images of 5 MB). X: "${said.slice(0, 200)}"`,
    }, options);
  }
  if (/too long|shorter|exceeds.*(length|characters)/i.test(said)) {
    return new ConnectorError('permanent', 'text_too_long', {
      id: 'X menolak teks: terlalu panjang (maksimal 280 karakter berbobot; tautan dihitung 23).',
      en: 'X refused the text: too long (at most 280 weighted characters; a link counts 23).',
    }, options);
  }
  if (status === 404) {
    return new ConnectorError('permanent', 'not_found', {
      id: 'X tidak menemukan yang dirujuk (postingan yang dibalas atau media sudah dihapus).',
      en: 'X could not find what was referenced (the post replied to or the media was deleted).',
    }, options);
  }
  return refused(NAME, status === 400 ? 'validation_failed' : 'rejected', status, said || undefined, cause);
}

/** The token endpoint (authorization code or refresh): a refused grant means signing in again. */
export function fromTokenAnswer(status: number, body: XProblem | undefined, headers: Headers | undefined, cause: unknown): ConnectorError {
  if (status === 400 || status === 401) {
    const said = problemText(body);
    return new ConnectorError('auth', 'grant_rejected', {
      id: `X menolak izin masuk akun ini (token penyegaran kedaluwarsa, sudah dipakai, atau dicabut). Sambungkan ulang kanal.${said ? ` X: "${said.slice(0, 200)}"` : ''}`,
      en: `X refused this account's sign-in grant (refresh token expired, already used or revoked). Reconnect the channel.${said ? ` X: "${said.slice(0, 200)}"` : ''}`,
    }, { status, cause });
  }
  return fromAnswer(status, body, headers, 'read', cause);
}
