import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryAfterMs } from './connector.ts';

test('Retry-After and rate-limit reset headers become a wait in milliseconds', () => {
  const now = Date.parse('2026-11-28T02:00:00Z');
  assert.equal(retryAfterMs({ 'retry-after': '30' }, now), 30_000);
  assert.equal(retryAfterMs({ 'retry-after': 'Sat, 28 Nov 2026 02:01:00 GMT' }, now), 60_000);
  // X and Bluesky: epoch seconds.
  assert.equal(retryAfterMs({ 'x-rate-limit-reset': String(now / 1000 + 900) }, now), 900_000);
  assert.equal(retryAfterMs(new Headers({ 'ratelimit-reset': String(now / 1000 + 5) }), now), 5_000);
  // Mastodon: an ISO date.
  assert.equal(retryAfterMs({ 'x-ratelimit-reset': '2026-11-28T02:05:00.000Z' }, now), 300_000);
  // Outside a 429 the reset headers say when the window renews, not when to come back.
  assert.equal(retryAfterMs({ 'x-ratelimit-reset': '2026-11-28T02:05:00.000Z' }, now, { resetHeaders: false }), undefined);
  assert.equal(retryAfterMs({ 'retry-after': '7', 'x-ratelimit-reset': '2026-11-28T02:05:00.000Z' }, now, { resetHeaders: false }), 7_000);
  // Already passed, absent, garbage.
  assert.equal(retryAfterMs({ 'retry-after': '-5' }, now), 0);
  assert.equal(retryAfterMs({}, now), undefined);
  assert.equal(retryAfterMs({ 'retry-after': 'segera' }, now), undefined);
});
