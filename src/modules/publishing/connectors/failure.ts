/**
 * What every connector needs to say about a failed HTTP exchange, whatever client library made it:
 * did the bytes leave (then a write may have been taken: uncertain), or not (transient)?
 * Network-specific error bodies are read in each connector's own `errors.ts`; this module only
 * knows HTTP and Node's fetch (undici) failure codes, and the Indonesian/English wording shared by
 * all networks.
 */
import { ConnectorError, retryAfterMs } from '../connector.ts';

export type Reason = { id: string; en: string };

/** Which phase a request was in when it failed; only a write that may have been sent is uncertain. */
export type Exchange = 'write' | 'read';

/** undici / Node socket codes that prove the request never reached the server. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN',
]);

/** Codes where the connection died or stalled after the request may have been sent. */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Walks `cause` chains (fetch wraps the socket error; libraries wrap fetch's error) for a `code`. */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause ?? (current as { error?: unknown }).error;
  }
  return undefined;
}

function findNamed(error: unknown, names: readonly string[]): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const name = (current as { name?: unknown }).name;
    if (typeof name === 'string' && names.includes(name)) return true;
    current = (current as { cause?: unknown }).cause ?? (current as { error?: unknown }).error;
  }
  return false;
}

const REASONS = {
  cancelled: {
    id: 'Pengiriman dibatalkan sebelum permintaan terkirim ke jaringan.',
    en: 'Publishing was cancelled before the request reached the network.',
  },
  cancelledInFlight: {
    id: 'Pengiriman dibatalkan saat permintaan sedang berjalan; jaringan mungkin sudah menerimanya.',
    en: 'Publishing was cancelled while the request was in flight; the network may have taken it.',
  },
  timeout: {
    id: 'Jaringan tidak menjawab tepat waktu; postingan mungkin sudah diterima.',
    en: 'The network did not answer in time; the post may have been taken.',
  },
  readTimeout: {
    id: 'Jaringan tidak menjawab tepat waktu.',
    en: 'The network did not answer in time.',
  },
  connectionLost: {
    id: 'Sambungan terputus setelah permintaan terkirim; postingan mungkin sudah diterima.',
    en: 'The connection dropped after the request was sent; the post may have been taken.',
  },
  readConnectionLost: {
    id: 'Sambungan ke jaringan terputus.',
    en: 'The connection to the network dropped.',
  },
  unreachable: {
    id: 'Server jaringan tidak bisa dihubungi; akan dicoba lagi.',
    en: 'The network server could not be reached; will try again.',
  },
} satisfies Record<string, Reason>;

/**
 * Maps a failure that carries no HTTP answer (abort, timeout, socket error) to a ConnectorError,
 * or returns undefined when the error is something else (an HTTP answer, a library bug).
 */
export function fromTransportFailure(error: unknown, exchange: Exchange, signal: AbortSignal): ConnectorError | undefined {
  const write = exchange === 'write';
  if (signal.aborted) {
    // The engine cancelled (its own deadline or a shutdown): whatever the library made of it.
    return write
      ? new ConnectorError('uncertain', 'aborted', REASONS.cancelledInFlight, { cause: error })
      : new ConnectorError('transient', 'aborted', REASONS.cancelled, { cause: error });
  }
  const code = errorCode(error);
  if (code && NOT_SENT_CODES.has(code)) {
    return new ConnectorError('transient', 'network_unreachable', REASONS.unreachable, { cause: error });
  }
  if (findNamed(error, ['TimeoutError', 'MastoTimeoutError']) || (code && TIMEOUT_CODES.has(code))) {
    return write
      ? new ConnectorError('uncertain', 'timeout', REASONS.timeout, { cause: error })
      : new ConnectorError('transient', 'timeout', REASONS.readTimeout, { cause: error });
  }
  if (code && (code === 'ECONNRESET' || code === 'EPIPE' || code.startsWith('UND_ERR'))
    || (error instanceof TypeError && /fetch failed|terminated|other side closed|socket/i.test(error.message))) {
    return write
      ? new ConnectorError('uncertain', 'connection_lost', REASONS.connectionLost, { cause: error })
      : new ConnectorError('transient', 'connection_lost', REASONS.readConnectionLost, { cause: error });
  }
  if (findNamed(error, ['AbortError'])) {
    // Aborted by our own per-request timer (AbortSignal.timeout reports AbortError in some paths).
    return write
      ? new ConnectorError('uncertain', 'timeout', REASONS.timeout, { cause: error })
      : new ConnectorError('transient', 'timeout', REASONS.readTimeout, { cause: error });
  }
  return undefined;
}

/** Throws the engine's "cancelled before sending" when the request signal already fired. */
export function assertNotCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new ConnectorError('transient', 'aborted', REASONS.cancelled, { cause: signal.reason });
}

