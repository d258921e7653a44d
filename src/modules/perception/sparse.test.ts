import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toSparse, WeightTable } from './sparse.ts';

test('WeightTable finds every stored row and nothing else', () => {
  const dim = 1 << 12;
  const stride = 2;
  const w = new Float32Array(dim * stride);
  for (let b = 0; b < dim; b += 7) { w[b * stride] = b; w[b * stride + 1] = -b - 1; }
  const m = toSparse(w, stride, [0.5, -0.5], dim);
  assert.equal(m.buckets.length, Math.ceil(dim / 7));
  const t = new WeightTable(m);
  for (let b = 0; b < dim; b++) {
    const o = t.offset(b);
    if (b % 7 === 0) { assert.equal(t.w[o], b); assert.equal(t.w[o + 1], -b - 1); } else assert.equal(o, -1);
  }
  const out = new Float64Array(2);
  t.logits(Int32Array.from([7, 8, 14]), Float32Array.from([1, 5, 0.5]), 3, out);
  assert.deepEqual(Array.from(out), [0.5 + 7 + 7, -0.5 - 8 - 7.5]);
});
