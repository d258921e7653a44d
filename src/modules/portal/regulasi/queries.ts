/**
 * What the portal's regulation pages read. Only regulations that are law (in force, amended or
 * revoked) are public: a draft (`rancangan`) is not law yet, its text may still change, and a
 * citizen reading it on the government's own portal would take it for a rule that binds them.
 * Records whose explanation is still being written are listed (their official JDIH document is
 * already useful), and their page says the explanation is coming.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, RegulationStatus, RegulationType } from '../../../db/schema.ts';
import type { FaqEntry } from '../../regulasi/index.ts';
import type { ArticleCard, Page } from '../queries.ts';

export const PUBLIC_STATUSES: readonly RegulationStatus[] = ['berlaku', 'diubah', 'dicabut'];
export const REGULATIONS_PER_PAGE = 20;

export interface PublicRegulation {
  id: string;
  slug: string;
  type: RegulationType;
  number: string;
  year: number;
  title: string;
  status: RegulationStatus;
  enactedOn: string | null;
  inForceOn: string | null;
  jdihUrl: string | null;
  purpose: string;
  reasons: string;
  affected: string;
  changes: string;
  starts: string;
  faq: FaqEntry[];
  updatedAt: Date;
  unit: { id: string; name: string; shortName: string | null; slug: string };
  /** The government that issued it (province, regency or city): the law's jurisdiction. */
  region: { name: string; slug: string };
}