/** Sleeps, but wakes with a "cancelled" error when the request is aborted. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new ConnectorError('transient', 'aborted', REASONS.cancelled, { cause: signal.reason }));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ConnectorError('transient', 'aborted', REASONS.cancelled, { cause: signal.reason }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The decision every network shares for an HTTP status it answered with, before the network's own
 * error body is consulted: rate limit, server fault before processing, gateway (maybe processed),
 * credentials. Returns undefined for 4xx validation answers, which each connector words itself.
 */
export function fromHttpStatus(
  networkName: string,
  status: number,
  headers: Parameters<typeof retryAfterMs>[0] | undefined,
  exchange: Exchange,
  cause: unknown,
): ConnectorError | undefined {
  const options = { status, cause };
  if (status === 429) return rateLimited(networkName, headers ? retryAfterMs(headers) : undefined, status, cause);
  if (status === 401 || status === 403) {
    return new ConnectorError('auth', 'auth_rejected', {
      id: `${networkName} menolak kredensial akun ini (token tidak valid, kedaluwarsa, atau izinnya dicabut). Sambungkan ulang kanal.`,
      en: `${networkName} refused this account's credentials (invalid, expired or revoked token). Reconnect the channel.`,
    }, options);
  }
  if (status === 502 || status === 504) {
    // A gateway answered: the server behind it may have processed the request.
    return exchange === 'write'
      ? new ConnectorError('uncertain', 'gateway_error', {
        id: `Gateway ${networkName} gagal (${status}) setelah permintaan terkirim; postingan mungkin sudah diterima.`,
        en: `${networkName}'s gateway failed (${status}) after the request was sent; the post may have been taken.`,
      }, options)
      : new ConnectorError('transient', 'gateway_error', {
        id: `Gateway ${networkName} gagal (${status}); akan dicoba lagi.`,
        en: `${networkName}'s gateway failed (${status}); will try again.`,
      }, { ...options, retryAfterMs: headers ? retryAfterMs(headers, Date.now(), { resetHeaders: false }) : undefined });
  }
  if (status >= 500) {
    return new ConnectorError('transient', 'server_error', {
      id: `Server ${networkName} sedang bermasalah (${status}); akan dicoba lagi.`,
      en: `${networkName}'s server is having trouble (${status}); will try again.`,
    }, { ...options, retryAfterMs: headers ? retryAfterMs(headers, Date.now(), { resetHeaders: false }) : undefined });
  }
  return undefined;
}

/**
 * A wait longer than this is a posting cap (Mastodon's 300 statuses per 3 hours, Bluesky's daily
 * points, Telegram's long flood waits), not a pause: the target fails instead of waiting for hours.
 */
export const CAP_WAIT_MS = 60 * 60_000;

/** A 429: transient with the network's wait, or a permanent `daily_cap` when the wait is hours. */
export function rateLimited(networkName: string, waitMs: number | undefined, status: number, cause: unknown): ConnectorError {
  if (waitMs !== undefined && waitMs > CAP_WAIT_MS) {
    const hours = Math.ceil(waitMs / 3_600_000);
    return new ConnectorError('permanent', 'daily_cap', {
      id: `${networkName} menolak: batas kiriman akun ini sudah tercapai dan baru dibuka sekitar ${hours} jam lagi. Kirim ulang setelah itu.`,
      en: `${networkName} refused: this account's sending limit is reached and reopens in about ${hours} hours. Send again after that.`,
    }, { status, retryAfterMs: waitMs, cause });
  }
  return new ConnectorError('transient', 'rate_limited', {
    id: `${networkName} membatasi jumlah permintaan; akan dicoba lagi setelah batas dibuka.`,
    en: `${networkName} is rate-limiting requests; will try again once the limit resets.`,
  }, { status, retryAfterMs: waitMs, cause });
}

/** The engine treats a read that "may have been taken" as simply failed: there is nothing to duplicate. */
export function asRead(error: ConnectorError): ConnectorError {
  if (error.kind !== 'uncertain') return error;
  return new ConnectorError('transient', error.code, error.reason, { status: error.status, retryAfterMs: error.retryAfterMs, cause: error.cause });
}

/** A permanent refusal whose network message we could not classify more precisely. */
export function refused(networkName: string, code: string, status: number | undefined, detail: string | undefined, cause: unknown): ConnectorError {
  const said = detail ? ` ${networkName}: "${detail.slice(0, 300)}"` : '';
  return new ConnectorError('permanent', code, {
    id: `${networkName} menolak postingan ini.${said}`,
    en: `${networkName} refused this post.${said}`,
  }, { status, cause });
}

/** A per-request deadline joined with the engine's signal. */
export function requestSignal(signal: AbortSignal, timeoutMs: number): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
}
