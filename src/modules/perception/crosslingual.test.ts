import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LANGS } from './csv.ts';
import type { Example, Lang } from './csv.ts';
import { alignToInd, buildToInd, lexiconToInd, mapsFromJson, mapsToJson, mapTokens } from './crosslingual.ts';

test('alignToInd learns word pairs from parallel sentences by Dice co-occurrence', () => {
  const pairs: Array<[string[], string[]]> = [
    [['kada', 'baik'], ['tidak', 'baik']],
    [['kada', 'nyaman'], ['tidak', 'enak']],
    [['nyaman', 'banar'], ['enak', 'sekali']],
    [['wadai', 'nyaman'], ['kue', 'enak']],
    [['wadai', '|', 'banar'], ['kue', '|', 'sekali']],
  ];
  const m = alignToInd(pairs, { diceMin: 0.5, minCount: 2 });
  assert.equal(m.get('kada'), 'tidak');
  assert.equal(m.get('nyaman'), 'enak');
  assert.equal(m.get('wadai'), 'kue');
  assert.equal(m.get('banar'), 'sekali');
  // Identical words are not stored (identity is the default) and rare words are skipped.
  assert.equal(m.has('baik'), false);
  assert.equal(alignToInd(pairs, { diceMin: 0.5, minCount: 3 }).has('wadai'), false);
  assert.equal(m.has('|'), false);
});

test('the lexicon overrides learned pairs; Indonesian maps to itself; mapTokens keeps unknown words', () => {
  const dir = mkdtempSync(join(tmpdir(), 'siar-lex-'));
  writeFileSync(join(dir, 'banjarese.csv'), ',indonesian,banjarese\n0,bagus,bungas\n1,enak,nyaman\n2,adopsi,angkat anak\n3,enak,lamak\n');
  assert.deepEqual([...lexiconToInd(join(dir, 'banjarese.csv')).entries()], [['bungas', 'bagus'], ['nyaman', 'enak'], ['lamak', 'enak']]);
  const ex = {} as Record<Lang, Example[]>;
  const texts: Record<Lang, string[]> = {
    ind: ['kue enak', 'kue mahal', 'tidak enak'], bjn: ['wadai nyaman', 'wadai larang', 'kada nyaman'],
    bug: ['beppa macommeng', 'beppa maelli', 'de macommeng'], jav: ['jajan enak', 'jajan larang', 'ora enak'], eng: ['cake good', 'cake pricey', 'not good'],
  };
  for (const l of LANGS) ex[l] = texts[l].map((text, i) => ({ id: String(i), lang: l, label: 'neutral', text }));
  const { maps, sha256 } = buildToInd(ex, { diceMin: 0.5, minCount: 2 }, dir);
  assert.equal(maps.ind.size, 0);
  assert.equal(maps.bjn.get('wadai'), 'kue');
  assert.equal(maps.bjn.get('bungas'), 'bagus'); // from the lexicon only
  assert.equal(maps.eng.get('cake'), 'kue');
  assert.match(sha256['nusax-lexicon/banjarese.csv'] ?? '', /^[0-9a-f]{64}$/);
  assert.deepEqual(mapTokens(['wadai', 'nyaman', '|', 'sidin'], maps.bjn), ['kue', 'enak', '|', 'sidin']);
  const back = mapsFromJson(mapsToJson(maps));
  for (const l of LANGS) assert.deepEqual([...back[l].entries()].sort(), [...maps[l].entries()].sort());
  assert.equal(mapsFromJson(undefined).jav.size, 0);
  // Without a lexicon directory: learned pairs only.
  assert.equal(buildToInd(ex, { diceMin: 0.5, minCount: 2 }).maps.bjn.has('bungas'), false);
});
