/** Lists of articles: a rubric, a tag, a unit (with the units below it); and the not-found page. */
import type { ArticleCard, Page } from '../queries.ts';
import { portalPaths } from '../urls.ts';
import { html, type SafeHtml } from './html.ts';
import { layout, type Site } from './layout.ts';
import { DEFAULT_SHARE_IMAGE, governmentOrganizationLd } from './meta.ts';
import { card, pageHref, pagination } from './parts.ts';

export interface ListInput {
  /** The heading, e.g. the rubric's name. */
  heading: string;
  /** What the list is, in the title: "Rubrik Kinerja". */
  title: string;
  description: string;
  /** The path of page 1. */
  path: string;
  intro?: SafeHtml | undefined;
  rubricSlug?: string | undefined;
  jsonLd?: readonly object[] | undefined;
  empty: string;
}

export function listPage(site: Site, now: Date, input: ListInput, page: Page<ArticleCard>): string {
  const hrefOf = (n: number) => pageHref(input.path, n);
  const numbered = page.page > 1 ? ` (halaman ${page.page})` : '';
  const main = html`<header class="daftar-kepala">
<h1>${input.heading}</h1>
${input.intro ?? ''}
<p class="jumlah">${page.total} berita${page.pages > 1 ? html` · Halaman ${page.page} dari ${page.pages}` : ''}</p>
</header>
${page.items.length > 0
    ? html`<div class="daftar">
${page.items.map((item, i) => card(site, item, now, { level: 2, image: true, eager: i === 0 }))}</div>
${pagination(page.page, page.pages, hrefOf)}`
    : html`<p class="kosong">${input.empty}</p>`}`;
  return layout({
    site,
    main,
    rubricSlug: input.rubricSlug,
    meta: {
      title: `${input.title}${numbered} | ${site.shortName ?? site.name}`,
      description: input.description,
      canonical: site.base + hrefOf(page.page),
      siteName: site.name,
      type: 'website',
      image: site.base + DEFAULT_SHARE_IMAGE,
      imageAlt: site.name,
      prev: page.page > 1 ? site.base + hrefOf(page.page - 1) : undefined,
      next: page.page < page.pages ? site.base + hrefOf(page.page + 1) : undefined,
      jsonLd: input.jsonLd,
    },
  });
}

const KIND_NAMES: Record<string, string> = {
  province: 'Pemerintah provinsi',
  regency: 'Pemerintah kabupaten',
  city: 'Pemerintah kota',
  agency: 'Perangkat daerah',
  bureau: 'Biro atau bagian',
};

export interface UnitInfo {
  name: string;
  shortName: string | null;
  slug: string;
  kind: string;
  logoUrl: string | null;
  contact: Record<string, string | null>;
}

export function unitPage(site: Site, now: Date, unit: UnitInfo, page: Page<ArticleCard>): string {
  const c = unit.contact;
  const intro = html`<p class="unit-jenis">${KIND_NAMES[unit.kind] ?? unit.kind}</p>
${c.address || c.phone || c.email || c.website ? html`<address class="unit-kontak">
${c.address ? html`${c.address}<br>\n` : ''}${c.phone ? html`Telepon: ${c.phone}<br>\n` : ''}${c.email ? html`Surel: <a href="mailto:${c.email}">${c.email}</a><br>\n` : ''}${c.website ? html`Situs: <a href="${c.website}">${c.website.replace(/^https?:\/\//, '')}</a>\n` : ''}</address>` : ''}
<p>Berita dari ${unit.shortName ?? unit.name} dan unit di bawahnya.</p>`;
  return listPage(site, now, {
    heading: unit.name,
    title: unit.name,
    description: `Berita resmi dari ${unit.name}.`,
    path: portalPaths.unit(unit.slug),
    intro,
    empty: 'Unit ini belum menerbitkan berita.',
    jsonLd: [governmentOrganizationLd({
      name: unit.name, url: site.base + portalPaths.unit(unit.slug), logoUrl: unit.logoUrl,
      email: c.email, phone: c.phone, address: c.address, website: c.website,
      parentName: unit.kind === 'province' ? null : site.name,
    })],
  }, page);
}

export function notFoundPage(site: Site, path: string): string {
  const main = html`<section class="pesan-halaman">
<h1>Halaman tidak ditemukan</h1>
<p>Alamat yang Anda buka tidak ada atau sudah berubah. Coba cari beritanya:</p>
<form class="cari-besar" role="search" action="${portalPaths.search()}" method="get">
<label for="cari-404">Kata yang dicari</label>
<input id="cari-404" type="search" name="q" maxlength="200">
<button type="submit">Cari</button>
</form>
<h2>Atau buka</h2>
<ul>
<li><a href="${portalPaths.home()}">Beranda</a></li>
${site.rubrics.map((r) => html`<li><a href="${portalPaths.rubric(r.slug)}">Rubrik ${r.name}</a></li>\n`)}</ul>
</section>`;
  return layout({
    site,
    main,
    meta: {
      title: `Halaman tidak ditemukan | ${site.shortName ?? site.name}`,
      description: 'Halaman tidak ditemukan.',
      canonical: site.base + path,
      siteName: site.name,
      type: 'website',
      image: site.base + DEFAULT_SHARE_IMAGE,
      imageAlt: site.name,
      noindex: true,
    },
  });
}
