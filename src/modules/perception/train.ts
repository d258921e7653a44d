// train.ts — owns the training recipe: per-language sentiment heads
// (softmax LR + one-vs-rest NB-SVM over char+word n-grams with negation
// marking and a block of words mapped to Indonesian), a cross-lingual LR
// over all five languages' texts mapped to Indonesian (crosslingual.ts),
// a language-id model over all five languages, the ensemble
// weight tuned on the *valid* split only (the regularisation settings come
// from cross-validation on train+valid, see tune.ts), and the background
// word counts used by keywords(). Heads are fitted on train only. The test
// split is only ever scored, never used to choose anything.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LABELS, LANGS, loadLexicon } from './csv.ts';
import type { Example, Lang } from './csv.ts';
import { buildToInd, mapTokens, mapsToJson } from './crosslingual.ts';
import type { AlignSettings, ToIndMaps } from './crosslingual.ts';
import { defaultLexiconDir, loadNusax, sha256File } from './dataset.ts';
import type { NusaxData } from './dataset.ts';
import { FeatureExtractor } from './features.ts';
import type { FeatureConfig, SparseVec } from './features.ts';
import { trainSoftmax } from './linear.ts';
import { toSparse } from './sparse.ts';
import type { SparseMatrix } from './sparse.ts';
import { normalizeTokens } from './normalize.ts';
import { HEAD_STRIDE } from './sentiment.ts';
import type { SentimentHead } from './sentiment.ts';
import { quantizeModel } from './model-file.ts';
import type { PerceptionModelData } from './model-file.ts';
import { evaluateModel } from './evaluate.ts';
import type { EvalReport } from './evaluate.ts';

export interface TrainSettings {
  /** Seeds the augmentation PRNG; the optimiser itself is full-batch
   *  L-BFGS with no random step, so results are identical run to run. */
  seed: number;
  sentFeatures: FeatureConfig;
  langFeatures: FeatureConfig;
  lrL2: number;
  nbL2: number;
  langL2: number;
  maxIter: number;
  /** NB smoothing for the log-count ratios. */
  nbAlpha: number;
  /** Candidate LR weights in the LR/NB-SVM ensemble, chosen on valid. */
  mixGrid: number[];
  /** Below this lang-id probability the language is reported as "other". */
  otherMinProb: number;
  /** How many background words to keep for keywords(). */
  backgroundSize: number;
  /** Training-set augmentation (see augment()). */
  augment: AugmentSettings;
  /** Weight classes inversely to their frequency (macro-F1 counts the
   *  smaller neutral class as much as the others). */
  balanceClasses: boolean;
  /** Cross-lingual head for short comments (see trainShortHead()). */
  short: { maxTokens: number; l2: number };
  /** Word mapping to Indonesian and the cross-lingual head (trainXlHead()):
   *  its weight in the sentiment ensemble (0 = off) and its L2. */
  xl: AlignSettings & { weight: number; l2: number };
}

export interface AugmentSettings {
  /** Weight of each clause (text between . , ! ? ;) added as its own example; 0 = off. */
  clauseWeight: number;
  /** Minimum tokens for a clause to be added. */
  clauseMinTokens: number;
  /** Word-dropout copies per text (seeded), and their weight and drop rate. */
  dropoutCopies: number;
  dropoutWeight: number;
  dropoutRate: number;
}

export const DEFAULT_SETTINGS: TrainSettings = {
  seed: 20230502,
  sentFeatures: { bits: 18, charMin: 1, charMax: 5, wordUni: true, wordBi: true, negScope: 3, wordWeight: 1, lexWeight: 0, langWeight: 0, sublinear: true, mapWeight: 0 },
  langFeatures: { bits: 18, charMin: 1, charMax: 4, wordUni: true, wordBi: false, negScope: 0, wordWeight: 1, lexWeight: 0, langWeight: 0, sublinear: true },
  // lrL2, nbL2 and nbAlpha: chosen by 5-fold cross-validation on train+valid
  // (tune.ts; figures in README.md). Test never took part.
  lrL2: 1e-4,
  nbL2: 3e-2,
  langL2: 1e-5,
  maxIter: 300,
  nbAlpha: 0.1,
  mixGrid: [0, 0.25, 0.5, 0.75, 1],
  otherMinProb: 0.4,
  backgroundSize: 8000,
  augment: { clauseWeight: 0, clauseMinTokens: 2, dropoutCopies: 0, dropoutWeight: 0.5, dropoutRate: 0.2 },
  short: { maxTokens: 4, l2: 1e-4 },
  // xl.weight chosen by 5-fold cross-validation on train+valid (tune.ts);
  // the alignment thresholds were fixed beforehand (neighbours in README).
  xl: { diceMin: 0.5, minCount: 2, weight: 0.4, l2: 1e-4 },
  balanceClasses: false,
};

