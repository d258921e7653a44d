/**
 * Sends per address: at most `limit` in a sliding `windowMs`, counted in this process's memory
 * (several web processes each count their own, so the real ceiling is limit × processes). The
 * address is kept only as a salted hash (the salt is random per process and never leaves it), and
 * nothing is written to the database or the logs.
 */
import { createHash, randomBytes } from 'node:crypto';

export const FEEDBACK_LIMIT = 5;
export const FEEDBACK_WINDOW_MS = 10 * 60_000;

export class SendLimiter {
  readonly #salt = randomBytes(16);
  readonly #hits = new Map<string, number[]>();
  readonly limit: number;
  readonly windowMs: number;

  constructor(limit = FEEDBACK_LIMIT, windowMs = FEEDBACK_WINDOW_MS) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  #key(ip: string): string {
    return createHash('sha256').update(this.#salt).update(ip).digest('base64url');
  }

  #recent(key: string, now: number): number[] {
    const hits = (this.#hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (hits.length === 0) this.#hits.delete(key);
    else this.#hits.set(key, hits);
    return hits;
  }

  /** Milliseconds until this address may send again; 0 when it may send now. */
  waitMs(ip: string, now = Date.now()): number {
    const hits = this.#recent(this.#key(ip), now);
    if (hits.length < this.limit) return 0;
    return hits[hits.length - this.limit]! + this.windowMs - now;
  }

  /** Counts one send of this address. */
  record(ip: string, now = Date.now()): void {
    const key = this.#key(ip);
    this.#hits.set(key, [...this.#recent(key, now), now]);
    if (this.#hits.size > 10_000) this.#sweep(now);
  }

  #sweep(now: number): void {
    for (const key of [...this.#hits.keys()]) this.#recent(key, now);
  }
}
