// sparse.ts — owns the in-memory weight layout used at inference: only the
// hash buckets a model actually uses, in an open-addressing table
// (bucket -> compact row) plus a compact Float32 row matrix. Dense 2^18-row
// arrays were simple but touching ~40 MB of fresh pages dominated model load
// time; this layout touches ~1/4 of that and scores just as fast.

/** A model's non-zero rows in coordinate form (what the file stores). */
export interface SparseMatrix {
  /** Size of the hash space the buckets come from. */
  dim: number;
  stride: number;
  /** Ascending bucket ids. */
  buckets: Int32Array;
  /** values[r * stride + j] for row r = buckets[r]. */
  values: Float32Array;
  bias: Float32Array;
}

/** Keep only rows with a non-zero value. */
export function toSparse(w: Float32Array, stride: number, bias: ArrayLike<number>, dim: number): SparseMatrix {
  const rows: number[] = [];
  for (let b = 0; b < dim; b++) {
    for (let j = 0; j < stride; j++) if (w[b * stride + j] !== 0) { rows.push(b); break; }
  }
  const values = new Float32Array(rows.length * stride);
  rows.forEach((b, r) => values.set(w.subarray(b * stride, b * stride + stride), r * stride));
  return { dim, stride, buckets: Int32Array.from(rows), values, bias: Float32Array.from(bias) };
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Read-only lookup table over a SparseMatrix. */
export class WeightTable {
  readonly stride: number;
  readonly w: Float32Array;
  readonly bias: Float32Array;
  private readonly keys: Int32Array;
  private readonly rows: Int32Array;
  private readonly mask: number;

  constructor(m: SparseMatrix) {
    this.stride = m.stride;
    this.w = m.values;
    this.bias = m.bias;
    let size = 16;
    while (size < m.buckets.length * 2) size <<= 1; // load factor <= 0.5
    this.mask = size - 1;
    this.keys = new Int32Array(size).fill(-1);
    this.rows = new Int32Array(size);
    for (let r = 0; r < m.buckets.length; r++) {
      const b = m.buckets[r] as number;
      let s = mix32(b) & this.mask;
      while (this.keys[s] !== -1) s = (s + 1) & this.mask;
      this.keys[s] = b;
      this.rows[s] = r;
    }
  }

  /** Offset of the bucket's row in `w`, or -1 if the model never saw it. */
  offset(bucket: number): number {
    const keys = this.keys;
    let s = mix32(bucket) & this.mask;
    for (;;) {
      const k = keys[s] as number;
      if (k === bucket) return (this.rows[s] as number) * this.stride;
      if (k === -1) return -1;
      s = (s + 1) & this.mask;
    }
  }

  /** out[j] = bias[j] + sum_i w[idx_i, j] * val_i, for j < stride. */
  logits(idx: Int32Array, val: Float32Array, n: number, out: Float64Array): void {
    const K = this.stride;
    const w = this.w;
    for (let k = 0; k < K; k++) out[k] = this.bias[k] as number;
    for (let i = 0; i < n; i++) {
      const o = this.offset(idx[i] as number);
      if (o < 0) continue;
      const v = val[i] as number;
      for (let k = 0; k < K; k++) out[k] = (out[k] as number) + (w[o + k] as number) * v;
    }
  }
}