/** mulberry32: tiny seeded PRNG so augmentation is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TrainingSet { tokens: string[][]; labels: number[]; weights: number[] }

/**
 * Turn labelled texts into weighted token lists. Besides each full text we
 * can add (a) its clauses, so short comments look like something the model
 * has seen (NusaX texts are long reviews, social comments are short), and
 * (b) word-dropout copies, a cheap regulariser. Both inherit the label.
 */
export function augment(ex: readonly Example[], a: AugmentSettings, seed: number): TrainingSet {
  const out: TrainingSet = { tokens: [], labels: [], weights: [] };
  const rand = rng(seed);
  for (const e of ex) {
    const toks = normalizeTokens(e.text);
    const y = LABELS.indexOf(e.label);
    out.tokens.push(toks); out.labels.push(y); out.weights.push(1);
    if (a.clauseWeight > 0) {
      const clauses: string[][] = [[]];
      for (const t of toks) {
        if (t === '|') clauses.push([]); else (clauses[clauses.length - 1] as string[]).push(t);
      }
      if (clauses.length > 1) {
        for (const c of clauses) {
          if (c.length >= a.clauseMinTokens) { out.tokens.push(c); out.labels.push(y); out.weights.push(a.clauseWeight); }
        }
      }
    }
    for (let k = 0; k < a.dropoutCopies; k++) {
      const kept = toks.filter((t) => t === '|' || rand() >= a.dropoutRate);
      out.tokens.push(kept); out.labels.push(y); out.weights.push(a.dropoutWeight);
    }
  }
  return out;
}

export interface TrainResult {
  model: PerceptionModelData;
  report: EvalReport;
  seconds: number;
}

/** Reverse NusaX lexicon: regional/English word -> Indonesian words. */
export function loadReverseLexicon(dir: string): { map: Map<string, string[]>; sha256: Record<string, string> } {
  const map = new Map<string, string[]>();
  const sha: Record<string, string> = {};
  for (const f of ['banjarese', 'buginese', 'javanese', 'english']) {
    const p = join(dir, `${f}.csv`);
    if (!existsSync(p)) continue;
    sha[`nusax-lexicon/${f}.csv`] = sha256File(p);
    for (const [ind, local] of loadLexicon(p)) {
      for (const w of local.split(/\s+/)) {
        if (!w || w === ind) continue;
        const a = map.get(w) ?? [];
        if (!a.includes(ind)) a.push(ind);
        map.set(w, a);
      }
    }
  }
  return { map, sha256: sha };
}

/** One-vs-rest NB-SVM: returns per-class folded weights (dim) and biases. */
function trainNbSvm(docs: readonly SparseVec[], y: Int32Array, sw: Float64Array, dim: number, s: TrainSettings): { u: Float32Array[]; c: number[] } {
  const u: Float32Array[] = [];
  const c: number[] = [];
  const p = new Float64Array(dim);
  const q = new Float64Array(dim);
  for (let k = 0; k < LABELS.length; k++) {
    p.fill(s.nbAlpha); q.fill(s.nbAlpha);
    let ps = dim * s.nbAlpha, qs = dim * s.nbAlpha;
    for (let d = 0; d < docs.length; d++) {
      const t = y[d] === k ? p : q;
      const idx = (docs[d] as SparseVec).idx;
      const wd = sw[d] as number;
      for (let i = 0; i < idx.length; i++) t[idx[i] as number] = (t[idx[i] as number] as number) + wd;
      if (y[d] === k) ps += wd * idx.length; else qs += wd * idx.length;
    }
    const r = new Float32Array(dim);
    for (let b = 0; b < dim; b++) r[b] = Math.log(((p[b] as number) / ps) / ((q[b] as number) / qs));
    const scaled = docs.map((v) => ({ idx: v.idx, val: Float32Array.from(v.idx, (b) => r[b] as number) }));
    const m = trainSoftmax(scaled, Int32Array.from(y, (l) => (l === k ? 1 : 0)), dim, 2, { l2: s.nbL2, maxIter: s.maxIter, sampleWeight: sw });
    const fold = new Float32Array(dim);
    for (let b = 0; b < dim; b++) {
      const d = (m.w[b * 2 + 1] as number) - (m.w[b * 2] as number);
      if (d !== 0) fold[b] = d * (r[b] as number);
    }
    u.push(fold);
    c.push((m.bias[1] as number) - (m.bias[0] as number));
  }
  return { u, c };
}

