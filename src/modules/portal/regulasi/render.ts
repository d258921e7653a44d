/**
 * The regulation pages of the portal: the index (filters as a GET form, numbered pages) and one
 * page per regulation with its plain-language explanation, the FAQ, the official document on JDIH,
 * the responsible unit and the articles about it; JSON-LD `Legislation` for search engines.
 * Everything goes through the escaping `html` template; texts are plain (the editor stores no markup).
 */
import type { RegulationStatus, RegulationType } from '../../../db/schema.ts';
import { typeLongNames, typeNames } from '../../regulasi/index.ts';
import type { ArticleCard, Page } from '../queries.ts';
import { html, type SafeHtml } from '../render/html.ts';
import { layout, type Site } from '../render/layout.ts';
import { clip, DEFAULT_SHARE_IMAGE } from '../render/meta.ts';
import { card, pageHref, pagination, unitName } from '../render/parts.ts';
import { longDate, startOfWitaDay } from '../time.ts';
import { portalPaths } from '../urls.ts';
import type { PublicRegulation } from './queries.ts';

export const regulationPaths = {
  index: (): string => '/regulasi',
  regulation: (slug: string): string => `/regulasi/${encodeURIComponent(slug)}`,
};

export const statusNames: Partial<Record<RegulationStatus, { label: string; colour: string; note?: string }>> = {
  // White text on each colour is above 7:1.
  berlaku: { label: 'Berlaku', colour: '#166534' },
  diubah: { label: 'Sudah diubah', colour: '#92400e', note: 'Sebagian isi regulasi ini sudah diubah oleh regulasi yang lebih baru. Periksa dokumen resmi untuk bunyi yang berlaku sekarang.' },
  dicabut: { label: 'Dicabut', colour: '#991b1b', note: 'Regulasi ini sudah dicabut dan tidak berlaku lagi. Penjelasan di bawah disimpan sebagai arsip.' },
};

/** "Pergub Nomor 12 Tahun 2025". */
export function reference(r: Pick<PublicRegulation, 'type' | 'number' | 'year'>): string {
  return `${typeNames[r.type]} Nomor ${r.number} Tahun ${r.year}`;
}

/** "10 Maret 2025" for a calendar day (YYYY-MM-DD), or null. */
export function dayInIndonesian(day: string | null): string | null {
  if (!day) return null;
  const start = startOfWitaDay(day);
  return start ? longDate(start) : null;
}

function statusBadge(status: RegulationStatus): SafeHtml {
  const s = statusNames[status];
  if (!s) return html``;
  return html`<span class="label-status" style="display:inline-block;font-size:.8rem;font-weight:700;color:#fff;background:${s.colour};padding:.1rem .5rem;border-radius:3px">${s.label}</span>`;
}

function typeLabel(type: RegulationType): SafeHtml {
  return html`<span class="label-rubrik">${typeNames[type]}</span>`;
}

/** Plain text as paragraphs, or as a list when every line is a list item ("- …", "1. …"). */
export function prose(text: string): SafeHtml {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const item = /^(?:[-•*]|\d+[.)])\s+/;
  if (lines.length > 1 && lines.every((l) => item.test(l))) {
    return html`<ul>\n${lines.map((l) => html`<li>${l.replace(item, '')}</li>\n`)}</ul>`;
  }
  return html`${lines.map((l) => html`<p>${l}</p>\n`)}`;
}

export interface IndexForm {
  jenis: string;
  tahun: string;
  status: string;
  unit: string;
  q: string;
}

export interface IndexView {
  form: IndexForm;
  years: readonly number[];
  units: readonly { slug: string; name: string }[];
  results: Page<PublicRegulation>;
  /** Filters set aside because they could not be used. */
  notes: readonly string[];
}

