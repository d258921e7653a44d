// classifier.ts — owns the runtime classifier: given decoded model data it
// runs normalise -> lang-id -> that language's sentiment head, reusing
// scratch buffers so a call allocates little beyond its result object.
// Every input, however malformed, gets a defined answer.
import { LANGS } from './csv.ts';
import type { Lang } from './csv.ts';
import { mapsFromJson } from './crosslingual.ts';
import type { ToIndMaps } from './crosslingual.ts';
import { FeatureExtractor } from './features.ts';
import { identify, langIndex } from './langid.ts';
import { softmax } from './linear.ts';
import { WeightTable } from './sparse.ts';
import type { LangOrOther } from './langid.ts';
import { normalizeTokens, TOK_BOUNDARY, TOK_EMO_NEG, TOK_EMO_POS } from './normalize.ts';
import { argmax, labelOf, mixCrossLingual, scoreHead, toScores } from './sentiment.ts';
import type { SentimentScores } from './sentiment.ts';
import type { Label } from './csv.ts';
import type { PerceptionModelData } from './model-file.ts';

export interface Classification {
  lang: LangOrOther;
  label: Label;
  scores: SentimentScores;
  langScores?: Record<Lang, number>;
}

export interface ClassifyOptions {
  /** Include per-language probabilities. */
  langScores?: boolean;
  /** Skip lang-id and use this language's head (used by evaluation). */
  forceLang?: Lang;
}

/** Head used when the language is "other": the platform is Indonesian-first. */
const FALLBACK_LANG: Lang = 'ind';

const NEUTRAL_LOW: SentimentScores = { negative: 0.25, neutral: 0.5, positive: 0.25 };

export class Classifier {
  readonly model: PerceptionModelData;
  private readonly sentFx: FeatureExtractor;
  private readonly langFx: FeatureExtractor;
  private readonly z = new Float64Array(8);
  private readonly p = new Float64Array(3);
  private readonly lp = new Float64Array(LANGS.length);
  private readonly langTable: WeightTable;
  private readonly shortTable: WeightTable;
  private readonly heads: Record<Lang, { t: WeightTable; mix: number }>;
  private readonly toInd: ToIndMaps;
  private readonly xlFx: FeatureExtractor;
  private readonly xlTable: WeightTable | undefined;
  private readonly xlWeight: number;
  private readonly q = new Float64Array(3);
  private mapped: string[] = [];
  /** True when the sentiment features of unmapped tokens equal the
   *  cross-lingual head's (no mapped block, copies or lexicon features). */
  private readonly sameFx: boolean;

  constructor(model: PerceptionModelData) {
    this.model = model;
    const lex = model.lexicon ? new Map(Object.entries(model.lexicon)) : undefined;
    this.sentFx = new FeatureExtractor(model.settings.sentFeatures, lex);
    this.langFx = new FeatureExtractor(model.settings.langFeatures);
    this.langTable = new WeightTable(model.langid);
    this.shortTable = new WeightTable(model.short);
    const heads = {} as Record<Lang, { t: WeightTable; mix: number }>;
    for (const l of LANGS) heads[l] = { t: new WeightTable(model.heads[l].m), mix: model.heads[l].mix };
    this.heads = heads;
    this.toInd = mapsFromJson(model.toInd);
    this.xlFx = new FeatureExtractor({ ...model.settings.sentFeatures, mapWeight: 0 });
    this.xlTable = model.xl ? new WeightTable(model.xl) : undefined;
    this.xlWeight = this.xlTable ? (model.settings.xl?.weight ?? 0) : 0;
    const sf = model.settings.sentFeatures;
    this.sameFx = (sf.mapWeight ?? 0) === 0 && sf.langWeight === 0 && (sf.lexWeight === 0 || lex === undefined);
  }

  /** Re-read ensemble weights (training tunes mix on a live model). */
  setMix(mix: number): void {
    for (const l of LANGS) { this.heads[l].mix = mix; this.model.heads[l].mix = mix; }
  }

  classify(text: unknown, opt: ClassifyOptions = {}): Classification {
    try {
      return this.classifyTokens(normalizeTokens(text), opt);
    } catch {
      // Defensive: normalisation/feature code should never throw, but a
      // classifier in a pipeline must not take the pipeline down.
      return { lang: 'other', label: 'neutral', scores: { ...NEUTRAL_LOW } };
    }
  }

  classifyBatch(texts: readonly unknown[], opt: ClassifyOptions = {}): Classification[] {
    const out = new Array<Classification>(texts.length);
    for (let i = 0; i < texts.length; i++) out[i] = this.classify(texts[i], opt);
    return out;
  }