/** Train one language's sentiment head (mix set later from valid). */
export function trainHead(docs: readonly SparseVec[], y: Int32Array, sw: Float64Array, dim: number, s: TrainSettings): SentimentHead {
  const lr = trainSoftmax(docs, y, dim, 3, { l2: s.lrL2, maxIter: s.maxIter, sampleWeight: sw });
  const nb = trainNbSvm(docs, y, sw, dim, s);
  const w = new Float32Array(dim * HEAD_STRIDE);
  for (let b = 0; b < dim; b++) {
    const o = b * HEAD_STRIDE;
    for (let k = 0; k < 3; k++) {
      w[o + k] = lr.w[b * 3 + k] as number;
      w[o + 3 + k] = (nb.u[k] as Float32Array)[b] as number;
    }
  }
  const bias = [lr.bias[0] as number, lr.bias[1] as number, lr.bias[2] as number, ...nb.c];
  return { m: toSparse(w, HEAD_STRIDE, bias, dim), mix: 0.5 };
}

/** Scale sample weights by N / (K * n_class) so each class weighs the same. */
export function balance(ts: TrainingSet): void {
  const per = new Float64Array(LABELS.length);
  let tot = 0;
  ts.labels.forEach((y, i) => { per[y] = (per[y] as number) + (ts.weights[i] as number); tot += ts.weights[i] as number; });
  ts.weights = ts.weights.map((w, i) => w * tot / (LABELS.length * (per[ts.labels[i] as number] as number)));
}

/** Split a token list into clauses at boundary tokens. */
export function clauses(toks: readonly string[]): string[][] {
  const out: string[][] = [[]];
  for (const t of toks) {
    if (t === '|') out.push([]); else (out[out.length - 1] as string[]).push(t);
  }
  return out.filter((c) => c.length > 0);
}

/**
 * Short-comment head. NusaX texts are multi-sentence reviews; a model
 * trained only on them reads "bagus sekali" as negative ("sekali" mostly
 * follows complaints there). This single LR is trained on every clause of
 * every language's train texts (label inherited) plus the full texts, and is
 * used only for inputs of at most short.maxTokens words. Training on clauses
 * hurt full-text valid F1 badly, hence a separate head.
 */
export function trainShortHead(data: NusaxData, fx: FeatureExtractor, s: TrainSettings): SparseMatrix {
  const docs: SparseVec[] = [];
  const y: number[] = [];
  for (const l of LANGS) {
    for (const e of data.split.train[l]) {
      const toks = normalizeTokens(e.text);
      const label = LABELS.indexOf(e.label);
      const cs = clauses(toks);
      for (const c of cs.length > 1 ? [toks, ...cs] : [toks]) {
        docs.push(fx.snapshot(fx.extract(c)));
        y.push(label);
      }
    }
  }
  const m = trainSoftmax(docs, Int32Array.from(y), fx.dim, LABELS.length, { l2: s.short.l2, maxIter: s.maxIter });
  return toSparse(m.w, m.classes, m.bias, m.dim);
}

/** Settings' sentiment features without the mapped-word block (the
 *  cross-lingual head reads mapped tokens through the ordinary blocks). */
export function xlFeatures(s: TrainSettings): FeatureConfig {
  return { ...s.sentFeatures, mapWeight: 0 };
}

/**
 * Cross-lingual head: one softmax LR over the texts of all five languages,
 * each word replaced by its Indonesian mapping (Indonesian texts as they
 * are), with the ordinary char and word features of the mapped tokens. The
 * five translations of a sentence become five paraphrases in one space.
 * `examples` are (language, example) pairs; callers pass train texts only.
 */
export function trainXlHead(examples: ReadonlyArray<readonly [Lang, Example]>, maps: ToIndMaps, s: TrainSettings): SparseMatrix {
  const fx = new FeatureExtractor(xlFeatures(s));
  const docs: SparseVec[] = [];
  const y: number[] = [];
  for (const [l, e] of examples) {
    docs.push(fx.snapshot(fx.extract(mapTokens(normalizeTokens(e.text), maps[l]))));
    y.push(LABELS.indexOf(e.label));
  }
  const m = trainSoftmax(docs, Int32Array.from(y), fx.dim, LABELS.length, { l2: s.xl.l2, maxIter: s.maxIter });
  return toSparse(m.w, m.classes, m.bias, m.dim);
}

