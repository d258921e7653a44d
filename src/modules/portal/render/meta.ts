/**
 * What a portal page says about itself in <head>: description, canonical address, Open Graph and
 * Twitter card tags (link previews on WhatsApp, Facebook, X, Telegram, LinkedIn), and JSON-LD
 * (NewsArticle on articles; GovernmentOrganization on the home and unit pages) for search engines.
 * Every value is escaped; JSON-LD is escaped for a <script> element.
 */
import { html, scriptJson, type SafeHtml } from './html.ts';

/** The image of pages that have none of their own (served by the share-image routes). */
export const DEFAULT_SHARE_IMAGE = '/gambar-bagikan.png';
export const SHARE_IMAGE_SIZE = { width: 1200, height: 630 } as const;

export interface OrganizationInfo {
  name: string;
  /** Absolute URL of the unit's page. */
  url: string;
  logoUrl?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  address?: string | null | undefined;
  website?: string | null | undefined;
  parentName?: string | null | undefined;
}

export interface PageMeta {
  title: string;
  description: string;
  /** Absolute. */
  canonical: string;
  siteName: string;
  type: 'website' | 'article';
  /** Absolute URL of the preview image. */
  image: string;
  imageAlt: string;
  article?: { publishedAt: Date; modifiedAt: Date; section?: string | undefined; tags: readonly string[] } | undefined;
  prev?: string | undefined;
  next?: string | undefined;
  /** Pages not worth indexing (search results, not found). */
  noindex?: boolean | undefined;
  jsonLd?: readonly object[] | undefined;
}

/** At most `max` characters, cut at a word, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, '')}…`;
}

export function metaTags(meta: PageMeta): SafeHtml {
  const description = clip(meta.description, 200);
  return html`<meta name="description" content="${description}">
<link rel="canonical" href="${meta.canonical}">
${meta.prev ? html`<link rel="prev" href="${meta.prev}">\n` : ''}${meta.next ? html`<link rel="next" href="${meta.next}">\n` : ''}${meta.noindex ? html`<meta name="robots" content="noindex, follow">\n` : ''}<meta property="og:site_name" content="${meta.siteName}">
<meta property="og:locale" content="id_ID">
<meta property="og:type" content="${meta.type}">
<meta property="og:title" content="${meta.title}">
<meta property="og:description" content="${description}">
<meta property="og:url" content="${meta.canonical}">
<meta property="og:image" content="${meta.image}">
<meta property="og:image:width" content="${SHARE_IMAGE_SIZE.width}">
<meta property="og:image:height" content="${SHARE_IMAGE_SIZE.height}">
<meta property="og:image:alt" content="${meta.imageAlt}">
${meta.article ? html`<meta property="article:published_time" content="${meta.article.publishedAt.toISOString()}">
<meta property="article:modified_time" content="${meta.article.modifiedAt.toISOString()}">
${meta.article.section ? html`<meta property="article:section" content="${meta.article.section}">\n` : ''}${meta.article.tags.map((tag) => html`<meta property="article:tag" content="${tag}">\n`)}` : ''}<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="${meta.title}">
<meta name="twitter:description" content="${description}">
<meta name="twitter:image" content="${meta.image}">
<meta name="twitter:image:alt" content="${meta.imageAlt}">
${(meta.jsonLd ?? []).map((item) => html`<script type="application/ld+json">${scriptJson(item)}</script>\n`)}`;
}

export function governmentOrganizationLd(org: OrganizationInfo): object {
  const sameAs = org.website && org.website !== org.url ? [org.website] : undefined;
  return {
    '@context': 'https://schema.org',
    '@type': 'GovernmentOrganization',
    name: org.name,
    url: org.url,
    ...(org.logoUrl ? { logo: org.logoUrl } : {}),
    ...(org.email ? { email: org.email } : {}),
    ...(org.phone ? { telephone: org.phone } : {}),
    ...(org.address ? { address: { '@type': 'PostalAddress', streetAddress: org.address, addressCountry: 'ID' } } : {}),
    ...(org.parentName ? { parentOrganization: { '@type': 'GovernmentOrganization', name: org.parentName } } : {}),
    ...(sameAs ? { sameAs } : {}),
  };
}

export interface NewsArticleInfo {
  title: string;
  description: string;
  canonical: string;
  image: string;
  publishedAt: Date;
  modifiedAt: Date;
  section?: string | undefined;
  tags: readonly string[];
  language: string;
  author: OrganizationInfo;
  publisher: OrganizationInfo;
}

export function newsArticleLd(article: NewsArticleInfo): object {
  const org = (o: OrganizationInfo) => ({ '@type': 'GovernmentOrganization', name: o.name, url: o.url, ...(o.logoUrl ? { logo: { '@type': 'ImageObject', url: o.logoUrl } } : {}) });
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    // Search engines show about 110 characters of a headline.
    headline: clip(article.title, 110),
    description: clip(article.description, 300),
    image: [article.image],
    datePublished: article.publishedAt.toISOString(),
    dateModified: article.modifiedAt.toISOString(),
    inLanguage: article.language,
    ...(article.section ? { articleSection: article.section } : {}),
    ...(article.tags.length > 0 ? { keywords: article.tags.join(', ') } : {}),
    author: org(article.author),
    publisher: org(article.publisher),
    mainEntityOfPage: { '@type': 'WebPage', '@id': article.canonical },
    url: article.canonical,
  };
}
