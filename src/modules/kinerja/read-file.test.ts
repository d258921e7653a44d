/**
 * Reading agencies' files without a database: the table found under title lines, merged header
 * lines joined, numbering lines skipped, Indonesian numbers, percentages, empty rows, goals written
 * once, and every bad row reported with its row number in the file and its field.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyseFile, defaultMapping } from './import-kinerja.ts';
import { findLayout, suggestMapping } from './layout.ts';
import { parsePolarity, readRows, rowErrorMessage, type ImportMapping } from './read-rows.ts';
import { detectDelimiter, detectFileKind, readTable, UnreadableFileError } from './read-table.ts';
import { csvOf, largeXlsx, xlsxOf, type Row } from './test-fixtures.ts';

/** As exported from Excel with Indonesian settings: ";" separated, a title, two header lines, a numbering line. */
const messyRows: Row[] = [
  ['PENGUKURAN KINERJA DINAS KESEHATAN', null, null, null, null, null, null, null],
  ['Tahun Anggaran 2025', null, null, null, null, null, null, null],
  [null, null, null, null, null, null, null, null],
  ['No', 'Sasaran Strategis', 'Indikator Kinerja Utama', 'Satuan', 'Target', null, 'Realisasi', 'Sumber Data'],
  [null, null, null, null, '2025', '2026', '2025', null],
  ['(1)', '(2)', '(3)', '(4)', '(5)', '(6)', '(7)', '(8)'],
  ['1', 'Meningkatnya derajat kesehatan masyarakat', 'Angka harapan hidup', 'tahun', '74,5', '74,8', '74,62', 'BPS'],
  ['2', null, 'Prevalensi stunting', '%', '18,5 %', '16 %', '17,2%', 'SSGI'],
  [null, null, null, null, null, null, null, null],
  ['3', null, 'Persentase puskesmas terakreditasi', null, '95%', '100%', '-', 'Dinkes'],
  ['', 'Meningkatnya layanan gizi', null, null, null, null, null, null],
  ['4', null, 'Jumlah unit layanan gizi beroperasi', 'unit', '1.367', '1.400', '1.120', 'Dinkes'],
];

const mappingFor = async (data: Buffer, year: number | null) => {
  const file = await analyseFile(data);
  return { file, mapping: defaultMapping(file, year) };
};

