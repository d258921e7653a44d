// linear.ts — owns the multinomial logistic-regression learner: an
// L2-regularised softmax model over sparse hashed features, fitted by
// full-batch L-BFGS. Full-batch + fixed iteration order makes training
// deterministic (no sampling), so the committed metrics can be re-checked.
import type { SparseVec } from './features.ts';

export interface LinearModel {
  dim: number;
  classes: number;
  /** Row-major weights: w[bucket * classes + k]. */
  w: Float32Array;
  bias: Float32Array;
}

export interface TrainOptions {
  /** L2 strength per example (objective is mean CE + l2/2 ||w||^2). */
  l2: number;
  maxIter: number;
  /** Optional per-example weights (default 1). */
  sampleWeight?: Float64Array;
}

/** Scores (logits) for one sparse vector into out[0..K). */
export function logits(m: LinearModel, idx: Int32Array, val: Float32Array, n: number, out: Float64Array): void {
  const K = m.classes;
  const w = m.w;
  for (let k = 0; k < K; k++) out[k] = m.bias[k] as number;
  for (let i = 0; i < n; i++) {
    const base = (idx[i] as number) * K;
    const v = val[i] as number;
    for (let k = 0; k < K; k++) out[k] = (out[k] as number) + (w[base + k] as number) * v;
  }
}

/** In-place softmax of out[0..K). */
export function softmax(out: Float64Array, K: number): void {
  let mx = -Infinity;
  for (let k = 0; k < K; k++) if ((out[k] as number) > mx) mx = out[k] as number;
  let s = 0;
  for (let k = 0; k < K; k++) { const e = Math.exp((out[k] as number) - mx); out[k] = e; s += e; }
  for (let k = 0; k < K; k++) out[k] = (out[k] as number) / s;
}

