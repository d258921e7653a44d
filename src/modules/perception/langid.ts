// langid.ts — owns language identification among the NusaX languages
// (ind, bjn, bug, jav, eng): a softmax logistic regression over hashed
// char n-grams and words, trained on the parallel NusaX train texts.
// Returns "other" when the text has no letters or the model is unsure.
import { LANGS } from './csv.ts';
import type { Lang } from './csv.ts';
import { softmax } from './linear.ts';
import type { WeightTable } from './sparse.ts';

export type LangOrOther = Lang | 'other';

export interface LangIdResult { lang: LangOrOther; prob: number }

/** Probabilities per language into out[0..5); returns the chosen language. */
export function identify(m: WeightTable, idx: Int32Array, val: Float32Array, n: number, out: Float64Array, minProb: number): LangIdResult {
  if (n === 0) { out.fill(0); return { lang: 'other', prob: 0 }; }
  m.logits(idx, val, n, out);
  softmax(out, LANGS.length);
  let b = 0;
  for (let k = 1; k < LANGS.length; k++) if ((out[k] as number) > (out[b] as number)) b = k;
  const prob = out[b] as number;
  const lang = LANGS[b];
  if (lang === undefined || prob < minProb) return { lang: 'other', prob };
  return { lang, prob };
}

export function langIndex(l: string): number {
  return (LANGS as readonly string[]).indexOf(l);
}
