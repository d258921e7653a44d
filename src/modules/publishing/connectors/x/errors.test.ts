// X answers (as twitter-api-v2 reports them) mapped to ConnectorError, and our own posts recognised
// in what X gives back, from fabricated answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { fromTokenAnswer, xFailure } from './errors.ts';
import type { XProblem } from './errors.ts';
import { matchThread, readableText, sameTweetText, startTime } from './find-thread.ts';
import type { XTweet } from './find-thread.ts';

const live = new AbortController().signal;
const answer = (code: number, data: XProblem, headers: Record<string, string> = {}) =>
  new ApiResponseError(`Request failed with code ${code}`, { code, data: data as never, headers, request: {} as never, response: {} as never });
const socket = (code: string) => new ApiRequestError('Request failed.', { request: {} as never, error: Object.assign(new Error(code), { code }) } as never);

test('X\'s duplicate-content refusal is permanent and says so in both languages', () => {
  const duplicate = xFailure(answer(403, { detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 }), 'write', live);
  assert.equal(duplicate.kind, 'permanent');
  assert.equal(duplicate.code, 'duplicate_content');
  assert.match(duplicate.reason.id, /teks yang sama persis sudah pernah dikirim akun ini/);
  assert.match(duplicate.reason.en, /already posted exactly the same text/);
});

test('a 403 that is not about the token is a permanent refusal, not a reconnect', () => {
  const enrolled = xFailure(answer(403, { title: 'Client Forbidden', type: 'https://api.twitter.com/2/problems/client-forbidden', detail: 'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.' }), 'write', live);
  assert.equal(enrolled.kind, 'permanent');
  assert.equal(enrolled.code, 'app_not_enrolled');
  const forbidden = xFailure(answer(403, { title: 'Forbidden', detail: 'You are not permitted to perform this action.' }), 'write', live);
  assert.equal(forbidden.kind, 'permanent');
  assert.equal(forbidden.code, 'forbidden');
  assert.equal(xFailure(answer(403, { title: 'Unsupported Authentication', type: 'https://api.twitter.com/2/problems/unsupported-authentication' }), 'write', live).kind, 'auth');
});

