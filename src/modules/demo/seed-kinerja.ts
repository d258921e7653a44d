/**
 * The demo's performance results (kinerja): the province and three of its agencies, 2024 and 2025,
 * four strategic goals each with two or three key indicators, and two programmes with their progress
 * over 2025 — so the portal's /kinerja pages, their trends and downloads, and the admin app's
 * kinerja screens have something to show on the first start.
 *
 * All figures are illustrative demo values, invented to be believable for East Kalimantan; they
 * are not official data of the province, its agencies or BPS. A few agree with the demo newsroom's
 * articles (poverty 5,78%, stunting 19,8%, provincial roads 82% in good condition).
 *
 * Indicators go in the way an agency brings them: one SAKIP table per unit through the kinerja
 * import (every row checked first, one transaction, history and audit entry), so the demo shows
 * "imported from iku-….csv" in each indicator's history. Programmes and progress go through the
 * programme operations. Safe to run again: a unit that already has goals in these years, and a
 * programme already there, are left as they are.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { systemActor } from '../audit/record.ts';
import { confirmImport, createImport } from '../kinerja/import-kinerja.ts';
import { nameKey, type ImportMapping } from '../kinerja/read-rows.ts';
import { createProgramme, recordProgress } from '../kinerja/save-programme.ts';
import { settingsFor } from '../kinerja/settings.ts';
import { unitPath } from '../units/queries.ts';
import { kaltimUnits } from './kaltim.ts';

export const DEMO_KINERJA_YEARS = [2024, 2025] as const;
type Year = (typeof DEMO_KINERJA_YEARS)[number];

/** Target and realisasi as exact decimals with a dot; null where there is none (yet). */
type Figures = readonly [target: string | null, realisasi: string | null];

export interface DemoIndicator {
  name: string;
  satuan: string;
  /** As agencies write it: "naik" (higher is better) or "turun" (lower is better). */
  polaritas: 'naik' | 'turun';
  source: string;
  responsible: string;
  figures: Record<Year, Figures>;
  notes?: Partial<Record<Year, string>>;
}

export interface DemoGoal {
  name: string;
  indicators: DemoIndicator[];
}

export interface DemoProgramme {
  year: Year;
  name: string;
  satuan: string;
  target: string;
  responsible: string;
  notes: string | null;
  progress: { asOf: string; value: string; note: string | null }[];
}

export interface DemoKinerja {
  /** Key of a unit in kaltim.ts. */
  unit: string;
  goals: DemoGoal[];
  programmes: DemoProgramme[];
}

const BPS = 'BPS Kaltim';

