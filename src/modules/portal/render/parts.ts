/** Pieces shared by the portal's pages: the time, the rubric label, an article card, page links. */
import type { ArticleCard } from '../queries.ts';
import { fullDateTime, relativeTime } from '../time.ts';
import { portalPaths } from '../urls.ts';
import { html, type SafeHtml } from './html.ts';
import { rubricColour } from '../share/rubric-colour.ts';
import type { Site } from './layout.ts';

/** "3 jam lalu", with the exact time in WITA on hover and for machines. */
export function timeTag(at: Date, now: Date): SafeHtml {
  return html`<time datetime="${at.toISOString()}" title="${fullDateTime(at)}">${relativeTime(at, now)}</time>`;
}

export function rubricLabel(rubric: { slug: string; name: string } | null): SafeHtml {
  if (!rubric) return html``;
  // The same colour as on the article's share image.
  return html`<a class="label-rubrik" style="background:${rubricColour(rubric.slug)}" href="${portalPaths.rubric(rubric.slug)}">${rubric.name}</a>`;
}

export function unitName(unit: { name: string; shortName: string | null }): string {
  return unit.shortName ?? unit.name;
}

export interface CardOptions {
  /** The heading level of the card's title within the page. */
  level: 2 | 3;
  image?: boolean;
  /** Load the image at once (the first one on screen); later ones load lazily. */
  eager?: boolean;
  /** A passage to show instead of the lead (search results: already safe markup). */
  snippet?: SafeHtml | undefined;
}

export function card(site: Site, article: ArticleCard, now: Date, options: CardOptions): SafeHtml {
  const href = portalPaths.article(article.slug);
  const image = options.image && article.image
    ? html`<img class="kartu-gambar" src="${site.filesBase + (article.image.thumbnailKey ?? article.image.storageKey)}" alt="${article.image.alt}"${article.image.width && article.image.height ? html` width="${article.image.width}" height="${article.image.height}"` : ''}${options.eager ? html` fetchpriority="high"` : html` loading="lazy"`} decoding="async">`
    : '';
  const title = html`<a href="${href}">${article.title}</a>`;
  return html`<article class="kartu${article.urgent ? ' kartu-darurat' : ''}">
${image}<div class="kartu-isi">
${rubricLabel(article.rubric)}${article.urgent ? html` <span class="label-darurat">Serta-merta</span>` : ''}
${options.level === 2 ? html`<h2 class="kartu-judul">${title}</h2>` : html`<h3 class="kartu-judul">${title}</h3>`}
${options.snippet ? html`<p class="kartu-kutipan">${options.snippet}</p>` : article.lead ? html`<p class="kartu-ringkas">${article.lead}</p>` : ''}
<p class="kartu-info"><a href="${portalPaths.unit(article.unit.slug)}">${unitName(article.unit)}</a> · ${timeTag(article.publishedAt, now)}</p>
</div>
</article>
`;
}

/** "?halaman=N" on a path that may already carry a query. */
export function pageHref(path: string, page: number, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, value);
  if (page > 1) params.set('halaman', String(page));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export function pagination(page: number, pages: number, hrefOf: (page: number) => string): SafeHtml {
  if (pages <= 1) return html``;
  return html`<nav class="halaman" aria-label="Halaman">
${page > 1 ? html`<a rel="prev" href="${hrefOf(page - 1)}">← Sebelumnya</a>` : ''}
<span aria-current="page">Halaman ${page} dari ${pages}</span>
${page < pages ? html`<a rel="next" href="${hrefOf(page + 1)}">Berikutnya →</a>` : ''}
</nav>`;
}
