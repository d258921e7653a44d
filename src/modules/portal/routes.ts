/**
 * The portal's pages at the site's root: home, articles, rubric, tag and unit lists, search, the
 * stylesheet, and the not-found page for any portal address a browser asks for. Pages go through
 * the render cache (cache.ts), which NOTIFY 'siar_portal' empties in every process; search is
 * rendered for each request and not stored by anyone (`no-store`: the words are the reader's own).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http/types.ts';
import { mediaFilesBase } from '../media/presenters.ts';
import type { Services } from '../../services.ts';
import { PORTAL_CHANNEL } from './articles.ts';
import { notModified, pageOf, RenderCache, type CachedPage, type RenderedPage } from './cache.ts';
import {
  activeSertaMerta, articleBySlug, cleanQuery, homeSections, listArticles, nextGoingLive, relatedArticles, searchArticles, unitWithBelow,
  type ArticleCard, type Page,
} from './queries.ts';
import { articlePage, withdrawnPage } from './render/article.ts';
import { homePage } from './render/home.ts';
import type { Site } from './render/layout.ts';
import { listPage, notFoundPage, unitPage } from './render/lists.ts';
import { searchPage, type SearchView } from './render/search.ts';
import { startOfWitaDay } from './time.ts';
import { portalBase } from './urls.ts';

export const PAGE_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=600';
const SEARCH_CACHE_CONTROL = 'no-store';
const NOT_FOUND_CACHE_CONTROL = 'no-cache';

const css = readFileSync(new URL('./render/portal.css', import.meta.url), 'utf8');
const cssName = `portal.${createHash('sha256').update(css).digest('hex').slice(0, 12)}.css`;
export const stylesheetPath = `/aset/${cssName}`;

interface Portal {
  cache: RenderCache;
  site(): Promise<Site>;
}

const portals = new WeakMap<Services, Portal>();

/** Who the portal speaks as (the top unit's name and contact), its rubrics and assets: the frame of every page. */
export async function loadPortalSite(services: Pick<Services, 'db' | 'config'>): Promise<Site> {
  const { db, config } = services;
  const [top, rubrics] = await Promise.all([
    db.selectFrom('units').selectAll().where('parent_id', 'is', null).orderBy('created_at').limit(1).executeTakeFirst(),
    db.selectFrom('rubrics').select(['slug', 'name']).where('archived', '=', false).orderBy('position').orderBy('name').execute(),
  ]);
  return {
    name: top?.name ?? 'Portal Berita',
    shortName: top?.short_name ?? null,
    base: portalBase(config),
    home: {
      slug: top?.slug ?? '', email: top?.contact_email ?? null, phone: top?.contact_phone ?? null, address: top?.contact_address ?? null,
      website: top?.contact_website ?? null, logoUrl: top?.logo_url ?? null,
    },
    rubrics,
    css: stylesheetPath,
    filesBase: mediaFilesBase(config),
  };
}

/** One render cache and site loader per running Siar, shared by the routes and the not-found handler. */
function portalOf(services: Services): Portal {
  let portal = portals.get(services);
  if (portal) return portal;
  const { db, config } = services;
  portal = {
    cache: new RenderCache({ enabled: config.portalCache === 'on', nextChange: (now) => nextGoingLive(db, now) }),
    site: () => loadPortalSite(services),
  };
  portals.set(services, portal);
  return portal;
}

/** One value of a query parameter (the first when repeated), or undefined. */
export function param(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** ?halaman=N: 1 when absent; undefined when it is not a page number at all. */
export function pageNumber(query: unknown): number | undefined {
  const raw = param(query, 'halaman');
  if (raw === undefined || raw === '') return 1;
  if (!/^\d{1,5}$/.test(raw.trim())) return undefined;
  const n = Number(raw.trim());
  return n >= 1 ? n : undefined;
}

/** Answers with a rendered page: its cache headers, and 304 when the browser's copy is current. */
export function sendPage(request: FastifyRequest, reply: FastifyReply, page: CachedPage, cacheControl: string): FastifyReply {
  void reply.headers({ 'cache-control': cacheControl, etag: page.etag, 'last-modified': page.lastModifiedText });
  if (page.status < 300 && notModified(request.headers as Record<string, string | undefined>, page)) return reply.status(304).send();
  return reply.status(page.status).header('content-type', page.contentType).send(page.bytes);
}

const notFound = async (portal: Portal, path: string): Promise<RenderedPage> => ({ status: 404, body: notFoundPage(await portal.site(), path) });

/** A list page, or not found when the page number is junk or past the end (or, for a tag, when nothing carries it). */
async function listing(portal: Portal, path: string, query: unknown, load: (page: number) => Promise<Page<ArticleCard>>, render: (site: Site, page: Page<ArticleCard>) => string, emptyIsNotFound = false): Promise<RenderedPage> {
  const number = pageNumber(query);
  if (number === undefined) return notFound(portal, path);
  const [site, page] = await Promise.all([portal.site(), load(number)]);
  if (number > page.pages || (emptyIsNotFound && page.total === 0)) return { status: 404, body: notFoundPage(site, path) };
  return { status: 200, body: render(site, page) };
}

/** Whether a request that matched no route should get the portal's not-found page (a browser, outside /api and /admin). */
export function wantsPortalPage(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0]!;
  if (path === '/api' || path.startsWith('/api/') || path === '/admin' || path.startsWith('/admin/')) return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/** The not-found handler for portal addresses (server.ts routes browsers here). */
export function portalNotFound(services: Services): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const rendered = await notFound(portalOf(services), request.url.split('?')[0]!);
    return sendPage(request, reply, pageOf(rendered, Date.now()), NOT_FOUND_CACHE_CONTROL);
  };
}

