/**
 * Deterministic record keys for Bluesky posts. A TID is 64 bits: a zero top bit, 53 bits of
 * microseconds since the Unix epoch, 10 bits of "clock id"; written as 13 characters of
 * base32-sortable (`234567abcdefghijklmnopqrstuvwxyz`). The PDS accepts any valid TID as the rkey
 * of an `app.bsky.feed.post`, so choosing it ourselves makes a repeated put land on the same record.
 *
 * Our scheme, for part `p` of target `t` first attempted at millisecond `ms`, with h = SHA-256(t):
 *   microseconds = ms * 1000 + (h[0..2] mod 1000) + p
 *   clock id     = h[2..4] mod 1024
 * - Stable: depends only on targetId, firstAttemptAt and the part index.
 * - Parts of one thread are distinct and sort in thread order (consecutive microseconds).
 * - Two targets of one account first attempted in the same millisecond (two posts scheduled for
 *   09:00:00.000) still differ unless 10 + ~10 bits of their hashes collide (about 1 in a million);
 *   the connector reads a key before writing it, so even then it refuses rather than overwrites.
 * - The time part stays honest (within a millisecond of the first attempt), so keys sort like
 *   ordinary TIDs made by the official app.
 */
import { createHash } from 'node:crypto';

const ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';
const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
/** Parts of one thread fit in the sub-millisecond spread without reaching the next millisecond's keys. */
const MAX_PARTS = 1000;

export function encodeTid(microseconds: bigint, clockId: number): string {
  if (microseconds < 0n || microseconds >= 1n << 53n) throw new RangeError('TID timestamp out of range');
  if (!Number.isInteger(clockId) || clockId < 0 || clockId > 1023) throw new RangeError('TID clock id out of range');
  let value = (microseconds << 10n) | BigInt(clockId);
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = ALPHABET[Number(value & 31n)]! + out;
    value >>= 5n;
  }
  return out;
}

export function decodeTid(tid: string): { microseconds: bigint; clockId: number } {
  if (!isValidTid(tid)) throw new RangeError(`not a TID: ${tid}`);
  let value = 0n;
  for (const char of tid) value = (value << 5n) | BigInt(ALPHABET.indexOf(char));
  return { microseconds: value >> 10n, clockId: Number(value & 1023n) };
}

export function isValidTid(value: string): boolean {
  return TID_PATTERN.test(value);
}

export function postRecordKey(targetId: string, firstAttemptAt: Date, partIndex: number): string {
  if (!Number.isInteger(partIndex) || partIndex < 0 || partIndex >= MAX_PARTS) throw new RangeError('part index out of range');
  const ms = firstAttemptAt.getTime();
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError('firstAttemptAt is not a valid date');
  const hash = createHash('sha256').update(targetId, 'utf8').digest();
  const spread = hash.readUInt16BE(0) % 1000;
  const clockId = hash.readUInt16BE(2) % 1024;
  // spread + partIndex may pass 999: the key then borrows the next millisecond, still stable and ordered.
  return encodeTid(BigInt(ms) * 1000n + BigInt(spread + partIndex), clockId);
}

/**
 * Record keys for a reply, whose retries share only `replyKey` (no first-attempt time). The key's
 * time is the start of the current UTC day minus a hash-derived offset of up to a day, so it is
 * never in the future, at most two days old, and stable through the day. A retry on the next day
 * computes the next day's key: the connector therefore looks under both `current` and `previous`
 * before writing, which keeps a reply single for retries up to a day after the first attempt.
 * The offset spreads over a whole day of microseconds and 1,024 clock ids, so two replies of one
 * account meet on a key about once in 10^13.
 */
const DAY_MS = 24 * 60 * 60_000;
const DAY_US = BigInt(DAY_MS) * 1000n;

export function replyRecordKeys(replyKey: string, now: number): { current: string; previous: string } {
  if (!Number.isFinite(now) || now < DAY_MS * 2) throw new RangeError('now is not a valid time');
  const hash = createHash('sha256').update(`reply:${replyKey}`, 'utf8').digest();
  const offset = hash.readBigUInt64BE(0) % DAY_US;
  const clockId = hash.readUInt16BE(8) % 1024;
  const day = BigInt(Math.floor(now / DAY_MS));
  const keyFor = (dayIndex: bigint): string => encodeTid(dayIndex * DAY_US - offset, clockId);
  return { current: keyFor(day), previous: keyFor(day - 1n) };
}
