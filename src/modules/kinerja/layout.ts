/**
 * Finds the table inside an agency's spreadsheet: title lines above it are skipped, the header row
 * is the first row naming most known columns ("Sasaran", "Indikator", "Satuan", "Target",
 * "Realisasi", …), a second header line under merged cells ("Target" over "2025 | 2026") is joined
 * into one name per column ("Target 2025", "Target 2026"), and a numbering line under the header
 * ("(1) (2) (3) …") is not data. Then suggests which column holds which field.
 */
import { cellText, isBlank, type SheetRow } from './read-table.ts';

export const kinerjaFields = ['goal', 'indicator', 'satuan', 'target', 'realisasi', 'polarity', 'year', 'responsibleUnit', 'dataSource', 'notes'] as const;
export type KinerjaField = (typeof kinerjaFields)[number];

/** Header names per field, normalised (lower case, words only), most specific first. */
const synonyms: Record<KinerjaField, readonly string[]> = {
  indicator: ['indikator kinerja utama', 'indikator kinerja', 'indikator sasaran', 'indikator', 'iku', 'indicator', 'key performance indicator', 'kpi'],
  goal: ['sasaran strategis', 'sasaran', 'tujuan sasaran', 'strategic goal', 'goal', 'ss'],
  satuan: ['satuan', 'satuan ukur', 'unit of measure', 'unit', 'sat'],
  target: ['target', 'target kinerja', 'rencana', 'target tahunan'],
  realisasi: ['realisasi', 'realisasi kinerja', 'realisation', 'realization', 'actual'],
  polarity: ['polaritas', 'polarity', 'sifat indikator', 'sifat', 'arah'],
  year: ['tahun', 'year', 'tahun anggaran', 'ta'],
  responsibleUnit: ['penanggung jawab', 'unit penanggung jawab', 'pj', 'pic', 'unit pelaksana', 'pelaksana', 'responsible unit'],
  dataSource: ['sumber data', 'data source', 'sumber'],
  notes: ['keterangan', 'catatan', 'ket', 'notes', 'note'],
};

export function normaliseHeader(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

function headerScore(field: KinerjaField, name: string): number {
  const n = normaliseHeader(name);
  if (n === '') return 0;
  let best = 0;
  for (const synonym of synonyms[field]) {
    if (n === synonym) best = Math.max(best, 3);
    else if (n.startsWith(`${synonym} `)) best = Math.max(best, 2);
  }
  return best;
}

const knownHeader = (text: string): boolean => kinerjaFields.some((f) => headerScore(f, text) > 0) || /^(no|nomor|capaian)\b/.test(normaliseHeader(text));

export interface Column {
  /** 0-based position. */
  index: number;
  /** Spreadsheet letter (A, B, … AA). */
  letter: string;
  /** The header as shown in the mapping step, merged header lines joined. */
  name: string;
}

export interface TableLayout {
  /** File row numbers of the header line(s). */
  headerRows: number[];
  columns: Column[];
  /** Rows below the header, numbering line removed. */
  dataRows: SheetRow[];
}

export class NoHeaderError extends Error {}

export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

const HEADER_SEARCH_ROWS = 20;

function isSubHeader(header: SheetRow, next: SheetRow | undefined): boolean {
  if (!next || next.number !== header.number + 1) return false;
  const width = Math.max(header.cells.length, next.cells.length);
  let continuesMerge = false;
  let blankUnderHeader = false;
  let seenHeader = false;
  for (let c = 0; c < width; c += 1) {
    const top = header.cells[c];
    const below = next.cells[c];
    if (!isBlank(below) && cellText(below).trim().length > 30) return false;
    if (!isBlank(top)) seenHeader = true;
    if (isBlank(top) && !isBlank(below) && seenHeader) continuesMerge = true;
    if (!isBlank(top) && isBlank(below)) blankUnderHeader = true;
  }
  return continuesMerge && blankUnderHeader;
}

/** "(1) (2) (3)" or "1 2 3 4" under the header: column numbers, not data. */
function isNumberingRow(row: SheetRow): boolean {
  const texts = row.cells.filter((c) => !isBlank(c)).map((c) => cellText(c).trim());
  if (texts.length < 3) return false;
  if (texts.every((t) => /^\(\d{1,2}\)$/.test(t))) return true;
  return texts.every((t, i) => t === String(i + 1));
}

export function findLayout(rows: readonly SheetRow[]): TableLayout {
  let headerAt = -1;
  let bestScore = 1;
  rows.slice(0, HEADER_SEARCH_ROWS).forEach((row, i) => {
    const score = row.cells.filter((c) => typeof c === 'string' && knownHeader(c)).length;
    if (score > bestScore) {
      bestScore = score;
      headerAt = i;
    }
  });
  if (headerAt === -1) throw new NoHeaderError('no header row');
  const header = rows[headerAt]!;
  const next = rows[headerAt + 1];
  const sub = isSubHeader(header, next) ? next : undefined;
  const width = Math.max(...rows.slice(headerAt).map((r) => r.cells.length));
  const columns: Column[] = [];
  let parent = '';
  for (let c = 0; c < width; c += 1) {
    const top = cellText(header.cells[c]).trim();
    const below = sub ? cellText(sub.cells[c]).trim() : '';
    // An empty top cell with a sub-header below it sits under the merged cell to its left.
    if (top !== '') parent = top;
    else if (below === '') parent = '';
    const name = [top !== '' ? top : below !== '' ? parent : '', below].filter((part) => part !== '').join(' ');
    columns.push({ index: c, letter: columnLetter(c), name: name || `Kolom ${columnLetter(c)}` });
  }
  let dataRows = rows.slice(headerAt + (sub ? 2 : 1));
  if (dataRows[0] && isNumberingRow(dataRows[0])) dataRows = dataRows.slice(1);
  return { headerRows: sub ? [header.number, sub.number] : [header.number], columns, dataRows };
}

export type ColumnMapping = Partial<Record<KinerjaField, number>>;

/** The year in a column name ("Target 2025" → 2025). */
const yearIn = (name: string): number | null => {
  const match = /\b(20\d{2})\b/.exec(name);
  return match ? Number(match[1]) : null;
};

/**
 * The likely column of each field by its header. Among several "Target …" columns, the one naming
 * `year`, else the latest year, wins. Each column serves one field at most.
 */
export function suggestMapping(columns: readonly Column[], year: number | null): ColumnMapping {
  const mapping: ColumnMapping = {};
  const used = new Set<number>();
  const order: KinerjaField[] = ['indicator', 'goal', 'target', 'realisasi', 'satuan', 'polarity', 'year', 'dataSource', 'responsibleUnit', 'notes'];
  for (const field of order) {
    let best: { index: number; score: number } | null = null;
    for (const column of columns) {
      if (used.has(column.index)) continue;
      // Siar computes capaian itself; a capaian column in the file is not mapped to anything.
      if (/^capaian\b/.test(normaliseHeader(column.name))) continue;
      let score = headerScore(field, column.name) * 10_000;
      if (score === 0) continue;
      const named = yearIn(column.name);
      if (named !== null) score += year !== null ? (named === year ? 5000 : 0) : named;
      if (!best || score > best.score) best = { index: column.index, score };
    }
    if (best) {
      mapping[field] = best.index;
      used.add(best.index);
    }
  }
  return mapping;
}
