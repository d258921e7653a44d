// Runs against the committed model file (no data directory needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, classifyBatch, defaultPerception, loadModel } from './index.ts';
import type { Classification } from './index.ts';

function assertShape(r: Classification): void {
  assert.ok(['ind', 'bjn', 'bug', 'jav', 'eng', 'other'].includes(r.lang));
  assert.ok(['negative', 'neutral', 'positive'].includes(r.label));
  const { negative, neutral, positive } = r.scores;
  for (const v of [negative, neutral, positive]) assert.ok(Number.isFinite(v) && v >= 0 && v <= 1);
  assert.ok(Math.abs(negative + neutral + positive - 1) < 2e-3);
}

test('classifies clear Indonesian comments', () => {
  const pos = classify('Pelayanannya sangat bagus dan cepat, terima kasih!');
  assert.equal(pos.lang, 'ind');
  assert.equal(pos.label, 'positive');
  const neg = classify('Jalan rusak parah, pemerintah gak peduli. Kecewa!');
  assert.equal(neg.label, 'negative');
  assertShape(pos); assertShape(neg);
});

test('identifies the other NusaX languages', () => {
  assert.equal(classify('The service was terrible and the staff were rude').lang, 'eng');
  assert.equal(classify('Panganane enak tenan, aku seneng banget mangan ing kene').lang, 'jav');
});

test('bad input gets a defined low-confidence answer, never an exception', () => {
  const cases: unknown[] = [
    '', '   ', '😀😀😀', '👍', '\u0000\u0001\u0002', '\uD800', 'abc\uDFFF', '<script>alert(1)</script>',
    '<div><p></p></div>', '&amp;&lt;&gt;', 'x'.repeat(100_000), '今日は良い天気', '12345', null, undefined, 42, {},
  ];
  for (const c of cases) {
    const r = classify(c);
    assertShape(r);
  }
  assert.deepEqual(classify(''), { lang: 'other', label: 'neutral', scores: { negative: 0.25, neutral: 0.5, positive: 0.25 } });
  assert.equal(classify('😍😍').label, 'positive');
  assert.equal(classify('😍😍').lang, 'other');
  assert.equal(classify('今日は良い天気').lang, 'other');
  assert.equal(classify('<b></b>').lang, 'other');
});

test('100 KB of text is cut to its first few KB and classified', () => {
  const big = 'pelayanan buruk sekali '.repeat(5000);
  assert.ok(big.length > 100_000);
  const r = classify(big);
  assert.equal(r.lang, 'ind');
  assertShape(r);
});

test('classifyBatch matches classify and langScores are optional', () => {
  const texts = ['bagus sekali', 'tidak bagus', '', 'banjir lagi'];
  assert.deepEqual(classifyBatch(texts), texts.map((t) => classify(t)));
  const r = classify('terima kasih atas bantuannya', { langScores: true });
  assert.ok(r.langScores);
  const sum = Object.values(r.langScores).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 2e-3);
  assert.equal(classify('terima kasih').langScores, undefined);
});

test('loadModel reads the committed file and exposes its header', () => {
  const m = loadModel();
  assert.equal(m.header.license, 'CC BY-SA 4.0');
  assert.match(m.header.attribution, /NusaX/);
  assert.deepEqual(m.classify('mantap'), defaultPerception().classify('mantap'));
  assert.throws(() => loadModel('/nonexistent/model.json.gz'));
});

test('the cross-lingual shortcut for unmapped tokens gives exactly the full computation', () => {
  const fast = loadModel();
  const full = loadModel();
  // Force the second feature extraction for every input.
  (full.classifier as unknown as { sameFx: boolean }).sameFx = false;
  const texts = [
    'Pelayanannya sangat bagus dan cepat, terima kasih banyak atas bantuannya',
    'Jalan di depan rumah saya rusak parah dan tidak pernah diperbaiki oleh dinas',
    'Wadainya nyaman banar wan haraganya murah, pelayanannya jua baik',
    'The food was cold and the waiter ignored us for half an hour',
  ];
  for (const t of texts) assert.deepEqual(fast.classify(t), full.classify(t));
});
