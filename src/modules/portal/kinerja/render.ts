/**
 * The public kinerja pages: the list of units with data, and one unit's year — goals with their
 * indicators (figures, band as colour and words, a plain sentence, a target-vs-realisation bar
 * chart), trends across years, programmes with progress, and the data downloads. Charts are
 * inline SVG with role="img", a <title> and a <desc> saying what they show; every number drawn
 * is also in a table. Nothing here needs JavaScript.
 */
import { bandColour, formatNumber, formatPercent } from '../../infographics/index.ts';
import type { Capaian } from '../../kinerja/capaian.ts';
import type { IndicatorView, ProgrammeView } from '../../kinerja/queries.ts';
import { html, type SafeHtml } from '../render/html.ts';
import { layout, type Site } from '../render/layout.ts';
import { DEFAULT_SHARE_IMAGE, governmentOrganizationLd } from '../render/meta.ts';
import { portalPaths } from '../urls.ts';
import type { Trend, UnitWithYears, UnitYear } from './data.ts';
import { FIELDS, LICENCE_NOTE } from './downloads.ts';
import { amountText, bandText, capaianText, indicatorSentence, LOWER_IS_BETTER_NOTE, NOT_COMPUTABLE, programmeSentence } from './sentences.ts';

export const kinerjaPaths = {
  index: (): string => '/kinerja',
  unit: (slug: string): string => `/kinerja/${encodeURIComponent(slug)}`,
  year: (slug: string, year: number): string => `/kinerja/${encodeURIComponent(slug)}/${year}`,
  csv: (slug: string, year: number): string => `/kinerja/${encodeURIComponent(slug)}/${year}.csv`,
  json: (slug: string, year: number): string => `/kinerja/${encodeURIComponent(slug)}/${year}.json`,
};

/** Above this many indicators a page lists tables only (no card and chart per indicator); the downloads have everything. */
export const CARD_LIMIT = 300;

const INK = '#1b1b1b';
const TARGET_FILL = '#64748b';

/** The band as a badge: its colour and its name (never the colour alone). */
export function bandBadge(capaian: Capaian): SafeHtml {
  if (!capaian.computable) return html`<span class="lencana lencana-kosong">${bandText(capaian)}</span>`;
  return html`<span class="lencana" style="background:${bandColour({ key: capaian.band.key, label: capaian.band.label })}">${capaian.band.label}</span>`;
}

const num = (value: string | null): number | null => (value === null ? null : Number(value));

/** Two horizontal bars, target and realisasi, on one scale; undefined when there is nothing to draw. */
export function barChart(id: string, i: IndicatorView): SafeHtml | undefined {
  const target = num(i.target);
  const realisasi = num(i.realisasi);
  const values = [target, realisasi].filter((v): v is number => v !== null && v > 0);
  if (values.length === 0) return undefined;
  const max = Math.max(...values);
  const width = 480;
  const labelWidth = 90;
  const barMax = 250;
  const bar = (value: number | null) => (value === null || value <= 0 ? 0 : Math.max(2, Math.round((value / max) * barMax)));
  const colour = i.capaian.computable ? bandColour({ key: i.capaian.band.key, label: i.capaian.band.label }) : TARGET_FILL;
  const row = (y: number, label: string, value: number | null, text: string, fill: string) => html`<text x="0" y="${y + 19}" fill="${INK}" font-size="15">${label}</text>
<rect x="${labelWidth}" y="${y + 4}" width="${bar(value)}" height="20" fill="${fill}" rx="2"/>
<text x="${labelWidth + bar(value) + 8}" y="${y + 19}" fill="${INK}" font-size="15">${text}</text>`;
  const desc = `Target ${amountText(i.target, i.satuan)}, realisasi ${amountText(i.realisasi, i.satuan)}. ${indicatorSentence(i)}`;
  return html`<svg class="grafik" role="img" aria-labelledby="${id}-j ${id}-d" viewBox="0 0 ${width} 64" width="${width}" height="64" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-j">Target dan realisasi: ${i.name}</title>
<desc id="${id}-d">${desc}</desc>
${row(2, 'Target', target, amountText(i.target, i.satuan), TARGET_FILL)}
${row(34, 'Realisasi', realisasi, amountText(i.realisasi, i.satuan), colour)}
</svg>`;
}