export interface PortalRegulationFilter {
  type?: RegulationType | undefined;
  year?: number | undefined;
  status?: RegulationStatus | undefined;
  /** The unit and the units below it. */
  unitIds?: readonly string[] | undefined;
  q?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

function selectPublic(db: Kysely<DB>) {
  return db.selectFrom('regulations as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .innerJoin('units as g', 'g.id', 'r.region_unit_id')
    .where('r.status', 'in', [...PUBLIC_STATUSES]);
}

const columns = [
  'r.id', 'r.slug', 'r.type', 'r.number', 'r.year', 'r.title', 'r.status', 'r.jdih_url', 'r.purpose', 'r.reasons', 'r.affected', 'r.changes',
  'r.starts', 'r.faq', 'r.updated_at', 'u.id as unit_id', 'u.name as unit_name', 'u.short_name as unit_short_name', 'u.slug as unit_slug',
  'g.name as region_name', 'g.slug as region_slug',
] as const;

type Row = {
  id: string; slug: string; type: RegulationType; number: string; year: number; title: string; status: RegulationStatus; jdih_url: string | null;
  purpose: string; reasons: string; affected: string; changes: string; starts: string; faq: unknown; updated_at: Date;
  unit_id: string; unit_name: string; unit_short_name: string | null; unit_slug: string; region_name: string; region_slug: string;
  enacted_on: string | null; in_force_on: string | null;
};

function toPublic(r: Row): PublicRegulation {
  const faq = Array.isArray(r.faq) ? (r.faq as FaqEntry[]).filter((f) => typeof f?.question === 'string' && typeof f?.answer === 'string') : [];
  return {
    id: r.id, slug: r.slug, type: r.type, number: r.number, year: r.year, title: r.title, status: r.status,
    enactedOn: r.enacted_on, inForceOn: r.in_force_on, jdihUrl: r.jdih_url,
    purpose: r.purpose, reasons: r.reasons, affected: r.affected, changes: r.changes, starts: r.starts, faq,
    updatedAt: new Date(r.updated_at),
    unit: { id: r.unit_id, name: r.unit_name, shortName: r.unit_short_name, slug: r.unit_slug },
    region: { name: r.region_name, slug: r.region_slug },
  };
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Public regulations, newest first, one page of them; every word must be in the title or the number. */
export async function listPublicRegulations(db: Kysely<DB>, filter: PortalRegulationFilter): Promise<Page<PublicRegulation>> {
  const pageSize = filter.pageSize ?? REGULATIONS_PER_PAGE;
  const page = Math.max(1, Math.floor(filter.page ?? 1));
  const words = (filter.q ?? '').split(/\s+/u).filter((w) => w !== '').slice(0, 8);
  if (filter.unitIds && filter.unitIds.length === 0) return { items: [], page, pageSize, total: 0, pages: 1 };
  const filtered = () => selectPublic(db)
    .$if(filter.type !== undefined, (q) => q.where('r.type', '=', filter.type!))
    .$if(filter.year !== undefined, (q) => q.where('r.year', '=', filter.year!))
    .$if(filter.status !== undefined, (q) => q.where('r.status', '=', filter.status!))
    .$if(filter.unitIds !== undefined, (q) => q.where('r.unit_id', 'in', [...filter.unitIds!]))
    .$if(words.length > 0, (q) => q.where((eb) => eb.and(words.map((w) => eb.or([
      eb('r.title', 'ilike', `%${escapeLike(w)}%`),
      eb('r.number', 'ilike', `%${escapeLike(w)}%`),
    ])))));
  const [rows, count] = await Promise.all([
    filtered().select([...columns, sql<string | null>`r.enacted_on::text`.as('enacted_on'), sql<string | null>`r.in_force_on::text`.as('in_force_on')])
      .orderBy('r.year', 'desc').orderBy(sql`r.enacted_on desc nulls last`).orderBy('r.title').orderBy('r.id')
      .limit(pageSize).offset((page - 1) * pageSize).execute(),
    filtered().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const total = Number(count.n);
  return { items: (rows as Row[]).map(toPublic), page, pageSize, total, pages: Math.max(1, Math.ceil(total / pageSize)) };
}

/** One public regulation by its slug (a draft answers as if it did not exist). */
export async function publicRegulationBySlug(db: Kysely<DB>, slug: string): Promise<PublicRegulation | undefined> {
  const row = await selectPublic(db)
    .select([...columns, sql<string | null>`r.enacted_on::text`.as('enacted_on'), sql<string | null>`r.in_force_on::text`.as('in_force_on')])
    .where('r.slug', '=', slug).executeTakeFirst();
  return row ? toPublic(row as Row) : undefined;
}

/** What the filter form offers: years, and units, that have public regulations. */
export async function regulationFacets(db: Kysely<DB>): Promise<{ years: number[]; units: { slug: string; name: string }[] }> {
  const [years, units] = await Promise.all([
    selectPublic(db).select('r.year').distinct().orderBy('r.year', 'desc').execute(),
    selectPublic(db).select(['u.slug', 'u.name']).distinct().orderBy('u.name').execute(),
  ]);
  return { years: years.map((y) => y.year), units };
}

/**
 * The live articles of the posts linked to a regulation, newest first (what went out about it).
 * Cards without pictures: the regulation page lists them as links.
 */
export async function relatedArticleCards(db: Kysely<DB>, regulationId: string, now: Date, limit = 50): Promise<ArticleCard[]> {
  const rows = await db.selectFrom('regulation_posts as rp')
    .innerJoin('articles as a', 'a.post_id', 'rp.post_id')
    .innerJoin('units as u', 'u.id', 'a.unit_id')
    .leftJoin('rubrics as rb', 'rb.id', 'a.rubric_id')
    .select([
      'a.post_id', 'a.slug', 'a.title', 'a.lead', 'a.published_at', 'a.urgent',
      'u.id as unit_id', 'u.name as unit_name', 'u.short_name as unit_short_name', 'u.slug as unit_slug', 'rb.slug as rubric_slug', 'rb.name as rubric_name',
    ])
    .where('rp.regulation_id', '=', regulationId)
    .where('a.live', '=', true).where('a.withdrawn_at', 'is', null).where('a.published_at', '<=', now)
    .orderBy('a.published_at', 'desc').orderBy('a.post_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    postId: r.post_id, slug: r.slug, title: r.title, lead: r.lead, publishedAt: new Date(r.published_at ?? 0), urgent: r.urgent,
    unit: { id: r.unit_id, name: r.unit_name, shortName: r.unit_short_name, slug: r.unit_slug },
    rubric: r.rubric_slug && r.rubric_name ? { slug: r.rubric_slug, name: r.rubric_name } : null,
    image: null,
  }));
}
