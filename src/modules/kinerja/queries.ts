/**
 * Reading kinerja: a unit's goals, indicators (with capaian computed under the unit's settings) and
 * programmes for a year, the years it has data for, and history. These are the functions other
 * parts of Siar build on (the portal's kinerja page, turning a result into a post): they take plain
 * ids and return plain objects, with no HTTP in them.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { computeCapaian, programmeProgress, type Capaian, type CapaianSettings, type Polarity } from './capaian.ts';
import { normaliseDecimal } from './decimal.ts';

export interface IndicatorView {
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
  updatedAt: Date;
}

export interface GoalView {
  id: string;
  name: string;
  indicators: IndicatorView[];
}

export interface ProgrammeView {
  id: string;
  unitId: string;
  year: number;
  name: string;
  satuan: string;
  target: string | null;
  responsibleUnit: string | null;
  notes: string | null;
  progress: { asOf: string; value: string; note: string | null }[];
  /** The latest progress value as a share of the target. */
  capaian: Capaian;
  version: number;
  updatedAt: Date;
}

export interface KinerjaReport {
  unitId: string;
  year: number;
  goals: GoalView[];
  programmes: ProgrammeView[];
  summary: KinerjaSummary;
}

export interface KinerjaSummary {
  indicators: number;
  computable: number;
  /** Indicators per band key (computable ones only). */
  byBand: Record<string, number>;
  /** Indicators per reason capaian could not be computed. */
  notComputable: Record<string, number>;
}

const dec = (value: string | null): string | null => (value === null ? null : normaliseDecimal(value));

type IndicatorRow = Awaited<ReturnType<typeof indicatorRows>>[number];

function indicatorRows(db: Kysely<DB>, where: { unitId: string; year: number } | { ids: readonly string[] }) {
  let query = db.selectFrom('kinerja_indicators').selectAll();
  query = 'ids' in where ? query.where('id', 'in', [...where.ids]) : query.where('unit_id', '=', where.unitId).where('year', '=', where.year);
  return query.orderBy('position').orderBy('name').execute();
}

export function indicatorView(row: IndicatorRow, settings: CapaianSettings): IndicatorView {
  const target = dec(row.target);
  const realisasi = dec(row.realisasi);
  return {
    id: row.id,
    goalId: row.goal_id,
    unitId: row.unit_id,
    year: row.year,
    name: row.name,
    satuan: row.satuan,
    target,
    realisasi,
    polarity: row.polarity,
    responsibleUnit: row.responsible_unit,
    dataSource: row.data_source,
    notes: row.notes,
    capaian: computeCapaian({ target, realisasi, polarity: row.polarity }, settings),
    version: row.version,
    updatedAt: row.updated_at,
  };
}

export async function findIndicator(db: Kysely<DB>, id: string, settings: CapaianSettings): Promise<IndicatorView | undefined> {
  const [row] = await indicatorRows(db, { ids: [id] });
  return row ? indicatorView(row, settings) : undefined;
}

/** The unit of an indicator (for the permission check before anything else is read). */
export async function indicatorUnit(db: Kysely<DB>, id: string): Promise<string | undefined> {
  return (await db.selectFrom('kinerja_indicators').select('unit_id').where('id', '=', id).executeTakeFirst())?.unit_id;
}

export async function programmeUnit(db: Kysely<DB>, id: string): Promise<string | undefined> {
  return (await db.selectFrom('kinerja_programmes').select('unit_id').where('id', '=', id).executeTakeFirst())?.unit_id;
}

export function summarise(indicators: readonly IndicatorView[]): KinerjaSummary {
  const summary: KinerjaSummary = { indicators: indicators.length, computable: 0, byBand: {}, notComputable: {} };
  for (const indicator of indicators) {
    if (indicator.capaian.computable) {
      summary.computable += 1;
      summary.byBand[indicator.capaian.band.key] = (summary.byBand[indicator.capaian.band.key] ?? 0) + 1;
    } else summary.notComputable[indicator.capaian.reason] = (summary.notComputable[indicator.capaian.reason] ?? 0) + 1;
  }
  return summary;
}

