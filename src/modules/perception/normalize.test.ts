import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CHARS, normalizeText, normalizeTokens, sanitize } from './normalize.ts';

test('lower-cases, collapses elongation and expands chat abbreviations', () => {
  assert.equal(normalizeText('BAGUSSS bgt yg ini, gak nyesel'), 'bagus banget yang ini | tidak nyesel');
  assert.equal(normalizeText('Nggak jelas, udah lama'), 'tidak jelas | sudah lama');
  assert.equal(normalizeText('hati2 di jalan, 2 km'), 'hati hati di jalan | _num_ km');
});

test('"aja" is left alone (means "don\'t" in Javanese/Buginese)', () => {
  assert.equal(normalizeText('aja lali'), 'aja lali');
});

test('URLs, mentions, hashtags and numbers', () => {
  assert.equal(normalizeText('@pemkot cek https://x.id/a?b=1 #JalanRusak 12 km'), '_user_ cek _url_ jalanrusak _num_ km');
});

test('emoji and emoticons become polarity tokens', () => {
  assert.deepEqual(normalizeTokens('mantap 😍 :) '), ['mantap', '_emopos_', '_emopos_']);
  assert.deepEqual(normalizeTokens('kecewa 😡 :('), ['kecewa', '_emoneg_', '_emoneg_']);
  assert.deepEqual(normalizeTokens('🚗'), ['_emoji_']);
});

test('HTML, entities, control characters and lone surrogates are neutralised', () => {
  assert.equal(normalizeText('<b>halo</b>&amp;<script>x</script>'), 'halo x');
  assert.equal(normalizeText('a\u0000b\u0007c\u200b'), 'a b c');
  const s = sanitize('x\uD800y\uDC00');
  assert.equal(s.isWellFormed(), true);
  assert.deepEqual(normalizeTokens('ok\uD83D'), ['ok']);
});

test('huge and non-string inputs are bounded and never throw', () => {
  const big = 'jalan rusak '.repeat(10_000);
  assert.ok(sanitize(big).length <= MAX_CHARS);
  assert.ok(normalizeTokens(big).length < 1000);
  assert.deepEqual(normalizeTokens(undefined), []);
  assert.deepEqual(normalizeTokens(null), []);
  assert.deepEqual(normalizeTokens(42), ['_num_']);
  // Slicing in the middle of a surrogate pair still yields well-formed text.
  const emojiWall = '😀'.repeat(MAX_CHARS);
  assert.equal(sanitize(emojiWall + 'x').isWellFormed(), true);
});
