/** The home page: a pinned serta-merta banner, the headline, the latest, then a section per rubric. */
import type { ArticleCard, ArticlePage } from '../queries.ts';
import { portalPaths } from '../urls.ts';
import { html, type SafeHtml } from './html.ts';
import { layout, type Site } from './layout.ts';
import { DEFAULT_SHARE_IMAGE, governmentOrganizationLd } from './meta.ts';
import { card, timeTag } from './parts.ts';

export interface HomeData {
  sertaMerta: readonly ArticlePage[];
  latest: readonly ArticleCard[];
  rubrics: readonly { slug: string; name: string; items: readonly ArticleCard[] }[];
}

const SERTA_MERTA_LABELS: [key: string, label: string][] = [
  ['what', 'Apa yang terjadi'],
  ['areas', 'Wilayah'],
  ['actions', 'Yang perlu dilakukan'],
  ['help', 'Bantuan'],
  ['contact', 'Kontak'],
];

/** The facts of a serta-merta article as a list (the home banner and the article itself). */
export function sertaMertaFacts(facts: Record<string, string>): SafeHtml {
  return html`<dl class="darurat-fakta">
${SERTA_MERTA_LABELS.filter(([key]) => (facts[key] ?? '').trim() !== '').map(([key, label]) => html`<div><dt>${label}</dt><dd>${facts[key]}</dd></div>\n`)}</dl>`;
}

function sertaMertaBanner(items: readonly ArticlePage[], now: Date): SafeHtml {
  if (items.length === 0) return html``;
  return html`<section class="darurat" aria-labelledby="darurat-judul">
<h2 id="darurat-judul">Informasi serta-merta</h2>
${items.map((item) => html`<article class="darurat-butir">
<h3><a href="${portalPaths.article(item.slug)}">${item.title}</a></h3>
<p class="kartu-info">${item.unit.shortName ?? item.unit.name} · ${timeTag(item.publishedAt, now)}</p>
${item.sertaMerta ? sertaMertaFacts(item.sertaMerta) : ''}
<p><a href="${portalPaths.article(item.slug)}">Baca selengkapnya<span class="sr"> tentang ${item.title}</span></a></p>
</article>
`)}</section>
`;
}

export function homePage(site: Site, now: Date, data: HomeData): string {
  const [headline, ...latest] = data.latest;
  const org = { name: site.name, url: `${site.base}/`, logoUrl: site.home.logoUrl, email: site.home.email, phone: site.home.phone, address: site.home.address, website: site.home.website };
  const main = html`<h1 class="sr">${site.name}: berita terkini</h1>
${sertaMertaBanner(data.sertaMerta, now)}${headline
    ? html`<section class="utama" aria-label="Berita utama">
${card(site, headline, now, { level: 2, image: true, eager: true })}</section>
${latest.length > 0 ? html`<section aria-labelledby="terbaru">
<h2 id="terbaru" class="bagian-judul">Terbaru</h2>
<div class="daftar">
${latest.map((item) => card(site, item, now, { level: 3 }))}</div>
</section>
` : ''}${data.rubrics.map((rubric) => html`<section aria-labelledby="rubrik-${rubric.slug}">
<h2 id="rubrik-${rubric.slug}" class="bagian-judul"><a href="${portalPaths.rubric(rubric.slug)}">${rubric.name}</a></h2>
<div class="daftar">
${rubric.items.map((item) => card(site, item, now, { level: 3 }))}</div>
<p class="lihat-semua"><a href="${portalPaths.rubric(rubric.slug)}">Semua berita ${rubric.name}</a></p>
</section>
`)}`
    : html`<p class="kosong">Belum ada berita yang terbit.</p>`}`;
  return layout({
    site,
    main,
    meta: {
      title: site.name,
      description: `Berita resmi ${site.name}: kegiatan, kinerja, regulasi, pengumuman dan informasi serta-merta.`,
      canonical: `${site.base}/`,
      siteName: site.name,
      type: 'website',
      image: site.base + DEFAULT_SHARE_IMAGE,
      imageAlt: site.name,
      jsonLd: [governmentOrganizationLd(org)],
    },
  });
}
