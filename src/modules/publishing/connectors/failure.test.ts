// Shared failure mapping: which transport failures and HTTP answers are transient, uncertain, auth or a cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHttpStatus, fromTransportFailure } from './failure.ts';
import { outgoingTexts } from './parts.ts';

const live = new AbortController().signal;
const fetchFailed = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

test('a connection never made is transient even for a write', () => {
  assert.equal(fromTransportFailure(fetchFailed('ECONNREFUSED'), 'write', live)?.kind, 'transient');
  assert.equal(fromTransportFailure(fetchFailed('ENOTFOUND'), 'write', live)?.code, 'network_unreachable');
});

test('a connection lost or stalled after sending is uncertain for a write, transient for a read', () => {
  for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT']) {
    assert.equal(fromTransportFailure(fetchFailed(code), 'write', live)?.kind, 'uncertain', code);
    assert.equal(fromTransportFailure(fetchFailed(code), 'read', live)?.kind, 'transient', code);
  }
  assert.equal(fromTransportFailure(new DOMException('t', 'TimeoutError'), 'write', live)?.code, 'timeout');
});

test('the engine cancelling mid-request is uncertain for a write', () => {
  const controller = new AbortController();
  controller.abort();
  const failure = fromTransportFailure(new DOMException('a', 'AbortError'), 'write', controller.signal);
  assert.equal(failure?.kind, 'uncertain');
  assert.equal(failure?.code, 'aborted');
  assert.equal(fromTransportFailure(new Error('something else'), 'write', live), undefined);
});

test('HTTP answers: 429 waits or caps, 500 transient, 502/504 uncertain for writes, 401/403 auth', () => {
  const now = Date.now();
  const limited = fromHttpStatus('Mastodon', 429, new Headers({ 'x-ratelimit-reset': new Date(now + 60_000).toISOString() }), 'write', null);
  assert.equal(limited?.kind, 'transient');
  assert.ok(limited?.retryAfterMs !== undefined && limited.retryAfterMs > 58_000 && limited.retryAfterMs <= 60_000);
  const capped = fromHttpStatus('Mastodon', 429, new Headers({ 'retry-after': String(3 * 3600) }), 'write', null);
  assert.equal(capped?.kind, 'permanent');
  assert.equal(capped?.code, 'daily_cap');
  assert.equal(fromHttpStatus('X', 500, undefined, 'write', null)?.kind, 'transient');
  assert.equal(fromHttpStatus('X', 503, undefined, 'write', null)?.kind, 'transient');
  assert.equal(fromHttpStatus('X', 502, undefined, 'write', null)?.kind, 'uncertain');
  assert.equal(fromHttpStatus('X', 504, undefined, 'read', null)?.kind, 'transient');
  assert.equal(fromHttpStatus('X', 401, undefined, 'write', null)?.kind, 'auth');
  assert.equal(fromHttpStatus('X', 403, undefined, 'write', null)?.kind, 'auth');
  assert.equal(fromHttpStatus('X', 422, undefined, 'write', null), undefined);
});

test('outgoing texts: parts then the first comment, blanks dropped', () => {
  assert.deepEqual(outgoingTexts({ parts: ['a', ' ', 'b'], firstComment: 'c' }), ['a', 'b', 'c']);
  assert.deepEqual(outgoingTexts({ parts: ['a'], firstComment: '  ' }), ['a']);
});
