// tune.ts — owns how the training hyper-parameters are chosen: k-fold
// cross-validation over the NusaX train+valid texts (the test split is never
// read), with the same folds in every language because the corpus is
// parallel (a sentence and its translations always land in the same fold).
// Each fold fits the production heads (trainHead) on the other folds and
// scores the held-out texts with the production scorer, so the pooled
// out-of-fold macro-F1 (600 texts per language) is a steadier guide than
// the 100-text valid split alone. Training itself only refits on train.
//
// Run the sweep recorded in README.md (slow: about a minute per candidate):
//   node src/modules/perception/tune.ts <nusax-senti dir> ['{"lrL2":1e-4}' …]
import { fileURLToPath } from 'node:url';
import { LABELS, LANGS } from './csv.ts';
import type { Example, Lang } from './csv.ts';
import { loadNusax } from './dataset.ts';
import type { NusaxData } from './dataset.ts';
import { FeatureExtractor } from './features.ts';
import type { SparseVec } from './features.ts';
import { macroF1 } from './metrics.ts';
import { normalizeTokens } from './normalize.ts';
import { argmax, scoreHead } from './sentiment.ts';
import { WeightTable } from './sparse.ts';
import { DEFAULT_SETTINGS, trainHead } from './train.ts';
import type { TrainSettings } from './train.ts';

/**
 * Fold of each id: ids are sorted (numerically when they are numbers) and
 * dealt round-robin, so every fold gets the same share of each split and
 * the assignment depends on nothing but the ids.
 */
export function foldsById(ids: readonly string[], k: number): Map<string, number> {
  const uniq = [...new Set(ids)].sort((a, b) => {
    const na = Number(a), nb = Number(b);
    return Number.isFinite(na) && Number.isFinite(nb) ? na - nb : a < b ? -1 : a > b ? 1 : 0;
  });
  return new Map(uniq.map((id, i) => [id, i % k]));
}

export interface CvResult {
  /** Out-of-fold macro-F1 (0..1) per language, for each mix in settings.mixGrid. */
  perMix: Array<{ mix: number; macroF1: Record<Lang, number>; mean: number }>;
  /** The grid entry with the best mean (ties: the earlier entry). */
  best: { mix: number; macroF1: Record<Lang, number>; mean: number };
}

/** Cross-validate the sentiment heads of `settings` on train+valid. */
export function crossValidate(data: NusaxData, settings: TrainSettings = DEFAULT_SETTINGS, k = 5): CvResult {
  const fx = new FeatureExtractor(settings.sentFeatures);
  const pool = {} as Record<Lang, Example[]>;
  for (const l of LANGS) pool[l] = [...data.split.train[l], ...data.split.valid[l]];
  const folds = foldsById(LANGS.flatMap((l) => pool[l].map((e) => e.id)), k);
  const f1 = settings.mixGrid.map(() => ({} as Record<Lang, number>));
  const z = new Float64Array(8);
  const p = new Float64Array(3);
  LANGS.forEach((l, li) => {
    const ex = pool[l];
    const docs: SparseVec[] = ex.map((e) => fx.snapshot(fx.extract(normalizeTokens(e.text), li)));
    const gold = ex.map((e) => LABELS.indexOf(e.label));
    const pred = settings.mixGrid.map(() => new Array<number>(ex.length).fill(0));
    for (let f = 0; f < k; f++) {
      const tr = ex.map((_, i) => i).filter((i) => folds.get((ex[i] as Example).id) !== f);
      const head = trainHead(tr.map((i) => docs[i] as SparseVec), Int32Array.from(tr, (i) => gold[i] as number), new Float64Array(tr.length).fill(1), fx.dim, settings);
      const table = new WeightTable(head.m);
      ex.forEach((e, i) => {
        if (folds.get(e.id) !== f) return;
        const d = docs[i] as SparseVec;
        settings.mixGrid.forEach((mix, m) => {
          scoreHead(table, mix, d.idx, d.val, d.idx.length, z, p);
          (pred[m] as number[])[i] = argmax(p, 3);
        });
      });
    }
    settings.mixGrid.forEach((_, m) => { (f1[m] as Record<Lang, number>)[l] = macroF1(gold, pred[m] as number[], 3); });
  });
  const perMix = settings.mixGrid.map((mix, m) => {
    const r = f1[m] as Record<Lang, number>;
    return { mix, macroF1: r, mean: LANGS.reduce((a, l) => a + r[l], 0) / LANGS.length };
  });
  let best = perMix[0] as CvResult['best'];
  for (const c of perMix) if (c.mean > best.mean + 1e-9) best = c;
  return { perMix, best };
}

function pct(x: number): string {
  return (x * 100).toFixed(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, ...cands] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: node tune.ts <nusax-senti dir> [settings-override-json …]\n');
    process.exit(2);
  }
  const data = loadNusax(dir);
  for (const c of cands.length > 0 ? cands : ['{}']) {
    const over = JSON.parse(c) as Partial<TrainSettings>;
    const s: TrainSettings = { ...DEFAULT_SETTINGS, ...over, sentFeatures: { ...DEFAULT_SETTINGS.sentFeatures, ...(over.sentFeatures ?? {}) } };
    const t0 = performance.now();
    const r = crossValidate(data, s);
    process.stdout.write(`${c}  (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
    for (const m of r.perMix) process.stdout.write(`  mix ${m.mix.toFixed(2)}  ${LANGS.map((l) => `${l} ${pct(m.macroF1[l])}`).join('  ')}  mean ${pct(m.mean)}\n`);
  }
}
