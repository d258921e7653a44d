/**
 * Meta's rate-limit headers. Graph answers carry how much of a window is used, not a Retry-After:
 * - `X-App-Usage` / `X-Page-Usage` (platform limits): `{"call_count":28,"total_time":25,"total_cputime":25}`,
 *   percentages of a rolling hour, with no time to wait;
 * - `X-Business-Use-Case-Usage` (Pages with a Page token, Instagram): `{"<id>":[{"type":"pages",
 *   "call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":19}]}`,
 *   where the estimate is in minutes.
 * A throttled answer is an error with code 4/17/32/613/80001… (HTTP 400/403, seldom 429).
 */
import { retryAfterMs } from '../../connector.ts';

type HeaderSource = { get(name: string): string | null };

export interface GraphUsage {
  /** The highest percentage of any window used (call count, CPU time, total time). */
  highestPercent: number | undefined;
  /** Meta's estimate of when access comes back, in milliseconds from now. */
  regainAccessMs: number | undefined;
}

const USAGE_HEADERS = ['x-app-usage', 'x-page-usage', 'x-business-use-case-usage', 'x-ad-account-usage'];

export function readUsage(headers: HeaderSource | undefined): GraphUsage {
  let highest: number | undefined;
  let regainMinutes: number | undefined;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if (typeof inner === 'number') {
        if (key === 'estimated_time_to_regain_access') regainMinutes = Math.max(regainMinutes ?? 0, inner);
        else if (key === 'call_count' || key === 'total_time' || key === 'total_cputime' || key === 'acc_id_util_pct') highest = Math.max(highest ?? 0, inner);
      } else {
        visit(inner);
      }
    }
  };
  for (const name of USAGE_HEADERS) {
    const raw = headers?.get(name);
    if (!raw) continue;
    try {
      visit(JSON.parse(raw));
    } catch {
      // A header we cannot read says nothing; the error body still decides.
    }
  }
  return { highestPercent: highest, regainAccessMs: regainMinutes !== undefined && regainMinutes > 0 ? regainMinutes * 60_000 : undefined };
}

/**
 * Platform limits give no time to wait; their usage decays over a rolling hour, so a few minutes'
 * pause lets it fall back under the line without hammering.
 */
export const DEFAULT_THROTTLE_WAIT_MS = 5 * 60_000;

/** How long to wait after a throttled answer: Retry-After, else Meta's estimate, else the default. */
export function throttleWaitMs(headers: HeaderSource | undefined, fallbackMs = DEFAULT_THROTTLE_WAIT_MS): number {
  const after = headers ? retryAfterMs(headers, Date.now(), { resetHeaders: false }) : undefined;
  if (after !== undefined) return after;
  return readUsage(headers).regainAccessMs ?? fallbackMs;
}
