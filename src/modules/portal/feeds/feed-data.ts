/**
 * What the feeds, sitemaps and the widget read: the scope of a feed (the whole site, a rubric, or a
 * unit with the units below it), its latest live articles with their full text and first image,
 * and the time the portal's content last changed. Every URL is absolute (portalBase), since feed
 * readers and crawlers read these away from the site.
 */
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../../config/config.ts';
import type { DB } from '../../../db/schema.ts';
import { MEDIA_FILES_PATH, storedRenditionsOf } from '../../media/presenters.ts';
import { lastChange, listArticles, unitWithBelow, type ArticleCard, type ListFilter } from '../queries.ts';
import { portalBase, portalPaths } from '../urls.ts';
import { portalSiteName } from '../share/site.ts';

export type FeedFormat = 'rss' | 'atom' | 'json';

/** Where each feed lives, relative to the portal's base: `/feed.xml`, `/rubrik/kesehatan/atom.xml`, … */
export const FEED_FILES: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' };

export type FeedScope = { kind: 'site' } | { kind: 'rubric'; slug: string } | { kind: 'unit'; slug: string };

export function feedPath(scope: FeedScope, format: FeedFormat): string {
  const file = FEED_FILES[format];
  if (scope.kind === 'rubric') return `${portalPaths.rubric(scope.slug)}/${file}`;
  if (scope.kind === 'unit') return `${portalPaths.unit(scope.slug)}/${file}`;
  return `/${file}`;
}

export const FEED_SIZE = 20;

export interface FeedItem {
  url: string;
  title: string;
  summary: string;
  contentHtml: string;
  publishedAt: Date;
  /** The later of publication and the last correction. */
  modifiedAt: Date;
  unitName: string;
  rubric: { slug: string; name: string } | null;
  tags: string[];
  urgent: boolean;
  /** The first photo, as a file a reader can fetch (the web rendition when there is one). */
  image: { url: string; mime: string; bytes: number; alt: string } | null;
  shareImageUrl: string;
}

export interface Feed {
  scope: FeedScope;
  title: string;
  description: string;
  siteName: string;
  /** The HTML page the feed follows. */
  pageUrl: string;
  base: string;
  items: FeedItem[];
  /** When the feed last changed (Last-Modified): content changes and articles going live. */
  updatedAt: Date;
}

/** The scope's name and filter, or undefined for an unknown rubric or unit. */
async function resolveScope(db: Kysely<DB>, scope: FeedScope): Promise<{ name: string | null; pagePath: string; filter: ListFilter } | undefined> {
  if (scope.kind === 'site') return { name: null, pagePath: portalPaths.home(), filter: {} };
  if (scope.kind === 'rubric') {
    const rubric = await db.selectFrom('rubrics').select(['slug', 'name']).where('slug', '=', scope.slug).executeTakeFirst();
    return rubric ? { name: rubric.name, pagePath: portalPaths.rubric(rubric.slug), filter: { rubricSlug: rubric.slug } } : undefined;
  }
  const found = await unitWithBelow(db, scope.slug);
  return found ? { name: found.unit.name, pagePath: portalPaths.unit(found.unit.slug), filter: { unitIds: found.ids } } : undefined;
}

/** The latest live article's time: an article going live changes feeds without touching `updated_at`. */
async function latestLive(db: Kysely<DB>, now: Date): Promise<Date | null> {
  const row = await db.selectFrom('articles').select((eb) => eb.fn.max('published_at').as('at'))
    .where('live', '=', true).where('withdrawn_at', 'is', null).where('published_at', '<=', now).executeTakeFirst();
  return row?.at ? new Date(row.at as unknown as string) : null;
}

/** When anything the portal shows last changed, to the second readers see in Last-Modified. */
export async function portalChangedAt(db: Kysely<DB>, now = new Date()): Promise<Date> {
  const [changed, live] = await Promise.all([lastChange(db), latestLive(db, now)]);
  const latest = Math.max(changed?.getTime() ?? 0, live?.getTime() ?? 0);
  return new Date(Math.min(latest, now.getTime()));
}

interface Extra {
  body_html: string;
  tags: string[];
  corrected_at: Date | null;
}

