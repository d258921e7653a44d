/**
 * What the portal reads. Every list shows live articles only (live, not withdrawn, time reached)
 * newest first, through the partial indexes of 0006_portal.sql; pages are numbered from 1.
 * Search is PostgreSQL full-text search with the `indonesian` configuration, the same SQL on the
 * embedded database and on a server.
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';

export interface ArticleCard {
  postId: string;
  slug: string;
  title: string;
  lead: string;
  publishedAt: Date;
  urgent: boolean;
  unit: { id: string; name: string; shortName: string | null; slug: string };
  rubric: { slug: string; name: string } | null;
  /** The first image, if any: its storage key, alt text and size. */
  image: { storageKey: string; thumbnailKey: string | null; alt: string; width: number | null; height: number | null } | null;
}

export interface ArticleMediaItem {
  storageKey: string;
  thumbnailKey: string | null;
  webKey: string | null;
  kind: string;
  mime: string;
  alt: string;
  caption: string | null;
  width: number | null;
  height: number | null;
}

export interface ArticlePage extends ArticleCard {
  bodyHtml: string;
  bodyText: string;
  tags: string[];
  language: string;
  authorInitials: string;
  sertaMerta: Record<string, string> | null;
  correctedAt: Date | null;
  correctionNote: string | null;
  withdrawnAt: Date | null;
  withdrawnReason: string | null;
  updatedAt: Date;
  /** True when the article can be shown (live, time reached, not withdrawn). */
  visible: boolean;
  media: ArticleMediaItem[];
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  pages: number;
}

export const PAGE_SIZE = 12;

type Live = SelectQueryBuilder<DB, 'articles' | 'units', object>;

function live(db: Kysely<DB>, now: Date): Live {
  return db.selectFrom('articles').innerJoin('units', 'units.id', 'articles.unit_id')
    .where('articles.live', '=', true).where('articles.withdrawn_at', 'is', null).where('articles.published_at', '<=', now) as unknown as Live;
}

const cardColumns = [
  'articles.post_id', 'articles.slug', 'articles.title', 'articles.lead', 'articles.published_at', 'articles.urgent',
  'units.id as unit_id', 'units.name as unit_name', 'units.short_name as unit_short_name', 'units.slug as unit_slug',
  'rubrics.slug as rubric_slug', 'rubrics.name as rubric_name',
] as const;

interface CardRow {
  post_id: string; slug: string; title: string; lead: string; published_at: Date | null; urgent: boolean;
  unit_id: string; unit_name: string; unit_short_name: string | null; unit_slug: string;
  rubric_slug: string | null; rubric_name: string | null;
}

async function cards(db: Kysely<DB>, rows: readonly CardRow[]): Promise<ArticleCard[]> {
  const images = await firstImages(db, rows.map((r) => r.post_id));
  return rows.map((r) => ({
    postId: r.post_id,
    slug: r.slug,
    title: r.title,
    lead: r.lead,
    publishedAt: new Date(r.published_at ?? 0),
    urgent: r.urgent,
    unit: { id: r.unit_id, name: r.unit_name, shortName: r.unit_short_name, slug: r.unit_slug },
    rubric: r.rubric_slug && r.rubric_name ? { slug: r.rubric_slug, name: r.rubric_name } : null,
    image: images.get(r.post_id) ?? null,
  }));
}

async function firstImages(db: Kysely<DB>, postIds: readonly string[]): Promise<Map<string, NonNullable<ArticleCard['image']>>> {
  if (postIds.length === 0) return new Map();
  const rows = await db.selectFrom('post_media').innerJoin('media', 'media.id', 'post_media.media_id')
    .select(['post_media.post_id', 'post_media.position', 'post_media.alt', 'media.storage_key', 'media.thumbnail_key', 'media.width', 'media.height'])
    .where('post_media.post_id', 'in', postIds).where('media.kind', '=', 'image').orderBy('post_media.position').execute();
  const out = new Map<string, NonNullable<ArticleCard['image']>>();
  for (const r of rows) {
    if (!out.has(r.post_id)) out.set(r.post_id, { storageKey: r.storage_key, thumbnailKey: r.thumbnail_key, alt: r.alt, width: r.width, height: r.height });
  }
  return out;
}

