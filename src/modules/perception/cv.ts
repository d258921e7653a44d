// cv.ts — owns hyper-parameter selection by k-fold cross-validation over
// the NusaX train+valid pool of each language. Folds are assigned by the
// NusaX id, so a document and its translations always fall in the same
// fold. Used offline (`npm run eval:perception -- --cv`) to choose the
// LR/NB-SVM mix; the chosen value is stored in the settings, so training
// itself stays fast and deterministic. The test split is never touched.
import { LABELS, LANGS } from './csv.ts';
import type { Example, Lang } from './csv.ts';
import type { NusaxData } from './dataset.ts';
import { FeatureExtractor } from './features.ts';
import type { SparseVec } from './features.ts';
import { macroF1 } from './metrics.ts';
import { normalizeTokens } from './normalize.ts';
import { argmax, scoreHead } from './sentiment.ts';
import { WeightTable } from './sparse.ts';
import { trainHead } from './train.ts';
import type { TrainSettings } from './train.ts';

/** Deterministic fold of a NusaX id (FNV-1a + murmur finaliser). */
export function foldOf(id: string, k: number): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  h ^= h >>> 13; h = Math.imul(h, 0x5bd1e995);
  return ((h ^ (h >>> 15)) >>> 0) % k;
}

export interface CvResult {
  mixes: number[];
  /** Out-of-fold macro-F1 (0..1) per language, one entry per mix. */
  macroF1: Record<Lang, number[]>;
  /** Mean over languages, one entry per mix. */
  mean: number[];
}

/** Out-of-fold macro-F1 of the sentiment heads for every candidate mix. */
export function crossValidate(data: NusaxData, s: TrainSettings, mixes: readonly number[], k = 5): CvResult {
  const fx = new FeatureExtractor(s.sentFeatures);
  const f1 = {} as Record<Lang, number[]>;
  LANGS.forEach((l, li) => {
    const pool: Example[] = [...data.split.train[l], ...data.split.valid[l]];
    const vecs: SparseVec[] = pool.map((e) => fx.snapshot(fx.extract(normalizeTokens(e.text), li)));
    const ys = pool.map((e) => LABELS.indexOf(e.label));
    const folds = pool.map((e) => foldOf(e.id, k));
    const preds = mixes.map(() => new Int32Array(pool.length));
    const z = new Float64Array(6);
    const out = new Float64Array(3);
    for (let f = 0; f < k; f++) {
      const tr = pool.map((_, i) => i).filter((i) => folds[i] !== f);
      const head = trainHead(tr.map((i) => vecs[i] as SparseVec), Int32Array.from(tr, (i) => ys[i] as number), new Float64Array(tr.length).fill(1), fx.dim, s);
      const t = new WeightTable(head.m);
      pool.forEach((_, i) => {
        if (folds[i] !== f) return;
        const v = vecs[i] as SparseVec;
        mixes.forEach((mx, j) => {
          scoreHead(t, mx, v.idx, v.val, v.idx.length, z, out);
          (preds[j] as Int32Array)[i] = argmax(out, 3);
        });
      });
    }
    f1[l] = preds.map((p) => macroF1(ys, p, 3));
  });
  const mean = mixes.map((_, j) => LANGS.reduce((a, l) => a + (f1[l][j] as number), 0) / LANGS.length);
  return { mixes: [...mixes], macroF1: f1, mean };
}

/** Per language, the candidate mix with the best out-of-fold macro-F1
 *  (the first one on ties, so the choice is deterministic). */
export function bestMixes(cv: CvResult): Record<Lang, number> {
  const out = {} as Record<Lang, number>;
  for (const l of LANGS) {
    const f = cv.macroF1[l];
    let b = 0;
    for (let j = 1; j < f.length; j++) if ((f[j] as number) > (f[b] as number) + 1e-9) b = j;
    out[l] = cv.mixes[b] as number;
  }
  return out;
}
