/**
 * Spreadsheets like the ones agencies keep, for tests and the benchmark: a title above the table,
 * merged header cells ("Target" over "2025 | 2026"), a numbering line, goals written once over
 * several indicators, Indonesian numbers, percent cells, empty rows.
 */
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';

export type Row = (string | number | null)[];

export function csvOf(rows: readonly Row[], delimiter = ';'): Buffer {
  const quote = (v: string | number | null) => {
    const text = v === null ? '' : String(v);
    return /[";\n,]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return Buffer.from(`${rows.map((r) => r.map(quote).join(delimiter)).join('\r\n')}\r\n`, 'utf8');
}

export interface XlsxOptions {
  /** Ranges to merge, e.g. "E3:F3". */
  merges?: string[];
  /** Cells (e.g. "G5") to format as percentages ("0.0%"). */
  percentCells?: string[];
  /** Worksheets before the one with the table. */
  sheetsBefore?: number;
}

export async function xlsxOf(rows: readonly Row[], options: XlsxOptions = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (let i = 0; i < (options.sheetsBefore ?? 0); i += 1) workbook.addWorksheet(`Lain ${i + 1}`).addRow(['bukan tabel ini']);
  const sheet = workbook.addWorksheet('IKU');
  for (const row of rows) sheet.addRow(row.map((v) => (v === null ? undefined : v)));
  for (const range of options.merges ?? []) sheet.mergeCells(range);
  for (const address of options.percentCells ?? []) sheet.getCell(address).numFmt = '0.0%';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A SAKIP table of `count` indicators under goals of ten indicators each, written by exceljs's streaming writer. */
export async function largeXlsx(count: number, year = 2025): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('IKU');
  sheet.addRow([`PENGUKURAN KINERJA TAHUN ${year}`]).commit();
  sheet.addRow(['No', 'Sasaran Strategis', 'Indikator Kinerja Utama', 'Satuan', 'Target', 'Realisasi', 'Polaritas', 'Sumber Data']).commit();
  for (let i = 0; i < count; i += 1) {
    const goal = `Sasaran ${Math.floor(i / 10) + 1}: meningkatnya kualitas layanan publik bidang ${Math.floor(i / 10) % 7}`;
    const target = 50 + (i % 50);
    sheet.addRow([i + 1, goal, `Persentase capaian layanan ${i + 1}`, '%', target, (target * (80 + (i % 40))) / 100, i % 5 === 0 ? 'turun' : 'naik', 'Laporan bidang']).commit();
  }
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}
