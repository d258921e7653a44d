// LinkedIn answers mapped to ConnectorError, the little-text round trip, and our post recognised
// among the author's recent ones, from fabricated answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duplicateOf, linkedinFailure, untilUtcMidnight } from './errors.ts';
import { matchComments, matchPost } from './find-post.ts';
import { LinkedInHttpError } from './http.ts';
import type { LinkedInProblem } from './http.ts';
import { fromLittleText, sameCommentary, toLittleText } from './little-text.ts';

const live = new AbortController().signal;
const answer = (status: number, body: LinkedInProblem, headers: Record<string, string> = {}) => new LinkedInHttpError(status, new Headers(headers), body);

test('expired and revoked tokens are auth, with reasons a person can act on', () => {
  const expired = linkedinFailure(answer(401, { status: 401, serviceErrorCode: 65601, code: 'EXPIRED_ACCESS_TOKEN', message: 'The token used in the request has expired' }), 'write', live);
  assert.equal(expired.kind, 'auth');
  assert.equal(expired.code, 'token_expired');
  assert.match(expired.reason.id, /berlaku 60 hari/);
  assert.equal(linkedinFailure(answer(401, { status: 401, code: 'REVOKED_ACCESS_TOKEN', message: 'The token used in the request has been revoked by the user' }), 'write', live).code, 'token_revoked');
});

test('a missing Page role is a permanent refusal, not a reconnect', () => {
  const denied = linkedinFailure(answer(403, { status: 403, serviceErrorCode: 100, code: 'ACCESS_DENIED', message: 'Not enough permissions to access: partnerApiPostsExternal.CREATE.20241001' }), 'write', live);
  assert.equal(denied.kind, 'permanent');
  assert.equal(denied.code, 'permission_denied');
  assert.match(denied.reason.id, /peran admin di Halaman/);
});

test('a duplicate is permanent and names the post it duplicates', () => {
  const duplicate = linkedinFailure(answer(422, { status: 422, code: 'DUPLICATE_POST', message: 'Content is a duplicate of urn:li:share:7251234567890123456' }), 'write', live);
  assert.equal(duplicate.kind, 'permanent');
  assert.equal(duplicate.code, 'duplicate_content');
  assert.equal(duplicateOf(duplicate), 'urn:li:share:7251234567890123456');
  assert.equal(linkedinFailure(answer(422, { status: 422, message: 'Field Value validation failed in REQUEST_BODY: Data Processing Exception while processing fields [/commentary]: length exceeded' }), 'write', live).code, 'text_too_long');
});

test('LinkedIn\'s daily limits: a 429 without a wait lasts until midnight UTC', () => {
  const now = Date.UTC(2026, 10, 28, 1, 0);
  assert.equal(untilUtcMidnight(now), 23 * 3_600_000);
  const limited = linkedinFailure(answer(429, { status: 429, message: 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.' }), 'write', live);
  // Whatever the hour the test runs at, a wait until midnight longer than an hour is a cap.
  if (untilUtcMidnight(Date.now()) > 3_600_000) {
    assert.equal(limited.kind, 'permanent');
    assert.equal(limited.code, 'daily_cap');
  } else {
    assert.equal(limited.kind, 'transient');
  }
  const brief = linkedinFailure(answer(429, { status: 429, message: 'Too Many Requests' }, { 'retry-after': '30' }), 'write', live);
  assert.equal(brief.kind, 'transient');
  assert.equal(brief.retryAfterMs, 30_000);
});

test('gateways and lost connections during a post are uncertain; during a read, transient', () => {
  assert.equal(linkedinFailure(answer(504, { message: 'Gateway Timeout' }), 'write', live).kind, 'uncertain');
  assert.equal(linkedinFailure(answer(500, { message: 'Internal Server Error' }), 'write', live).kind, 'transient');
  const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
  assert.equal(linkedinFailure(reset, 'write', live).kind, 'uncertain');
  assert.equal(linkedinFailure(reset, 'read', live).kind, 'transient');
  const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
  assert.equal(linkedinFailure(timeout, 'write', live).code, 'timeout');
  assert.equal(linkedinFailure(answer(426, { status: 426, code: 'NONEXISTENT_VERSION', message: 'Requested version 20990101 is not active' }), 'read', live).code, 'api_version');
});

test('reserved little-text characters are escaped on the way out and read back as typed', () => {
  const text = 'Rapat (terbuka) #Paser @humas: a_b *c* ~d~ [x] {y} <z> |p| \\';
  const little = toLittleText(text);
  assert.equal(little, 'Rapat \\(terbuka\\) \\#Paser \\@humas: a\\_b \\*c\\* \\~d\\~ \\[x\\] \\{y\\} \\<z\\> \\|p\\| \\\\');
  assert.equal(fromLittleText(little), text);
  assert.equal(fromLittleText('Ayo {hashtag|\\#|Paser} bersama @[Humas Paser](urn:li:organization:1)'), 'Ayo #Paser bersama @Humas Paser');
  assert.ok(sameCommentary(little, text));
  assert.ok(sameCommentary(text, text));
  assert.ok(!sameCommentary(toLittleText('Rapat (tertutup)'), 'Rapat (terbuka)'));
});

test('our post is the one made since the first attempt with our text; then our comments in order', () => {
  const since = new Date('2026-11-28T02:00:00Z');
  const author = 'urn:li:organization:101';
  const posts = [
    { id: 'urn:li:share:3', author, commentary: toLittleText('Vaksinasi (gratis)'), createdAt: since.getTime() + 5_000 },
    { id: 'urn:li:share:2', author, commentary: toLittleText('Vaksinasi (gratis)'), createdAt: since.getTime() - 86_400_000 },
    { id: 'urn:li:share:1', author: 'urn:li:organization:999', commentary: toLittleText('Vaksinasi (gratis)'), createdAt: since.getTime() + 1_000 },
  ];
  assert.equal(matchPost(posts, 'Vaksinasi (gratis)', since, author)?.id, 'urn:li:share:3');
  assert.equal(matchPost(posts, 'Vaksinasi berbayar', since, author), undefined);

  const comments = [
    { id: '2', actor: author, message: { text: 'Bagian dua' }, created: { time: 2 } },
    { id: '9', actor: 'urn:li:person:warga', message: { text: 'Terima kasih' }, created: { time: 1 } },
    { id: '1', actor: author, message: { text: 'Bagian satu' }, created: { time: 1 } },
  ];
  assert.deepEqual(matchComments(comments, ['Bagian satu', 'Bagian dua', 'Info lengkap'], author).map((c) => c.id), ['1', '2']);
});