/** The render cache's key of a page: its path and page number (see portalPageRoutes). */
export function pageKey(path: string, halaman: string | undefined): string {
  return `${path}${halaman === undefined ? '' : `?halaman=${halaman.slice(0, 20)}`}`;
}

/** This server's render cache (the front cache in server.ts answers kept pages from it). */
export function portalCacheOf(services: Services): RenderCache {
  return portalOf(services).cache;
}

export async function portalPageRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db } = services;
  const portal = portalOf(services);
  const { cache } = portal;
  const stopHearing = await services.notifications?.hear(PORTAL_CHANNEL, () => cache.clear());
  app.addHook('onClose', async () => stopHearing?.());

  // Keyed by the path and the page number only: other query parameters (UTM tags on shared links,
  // anything a visitor adds) change nothing on the page and must not fill the cache.
  // A kept page is answered synchronously (no promise on the hot path).
  const page = (render: (request: FastifyRequest) => Promise<RenderedPage>) => (request: FastifyRequest, reply: FastifyReply): FastifyReply | Promise<FastifyReply> => {
    const key = pageKey(request.url.split('?')[0]!, param(request.query, 'halaman'));
    const kept = cache.peek(key);
    if (kept) return sendPage(request, reply, kept, PAGE_CACHE_CONTROL);
    return cache.get(key, () => render(request)).then((rendered) => sendPage(request, reply, rendered, rendered.status === 404 ? NOT_FOUND_CACHE_CONTROL : PAGE_CACHE_CONTROL));
  };

  const hide = { schema: { hide: true } };

  app.get('/', hide, page(async () => {
    const now = new Date();
    const [site, sections, sertaMerta] = await Promise.all([portal.site(), homeSections(db, 4, now), activeSertaMerta(db, now)]);
    return { status: 200, body: homePage(site, now, { ...sections, sertaMerta }) };
  }));

  app.get('/berita/:slug', hide, page(async (request) => {
    const { slug } = request.params as { slug: string };
    const now = new Date();
    const article = await articleBySlug(db, slug, now);
    if (!article) return notFound(portal, request.url.split('?')[0]!);
    const site = await portal.site();
    if (!article.visible) return { status: 410, body: withdrawnPage(site, article) };
    return { status: 200, body: articlePage(site, now, article, await relatedArticles(db, article, 4, now)) };
  }));

  app.get('/rubrik/:slug', hide, page(async (request) => {
    const { slug } = request.params as { slug: string };
    const path = request.url.split('?')[0]!;
    const rubric = await db.selectFrom('rubrics').select(['slug', 'name', 'description']).where('slug', '=', slug).where('archived', '=', false).executeTakeFirst();
    if (!rubric) return notFound(portal, path);
    const now = new Date();
    return listing(portal, path, request.query, (n) => listArticles(db, { rubricSlug: rubric.slug, page: n }, now), (site, found) => listPage(site, now, {
      heading: rubric.name,
      title: `Rubrik ${rubric.name}`,
      description: rubric.description ?? `Berita rubrik ${rubric.name}.`,
      path: `/rubrik/${encodeURIComponent(rubric.slug)}`,
      rubricSlug: rubric.slug,
      empty: 'Belum ada berita di rubrik ini.',
    }, found));
  }));

  app.get('/tag/:tag', hide, page(async (request) => {
    const { tag } = request.params as { tag: string };
    const path = request.url.split('?')[0]!;
    const now = new Date();
    return listing(portal, path, request.query, (n) => listArticles(db, { tag, page: n }, now), (site, found) => listPage(site, now, {
      heading: `Tag: ${tag}`,
      title: `Tag ${tag}`,
      description: `Berita dengan tag ${tag}.`,
      path: `/tag/${encodeURIComponent(tag)}`,
      empty: 'Belum ada berita dengan tag ini.',
    }, found), true);
  }));

  app.get('/unit/:slug', hide, page(async (request) => {
    const { slug } = request.params as { slug: string };
    const path = request.url.split('?')[0]!;
    const found = await unitWithBelow(db, slug);
    if (!found) return notFound(portal, path);
    const now = new Date();
    return listing(portal, path, request.query, (n) => listArticles(db, { unitIds: found.ids, page: n }, now), (site, list) => unitPage(site, now, found.unit, list));
  }));

  app.get('/cari', hide, async (request, reply) => {
    const now = new Date();
    const rendered = pageOf({ status: 200, body: searchPage(await portal.site(), now, await search(services, request.query, now)) }, now.getTime());
    return sendPage(request, reply, rendered, SEARCH_CACHE_CONTROL);
  });

  app.get('/aset/:file', hide, async (request, reply) => {
    const { file } = request.params as { file: string };
    if (!/^portal\.[0-9a-f]{12}\.css$/.test(file)) return portalNotFound(services)(request, reply);
    // An older name (a page cached before an upgrade) gets today's sheet, but only briefly.
    const current = file === cssName;
    const sheet = pageOf({ status: 200, body: css, contentType: 'text/css; charset=utf-8' }, 0);
    return sendPage(request, reply, sheet, current ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
  });
}

