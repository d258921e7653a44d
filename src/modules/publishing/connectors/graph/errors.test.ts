// Shared Graph answers (Facebook, Instagram, Threads) mapped to ConnectorError, from fabricated responses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../../connector.ts';
import { createGraphClient, GraphHttpError, GraphUnreadableError, graphTime, sameText } from './client.ts';
import type { GraphErrorBody } from './client.ts';
import { graphFailure } from './errors.ts';
import type { GraphNetwork } from './errors.ts';
import { quotaExhausted, readQuota } from './quota.ts';
import { DEFAULT_THROTTLE_WAIT_MS, readUsage, throttleWaitMs } from './usage.ts';

const live = new AbortController().signal;
const META: GraphNetwork = { name: 'Meta', authReason: { id: 'Token ditolak.', en: 'Token refused.' } };
const answer = (status: number, body: GraphErrorBody, headers: Record<string, string> = {}) =>
  new GraphHttpError(status, new Headers(headers), body, JSON.stringify({ error: body }));
const map = (error: unknown, exchange: 'read' | 'write' = 'write') => graphFailure(error, exchange, live, META);

test('code 190 is auth whatever the status; subcode 463 says the token expired', () => {
  const expired = map(answer(400, { message: 'Error validating access token: Session has expired', type: 'OAuthException', code: 190, error_subcode: 463 }));
  assert.equal(expired.kind, 'auth');
  assert.equal(expired.code, 'token_expired');
  assert.deepEqual(expired.reason, META.authReason);
  assert.equal(map(answer(401, { message: 'Invalid OAuth access token', code: 190 })).code, 'auth_rejected');
});

test('rate limits come as 400/403 with codes 4, 17, 32, 613 and wait for what Meta estimates', () => {
  for (const code of [4, 17, 32, 613]) {
    const limited = map(answer(code === 32 ? 403 : 400, { message: 'Application request limit reached', code }));
    assert.equal(limited.kind, 'transient', String(code));
    assert.equal(limited.code, 'rate_limited');
    assert.equal(limited.retryAfterMs, DEFAULT_THROTTLE_WAIT_MS);
  }
  const usage = JSON.stringify({ '1234': [{ type: 'pages', call_count: 100, total_cputime: 25, total_time: 25, estimated_time_to_regain_access: 3 }] });
  const estimated = map(answer(400, { message: 'User request limit reached', code: 80001 }, { 'X-Business-Use-Case-Usage': usage }));
  assert.equal(estimated.retryAfterMs, 3 * 60_000);
  // Hours away: a posting cap, not a pause.
  const hours = JSON.stringify({ '1234': [{ type: 'instagram', call_count: 100, estimated_time_to_regain_access: 300 }] });
  const capped = map(answer(400, { message: 'limit', code: 4 }, { 'x-business-use-case-usage': hours }));
  assert.equal(capped.kind, 'permanent');
  assert.equal(capped.code, 'daily_cap');
  // A plain 429 with Retry-After, as some Meta edges send.
  assert.equal(map(answer(429, {}, { 'Retry-After': '42' })).retryAfterMs, 42_000);
});

test('blocks, duplicates and missing permissions are permanent with a reason a person can act on', () => {
  const blocked = map(answer(400, { message: 'You have been temporarily blocked from performing this action.', code: 368 }));
  assert.equal(blocked.kind, 'permanent');
  assert.equal(blocked.code, 'temporarily_blocked');
  assert.match(blocked.reason.id, /untuk sementara memblokir/);
  const duplicate = map(answer(400, { message: 'Duplicate status message', code: 506 }));
  assert.equal(duplicate.code, 'duplicate_content');
  assert.match(duplicate.reason.id, /teks yang sama persis/);
  const denied = map(answer(403, { message: '(#200) Requires pages_manage_posts permission', code: 200 }));
  assert.equal(denied.kind, 'permanent');
  assert.equal(denied.code, 'permission_denied');
  const invalid = map(answer(400, { message: '(#100) Invalid parameter', code: 100, error_user_msg: 'The message is invalid.' }));
  assert.equal(invalid.code, 'validation_failed');
  assert.match(invalid.reason.en, /The message is invalid\./);
  assert.equal(map(answer(400, { message: 'Unsupported get request. Object does not exist', code: 100, error_subcode: 33 })).code, 'not_found');
});

test('server faults: 5xx transient, a gateway after a write uncertain, an unknown error on a write uncertain', () => {
  assert.equal(map(answer(500, { message: 'An unexpected error has occurred.', code: 2, is_transient: true })).kind, 'transient');
  assert.equal(map(answer(502, {})).kind, 'uncertain');
  assert.equal(map(answer(502, {}), 'read').kind, 'transient');
  assert.equal(map(answer(400, { message: 'An unknown error occurred', code: 1 })).kind, 'uncertain');
  assert.equal(map(answer(400, { message: 'An unknown error occurred', code: 1 }), 'read').kind, 'transient');
  assert.equal(map(new GraphUnreadableError(200, new SyntaxError('x'))).kind, 'uncertain');
  assert.equal(map(new GraphUnreadableError(200, new SyntaxError('x')), 'read').kind, 'transient');
});