function option(value: string, label: string, selected: string): SafeHtml {
  return html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>\n`;
}

function indexItem(r: PublicRegulation): SafeHtml {
  const enacted = dayInIndonesian(r.enactedOn);
  const summary = r.purpose.trim() !== '' ? clip(r.purpose, 220) : null;
  return html`<article class="kartu">
<div class="kartu-isi">
${typeLabel(r.type)} ${statusBadge(r.status)}
<h2 class="kartu-judul"><a href="${regulationPaths.regulation(r.slug)}">${r.title}</a></h2>
<p class="kartu-ringkas">${reference(r)}${enacted ? html` · ditetapkan ${enacted}` : ''}</p>
${summary ? html`<p class="kartu-ringkas">${summary}</p>\n` : ''}<p class="kartu-info"><a href="${portalPaths.unit(r.unit.slug)}">${unitName(r.unit)}</a></p>
</div>
</article>
`;
}

export function regulationIndexPage(site: Site, view: IndexView): string {
  const { form, results } = view;
  const query = { jenis: form.jenis, tahun: form.tahun, status: form.status, unit: form.unit, q: form.q };
  const hrefOf = (n: number) => pageHref(regulationPaths.index(), n, query);
  const filtered = Object.values(query).some((v) => v !== '');
  const numbered = results.page > 1 ? ` (halaman ${results.page})` : '';
  const main = html`<header class="daftar-kepala">
<h1>Daftar Regulasi</h1>
<p>Peraturan dan keputusan pemerintah daerah beserta penjelasannya dalam bahasa sehari-hari: untuk apa aturan dibuat, mengapa, siapa yang terdampak, dan mulai kapan. Bunyi resmi setiap regulasi ada di JDIH (Jaringan Dokumentasi dan Informasi Hukum).</p>
</header>
<form class="cari-saring" action="${regulationPaths.index()}" method="get" aria-label="Saring regulasi">
<div class="saring-q">
<label for="regulasi-q">Kata dalam judul atau nomor</label>
<input id="regulasi-q" type="search" name="q" value="${form.q}" maxlength="200">
</div>
<div>
<label for="regulasi-jenis">Jenis</label>
<select id="regulasi-jenis" name="jenis">
${option('', 'Semua jenis', form.jenis)}${(Object.keys(typeLongNames) as RegulationType[]).map((t) => option(t, `${typeLongNames[t]} (${typeNames[t]})`, form.jenis))}</select>
</div>
<div>
<label for="regulasi-tahun">Tahun</label>
<select id="regulasi-tahun" name="tahun">
${option('', 'Semua tahun', form.tahun)}${view.years.map((y) => option(String(y), String(y), form.tahun))}</select>
</div>
<div>
<label for="regulasi-status">Status</label>
<select id="regulasi-status" name="status">
${option('', 'Semua status', form.status)}${(['berlaku', 'diubah', 'dicabut'] as const).map((s) => option(s, statusNames[s]!.label, form.status))}</select>
</div>
<div>
<label for="regulasi-unit">Unit penanggung jawab</label>
<select id="regulasi-unit" name="unit">
${option('', 'Semua unit', form.unit)}${view.units.map((u) => option(u.slug, u.name, form.unit))}</select>
</div>
<div>
<button type="submit">Tampilkan</button>
${filtered ? html` <a href="${regulationPaths.index()}">Hapus saringan</a>` : ''}
</div>
</form>
${view.notes.map((note) => html`<p class="catatan">${note}</p>\n`)}<p class="jumlah" role="status">${results.total} regulasi${results.pages > 1 ? html` · Halaman ${results.page} dari ${results.pages}` : ''}</p>
${results.items.length > 0
    ? html`<div class="daftar daftar-hasil">
${results.items.map(indexItem)}</div>
${pagination(results.page, results.pages, hrefOf)}`
    : html`<p class="kosong">${filtered ? 'Tidak ada regulasi yang cocok dengan saringan ini. Coba kurangi saringan atau gunakan kata lain.' : 'Belum ada regulasi yang diterbitkan.'}</p>`}`;
  return layout({
    site,
    main,
    meta: {
      title: `Daftar Regulasi${numbered} | ${site.shortName ?? site.name}`,
      description: `Peraturan dan keputusan ${site.name} beserta penjelasannya: tujuan, alasan, siapa yang terdampak, dan mulai kapan berlaku.`,
      canonical: site.base + hrefOf(results.page),
      siteName: site.name,
      type: 'website',
      image: site.base + DEFAULT_SHARE_IMAGE,
      imageAlt: site.name,
      prev: results.page > 1 ? site.base + hrefOf(results.page - 1) : undefined,
      next: results.page < results.pages ? site.base + hrefOf(results.page + 1) : undefined,
      // A filtered list is a view of the index, not a page of its own.
      noindex: filtered,
    },
  });
}

const LEGAL_FORCE: Record<RegulationStatus, string | null> = {
  berlaku: 'https://schema.org/InForce',
  // Amended: the original text is partly replaced by a later regulation.
  diubah: 'https://schema.org/PartiallyInForce',
  dicabut: 'https://schema.org/NotInForce',
  rancangan: null,
};
const REGIONAL: readonly RegulationType[] = ['perda', 'pergub', 'perbup', 'perwali'];

/** schema.org `Legislation` (the ELI-derived vocabulary) describing the regulation. */
export function legislationLd(site: Site, r: PublicRegulation, canonical: string): object {
  const org = (name: string, slug: string) => ({ '@type': 'GovernmentOrganization', name, url: site.base + portalPaths.unit(slug) });
  const force = LEGAL_FORCE[r.status];
  return {
    '@context': 'https://schema.org',
    '@type': 'Legislation',
    name: `${typeLongNames[r.type]} Nomor ${r.number} Tahun ${r.year} tentang ${r.title}`,
    alternateName: reference(r),
    legislationIdentifier: reference(r),
    legislationType: typeLongNames[r.type],
    ...(r.enactedOn ? { legislationDate: r.enactedOn } : {}),
    ...(force ? { legislationLegalForce: force } : {}),
    legislationPassedBy: REGIONAL.includes(r.type) ? org(r.region.name, r.region.slug) : org(r.unit.name, r.unit.slug),
    legislationResponsible: org(r.unit.name, r.unit.slug),
    jurisdiction: r.region.name,
    inLanguage: 'id',
    ...(r.purpose.trim() !== '' ? { abstract: clip(r.purpose, 500) } : {}),
    ...(r.jdihUrl ? { encoding: { '@type': 'LegislationObject', contentUrl: r.jdihUrl } } : {}),
    dateModified: r.updatedAt.toISOString(),
    url: canonical,
    mainEntityOfPage: { '@type': 'WebPage', '@id': canonical },
  };
}

const SECTIONS = [
  { field: 'purpose', id: 'tujuan', heading: 'Tujuan' },
  { field: 'reasons', id: 'alasan', heading: 'Alasan' },
  { field: 'affected', id: 'terdampak', heading: 'Siapa yang terdampak' },
  { field: 'changes', id: 'berubah', heading: 'Apa yang berubah' },
  { field: 'starts', id: 'mulai', heading: 'Mulai kapan' },
] as const;

export function regulationPage(site: Site, now: Date, r: PublicRegulation, articles: readonly ArticleCard[]): string {
  const canonical = site.base + regulationPaths.regulation(r.slug);
  const enacted = dayInIndonesian(r.enactedOn);
  const inForce = dayInIndonesian(r.inForceOn);
  const status = statusNames[r.status];
  const explained = r.purpose.trim() !== '' && r.reasons.trim() !== '';
  const sections = SECTIONS.filter((s) => r[s.field].trim() !== '');
  const description = r.purpose.trim() !== ''
    ? `${reference(r)} tentang ${r.title}. Tujuan: ${r.purpose}`
    : `${reference(r)} tentang ${r.title}: penjelasan dan dokumen resmi.`;
  const main = html`<article class="berita" aria-labelledby="regulasi-judul">
<p><a href="${regulationPaths.index()}">← Daftar regulasi</a></p>
<p>${typeLabel(r.type)} ${statusBadge(r.status)}</p>
<h1 id="regulasi-judul">${r.title}</h1>
<p class="berita-ringkas">${typeLongNames[r.type]} Nomor ${r.number} Tahun ${r.year}</p>
${status?.note ? html`<p class="berita-koreksi"><strong>${status.label}.</strong> ${status.note}</p>\n` : ''}<dl class="darurat-fakta">
<div><dt>Status</dt><dd>${status?.label ?? r.status}</dd></div>
<div><dt>Ditetapkan</dt><dd>${enacted ? html`<time datetime="${r.enactedOn!}">${enacted}</time>` : 'Belum dicatat'}</dd></div>
<div><dt>Mulai berlaku</dt><dd>${inForce ? html`<time datetime="${r.inForceOn!}">${inForce}</time>` : 'Belum dicatat'}</dd></div>
<div><dt>Unit penanggung jawab</dt><dd><a href="${portalPaths.unit(r.unit.slug)}">${r.unit.name}</a></dd></div>
</dl>
${r.jdihUrl
    ? html`<p><a class="tautan-jdih" href="${r.jdihUrl}" rel="noopener">Baca dokumen resmi ${reference(r)} di JDIH</a> <span class="catatan">(situs Jaringan Dokumentasi dan Informasi Hukum, di luar portal ini)</span></p>\n`
    : html`<p class="catatan">Tautan dokumen resmi di JDIH belum dicatat.</p>\n`}
${explained ? '' : html`<p class="kosong">Penjelasan regulasi ini sedang disiapkan oleh ${r.unit.name}.</p>\n`}${sections.map((s) => html`<section aria-labelledby="regulasi-${s.id}">
<h2 id="regulasi-${s.id}">${s.heading}</h2>
${prose(r[s.field])}
</section>
`)}${r.faq.length > 0 ? html`<section aria-labelledby="regulasi-tanya">
<h2 id="regulasi-tanya">Tanya jawab</h2>
${r.faq.map((f) => html`<h3>${f.question}</h3>
${prose(f.answer)}
`)}</section>
` : ''}${articles.length > 0 ? html`<section class="terkait" aria-labelledby="regulasi-berita">
<h2 id="regulasi-berita">Berita tentang regulasi ini</h2>
<div class="daftar daftar-hasil">
${articles.map((a) => card(site, a, now, { level: 3 }))}</div>
</section>
` : ''}</article>`;
  return layout({
    site,
    main,
    meta: {
      title: `${reference(r)} tentang ${clip(r.title, 90)} | ${site.shortName ?? site.name}`,
      description,
      canonical,
      siteName: site.name,
      type: 'website',
      image: site.base + DEFAULT_SHARE_IMAGE,
      imageAlt: site.name,
      jsonLd: [legislationLd(site, r, canonical)],
    },
  });
}