/** Target and realisasi across years as two lines, with the years below; the table beside it has the numbers. */
export function trendChart(id: string, trend: Trend): SafeHtml {
  const width = 520;
  const height = 200;
  const left = 16;
  const right = 16;
  const top = 16;
  const bottom = 40;
  const values = trend.points.flatMap((p) => [num(p.target), num(p.realisasi)]).filter((v): v is number => v !== null);
  const max = Math.max(1e-9, ...values);
  const min = Math.min(0, ...values);
  const x = (index: number) => left + (trend.points.length === 1 ? 0 : (index * (width - left - right)) / (trend.points.length - 1));
  const y = (value: number) => top + (height - top - bottom) * (1 - (value - min) / (max - min || 1));
  const line = (pick: (p: Trend['points'][number]) => string | null) =>
    trend.points.map((p, index) => ({ index, value: num(pick(p)) })).filter((p): p is { index: number; value: number } => p.value !== null);
  const path = (points: { index: number; value: number }[]) => points.map((p) => `${x(p.index).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const targets = line((p) => p.target);
  const actuals = line((p) => p.realisasi);
  const desc = trend.points.map((p) => `${p.year}: target ${amountText(p.target, trend.satuan)}, realisasi ${amountText(p.realisasi, trend.satuan)}, capaian ${capaianText(p.capaian)}`).join('; ');
  return html`<svg class="grafik grafik-tren" role="img" aria-labelledby="${id}-j ${id}-d" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-j">Perkembangan ${trend.name}, ${trend.points[0]!.year}–${trend.points.at(-1)!.year}</title>
<desc id="${id}-d">${desc}.${trend.polarity === 'lower' ? ` ${LOWER_IS_BETTER_NOTE}` : ''}</desc>
<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="#6b6b6b"/>
${targets.length > 1 ? html`<polyline points="${path(targets)}" fill="none" stroke="${TARGET_FILL}" stroke-width="2" stroke-dasharray="6 4"/>` : ''}
${actuals.length > 1 ? html`<polyline points="${path(actuals)}" fill="none" stroke="#0b4f94" stroke-width="3"/>` : ''}
${targets.map((p) => html`<rect x="${(x(p.index) - 4).toFixed(1)}" y="${(y(p.value) - 4).toFixed(1)}" width="8" height="8" fill="${TARGET_FILL}"/>`)}
${actuals.map((p) => html`<circle cx="${x(p.index).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="5" fill="#0b4f94"/>`)}
${trend.points.map((p, index) => html`<text x="${x(index).toFixed(1)}" y="${height - bottom + 20}" font-size="14" fill="${INK}" text-anchor="${index === 0 ? 'start' : index === trend.points.length - 1 ? 'end' : 'middle'}">${p.year}</text>`)}
<text x="${left}" y="${height - 4}" font-size="13" fill="${INK}">— realisasi (garis penuh, bulatan) · - - target (garis putus, kotak)</text>
</svg>`;
}

/** A programme's latest progress against its target as one bar; undefined without both. */
function progressChart(id: string, p: ProgrammeView): SafeHtml | undefined {
  const target = num(p.target);
  const latest = num(p.progress.at(-1)?.value ?? null);
  if (target === null || target <= 0 || latest === null) return undefined;
  const share = Math.max(0, Math.min(1, latest / target));
  return html`<svg class="grafik" role="img" aria-labelledby="${id}-j ${id}-d" viewBox="0 0 480 36" width="480" height="36" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-j">Kemajuan ${p.name}</title>
<desc id="${id}-d">${programmeSentence(p)}</desc>
<rect x="0" y="6" width="380" height="22" fill="#e2e8f0" stroke="#6b6b6b" rx="2"/>
<rect x="0" y="6" width="${Math.round(380 * share)}" height="22" fill="#0b4f94" rx="2"/>
<text x="390" y="23" font-size="15" fill="${INK}">${p.capaian.computable ? formatPercent(p.capaian.value) : ''}</text>
</svg>`;
}

function indicatorCard(id: string, i: IndicatorView): SafeHtml {
  return html`<article class="indikator" aria-labelledby="${id}-n">
<h3 id="${id}-n">${i.name}</h3>
<p>${bandBadge(i.capaian)}${i.capaian.computable ? html` Capaian <strong>${formatPercent(i.capaian.value)}</strong>` : ''}</p>
<p class="kalimat">${indicatorSentence(i)}</p>
${i.polarity === 'lower' ? html`<p class="polaritas">${LOWER_IS_BETTER_NOTE} Target adalah batas yang tidak boleh dilampaui.</p>` : ''}
${barChart(id, i) ?? ''}
${i.dataSource ? html`<p class="sumber">Sumber: ${i.dataSource}</p>` : ''}
${i.notes ? html`<p class="sumber">Catatan: ${i.notes}</p>` : ''}
</article>`;
}

function indicatorTable(goalName: string, indicators: readonly IndicatorView[]): SafeHtml {
  return html`<div class="gulir" role="region" aria-label="Tabel angka: ${goalName}" tabindex="0">
<table class="tabel-kinerja">
<caption>Angka indikator sasaran ini</caption>
<thead><tr><th scope="col">Indikator</th><th scope="col">Satuan</th><th scope="col" class="angka">Target</th><th scope="col" class="angka">Realisasi</th><th scope="col" class="angka">Capaian</th><th scope="col">Kategori</th></tr></thead>
<tbody>
${indicators.map((i) => html`<tr><th scope="row">${i.name}${i.polarity === 'lower' ? html`<br><small>(semakin rendah semakin baik)</small>` : ''}</th><td>${i.satuan}</td><td class="angka">${i.target === null ? '—' : formatNumber(i.target)}</td><td class="angka">${i.realisasi === null ? '—' : formatNumber(i.realisasi)}</td><td class="angka">${capaianText(i.capaian)}</td><td>${bandText(i.capaian)}</td></tr>\n`)}</tbody>
</table>
</div>`;
}

function trendSection(id: string, trend: Trend): SafeHtml {
  return html`<section class="indikator" aria-labelledby="${id}-n">
<h3 id="${id}-n">${trend.name}</h3>
${trend.polarity === 'lower' ? html`<p class="polaritas">${LOWER_IS_BETTER_NOTE}</p>` : ''}
${trendChart(id, trend)}
<div class="gulir" role="region" aria-label="Tabel perkembangan: ${trend.name}" tabindex="0">
<table class="tabel-kinerja">
<caption>Perkembangan per tahun${trend.satuan ? ` (satuan: ${trend.satuan})` : ''}</caption>
<thead><tr><th scope="col">Tahun</th><th scope="col" class="angka">Target</th><th scope="col" class="angka">Realisasi</th><th scope="col" class="angka">Capaian</th><th scope="col">Kategori</th></tr></thead>
<tbody>
${trend.points.map((p) => html`<tr><th scope="row">${p.year}</th><td class="angka">${p.target === null ? '—' : formatNumber(p.target)}</td><td class="angka">${p.realisasi === null ? '—' : formatNumber(p.realisasi)}</td><td class="angka">${capaianText(p.capaian)}</td><td>${bandText(p.capaian)}</td></tr>\n`)}</tbody>
</table>
</div>
</section>`;
}

function programmeSection(id: string, p: ProgrammeView): SafeHtml {
  return html`<article class="indikator" aria-labelledby="${id}-n">
<h3 id="${id}-n">${p.name}</h3>
<p class="kalimat">${programmeSentence(p)}</p>
${progressChart(id, p) ?? ''}
${p.progress.length > 0 ? html`<div class="gulir" role="region" aria-label="Tabel kemajuan: ${p.name}" tabindex="0">
<table class="tabel-kinerja">
<caption>Kemajuan${p.satuan ? ` (satuan: ${p.satuan})` : ''}</caption>
<thead><tr><th scope="col">Per tanggal</th><th scope="col" class="angka">Nilai</th><th scope="col">Keterangan</th></tr></thead>
<tbody>
${p.progress.map((x) => html`<tr><th scope="row">${x.asOf}</th><td class="angka">${formatNumber(x.value)}</td><td>${x.note ?? ''}</td></tr>\n`)}</tbody>
</table>
</div>` : ''}
</article>`;
}

const stylesheet = (css: string) => html`<link rel="stylesheet" href="${css}">`;

export function unitYearPage(site: Site, data: UnitYear, css: string): string {
  const { unit, year, report } = data;
  const name = unit.name;
  const indicators = report.goals.flatMap((g) => g.indicators);
  const cards = indicators.length <= CARD_LIMIT;
  const bandCounts = data.settings.bands.filter((b) => (report.summary.byBand[b.key] ?? 0) > 0).map((b) => html`<li>${b.label}: ${report.summary.byBand[b.key]} indikator</li>`);
  const notComputable = Object.entries(report.summary.notComputable).map(([reason, count]) =>
    html`<li>Belum dapat dihitung (${NOT_COMPUTABLE[reason as keyof typeof NOT_COMPUTABLE] ?? reason}): ${count} indikator</li>`);
  let n = 0;
  const nextId = (prefix: string) => `${prefix}-${++n}`;
  const main = html`${stylesheet(css)}
<nav aria-label="Jejak"><a href="${kinerjaPaths.index()}">Data Kinerja</a> › <a href="${portalPaths.unit(unit.slug)}">${name}</a></nav>
<h1>Kinerja ${name} Tahun ${year}</h1>
${data.years.length > 1 ? html`<nav aria-label="Tahun lain"><ul class="kinerja-tahun">
${data.years.map((y) => html`<li><a href="${kinerjaPaths.year(unit.slug, y)}"${y === year ? html` aria-current="page"` : ''}>${y}</a></li>\n`)}</ul></nav>` : ''}
<section class="kinerja-ringkas" aria-labelledby="ringkas-j">
<h2 id="ringkas-j">Ringkasan</h2>
<p>${report.goals.length} sasaran strategis, ${report.summary.indicators} indikator kinerja utama${report.programmes.length > 0 ? `, ${report.programmes.length} program` : ''}.</p>
${bandCounts.length + notComputable.length > 0 ? html`<ul>${bandCounts}${notComputable}</ul>` : ''}
<p>Capaian dihitung dari target dan realisasi: realisasi ÷ target × 100; untuk indikator yang semakin rendah semakin baik, (2 × target − realisasi) ÷ target × 100.</p>
</section>
${report.goals.map((goal) => {
    const id = nextId('s');
    return html`<section class="sasaran" aria-labelledby="${id}">
<h2 id="${id}">Sasaran: ${goal.name}</h2>
${cards ? goal.indicators.map((i) => indicatorCard(nextId('ik'), i)) : ''}
${goal.indicators.length > 0 ? indicatorTable(goal.name, goal.indicators) : html`<p class="kosong">Belum ada indikator.</p>`}
</section>`;
  })}
${!cards ? html`<p class="kosong">Data ini memuat ${indicators.length} indikator; halaman menampilkan tabelnya saja. Unduh data di bawah untuk keterangan lengkap.</p>` : ''}
${data.trends.length > 0 ? html`<section class="sasaran" aria-labelledby="tren-j">
<h2 id="tren-j">Perkembangan dari tahun ke tahun</h2>
${data.trends.slice(0, 50).map((t) => trendSection(nextId('tr'), t))}
</section>` : ''}
${report.programmes.length > 0 ? html`<section class="sasaran" aria-labelledby="program-j">
<h2 id="program-j">Program</h2>
${report.programmes.map((p) => programmeSection(nextId('pr'), p))}
</section>` : ''}
<section class="sasaran" aria-labelledby="unduh-j">
<h2 id="unduh-j">Unduh data</h2>
<ul class="unduh">
<li><a href="${kinerjaPaths.csv(unit.slug, year)}" download>CSV (kinerja-${unit.slug}-${year}.csv)</a></li>
<li><a href="${kinerjaPaths.json(unit.slug, year)}" download>JSON dengan metadata (kinerja-${unit.slug}-${year}.json)</a></li>
</ul>
<p>Produsen data: ${name}. Periode: tahun ${year}.${data.updatedAt ? ` Terakhir diperbarui ${data.updatedAt.toISOString().slice(0, 10)}.` : ''}</p>
<p>${LICENCE_NOTE}</p>
<details><summary>Arti kolom</summary>
<dl>${FIELDS.map((f) => html`<dt><code>${f.name}</code></dt><dd>${f.description}</dd>`)}</dl>
</details>
</section>`;
  const canonical = site.base + kinerjaPaths.year(unit.slug, year);
  const description = `Capaian kinerja ${name} tahun ${year}: ${report.summary.indicators} indikator kinerja utama dengan target, realisasi dan capaian.`;
  return layout({
    site,
    main,
    meta: {
      title: `Kinerja ${unit.shortName ?? name} ${year} | ${site.shortName ?? site.name}`,
      description,
      canonical,
      siteName: site.name,
      type: 'website',
      image: site.base + DEFAULT_SHARE_IMAGE,
      imageAlt: site.name,
      jsonLd: [{
        '@context': 'https://schema.org',
        '@type': 'Dataset',
        name: `Capaian kinerja ${name} tahun ${year}`,
        description,
        url: canonical,
        inLanguage: 'id',
        temporalCoverage: `${year}-01-01/${year}-12-31`,
        ...(data.updatedAt ? { dateModified: data.updatedAt.toISOString() } : {}),
        creator: governmentOrganizationLd({ name, url: site.base + portalPaths.unit(unit.slug) }),
        license: LICENCE_NOTE,
        distribution: [
          { '@type': 'DataDownload', encodingFormat: 'text/csv', contentUrl: site.base + kinerjaPaths.csv(unit.slug, year) },
          { '@type': 'DataDownload', encodingFormat: 'application/json', contentUrl: site.base + kinerjaPaths.json(unit.slug, year) },
        ],
      }],
    },
  });
}

export function indexPage(site: Site, units: readonly UnitWithYears[], css: string): string {
  const main = html`${stylesheet(css)}
<h1>Data Kinerja</h1>
<p>Target, realisasi dan capaian indikator kinerja utama setiap perangkat daerah, sebagaimana dilaporkan dalam Sistem Akuntabilitas Kinerja Instansi Pemerintah (SAKIP). Pilih unit dan tahun.</p>
${units.length > 0 ? html`<ul class="daftar-unit">
${units.map((u) => html`<li><a href="${kinerjaPaths.year(u.slug, u.years[0]!)}">${u.name}</a> <span class="tahun-tahun">${u.years.map((y) => html`<a href="${kinerjaPaths.year(u.slug, y)}" aria-label="${u.name} tahun ${y}">${y}</a>`)}</span></li>\n`)}</ul>` : html`<p class="kosong">Belum ada data kinerja yang diterbitkan.</p>`}`;
  return layout({
    site,
    main,
    meta: {
      title: `Data Kinerja | ${site.shortName ?? site.name}`,
      description: 'Capaian kinerja perangkat daerah: target, realisasi dan capaian indikator kinerja utama.',
      canonical: site.base + kinerjaPaths.index(),
      siteName: site.name,
      type: 'website',
      image: site.base + DEFAULT_SHARE_IMAGE,
      imageAlt: site.name,
    },
  });
}
