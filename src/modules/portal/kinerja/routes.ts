/**
 * The public kinerja pages at `/kinerja` (units with data and their years), `/kinerja/:unit`
 * (to the latest year), `/kinerja/:unit/:year` (the dashboard) and the data as
 * `/kinerja/:unit/:year.csv` and `.json`. Everything goes through a render cache of the portal's
 * kind (cache.ts), emptied on NOTIFY 'siar_portal' — which kinerja's saves, imports and settings
 * send in their transactions — so a change is on the next page served. Unknown unit or year:
 * the portal's 404 page.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../../http/types.ts';
import type { Services } from '../../../services.ts';
import { PORTAL_CHANNEL } from '../articles.ts';
import { notModified, RenderCache, type CachedPage, type RenderedPage } from '../cache.ts';
import { loadPortalSite, PAGE_CACHE_CONTROL, portalNotFound } from '../routes.ts';
import { unitBySlug, unitsWithKinerja, unitYear } from './data.ts';
import { kinerjaCsv, kinerjaJson } from './downloads.ts';
import { indexPage, kinerjaPaths, unitYearPage } from './render.ts';

const css = readFileSync(new URL('./kinerja.css', import.meta.url), 'utf8');
export const kinerjaStylesheetPath = `/aset/kinerja.${createHash('sha256').update(css).digest('hex').slice(0, 12)}.css`;

/** The data downloads: readable by any site's scripts (open data), cached like pages. */
const DOWNLOAD_HEADERS = { 'access-control-allow-origin': '*' };

const loadSite = loadPortalSite;

function send(request: FastifyRequest, reply: FastifyReply, page: CachedPage, headers: Record<string, string> = {}): FastifyReply {
  void reply.headers(headers).header('cache-control', PAGE_CACHE_CONTROL).header('etag', page.etag).header('last-modified', page.lastModified.toUTCString());
  if (notModified(request.headers as Record<string, string | undefined>, page)) return reply.status(304).send();
  return reply.status(page.status).type(page.contentType).send(page.body);
}

const NOT_FOUND = Symbol('not found');

export async function kinerjaPortalRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db, config } = services;
  const cache = new RenderCache({ enabled: config.portalCache === 'on' });
  const stopHearing = await services.notifications?.hear(PORTAL_CHANNEL, () => cache.clear());
  app.addHook('onClose', async () => stopHearing?.());
  const notFound = portalNotFound(services);
  const hide = { schema: { hide: true } };

  /** A cached answer for the path; a render that finds nothing answers the portal's 404 page (not cached). */
  async function cached(request: FastifyRequest, reply: FastifyReply, render: () => Promise<RenderedPage | typeof NOT_FOUND>, headers: Record<string, string> = {}) {
    const key = request.url.split('?')[0]!;
    let missing = false;
    const page = await cache.get(key, async () => {
      const rendered = await render();
      if (rendered !== NOT_FOUND) return rendered;
      missing = true;
      return { status: 404, body: '' };
    });
    if (missing || page.status === 404) return notFound(request, reply);
    return send(request, reply, page, headers);
  }

  app.get(kinerjaStylesheetPath, hide, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=31536000, immutable').type('text/css; charset=utf-8').send(css));

  app.get(kinerjaPaths.index(), hide, async (request, reply) => cached(request, reply, async () => {
    const [site, units] = await Promise.all([loadSite(services), unitsWithKinerja(db)]);
    return { status: 200, body: indexPage(site, units, kinerjaStylesheetPath) };
  }));

  app.get('/kinerja/:unitSlug', hide, async (request, reply) => {
    const { unitSlug } = request.params as { unitSlug: string };
    const unit = await unitBySlug(db, unitSlug);
    const latest = unit ? (await unitsWithKinerja(db)).find((u) => u.id === unit.id)?.years[0] : undefined;
    if (!unit || latest === undefined) return notFound(request, reply);
    return reply.header('cache-control', 'no-cache').redirect(kinerjaPaths.year(unit.slug, latest), 302);
  });

  app.get('/kinerja/:unitSlug/:file', hide, async (request, reply) => {
    const { unitSlug, file } = request.params as { unitSlug: string; file: string };
    const match = /^(\d{4})(?:\.(csv|json))?$/.exec(file);
    if (!match) return notFound(request, reply);
    const year = Number(match[1]);
    const format = match[2] as 'csv' | 'json' | undefined;
    const filename = `kinerja-${unitSlug}-${year}.${format}`;
    const headers: Record<string, string> = format ? { ...DOWNLOAD_HEADERS, 'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"` } : {};
    return cached(request, reply, async () => {
      const unit = await unitBySlug(db, unitSlug);
      const data = unit ? await unitYear(db, unit, year) : undefined;
      if (!unit || !data) return NOT_FOUND;
      const site = await loadSite(services);
      if (format === 'csv') return { status: 200, body: kinerjaCsv(data), contentType: 'text/csv; charset=utf-8; header=present' };
      if (format === 'json') {
        const body = kinerjaJson(data, {
          pageUrl: site.base + kinerjaPaths.year(unit.slug, year),
          csvUrl: site.base + kinerjaPaths.csv(unit.slug, year),
          jsonUrl: site.base + kinerjaPaths.json(unit.slug, year),
          siteName: site.name,
          generatedAt: new Date(),
        });
        return { status: 200, body, contentType: 'application/json; charset=utf-8' };
      }
      return { status: 200, body: unitYearPage(site, data, kinerjaStylesheetPath) };
    }, headers);
  });
}
