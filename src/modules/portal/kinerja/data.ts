/**
 * What the public kinerja pages read (read-only): the units with data and their years, one unit's
 * report for a year (kinerja/queries.ts, capaian under the unit's own band settings), and the same
 * indicators in other years for trends.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { computeCapaian, type Capaian } from '../../kinerja/capaian.ts';
import { normaliseDecimal } from '../../kinerja/decimal.ts';
import { kinerjaReport, kinerjaYears, type KinerjaReport } from '../../kinerja/queries.ts';
import { settingsFor, type ResolvedSettings } from '../../kinerja/settings.ts';
import { unitPath } from '../../units/queries.ts';

export interface PublicUnit {
  id: string;
  slug: string;
  name: string;
  shortName: string | null;
  kind: string;
}

export interface UnitWithYears extends PublicUnit {
  years: number[];
}

/** Units that have goals or programmes, in the order of the tree's names, with their years (newest first). */
export async function unitsWithKinerja(db: Kysely<DB>): Promise<UnitWithYears[]> {
  const rows = await sql<{ unit_id: string; year: number }>`
    select unit_id, year from kinerja_goals union select unit_id, year from kinerja_programmes`.execute(db);
  if (rows.rows.length === 0) return [];
  const years = new Map<string, Set<number>>();
  for (const row of rows.rows) years.set(row.unit_id, (years.get(row.unit_id) ?? new Set()).add(Number(row.year)));
  const units = await db.selectFrom('units').select(['id', 'slug', 'name', 'short_name', 'kind']).where('id', 'in', [...years.keys()]).orderBy('name').execute();
  return units.map((u) => ({
    id: u.id, slug: u.slug, name: u.name, shortName: u.short_name, kind: u.kind,
    years: [...years.get(u.id)!].sort((a, b) => b - a),
  }));
}

export async function unitBySlug(db: Kysely<DB>, slug: string): Promise<PublicUnit | undefined> {
  const row = await db.selectFrom('units').select(['id', 'slug', 'name', 'short_name', 'kind']).where('slug', '=', slug).executeTakeFirst();
  return row ? { id: row.id, slug: row.slug, name: row.name, shortName: row.short_name, kind: row.kind } : undefined;
}

export interface TrendPoint {
  year: number;
  target: string | null;
  realisasi: string | null;
  capaian: Capaian;
}

export interface Trend {
  /** The indicator's name as written in the latest of these years. */
  name: string;
  satuan: string;
  polarity: 'higher' | 'lower';
  points: TrendPoint[];
}

export interface UnitYear {
  unit: PublicUnit;
  year: number;
  years: number[];
  settings: ResolvedSettings;
  report: KinerjaReport;
  /** Indicators of this year also present (same name, any goal) in at least one other year. */
  trends: Trend[];
  /** The latest change to anything shown. */
  updatedAt: Date | null;
}

/** Indicators of the unit in other years with the same normalised name as one of this year's. */
async function trendsOf(db: Kysely<DB>, unitId: string, year: number, settings: ResolvedSettings): Promise<Trend[]> {
  const rows = await db
    .selectFrom('kinerja_indicators')
    .select(['name', 'name_key', 'year', 'satuan', 'target', 'realisasi', 'polarity', 'position'])
    .where('unit_id', '=', unitId)
    .where('name_key', 'in', (q) => q.selectFrom('kinerja_indicators').select('name_key').where('unit_id', '=', unitId).where('year', '=', year))
    .orderBy('year')
    .orderBy('position')
    .execute();
  const byKey = new Map<string, typeof rows>();
  for (const row of rows) byKey.set(row.name_key, [...(byKey.get(row.name_key) ?? []), row]);
  const trends: Trend[] = [];
  for (const group of byKey.values()) {
    // One value per year: the first in the year's order when two goals carry the same indicator.
    const perYear = new Map<number, (typeof rows)[number]>();
    for (const row of group) if (!perYear.has(row.year)) perYear.set(row.year, row);
    if (perYear.size < 2) continue;
    const current = perYear.get(year)!;
    trends.push({
      name: current.name,
      satuan: current.satuan,
      polarity: current.polarity,
      points: [...perYear.values()].sort((a, b) => a.year - b.year).map((row) => {
        const target = row.target === null ? null : normaliseDecimal(row.target);
        const realisasi = row.realisasi === null ? null : normaliseDecimal(row.realisasi);
        return { year: row.year, target, realisasi, capaian: computeCapaian({ target, realisasi, polarity: row.polarity }, settings) };
      }),
    });
  }
  return trends;
}

async function lastChange(db: Kysely<DB>, unitId: string, year: number): Promise<Date | null> {
  const row = await sql<{ at: Date | string | null }>`
    select max(at) as at from (
      select max(updated_at) as at from kinerja_indicators where unit_id = ${unitId} and year = ${year}
      union all select max(updated_at) from kinerja_goals where unit_id = ${unitId} and year = ${year}
      union all select max(updated_at) from kinerja_programmes where unit_id = ${unitId} and year = ${year}
      union all select max(pp.recorded_at) from kinerja_programme_progress pp join kinerja_programmes p on p.id = pp.programme_id where p.unit_id = ${unitId} and p.year = ${year}
    ) as changes`.execute(db);
  const at = row.rows[0]?.at;
  return at === null || at === undefined ? null : new Date(at);
}

/** A unit's kinerja for a year, or undefined when the unit has no data for that year. */
export async function unitYear(db: Kysely<DB>, unit: PublicUnit, year: number): Promise<UnitYear | undefined> {
  const years = await kinerjaYears(db, unit.id);
  if (!years.includes(year)) return undefined;
  const settings = await settingsFor(db, await unitPath(db, unit.id));
  const [report, trends, updatedAt] = await Promise.all([
    kinerjaReport(db, { unitId: unit.id, year, settings }),
    trendsOf(db, unit.id, year, settings),
    lastChange(db, unit.id, year),
  ]);
  return { unit, year, years, settings, report, trends, updatedAt };
}
