import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FeatureExtractor } from './features.ts';
import type { FeatureConfig } from './features.ts';

const cfg: FeatureConfig = { bits: 16, charMin: 1, charMax: 4, wordUni: true, wordBi: true, negScope: 2, wordWeight: 1, lexWeight: 0, langWeight: 0, sublinear: true };

function vec(fx: FeatureExtractor, toks: string[]): Map<number, number> {
  const n = fx.extract(toks);
  const m = new Map<number, number>();
  for (let i = 0; i < n; i++) m.set(fx.idx[i] as number, (m.get(fx.idx[i] as number) ?? 0) + (fx.val[i] as number));
  return m;
}

test('extraction is deterministic and block-wise L2-normalised', () => {
  const fx = new FeatureExtractor(cfg);
  const a = vec(fx, ['jalan', 'rusak']);
  const b = vec(new FeatureExtractor(cfg), ['jalan', 'rusak']);
  assert.deepEqual([...a.entries()].sort(), [...b.entries()].sort());
  let sq = 0;
  for (const v of a.values()) sq += v * v;
  assert.ok(Math.abs(sq - 2) < 1e-3, `two unit blocks, got ${sq}`);
  for (const k of a.keys()) assert.ok(k >= 0 && k < 1 << cfg.bits);
});

test('negation changes the word features of the following tokens only within the clause', () => {
  const fx = new FeatureExtractor({ ...cfg, charMax: 0 });
  const plain = vec(fx, ['bagus']);
  const neg = vec(fx, ['tidak', 'bagus']);
  const [bagusBucket] = [...plain.keys()];
  assert.ok(bagusBucket !== undefined && !neg.has(bagusBucket), 'negated "bagus" must not fire the plain feature');
  const afterBoundary = vec(fx, ['tidak', '|', 'bagus']);
  assert.ok(afterBoundary.has(bagusBucket as number));
});

test('lexicon translations add the Indonesian word feature', () => {
  const lex = new Map([['apik', ['bagus']]]);
  const c = { ...cfg, charMax: 0, wordBi: false, lexWeight: 1 };
  const withLex = vec(new FeatureExtractor(c, lex), ['apik']);
  const bagus = vec(new FeatureExtractor(c), ['bagus']);
  const [b] = [...bagus.keys()];
  assert.ok(withLex.has(b as number));
});

test('empty input gives an empty vector', () => {
  const fx = new FeatureExtractor(cfg);
  assert.equal(fx.extract([]), 0);
});

test('the mapped-word block fires only with a map and mapWeight > 0', () => {
  const c = { ...cfg, charMax: 0, wordBi: false, negScope: 0 };
  const toInd = new Map([['apik', 'bagus']]);
  const off = vec(new FeatureExtractor(c), ['apik']);
  assert.deepEqual(vec(new FeatureExtractor({ ...c, mapWeight: 1 }), ['apik']), off, 'no map given: no block');
  const on = vec(new FeatureExtractor({ ...c, mapWeight: 1 }), ['apik']);
  const withMap = new FeatureExtractor({ ...c, mapWeight: 1 });
  const n = withMap.extract(['apik'], -1, toInd);
  assert.equal(n, on.size + 1);
  // Same mapped word, same bucket, whatever the source language's spelling.
  const fromInd = new FeatureExtractor({ ...c, mapWeight: 1 });
  const m = fromInd.extract(['bagus'], -1, new Map());
  assert.equal(fromInd.idx[m - 1], withMap.idx[n - 1]);
});
