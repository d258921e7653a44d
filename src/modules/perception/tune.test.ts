import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LABELS, LANGS } from './csv.ts';
import type { Example, Label, Lang } from './csv.ts';
import type { NusaxData } from './dataset.ts';
import { DEFAULT_SETTINGS } from './train.ts';
import { crossValidate, foldsById } from './tune.ts';

test('folds are dealt by sorted id, balanced, and independent of input order', () => {
  const ids = Array.from({ length: 23 }, (_, i) => String(i * 7));
  const a = foldsById(ids, 5);
  const b = foldsById([...ids].reverse(), 5);
  assert.deepEqual([...a.entries()].sort(), [...b.entries()].sort());
  const sizes = [0, 0, 0, 0, 0];
  for (const f of a.values()) sizes[f] = (sizes[f] as number) + 1;
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `fold sizes ${sizes.join(',')}`);
  // Numeric order, not string order: "14" follows "7".
  assert.equal(a.get('7'), 1);
  assert.equal(a.get('14'), 2);
});

/** A tiny parallel corpus whose labels follow one cue word per language. */
function toyData(): NusaxData {
  const cue: Record<Lang, Record<Label, string>> = {
    ind: { negative: 'buruk', neutral: 'biasa', positive: 'bagus' },
    bjn: { negative: 'jelek', neutral: 'biasai', positive: 'bagusan' },
    bug: { negative: 'maja', neutral: 'biasa', positive: 'macommeng' },
    jav: { negative: 'elek', neutral: 'lumrah', positive: 'apik' },
    eng: { negative: 'bad', neutral: 'plain', positive: 'good' },
  };
  const filler = ['jalan', 'kantor', 'layanan', 'taman', 'pasar', 'sekolah'];
  const mk = (from: number, n: number): Record<Lang, Example[]> => {
    const r = {} as Record<Lang, Example[]>;
    for (const l of LANGS) {
      r[l] = Array.from({ length: n }, (_, i) => {
        const id = from + i;
        const label = LABELS[id % 3] as Label;
        return { id: String(id), lang: l, label, text: `${filler[id % filler.length]} ${cue[l][label]} ${filler[(id * 5) % filler.length]}` };
      });
    }
    return r;
  };
  return { dir: '(toy)', split: { train: mk(0, 45), valid: mk(45, 15), test: mk(60, 30) }, sha256: {} };
}

test('cross-validation scores held-out folds and never reads the test split', () => {
  const data = toyData();
  // Poison the test split: if it were used, the cue words would contradict the labels.
  for (const l of LANGS) for (const e of data.split.test[l]) e.label = e.label === 'positive' ? 'negative' : 'positive';
  const r = crossValidate(data, { ...DEFAULT_SETTINGS, mixGrid: [0, 0.5, 1], maxIter: 60 }, 5);
  assert.deepEqual(r.perMix.map((m) => m.mix), [0, 0.5, 1]);
  for (const m of r.perMix) for (const l of LANGS) assert.ok(m.macroF1[l] >= 0.95, `${l} mix ${m.mix}: ${m.macroF1[l]}`);
  assert.ok(r.best.mean >= Math.max(...r.perMix.map((m) => m.mean)) - 1e-9);
  // A grid of cross-lingual weights: one entry per (weight, mix), mix fastest.
  const g = crossValidate(data, { ...DEFAULT_SETTINGS, mixGrid: [0.5, 1], maxIter: 60 }, 5, [0, 0.4]);
  assert.deepEqual(g.perMix.map((m) => [m.xlWeight, m.mix]), [[0, 0.5], [0, 1], [0.4, 0.5], [0.4, 1]]);
  for (const m of g.perMix) for (const l of LANGS) assert.ok(m.macroF1[l] >= 0.95, `${l} xl ${m.xlWeight} mix ${m.mix}: ${m.macroF1[l]}`);
});