test('usage headers: highest percentage and the time to regain access', () => {
  const headers = new Headers({ 'x-app-usage': '{"call_count":28,"total_time":96,"total_cputime":25}' });
  assert.deepEqual(readUsage(headers), { highestPercent: 96, regainAccessMs: undefined });
  assert.equal(throttleWaitMs(headers, 1_000), 1_000);
  assert.equal(throttleWaitMs(new Headers({ 'x-app-usage': 'not json' }), 7), 7);
});

test('quota: reading it and saying when it reopens', () => {
  const quota = readQuota({ data: [{ quota_usage: 100, config: { quota_total: 100, quota_duration: 86_400 } }] });
  assert.deepEqual(quota, { used: 100, total: 100, windowSeconds: 86_400 });
  assert.equal(readQuota({ data: [{ reply_quota_usage: 3, reply_config: { quota_total: 1000, quota_duration: 86_400 } }] }, 'replies')?.used, 3);
  assert.equal(readQuota({ data: [] }), null);
  const now = Date.UTC(2026, 0, 5, 12);
  const cap = quotaExhausted('Instagram', quota!, now - 20 * 3_600_000, now);
  assert.equal(cap.kind, 'permanent');
  assert.equal(cap.code, 'daily_cap');
  assert.equal(cap.retryAfterMs, 4 * 3_600_000);
  assert.match(cap.reason.id, /100\/100/);
  assert.match(cap.reason.id, /sekitar 4 jam lagi/);
  assert.match(quotaExhausted('Threads', quota!, undefined, now).reason.en, /within 24 hours/);
});

test('Meta times and texts compare the way the network writes them', () => {
  assert.equal(graphTime('2026-01-05T03:04:05+0000'), Date.UTC(2026, 0, 5, 3, 4, 5));
  assert.ok(Number.isNaN(graphTime(undefined)));
  assert.ok(sameText('Halo  dunia\n', 'Halo dunia'));
  assert.ok(!sameText('Halo', 'Hola'));
});

test('the client sends the token both ways Meta reads it and throws the error body', async () => {
  const seen: { url: string; body: string; auth: string | null }[] = [];
  const fake: typeof fetch = async (input, init) => {
    seen.push({ url: String(input), body: String(init?.body ?? ''), auth: new Headers(init?.headers).get('authorization') });
    if (String(input).includes('fail')) return new Response(JSON.stringify({ error: { message: 'Invalid OAuth access token', code: 190 } }), { status: 400 });
    return new Response('{"id":"1"}');
  };
  const graph = createGraphClient({ requestTimeoutMs: 1_000, fetch: fake });
  await graph.call('https://graph.example/v23.0/1/feed', { method: 'POST', form: { message: 'Halo', skip: undefined }, token: 'T', signal: live });
  assert.equal(seen[0]?.body, 'message=Halo&access_token=T');
  assert.equal(seen[0]?.auth, 'Bearer T');
  await graph.call('https://graph.example/v23.0/me', { query: { fields: 'id' }, token: 'T', signal: live });
  assert.equal(seen[1]?.url, 'https://graph.example/v23.0/me?fields=id&access_token=T');
  const failure = await graph.call('https://graph.example/fail', { token: 'T', signal: live }).catch((e: unknown) => e);
  assert.ok(failure instanceof GraphHttpError);
  assert.equal(failure.code, 190);
  assert.ok(map(failure) instanceof ConnectorError);
});

test('halfway: a refusal after the first part went out names what is published; a transient failure is left to the retry', async () => {
  const { halfway, PartialPublishError } = await import('./partial.ts');
  const published = [{ externalId: 'p1', url: 'https://threads.net/@humas/post/1' }];
  const refused = new ConnectorError('permanent', 'text_too_long', { id: 'Terlalu panjang.', en: 'Too long.' });
  const wrapped = halfway('Threads', published, 3, refused, 'thread');
  assert.ok(wrapped instanceof PartialPublishError);
  assert.equal(wrapped.code, 'thread_incomplete');
  assert.deepEqual(wrapped.published, published);
  assert.match(wrapped.reason.id, /1 dari 3 bagian sudah terbit \(https:\/\/threads\.net\/@humas\/post\/1\)/);
  const comment = halfway('Instagram', published, 2, refused, 'first_comment') as ConnectorError;
  assert.equal(comment.code, 'first_comment_failed');
  const busy = new ConnectorError('transient', 'rate_limited', { id: 'x', en: 'x' });
  assert.equal(halfway('Threads', published, 3, busy, 'thread'), busy);
  assert.equal(halfway('Threads', [], 3, refused, 'thread'), refused);
});
