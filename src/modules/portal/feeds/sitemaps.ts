/**
 * What search engines read: `sitemap.xml` (the home page, rubric and unit pages, then live
 * articles newest first, within the protocol's 50,000 addresses per file), `sitemap-news.xml`
 * (Google News: articles of the last two days, at most 1,000) and `robots.txt` (everything but the
 * admin app and the API, pointing at both sitemaps).
 */
import { rfc3339, xmlEscape } from './xml.ts';
import type { SitemapArticle } from './feed-data.ts';

/** The sitemap protocol's limit of addresses in one file. */
export const SITEMAP_MAX_URLS = 50_000;
/** Google News reads at most this many articles from one news sitemap. */
export const NEWS_SITEMAP_MAX = 1000;
/** …published within this long. */
export const NEWS_WINDOW_MS = 2 * 24 * 3600_000;

export const SITEMAP_PATH = '/sitemap.xml';
export const NEWS_SITEMAP_PATH = '/sitemap-news.xml';

export interface SitemapEntry {
  url: string;
  lastModified?: Date;
}

export function sitemapXml(entries: readonly SitemapEntry[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
  for (const entry of entries.slice(0, SITEMAP_MAX_URLS)) {
    out.push(`<url><loc>${xmlEscape(entry.url)}</loc>${entry.lastModified ? `<lastmod>${rfc3339(entry.lastModified)}</lastmod>` : ''}</url>`);
  }
  out.push('</urlset>', '');
  return out.join('\n');
}

export function newsSitemapXml(siteName: string, articles: readonly SitemapArticle[]): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
  ];
  for (const article of articles.slice(0, NEWS_SITEMAP_MAX)) {
    out.push(
      '<url>',
      `<loc>${xmlEscape(article.url)}</loc>`,
      '<news:news>',
      `<news:publication><news:name>${xmlEscape(siteName)}</news:name><news:language>id</news:language></news:publication>`,
      `<news:publication_date>${rfc3339(article.publishedAt)}</news:publication_date>`,
      `<news:title>${xmlEscape(article.title)}</news:title>`,
      '</news:news>',
      '</url>',
    );
  }
  out.push('</urlset>', '');
  return out.join('\n');
}

export function robotsTxt(base: string): string {
  return [
    'User-agent: *',
    'Allow: /',
    'Disallow: /admin/',
    'Disallow: /api/',
    '',
    `Sitemap: ${base}${SITEMAP_PATH}`,
    `Sitemap: ${base}${NEWS_SITEMAP_PATH}`,
    '',
  ].join('\n');
}