export interface ListFilter {
  rubricSlug?: string | undefined;
  /** Articles of these units (a unit page passes the unit and the units below it). */
  unitIds?: readonly string[] | undefined;
  tag?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

/** Live articles, newest first, one page of them. */
export async function listArticles(db: Kysely<DB>, filter: ListFilter, now = new Date()): Promise<Page<ArticleCard>> {
  const pageSize = filter.pageSize ?? PAGE_SIZE;
  const page = Math.max(1, Math.floor(filter.page ?? 1));
  let q = live(db, now).leftJoin('rubrics', 'rubrics.id', 'articles.rubric_id');
  if (filter.rubricSlug !== undefined) q = q.where('rubrics.slug', '=', filter.rubricSlug);
  if (filter.unitIds !== undefined) q = filter.unitIds.length === 0 ? q.where(sql<boolean>`false`) : q.where('articles.unit_id', 'in', filter.unitIds);
  if (filter.tag !== undefined) q = q.where(sql<boolean>`${filter.tag} = any(articles.tags)`);
  const [rows, count] = await Promise.all([
    q.select(cardColumns).orderBy('articles.published_at', 'desc').orderBy('articles.post_id').limit(pageSize).offset((page - 1) * pageSize).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const total = Number(count.n);
  return { items: await cards(db, rows as CardRow[]), page, pageSize, total, pages: Math.max(1, Math.ceil(total / pageSize)) };
}

/** The home page: the headline (newest; an urgent one first) and the latest few of each rubric. */
export async function homeSections(db: Kysely<DB>, perRubric = 4, now = new Date()): Promise<{
  latest: ArticleCard[];
  rubrics: { slug: string; name: string; items: ArticleCard[] }[];
}> {
  const latest = await live(db, now).leftJoin('rubrics', 'rubrics.id', 'articles.rubric_id').select(cardColumns)
    .orderBy('articles.published_at', 'desc').orderBy('articles.post_id').limit(7).execute();
  const rubrics = await db.selectFrom('rubrics').select(['id', 'slug', 'name']).where('archived', '=', false).orderBy('position').orderBy('name').execute();
  const perRubricRows = rubrics.length === 0 ? { rows: [] as (CardRow & { rn: number })[] } : await sql<CardRow & { rn: number }>`
    select * from (
      select a.post_id, a.slug, a.title, a.lead, a.published_at, a.urgent,
        u.id as unit_id, u.name as unit_name, u.short_name as unit_short_name, u.slug as unit_slug,
        r.slug as rubric_slug, r.name as rubric_name,
        row_number() over (partition by a.rubric_id order by a.published_at desc, a.post_id) as rn
      from articles a join units u on u.id = a.unit_id join rubrics r on r.id = a.rubric_id
      where a.live and a.withdrawn_at is null and a.published_at <= ${now} and not r.archived
    ) t where rn <= ${perRubric}`.execute(db);
  const all = await cards(db, [...(latest as CardRow[]), ...perRubricRows.rows]);
  const byId = new Map(all.map((c) => [c.postId, c]));
  return {
    latest: (latest as CardRow[]).map((r) => byId.get(r.post_id)!),
    rubrics: rubrics.map((r) => ({
      slug: r.slug,
      name: r.name,
      items: perRubricRows.rows.filter((row) => row.rubric_slug === r.slug).sort((a, b) => a.rn - b.rn).map((row) => byId.get(row.post_id)!),
    })).filter((r) => r.items.length > 0),
  };
}

/** The serta-merta articles that are live and recent (pinned as a banner); newest first. */
export async function activeSertaMerta(db: Kysely<DB>, now = new Date(), withinHours = 72): Promise<ArticlePage[]> {
  const rows = await live(db, now).where('articles.urgent', '=', true).where('articles.published_at', '>', new Date(now.getTime() - withinHours * 3_600_000))
    .select('articles.slug').orderBy('articles.published_at', 'desc').limit(3).execute();
  const pages = await Promise.all(rows.map((r) => articleBySlug(db, r.slug, now)));
  return pages.filter((p): p is ArticlePage => p !== undefined);
}

/** One article by its slug, with its images; also a withdrawn one (its page says so). Undefined when unknown or not yet live. */
export async function articleBySlug(db: Kysely<DB>, slug: string, now = new Date()): Promise<ArticlePage | undefined> {
  const row = await db.selectFrom('articles').innerJoin('units', 'units.id', 'articles.unit_id').leftJoin('rubrics', 'rubrics.id', 'articles.rubric_id')
    .select([...cardColumns, 'articles.body_html', 'articles.body_text', 'articles.tags', 'articles.language', 'articles.author_initials', 'articles.serta_merta',
      'articles.corrected_at', 'articles.correction_note', 'articles.withdrawn_at', 'articles.withdrawn_reason', 'articles.updated_at', 'articles.live'])
    .where('articles.slug', '=', slug).executeTakeFirst();
  if (!row || !row.live || row.published_at === null || row.published_at > now) return undefined;
  const [card] = await cards(db, [row as CardRow]);
  const media = await db.selectFrom('post_media').innerJoin('media', 'media.id', 'post_media.media_id')
    .select(['media.storage_key', 'media.thumbnail_key', 'media.renditions', 'media.kind', 'media.mime', 'media.width', 'media.height', 'post_media.alt', 'post_media.caption'])
    .where('post_media.post_id', '=', row.post_id).orderBy('post_media.position').execute();
  const sertaMerta = typeof row.serta_merta === 'string' ? JSON.parse(row.serta_merta) as Record<string, string> : (row.serta_merta as Record<string, string> | null);
  return {
    ...card!,
    bodyHtml: row.body_html,
    bodyText: row.body_text,
    tags: row.tags,
    language: row.language,
    authorInitials: row.author_initials,
    sertaMerta: row.urgent ? sertaMerta : null,
    correctedAt: row.corrected_at,
    correctionNote: row.correction_note,
    withdrawnAt: row.withdrawn_at,
    withdrawnReason: row.withdrawn_reason,
    updatedAt: row.updated_at,
    visible: row.withdrawn_at === null,
    media: media.map((m) => {
      const renditions = (typeof m.renditions === 'string' ? JSON.parse(m.renditions) : m.renditions) as { web?: { key?: string } } | null;
      return { storageKey: m.storage_key, thumbnailKey: m.thumbnail_key, webKey: renditions?.web?.key ?? null, kind: m.kind, mime: m.mime, alt: m.alt, caption: m.caption, width: m.width, height: m.height };
    }),
  };
}

/** Articles like this one: sharing tags, else the same rubric, else the same unit; newest first. */
export async function relatedArticles(db: Kysely<DB>, article: Pick<ArticlePage, 'postId' | 'tags' | 'rubric' | 'unit'>, limit = 4, now = new Date()): Promise<ArticleCard[]> {
  const rows = await live(db, now).leftJoin('rubrics', 'rubrics.id', 'articles.rubric_id').select(cardColumns)
    .where('articles.post_id', '!=', article.postId)
    .where((eb) => eb.or([
      ...(article.tags.length > 0 ? [sql<boolean>`articles.tags && ${sql.val(article.tags)}::text[]`] : []),
      ...(article.rubric ? [eb('rubrics.slug', '=', article.rubric.slug)] : []),
      eb('articles.unit_id', '=', article.unit.id),
    ]))
    .orderBy(sql`(case when ${article.tags.length > 0 ? sql`articles.tags && ${sql.val(article.tags)}::text[]` : sql`false`} then 0 when ${article.rubric ? sql`rubrics.slug = ${article.rubric.slug}` : sql`false`} then 1 else 2 end)`)
    .orderBy('articles.published_at', 'desc').limit(limit).execute();
  return cards(db, rows as CardRow[]);
}

export interface SearchFilter {
  q: string;
  rubricSlug?: string | undefined;
  unitIds?: readonly string[] | undefined;
  /** Inclusive bounds on the publication time. */
  from?: Date | undefined;
  to?: Date | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface SearchHit extends ArticleCard {
  /** The best passage, with matches wrapped in SNIPPET_START/SNIPPET_STOP (the page escapes, then turns them into <mark>). */
  snippet: string;
  rank: number;
}

export interface SearchPage extends Page<SearchHit> {
  /** More articles match than are ranked (SEARCH_LIMIT): `total` is then SEARCH_LIMIT ("more than 1,000 results"). */
  capped: boolean;
}

export const SNIPPET_START = '\u0002';
export const SNIPPET_STOP = '\u0003';

/**
 * How many matches are ranked. A word in most articles ("pemerintah") would otherwise make every
 * search rank, and count, the whole archive; the newest 1,000 matches are ranked by relevance
 * instead (a news portal's readers want recent news first anyway), and the count stops there.
 */
export const SEARCH_LIMIT = 1000;

/**
 * Full-text search. The query is read as a web search (`websearch_to_tsquery`: words, "phrases",
 * -excluded, or): it never fails on operators or SQL-looking text; the text is cut to 500
 * characters; a query of only stop words matches nothing (an empty page, not an error). Results
 * are the newest SEARCH_LIMIT matches ranked by ts_rank_cd (title over lead over body).
 */
export async function searchArticles(db: Kysely<DB>, filter: SearchFilter, now = new Date()): Promise<SearchPage> {
  const pageSize = filter.pageSize ?? PAGE_SIZE;
  const page = Math.max(1, Math.floor(filter.page ?? 1));
  const text = cleanQuery(filter.q);
  const empty = { items: [], page, pageSize, total: 0, pages: 1, capped: false };
  if (text === '' || (page - 1) * pageSize >= SEARCH_LIMIT) return empty;
  const query = sql`websearch_to_tsquery('indonesian', ${text})`;
  // 1. Which articles match, newest first, at most SEARCH_LIMIT + 1 (so the count is known too). The
  //    match is answered by the GIN index alone (a bitmap scan that never reads the stored vectors),
  //    then the visibility and filters are checked on the rows found: the planner would otherwise
  //    check the vector row by row along the date index, or read every vector, and the vectors are
  //    large (kept out of line), so either costs a read per article. (`offset 0` keeps the match a
  //    query of its own; sequential and plain index scans are off for this statement only.)
  const found = db.selectFrom('articles').select(['post_id', 'published_at', 'live', 'withdrawn_at', 'rubric_id', 'unit_id'])
    .where(sql<boolean>`search @@ ${query}`).offset(0);
  let q = db.selectFrom(found.as('m')).select(['m.post_id', 'm.published_at'])
    .where('m.live', '=', true).where('m.withdrawn_at', 'is', null).where('m.published_at', '<=', now);
  if (filter.rubricSlug !== undefined) {
    q = q.where('m.rubric_id', '=', (eb) => eb.selectFrom('rubrics').select('rubrics.id').where('rubrics.slug', '=', filter.rubricSlug!));
  }
  if (filter.unitIds !== undefined) q = filter.unitIds.length === 0 ? q.where(sql<boolean>`false`) : q.where('m.unit_id', 'in', filter.unitIds);
  if (filter.from !== undefined) q = q.where('m.published_at', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('m.published_at', '<=', filter.to);
  const matches = await db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    await sql`set local enable_indexscan = off`.execute(trx);
    return trx.selectFrom(q.as('v')).select(['v.post_id', 'v.published_at']).orderBy('v.published_at', 'desc').orderBy('v.post_id').limit(SEARCH_LIMIT + 1).execute();
  });
  const matched = matches.length;
  const total = Math.min(matched, SEARCH_LIMIT);
  const capped = matched > SEARCH_LIMIT;
  if (matched === 0) return empty;
  // 2. Rank those by their title and lead (the small headline vector kept in the row, so ranking
  //    reads no out-of-line data): a match there first, best first; equal ranks newest first.
  const candidates = matches.slice(0, SEARCH_LIMIT);
  const order = new Map(candidates.map((m, i) => [m.post_id, i]));
  const rankRows = await sql<{ post_id: string; rank: number }>`
    select post_id, ts_rank_cd(search_head, ${query}, 32) as rank from articles where post_id = any(${sql.val(candidates.map((m) => m.post_id))}::uuid[])`.execute(db);
  const ranked = rankRows.rows.map((r) => ({ post_id: r.post_id, rank: Number(r.rank) }))
    .sort((a, b) => b.rank - a.rank || order.get(a.post_id)! - order.get(b.post_id)!)
    .slice((page - 1) * pageSize, page * pageSize);
  const ids = ranked.map((r) => r.post_id);
  if (ids.length === 0) return { ...empty, total, pages: Math.max(1, Math.ceil(total / pageSize)), capped };
  const [rows, snippets] = await Promise.all([
    db.selectFrom('articles').innerJoin('units', 'units.id', 'articles.unit_id').leftJoin('rubrics', 'rubrics.id', 'articles.rubric_id')
      .select(cardColumns).where('articles.post_id', 'in', ids).execute(),
    // Snippets only for the page shown (ts_headline re-parses the text, so not for every match).
    sql<{ post_id: string; snippet: string }>`
      select a.post_id, ts_headline('indonesian', a.lead || ' ' || a.body_text, ${query},
        ${`StartSel=${SNIPPET_START}, StopSel=${SNIPPET_STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`}) as snippet
      from articles a where a.post_id in (${sql.join(ids)})`.execute(db),
  ]);
  const snippetOf = new Map(snippets.rows.map((s) => [s.post_id, s.snippet]));
  const byId = new Map((await cards(db, rows as CardRow[])).map((c) => [c.postId, c]));
  return {
    items: ranked.map((r) => ({ ...byId.get(r.post_id)!, snippet: snippetOf.get(r.post_id) ?? byId.get(r.post_id)!.lead, rank: Number(r.rank) })),
    page, pageSize, total, pages: Math.max(1, Math.ceil(total / pageSize)), capped,
  };
}

/** A query as the search reads it: control characters and the snippet markers removed, 500 characters at most. */
export function cleanQuery(q: string): string {
  // eslint-disable-next-line no-control-regex
  return q.toWellFormed().replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 500).trim();
}

/** A unit by its slug and the ids of it and every unit below it. */
export async function unitWithBelow(db: Kysely<DB>, slug: string): Promise<{ unit: { id: string; name: string; shortName: string | null; slug: string; kind: string; logoUrl: string | null; contact: Record<string, string | null> }; ids: string[] } | undefined> {
  const unit = await db.selectFrom('units').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (!unit) return undefined;
  const below = await sql<{ id: string }>`
    with recursive t(id) as (select ${unit.id}::uuid union all select u.id from units u join t on u.parent_id = t.id)
    select id from t`.execute(db);
  return {
    unit: {
      id: unit.id, name: unit.name, shortName: unit.short_name, slug: unit.slug, kind: unit.kind, logoUrl: unit.logo_url,
      contact: { email: unit.contact_email, phone: unit.contact_phone, address: unit.contact_address, website: unit.contact_website },
    },
    ids: below.rows.map((r) => r.id),
  };
}

/** The time the portal's content last changed (Last-Modified of lists and feeds). */
export async function lastChange(db: Kysely<DB>): Promise<Date | null> {
  const row = await db.selectFrom('articles').select((eb) => eb.fn.max('updated_at').as('at')).executeTakeFirst();
  return row?.at ? new Date(row.at as unknown as string) : null;
}

/** When the next waiting article goes live (the render cache must not outlive it). */
export async function nextGoingLive(db: Kysely<DB>, now = new Date()): Promise<Date | null> {
  const row = await db.selectFrom('articles').select((eb) => eb.fn.min('published_at').as('at'))
    .where('live', '=', true).where('withdrawn_at', 'is', null).where('published_at', '>', now).executeTakeFirst();
  return row?.at ? new Date(row.at as unknown as string) : null;
}
