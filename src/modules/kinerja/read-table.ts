/**
 * Reads an uploaded CSV or XLSX file into rows of cells, as the person sees them in a spreadsheet:
 * each row keeps its number in the file (what error messages name), empty rows are dropped, and a
 * number Excel stored as a number stays a number (it is not re-read as text, so "1234.5" in a
 * numeric cell is never mistaken for Indonesian "1.234,5" grouping).
 *
 * CSV goes through csv-parse with the delimiter guessed from the first lines (";" is what Excel
 * writes where "," is the decimal comma, as in Indonesia); UTF-8 with or without BOM, or Windows-1252
 * when the bytes are not UTF-8. XLSX is streamed with exceljs's WorkbookReader; the table is the first
 * worksheet the caller accepts (a cover sheet before it is passed over), else the first one.
 */
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { multiplyDecimal, decimalOf, formatDecimal, toDecimal } from './decimal.ts';
import { decimalFromSpreadsheet } from './numbers.ts';

export type FileKind = 'csv' | 'xlsx';

/** A number the spreadsheet stored as a number (not text); `percent` when formatted as a percentage. */
export interface NumberCell {
  decimal: string;
  percent: boolean;
}
export type Cell = string | NumberCell;

export interface SheetRow {
  /** 1-based row number in the file (the spreadsheet's row, or the CSV record). */
  number: number;
  cells: Cell[];
}

export class UnreadableFileError extends Error {
  readonly reason: 'old_excel' | 'not_a_table' | 'too_many_rows' | 'corrupt';
  constructor(reason: UnreadableFileError['reason'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/** Enough for a province's full indicator set many times over; keeps a runaway file from filling memory. */
export const MAX_ROWS = 100_000;
export const MAX_COLUMNS = 100;

export const cellText = (cell: Cell | undefined): string => (cell === undefined ? '' : typeof cell === 'string' ? cell : cell.decimal);
export const isBlank = (cell: Cell | undefined): boolean => cell === undefined || (typeof cell === 'string' && cell.trim() === '');

/** The kind from the content (a ZIP is XLSX, an OLE2 compound file is the old .xls); CSV otherwise. */
export function detectFileKind(data: Buffer): FileKind {
  if (data.length >= 4 && data.readUInt32BE(0) === 0x504b0304) return 'xlsx';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    throw new UnreadableFileError('old_excel', 'old Excel (.xls) file');
  }
  // Binary files (images, PDFs) have NUL bytes in their first kilobytes; text never does.
  if (data.subarray(0, 4096).includes(0)) throw new UnreadableFileError('not_a_table', 'binary file');
  return 'csv';
}

/** Whether a worksheet's rows hold the table (used to pass over cover sheets). */
export type AcceptSheet = (rows: readonly SheetRow[]) => boolean;

export async function readTable(data: Buffer, kind: FileKind = detectFileKind(data), accept: AcceptSheet = () => true): Promise<SheetRow[]> {
  return kind === 'xlsx' ? readXlsx(data, accept) : readCsv(data);
}

function decodeText(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    return new TextDecoder('windows-1252').decode(data);
  }
}

/** Counts a character outside double quotes. */
function countOutsideQuotes(line: string, char: string): number {
  let count = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === char && !quoted) count += 1;
  }
  return count;
}

/** The delimiter that splits the first non-empty lines most consistently into the most columns. */
export function detectDelimiter(text: string): string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 30);
  let best = ',';
  let bestScore = -1;
  for (const candidate of [';', ',', '\t', '|']) {
    const counts = lines.map((l) => countOutsideQuotes(l, candidate));
    const lines_with = counts.filter((c) => c > 0).length;
    if (lines_with === 0) continue;
    // Most lines using it, then most columns: title lines above the table often have none.
    const score = lines_with * 1000 + Math.max(...counts);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function readCsv(data: Buffer): SheetRow[] {
  const text = decodeText(data).replace(/^\ufeff/, '');
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter: detectDelimiter(text), relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true });
  } catch (error) {
    throw new UnreadableFileError('corrupt', (error as Error).message, { cause: error });
  }
  if (records.length > MAX_ROWS + 50) throw new UnreadableFileError('too_many_rows', `more than ${MAX_ROWS} rows`);
  const rows: SheetRow[] = [];
  records.forEach((record, index) => {
    if (record.every((cell) => cell.trim() === '')) return;
    rows.push({ number: index + 1, cells: record.slice(0, MAX_COLUMNS) });
  });
  return rows;
}

interface RichValue {
  richText?: { text: string }[];
  text?: string;
  result?: unknown;
  formula?: string;
  sharedFormula?: string;
  error?: string;
}

function xlsxCell(value: unknown, numFmt: string | undefined): Cell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    const decimal = decimalFromSpreadsheet(value);
    if (decimal === null) return '';
    // A cell shown as "85,5%" stores 0.855.
    if (numFmt?.includes('%')) return { decimal: formatDecimal(multiplyDecimal(toDecimal(decimal), decimalOf(100))), percent: true };
    return { decimal, percent: false };
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const rich = value as RichValue;
  if (rich.richText) return rich.richText.map((part) => part.text).join('');
  if (rich.formula !== undefined || rich.sharedFormula !== undefined) return xlsxCell(rich.result, numFmt);
  if (typeof rich.text === 'string') return rich.text;
  if (rich.error !== undefined) return String(rich.error);
  return '';
}

async function readXlsx(data: Buffer, accept: AcceptSheet): Promise<SheetRow[]> {
  let first: SheetRow[] | null = null;
  let chosen: SheetRow[] | null = null;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([data]), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
    for await (const sheet of reader) {
      // Once the table is found, the remaining worksheets are drained unread.
      if (chosen) {
        for await (const _row of sheet) void _row;
        continue;
      }
      const rows: SheetRow[] = [];
      for await (const row of sheet) {
        const cells: Cell[] = [];
        let any = false;
        row.eachCell({ includeEmpty: false }, (cell, column) => {
          if (column > MAX_COLUMNS) return;
          const value = xlsxCell(cell.value, cell.numFmt);
          if (!isBlank(value)) any = true;
          while (cells.length < column - 1) cells.push('');
          cells[column - 1] = value;
        });
        if (!any) continue;
        if (rows.length >= MAX_ROWS + 50) throw new UnreadableFileError('too_many_rows', `more than ${MAX_ROWS} rows`);
        rows.push({ number: row.number, cells });
      }
      first ??= rows;
      if (accept(rows)) chosen = rows;
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError('corrupt', (error as Error).message, { cause: error });
  }
  return chosen ?? first ?? [];
}
