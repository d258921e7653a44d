// sentiment.ts — owns sentiment inference for one language: an ensemble of
// a softmax logistic regression and a one-vs-rest NB-SVM (logistic
// regression over naive-Bayes log-count-ratio scaled features), both linear
// in the same hashed feature vector, so their weights are interleaved in one
// typed array and scored in a single pass over the features.
import { LABELS } from './csv.ts';
import type { Label } from './csv.ts';
import type { SparseMatrix, WeightTable } from './sparse.ts';

/** Values per bucket: 3 LR logits + 3 NB-SVM one-vs-rest logits. */
export const HEAD_STRIDE = 6;

export interface SentimentHead {
  /** Rows of 6: [0..3) LR class weights (times feature value), [3..6)
   *  NB-SVM weights with the log-count ratio folded in (binary features). */
  m: SparseMatrix;
  /** Ensemble weight of LR; NB-SVM gets 1 - mix. */
  mix: number;
}

export interface SentimentScores { negative: number; neutral: number; positive: number }

/** Score a sparse feature vector; writes probabilities into out[0..3). */
export function scoreHead(t: WeightTable, mix: number, idx: Int32Array, val: Float32Array, n: number, z: Float64Array, out: Float64Array): void {
  const w = t.w;
  for (let j = 0; j < HEAD_STRIDE; j++) z[j] = t.bias[j] as number;
  for (let i = 0; i < n; i++) {
    const o = t.offset(idx[i] as number);
    if (o < 0) continue;
    const v = val[i] as number;
    z[0] = (z[0] as number) + (w[o] as number) * v;
    z[1] = (z[1] as number) + (w[o + 1] as number) * v;
    z[2] = (z[2] as number) + (w[o + 2] as number) * v;
    // NB-SVM uses binary presence features (as in Wang & Manning 2012).
    z[3] = (z[3] as number) + (w[o + 3] as number);
    z[4] = (z[4] as number) + (w[o + 4] as number);
    z[5] = (z[5] as number) + (w[o + 5] as number);
  }
  // LR part: softmax.
  const a = z[0] as number, b = z[1] as number, c = z[2] as number;
  const m = Math.max(a, b, c);
  const ea = Math.exp(a - m), eb = Math.exp(b - m), ec = Math.exp(c - m);
  const s = ea + eb + ec;
  // NB-SVM part: independent sigmoids, renormalised.
  const sa = 1 / (1 + Math.exp(-(z[3] as number)));
  const sb = 1 / (1 + Math.exp(-(z[4] as number)));
  const sc = 1 / (1 + Math.exp(-(z[5] as number)));
  const tt = sa + sb + sc;
  out[0] = (mix * ea) / s + ((1 - mix) * sa) / tt;
  out[1] = (mix * eb) / s + ((1 - mix) * sb) / tt;
  out[2] = (mix * ec) / s + ((1 - mix) * sc) / tt;
}

/**
 * Mix the cross-lingual head in: out = (1 - w) * out + w * softmax(xl
 * logits). `q` holds the cross-lingual logits on entry (3 values) and is
 * overwritten.
 */
export function mixCrossLingual(out: Float64Array, q: Float64Array, w: number): void {
  const a = q[0] as number, b = q[1] as number, c = q[2] as number;
  const m = Math.max(a, b, c);
  const ea = Math.exp(a - m), eb = Math.exp(b - m), ec = Math.exp(c - m);
  const s = ea + eb + ec;
  const v = 1 - w;
  out[0] = v * (out[0] as number) + (w * ea) / s;
  out[1] = v * (out[1] as number) + (w * eb) / s;
  out[2] = v * (out[2] as number) + (w * ec) / s;
}

/** Index of the largest of out[0..k). */
export function argmax(out: ArrayLike<number>, k: number): number {
  let b = 0;
  for (let i = 1; i < k; i++) if ((out[i] as number) > (out[b] as number)) b = i;
  return b;
}

export function labelOf(i: number): Label {
  return LABELS[i] ?? 'neutral';
}

/** Round to 4 decimals: enough for consumers, keeps JSON lines short. */
export function toScores(p: ArrayLike<number>): SentimentScores {
  return {
    negative: Math.round((p[0] as number) * 1e4) / 1e4,
    neutral: Math.round((p[1] as number) * 1e4) / 1e4,
    positive: Math.round((p[2] as number) * 1e4) / 1e4,
  };
}
