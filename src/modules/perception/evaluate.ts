// evaluate.ts — owns scoring a model on NusaX splits: sentiment macro-F1
// per language with the gold language's head (the setting the published
// baselines use), the same end-to-end with the detected language, and
// language-id accuracy.
import { Classifier } from './classifier.ts';
import { LABELS, LANGS } from './csv.ts';
import type { Lang, Split } from './csv.ts';
import type { NusaxData } from './dataset.ts';
import { macroF1 } from './metrics.ts';
import type { PerceptionModelData } from './model-file.ts';

export interface SplitReport {
  /** Sentiment macro-F1 (0..1) per language, head chosen by gold language. */
  macroF1: Record<Lang, number>;
  /** Sentiment macro-F1 when the language is detected automatically. */
  endToEndMacroF1: Record<Lang, number>;
  /** Language-id accuracy over all five languages of the split. */
  langIdAccuracy: number;
  langIdAccuracyPerLang: Record<Lang, number>;
}

export type EvalReport = Partial<Record<Split, SplitReport>>;

/** Round to 4 decimals so reports/headers are stable and readable. */
export function r4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

export function evaluateModel(model: PerceptionModelData, data: NusaxData, splits: readonly Split[]): EvalReport {
  const clf = new Classifier(model);
  const out: EvalReport = {};
  for (const s of splits) {
    const f1 = {} as Record<Lang, number>;
    const e2e = {} as Record<Lang, number>;
    const lacc = {} as Record<Lang, number>;
    let ok = 0, total = 0;
    for (const l of LANGS) {
      const ex = data.split[s][l];
      const gold = ex.map((e) => LABELS.indexOf(e.label));
      const pred: number[] = [];
      const predE2e: number[] = [];
      let lok = 0;
      for (const e of ex) {
        pred.push(LABELS.indexOf(clf.classify(e.text, { forceLang: l }).label));
        const r = clf.classify(e.text);
        predE2e.push(LABELS.indexOf(r.label));
        if (r.lang === l) lok++;
      }
      f1[l] = r4(macroF1(gold, pred, 3));
      e2e[l] = r4(macroF1(gold, predE2e, 3));
      lacc[l] = r4(ex.length ? lok / ex.length : 0);
      ok += lok; total += ex.length;
    }
    out[s] = { macroF1: f1, endToEndMacroF1: e2e, langIdAccuracy: r4(total ? ok / total : 0), langIdAccuracyPerLang: lacc };
  }
  return out;
}
