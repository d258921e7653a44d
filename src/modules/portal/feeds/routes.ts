/**
 * Feeds, sitemaps and robots.txt at the portal's root. Each answer carries an ETag (a digest of
 * the body) and Last-Modified (when the portal's content last changed, or an article went live)
 * and answers 304 to a reader who already has it. Feeds may be read by scripts on other sites
 * (CORS `*`, nothing private in them).
 */
import { z } from 'zod';
import { AppError } from '../../../errors/errors.ts';
import type { App } from '../../../http/types.ts';
import type { Services } from '../../../services.ts';
import { portalSiteName } from '../share/site.ts';
import { portalBase } from '../urls.ts';
import { FEED_FILES, loadFeed, portalChangedAt, sitemapArticles, sitemapSections, type FeedFormat, type FeedScope } from './feed-data.ts';
import { sendCacheable } from './http-cache.ts';
import { FEED_TYPES, renderFeed } from './render-feeds.ts';
import { NEWS_SITEMAP_MAX, NEWS_SITEMAP_PATH, NEWS_WINDOW_MS, SITEMAP_MAX_URLS, SITEMAP_PATH, newsSitemapXml, robotsTxt, sitemapXml } from './sitemaps.ts';

const FEED_CACHE = 'public, max-age=300';
const slugParams = z.object({ slug: z.string().max(200) });

export async function feedRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db, config } = services;

  for (const [format, file] of Object.entries(FEED_FILES) as [FeedFormat, string][]) {
    const serve = async (scope: FeedScope, request: Parameters<typeof sendCacheable>[0], reply: Parameters<typeof sendCacheable>[1]) => {
      const feed = await loadFeed(db, config, scope);
      if (!feed) throw new AppError('not_found');
      void reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
      return sendCacheable(request, reply, { body: renderFeed(feed, format), type: FEED_TYPES[format], cacheControl: FEED_CACHE, lastModified: feed.updatedAt });
    };
    app.get(`/${file}`, { config: { auth: 'none' }, schema: { hide: true } }, (request, reply) => serve({ kind: 'site' }, request, reply));
    app.get(`/rubrik/:slug/${file}`, { config: { auth: 'none' }, schema: { hide: true, params: slugParams } },
      (request, reply) => serve({ kind: 'rubric', slug: request.params.slug }, request, reply));
    app.get(`/unit/:slug/${file}`, { config: { auth: 'none' }, schema: { hide: true, params: slugParams } },
      (request, reply) => serve({ kind: 'unit', slug: request.params.slug }, request, reply));
  }

  app.get(SITEMAP_PATH, { config: { auth: 'none' }, schema: { hide: true } }, async (request, reply) => {
    const base = portalBase(config);
    const now = new Date();
    const [changedAt, sections] = await Promise.all([portalChangedAt(db, now), sitemapSections(db, base)]);
    const pages = [{ url: `${base}/`, lastModified: changedAt }, ...sections.map((url) => ({ url }))].slice(0, SITEMAP_MAX_URLS);
    const articles = await sitemapArticles(db, base, SITEMAP_MAX_URLS - pages.length, now);
    const body = sitemapXml([...pages, ...articles.map((a) => ({ url: a.url, lastModified: a.modifiedAt }))]);
    return sendCacheable(request, reply, { body, type: 'application/xml; charset=utf-8', cacheControl: 'public, max-age=3600', lastModified: changedAt });
  });

  app.get(NEWS_SITEMAP_PATH, { config: { auth: 'none' }, schema: { hide: true } }, async (request, reply) => {
    const now = new Date();
    const [siteName, articles] = await Promise.all([
      portalSiteName(db),
      sitemapArticles(db, portalBase(config), NEWS_SITEMAP_MAX, now, new Date(now.getTime() - NEWS_WINDOW_MS)),
    ]);
    // ETag only: articles leave this list as they age, which no modification time records.
    return sendCacheable(request, reply, { body: newsSitemapXml(siteName, articles), type: 'application/xml; charset=utf-8', cacheControl: 'public, max-age=600' });
  });

  app.get('/robots.txt', { config: { auth: 'none' }, schema: { hide: true } }, async (request, reply) =>
    sendCacheable(request, reply, { body: robotsTxt(portalBase(config)), type: 'text/plain; charset=utf-8', cacheControl: 'public, max-age=86400' }));
}
