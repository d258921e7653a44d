// keywords.ts — owns keyword extraction for a set of comments: terms and
// two-word phrases ("jalan rusak") that are over-represented compared with
// a background (Indonesian NusaX word frequencies stored in the model),
// after removing Indonesian stopwords. Score = document frequency x
// log(p_target / p_background) with smoothing, a pointwise-KL weighting
// that rewards terms that are both frequent and distinctive.
import { normalizeTokens, TOK_BOUNDARY } from './normalize.ts';

export interface Keyword {
  term: string;
  /** Number of texts containing the term. */
  count: number;
  score: number;
}

export interface KeywordOptions {
  top?: number;
  /** Minimum number of texts a term must occur in (default 2, or 1 for < 20 texts). */
  minCount?: number;
}

export interface KeywordBackground {
  total: number;
  words: Record<string, number>;
}

// Chat fillers and normaliser outputs that the stopwords-id list lacks.
const EXTRA_STOP = ['yang', 'nya', 'sih', 'deh', 'dong', 'kok', 'nih', 'tuh', 'lah', 'kah', 'pun', 'banget', 'sangat', 'min', 'admin', 'pak', 'bu', 'kak', 'gan', 'the', 'and', 'for', 'this', 'that', 'with'];

const PHRASE_BONUS = 1.25;

export class KeywordExtractor {
  private readonly stop: Set<string>;
  private readonly bg: KeywordBackground;
  private readonly bgVocab: number;

  constructor(background: KeywordBackground, stopwords: readonly string[]) {
    this.bg = background;
    this.bgVocab = Object.keys(background.words).length + 1;
    this.stop = new Set([...stopwords, ...EXTRA_STOP]);
  }

  private isContent(t: string): boolean {
    return t.length >= 3 && t !== TOK_BOUNDARY && t.charCodeAt(0) !== 95 && !this.stop.has(t);
  }

  private pBackground(w: string): number {
    const c = Object.hasOwn(this.bg.words, w) ? (this.bg.words[w] as number) : 0;
    return (c + 1) / (this.bg.total + this.bgVocab);
  }

  extract(texts: Iterable<unknown>, opt: KeywordOptions = {}): Keyword[] {
    const top = Math.max(1, Math.min(opt.top ?? 20, 1000));
    const df = new Map<string, number>();
    let nTexts = 0;
    let nTokens = 0;
    const seen = new Set<string>();
    for (const text of texts) {
      nTexts++;
      seen.clear();
      const toks = normalizeTokens(text);
      let prev: string | undefined;
      for (const t of toks) {
        if (!this.isContent(t)) { prev = undefined; continue; }
        nTokens++;
        seen.add(t);
        if (prev !== undefined && prev !== t) seen.add(`${prev} ${t}`);
        prev = t;
      }
      for (const k of seen) df.set(k, (df.get(k) ?? 0) + 1);
    }
    if (nTexts === 0 || nTokens === 0) return [];
    const minCount = opt.minCount ?? (nTexts < 20 ? 1 : 2);
    const V = df.size + 1;
    // log(p_target / p_background) per single word.
    const lift = (w: string): number => Math.log(((df.get(w) ?? 0) + 0.5) / (nTokens + 0.5 * V) / this.pBackground(w));
    const scored: Keyword[] = [];
    for (const [term, c] of df) {
      if (c < minCount) continue;
      const sp = term.indexOf(' ');
      // A phrase is as distinctive as its words on average (we have no
      // phrase background), with a small bonus because a recurring phrase
      // ("jalan rusak") tells a reader more than either word alone.
      const l = sp === -1 ? lift(term) : PHRASE_BONUS * 0.5 * (lift(term.slice(0, sp)) + lift(term.slice(sp + 1)));
      const score = c * l;
      if (score > 0) scored.push({ term, count: c, score });
    }
    scored.sort((a, b) => b.score - a.score || b.count - a.count || (a.term < b.term ? -1 : 1));
    // Drop a single word mostly explained by an already chosen phrase
    // ("rusak" when "jalan rusak" covers >= 80% of its texts).
    const out: Keyword[] = [];
    for (const k of scored) {
      if (out.length >= top) break;
      if (k.term.indexOf(' ') === -1) {
        const covered = out.some((o) => o.term.indexOf(' ') !== -1 && o.term.split(' ').includes(k.term) && o.count >= 0.8 * k.count);
        if (covered) continue;
      }
      out.push({ term: k.term, count: k.count, score: Math.round(k.score * 1000) / 1000 });
    }
    return out;
  }
}