export const demoKinerja: DemoKinerja[] = [
  {
    unit: 'kaltim',
    goals: [
      {
        name: 'Meningkatnya kualitas sumber daya manusia',
        indicators: [
          { name: 'Indeks Pembangunan Manusia', satuan: 'indeks', polaritas: 'naik', source: BPS, responsible: 'Bappeda', figures: { 2024: ['77.80', '78.20'], 2025: ['78.20', '78.41'] } },
          { name: 'Rata-rata lama sekolah', satuan: 'tahun', polaritas: 'naik', source: BPS, responsible: 'Dinas Pendidikan dan Kebudayaan', figures: { 2024: ['9.85', '9.92'], 2025: ['9.95', '10.02'] } },
          { name: 'Umur harapan hidup saat lahir', satuan: 'tahun', polaritas: 'naik', source: BPS, responsible: 'Dinas Kesehatan', figures: { 2024: ['74.60', '74.66'], 2025: ['74.75', '74.82'] } },
        ],
      },
      {
        name: 'Menurunnya kemiskinan dan pengangguran',
        indicators: [
          { name: 'Persentase penduduk miskin', satuan: '%', polaritas: 'turun', source: BPS, responsible: 'Bappeda', figures: { 2024: ['6.00', '6.11'], 2025: ['5.90', '5.78'] } },
          { name: 'Tingkat pengangguran terbuka', satuan: '%', polaritas: 'turun', source: BPS, responsible: 'Dinas Tenaga Kerja dan Transmigrasi', figures: { 2024: ['5.50', '5.75'], 2025: ['5.30', '5.14'] } },
          { name: 'Indeks Gini', satuan: 'indeks', polaritas: 'turun', source: BPS, responsible: 'Bappeda', figures: { 2024: ['0.325', '0.321'], 2025: ['0.320', '0.318'] } },
        ],
      },
      {
        name: 'Meningkatnya pertumbuhan ekonomi yang inklusif dan berkelanjutan',
        indicators: [
          { name: 'Laju pertumbuhan ekonomi', satuan: '%', polaritas: 'naik', source: BPS, responsible: 'Bappeda', figures: { 2024: ['5.20', '6.22'], 2025: ['5.50', '5.97'] } },
          { name: 'Kontribusi sektor di luar migas dan batu bara terhadap PDRB', satuan: '%', polaritas: 'naik', source: BPS, responsible: 'Bappeda', figures: { 2024: ['36.5', '36.2'], 2025: ['38.0', '37.1'] } },
        ],
      },
      {
        name: 'Meningkatnya kualitas lingkungan hidup',
        indicators: [
          {
            name: 'Indeks Kualitas Lingkungan Hidup', satuan: 'indeks', polaritas: 'naik', source: 'Kementerian Lingkungan Hidup', responsible: 'Dinas Lingkungan Hidup',
            figures: { 2024: ['76.00', '76.84'], 2025: ['76.50', null] },
            notes: { 2025: 'Angka IKLH 2025 belum dirilis; realisasi diisi setelah rilis resmi.' },
          },
          { name: 'Persentase sampah rumah tangga yang tertangani', satuan: '%', polaritas: 'naik', source: 'SIPSN, Dinas Lingkungan Hidup', responsible: 'Dinas Lingkungan Hidup', figures: { 2024: ['70.0', '68.3'], 2025: ['72.0', '70.6'] } },
        ],
      },
    ],
    programmes: [],
  },
  {
    unit: 'dinkes',
    goals: [
      {
        name: 'Menurunnya prevalensi stunting dan masalah gizi',
        indicators: [
          { name: 'Prevalensi balita stunting', satuan: '%', polaritas: 'turun', source: 'Survei Kesehatan Indonesia', responsible: 'Bidang Kesehatan Masyarakat', figures: { 2024: ['21.0', '22.9'], 2025: ['20.0', '19.8'] } },
          { name: 'Prevalensi balita gizi kurang (wasting)', satuan: '%', polaritas: 'turun', source: 'Dinas Kesehatan (e-PPGBM)', responsible: 'Bidang Kesehatan Masyarakat', figures: { 2024: ['7.0', '7.2'], 2025: ['6.5', '6.1'] } },
        ],
      },
      {
        name: 'Meningkatnya kesehatan ibu dan anak',
        indicators: [
          { name: 'Angka kematian ibu', satuan: 'per 100.000 kelahiran hidup', polaritas: 'turun', source: 'Dinas Kesehatan', responsible: 'Bidang Kesehatan Masyarakat', figures: { 2024: ['170', '175'], 2025: ['160', '148'] } },
          { name: 'Cakupan imunisasi dasar lengkap', satuan: '%', polaritas: 'naik', source: 'Dinas Kesehatan', responsible: 'Bidang Pencegahan dan Pengendalian Penyakit', figures: { 2024: ['93.0', '90.2'], 2025: ['95.0', '91.4'] } },
        ],
      },
      {
        name: 'Meningkatnya akses dan mutu layanan kesehatan',
        indicators: [
          { name: 'Persentase penduduk terdaftar Jaminan Kesehatan Nasional', satuan: '%', polaritas: 'naik', source: 'BPJS Kesehatan', responsible: 'Bidang Pelayanan Kesehatan', figures: { 2024: ['97.0', '97.3'], 2025: ['98.0', '98.6'] } },
          { name: 'Persentase puskesmas terakreditasi paripurna', satuan: '%', polaritas: 'naik', source: 'Dinas Kesehatan', responsible: 'Bidang Pelayanan Kesehatan', figures: { 2024: ['30.0', '31.0'], 2025: ['40.0', '36.5'] } },
        ],
      },
      {
        name: 'Terkendalinya penyakit menular',
        indicators: [
          { name: 'Angka kesakitan demam berdarah dengue', satuan: 'per 100.000 penduduk', polaritas: 'turun', source: 'Dinas Kesehatan', responsible: 'Bidang Pencegahan dan Pengendalian Penyakit', figures: { 2024: ['55', '48.7'], 2025: ['50', '63.2'] } },
          { name: 'Angka keberhasilan pengobatan tuberkulosis', satuan: '%', polaritas: 'naik', source: 'Dinas Kesehatan (SITB)', responsible: 'Bidang Pencegahan dan Pengendalian Penyakit', figures: { 2024: ['90.0', '84.9'], 2025: ['90.0', '86.3'] } },
        ],
      },
    ],
    programmes: [
      {
        year: 2025,
        name: 'Pembentukan unit layanan pemenuhan gizi di kabupaten dan kota',
        satuan: 'unit layanan',
        target: '367',
        responsible: 'Bidang Kesehatan Masyarakat',
        notes: 'Dapur dan layanan gizi untuk balita, ibu hamil dan anak sekolah; dibangun bertahap bersama kabupaten dan kota.',
        progress: [
          { asOf: '2025-03-31', value: '18', note: 'beroperasi di Samarinda, Balikpapan dan Bontang' },
          { asOf: '2025-06-30', value: '64', note: 'beroperasi' },
          { asOf: '2025-09-30', value: '120', note: 'beroperasi; 85 lainnya dalam pembangunan' },
        ],
      },
    ],
  },
  {
    unit: 'disdikbud',
    goals: [
      {
        name: 'Meningkatnya akses pendidikan menengah',
        indicators: [
          { name: 'Angka partisipasi sekolah usia 16–18 tahun', satuan: '%', polaritas: 'naik', source: BPS, responsible: 'Bidang Pembinaan SMA', figures: { 2024: ['79.0', '79.6'], 2025: ['80.0', '81.3'] } },
          { name: 'Angka partisipasi kasar SMA/SMK/SLB', satuan: '%', polaritas: 'naik', source: 'Dapodik', responsible: 'Bidang Pembinaan SMK', figures: { 2024: ['91.0', '90.1'], 2025: ['92.0', '90.8'] } },
          { name: 'Angka putus sekolah SMA/SMK', satuan: '%', polaritas: 'turun', source: 'Dapodik', responsible: 'Bidang Pembinaan SMA', figures: { 2024: ['0.35', '0.38'], 2025: ['0.30', '0.24'] } },
        ],
      },
      {
        name: 'Meningkatnya mutu pendidikan',
        indicators: [
          { name: 'Persentase SMA/SMK terakreditasi minimal B', satuan: '%', polaritas: 'naik', source: 'BAN-PDM', responsible: 'Bidang Pembinaan SMA', figures: { 2024: ['88.0', '89.0'], 2025: ['90.0', '92.5'] } },
          { name: 'Persentase sekolah dengan literasi di atas kompetensi minimum', satuan: '%', polaritas: 'naik', source: 'Rapor Pendidikan', responsible: 'Bidang Pembinaan SMA', figures: { 2024: ['65.0', '63.1'], 2025: ['70.0', '66.8'] } },
        ],
      },
      {
        name: 'Meratanya kesempatan menempuh pendidikan tinggi',
        indicators: [
          { name: 'Jumlah penerima Beasiswa Kaltim Tuntas', satuan: 'orang', polaritas: 'naik', source: 'Dinas Pendidikan dan Kebudayaan', responsible: 'Sekretariat Beasiswa Kaltim Tuntas', figures: { 2024: ['12000', '12391'], 2025: ['14000', '13452'] } },
          { name: 'Persentase penerima beasiswa dari kabupaten hulu dan pedalaman', satuan: '%', polaritas: 'naik', source: 'Dinas Pendidikan dan Kebudayaan', responsible: 'Sekretariat Beasiswa Kaltim Tuntas', figures: { 2024: ['12.0', '13.1'], 2025: ['15.0', '16.4'] } },
        ],
      },
      {
        name: 'Meningkatnya pelestarian dan pemajuan kebudayaan',
        indicators: [
          { name: 'Jumlah warisan budaya takbenda yang ditetapkan', satuan: 'karya budaya', polaritas: 'naik', source: 'Kementerian Kebudayaan', responsible: 'Bidang Kebudayaan', figures: { 2024: ['4', '4'], 2025: ['5', '7'] } },
          { name: 'Jumlah cagar budaya yang dilestarikan', satuan: 'situs', polaritas: 'naik', source: 'Dinas Pendidikan dan Kebudayaan', responsible: 'Bidang Kebudayaan', figures: { 2024: ['12', '10'], 2025: ['14', '13'] } },
        ],
      },
    ],
    programmes: [],
  },
  {
    unit: 'pupr',
    goals: [
      {
        name: 'Meningkatnya kemantapan jalan dan jembatan provinsi',
        indicators: [
          { name: 'Persentase jalan provinsi dalam kondisi mantap', satuan: '%', polaritas: 'naik', source: 'Dinas PUPR-PERA (survei kondisi jalan)', responsible: 'Bidang Bina Marga', figures: { 2024: ['75.0', '76.0'], 2025: ['80.0', '82.0'] } },
          {
            name: 'Jumlah jembatan provinsi dalam kondisi kritis', satuan: 'jembatan', polaritas: 'turun', source: 'Dinas PUPR-PERA', responsible: 'Bidang Bina Marga',
            figures: { 2024: ['4', '6'], 2025: ['0', '3'] },
            notes: { 2025: 'Target nol: semua jembatan kritis ditangani tahun ini; tiga masih dalam pengerjaan.' },
          },
        ],
      },
      {
        name: 'Meningkatnya layanan air minum dan sanitasi',
        indicators: [
          { name: 'Persentase rumah tangga dengan akses air minum layak', satuan: '%', polaritas: 'naik', source: BPS, responsible: 'Bidang Cipta Karya', figures: { 2024: ['92.0', '92.4'], 2025: ['94.0', '93.6'] } },
          { name: 'Persentase rumah tangga dengan akses sanitasi layak', satuan: '%', polaritas: 'naik', source: BPS, responsible: 'Bidang Cipta Karya', figures: { 2024: ['88.0', '87.5'], 2025: ['90.0', '88.9'] } },
        ],
      },
      {
        name: 'Berkurangnya kawasan permukiman rawan banjir',
        indicators: [
          { name: 'Luas kawasan permukiman tergenang banjir', satuan: 'hektare', polaritas: 'turun', source: 'Dinas PUPR-PERA, BPBD', responsible: 'Bidang Sumber Daya Air', figures: { 2024: ['1300', '1185'], 2025: ['1150', '1240'] } },
          { name: 'Panjang tanggul dan normalisasi sungai yang selesai dibangun', satuan: 'km', polaritas: 'naik', source: 'Dinas PUPR-PERA', responsible: 'Bidang Sumber Daya Air', figures: { 2024: ['10.0', '10.2'], 2025: ['12.5', '10.8'] } },
        ],
      },
      {
        name: 'Meningkatnya kualitas perumahan rakyat',
        indicators: [
          { name: 'Jumlah rumah tidak layak huni yang diperbaiki', satuan: 'unit', polaritas: 'naik', source: 'Dinas PUPR-PERA', responsible: 'Bidang Perumahan', figures: { 2024: ['2000', '1874'], 2025: ['2500', '2612'] } },
          { name: 'Persentase rumah tangga yang menempati rumah layak huni', satuan: '%', polaritas: 'naik', source: BPS, responsible: 'Bidang Perumahan', figures: { 2024: ['66.0', '65.9'], 2025: ['68.0', '67.2'] } },
        ],
      },
    ],
    programmes: [
      {
        year: 2025,
        name: 'Peningkatan ruas jalan Muara Wahau–Kelay',
        satuan: 'km',
        target: '38',
        responsible: 'Bidang Bina Marga',
        notes: 'Penghubung Kutai Timur dan Berau.',
        progress: [
          { asOf: '2025-03-31', value: '6.2', note: null },
          { asOf: '2025-06-30', value: '17.5', note: null },
          { asOf: '2025-09-30', value: '29.8', note: null },
          { asOf: '2025-12-20', value: '38', note: 'selesai dan dibuka untuk umum' },
        ],
      },
    ],
  },
];