/** Fit a softmax model with L-BFGS. Parameters: dim*K weights then K biases. */
export function trainSoftmax(allDocs: readonly SparseVec[], labels: Int32Array, fullDim: number, K: number, opt: TrainOptions): LinearModel {
  // Optimise only over buckets that occur in training: the others would stay
  // exactly 0 under L2, and this keeps L-BFGS memory small.
  const remap = new Int32Array(fullDim).fill(-1);
  const used: number[] = [];
  const docs: SparseVec[] = allDocs.map((doc) => {
    const idx = new Int32Array(doc.idx.length);
    for (let i = 0; i < idx.length; i++) {
      const b = doc.idx[i] as number;
      let r = remap[b] as number;
      if (r === -1) { r = used.length; remap[b] = r; used.push(b); }
      idx[i] = r;
    }
    return { idx, val: doc.val };
  });
  const dim = used.length;
  const P = dim * K + K;
  const N = docs.length;
  const sw = opt.sampleWeight;
  let wsum = 0;
  for (let i = 0; i < N; i++) wsum += sw ? (sw[i] as number) : 1;
  const z = new Float64Array(K);

  // Objective and gradient at x (g overwritten).
  const evaluate = (x: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let loss = 0;
    for (let d = 0; d < N; d++) {
      const doc = docs[d] as SparseVec;
      const { idx, val } = doc;
      const n = idx.length;
      for (let k = 0; k < K; k++) z[k] = x[dim * K + k] as number;
      for (let i = 0; i < n; i++) {
        const base = (idx[i] as number) * K; const v = val[i] as number;
        for (let k = 0; k < K; k++) z[k] = (z[k] as number) + (x[base + k] as number) * v;
      }
      const y = labels[d] as number;
      let mx = -Infinity;
      for (let k = 0; k < K; k++) if ((z[k] as number) > mx) mx = z[k] as number;
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.exp((z[k] as number) - mx);
      const lse = mx + Math.log(s);
      const a = (sw ? (sw[d] as number) : 1) / wsum;
      loss += a * (lse - (z[y] as number));
      for (let k = 0; k < K; k++) {
        const r = a * (Math.exp((z[k] as number) - lse) - (k === y ? 1 : 0));
        z[k] = r;
        g[dim * K + k] = (g[dim * K + k] as number) + r;
      }
      for (let i = 0; i < n; i++) {
        const base = (idx[i] as number) * K; const v = val[i] as number;
        for (let k = 0; k < K; k++) g[base + k] = (g[base + k] as number) + (z[k] as number) * v;
      }
    }
    const l2 = opt.l2;
    let reg = 0;
    for (let p = 0; p < dim * K; p++) { const xv = x[p] as number; reg += xv * xv; g[p] = (g[p] as number) + l2 * xv; }
    return loss + 0.5 * l2 * reg;
  };

  const x = new Float64Array(P);
  lbfgs(x, evaluate, opt.maxIter);
  const w = new Float32Array(fullDim * K);
  for (let r = 0; r < dim; r++) {
    const b = used[r] as number;
    for (let k = 0; k < K; k++) w[b * K + k] = x[r * K + k] as number;
  }
  const bias = new Float32Array(K);
  for (let k = 0; k < K; k++) bias[k] = x[dim * K + k] as number;
  return { dim: fullDim, classes: K, w, bias };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Minimal L-BFGS (memory 8) with backtracking Armijo line search. */
function lbfgs(x: Float64Array, f: (x: Float64Array, g: Float64Array) => number, maxIter: number): void {
  const P = x.length;
  const M = 8;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  let g = new Float64Array(P);
  let fx = f(x, g);
  const d = new Float64Array(P);
  const xn = new Float64Array(P);
  let gn = new Float64Array(P);
  const alpha = new Float64Array(M);
  for (let it = 0; it < maxIter; it++) {
    // Two-loop recursion: d = -H g.
    d.set(g);
    for (let j = S.length - 1; j >= 0; j--) {
      const a = (rho[j] as number) * dot(S[j] as Float64Array, d);
      alpha[j] = a;
      const yj = Y[j] as Float64Array;
      for (let i = 0; i < P; i++) d[i] = (d[i] as number) - a * (yj[i] as number);
    }
    if (S.length > 0) {
      const yl = Y[Y.length - 1] as Float64Array;
      const gamma = dot(S[S.length - 1] as Float64Array, yl) / dot(yl, yl);
      for (let i = 0; i < P; i++) d[i] = (d[i] as number) * gamma;
    }
    for (let j = 0; j < S.length; j++) {
      const b = (rho[j] as number) * dot(Y[j] as Float64Array, d);
      const sj = S[j] as Float64Array;
      const a = alpha[j] as number;
      for (let i = 0; i < P; i++) d[i] = (d[i] as number) + (a - b) * (sj[i] as number);
    }
    for (let i = 0; i < P; i++) d[i] = -(d[i] as number);
    let gd = dot(g, d);
    if (gd >= 0) { // not a descent direction: reset memory, use steepest descent
      S.length = 0; Y.length = 0; rho.length = 0;
      for (let i = 0; i < P; i++) d[i] = -(g[i] as number);
      gd = dot(g, d);
    }
    let step = S.length === 0 ? 1 / Math.max(1e-12, Math.sqrt(dot(g, g))) : 1;
    let fn = 0;
    let ok = false;
    for (let ls = 0; ls < 30; ls++) {
      for (let i = 0; i < P; i++) xn[i] = (x[i] as number) + step * (d[i] as number);
      fn = f(xn, gn);
      if (fn <= fx + 1e-4 * step * gd) { ok = true; break; }
      step *= 0.5;
    }
    if (!ok) break;
    const s = new Float64Array(P);
    const y = new Float64Array(P);
    for (let i = 0; i < P; i++) { s[i] = (xn[i] as number) - (x[i] as number); y[i] = (gn[i] as number) - (g[i] as number); }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (S.length === M) { S.shift(); Y.shift(); rho.shift(); }
      S.push(s); Y.push(y); rho.push(1 / sy);
    }
    x.set(xn);
    const tmp = g; g = gn; gn = tmp;
    const rel = Math.abs(fx - fn) / Math.max(1, Math.abs(fx));
    fx = fn;
    if (rel < 1e-7) break;
  }
}
