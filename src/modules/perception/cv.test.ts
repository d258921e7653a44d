// Tests for cv.ts: id-grouped folds are deterministic and balanced, and
// the per-language mix choice is the out-of-fold argmax (first on ties).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestMixes, foldOf } from './cv.ts';
import type { CvResult } from './cv.ts';

test('foldOf is deterministic, in range and roughly balanced', () => {
  const counts = new Array<number>(5).fill(0);
  for (let i = 0; i < 1000; i++) {
    const f = foldOf(String(i), 5);
    assert.equal(f, foldOf(String(i), 5));
    assert.ok(f >= 0 && f < 5);
    counts[f] = (counts[f] ?? 0) + 1;
  }
  for (const c of counts) assert.ok(c > 150 && c < 250, `fold sizes ${counts.join(',')}`);
});

test('bestMixes picks the best mix per language, first on ties', () => {
  const cv: CvResult = {
    mixes: [0, 0.5, 1],
    macroF1: { ind: [0.7, 0.8, 0.75], bjn: [0.8, 0.8, 0.7], bug: [0.1, 0.2, 0.3], jav: [0.5, 0.5, 0.5], eng: [0.9, 0.1, 0.1] },
    mean: [0, 0, 0],
  };
  assert.deepEqual(bestMixes(cv), { ind: 0.5, bjn: 0, bug: 1, jav: 0, eng: 0 });
});