/** The columns of the demo's SAKIP table, in order; the mapping below names them by position. */
const HEADER = ['Tahun', 'Sasaran Strategis', 'Indikator Kinerja Utama', 'Satuan', 'Target', 'Realisasi', 'Polaritas', 'Sumber Data', 'Penanggung Jawab', 'Keterangan'];
const MAPPING: ImportMapping = {
  columns: { year: 0, goal: 1, indicator: 2, satuan: 3, target: 4, realisasi: 5, polarity: 6, dataSource: 7, responsibleUnit: 8, notes: 9 },
  year: null,
  // Decimals are written with a point, as stored ("5.78"); nothing is grouped.
  numberFormat: 'en',
  defaultPolarity: 'higher',
};

/** A unit's table as a semicolon-separated file, as Excel saves it in Indonesia; "-" where there is no value. */
export function demoKinerjaCsv(item: DemoKinerja): Buffer {
  const cell = (value: string) => (/[";\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = [HEADER];
  for (const year of DEMO_KINERJA_YEARS) {
    for (const goal of item.goals) {
      for (const i of goal.indicators) {
        const [target, realisasi] = i.figures[year];
        lines.push([String(year), goal.name, i.name, i.satuan, target ?? '-', realisasi ?? '-', i.polaritas, i.source, i.responsible, i.notes?.[year] ?? '']);
      }
    }
  }
  return Buffer.from(`${lines.map((line) => line.map(cell).join(';')).join('\r\n')}\r\n`, 'utf8');
}

export interface KinerjaSeedResult {
  /** Units whose table was imported by this run. */
  units: number;
  indicators: number;
  programmes: number;
}

export async function seedDemoKinerja(db: Kysely<DB>): Promise<KinerjaSeedResult> {
  const unitNames = new Map(kaltimUnits.map((u) => [u.key, u.name]));
  const units = new Map((await db.selectFrom('units').select(['id', 'name', 'short_name']).execute()).map((u) => [u.name, u]));
  const actor = systemActor('seed-demo');
  const result: KinerjaSeedResult = { units: 0, indicators: 0, programmes: 0 };
  for (const item of demoKinerja) {
    const unit = units.get(unitNames.get(item.unit) ?? '');
    if (!unit) continue;
    const hasGoals = await db.selectFrom('kinerja_goals').select('id').where('unit_id', '=', unit.id).where('year', 'in', [...DEMO_KINERJA_YEARS]).limit(1).executeTakeFirst();
    if (!hasGoals) {
      const settings = await settingsFor(db, await unitPath(db, unit.id));
      const fileName = `iku-${(unit.short_name ?? item.unit).toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${DEMO_KINERJA_YEARS.join('-')}.csv`;
      const uploaded = await createImport(db, { unitId: unit.id, year: null, fileName, data: demoKinerjaCsv(item), actor, settings });
      const summary = await confirmImport(db, { importId: uploaded.id, mapping: MAPPING, actor });
      result.units += 1;
      result.indicators += summary.created;
    }
    for (const programme of item.programmes) {
      const exists = await db.selectFrom('kinerja_programmes').select('id')
        .where('unit_id', '=', unit.id).where('year', '=', programme.year).where('name_key', '=', nameKey(programme.name)).executeTakeFirst();
      if (exists) continue;
      const id = await createProgramme(db, {
        unitId: unit.id,
        year: programme.year,
        fields: { name: programme.name, satuan: programme.satuan, target: programme.target, responsibleUnit: programme.responsible, notes: programme.notes },
        actor,
      });
      for (const point of programme.progress) await recordProgress(db, { programmeId: id, asOf: point.asOf, value: point.value, note: point.note, actor });
      result.programmes += 1;
    }
  }
  return result;
}
