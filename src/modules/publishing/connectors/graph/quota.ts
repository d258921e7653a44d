/**
 * Meta's publishing quotas, read before publishing so that a used-up quota fails the post at once
 * with when it reopens, rather than after the containers were made:
 * - Instagram `GET /{ig-user-id}/content_publishing_limit?fields=quota_usage,config`;
 * - Threads `GET /{user-id}/threads_publishing_limit?fields=quota_usage,config,reply_quota_usage,reply_config`.
 * Both answer `{ data: [{ quota_usage, config: { quota_total, quota_duration }, … }] }`: API posts in a
 * rolling window (Instagram 100, or 50 in older documents; Threads 250 posts and 1,000 replies;
 * per 86,400 s; a carousel counts once).
 */
import { ConnectorError } from '../../connector.ts';

export interface PublishingQuota {
  used: number;
  total: number;
  windowSeconds: number;
}

interface QuotaConfig { quota_total?: number; quota_duration?: number }

export interface QuotaAnswer {
  data?: { quota_usage?: number; config?: QuotaConfig; reply_quota_usage?: number; reply_config?: QuotaConfig }[];
}

/**
 * The post quota (or, with `replies`, Threads' reply quota), or null when the answer does not
 * carry one (then publishing finds out by itself).
 */
export function readQuota(answer: QuotaAnswer, which: 'posts' | 'replies' = 'posts'): PublishingQuota | null {
  const row = answer.data?.[0];
  const used = which === 'posts' ? row?.quota_usage : row?.reply_quota_usage;
  const config = which === 'posts' ? row?.config : row?.reply_config;
  if (typeof used !== 'number' || typeof config?.quota_total !== 'number') return null;
  return { used, total: config.quota_total, windowSeconds: config.quota_duration ?? 86_400 };
}

/**
 * "Used up" as a permanent `daily_cap`. `oldestInWindowMs` is when the oldest post still inside the
 * window was made (from the account's media list): the quota frees a place when it leaves the window.
 */
export function quotaExhausted(network: string, quota: PublishingQuota, oldestInWindowMs: number | undefined, now: number, what: { id: string; en: string } = { id: 'kiriman', en: 'posts' }): ConnectorError {
  const windowMs = quota.windowSeconds * 1000;
  const reopensAt = oldestInWindowMs !== undefined && oldestInWindowMs + windowMs > now ? oldestInWindowMs + windowMs : undefined;
  const waitMs = reopensAt !== undefined ? reopensAt - now : undefined;
  const hours = Math.round(quota.windowSeconds / 3600);
  const when = waitMs !== undefined
    ? whenText(waitMs)
    : { id: `dalam ${hours} jam`, en: `within ${hours} hours` };
  return new ConnectorError('permanent', 'daily_cap', {
    id: `${network} menolak: batas ${quota.total} ${what.id} lewat API per ${hours} jam sudah terpakai (${quota.used}/${quota.total}). Kuota bergulir dan dibuka lagi ${when.id}; kirim ulang setelah itu.`,
    en: `${network} refused: the limit of ${quota.total} API ${what.en} per ${hours} hours is used up (${quota.used}/${quota.total}). The quota rolls and reopens ${when.en}; send again after that.`,
  }, { retryAfterMs: waitMs });
}

function whenText(waitMs: number): { id: string; en: string } {
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  if (minutes < 90) return { id: `sekitar ${minutes} menit lagi`, en: `in about ${minutes} minutes` };
  const hours = Math.ceil(minutes / 60);
  return { id: `sekitar ${hours} jam lagi`, en: `in about ${hours} hours` };
}
