// report.ts — owns human/JSON rendering of evaluation results, including
// the markdown table beside the published NusaX baselines (macro-F1, %).
import { LANGS } from './csv.ts';
import type { Lang } from './csv.ts';
import type { EvalReport } from './evaluate.ts';

/** Published NusaX test macro-F1 (Winata et al., EACL 2023, Table 3). */
export const BASELINES: ReadonlyArray<{ name: string; f1: Record<Lang, number> }> = [
  { name: 'Naive Bayes', f1: { ind: 73.1, bjn: 71.9, bug: 73.7, jav: 69.4, eng: 76.5 } },
  { name: 'SVM', f1: { ind: 78.7, bjn: 74.8, bug: 77.2, jav: 71.3, eng: 75.0 } },
  { name: 'Logistic Regression', f1: { ind: 74.7, bjn: 75.0, bug: 77.2, jav: 73.7, eng: 75.9 } },
  { name: 'IndoBERT-large', f1: { ind: 90.2, bjn: 83.2, bug: 70.9, jav: 85.6, eng: 87.3 } },
  { name: 'XLM-R-large', f1: { ind: 91.6, bjn: 86.3, bug: 70.0, jav: 84.2, eng: 92.6 } },
];

const pct = (x: number): string => (x * 100).toFixed(1);

/** Markdown table: our test (and valid) macro-F1 next to the baselines. */
export function markdownTable(r: EvalReport): string {
  const avg = (f: Record<Lang, number>): number => LANGS.reduce((a, l) => a + f[l], 0) / LANGS.length;
  const lines = [
    `| model | ${LANGS.join(' | ')} | avg |`,
    `|---|${LANGS.map(() => '---:').join('|')}|---:|`,
  ];
  for (const b of BASELINES) {
    lines.push(`| ${b.name} (published) | ${LANGS.map((l) => b.f1[l].toFixed(1)).join(' | ')} | ${avg(b.f1).toFixed(1)} |`);
  }
  if (r.test) {
    lines.push(`| **Siar perception (test)** | ${LANGS.map((l) => `**${pct(r.test?.macroF1[l] ?? 0)}**`).join(' | ')} | **${pct(avg(r.test.macroF1))}** |`);
    lines.push(`| Siar, detected language (test) | ${LANGS.map((l) => pct(r.test?.endToEndMacroF1[l] ?? 0)).join(' | ')} | ${pct(avg(r.test.endToEndMacroF1))} |`);
  }
  if (r.valid) {
    lines.push(`| Siar (valid, used for tuning) | ${LANGS.map((l) => pct(r.valid?.macroF1[l] ?? 0)).join(' | ')} | ${pct(avg(r.valid.macroF1))} |`);
  }
  return lines.join('\n');
}

export function textReport(r: EvalReport): string {
  const out: string[] = [];
  for (const s of ['valid', 'test'] as const) {
    const x = r[s];
    if (!x) continue;
    out.push(`${s}: macro-F1 ${LANGS.map((l) => `${l}=${pct(x.macroF1[l])}`).join(' ')}; lang-id accuracy ${pct(x.langIdAccuracy)}%`);
  }
  out.push('', markdownTable(r));
  return out.join('\n');
}

/** The compact JSON shape used by `eval --json` and the eval script. */
export function jsonReport(r: EvalReport): Record<string, unknown> {
  return {
    macroF1: r.test?.macroF1 ?? {},
    langIdAccuracy: r.test?.langIdAccuracy ?? null,
    endToEndMacroF1: r.test?.endToEndMacroF1 ?? {},
    valid: r.valid ? { macroF1: r.valid.macroF1, langIdAccuracy: r.valid.langIdAccuracy } : undefined,
  };
}
