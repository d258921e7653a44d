/** The search page: the filters as a plain GET form, ranked results with highlighted passages, or help when nothing is found. */
import { SNIPPET_START, SNIPPET_STOP, type Page, type SearchHit } from '../queries.ts';
import { portalPaths } from '../urls.ts';
import { escapeHtml, html, trustedHtml, type SafeHtml } from './html.ts';
import { layout, type Site } from './layout.ts';
import { DEFAULT_SHARE_IMAGE } from './meta.ts';
import { card, pageHref, pagination } from './parts.ts';

export interface SearchForm {
  q: string;
  rubrik: string;
  unit: string;
  dari: string;
  sampai: string;
}

export interface SearchView {
  form: SearchForm;
  units: readonly { slug: string; name: string }[];
  /** Undefined when nothing was asked yet. */
  results: (Page<SearchHit> & { capped?: boolean }) | undefined;
  /** Parts of the request that were set aside, said to the reader ("Tanggal 'dari' tidak valid"). */
  notes: readonly string[];
}

/** The passage with matches marked: the text is escaped first, then the markers become <mark>. */
export function highlight(snippet: string): SafeHtml {
  const escaped = escapeHtml(snippet);
  const marked = escaped.replace(new RegExp(`${SNIPPET_START}([^${SNIPPET_START}${SNIPPET_STOP}]*)${SNIPPET_STOP}`, 'g'), '<mark>$1</mark>');
  return trustedHtml(marked.replace(new RegExp(`[${SNIPPET_START}${SNIPPET_STOP}]`, 'g'), ''));
}

function filters(site: Site, view: SearchView): SafeHtml {
  const f = view.form;
  return html`<form class="cari-saring" role="search" action="${portalPaths.search()}" method="get">
<div class="saring-q">
<label for="cari-q">Kata yang dicari</label>
<input id="cari-q" type="search" name="q" value="${f.q}" maxlength="200">
</div>
<div>
<label for="cari-rubrik">Rubrik</label>
<select id="cari-rubrik" name="rubrik">
<option value="">Semua rubrik</option>
${site.rubrics.map((r) => html`<option value="${r.slug}"${r.slug === f.rubrik ? html` selected` : ''}>${r.name}</option>\n`)}</select>
</div>
<div>
<label for="cari-unit">Unit</label>
<select id="cari-unit" name="unit">
<option value="">Semua unit</option>
${view.units.map((u) => html`<option value="${u.slug}"${u.slug === f.unit ? html` selected` : ''}>${u.name}</option>\n`)}</select>
</div>
<div>
<label for="cari-dari">Dari tanggal</label>
<input id="cari-dari" type="date" name="dari" value="${f.dari}">
</div>
<div>
<label for="cari-sampai">Sampai tanggal</label>
<input id="cari-sampai" type="date" name="sampai" value="${f.sampai}">
</div>
<div class="saring-tombol"><button type="submit">Cari</button></div>
</form>`;
}

function emptyState(site: Site, view: SearchView): SafeHtml {
  const filtered = view.form.rubrik !== '' || view.form.unit !== '' || view.form.dari !== '' || view.form.sampai !== '';
  return html`<div class="kosong">
<p><strong>Tidak ada berita yang cocok${view.form.q ? html` dengan “${view.form.q.slice(0, 100)}”` : ''}.</strong></p>
<p>Saran:</p>
<ul>
<li>Periksa ejaan kata yang dicari.</li>
<li>Gunakan kata yang lebih umum atau lebih sedikit kata.</li>
${filtered ? html`<li><a href="${pageHref(portalPaths.search(), 1, { q: view.form.q })}">Cari tanpa saringan rubrik, unit dan tanggal</a>.</li>\n` : ''}<li>Lihat berita per rubrik: ${site.rubrics.map((r, i) => html`${i > 0 ? ', ' : ''}<a href="${portalPaths.rubric(r.slug)}">${r.name}</a>`)}.</li>
</ul>
</div>`;
}

export function searchPage(site: Site, now: Date, view: SearchView): string {
  const r = view.results;
  const query = { q: view.form.q, rubrik: view.form.rubrik, unit: view.form.unit, dari: view.form.dari, sampai: view.form.sampai };
  const hrefOf = (n: number) => pageHref(portalPaths.search(), n, query);
  const main = html`<h1>Cari berita</h1>
${filters(site, view)}
${view.notes.length > 0 ? html`<ul class="catatan">${view.notes.map((note) => html`<li>${note}</li>`)}</ul>\n` : ''}${r === undefined
    ? html`<p class="kosong">Tulis kata yang dicari, misalnya “beasiswa” atau “banjir”.</p>`
    : r.total === 0
      ? emptyState(site, view)
      : html`<p class="jumlah" role="status">${r.capped ? `Lebih dari ${r.total.toLocaleString('id-ID')}` : r.total} hasil${view.form.q ? html` untuk “${view.form.q.slice(0, 100)}”` : ''}${r.pages > 1 ? html` · Halaman ${r.page} dari ${r.pages}` : ''}</p>
<div class="daftar daftar-hasil">
${r.items.map((item) => card(site, item, now, { level: 2, snippet: highlight(item.snippet) }))}</div>
${pagination(r.page, r.pages, hrefOf)}`}`;
  return layout({
    site,
    main,
    query: view.form.q,
    meta: {
      title: `${view.form.q ? `Hasil pencarian “${view.form.q.slice(0, 60)}”` : 'Cari berita'} | ${site.shortName ?? site.name}`,
      description: `Cari berita resmi ${site.name}.`,
      canonical: site.base + portalPaths.search(),
      siteName: site.name,
      type: 'website',
      image: site.base + DEFAULT_SHARE_IMAGE,
      imageAlt: site.name,
      noindex: true,
      prev: r && r.page > 1 ? site.base + hrefOf(r.page - 1) : undefined,
      next: r && r.page < r.pages ? site.base + hrefOf(r.page + 1) : undefined,
    },
  });
}
