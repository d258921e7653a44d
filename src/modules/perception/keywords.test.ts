import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeywordExtractor } from './keywords.ts';
import { keywords } from './index.ts';

test('keywords surface distinctive terms and phrases, not stopwords', () => {
  const texts = [
    'Jalan rusak di desa kami sudah setahun', 'tolong perbaiki jalan rusak pak', 'jalan rusak parah, banyak lubang',
    'banjir lagi di perumahan', 'banjir setiap hujan deras', 'yang penting banjir cepat surut', 'jalan rusak dan banjir',
    'terima kasih atas infonya', 'kapan jalan rusak ini diperbaiki?',
  ];
  const kw = keywords(texts, { top: 5 });
  const terms = kw.map((k) => k.term);
  assert.equal(terms[0], 'jalan rusak');
  assert.ok(terms.includes('banjir'));
  for (const t of terms) assert.ok(!['yang', 'dan', 'di', 'ini', 'sudah'].includes(t));
  // "rusak" alone is explained by the phrase and should not be listed.
  assert.ok(!terms.includes('rusak'));
  assert.ok(kw.every((k) => k.count >= 1 && k.score > 0));
});

test('generic words lose to distinctive ones against the background', () => {
  // pelayanan/bagus are everyday words in the background, puskesmas is not.
  const bg = { total: 1000, words: { pelayanan: 300, bagus: 300 } };
  const kx = new KeywordExtractor(bg, []);
  const texts = Array.from({ length: 30 }, (_, i) => (i % 2 ? 'pelayanan bagus puskesmas' : 'pelayanan bagus'));
  const kw = kx.extract(texts, { top: 3 });
  assert.equal(kw[0]?.term.includes('puskesmas'), true);
});

test('empty and hostile input gives an empty list', () => {
  assert.deepEqual(keywords([]), []);
  assert.deepEqual(keywords(['', '😀', '\uD800', '<b></b>']), []);
});
