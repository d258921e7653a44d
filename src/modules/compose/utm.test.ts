// Tests: UTM tagging of portal links.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tagLinks, withUtm } from './utm.ts';

const P = { source: 'facebook', medium: 'social', campaign: 'hut-kaltim' };

test('withUtm adds the three parameters, keeping query and fragment', () => {
  assert.equal(withUtm('https://humas.go.id/berita/1', P), 'https://humas.go.id/berita/1?utm_source=facebook&utm_medium=social&utm_campaign=hut-kaltim');
  assert.equal(withUtm('https://humas.go.id/b?id=5&q=a%20b+c#foto', P), 'https://humas.go.id/b?id=5&q=a%20b+c&utm_source=facebook&utm_medium=social&utm_campaign=hut-kaltim#foto');
  assert.equal(withUtm('http://humas.go.id/', { source: 'x', medium: 'social' }), 'http://humas.go.id/?utm_source=x&utm_medium=social');
  assert.equal(withUtm('https://humas.go.id/?a=1', { ...P, campaign: 'hari jadi & ulang' }), 'https://humas.go.id/?a=1&utm_source=facebook&utm_medium=social&utm_campaign=hari%20jadi%20%26%20ulang');
});

test('withUtm does not override utm_* already present', () => {
  assert.equal(withUtm('https://humas.go.id/?utm_source=newsletter', P), 'https://humas.go.id/?utm_source=newsletter&utm_medium=social&utm_campaign=hut-kaltim');
  const full = 'https://humas.go.id/?utm_source=a&utm_medium=b&utm_campaign=c';
  assert.equal(withUtm(full, P), full);
});

test('withUtm leaves invalid and non-http URLs unchanged', () => {
  for (const u of ['bukan url', '', 'javascript:alert(1)', 'mailto:a@b.id', 'ftp://x.id/f', '//humas.go.id/x', 'humas.go.id/berita']) {
    assert.equal(withUtm(u, P), u);
  }
});

test('tagLinks tags only links to the portal host (with or without www), keeps punctuation', () => {
  const text = 'Baca https://humas.kaltimprov.go.id/a. Juga https://www.humas.kaltimprov.go.id/b?x=1, tetapi bukan https://kominfo.go.id/c atau https://humas.kaltimprov.go.id.evil.com/d!';
  assert.equal(
    tagLinks(text, 'humas.kaltimprov.go.id', { source: 'x', medium: 'social' }),
    'Baca https://humas.kaltimprov.go.id/a?utm_source=x&utm_medium=social. Juga https://www.humas.kaltimprov.go.id/b?x=1&utm_source=x&utm_medium=social, tetapi bukan https://kominfo.go.id/c atau https://humas.kaltimprov.go.id.evil.com/d!',
  );
  assert.equal(tagLinks('lihat (https://Humas.Kaltimprov.go.id/a)', 'https://humas.kaltimprov.go.id/', { source: 'x', medium: 'social' }), 'lihat (https://humas.kaltimprov.go.id/a?utm_source=x&utm_medium=social)');
  assert.equal(tagLinks('tanpa tautan', 'humas.go.id', P), 'tanpa tautan');
  assert.equal(tagLinks('https://humas.go.id/a', '', P), 'https://humas.go.id/a');
});