/** Train the language identifier on all five parallel train sets. */
export function trainLangId(data: NusaxData, s: TrainSettings): SparseMatrix {
  const fx = new FeatureExtractor(s.langFeatures);
  const docs: SparseVec[] = [];
  const y: number[] = [];
  LANGS.forEach((l, li) => {
    for (const e of data.split.train[l]) {
      docs.push(fx.snapshot(fx.extract(normalizeTokens(e.text))));
      y.push(li);
    }
  });
  const m = trainSoftmax(docs, Int32Array.from(y), fx.dim, LANGS.length, { l2: s.langL2, maxIter: s.maxIter });
  return toSparse(m.w, m.classes, m.bias, m.dim);
}

/** Word frequencies of the Indonesian train+valid texts: keywords() background. */
export function backgroundCounts(data: NusaxData, size: number): { total: number; words: Record<string, number> } {
  const counts = new Map<string, number>();
  let total = 0;
  for (const e of [...data.split.train.ind, ...data.split.valid.ind]) {
    for (const t of normalizeTokens(e.text)) {
      if (t === '|' || t.startsWith('_')) continue;
      counts.set(t, (counts.get(t) ?? 0) + 1);
      total++;
    }
  }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, size);
  return { total, words: Object.fromEntries(top) };
}

function loadStopwords(dataDir: string): { words: string[]; sha256: Record<string, string> } {
  const p = join(dataDir, '..', 'stopwords-id', 'stopwords-id.txt');
  if (!existsSync(p)) return { words: [], sha256: {} };
  const words = readFileSync(p, 'utf8').split(/\r?\n/).map((w) => w.trim()).filter(Boolean);
  return { words, sha256: { 'stopwords-id/stopwords-id.txt': sha256File(p) } };
}

/** Full training run from a NusaX directory (fit, tune on valid, score). */
export function trainPerception(dataDir: string, s: TrainSettings = DEFAULT_SETTINGS): TrainResult {
  const t0 = performance.now();
  const data = loadNusax(dataDir);
  const lex = s.sentFeatures.lexWeight > 0 ? loadReverseLexicon(defaultLexiconDir(dataDir)) : undefined;
  const fx = new FeatureExtractor(s.sentFeatures, lex?.map);
  // Word maps to Indonesian, learned from the parallel *train* texts only.
  const useMaps = (s.sentFeatures.mapWeight ?? 0) > 0 || s.xl.weight > 0;
  const toInd = useMaps ? buildToInd(data.split.train, s.xl, defaultLexiconDir(dataDir)) : undefined;
  const heads = {} as Record<Lang, SentimentHead>;
  LANGS.forEach((l, li) => {
    const ts = augment(data.split.train[l], s.augment, s.seed + li);
    if (s.balanceClasses) balance(ts);
    const docs = ts.tokens.map((t) => fx.snapshot(fx.extract(t, li, toInd?.maps[l])));
    heads[l] = trainHead(docs, Int32Array.from(ts.labels), Float64Array.from(ts.weights), fx.dim, s);
  });
  const xl = toInd !== undefined && s.xl.weight > 0
    ? trainXlHead(LANGS.flatMap((l) => data.split.train[l].map((e) => [l, e] as const)), toInd.maps, s)
    : undefined;
  const langid = trainLangId(data, s);
  const short = trainShortHead(data, fx, s);
  const stop = loadStopwords(dataDir);
  const sha = { ...prefixKeys(data.sha256, 'nusax-senti/'), ...(lex?.sha256 ?? {}), ...(toInd?.sha256 ?? {}), ...stop.sha256 };
  const model: PerceptionModelData = {
    settings: s,
    sha256: sha,
    lexicon: lex ? Object.fromEntries(lex.map) : undefined,
    langid,
    heads,
    short,
    toInd: toInd ? mapsToJson(toInd.maps) : undefined,
    xl,
    background: backgroundCounts(data, s.backgroundSize),
    stopwords: stop.words,
  };
  // Snap weights to the int16 grid of the file format first, so everything
  // measured below is measured on exactly the weights that get saved.
  quantizeModel(model);
  // Choose the LR/NB-SVM mix on the valid split (mean macro-F1 over languages).
  let best = { mix: 0.5, f1: -1 };
  for (const mix of s.mixGrid) {
    for (const l of LANGS) model.heads[l].mix = mix;
    const r = evaluateModel(model, data, ['valid']);
    const f1 = mean(Object.values(r.valid?.macroF1 ?? {}));
    if (f1 > best.f1 + 1e-9) best = { mix, f1 };
  }
  for (const l of LANGS) model.heads[l].mix = best.mix;
  const report = evaluateModel(model, data, ['valid', 'test']);
  return { model, report, seconds: (performance.now() - t0) / 1000 };
}

function prefixKeys(o: Record<string, string>, p: string): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [p + k, v]));
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}
