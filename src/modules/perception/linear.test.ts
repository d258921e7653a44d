import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logits, softmax, trainSoftmax } from './linear.ts';
import { accuracy, macroF1 } from './metrics.ts';

test('trainSoftmax fits a separable 3-class toy problem deterministically', () => {
  const docs = [];
  const y: number[] = [];
  for (let i = 0; i < 30; i++) {
    const k = i % 3;
    docs.push({ idx: Int32Array.from([k * 10 + (i % 5), 99]), val: Float32Array.from([1, 0.5]) });
    y.push(k);
  }
  const m1 = trainSoftmax(docs, Int32Array.from(y), 128, 3, { l2: 1e-3, maxIter: 100 });
  const m2 = trainSoftmax(docs, Int32Array.from(y), 128, 3, { l2: 1e-3, maxIter: 100 });
  assert.deepEqual(m1.w, m2.w);
  const z = new Float64Array(3);
  const pred = docs.map((d) => { logits(m1, d.idx, d.val, d.idx.length, z); softmax(z, 3); return z.indexOf(Math.max(...z)); });
  assert.equal(accuracy(y, pred), 1);
  assert.ok(Math.abs(z[0]! + z[1]! + z[2]! - 1) < 1e-9);
  // Unused buckets stay exactly zero (keeps the model file sparse).
  assert.equal(m1.w[127 * 3], 0);
});

test('macroF1 matches a hand computation', () => {
  // gold 0,0,1,1,2 pred 0,1,1,1,0: F1_0=0.5, F1_1=0.8, F1_2=0
  assert.ok(Math.abs(macroF1([0, 0, 1, 1, 2], [0, 1, 1, 1, 0], 3) - 1.3 / 3) < 1e-12);
  assert.equal(macroF1([], [], 3), 0);
});
