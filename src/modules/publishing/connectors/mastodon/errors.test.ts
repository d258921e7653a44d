// Mastodon answers (as masto reports them) mapped to ConnectorError, from fabricated responses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MastoHttpError, MastoUnexpectedError } from 'masto';
import { mastodonFailure } from './errors.ts';
import { htmlToText, sameText } from './find-thread.ts';

const live = new AbortController().signal;
const answer = (status: number, message: string, headers: Record<string, string> = {}) =>
  new MastoHttpError({ statusCode: status, message }, { cause: new Response(null, { status, headers }) });

test('validation answers are permanent with a reason in both languages', () => {
  const long = mastodonFailure(answer(422, 'Validation failed: Text character limit of 500 exceeded'), 'write', live);
  assert.equal(long.kind, 'permanent');
  assert.equal(long.code, 'text_too_long');
  assert.deepEqual(long.reason, { id: 'Mastodon menolak teks: terlalu panjang untuk server ini.', en: 'Mastodon refused the text: too long for this server.' });
  assert.equal(mastodonFailure(answer(422, 'Validation failed: File content type is invalid'), 'write', live).code, 'media_rejected');
  assert.equal(mastodonFailure(answer(422, 'Validation failed: Text can\'t be blank'), 'write', live).code, 'text_empty');
});

test('rate limits read X-RateLimit-Reset (an ISO date) and Retry-After', () => {
  const reset = new Date(Date.now() + 90_000).toISOString();
  const limited = mastodonFailure(answer(429, 'Too many requests', { 'X-RateLimit-Reset': reset }), 'write', live);
  assert.equal(limited.kind, 'transient');
  assert.ok(limited.retryAfterMs! > 85_000 && limited.retryAfterMs! <= 90_000);
  assert.equal(mastodonFailure(answer(429, 'Too many requests', { 'Retry-After': '10800' }), 'write', live).code, 'daily_cap');
});

test('tokens, gateways and unreadable answers', () => {
  assert.equal(mastodonFailure(answer(401, 'The access token is invalid'), 'write', live).kind, 'auth');
  assert.equal(mastodonFailure(answer(502, 'Bad gateway'), 'write', live).kind, 'uncertain');
  assert.equal(mastodonFailure(answer(503, 'Unavailable'), 'write', live).kind, 'transient');
  // masto cannot read an error page that is not JSON: the status is lost, so a write may have gone through.
  assert.equal(mastodonFailure(new MastoUnexpectedError('The server may be down.'), 'write', live).kind, 'uncertain');
  assert.equal(mastodonFailure(new MastoUnexpectedError('The server may be down.'), 'read', live).kind, 'transient');
});

test('status HTML reads back to the text that was sent', () => {
  const html = '<p>Info: <a href="https://paserkab.go.id/berita/sangat-panjang" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="ellipsis">paserkab.go.id/berita/sangat-p</span><span class="invisible">anjang</span></a> <a href="https://m.test/tags/Paser" class="mention hashtag" rel="tag">#<span>Paser</span></a></p><p>Baris &amp; paragraf<br />kedua</p>';
  assert.equal(htmlToText(html), 'Info: https://paserkab.go.id/berita/sangat-panjang #Paser\n\nBaris & paragraf\nkedua');
  assert.ok(sameText(htmlToText(html), 'Info: https://paserkab.go.id/berita/sangat-panjang #Paser\n\nBaris & paragraf\nkedua'));
  assert.ok(!sameText('Satu', 'Dua'));
});
