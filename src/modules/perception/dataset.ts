// dataset.ts — owns loading the NusaX-Senti corpus (all five languages,
// three splits) from a caller-supplied directory, and fingerprinting the
// exact files used (sha256) so the model header can say what it came from.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGS, loadSplit, splitPath } from './csv.ts';
import type { Example, Lang, Split } from './csv.ts';

export const SPLITS: readonly Split[] = ['train', 'valid', 'test'];

export interface NusaxData {
  dir: string;
  split: Record<Split, Record<Lang, Example[]>>;
  /** "ind/train.csv" -> sha256 hex */
  sha256: Record<string, string>;
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** True when every NusaX-Senti split file we need is present. */
export function hasNusax(dataDir: string | undefined): dataDir is string {
  if (!dataDir) return false;
  return LANGS.every((l) => SPLITS.every((s) => existsSync(splitPath(dataDir, l, s))));
}

/** Load all languages and splits. Throws a readable error if files are missing. */
export function loadNusax(dataDir: string): NusaxData {
  if (!hasNusax(dataDir)) {
    throw new Error(`NusaX-Senti not found under ${dataDir} (expected <lang>/{train,valid,test}.csv for ${LANGS.join(', ')})`);
  }
  const sha: Record<string, string> = {};
  const mk = (s: Split): Record<Lang, Example[]> => {
    const r = {} as Record<Lang, Example[]>;
    for (const l of LANGS) {
      r[l] = loadSplit(dataDir, l, s);
      sha[`${l}/${s}.csv`] = sha256File(splitPath(dataDir, l, s));
    }
    return r;
  };
  const split = { train: mk('train'), valid: mk('valid'), test: mk('test') };
  return { dir: dataDir, split, sha256: sha };
}

/** Optional: the NusaX lexicon directory next to the senti directory. */
export function defaultLexiconDir(dataDir: string): string {
  return join(dataDir, '..', 'nusax-lexicon');
}