export async function listProgrammes(db: Kysely<DB>, where: { unitId: string; year: number } | { ids: readonly string[] }): Promise<ProgrammeView[]> {
  let query = db.selectFrom('kinerja_programmes').selectAll();
  query = 'ids' in where ? query.where('id', 'in', [...where.ids]) : query.where('unit_id', '=', where.unitId).where('year', '=', where.year);
  const rows = await query.orderBy('name').execute();
  if (rows.length === 0) return [];
  const progress = await db
    .selectFrom('kinerja_programme_progress')
    .select(['programme_id', sql<string>`to_char(as_of, 'YYYY-MM-DD')`.as('as_of'), 'value', 'note'])
    .where('programme_id', 'in', rows.map((r) => r.id))
    .orderBy('as_of')
    .execute();
  return rows.map((row) => {
    const points = progress.filter((p) => p.programme_id === row.id).map((p) => ({ asOf: p.as_of, value: normaliseDecimal(p.value), note: p.note }));
    const target = dec(row.target);
    return {
      id: row.id,
      unitId: row.unit_id,
      year: row.year,
      name: row.name,
      satuan: row.satuan,
      target,
      responsibleUnit: row.responsible_unit,
      notes: row.notes,
      progress: points,
      capaian: programmeProgress(target, points.at(-1)?.value ?? null),
      version: row.version,
      updatedAt: row.updated_at,
    };
  });
}

/** A unit's kinerja for one year: goals in file order with their indicators, programmes, and counts per band. */
export async function kinerjaReport(db: Kysely<DB>, input: { unitId: string; year: number; settings: CapaianSettings }): Promise<KinerjaReport> {
  const goals = await db.selectFrom('kinerja_goals').select(['id', 'name']).where('unit_id', '=', input.unitId).where('year', '=', input.year).orderBy('position').orderBy('name').execute();
  const indicators = (await indicatorRows(db, { unitId: input.unitId, year: input.year })).map((row) => indicatorView(row, input.settings));
  const byGoal = new Map<string, IndicatorView[]>();
  for (const indicator of indicators) byGoal.set(indicator.goalId, [...(byGoal.get(indicator.goalId) ?? []), indicator]);
  return {
    unitId: input.unitId,
    year: input.year,
    goals: goals.map((goal) => ({ id: goal.id, name: goal.name, indicators: byGoal.get(goal.id) ?? [] })),
    programmes: await listProgrammes(db, { unitId: input.unitId, year: input.year }),
    summary: summarise(indicators),
  };
}

/** Years a unit has goals or programmes for, newest first. */
export async function kinerjaYears(db: Kysely<DB>, unitId: string): Promise<number[]> {
  const rows = await db
    .selectFrom('kinerja_goals')
    .select('year')
    .where('unit_id', '=', unitId)
    .union(db.selectFrom('kinerja_programmes').select('year').where('unit_id', '=', unitId))
    .execute();
  return [...new Set(rows.map((r) => r.year))].sort((a, b) => b - a);
}

export interface HistoryEntry {
  id: string;
  entityType: 'goal' | 'indicator' | 'programme';
  entityId: string;
  action: 'create' | 'update' | 'delete' | 'progress';
  source: 'import' | 'edit';
  importId: string | null;
  changedBy: { id: string; name: string } | null;
  changedAt: Date;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/**
 * History of one goal, indicator or programme (entity id), or of a unit, newest first. The
 * entity query walks kinerja_history_entity_idx, the unit query kinerja_history_unit_idx.
 */
export async function listHistory(db: Kysely<DB>, where: { entityId: string } | { unitId: string }, options: { limit: number; before?: Date | undefined }): Promise<HistoryEntry[]> {
  let query = db
    .selectFrom('kinerja_history as h')
    .leftJoin('users as u', 'u.id', 'h.changed_by')
    .select(['h.id', 'h.entity_type', 'h.entity_id', 'h.action', 'h.source', 'h.import_id', 'h.changed_by', 'u.name as changed_by_name', 'h.changed_at', 'h.before', 'h.after']);
  query = 'entityId' in where ? query.where('h.entity_id', '=', where.entityId) : query.where('h.unit_id', '=', where.unitId);
  if (options.before) query = query.where('h.changed_at', '<', options.before);
  const rows = await query.orderBy('h.changed_at', 'desc').orderBy('h.id', 'desc').limit(options.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    action: row.action,
    source: row.source,
    importId: row.import_id,
    changedBy: row.changed_by ? { id: row.changed_by, name: row.changed_by_name ?? '' } : null,
    changedAt: row.changed_at,
    before: (row.before as Record<string, unknown> | null) ?? null,
    after: (row.after as Record<string, unknown> | null) ?? null,
  }));
}