describe('reading agencies’ files', () => {
  test('a messy ";" CSV: title lines, merged header lines, numbering line, empty rows, goals written once', async () => {
    const data = csvOf(messyRows);
    assert.equal(detectFileKind(data), 'csv');
    const { file, mapping } = await mappingFor(data, 2025);
    assert.deepEqual(file.layout.headerRows, [4, 5]);
    assert.deepEqual(file.layout.columns.map((c) => c.name), ['No', 'Sasaran Strategis', 'Indikator Kinerja Utama', 'Satuan', 'Target 2025', 'Target 2026', 'Realisasi 2025', 'Sumber Data']);
    assert.equal(file.numberFormat.format, 'id');
    // Target 2025, not 2026, for an import of 2025.
    assert.deepEqual(mapping.columns, { indicator: 2, goal: 1, target: 4, realisasi: 6, satuan: 3, dataSource: 7 });
    const { records, errors, goalRows } = readRows(file.layout.dataRows, file.layout.columns, mapping);
    assert.deepEqual(errors, []);
    assert.equal(goalRows, 1);
    assert.deepEqual(records.map((r) => [r.row, r.goal.slice(0, 20), r.name, r.satuan, r.target, r.realisasi]), [
      [7, 'Meningkatnya derajat', 'Angka harapan hidup', 'tahun', '74.5', '74.62'],
      [8, 'Meningkatnya derajat', 'Prevalensi stunting', '%', '18.5', '17.2'],
      [10, 'Meningkatnya derajat', 'Persentase puskesmas terakreditasi', '%', '95', null],
      [12, 'Meningkatnya layanan', 'Jumlah unit layanan gizi beroperasi', 'unit', '1367', '1120'],
    ]);
    assert.ok(records.every((r) => r.year === 2025 && r.dataSource !== null));
  });

  test('a mapping to the other year reads the other column', async () => {
    const { file, mapping } = await mappingFor(csvOf(messyRows), 2026);
    assert.equal(mapping.columns.target, 5);
    const { records } = readRows(file.layout.dataRows, file.layout.columns, { ...mapping, year: 2026 });
    assert.equal(records[0]!.target, '74.8');
  });

  test('without a year the latest year’s target is suggested', () => {
    const columns = ['Indikator', 'Target 2024', 'Target 2026', 'Target 2025'].map((name, index) => ({ index, letter: '', name }));
    assert.equal(suggestMapping(columns, null).target, 2);
  });

  test('text in a numeric column, a missing indicator and an unknown polarity name the row and the field', async () => {
    const rows: Row[] = [
      ['Sasaran', 'Indikator', 'Target', 'Realisasi', 'Polaritas'],
      ['S1', 'Indikator A', '80', 'delapan puluh', 'naik'],
      ['S1', null, '75', '70', 'naik'],
      ['S1', 'Indikator C', '10', '9', 'kadang-kadang'],
      ['S1', 'Indikator D', '5,5', '4', 'semakin rendah semakin baik'],
    ];
    const { file, mapping } = await mappingFor(csvOf(rows), 2025);
    const { records, errors } = readRows(file.layout.dataRows, file.layout.columns, mapping);
    assert.deepEqual(errors.map((e) => [e.row, e.field, e.column, e.code, e.value]), [
      [2, 'realisasi', 'Realisasi', 'not_a_number', 'delapan puluh'],
      [3, 'indicator', 'Indikator', 'required', null],
      [4, 'polarity', 'Polaritas', 'polarity_unknown', 'kadang-kadang'],
    ]);
    assert.match(rowErrorMessage(errors[0]!, 'id'), /Bukan angka: "delapan puluh"/);
    assert.match(rowErrorMessage(errors[0]!, 'en'), /Not a number/);
    assert.deepEqual(records.map((r) => [r.name, r.polarity]), [['Indikator D', 'lower']]);
  });

  test('duplicate indicators (same goal, name differing only in case and spacing) name both rows', async () => {
    const rows: Row[] = [
      ['Sasaran', 'Indikator', 'Target'],
      ['S1', 'Indeks Kepuasan Masyarakat', '80'],
      ['S2', 'Indeks Kepuasan Masyarakat', '80'],
      ['S1', 'indeks  kepuasan masyarakat.', '82'],
    ];
    const { file, mapping } = await mappingFor(csvOf(rows), 2025);
    const { errors } = readRows(file.layout.dataRows, file.layout.columns, mapping);
    assert.equal(errors.length, 1);
    assert.deepEqual([errors[0]!.row, errors[0]!.otherRow, errors[0]!.code], [4, 2, 'duplicate']);
    assert.match(rowErrorMessage(errors[0]!, 'id'), /sudah ada di baris 2/);
  });

  test('a "," CSV with English numbers is read by its dominant convention', async () => {
    const en: Row[] = [['Goal', 'Indicator', 'Year', 'Target', 'Realisation'], ['G', 'A', '2025', '1,250.5', '1,000'], ['G', 'B', '2025', '7.25', '2,500']];
    const data = csvOf(en, ',');
    assert.equal(detectDelimiter(data.toString()), ',');
    const { file, mapping } = await mappingFor(data, null);
    assert.equal(mapping.numberFormat, 'en');
    assert.equal(mapping.columns.year, 2);
    const { records, errors } = readRows(file.layout.dataRows, file.layout.columns, mapping);
    assert.deepEqual(errors, []);
    assert.deepEqual(records.map((r) => [r.target, r.realisasi]), [['1250.5', '1000'], ['7.25', '2500']]);
  });

  test('a year column with a bad year, and a missing year', async () => {
    const rows: Row[] = [['Tahun', 'Sasaran', 'Indikator', 'Target'], ['2025', 'S', 'A', '1'], ['25', 'S', 'B', '1'], [null, 'S', 'C', '1']];
    const { file, mapping } = await mappingFor(csvOf(rows), null);
    const { errors } = readRows(file.layout.dataRows, file.layout.columns, mapping);
    assert.deepEqual(errors.map((e) => [e.row, e.field, e.code]), [[3, 'year', 'year_invalid'], [4, 'year', 'required']]);
  });

  test('Windows-1252 CSV (as older Excel saves it) keeps its accents', async () => {
    const text = 'Sasaran;Indikator;Target\r\nS;Indeks kualitas air – sungai Mahakam (µg);5\r\n';
    const data = Buffer.from(text.replace('–', '\u0096').replace('µ', '\u00b5'), 'latin1');
    const rows = await readTable(data);
    assert.equal(rows[1]!.cells[1], 'Indeks kualitas air – sungai Mahakam (µg)');
  });

  test('old .xls and binary files are refused by their content', () => {
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
    assert.throws(() => detectFileKind(xls), (e: unknown) => e instanceof UnreadableFileError && e.reason === 'old_excel');
    assert.throws(() => detectFileKind(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0])), (e: unknown) => e instanceof UnreadableFileError && e.reason === 'not_a_table');
  });

  test('XLSX: merged header cells, percent-formatted cells, numbers stored as numbers, a cover sheet first', async () => {
    const rows: Row[] = [
      ['CAPAIAN IKU 2025'],
      ['Sasaran', 'Indikator', 'Satuan', 'Target', null, 'Realisasi'],
      [null, null, null, '2025', '2026', '2025'],
      ['Turunnya kemiskinan', 'Persentase penduduk miskin', null, 0.065, 0.06, 0.061],
      [null, 'Jumlah desa mandiri', 'desa', 1234.5, 1300, '1.240'],
    ];
    const data = await xlsxOf(rows, { merges: ['D2:E2', 'A2:A3', 'B2:B3', 'C2:C3'], percentCells: ['D4', 'E4', 'F4'], sheetsBefore: 1 });
    assert.equal(detectFileKind(data), 'xlsx');
    const { file, mapping } = await mappingFor(data, 2025);
    assert.deepEqual(file.layout.columns.map((c) => c.name), ['Sasaran', 'Indikator', 'Satuan', 'Target 2025', 'Target 2026', 'Realisasi 2025']);
    const { records, errors } = readRows(file.layout.dataRows, file.layout.columns, { ...mapping, defaultPolarity: 'higher' });
    assert.deepEqual(errors, []);
    // 0.065 shown as 6.5 % is 6.5 with satuan "%"; 1234.5 stored as a number is not Indonesian "1.234,5" grouping.
    assert.deepEqual(records.map((r) => [r.row, r.goal, r.satuan, r.target, r.realisasi]), [
      [4, 'Turunnya kemiskinan', '%', '6.5', '6.1'],
      [5, 'Turunnya kemiskinan', 'desa', '1234.5', '1240'],
    ]);
  });

  test('polarity words', () => {
    for (const word of ['naik', 'Maksimal', '+', 'Semakin tinggi semakin baik', 'higher']) assert.equal(parsePolarity(word), 'higher', word);
    for (const word of ['turun', 'Minimal', '-', 'semakin rendah semakin baik', 'Lower']) assert.equal(parsePolarity(word), 'lower', word);
    assert.equal(parsePolarity('sedang'), null);
  });

  test('no header anywhere in the first rows', () => {
    assert.throws(() => findLayout([{ number: 1, cells: ['apa', 'ini'] }, { number: 2, cells: ['1', '2'] }]));
  });

  test('a 50,000-row XLSX is read completely, every row valid', async () => {
    const data = await largeXlsx(50_000);
    const started = performance.now();
    const file = await analyseFile(data);
    const mapping: ImportMapping = defaultMapping(file, 2025);
    const { records, errors } = readRows(file.layout.dataRows, file.layout.columns, mapping);
    const ms = performance.now() - started;
    assert.deepEqual(errors, []);
    assert.equal(records.length, 50_000);
    assert.equal(records[49_999]!.row, 50_002);
    assert.equal(records.filter((r) => r.polarity === 'lower').length, 10_000);
    assert.ok(ms < 30_000, `read in ${Math.round(ms)} ms`);
  });
});
