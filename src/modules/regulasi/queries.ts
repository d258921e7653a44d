/**
 * Reading regulations: one by id or by slug, a filtered list, the posts that explain one, and the
 * regulations a post is linked to. These are also what the public portal reads (its regulation
 * page and index).
 */
import { sql, type Kysely } from 'kysely';
import type { DB, RegulationStatus, RegulationType } from '../../db/schema.ts';
import { unitsBelow } from '../units/queries.ts';

export interface FaqEntry {
  question: string;
  answer: string;
}

/** A regulation as read from the database, with its unit's name and how many posts link to it. */
export interface RegulationRecord {
  id: string;
  unit_id: string;
  unit_name: string;
  region_unit_id: string;
  type: RegulationType;
  number: string;
  year: number;
  title: string;
  slug: string;
  enacted_on: string | null;
  in_force_on: string | null;
  status: RegulationStatus;
  jdih_url: string | null;
  purpose: string;
  reasons: string;
  affected: string;
  changes: string;
  starts: string;
  faq: FaqEntry[];
  version: number;
  post_count: number;
  created_at: Date;
  updated_at: Date;
}

/** Every read goes through this select: dates as text (the two drivers parse `date` differently). */
function selectRegulations(db: Kysely<DB>) {
  return db.selectFrom('regulations as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .select([
      'r.id', 'r.unit_id', 'u.name as unit_name', 'r.region_unit_id', 'r.type', 'r.number', 'r.year', 'r.title', 'r.slug',
      sql<string | null>`r.enacted_on::text`.as('enacted_on'),
      sql<string | null>`r.in_force_on::text`.as('in_force_on'),
      'r.status', 'r.jdih_url', 'r.purpose', 'r.reasons', 'r.affected', 'r.changes', 'r.starts', 'r.faq', 'r.version',
      'r.created_at', 'r.updated_at',
      (eb) => eb.selectFrom('regulation_posts as rp').whereRef('rp.regulation_id', '=', 'r.id').select(eb.fn.countAll<number>().as('n')).as('post_count'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectRegulations>['executeTakeFirstOrThrow']>>;

function toRecord(row: Row): RegulationRecord {
  return { ...row, faq: Array.isArray(row.faq) ? (row.faq as FaqEntry[]) : [], post_count: Number(row.post_count ?? 0) };
}

export async function regulationById(db: Kysely<DB>, id: string): Promise<RegulationRecord | undefined> {
  const row = await selectRegulations(db).where('r.id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** The portal's address of a regulation: its slug never changes once given. */
export async function regulationBySlug(db: Kysely<DB>, slug: string): Promise<RegulationRecord | undefined> {
  const row = await selectRegulations(db).where('r.slug', '=', slug).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export interface RegulationFilters {
  type?: RegulationType | undefined;
  year?: number | undefined;
  status?: RegulationStatus | undefined;
  /** This unit and every unit below it. */
  unitId?: string | undefined;
  /** Words of the title or the number, e.g. "sampah plastik" or "188.44". */
  q?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Newest regulations first (year, then enactment date, then when recorded), a page at a time. */
export async function listRegulations(db: Kysely<DB>, filters: RegulationFilters = {}): Promise<{ items: RegulationRecord[]; total: number; page: number; pageSize: number }> {
  const page = filters.page ?? 1;
  const pageSize = filters.pageSize ?? 25;
  const unitIds = filters.unitId ? (await unitsBelow(db, [filters.unitId])).map((u) => u.id) : undefined;
  if (unitIds && unitIds.length === 0) return { items: [], total: 0, page, pageSize };
  const words = (filters.q ?? '').split(/\s+/u).filter((w) => w !== '').slice(0, 8);
  const filtered = (q: ReturnType<typeof selectRegulations>) => q
    .$if(filters.type !== undefined, (x) => x.where('r.type', '=', filters.type!))
    .$if(filters.year !== undefined, (x) => x.where('r.year', '=', filters.year!))
    .$if(filters.status !== undefined, (x) => x.where('r.status', '=', filters.status!))
    .$if(unitIds !== undefined, (x) => x.where('r.unit_id', 'in', unitIds!))
    // Every word must appear in the title or the number (a handful of rows per unit: no index needed).
    .$if(words.length > 0, (x) => x.where((eb) => eb.and(words.map((w) => eb.or([
      eb('r.title', 'ilike', `%${escapeLike(w)}%`),
      eb('r.number', 'ilike', `%${escapeLike(w)}%`),
    ])))));
  const [rows, count] = await Promise.all([
    filtered(selectRegulations(db))
      .orderBy('r.year', 'desc').orderBy(sql`r.enacted_on desc nulls last`).orderBy('r.created_at', 'desc').orderBy('r.id')
      .limit(pageSize).offset((page - 1) * pageSize).execute(),
    filtered(selectRegulations(db)).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toRecord), total: Number(count.n), page, pageSize };
}

export interface RelatedPost {
  id: string;
  title: string;
  status: string;
  unit_id: string;
  unit_name: string;
  linked_at: Date;
}

/**
 * Posts linked to a regulation, newest link first. `publishedOnly` keeps the ones that went out
 * (what the portal shows beside the explanation).
 */
export async function relatedPosts(db: Kysely<DB>, regulationId: string, options: { publishedOnly?: boolean; limit?: number } = {}): Promise<RelatedPost[]> {
  return db.selectFrom('regulation_posts as rp')
    .innerJoin('posts as p', 'p.id', 'rp.post_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['p.id', 'p.title', 'p.status', 'u.id as unit_id', 'u.name as unit_name', 'rp.created_at as linked_at'])
    .where('rp.regulation_id', '=', regulationId)
    .$if(options.publishedOnly === true, (q) => q.where('p.status', 'in', ['published', 'partly_published']))
    .orderBy('rp.created_at', 'desc').orderBy('p.id')
    .limit(options.limit ?? 100)
    .execute();
}

/** The regulations a post is linked to (regulation_posts_post_idx). */
export async function regulationsOfPost(db: Kysely<DB>, postId: string): Promise<RegulationRecord[]> {
  const rows = await selectRegulations(db)
    .where('r.id', 'in', (eb) => eb.selectFrom('regulation_posts').select('regulation_id').where('post_id', '=', postId))
    .orderBy('r.year', 'desc').orderBy('r.title')
    .execute();
  return rows.map(toRecord);
}