async function extras(db: Kysely<DB>, cards: readonly ArticleCard[], base: string): Promise<{ extra: Map<string, Extra>; images: Map<string, NonNullable<FeedItem['image']>> }> {
  const ids = cards.map((c) => c.postId);
  if (ids.length === 0) return { extra: new Map(), images: new Map() };
  const [rows, media] = await Promise.all([
    db.selectFrom('articles').select(['post_id', 'body_html', 'tags', 'corrected_at']).where('post_id', 'in', ids).execute(),
    db.selectFrom('post_media').innerJoin('media', 'media.id', 'post_media.media_id')
      .select(['post_media.post_id', 'post_media.alt', 'media.storage_key', 'media.mime', 'media.bytes', 'media.renditions'])
      .where('post_media.post_id', 'in', ids).where('media.kind', '=', 'image').orderBy('post_media.position').execute(),
  ]);
  const images = new Map<string, NonNullable<FeedItem['image']>>();
  for (const m of media) {
    if (images.has(m.post_id)) continue;
    const web = storedRenditionsOf(m).web;
    images.set(m.post_id, web
      ? { url: `${base}${MEDIA_FILES_PATH}${web.key}`, mime: web.mime, bytes: web.bytes, alt: m.alt }
      : { url: `${base}${MEDIA_FILES_PATH}${m.storage_key}`, mime: m.mime, bytes: Number(m.bytes), alt: m.alt });
  }
  return { extra: new Map(rows.map((r) => [r.post_id, r])), images };
}

/** The feed of a scope: its latest live articles, newest first; undefined for an unknown rubric or unit. */
export async function loadFeed(db: Kysely<DB>, config: Pick<Config, 'publicUrl' | 'host' | 'port'>, scope: FeedScope, now = new Date()): Promise<Feed | undefined> {
  const resolved = await resolveScope(db, scope);
  if (!resolved) return undefined;
  const base = portalBase(config);
  const [siteName, page, changedAt] = await Promise.all([
    portalSiteName(db),
    listArticles(db, { ...resolved.filter, pageSize: FEED_SIZE }, now),
    portalChangedAt(db, now),
  ]);
  const { extra, images } = await extras(db, page.items, base);
  const items = page.items.map((card): FeedItem => {
    const more = extra.get(card.postId);
    const corrected = more?.corrected_at ? new Date(more.corrected_at) : null;
    return {
      url: base + portalPaths.article(card.slug),
      title: card.title,
      summary: card.lead,
      contentHtml: more?.body_html ?? '',
      publishedAt: card.publishedAt,
      modifiedAt: corrected && corrected > card.publishedAt ? corrected : card.publishedAt,
      unitName: card.unit.name,
      rubric: card.rubric,
      tags: more?.tags ?? [],
      urgent: card.urgent,
      image: images.get(card.postId) ?? null,
      shareImageUrl: base + portalPaths.shareImage(card.slug),
    };
  });
  return {
    scope,
    title: resolved.name ? `${resolved.name} — ${siteName}` : siteName,
    description: resolved.name ? `Berita terbaru dari ${resolved.name}` : `Berita terbaru dari ${siteName}`,
    siteName,
    pageUrl: base + resolved.pagePath,
    base,
    items,
    updatedAt: changedAt,
  };
}

export interface SitemapArticle {
  url: string;
  title: string;
  publishedAt: Date;
  modifiedAt: Date;
}

/**
 * Live articles for the sitemaps, newest first (articles_live_idx), at most `limit`; only those
 * published after `since` when given (the news sitemap's two days).
 */
export async function sitemapArticles(db: Kysely<DB>, base: string, limit: number, now = new Date(), since?: Date): Promise<SitemapArticle[]> {
  if (limit <= 0) return [];
  let q = db.selectFrom('articles').select(['slug', 'title', 'published_at', 'corrected_at'])
    .where('live', '=', true).where('withdrawn_at', 'is', null).where('published_at', '<=', now);
  if (since) q = q.where('published_at', '>', since);
  const rows = await q.orderBy('published_at', 'desc').orderBy('post_id').limit(limit).execute();
  return rows.map((r) => {
    const publishedAt = new Date(r.published_at!);
    const corrected = r.corrected_at ? new Date(r.corrected_at) : null;
    return { url: base + portalPaths.article(r.slug), title: r.title, publishedAt, modifiedAt: corrected && corrected > publishedAt ? corrected : publishedAt };
  });
}

/** The listing pages worth crawling: rubrics in use and units, by address. */
export async function sitemapSections(db: Kysely<DB>, base: string): Promise<string[]> {
  const [rubrics, units] = await Promise.all([
    db.selectFrom('rubrics').select('slug').where('archived', '=', false).orderBy('position').orderBy('name').execute(),
    db.selectFrom('units').select('slug').orderBy(sql`parent_id is not null`).orderBy('name').execute(),
  ]);
  return [...rubrics.map((r) => base + portalPaths.rubric(r.slug)), ...units.map((u) => base + portalPaths.unit(u.slug))];
}
