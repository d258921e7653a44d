/**
 * Meta's user tokens as Siar keeps them: `accessToken` and, for tokens that expire (Instagram's and
 * Threads' long-lived tokens, Facebook's long-lived user token), `expiresAt` as an ISO date.
 * Instagram and Threads tokens are refreshed with the token itself (no separate refresh token),
 * and only while still valid and at least 24 hours old: an expired one needs a new sign-in. So
 * the connectors refresh on the way when the expiry comes near, instead of waiting for a refusal.
 */
import { ConnectorError } from '../../connector.ts';
import type { Credentials } from '../../connector.ts';

export function accessTokenOf(credentials: Credentials, network: string): string {
  const token = credentials.accessToken;
  if (!token) {
    throw new ConnectorError('auth', 'missing_credentials', {
      id: `Token akses ${network} belum tersimpan untuk kanal ini. Sambungkan ulang kanal.`,
      en: `No ${network} access token is stored for this channel. Reconnect the channel.`,
    });
  }
  return token;
}

/** `expires_in` (seconds) as the ISO date Siar stores; undefined when the network gave none. */
export function expiresAtFrom(expiresIn: unknown, now: number): string | undefined {
  const seconds = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  return new Date(now + seconds * 1000).toISOString();
}

/** Refresh before this much lifetime is left (a channel that publishes weekly never lapses). */
export const REFRESH_WITHIN_MS = 10 * 24 * 3_600_000;

/**
 * A long-lived token close to its expiry and still valid. "Close" also guarantees the 24-hour
 * minimum age Meta asks for, since such tokens are issued for 60 days.
 */
export function shouldRefresh(credentials: Credentials, now: number, withinMs = REFRESH_WITHIN_MS): boolean {
  const expiresAt = credentials.expiresAt ? Date.parse(credentials.expiresAt) : Number.NaN;
  if (!Number.isFinite(expiresAt)) return false;
  const left = expiresAt - now;
  return left > 0 && left < withinMs;
}

export interface TokenAnswer {
  access_token?: string;
  token_type?: string;
  expires_in?: number | string;
  user_id?: string | number;
  permissions?: string | string[];
}

/** Instagram's code exchange answers `{ data: [ {...} ] }` in newer references, a bare object in older ones. */
export function unwrapTokenAnswer(answer: TokenAnswer | { data?: TokenAnswer[] }): TokenAnswer {
  const data = (answer as { data?: unknown }).data;
  if (Array.isArray(data) && data[0] && typeof data[0] === 'object') return data[0] as TokenAnswer;
  return answer as TokenAnswer;
}

export function tokenFrom(answer: TokenAnswer, network: string): string {
  if (typeof answer.access_token === 'string' && answer.access_token !== '') return answer.access_token;
  throw new ConnectorError('auth', 'token_missing', {
    id: `${network} tidak mengembalikan token akses. Coba sambungkan ulang.`,
    en: `${network} returned no access token. Try connecting again.`,
  });
}
