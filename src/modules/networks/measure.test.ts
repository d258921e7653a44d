// Tests: the per-network length functions a later thread splitter will reuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS, limitsFor } from './limits.ts';
import { codePoints, countHashtags, countLinks, countMentions, mastodonLength, measure, threadsLength, utf8Bytes } from './measure.ts';

test('measure uses each network unit', () => {
  const text = 'Halo 😀 https://example.com/a/very/long/path/that/is/longer/than/23';
  assert.equal(measure('x', text, DEFAULT_LIMITS.x), 5 + 2 + 1 + 23); // emoji weighs 2 on X
  assert.equal(measure('mastodon', text, DEFAULT_LIMITS.mastodon), 5 + 1 + 1 + 23);
  assert.equal(measure('threads', text, DEFAULT_LIMITS.threads), codePoints(text) - 1 + 4);
  assert.equal(measure('bluesky', '👍🏽🇮🇩é', DEFAULT_LIMITS.bluesky), 3);
  assert.equal(measure('youtube', 'é', DEFAULT_LIMITS.youtube), 2);
  assert.equal(measure('facebook', '😀😀', DEFAULT_LIMITS.facebook), 2);
});

test('Threads reading: emoji sequences pay all their bytes, other text one per code point', () => {
  assert.equal(threadsLength('a'), 1);
  assert.equal(threadsLength('é'), 1);
  assert.equal(threadsLength('😀'), 4);
  assert.equal(threadsLength('👍🏽'), 8); // base + skin tone
  assert.equal(threadsLength('🇮🇩'), 8); // two regional indicators
  assert.equal(threadsLength('❤️'), 6); // U+2764 (3) + VS16 (3)
});

test('lone surrogates and hostile input are measured, not thrown on', () => {
  assert.equal(utf8Bytes('\uD800'), 3);
  assert.equal(codePoints('\uD800x'), 2);
  assert.equal(measure('x', '\uD800', DEFAULT_LIMITS.x) >= 1, true);
  assert.equal(measure('bluesky', '', DEFAULT_LIMITS.bluesky), 0);
});

test('extractors: hashtags, mentions, links', () => {
  assert.equal(countHashtags('#Humas #2026 #Kota_Bandung a#b #ÜberUns'), 3);
  assert.equal(countMentions('@kominfo humas@example.go.id @pemkot.bdg'), 2);
  assert.equal(countLinks('lihat kominfo.go.id dan https://example.com/x'), 2);
  assert.equal(mastodonLength('x https://a.example', 23), 25);
  // Remote mention counts as "@humas" (6), the instance domain is free.
  assert.equal(mastodonLength('@humas@mastodon.go.id', 23), 6);
  assert.equal(mastodonLength('mail humas@mastodon.go.id', 23), 25);
});

test('limitsFor merges overrides without mutating the defaults', () => {
  const l = limitsFor('mastodon', { maxText: 1_000, maxBytesByKind: { image: 8 * 1024 * 1024 }, mimes: { video: [] } });
  assert.equal(l.maxText, 1_000);
  assert.equal(l.maxBytesByKind.image, 8 * 1024 * 1024);
  assert.equal(l.maxBytesByKind.video, 99 * 1024 * 1024);
  assert.deepEqual(l.mimes.video, []);
  assert.equal(DEFAULT_LIMITS.mastodon.maxText, 500);
  assert.equal(DEFAULT_LIMITS.mastodon.maxBytesByKind.image, 16 * 1024 * 1024);
  assert.equal(limitsFor('mastodon', { maxText: undefined }).maxText, 500);
});
