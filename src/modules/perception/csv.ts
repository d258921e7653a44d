// csv.ts — owns reading the NusaX CSV files: a small RFC 4180 parser
// (quoted fields may contain commas, doubled quotes and newlines, which
// some Buginese rows do) and typed loaders for the sentiment/lexicon files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Parse RFC 4180 CSV text into rows of fields. Accepts LF or CRLF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let inQuotes = false;
  const n = text.length;
  // Strip a UTF-8 BOM if one slipped in; the upstream files have none.
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const c = text[i] as string;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        inQuotes = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"' && field.length === 0) { inQuotes = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
    field += c; i++;
  }
  // Last record without trailing newline.
  if (field.length > 0 || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

export const LANGS = ['ind', 'bjn', 'bug', 'jav', 'eng'] as const;
export type Lang = (typeof LANGS)[number];
export const LABELS = ['negative', 'neutral', 'positive'] as const;
export type Label = (typeof LABELS)[number];
export type Split = 'train' | 'valid' | 'test';

export interface Example { id: string; text: string; label: Label; lang: Lang }

/** Path of one NusaX-Senti split file under a data directory. */
export function splitPath(dataDir: string, lang: Lang, split: Split): string {
  return join(dataDir, lang, `${split}.csv`);
}

/** Load one split of NusaX-Senti (header id,text,label). Throws on bad labels. */
export function loadSplit(dataDir: string, lang: Lang, split: Split): Example[] {
  const rows = parseCsv(readFileSync(splitPath(dataDir, lang, split), 'utf8'));
  const header = rows.shift();
  if (!header || header.join(',') !== 'id,text,label') {
    throw new Error(`unexpected header in ${splitPath(dataDir, lang, split)}`);
  }
  const out: Example[] = [];
  for (const r of rows) {
    if (r.length === 1 && r[0] === '') continue;
    const [id, text, label] = r;
    if (id === undefined || text === undefined || !isLabel(label)) {
      throw new Error(`bad row in ${lang}/${split}: ${JSON.stringify(r).slice(0, 120)}`);
    }
    out.push({ id, text, label, lang });
  }
  return out;
}

export function isLabel(x: unknown): x is Label {
  return x === 'negative' || x === 'neutral' || x === 'positive';
}

/** Load a NusaX lexicon file (`,indonesian,<lang>`) as [indonesian, local] pairs. */
export function loadLexicon(path: string): Array<[string, string]> {
  const rows = parseCsv(readFileSync(path, 'utf8'));
  rows.shift();
  const out: Array<[string, string]> = [];
  for (const r of rows) {
    const a = r[1]?.trim().toLowerCase();
    const b = r[2]?.trim().toLowerCase();
    if (a && b) out.push([a, b]);
  }
  return out;
}
