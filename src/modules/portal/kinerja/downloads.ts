/**
 * A unit's kinerja for a year as open data, in the spirit of Satu Data Indonesia (Perpres 39/2019:
 * one standard, metadata with every set, interoperable formats): the same rows as CSV (one row per
 * indicator, then one per programme; UTF-8 with a byte-order mark so spreadsheet programs read the
 * accents; `,` between fields and `.` in decimals, the exact values stored, never rounded) and as
 * JSON with a `metadata` block (title, producer, period, source, when generated and last changed,
 * licence note, and a dictionary of every field). Field names are Indonesian, as the CSV header.
 */
import type { UnitYear } from './data.ts';
import { bandText, indicatorSentence, programmeSentence } from './sentences.ts';

export const FIELDS: readonly { name: string; type: 'integer' | 'string' | 'decimal'; description: string }[] = [
  { name: 'tahun', type: 'integer', description: 'Tahun kinerja.' },
  { name: 'jenis', type: 'string', description: '"indikator" (indikator kinerja utama di bawah sasaran strategis) atau "program" (program dengan target kuantitatif).' },
  { name: 'unit', type: 'string', description: 'Nama unit (perangkat daerah) pemilik data.' },
  { name: 'sasaran', type: 'string', description: 'Sasaran strategis yang diukur indikator; kosong untuk program.' },
  { name: 'nama', type: 'string', description: 'Nama indikator atau program.' },
  { name: 'satuan', type: 'string', description: 'Satuan ukur (%, orang, unit, indeks, …).' },
  { name: 'target', type: 'decimal', description: 'Target tahun itu; titik sebagai pemisah desimal; kosong bila belum ditetapkan.' },
  { name: 'realisasi', type: 'decimal', description: 'Realisasi (untuk program: nilai kemajuan terakhir); kosong bila belum tersedia.' },
  { name: 'tanggal_realisasi', type: 'string', description: 'Program: tanggal nilai kemajuan terakhir (TTTT-BB-HH); kosong untuk indikator.' },
  { name: 'polaritas', type: 'string', description: '"naik" (semakin tinggi semakin baik) atau "turun" (semakin rendah semakin baik).' },
  { name: 'capaian_persen', type: 'decimal', description: 'Capaian dalam persen, dihitung Siar: naik = realisasi/target×100; turun = (2×target−realisasi)/target×100; dua desimal; kosong bila tidak dapat dihitung.' },
  { name: 'kategori', type: 'string', description: 'Kategori capaian (mis. Sangat Baik ≥ 91) atau alasan capaian tidak dapat dihitung.' },
  { name: 'keterangan', type: 'string', description: 'Kalimat ringkas tentang hasilnya.' },
  { name: 'penanggung_jawab', type: 'string', description: 'Unit penanggung jawab, bila dicatat.' },
  { name: 'sumber_data', type: 'string', description: 'Sumber data indikator, bila dicatat.' },
  { name: 'catatan', type: 'string', description: 'Catatan, bila ada.' },
];

type Row = Record<string, string | number | null>;

export function dataRows(data: UnitYear): Row[] {
  const rows: Row[] = [];
  for (const goal of data.report.goals) {
    for (const i of goal.indicators) {
      rows.push({
        tahun: data.year, jenis: 'indikator', unit: data.unit.name, sasaran: goal.name, nama: i.name, satuan: i.satuan,
        target: i.target, realisasi: i.realisasi, tanggal_realisasi: null, polaritas: i.polarity === 'lower' ? 'turun' : 'naik',
        capaian_persen: i.capaian.computable ? i.capaian.value : null, kategori: bandText(i.capaian), keterangan: indicatorSentence(i),
        penanggung_jawab: i.responsibleUnit, sumber_data: i.dataSource, catatan: i.notes,
      });
    }
  }
  for (const p of data.report.programmes) {
    const latest = p.progress.at(-1);
    rows.push({
      tahun: data.year, jenis: 'program', unit: data.unit.name, sasaran: null, nama: p.name, satuan: p.satuan,
      target: p.target, realisasi: latest?.value ?? null, tanggal_realisasi: latest?.asOf ?? null, polaritas: 'naik',
      capaian_persen: p.capaian.computable ? p.capaian.value : null, kategori: bandText(p.capaian), keterangan: programmeSentence(p),
      penanggung_jawab: p.responsibleUnit, sumber_data: null, catatan: p.notes,
    });
  }
  return rows;
}

/**
 * A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, return first) gets a
 * leading apostrophe. Numbers are written as they are: a negative decimal is data, not a formula.
 */
function csvCell(value: string | number | null, numeric: boolean): string {
  if (value === null) return '';
  let text = String(value);
  if (!numeric && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function kinerjaCsv(data: UnitYear): string {
  const numeric = new Set(FIELDS.filter((f) => f.type !== 'string').map((f) => f.name));
  const lines = [FIELDS.map((f) => f.name).join(',')];
  for (const row of dataRows(data)) lines.push(FIELDS.map((f) => csvCell(row[f.name] ?? null, numeric.has(f.name))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export interface DownloadContext {
  /** The page's absolute address. */
  pageUrl: string;
  csvUrl: string;
  jsonUrl: string;
  siteName: string;
  generatedAt: Date;
}

export const LICENCE_NOTE =
  'Informasi publik (UU 14/2008 tentang Keterbukaan Informasi Publik). Boleh disalin, diolah dan disebarluaskan dengan menyebutkan sumbernya.';

export function kinerjaJson(data: UnitYear, context: DownloadContext): string {
  const sources = [...new Set(data.report.goals.flatMap((g) => g.indicators.map((i) => i.dataSource)).filter((s): s is string => !!s && s.trim() !== ''))];
  return JSON.stringify({
    metadata: {
      judul: `Capaian kinerja ${data.unit.name} tahun ${data.year}`,
      deskripsi: 'Sasaran strategis dengan indikator kinerja utama (target, realisasi, capaian) dan program dengan target kuantitatif, sebagaimana dilaporkan dalam Sistem Akuntabilitas Kinerja Instansi Pemerintah (SAKIP).',
      produsen_data: { nama: data.unit.name, slug: data.unit.slug },
      penyelenggara: context.siteName,
      periode: { tahun: data.year, mulai: `${data.year}-01-01`, selesai: `${data.year}-12-31` },
      frekuensi: 'tahunan',
      sumber: sources.length > 0 ? sources : [`Laporan kinerja ${data.unit.name}`],
      rumus_capaian: {
        naik: 'realisasi / target × 100',
        turun: '(2 × target − realisasi) / target × 100, paling rendah 0',
        tidak_dapat_dihitung: 'target kosong, nol atau di bawah nol, atau realisasi kosong',
        batas_maksimum_persen: data.settings.maxCapaian,
      },
      kategori: data.settings.bands.map((b) => ({ kunci: b.key, nama: b.label, batas_bawah_persen: b.min })),
      dibuat: context.generatedAt.toISOString(),
      diperbarui: data.updatedAt?.toISOString() ?? null,
      lisensi: LICENCE_NOTE,
      bahasa: 'id',
      halaman: context.pageUrl,
      distribusi: [
        { format: 'CSV', media_type: 'text/csv', url: context.csvUrl },
        { format: 'JSON', media_type: 'application/json', url: context.jsonUrl },
      ],
      kolom: FIELDS,
    },
    data: dataRows(data),
  }, null, 2);
}
