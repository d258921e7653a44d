// Record keys: valid TIDs, identical to @atproto/common-web's encoding, stable per target and part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTid, encodeTid, isValidTid, postRecordKey, replyRecordKeys } from './tid.ts';

test('encodes like the reference implementation (vectors from @atproto/common-web TID.fromTime)', () => {
  assert.equal(encodeTid(1_700_000_000_000_123n, 7), '3ke6kg3wk5v2b');
  assert.equal(encodeTid(1_767_225_600_000_000n, 1023), '3mbd3542k22zz');
  assert.deepEqual(decodeTid('3ke6kg3wk5v2b'), { microseconds: 1_700_000_000_000_123n, clockId: 7 });
  assert.throws(() => encodeTid(1n << 53n, 0), RangeError);
  assert.throws(() => encodeTid(0n, 1024), RangeError);
});

test('the same target, time and part give the same key; parts differ and sort in thread order', () => {
  const at = new Date('2026-03-01T01:00:00.000Z');
  const keys = [0, 1, 2, 3].map((part) => postRecordKey('target-42', at, part));
  assert.deepEqual(keys, [0, 1, 2, 3].map((part) => postRecordKey('target-42', new Date(at), part)));
  assert.equal(new Set(keys).size, 4);
  assert.deepEqual([...keys].sort(), keys);
  for (const key of keys) assert.ok(isValidTid(key), key);
  // The time inside the key stays within a few milliseconds of the first attempt.
  const micros = decodeTid(keys[0]!).microseconds;
  assert.ok(micros >= BigInt(at.getTime()) * 1000n && micros < BigInt(at.getTime() + 2) * 1000n);
});

test('two targets first attempted in the same millisecond get different keys', () => {
  const at = new Date('2026-03-01T02:00:00.000Z');
  const keys = new Set(Array.from({ length: 500 }, (_, i) => postRecordKey(`target-${i}`, at, 0)));
  assert.equal(keys.size, 500);
  assert.notEqual(postRecordKey('target-1', at, 0), postRecordKey('target-1', new Date(at.getTime() + 1), 0));
});

test('refuses inputs that cannot make a valid key', () => {
  assert.throws(() => postRecordKey('t', new Date(Number.NaN), 0), RangeError);
  assert.throws(() => postRecordKey('t', new Date(), -1), RangeError);
  assert.equal(isValidTid('kzzzzzzzzzzzz'), false); // top bit set
  assert.equal(isValidTid('3ke6kg3wk5v2'), false);
});

test('a reply\'s keys: stable through the day, found again the next day, never in the future', () => {
  const morning = Date.parse('2026-03-01T01:00:00.000Z');
  const evening = Date.parse('2026-03-01T23:59:59.999Z');
  const nextDay = Date.parse('2026-03-02T08:00:00.000Z');
  const today = replyRecordKeys('balasan-42', morning);
  assert.deepEqual(replyRecordKeys('balasan-42', evening), today);
  // A retry after midnight looks under yesterday's key too, which is where the first attempt wrote.
  assert.equal(replyRecordKeys('balasan-42', nextDay).previous, today.current);
  for (const key of [today.current, today.previous]) assert.ok(isValidTid(key), key);
  const micros = decodeTid(today.current).microseconds;
  assert.ok(micros <= BigInt(morning) * 1000n, 'not in the future');
  assert.ok(micros > BigInt(morning - 2 * 86_400_000) * 1000n, 'at most two days old');
  // Different replies, different keys.
  const keys = new Set(Array.from({ length: 500 }, (_, i) => replyRecordKeys(`balasan-${i}`, morning).current));
  assert.equal(keys.size, 500);
});
