/** What a history entry keeps of an indicator or programme: the values a person would compare. */
import type { Polarity } from './capaian.ts';

export interface IndicatorSnapshot {
  name: string;
  satuan: string;
  target: string | null;
  realisasi: string | null;
  polarity: Polarity;
  responsibleUnit: string | null;
  dataSource: string | null;
  notes: string | null;
}

export const indicatorSnapshotFields = ['name', 'satuan', 'target', 'realisasi', 'polarity', 'responsibleUnit', 'dataSource', 'notes'] as const satisfies readonly (keyof IndicatorSnapshot)[];

/** The fields whose values differ; decimals compare by value ("85.50" equals "85.5"). */
export function changedFields(before: IndicatorSnapshot, after: IndicatorSnapshot, same: (a: string | null, b: string | null) => boolean): (keyof IndicatorSnapshot)[] {
  return indicatorSnapshotFields.filter((field) => (field === 'target' || field === 'realisasi' ? !same(before[field], after[field]) : before[field] !== after[field]));
}

/** Only the changed fields of both sides, so a history entry reads as "target 80 → 85". */
export function diffOf(before: IndicatorSnapshot, after: IndicatorSnapshot, fields: readonly (keyof IndicatorSnapshot)[]): { before: Partial<IndicatorSnapshot>; after: Partial<IndicatorSnapshot> } {
  const b: Partial<IndicatorSnapshot> = {};
  const a: Partial<IndicatorSnapshot> = {};
  for (const field of fields) {
    (b as Record<string, unknown>)[field] = before[field];
    (a as Record<string, unknown>)[field] = after[field];
  }
  return { before: b, after: a };
}
