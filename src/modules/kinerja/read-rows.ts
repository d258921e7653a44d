/**
 * Turns the data rows of an uploaded table into indicator records under a column mapping, or into
 * errors that name the row (as numbered in the file) and the field. Nothing here touches the
 * database: the import validates every row with this before it writes anything.
 *
 * Spreadsheet habits handled: a goal (sasaran) written once and left empty below it (a vertically
 * merged cell) carries down; a row with only a goal starts that goal; percentages keep their
 * number ("85,5 %" → 85.5, satuan "%" when none is given); "-", "" and "n/a" mean no value.
 */
import type { Polarity } from './capaian.ts';
import { cellText, isBlank, type Cell, type SheetRow } from './read-table.ts';
import type { Column, ColumnMapping, KinerjaField } from './layout.ts';
import { parseNumberText, type NumberFormat } from './numbers.ts';

export interface ImportMapping {
  columns: ColumnMapping;
  /** The year of every row when no year column is mapped, and of rows whose year cell is empty. */
  year: number | null;
  numberFormat: NumberFormat;
  /** Polarity of rows without one (or when no polarity column is mapped). */
  defaultPolarity: Polarity;
}

export interface IndicatorRecord {
  row: number;
  year: number;
  goal: string;
  goalKey: string;
  name: string;
  nameKey: string;
  satuan: string;
  target: string | null;
  realisasi: string | null;
  polarity: Polarity;
  responsibleUnit: string | null;
  dataSource: string | null;
  notes: string | null;
}

export type RowErrorCode = 'required' | 'goal_missing' | 'not_a_number' | 'year_invalid' | 'polarity_unknown' | 'duplicate' | 'too_long';

export interface RowError {
  /** Row number in the file. */
  row: number;
  field: KinerjaField;
  /** The column's header as shown in the mapping step. */
  column: string | null;
  value: string | null;
  code: RowErrorCode;
  /** The first row with the same indicator (duplicates). */
  otherRow?: number;
  max?: number;
}

const rowErrorMessages: Record<RowErrorCode, { id: string; en: string }> = {
  required: { id: 'Kolom "{column}" wajib diisi.', en: '"{column}" must not be empty.' },
  goal_missing: { id: 'Sasaran strategis untuk indikator ini belum ada: isi kolom "{column}" di baris ini atau di atasnya.', en: 'No strategic goal for this indicator: fill in "{column}" on this row or above it.' },
  not_a_number: { id: 'Bukan angka: "{value}". Tulis angka seperti 1.234,56 atau 85%, atau "-" bila belum ada.', en: 'Not a number: "{value}". Write a number such as 1.234,56 or 85%, or "-" when there is none yet.' },
  year_invalid: { id: 'Tahun tidak valid: "{value}" (harus 2000–2100).', en: 'Invalid year: "{value}" (must be 2000–2100).' },
  polarity_unknown: { id: 'Polaritas tidak dikenal: "{value}". Tulis "naik" (semakin tinggi semakin baik) atau "turun" (semakin rendah semakin baik).', en: 'Unknown polarity: "{value}". Write "naik" (higher is better) or "turun" (lower is better).' },
  duplicate: { id: 'Indikator ganda: "{value}" pada sasaran dan tahun yang sama sudah ada di baris {otherRow}.', en: 'Duplicate indicator: "{value}" with the same goal and year is already on row {otherRow}.' },
  too_long: { id: 'Terlalu panjang: paling banyak {max} karakter.', en: 'Too long: at most {max} characters.' },
};

export function rowErrorMessage(error: RowError, locale: 'id' | 'en'): string {
  const params: Record<string, string | number | undefined> = { column: error.column ?? error.field, value: error.value ?? '', otherRow: error.otherRow, max: error.max };
  return rowErrorMessages[error.code][locale].replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}

/** The natural key of a goal or an indicator name: case, spacing and trailing punctuation do not matter. */
export function nameKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().replace(/[\s.:;,]+$/, '');
}

const clean = (text: string): string => text.replace(/\s+/g, ' ').trim();

const HIGHER = new Set(['+', 'naik', 'positif', 'maksimal', 'maksimum', 'maksimalkan', 'maximize', 'max', 'higher', 'higher is better', 'tinggi', 'meningkat', '↑', 'semakin tinggi semakin baik']);
const LOWER = new Set(['-', 'turun', 'negatif', 'minimal', 'minimum', 'minimalkan', 'minimize', 'min', 'lower', 'lower is better', 'rendah', 'menurun', '↓', 'semakin rendah semakin baik']);

export function parsePolarity(text: string): Polarity | null {
  const t = text.toLowerCase().replace(/\s+/g, ' ').trim();
  if (HIGHER.has(t) || /semakin (tinggi|besar|banyak)/.test(t)) return 'higher';
  if (LOWER.has(t) || /semakin (rendah|kecil|sedikit)/.test(t)) return 'lower';
  return null;
}

