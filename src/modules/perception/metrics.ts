// metrics.ts — owns evaluation arithmetic: macro-F1 and accuracy over
// integer class ids.

/** Macro-averaged F1 over classes 0..K-1 (a class absent from both gold and
 *  predictions counts as F1 = 0 only if it appears in gold). */
export function macroF1(gold: ArrayLike<number>, pred: ArrayLike<number>, K: number): number {
  const tp = new Float64Array(K), fp = new Float64Array(K), fn = new Float64Array(K);
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i] as number, p = pred[i] as number;
    if (g === p) tp[g] = (tp[g] as number) + 1;
    else { fp[p] = (fp[p] as number) + 1; fn[g] = (fn[g] as number) + 1; }
  }
  let sum = 0, cnt = 0;
  for (let k = 0; k < K; k++) {
    const t = tp[k] as number, a = fp[k] as number, b = fn[k] as number;
    if (t + a + b === 0) continue;
    sum += t === 0 ? 0 : (2 * t) / (2 * t + a + b);
    cnt++;
  }
  return cnt === 0 ? 0 : sum / cnt;
}

export function accuracy(gold: ArrayLike<number>, pred: ArrayLike<number>): number {
  if (gold.length === 0) return 0;
  let c = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === pred[i]) c++;
  return c / gold.length;
}
