/**
 * The frame of every portal page: language, skip link, header (site name, rubric navigation,
 * search), main, and the footer with the province's contact and the feeds. One small stylesheet
 * from this server; no script, font or anything else from anywhere.
 */
import { portalPaths } from '../urls.ts';
import { html, type SafeHtml } from './html.ts';
import { metaTags, type PageMeta } from './meta.ts';

export interface Site {
  /** The top unit's name, e.g. "Pemerintah Provinsi Kalimantan Timur". */
  name: string;
  shortName: string | null;
  /** The portal's absolute base, without a trailing slash. */
  base: string;
  home: { slug: string; email: string | null; phone: string | null; address: string | null; website: string | null; logoUrl: string | null };
  rubrics: readonly { slug: string; name: string }[];
  /** The stylesheet's cache-busted path. */
  css: string;
  /** Where media files are (mediaFilesBase). */
  filesBase: string;
}

export interface LayoutInput {
  site: Site;
  meta: PageMeta;
  main: SafeHtml;
  /** The rubric the page belongs to (marked in the navigation). */
  rubricSlug?: string | undefined;
  /** What the search box shows. */
  query?: string | undefined;
}

export function layout({ site, meta, main, rubricSlug, query }: LayoutInput): string {
  const home = site.home;
  return `<!doctype html>\n${html`<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${meta.title}</title>
${metaTags(meta)}<link rel="stylesheet" href="${site.css}">
<link rel="alternate" type="application/rss+xml" title="${site.name} (RSS)" href="/feed.xml">
<link rel="alternate" type="application/atom+xml" title="${site.name} (Atom)" href="/atom.xml">
<link rel="alternate" type="application/feed+json" title="${site.name} (JSON Feed)" href="/feed.json">
</head>
<body>
<a class="lewati" href="#isi">Langsung ke isi utama</a>
<header class="kepala">
<div class="wadah kepala-atas">
<a class="situs" href="${portalPaths.home()}">${site.name}</a>
<form class="cari-kepala" role="search" action="${portalPaths.search()}" method="get">
<label for="cari-kepala-q">Cari berita</label>
<input id="cari-kepala-q" type="search" name="q" value="${query ?? ''}" maxlength="200" autocomplete="off">
<button type="submit">Cari</button>
</form>
</div>
<nav class="rubrik-nav" aria-label="Rubrik">
<ul class="wadah">
<li><a href="${portalPaths.home()}"${rubricSlug === undefined && meta.canonical === site.base + '/' ? html` aria-current="page"` : ''}>Beranda</a></li>
${site.rubrics.map((r) => html`<li><a href="${portalPaths.rubric(r.slug)}"${r.slug === rubricSlug ? html` aria-current="page"` : ''}>${r.name}</a></li>\n`)}<li><a href="/regulasi"${meta.canonical.startsWith(`${site.base}/regulasi`) ? html` aria-current="${meta.canonical.startsWith(`${site.base}/regulasi/`) ? 'true' : 'page'}"` : ''}>Daftar Regulasi</a></li>
<li><a href="/kinerja"${meta.canonical.startsWith(`${site.base}/kinerja`) ? html` aria-current="${meta.canonical === `${site.base}/kinerja` ? 'page' : 'true'}"` : ''}>Data Kinerja</a></li>
</ul>
</nav>
</header>
<main id="isi" tabindex="-1" class="wadah">
${main}
</main>
<footer class="kaki">
<div class="wadah kaki-isi">
<section aria-labelledby="kaki-kontak">
<h2 id="kaki-kontak">${site.name}</h2>
<address>
${home.address ? html`${home.address}<br>\n` : ''}${home.phone ? html`Telepon: <a href="tel:${home.phone.replace(/[^\d+]/g, '')}">${home.phone}</a><br>\n` : ''}${home.email ? html`Surel: <a href="mailto:${home.email}">${home.email}</a><br>\n` : ''}${home.website ? html`Situs: <a href="${home.website}">${home.website.replace(/^https?:\/\//, '')}</a>\n` : ''}</address>
<p><a href="${portalPaths.unit(home.slug)}">Semua unit dan perangkat daerah</a></p>
</section>
<section aria-labelledby="kaki-ikuti">
<h2 id="kaki-ikuti">Ikuti berita</h2>
<ul>
<li><a href="/feed.xml">RSS</a></li>
<li><a href="/atom.xml">Atom</a></li>
<li><a href="/feed.json">JSON Feed</a></li>
</ul>
</section>
</div>
</footer>
</body>
</html>
`.value}`;
}
