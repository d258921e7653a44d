/** The public shapes of kinerja: dates as ISO strings, capaian with its reason in the caller's language. */
import type { Locale } from '../../errors/errors.ts';
import type { Capaian, NotComputableReason } from './capaian.ts';
import type { ImportPreview, ImportSummary } from './import-kinerja.ts';
import type { HistoryEntry, IndicatorView, KinerjaReport, ProgrammeView } from './queries.ts';
import { rowErrorMessage, type RowError } from './read-rows.ts';
import type { ResolvedSettings } from './settings.ts';

const reasonMessages: Record<NotComputableReason, { id: string; en: string }> = {
  target_missing: { id: 'Tidak dapat dihitung: target belum diisi.', en: 'Cannot be computed: no target.' },
  target_zero: { id: 'Tidak dapat dihitung: target 0.', en: 'Cannot be computed: the target is 0.' },
  target_negative: { id: 'Tidak dapat dihitung: target di bawah 0.', en: 'Cannot be computed: the target is below 0.' },
  realisasi_missing: { id: 'Tidak dapat dihitung: realisasi belum diisi.', en: 'Cannot be computed: no realisation yet.' },
};

export function presentCapaian(capaian: Capaian, locale: Locale) {
  if (capaian.computable) return { computable: true as const, value: capaian.value, capped: capaian.capped, band: { ...capaian.band } };
  return { computable: false as const, reason: capaian.reason, message: reasonMessages[capaian.reason][locale] };
}

export function presentIndicator(i: IndicatorView, locale: Locale) {
  return {
    id: i.id, goalId: i.goalId, unitId: i.unitId, year: i.year, name: i.name, satuan: i.satuan, target: i.target, realisasi: i.realisasi, polarity: i.polarity,
    responsibleUnit: i.responsibleUnit, dataSource: i.dataSource, notes: i.notes, capaian: presentCapaian(i.capaian, locale), version: i.version, updatedAt: i.updatedAt.toISOString(),
  };
}

export function presentProgramme(p: ProgrammeView, locale: Locale) {
  return {
    id: p.id, unitId: p.unitId, year: p.year, name: p.name, satuan: p.satuan, target: p.target, responsibleUnit: p.responsibleUnit, notes: p.notes,
    progress: p.progress.map((x) => ({ ...x })), capaian: presentCapaian(p.capaian, locale), version: p.version, updatedAt: p.updatedAt.toISOString(),
  };
}

export function presentSettings(s: ResolvedSettings) {
  return { bands: s.bands.map((b) => ({ key: b.key, label: b.label, labelEn: b.labelEn, min: b.min })), maxCapaian: s.maxCapaian, fromUnitId: s.fromUnitId };
}

export function presentReport(report: KinerjaReport | null, context: { unitId: string; years: number[]; settings: ResolvedSettings }, locale: Locale) {
  return {
    unitId: context.unitId,
    year: report?.year ?? null,
    years: context.years,
    settings: presentSettings(context.settings),
    goals: (report?.goals ?? []).map((g) => ({ id: g.id, name: g.name, indicators: g.indicators.map((i) => presentIndicator(i, locale)) })),
    programmes: (report?.programmes ?? []).map((p) => presentProgramme(p, locale)),
    summary: report?.summary ?? { indicators: 0, computable: 0, byBand: {}, notComputable: {} },
  };
}

export function presentHistory(entries: readonly HistoryEntry[]) {
  return { items: entries.map((e) => ({ ...e, changedAt: e.changedAt.toISOString() })) };
}

export function presentRowError(error: RowError, locale: Locale) {
  return {
    row: error.row, field: error.field, column: error.column, value: error.value, code: error.code,
    ...(error.otherRow === undefined ? {} : { otherRow: error.otherRow }),
    message: rowErrorMessage(error, locale),
  };
}

export function presentImport(preview: ImportPreview, locale: Locale) {
  return {
    ...preview,
    rows: preview.rows.map((r) => ({
      row: r.row,
      cells: r.cells,
      record: r.record ? { ...r.record, capaian: presentCapaian(r.record.capaian, locale) } : null,
      errors: r.errors.map((e) => presentRowError(e, locale)),
    })),
    errors: preview.errors.map((e) => presentRowError(e, locale)),
  };
}

export function presentImportSummary(id: string, s: ImportSummary) {
  return { id, status: 'applied' as const, ...s, changed: s.created + s.updated };
}
