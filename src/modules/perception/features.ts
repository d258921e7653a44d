// features.ts — owns the hashed feature space shared by language-id and
// sentiment: char n-grams inside word boundaries, word uni/bi-grams,
// negation-scoped words ("tidak bagus" -> NEG:bagus), a block of the words
// mapped to Indonesian (see crosslingual.ts), optional lexicon translations
// (a regional/English word also fires its Indonesian equivalent) and
// optional per-language copies. Output is a sparse,
// block-wise L2-normalised vector written into reusable typed arrays so
// classification allocates almost nothing per call.
import { TOK_BOUNDARY } from './normalize.ts';

export interface FeatureConfig {
  /** Hash space is 2^bits buckets. */
  bits: number;
  /** Char n-gram lengths inside " token " (charMax 0 disables). */
  charMin: number;
  charMax: number;
  /** Word unigrams / bigrams. */
  wordUni: boolean;
  wordBi: boolean;
  /** Number of tokens after a negator that are marked NEG (0 = off). */
  negScope: number;
  /** Relative weight of the word block vs the char block (each L2-normalised). */
  wordWeight: number;
  /** Weight of lexicon-translation features (0 = off). */
  lexWeight: number;
  /** Weight of language-specific copies of word features (0 = off). */
  langWeight: number;
  /** Use log(1+count) instead of raw counts. */
  sublinear: boolean;
  /** Weight of the block of word uni/bi-grams after mapping each word to
   *  Indonesian (crosslingual.ts); fires only when extract() gets a map.
   *  0 or absent = off. */
  mapWeight?: number;
}

// Negators per language, justified from NusaX train alignments: tokens in
// the regional texts that co-occur with "tidak" in the parallel Indonesian.
export const NEGATORS = new Set([
  'tidak', 'bukan', 'belum', 'jangan', 'tanpa', 'kurang', // ind
  'kada', 'kadada', 'balum', // bjn
  'ora', 'dudu', 'durung', 'aja', 'ojo', // jav (aja = "don't")
  'de', "de'", "de'na", 'deggaga', 'detto', 'tania', // bug
  'not', 'no', 'never', 'cannot', 'without', 'nothing', 'hardly', // eng
]);

function isNegator(t: string): boolean {
  return NEGATORS.has(t) || t.endsWith("n't");
}

// Namespace seeds keep the blocks apart in the shared hash space.
const SEED_CHAR = 0x811c9dc5;
const SEED_WORD = 0x1b873593;
const SEED_BI = 0x27d4eb2f;
const SEED_NEG = 0x165667b1;
const SEED_LANG = 0x3c6ef372;
const SEED_MAP = 0x5bd1e995;
const SEED_MAPBI = 0x68e31da4;

