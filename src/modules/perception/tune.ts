// tune.ts — owns how the training hyper-parameters are chosen: k-fold
// cross-validation over the NusaX train+valid texts (the test split is never
// read), with the same folds in every language because the corpus is
// parallel (a sentence and its translations always land in the same fold).
// Each fold fits the production heads (trainHead) on the other folds and
// scores the held-out texts with the production scorer, so the pooled
// out-of-fold macro-F1 (600 texts per language) is a steadier guide than
// the 100-text valid split alone. Training itself only refits on train.
//
// Run the sweep recorded in README.md (about a minute per candidate):
//   node src/modules/perception/tune.ts <nusax-senti dir> [--xl-grid 0,0.3] ['{"lrL2":1e-4}' …]
import { fileURLToPath } from 'node:url';
import { LABELS, LANGS } from './csv.ts';
import type { Example, Lang } from './csv.ts';
import { buildToInd, mapTokens } from './crosslingual.ts';
import { defaultLexiconDir, loadNusax } from './dataset.ts';
import type { NusaxData } from './dataset.ts';
import { FeatureExtractor } from './features.ts';
import type { SparseVec } from './features.ts';
import { macroF1 } from './metrics.ts';
import { normalizeTokens } from './normalize.ts';
import { argmax, mixCrossLingual, scoreHead } from './sentiment.ts';
import { WeightTable } from './sparse.ts';
import { DEFAULT_SETTINGS, trainHead, trainXlHead, xlFeatures } from './train.ts';
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

export interface CvEntry { mix: number; xlWeight: number; macroF1: Record<Lang, number>; mean: number }

export interface CvResult {
  /** Out-of-fold macro-F1 (0..1) per language, for each mix in
   *  settings.mixGrid at each cross-lingual weight of the grid (default:
   *  settings.xl.weight only), mix varying fastest. */
  perMix: CvEntry[];
  /** The entry with the best mean (ties: the earlier entry). */
  best: CvEntry;
}

/**
 * Cross-validate the sentiment recipe of `settings` on train+valid: per
 * fold, the word maps to Indonesian are learned from the training folds
 * only, the per-language heads and the cross-lingual head are fitted on the
 * training folds, and the held-out texts are scored as in production.
 */
export function crossValidate(data: NusaxData, settings: TrainSettings = DEFAULT_SETTINGS, k = 5, xlGrid: readonly number[] = [settings.xl.weight]): CvResult {
  const fx = new FeatureExtractor(settings.sentFeatures);
  const xfx = new FeatureExtractor(xlFeatures(settings));
  const lexDir = defaultLexiconDir(data.dir);
  const pool = {} as Record<Lang, Example[]>;
  for (const l of LANGS) pool[l] = [...data.split.train[l], ...data.split.valid[l]];
  const folds = foldsById(LANGS.flatMap((l) => pool[l].map((e) => e.id)), k);
  const combos = xlGrid.flatMap((xlWeight) => settings.mixGrid.map((mix) => ({ mix, xlWeight })));
  const useXl = xlGrid.some((w) => w > 0);
  const useMaps = useXl || (settings.sentFeatures.mapWeight ?? 0) > 0;
  const tokens = {} as Record<Lang, string[][]>;
  const gold = {} as Record<Lang, number[]>;
  const pred = {} as Record<Lang, number[][]>;
  for (const l of LANGS) {
    tokens[l] = pool[l].map((e) => normalizeTokens(e.text));
    gold[l] = pool[l].map((e) => LABELS.indexOf(e.label));
    pred[l] = combos.map(() => new Array<number>(pool[l].length).fill(0));
  }
  const z = new Float64Array(8);
  const p = new Float64Array(3);
  const q = new Float64Array(3);
  const q0 = new Float64Array(3);
  for (let f = 0; f < k; f++) {
    const trainEx = {} as Record<Lang, Example[]>;
    for (const l of LANGS) trainEx[l] = pool[l].filter((e) => folds.get(e.id) !== f);
    const maps = useMaps ? buildToInd(trainEx, settings.xl, lexDir).maps : undefined;
    const xl = useXl && maps !== undefined
      ? new WeightTable(trainXlHead(LANGS.flatMap((l) => trainEx[l].map((e) => [l, e] as const)), maps, settings))
      : undefined;
    LANGS.forEach((l, li) => {
      const ex = pool[l];
      const docs: SparseVec[] = tokens[l].map((t) => fx.snapshot(fx.extract(t, li, maps?.[l])));
      const tr = ex.map((_, i) => i).filter((i) => folds.get((ex[i] as Example).id) !== f);
      const head = trainHead(tr.map((i) => docs[i] as SparseVec), Int32Array.from(tr, (i) => gold[l][i] as number), new Float64Array(tr.length).fill(1), fx.dim, settings);
      const table = new WeightTable(head.m);
      ex.forEach((e, i) => {
        if (folds.get(e.id) !== f) return;
        const d = docs[i] as SparseVec;
        if (xl !== undefined && maps !== undefined) {
          const n = xfx.extract(mapTokens(tokens[l][i] as string[], maps[l]));
          xl.logits(xfx.idx, xfx.val, n, q0);
        }
        combos.forEach((c, m) => {
          scoreHead(table, c.mix, d.idx, d.val, d.idx.length, z, p);
          if (xl !== undefined && c.xlWeight > 0) { q.set(q0); mixCrossLingual(p, q, c.xlWeight); }
          (pred[l][m] as number[])[i] = argmax(p, 3);
        });
      });
    });
  }
  const perMix = combos.map((c, m) => {
    const r = {} as Record<Lang, number>;
    for (const l of LANGS) r[l] = macroF1(gold[l], pred[l][m] as number[], 3);
    return { mix: c.mix, xlWeight: c.xlWeight, macroF1: r, mean: LANGS.reduce((a, l) => a + r[l], 0) / LANGS.length };
  });
  let best = perMix[0] as CvEntry;
  for (const c of perMix) if (c.mean > best.mean + 1e-9) best = c;
  return { perMix, best };
}

function pct(x: number): string {
  return (x * 100).toFixed(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const gi = args.indexOf('--xl-grid');
  const xlGrid = gi >= 0 ? (args.splice(gi, 2)[1] ?? '').split(',').map(Number) : undefined;
  const [dir, ...cands] = args;
  if (!dir) {
    process.stderr.write('usage: node tune.ts <nusax-senti dir> [--xl-grid 0,0.2,0.3] [settings-override-json …]\n');
    process.exit(2);
  }
  const data = loadNusax(dir);
  for (const c of cands.length > 0 ? cands : ['{}']) {
    const over = JSON.parse(c) as Partial<TrainSettings>;
    const s: TrainSettings = {
      ...DEFAULT_SETTINGS, ...over,
      sentFeatures: { ...DEFAULT_SETTINGS.sentFeatures, ...(over.sentFeatures ?? {}) },
      xl: { ...DEFAULT_SETTINGS.xl, ...(over.xl ?? {}) },
    };
    const t0 = performance.now();
    const r = crossValidate(data, s, 5, xlGrid ?? [s.xl.weight]);
    process.stdout.write(`${c}  (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
    for (const m of r.perMix) {
      const min = Math.min(...LANGS.map((l) => m.macroF1[l]));
      process.stdout.write(`  xl ${m.xlWeight.toFixed(2)} mix ${m.mix.toFixed(2)}  ${LANGS.map((l) => `${l} ${pct(m.macroF1[l])}`).join('  ')}  mean ${pct(m.mean)}  min ${pct(min)}\n`);
    }
  }
}
