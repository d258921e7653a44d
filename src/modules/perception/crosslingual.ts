// crosslingual.ts — owns the word-level mapping of Banjarese, Buginese,
// Javanese and English into Indonesian ("translate-test" at word level):
// a dictionary learned from the parallel NusaX *train* texts (Dice
// co-occurrence of a word with the Indonesian words of the same sentences),
// overlaid with the single-word entries of the NusaX lexicon. Both the
// per-language heads (an extra block of mapped words) and the cross-lingual
// head (all five languages' train texts in the shared Indonesian space) use
// it; see train.ts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LANGS, loadLexicon } from './csv.ts';
import type { Example, Lang } from './csv.ts';
import { sha256File } from './dataset.ts';
import { normalizeTokens, TOK_BOUNDARY } from './normalize.ts';

export interface AlignSettings {
  /** Minimum Dice coefficient for a learned word pair. */
  diceMin: number;
  /** Minimum number of train sentences the source word occurs in. */
  minCount: number;
}

/** Word -> Indonesian word, per language (Indonesian: empty, i.e. identity). */
export type ToIndMaps = Record<Lang, Map<string, string>>;

const LEXICON_FILES: Partial<Record<Lang, string>> = { bjn: 'banjarese', bug: 'buginese', jav: 'javanese', eng: 'english' };

/**
 * Learn word -> Indonesian word from parallel sentence pairs: for every
 * source word seen in at least `minCount` sentences, the Indonesian word
 * with the highest Dice coefficient over sentences (ties: more shared
 * sentences, then first seen), kept when Dice >= diceMin and the word is
 * not already the same in both languages.
 */
export function alignToInd(pairs: ReadonlyArray<readonly [readonly string[], readonly string[]]>, a: AlignSettings): Map<string, string> {
  const cw = new Map<string, number>();
  const cv = new Map<string, number>();
  const cwv = new Map<string, Map<string, number>>();
  for (const [src, ind] of pairs) {
    const ws = new Set(src.filter((t) => t !== TOK_BOUNDARY));
    const vs = new Set(ind.filter((t) => t !== TOK_BOUNDARY));
    for (const v of vs) cv.set(v, (cv.get(v) ?? 0) + 1);
    for (const w of ws) {
      cw.set(w, (cw.get(w) ?? 0) + 1);
      let m = cwv.get(w);
      if (m === undefined) { m = new Map(); cwv.set(w, m); }
      for (const v of vs) m.set(v, (m.get(v) ?? 0) + 1);
    }
  }
  const out = new Map<string, string>();
  for (const [w, c] of cw) {
    if (c < a.minCount) continue;
    let best = '', bd = 0, bc = 0;
    for (const [v, cc] of cwv.get(w) as Map<string, number>) {
      const d = (2 * cc) / (c + (cv.get(v) ?? 0));
      if (d > bd + 1e-12 || (Math.abs(d - bd) <= 1e-12 && cc > bc)) { bd = d; best = v; bc = cc; }
    }
    if (bd >= a.diceMin && best !== w) out.set(w, best);
  }
  return out;
}

/** Single-word entries of one NusaX lexicon file: local word -> Indonesian (first row wins). */
export function lexiconToInd(path: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const [ind, local] of loadLexicon(path)) {
    const w = local.trim().toLowerCase();
    const v = ind.trim().toLowerCase();
    if (!w || !v || /\s/.test(w) || /\s/.test(v) || m.has(w)) continue;
    m.set(w, v);
  }
  return m;
}

/**
 * The maps for all languages from parallel examples (same ids in every
 * language; only `examples` are read, callers pass train texts only) and,
 * when `lexiconDir` has them, the NusaX lexicon files, whose entries take
 * precedence over learned pairs.
 */
export function buildToInd(examples: Record<Lang, readonly Example[]>, a: AlignSettings, lexiconDir?: string): { maps: ToIndMaps; sha256: Record<string, string> } {
  const sha: Record<string, string> = {};
  const indById = new Map(examples.ind.map((e) => [e.id, normalizeTokens(e.text)]));
  const maps = {} as ToIndMaps;
  for (const l of LANGS) {
    if (l === 'ind') { maps[l] = new Map(); continue; }
    const pairs: Array<[string[], string[]]> = [];
    for (const e of examples[l]) {
      const ind = indById.get(e.id);
      if (ind !== undefined) pairs.push([normalizeTokens(e.text), ind]);
    }
    const m = alignToInd(pairs, a);
    const f = LEXICON_FILES[l];
    const p = lexiconDir !== undefined && f !== undefined ? join(lexiconDir, `${f}.csv`) : undefined;
    if (p !== undefined && existsSync(p)) {
      sha[`nusax-lexicon/${f}.csv`] = sha256File(p);
      for (const [w, v] of lexiconToInd(p)) m.set(w, v);
    }
    maps[l] = m;
  }
  return { maps, sha256: sha };
}

/** Tokens with each word replaced by its Indonesian mapping (others kept). */
export function mapTokens(tokens: readonly string[], toInd: ReadonlyMap<string, string>): string[] {
  const out = new Array<string>(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    out[i] = toInd.get(t) ?? t;
  }
  return out;
}

/** Plain-object form for the model file (sorted keys: stable output). */
export function mapsToJson(m: ToIndMaps): Record<Lang, Record<string, string>> {
  const o = {} as Record<Lang, Record<string, string>>;
  for (const l of LANGS) o[l] = Object.fromEntries([...m[l].entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  return o;
}

export function mapsFromJson(o: Partial<Record<Lang, Record<string, string>>> | undefined): ToIndMaps {
  const m = {} as ToIndMaps;
  for (const l of LANGS) m[l] = new Map(Object.entries(o?.[l] ?? {}));
  return m;
}