const LIMITS = { goal: 500, indicator: 500, satuan: 60, responsibleUnit: 300, dataSource: 300, notes: 2000 } as const;

export interface ReadRowsResult {
  records: IndicatorRecord[];
  errors: RowError[];
  /** Rows that only named a goal (the rows under it carry it). */
  goalRows: number;
}

export function readRows(rows: readonly SheetRow[], columns: readonly Column[], mapping: ImportMapping): ReadRowsResult {
  const records: IndicatorRecord[] = [];
  const errors: RowError[] = [];
  const firstRowOf = new Map<string, number>();
  const columnName = (field: KinerjaField): string | null => {
    const index = mapping.columns[field];
    return index === undefined ? null : (columns[index]?.name ?? null);
  };
  const cellOf = (row: SheetRow, field: KinerjaField): Cell | undefined => {
    const index = mapping.columns[field];
    return index === undefined ? undefined : row.cells[index];
  };
  let currentGoal: string | null = null;
  let goalRows = 0;

  for (const row of rows) {
    const rowErrors: RowError[] = [];
    const fail = (field: KinerjaField, code: RowErrorCode, value: string | null, extra: Partial<RowError> = {}) =>
      rowErrors.push({ row: row.number, field, column: columnName(field), value, code, ...extra });
    const text = (field: KinerjaField): string | null => {
      const cell = cellOf(row, field);
      if (isBlank(cell)) return null;
      const value = clean(cellText(cell));
      const max = LIMITS[field as keyof typeof LIMITS];
      if (max !== undefined && value.length > max) {
        fail(field, 'too_long', `${value.slice(0, 40)}…`, { max });
        return null;
      }
      return value;
    };
    const number = (field: 'target' | 'realisasi'): { value: string | null; percent: boolean } => {
      const cell = cellOf(row, field);
      if (cell === undefined) return { value: null, percent: false };
      if (typeof cell !== 'string') return { value: cell.decimal, percent: cell.percent };
      const parsed = parseNumberText(cell, mapping.numberFormat);
      if (parsed.kind === 'empty') return { value: null, percent: false };
      if (parsed.kind === 'invalid') {
        fail(field, 'not_a_number', clean(cell).slice(0, 80));
        return { value: null, percent: false };
      }
      return { value: parsed.value, percent: parsed.percent };
    };

    const goalText = text('goal');
    const name = text('indicator');
    const target = number('target');
    const realisasi = number('realisasi');
    if (goalText !== null) currentGoal = goalText;
    if (name === null) {
      // A row naming only a goal opens it for the rows below.
      if (goalText !== null && target.value === null && realisasi.value === null && rowErrors.length === 0) {
        goalRows += 1;
        continue;
      }
      fail('indicator', 'required', null);
    }
    if (currentGoal === null) fail('goal', 'goal_missing', null);

    let year = mapping.year;
    const yearCell = cellOf(row, 'year');
    if (!isBlank(yearCell)) {
      const raw = clean(cellText(yearCell));
      const parsed = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
      if (Number.isInteger(parsed) && parsed >= 2000 && parsed <= 2100) year = parsed;
      else {
        fail('year', 'year_invalid', raw.slice(0, 40));
        year = null;
      }
    } else if (year === null) fail('year', 'required', null);

    let polarity = mapping.defaultPolarity;
    const polarityCell = cellOf(row, 'polarity');
    if (!isBlank(polarityCell)) {
      const raw = clean(cellText(polarityCell));
      const parsed = parsePolarity(raw);
      if (parsed) polarity = parsed;
      else fail('polarity', 'polarity_unknown', raw.slice(0, 60));
    }
    let satuan = text('satuan') ?? '';
    if (satuan === '' && (target.percent || realisasi.percent)) satuan = '%';
    const responsibleUnit = text('responsibleUnit');
    const dataSource = text('dataSource');
    const notes = text('notes');

    if (name !== null && currentGoal !== null && year !== null) {
      // Duplicates are found even among rows with other errors, so one pass names every problem.
      const key = `${year}\u0000${nameKey(currentGoal)}\u0000${nameKey(name)}`;
      const first = firstRowOf.get(key);
      if (first !== undefined) fail('indicator', 'duplicate', name, { otherRow: first });
      else firstRowOf.set(key, row.number);
      if (rowErrors.length === 0) {
        records.push({
          row: row.number, year, goal: currentGoal, goalKey: nameKey(currentGoal), name, nameKey: nameKey(name), satuan,
          target: target.value, realisasi: realisasi.value, polarity, responsibleUnit, dataSource, notes,
        });
      }
    }
    errors.push(...rowErrors);
  }
  return { records, errors, goalRows };
}