  /** Language only (cheaper: no sentiment features). */
  detectLanguage(text: unknown): { lang: LangOrOther; prob: number } {
    const tokens = normalizeTokens(text);
    if (!hasWord(tokens)) return { lang: 'other', prob: 0 };
    const n = this.langFx.extract(tokens);
    return identify(this.langTable, this.langFx.idx, this.langFx.val, n, this.lp, this.model.settings.otherMinProb);
  }

  private classifyTokens(tokens: string[], opt: ClassifyOptions): Classification {
    const words = hasWord(tokens);
    let lang: LangOrOther = 'other';
    let langScores: Record<Lang, number> | undefined;
    if (opt.forceLang !== undefined) {
      lang = opt.forceLang;
    } else if (words) {
      const n = this.langFx.extract(tokens);
      lang = identify(this.langTable, this.langFx.idx, this.langFx.val, n, this.lp, this.model.settings.otherMinProb).lang;
      if (opt.langScores) {
        langScores = {} as Record<Lang, number>;
        LANGS.forEach((l, i) => { (langScores as Record<Lang, number>)[l] = Math.round((this.lp[i] as number) * 1e4) / 1e4; });
      }
    }
    if (!words && opt.forceLang === undefined) {
      // No readable words: empty text, only emoji/emoticons/numbers, or a
      // non-Latin script. Use emoji polarity if any, with low confidence.
      const r = emojiOnly(tokens);
      return langScores ? { ...r, langScores } : r;
    }
    const headLang: Lang = lang === 'other' ? FALLBACK_LANG : lang;
    if (opt.forceLang === undefined && wordCount(tokens) <= this.model.settings.short.maxTokens) {
      // Short comment: the cross-lingual clause-trained head (see train.ts).
      const n = this.sentFx.extract(tokens, langIndex(headLang));
      this.shortTable.logits(this.sentFx.idx, this.sentFx.val, n, this.p);
      softmax(this.p, 3);
    } else {
      const toInd = this.toInd[headLang];
      const n = this.sentFx.extract(tokens, langIndex(headLang), toInd);
      const h = this.heads[headLang];
      scoreHead(h.t, h.mix, this.sentFx.idx, this.sentFx.val, n, this.z, this.p);
      if (this.xlTable !== undefined && this.xlWeight > 0) {
        // The cross-lingual head reads the tokens mapped to Indonesian. When
        // no token changes (always for Indonesian) its features are exactly
        // those just extracted, unless the head's blocks differ (sameFx).
        const mapped = this.mapped;
        mapped.length = tokens.length;
        let changed = false;
        for (let i = 0; i < tokens.length; i++) {
          const t = tokens[i] as string;
          const u = toInd.get(t);
          if (u !== undefined && u !== t) { changed = true; mapped[i] = u; } else mapped[i] = t;
        }
        if (changed || !this.sameFx) {
          const m = this.xlFx.extract(mapped);
          this.xlTable.logits(this.xlFx.idx, this.xlFx.val, m, this.q);
        } else {
          this.xlTable.logits(this.sentFx.idx, this.sentFx.val, n, this.q);
        }
        mixCrossLingual(this.p, this.q, this.xlWeight);
      }
    }
    const res: Classification = { lang, label: labelOf(argmax(this.p, 3)), scores: toScores(this.p) };
    if (langScores) res.langScores = langScores;
    return res;
  }
}

/**
 * True when the text has words we can read: at least one, and mostly in
 * Latin script (all NusaX languages are written in Latin script; a
 * Chinese or Arabic comment would otherwise get an arbitrary guess).
 */
function wordCount(tokens: readonly string[]): number {
  let n = 0;
  for (const t of tokens) if (t !== TOK_BOUNDARY) n++;
  return n;
}

function hasWord(tokens: readonly string[]): boolean {
  let latin = 0, other = 0;
  for (const t of tokens) {
    const c = t.charCodeAt(0);
    if (t === TOK_BOUNDARY || c === 95 /* '_' special token */) continue;
    if (c < 0x250) latin++; else other++;
  }
  return latin > 0 && latin >= other;
}

function emojiOnly(tokens: readonly string[]): Classification {
  let pos = 0, neg = 0;
  for (const t of tokens) { if (t === TOK_EMO_POS) pos++; else if (t === TOK_EMO_NEG) neg++; }
  if (pos > neg) return { lang: 'other', label: 'positive', scores: { negative: 0.2, neutral: 0.35, positive: 0.45 } };
  if (neg > pos) return { lang: 'other', label: 'negative', scores: { negative: 0.45, neutral: 0.35, positive: 0.2 } };
  return { lang: 'other', label: 'neutral', scores: { ...NEUTRAL_LOW } };
}