/** MurmurHash3 finaliser: FNV's low bits are weak, and we mask low bits. */
function fmix(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a over UTF-16 code units (unfinalised, used as a building block). */
export function fnv(seed: number, s: string): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Stable bucket for an arbitrary string key (used by tests/tools). */
export function hashKey(seed: number, s: string): number {
  return fmix(fnv(seed, s));
}

export interface SparseVec { idx: Int32Array; val: Float32Array }

export class FeatureExtractor {
  readonly cfg: FeatureConfig;
  readonly dim: number;
  private readonly mask: number;
  private readonly acc: Float32Array;
  private touched: Int32Array;
  private nTouched = 0;
  /** Output buffers, valid until the next extract() call. */
  idx: Int32Array;
  val: Float32Array;
  private lexicon: Map<string, string[]> | undefined;

  constructor(cfg: FeatureConfig, lexicon?: Map<string, string[]>) {
    this.cfg = cfg;
    this.dim = 1 << cfg.bits;
    this.mask = this.dim - 1;
    this.acc = new Float32Array(this.dim);
    this.touched = new Int32Array(1024);
    this.idx = new Int32Array(2048);
    this.val = new Float32Array(2048);
    this.lexicon = lexicon;
  }

  private add(h: number, w: number): void {
    const b = fmix(h) & this.mask;
    if (this.acc[b] === 0) {
      if (this.nTouched === this.touched.length) {
        const t = new Int32Array(this.touched.length * 2); t.set(this.touched); this.touched = t;
      }
      this.touched[this.nTouched++] = b;
    }
    this.acc[b] = (this.acc[b] as number) + w;
  }

  /** Move the accumulated block into the output at `off`, L2-normalised and scaled. */
  private flush(off: number, scale: number): number {
    const n = this.nTouched;
    if (off + n > this.idx.length) {
      const cap = Math.max(this.idx.length * 2, off + n);
      const i2 = new Int32Array(cap); i2.set(this.idx.subarray(0, off)); this.idx = i2;
      const v2 = new Float32Array(cap); v2.set(this.val.subarray(0, off)); this.val = v2;
    }
    let norm = 0;
    const sub = this.cfg.sublinear;
    for (let i = 0; i < n; i++) {
      const b = this.touched[i] as number;
      let v = this.acc[b] as number;
      if (sub) v = v > 0 ? Math.log1p(v) : -Math.log1p(-v);
      this.acc[b] = v;
      norm += v * v;
    }
    const k = norm > 0 ? scale / Math.sqrt(norm) : 0;
    for (let i = 0; i < n; i++) {
      const b = this.touched[i] as number;
      this.idx[off + i] = b;
      this.val[off + i] = (this.acc[b] as number) * k;
      this.acc[b] = 0;
    }
    this.nTouched = 0;
    return off + n;
  }

  /**
   * Extract features for a token list. `langSeed` (a small integer per
   * language, or -1) enables the language-specific copies; `toInd` (word ->
   * Indonesian word) enables the mapped-word block when cfg.mapWeight > 0
   * (an empty map, as for Indonesian itself, maps every word to itself).
   * Returns the number of entries written to this.idx / this.val.
   */
  extract(tokens: readonly string[], langSeed = -1, toInd?: ReadonlyMap<string, string>): number {
    const c = this.cfg;
    let off = 0;
    if (c.charMax > 0) {
      for (const t of tokens) {
        if (t === TOK_BOUNDARY) continue;
        this.addCharGrams(t);
      }
      off = this.flush(off, 1);
    }
    if (c.wordUni || c.wordBi) {
      let negLeft = 0;
      let prev = -1;
      const lang = langSeed >= 0 && c.langWeight > 0;
      for (const t of tokens) {
        if (t === TOK_BOUNDARY) { negLeft = 0; prev = -1; continue; }
        const hw = fnv(SEED_WORD, t);
        const neg = negLeft > 0;
        if (c.wordUni) {
          // Negated words get their own feature instead of the plain one.
          const hu = neg ? fnv(SEED_NEG, t) : hw;
          this.add(hu, 1);
          if (lang) this.add(Math.imul(hu ^ SEED_LANG, langSeed + 7), c.langWeight);
          if (c.lexWeight > 0 && this.lexicon !== undefined) {
            const tr = this.lexicon.get(t);
            if (tr !== undefined) {
              for (const w of tr) this.add(neg ? fnv(SEED_NEG, w) : fnv(SEED_WORD, w), c.lexWeight);
            }
          }
        }
        if (c.wordBi && prev !== -1) {
          const hb = Math.imul(prev ^ SEED_BI, 0x9e3779b1) ^ hw;
          this.add(hb, 1);
          if (lang) this.add(Math.imul(hb ^ SEED_LANG, langSeed + 7), c.langWeight);
        }
        prev = hw;
        if (negLeft > 0) negLeft--;
        if (c.negScope > 0 && isNegator(t)) negLeft = c.negScope;
      }
      off = this.flush(off, c.wordWeight);
    }
    const mw = c.mapWeight ?? 0;
    if (mw > 0 && toInd !== undefined) {
      // Words (and bigrams) in the shared Indonesian vocabulary, under their
      // own seeds; no negation marking in this block.
      let prev = -1;
      for (const t of tokens) {
        if (t === TOK_BOUNDARY) { prev = -1; continue; }
        const hw = fnv(SEED_MAP, toInd.get(t) ?? t);
        if (c.wordUni) this.add(hw, 1);
        if (c.wordBi && prev !== -1) this.add(Math.imul(prev ^ SEED_MAPBI, 0x9e3779b1) ^ hw, 1);
        prev = hw;
      }
      off = this.flush(off, mw);
    }
    return off;
  }

  private addCharGrams(t: string): void {
    const { charMin, charMax } = this.cfg;
    const L = t.length + 2; // virtual " " + t + " "
    for (let s = 0; s < L; s++) {
      let h = SEED_CHAR;
      const maxLen = Math.min(charMax, L - s);
      for (let j = 0; j < maxLen; j++) {
        const p = s + j;
        const code = p === 0 || p === L - 1 ? 32 : t.charCodeAt(p - 1);
        h = Math.imul(h ^ code, 16777619);
        if (j + 1 >= charMin) this.add(h, 1);
      }
    }
  }

  /** Copy of the current output as a standalone sparse vector (for training). */
  snapshot(n: number): SparseVec {
    return { idx: this.idx.slice(0, n), val: this.val.slice(0, n) };
  }
}