/** Reads the search form leniently: what cannot be used is set aside with a note, never an error. */
async function search(services: Services, query: unknown, now: Date): Promise<SearchView> {
  const { db } = services;
  const form = {
    // Control characters (and so the snippet markers) never reach the page or the search.
    q: cleanQuery(param(query, 'q') ?? ''),
    rubrik: (param(query, 'rubrik') ?? '').slice(0, 100),
    unit: (param(query, 'unit') ?? '').slice(0, 200),
    dari: (param(query, 'dari') ?? '').slice(0, 20),
    sampai: (param(query, 'sampai') ?? '').slice(0, 20),
  };
  const notes: string[] = [];
  const units = await db.selectFrom('units').select(['slug', 'name']).orderBy('name').execute();
  let rubricSlug: string | undefined;
  if (form.rubrik !== '') {
    const rubric = await db.selectFrom('rubrics').select('slug').where('slug', '=', form.rubrik).where('archived', '=', false).executeTakeFirst();
    if (rubric) rubricSlug = rubric.slug;
    else {
      notes.push('Rubrik yang dipilih tidak dikenal; pencarian dilakukan di semua rubrik.');
      form.rubrik = '';
    }
  }
  let unitIds: string[] | undefined;
  if (form.unit !== '') {
    const unit = await unitWithBelow(db, form.unit);
    if (unit) unitIds = unit.ids;
    else {
      notes.push('Unit yang dipilih tidak dikenal; pencarian dilakukan di semua unit.');
      form.unit = '';
    }
  }
  const day = (value: string, label: string): Date | undefined => {
    if (value === '') return undefined;
    const start = startOfWitaDay(value);
    if (!start) notes.push(`Tanggal “${label}” tidak valid (gunakan format TTTT-BB-HH) dan diabaikan.`);
    return start;
  };
  let from = day(form.dari, 'dari');
  if (!from) form.dari = '';
  let toDay = day(form.sampai, 'sampai');
  if (!toDay) form.sampai = '';
  if (from && toDay && from > toDay) {
    notes.push('Tanggal “dari” sesudah tanggal “sampai”; keduanya ditukar.');
    [from, toDay] = [toDay, from];
    [form.dari, form.sampai] = [form.sampai, form.dari];
  }
  // "sampai" includes its whole day.
  const to = toDay ? new Date(toDay.getTime() + 86_400_000 - 1) : undefined;
  if (form.q === '') return { form, units, results: undefined, notes };
  const requested = pageNumber(query) ?? 1;
  const filter = { q: form.q, rubricSlug, unitIds, from, to };
  let results = await searchArticles(db, { ...filter, page: requested }, now);
  if (requested > 1 && results.items.length === 0) {
    // A page past the end (or past what is ranked) shows the last page there is.
    const first = await searchArticles(db, { ...filter, page: 1 }, now);
    results = first.pages > 1 ? await searchArticles(db, { ...filter, page: first.pages }, now) : first;
  }
  return { form: { ...form, q: form.q.slice(0, 200) }, units, results, notes };
}
