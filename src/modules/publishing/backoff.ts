/** When to try again after a transient failure: exponential with full jitter, at least what the network asked for. */
export const MAX_ATTEMPTS = 8;
const BASE_MS = 5_000;
const CAP_MS = 30 * 60_000;

export function retryDelayMs(attempt: number, networkAsked: number | undefined, random = Math.random, baseMs = BASE_MS): number {
  const ceiling = Math.min(CAP_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  // Full jitter spreads retries of many targets that failed together (a network outage).
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(jittered, networkAsked ?? 0);
}
