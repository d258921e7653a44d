// Calls of the kinerja API (/api/v1/kinerja): the report, edits, history, and the import wizard.
import { request, uploadForm } from '../../api.ts';

export type Polarity = 'higher' | 'lower';
export interface Band { key: string; label: string; labelEn: string; min: number }
export type Capaian =
  | { computable: true; value: string; capped: boolean; band: Band }
  | { computable: false; reason: string; message: string };

export interface Indicator {
  id: string;
  goalId: string;
  unitId: string;
  year: number;
  name: string;
  satuan: string;
  target: string | null;
  realisasi: string | null;
  polarity: Polarity;
  responsibleUnit: string | null;
  dataSource: string | null;
  notes: string | null;
  capaian: Capaian;
  version: number;
  updatedAt: string;
}

export interface Programme {
  id: string;
  name: string;
  satuan: string;
  target: string | null;
  progress: { asOf: string; value: string; note: string | null }[];
  capaian: Capaian;
  version: number;
}

export interface Report {
  unitId: string;
  year: number | null;
  years: number[];
  settings: { bands: Band[]; maxCapaian: string | null; fromUnitId: string | null };
  goals: { id: string; name: string; indicators: Indicator[] }[];
  programmes: Programme[];
  summary: { indicators: number; computable: number; byBand: Record<string, number>; notComputable: Record<string, number> };
}

export interface HistoryItem {
  id: string;
  action: 'create' | 'update' | 'delete' | 'progress';
  source: 'import' | 'edit';
  importId: string | null;
  changedBy: { id: string; name: string } | null;
  changedAt: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export const FIELDS = ['goal', 'indicator', 'satuan', 'target', 'realisasi', 'polarity', 'year', 'responsibleUnit', 'dataSource', 'notes'] as const;
export type Field = (typeof FIELDS)[number];

export interface Mapping {
  columns: Partial<Record<Field, number>>;
  year: number | null;
  numberFormat: 'id' | 'en';
  defaultPolarity: Polarity;
}

export interface RowError { row: number; field: Field; column: string | null; value: string | null; code: string; otherRow?: number; message: string }

export interface ImportPreview {
  id: string;
  fileName: string | null;
  fileKind: 'csv' | 'xlsx';
  headerRows: number[];
  columns: { index: number; letter: string; name: string; samples: string[] }[];
  dataRows: number;
  numberFormatEvidence: { id: number; en: number };
  mapping: Mapping;
  mappingProblems: string[];
  rows: { row: number; cells: string[]; record: { goal: string; name: string; target: string | null; realisasi: string | null; capaian: Capaian } | null; errors: RowError[] }[];
  indicators: number;
  errorCount: number;
  errors: RowError[];
}

export interface ImportResult { id: string; indicators: number; goalsCreated: number; created: number; updated: number; unchanged: number; changed: number; notInFile: number; years: number[] }

export const kinerjaApi = {
  report: (unitId: string, year?: number) => request<Report>('GET', `/kinerja?unitId=${unitId}${year ? `&year=${year}` : ''}`),
  updateIndicator: (id: string, body: Partial<Omit<Indicator, 'id' | 'capaian'>> & { version: number }) => request<Indicator>('PATCH', `/kinerja/indicators/${id}`, body),
  indicatorHistory: (id: string) => request<{ items: HistoryItem[] }>('GET', `/kinerja/indicators/${id}/history`),
  upload: (unitId: string, year: number | null, file: File) => {
    const form = new FormData();
    form.append('unitId', unitId);
    if (year) form.append('year', String(year));
    form.append('file', file);
    return uploadForm<ImportPreview>('/kinerja/imports', form);
  },
  preview: (id: string, mapping: Mapping) => request<ImportPreview>('POST', `/kinerja/imports/${id}/preview`, { mapping }),
  confirm: (id: string, mapping: Mapping) => request<ImportResult>('POST', `/kinerja/imports/${id}/confirm`, { mapping }),
};

/**
 * A number as a person types it in Indonesian ("1.234,56", "85,5 %") or with a decimal point
 * ("85.5"), as the API's canonical decimal string; null when empty; undefined when not a number.
 */
export function toDecimalInput(text: string): string | null | undefined {
  let t = text.replace(/[\s%]/g, '');
  if (t === '' || t === '-') return null;
  if (t.includes(',')) t = t.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(\.\d{3})+$/.test(t)) t = t.replace(/\./g, '');
  return /^-?\d{1,18}(\.\d{1,6})?$/.test(t) ? t : undefined;
}

/** A canonical decimal shown the Indonesian way ("1234.5" → "1.234,5") or the English way. */
export function formatDecimal(value: string | null, locale: 'id' | 'en'): string {
  if (value === null) return '–';
  const negative = value.startsWith('-');
  const [whole = '0', fraction] = (negative ? value.slice(1) : value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'id' ? '.' : ',');
  return `${negative ? '-' : ''}${grouped}${fraction ? (locale === 'id' ? ',' : '.') + fraction : ''}`;
}
