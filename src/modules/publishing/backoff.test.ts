import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelayMs } from './backoff.ts';

test('backoff doubles per attempt within full jitter, is capped, and never comes before the network allows', () => {
  assert.equal(retryDelayMs(1, undefined, () => 0), 2_500);
  assert.equal(retryDelayMs(1, undefined, () => 1), 5_000);
  assert.equal(retryDelayMs(3, undefined, () => 1), 20_000);
  assert.equal(retryDelayMs(30, undefined, () => 1), 30 * 60_000);
  assert.equal(retryDelayMs(1, 90_000, () => 0.5), 90_000);
  const spread = new Set(Array.from({ length: 50 }, () => retryDelayMs(4, undefined)));
  assert.ok(spread.size > 40, 'retries of targets that failed together are spread out');
});