test('an expired token is auth; validation answers are permanent with a precise code', () => {
  assert.equal(xFailure(answer(401, { title: 'Unauthorized', detail: 'Unauthorized', status: 401 }), 'write', live).kind, 'auth');
  const long = xFailure(answer(400, { title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', errors: [{ message: 'Your Tweet text is too long.' }] }), 'write', live);
  assert.equal(long.code, 'text_too_long');
  assert.equal(xFailure(answer(400, { title: 'Invalid Request', errors: [{ message: 'Your media IDs are invalid.' }] }), 'write', live).code, 'media_rejected');
});

test('rate limits wait for x-rate-limit-reset; an exhausted 24-hour cap is a permanent daily_cap', () => {
  const now = Math.floor(Date.now() / 1000);
  const limited = xFailure(answer(429, { title: 'Too Many Requests' }, { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(now + 900) }), 'write', live);
  assert.equal(limited.kind, 'transient');
  assert.equal(limited.code, 'rate_limited');
  assert.ok(limited.retryAfterMs! > 890_000 && limited.retryAfterMs! <= 900_000, String(limited.retryAfterMs));

  const capped = xFailure(answer(429, { title: 'Too Many Requests' }, {
    'x-rate-limit-remaining': '40', 'x-rate-limit-reset': String(now + 600),
    'x-user-limit-24hour-limit': '100', 'x-user-limit-24hour-remaining': '0', 'x-user-limit-24hour-reset': String(now + 20 * 3600),
  }), 'write', live);
  assert.equal(capped.kind, 'permanent');
  assert.equal(capped.code, 'daily_cap');
  assert.match(capped.reason.id, /sekitar 20 jam/);
});

test('server faults, gateways and lost connections: a write that may have gone out is uncertain', () => {
  assert.equal(xFailure(answer(503, { title: 'Service Unavailable' }), 'write', live).kind, 'transient');
  assert.equal(xFailure(answer(502, { title: 'Bad Gateway' }), 'write', live).kind, 'uncertain');
  assert.equal(xFailure(answer(502, { title: 'Bad Gateway' }), 'read', live).kind, 'transient');
  assert.equal(xFailure(socket('ECONNRESET'), 'write', live).kind, 'uncertain');
  assert.equal(xFailure(socket('ECONNRESET'), 'read', live).kind, 'transient');
  assert.equal(xFailure(socket('ECONNREFUSED'), 'write', live).code, 'network_unreachable');
  assert.equal(xFailure(socket('ECONNREFUSED'), 'write', live).kind, 'transient');
  // The library's "Socket closed without any information" carries no code.
  assert.equal(xFailure(new ApiRequestError('Request failed.', { request: {} as never, error: new Error('Socket closed without any information.') } as never), 'write', live).kind, 'uncertain');
  const slow = xFailure(socket('ABORT_ERR'), 'write', live, true);
  assert.equal(slow.kind, 'uncertain');
  assert.equal(slow.code, 'timeout');
  const cut = new ApiPartialResponseError('partial', { request: {} as never, response: { statusCode: 201 } as never, responseError: new Error('x'), rawContent: '{"da' });
  assert.equal(xFailure(cut, 'write', live).kind, 'uncertain');
});

test('a refused refresh token means reconnecting', () => {
  const refused = fromTokenAnswer(400, { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' }, {}, null);
  assert.equal(refused.kind, 'auth');
  assert.match(refused.reason.en, /Reconnect the channel/);
  assert.equal(fromTokenAnswer(503, {}, {}, null).kind, 'transient');
});

test('our text is recognised through t.co links, HTML entities and the media link', () => {
  const sent = 'Jembatan & jalan <baru> di Long Ikis: https://paserkab.go.id/berita/1 #Paser';
  const got: XTweet = {
    id: '1', text: 'Jembatan &amp; jalan &lt;baru&gt; di Long Ikis: https://t.co/AbC123 #Paser https://t.co/PiC999',
    entities: { urls: [
      { url: 'https://t.co/AbC123', expanded_url: 'https://paserkab.go.id/berita/1', display_url: 'paserkab.go.id/berita/1' },
      { url: 'https://t.co/PiC999', expanded_url: 'https://x.com/humas/status/1/photo/1', display_url: 'pic.x.com/PiC999', media_key: '3_1' },
    ] },
  };
  assert.equal(readableText(got), 'Jembatan & jalan <baru> di Long Ikis: https://t.co/AbC123 #Paser ');
  assert.ok(sameTweetText(got, sent));
  assert.ok(!sameTweetText(got, 'Jembatan & jalan <lama> di Long Ikis: https://paserkab.go.id/berita/1 #Paser'));
  assert.ok(sameTweetText({ text: '@humaspaser Bagian dua' }, 'Bagian dua'));
});

test('a thread is matched part by part along its reply chain, since the first attempt only', () => {
  const since = new Date('2026-11-28T02:00:00Z');
  const at = (minute: number) => new Date(since.getTime() + minute * 60_000).toISOString();
  const recent: XTweet[] = [
    { id: '105', text: 'Dua 2/3', created_at: at(1), referenced_tweets: [{ type: 'replied_to', id: '104' }] },
    { id: '104', text: 'Satu 1/3', created_at: at(1) },
    // An identical part 1 from yesterday (before the attempt) must not be taken for ours.
    { id: '90', text: 'Satu 1/3', created_at: new Date(since.getTime() - 86_400_000).toISOString() },
    // A stray "Dua" that answers something else is not part of our chain.
    { id: '103', text: 'Dua 2/3', created_at: at(0), referenced_tweets: [{ type: 'replied_to', id: '77' }] },
  ];
  assert.deepEqual(matchThread(recent, ['Satu 1/3', 'Dua 2/3', 'Tiga 3/3'], since).map((t) => t.id), ['104', '105']);
  assert.deepEqual(matchThread(recent, ['Lain'], since), []);
  assert.equal(startTime(since), '2026-11-28T01:58:00Z');
});
