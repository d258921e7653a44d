// YouTube's error bodies mapped to the engine's kinds, from fabricated answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { msUntilQuotaReset, youtubeFailure } from './errors.ts';
import { GoogleHttpError, UnreadableAnswer } from './http.ts';
import { videoMetadata, withoutAngleBrackets } from './connector.ts';

const live = new AbortController().signal;
const google = (status: number, reason: string, message = 'message', headers: Record<string, string> = {}) =>
  new GoogleHttpError(status, new Headers(headers), { error: { code: status, message, errors: [{ domain: 'youtube', reason, message }] } });

test('the project\'s daily quota and the channel\'s upload limit are daily caps, not retries', () => {
  const quota = youtubeFailure(google(403, 'quotaExceeded'), 'write', live);
  assert.equal(quota.kind, 'permanent');
  assert.equal(quota.code, 'daily_cap');
  assert.ok(quota.retryAfterMs! > 0 && quota.retryAfterMs! <= 24 * 3_600_000);
  assert.match(quota.reason.id, /kuota harian/);
  const uploads = youtubeFailure(google(400, 'uploadLimitExceeded'), 'write', live);
  assert.equal(uploads.code, 'daily_cap');
  assert.match(uploads.reason.en, /24 hours/);
});

test('a rate limit is a short pause, even when YouTube answers it with 403', () => {
  const limited = youtubeFailure(google(403, 'rateLimitExceeded', 'slow down', { 'retry-after': '20' }), 'write', live);
  assert.equal(limited.kind, 'transient');
  assert.equal(limited.code, 'rate_limited');
  assert.equal(limited.retryAfterMs, 20_000);
  assert.equal(youtubeFailure(new GoogleHttpError(429, new Headers(), undefined), 'read', live).kind, 'transient');
});

test('credentials: expired token and revoked grant need auth; a missing scope needs reconnecting', () => {
  assert.equal(youtubeFailure(google(401, 'authError', 'Invalid Credentials'), 'write', live).kind, 'auth');
  const revoked = youtubeFailure(new GoogleHttpError(400, new Headers(), { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }), 'read', live);
  assert.equal(revoked.kind, 'auth');
  assert.equal(youtubeFailure(google(403, 'insufficientPermissions'), 'write', live).code, 'scope_missing');
  assert.equal(youtubeFailure(new GoogleHttpError(401, new Headers(), { error: 'invalid_client' }), 'read', live).code, 'oauth_client_invalid');
});

test('validation refusals are permanent with the rule a person can fix', () => {
  const title = youtubeFailure(google(400, 'invalidTitle'), 'write', live);
  assert.equal(title.kind, 'permanent');
  assert.equal(title.code, 'title_invalid');
  assert.match(title.reason.id, /100 karakter/);
  assert.equal(youtubeFailure(google(400, 'invalidDescription'), 'write', live).code, 'text_too_long');
  assert.equal(youtubeFailure(google(403, 'forbidden'), 'write', live).kind, 'permanent');
  assert.equal(youtubeFailure(google(403, 'commentsDisabled'), 'write', live).code, 'comments_disabled');
  assert.equal(youtubeFailure(google(404, 'videoNotFound'), 'read', live).code, 'not_found');
});

test('a gateway failure during the upload is uncertain; the same on a read is transient', () => {
  const gateway = new GoogleHttpError(502, new Headers(), '<html>Bad Gateway</html>');
  assert.equal(youtubeFailure(gateway, 'write', live).kind, 'uncertain');
  assert.equal(youtubeFailure(gateway, 'read', live).kind, 'transient');
  assert.equal(youtubeFailure(new GoogleHttpError(503, new Headers(), undefined), 'write', live).kind, 'transient');
  assert.equal(youtubeFailure(new UnreadableAnswer('Google', 200, new SyntaxError('x')), 'write', live).kind, 'uncertain');
});

test('the quota resets at midnight Pacific Time', () => {
  // 07:00 UTC on a winter day is 23:00 in Los Angeles (UTC-8): one hour to go.
  assert.equal(msUntilQuotaReset(Date.parse('2025-01-15T07:00:00Z')), 3_600_000);
  // 12:00 UTC in summer is 05:00 in Los Angeles (UTC-7): nineteen hours to go.
  assert.equal(msUntilQuotaReset(Date.parse('2025-07-15T12:00:00Z')), 19 * 3_600_000);
});

test('title: the post title cut to 100 characters, angle brackets removed from title and description', () => {
  const long = 'Peresmian <Jembatan> Mahakam IV '.repeat(5);
  const metadata = videoMetadata({ title: long, parts: ['Warga <b>Samarinda</b> hadir.', 'Bagian dua.'] });
  assert.equal(Array.from(metadata.title).length <= 100, true);
  assert.ok(!/[<>]/.test(metadata.title + metadata.description));
  assert.ok(metadata.title.startsWith('Peresmian Jembatan Mahakam IV'));
  assert.equal(metadata.description, 'Warga bSamarinda/b hadir.\n\nBagian dua.');
  // No title: the first line of the text stands in; no text either: refused.
  assert.equal(videoMetadata({ title: null, parts: ['Baris pertama\nBaris kedua'] }).title, 'Baris pertama');
  assert.throws(() => videoMetadata({ title: '  ', parts: [''] }), /title/);
  assert.equal(withoutAngleBrackets('a<b>c'), 'abc');
  // Emoji count as one character each, never split in half.
  assert.equal(Array.from(videoMetadata({ title: '🎉'.repeat(120), parts: ['x'] }).title).length, 100);
});
