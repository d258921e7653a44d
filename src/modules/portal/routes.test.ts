/**
 * The portal's pages over HTTP, on both databases: what a reader sees on the home page, an article,
 * lists and search; answers for junk input (never a 500); conditional requests; and that a change
 * to an article (published, corrected, withdrawn, or a scheduled one reaching its time) is on the
 * next page served, not a minute later.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';
import { loadConfig } from '../../config/config.ts';
import { systemActor } from '../audit/record.ts';
import { multipartBody, photo } from '../media/test-fixtures.ts';
import { feedbackFormHtml } from './feedback/form.ts';
import { correctArticle, withdrawArticle } from './manage/manage-article.ts';

const nextYear = new Date().getUTCFullYear() + 1;
const html = { accept: 'text/html,application/xhtml+xml' };

test('SIAR_PORTAL_CACHE=off switches the render cache off', () => {
  assert.equal(loadConfig({ env: { SIAR_PORTAL_CACHE: 'off' } }).portalCache, 'off');
  assert.equal(loadConfig({ env: {} }).portalCache, 'on');
});

/** Polls until `check` passes: NOTIFY reaches this process's listener a moment after the commit. */
async function eventually(check: () => Promise<void>, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

for (const backend of backendNames) {
  describe(`portal pages (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let province: string;
    let unit: string;
    let child: string;
    let admin: Person;
    let rubrics: Map<string, string>;
    const db = () => server.siar.services.db;
    const get = (url: string, headers: Record<string, string> = {}) => server.app.inject({ method: 'GET', url, headers: { ...html, ...headers } });
    const origin = systemActor('test');

    /** A live article written through the workflow, its time then moved into the past. */
    async function article(input: { title: string; summary?: string; bodyHtml?: string; rubric?: string; tags?: string[]; unitId?: string; media?: { mediaId: string; alt: string }[]; minutesAgo?: number }) {
      const created = await admin.client.post('/api/v1/posts', {
        unitId: input.unitId ?? unit, title: input.title, summary: input.summary ?? '', bodyHtml: input.bodyHtml ?? `<p>${input.title}.</p>`,
        rubricId: input.rubric ? rubrics.get(input.rubric)! : null, tags: input.tags ?? [], media: input.media ?? [],
        variants: [{ network: 'facebook' }], scheduledAt: `${nextYear}-06-01T09:00`,
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal((await admin.client.post(`/api/v1/posts/${created.json().id}/submit`)).json().status, 'scheduled');
      return db().updateTable('articles').set({ published_at: new Date(Date.now() - (input.minutesAgo ?? 1) * 60_000) })
        .where('post_id', '=', created.json().id).returning(['post_id as postId', 'slug']).executeTakeFirstOrThrow();
    }

    let headline: { postId: string; slug: string };
    let pictured: { postId: string; slug: string };

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      province = await topUnitId(server);
      unit = await makeUnit(server, province, 'agency', 'Dinas Portal Uji');
      child = await makeUnit(server, unit, 'bureau', 'Bidang Informasi Uji');
      await db().updateTable('units').set({ contact_email: 'humas@portal-uji.go.id', contact_phone: '0541-123456' }).where('id', '=', unit).execute();
      admin = await makePerson(server, unit, 'admin', 'Rina Wulandari');
      for (const id of [unit, child]) assert.equal((await admin.client.put(`/api/v1/units/${id}/approval-policy`, { tierUnitIds: [], sertaMertaDirectRole: 'admin' })).statusCode, 200);
      rubrics = new Map((await db().selectFrom('rubrics').select(['id', 'slug']).execute()).map((r) => [r.slug, r.id]));

      const media: { mediaId: string; alt: string }[] = [];
      for (const [alt, width] of [['Petugas memeriksa tanggul', 900], ['Warga di posko', 800]] as const) {
        const png = await photo(width, 600).png().toBuffer();
        const { payload, contentType } = multipartBody({ unitId: unit, alt }, { name: 'foto.png', data: png, contentType: 'image/png' });
        const uploaded = await server.app.inject({ method: 'POST', url: '/api/v1/media', headers: { authorization: `Bearer ${admin.client.token}`, 'content-type': contentType }, payload });
        assert.equal(uploaded.statusCode, 201, uploaded.body);
        media.push({ mediaId: uploaded.json().id, alt });
      }
      pictured = await article({
        title: 'Pemprov menyampaikan informasi jadwal vaksinasi <anak> & remaja', summary: 'Jadwal vaksinasi di 20 puskesmas.', rubric: 'pengumuman',
        bodyHtml: '<p>Dinas Kesehatan menyampaikan informasi jadwal vaksinasi anak.</p><h2>Lokasi</h2><p>Puskesmas Sempaja.</p>', tags: ['vaksinasi', 'kesehatan anak'], media, minutesAgo: 5,
      });
      await db().updateTable('post_media').set({ caption: 'Petugas memeriksa tanggul di Sempaja, Senin pagi.' }).where('post_id', '=', pictured.postId).where('position', '=', 0).execute();
      // Someone slipped markup into the stored body: the page sanitizes it again.
      await db().updateTable('articles').set({ body_html: '<p>Dinas Kesehatan menyampaikan informasi jadwal vaksinasi anak.</p><script>alert(1)</script><p onclick="x()">Puskesmas Sempaja.</p>' }).where('post_id', '=', pictured.postId).execute();
      for (let i = 1; i <= 13; i++) await article({ title: `Capaian kinerja triwulan ke-${i}`, rubric: 'kinerja', tags: ['kinerja'], minutesAgo: 60 * 24 * i });
      await article({ title: 'Kabar dari bidang di bawah dinas', unitId: child, rubric: 'sosok', minutesAgo: 30 });
      headline = await article({ title: 'Gubernur meresmikan jembatan Mahakam Ulu', summary: 'Jembatan 300 meter menghubungkan dua kampung.', rubric: 'seputar-kaltim', minutesAgo: 2 });
    });
    after(() => server.close());

    test('the home page: headline, latest, sections per rubric, times in Indonesian with WITA on hover, cacheable', async () => {
      const page = await get('/');
      assert.equal(page.statusCode, 200);
      assert.match(page.headers['content-type'] as string, /^text\/html; charset=utf-8/);
      assert.equal(page.headers['cache-control'], 'public, max-age=60, stale-while-revalidate=600');
      const body = page.body;
      assert.match(body, /^<!doctype html>\n<html lang="id">/);
      assert.match(body, /<a class="lewati" href="#isi">/);
      assert.match(body, /<main id="isi" tabindex="-1"/);
      const utama = body.slice(body.indexOf('class="utama"'), body.indexOf('id="terbaru"'));
      assert.match(utama, /Gubernur meresmikan jembatan Mahakam Ulu/, 'the newest is the headline');
      assert.match(body, /<time datetime="[^"]+Z" title="[A-Z][a-z]+, \d{1,2} [A-Z][a-z]+ \d{4} \d{2}\.\d{2} WITA">2 menit lalu<\/time>/);
      assert.match(body, /kemarin<\/time>/);
      assert.match(body, /<h2 id="rubrik-kinerja" class="bagian-judul"><a href="\/rubrik\/kinerja">Kinerja<\/a><\/h2>/);
      assert.match(body, /Pemprov menyampaikan informasi jadwal vaksinasi &lt;anak&gt; &amp; remaja/);
      assert.ok(!body.includes('<anak>'), 'titles are escaped');
      assert.match(body, /<link rel="stylesheet" href="\/aset\/portal\.[0-9a-f]{12}\.css">/);
      assert.match(body, /href="\/feed\.xml"/);
      assert.match(body, /"@type":"GovernmentOrganization"/);
      assert.match(body, /<meta property="og:image" content="http:\/\/[^"]+\/gambar-bagikan\.png">/);
      assert.ok(!/<script(?! type="application\/ld\+json")/.test(body), 'no script on the page');
      assert.ok(!/(src|href)="(https?:)?\/\/(?!localhost)/.test(body.replace(/<a [^>]*>/g, '')), 'nothing loaded from another origin');
    });

    test('conditional requests answer 304 with no body', async () => {
      const first = await get('/');
      const etag = first.headers.etag as string;
      assert.match(etag, /^"[\w-]+"$/);
      const again = await get('/', { 'if-none-match': etag });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      const tagged = await get('/?utm_source=facebook&utm_medium=social', { 'if-none-match': etag });
      assert.equal(tagged.statusCode, 304, 'tracking parameters change nothing on the page');
      const since = await get('/', { 'if-modified-since': first.headers['last-modified'] as string });
      assert.equal(since.statusCode, 304);
      assert.equal((await get('/', { 'if-none-match': '"lain"' })).statusCode, 200);
      const head = await server.app.inject({ method: 'HEAD', url: '/', headers: html });
      assert.equal(head.statusCode, 200);
      assert.equal(head.headers.etag, etag);
    });

    test('an article: label, title, lead, pictures with captions and sizes, sanitized body, unit, author, tags, share links, related, feedback form', async () => {
      const page = await get(`/berita/${pictured.slug}`);
      assert.equal(page.statusCode, 200);
      const body = page.body;
      assert.match(body, /<a class="label-rubrik" style="background:#[0-9a-f]{6}" href="\/rubrik\/pengumuman">Pengumuman<\/a>/);
      assert.match(body, /<h1>Pemprov menyampaikan informasi jadwal vaksinasi &lt;anak&gt; &amp; remaja<\/h1>/);
      assert.match(body, /<p class="berita-ringkas">Jadwal vaksinasi di 20 puskesmas\.<\/p>/);
      const figures = [...body.matchAll(/<figure class="gambar"><img ([^>]+)>(<figcaption>[^<]*<\/figcaption>)?<\/figure>/g)];
      assert.equal(figures.length, 2);
      assert.match(figures[0]![1]!, /alt="Petugas memeriksa tanggul" width="900" height="600" fetchpriority="high"/);
      assert.ok(!figures[0]![1]!.includes('loading="lazy"'), 'the first picture loads at once');
      assert.match(figures[1]![1]!, /alt="Warga di posko" width="800" height="600" loading="lazy"/);
      assert.equal(figures[0]![2], '<figcaption>Petugas memeriksa tanggul di Sempaja, Senin pagi.</figcaption>');
      assert.match(figures[0]![1]!, /src="\/media\/files\/[^"]+"/);
      assert.ok(!body.includes('alert(1)') && !body.includes('onclick'), 'the body is sanitized again on the way out');
      assert.match(body, /<p>Puskesmas Sempaja\.<\/p>/);
      assert.match(body, /<a href="\/unit\/dinas-portal-uji">Dinas Portal Uji<\/a> · <abbr title="Inisial penulis">RW<\/abbr>/);
      assert.match(body, /<time datetime="[^"]+">[A-Z][a-z]+, \d{1,2} [A-Z][a-z]+ \d{4} \d{2}\.\d{2} WITA<\/time> \(<time [^>]+>5 menit lalu<\/time>\)/);
      assert.match(body, /<a href="\/tag\/kesehatan%20anak">kesehatan anak<\/a>/);
      for (const network of ['WhatsApp', 'Facebook', 'X', 'Telegram', 'LinkedIn']) assert.match(body, new RegExp(`rel="noopener noreferrer">${network}</a>`));
      assert.match(body, /https:\/\/wa\.me\/\?text=[^"]*%2Fberita%2F/);
      assert.match(body, new RegExp(`<input id="tautan-berita" type="text" readonly value="http://[^"]+/berita/${pictured.slug}">`));
      assert.ok(body.includes(feedbackFormHtml(pictured.slug)), 'the citizens\' feedback form is under the article');
      assert.match(body, /<meta property="og:type" content="article">/);
      assert.match(body, new RegExp(`<meta property="og:image" content="http://[^"]+/berita/${pictured.slug}/gambar.png">`));
      const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(body)![1]!) as Record<string, unknown>;
      assert.equal(ld['@type'], 'NewsArticle');
      assert.equal((ld.author as { '@type': string; name: string })['@type'], 'GovernmentOrganization');
      assert.equal((ld.author as { name: string }).name, 'Dinas Portal Uji');
      assert.equal(ld.headline, 'Pemprov menyampaikan informasi jadwal vaksinasi <anak> & remaja');
      assert.match(body, /id="terkait-judul"/);
    });

    test('unknown articles and addresses get the helpful 404 page; /api keeps its JSON', async () => {
      const missing = await get('/berita/tidak-ada-12345678');
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /<h1>Halaman tidak ditemukan<\/h1>/);
      assert.match(missing.body, /<form class="cari-besar" role="search" action="\/cari"/);
      assert.match(missing.body, /<a href="\/rubrik\/kinerja">Rubrik Kinerja<\/a>/);
      const nowhere = await get('/halaman/yang/tidak/ada?x=<b>');
      assert.equal(nowhere.statusCode, 404);
      assert.match(nowhere.headers['content-type'] as string, /^text\/html/);
      assert.ok(!nowhere.body.includes('<b>'));
      const api = await get('/api/v1/tidak-ada');
      assert.equal(api.statusCode, 404);
      assert.equal(api.json().error.code, 'route.not_found');
      const script = await server.app.inject({ method: 'GET', url: '/tidak-ada', headers: { accept: 'application/json' } });
      assert.equal(script.json().error.code, 'route.not_found', 'a client that does not want HTML gets the error body');
    });

    test('rubric pages are paginated with rel links; junk or out-of-range page numbers are not found, never an error', async () => {
      const first = await get('/rubrik/kinerja');
      assert.equal(first.statusCode, 200);
      assert.match(first.body, /Halaman 1 dari 2/);
      assert.match(first.body, /<link rel="next" href="http:\/\/[^"]+\/rubrik\/kinerja\?halaman=2">/);
      assert.match(first.body, /<a rel="next" href="\/rubrik\/kinerja\?halaman=2">/);
      assert.equal((first.body.match(/<article class="kartu/g) ?? []).length, 12);
      const second = await get('/rubrik/kinerja?halaman=2');
      assert.equal(second.statusCode, 200);
      assert.match(second.body, /Halaman 2 dari 2/);
      assert.match(second.body, /<a rel="prev" href="\/rubrik\/kinerja">/);
      assert.match(second.body, /Capaian kinerja triwulan ke-13/);
      for (const junk of ['3', '0', '-1', 'abc', '1.5', '99999999999999', '2%27%20or%201=1', '']) {
        const r = await get(`/rubrik/kinerja?halaman=${junk}`);
        assert.ok(junk === '' ? r.statusCode === 200 : r.statusCode === 404, `halaman=${junk}: ${r.statusCode}`);
      }
      assert.equal((await get('/rubrik/kinerja?halaman=1&halaman=2')).statusCode, 200);
      assert.equal((await get('/rubrik/tidak-ada')).statusCode, 404);
    });

    test('tag and unit pages; a unit page shows the unit and the units below it', async () => {
      const tag = await get('/tag/kesehatan%20anak');
      assert.equal(tag.statusCode, 200);
      assert.match(tag.body, /<h1>Tag: kesehatan anak<\/h1>/);
      assert.match(tag.body, /jadwal vaksinasi/);
      assert.equal((await get('/tag/tidak-dipakai')).statusCode, 404);
      const unitPage = await get('/unit/dinas-portal-uji');
      assert.equal(unitPage.statusCode, 200);
      assert.match(unitPage.body, /<h1>Dinas Portal Uji<\/h1>/);
      assert.match(unitPage.body, /<p class="unit-jenis">Perangkat daerah<\/p>/);
      assert.match(unitPage.body, /humas@portal-uji\.go\.id/);
      assert.match(unitPage.body, /Kabar dari bidang di bawah dinas/, 'articles of the unit below');
      assert.match(unitPage.body, /"@type":"GovernmentOrganization"/);
      const childPage = await get('/unit/bidang-informasi-uji');
      assert.doesNotMatch(childPage.body, /Gubernur meresmikan/);
      assert.equal((await get('/unit/tidak-ada')).statusCode, 404);
    });

    test('search: stems, ranked results with marked passages, filters, and an empty state', async () => {
      const found = await get('/cari?q=menginformasikan');
      assert.equal(found.statusCode, 200);
      assert.equal(found.headers['cache-control'], 'no-store');
      assert.match(found.body, /<p class="jumlah" role="status">1 hasil untuk “menginformasikan”<\/p>/);
      assert.match(found.body, /<mark>informasi<\/mark>/, '"menginformasikan" finds "informasi"');
      assert.match(found.body, /<input id="cari-q" type="search" name="q" value="menginformasikan"/);
      const filtered = await get('/cari?q=kinerja&rubrik=kinerja&unit=dinas-portal-uji');
      assert.match(filtered.body, /13 hasil/);
      assert.match(filtered.body, /Halaman 1 dari 2/);
      assert.match(filtered.body, /<option value="kinerja" selected>/);
      const elsewhere = await get('/cari?q=kinerja&rubrik=sosok');
      assert.match(elsewhere.body, /Tidak ada berita yang cocok/);
      assert.match(elsewhere.body, /Cari tanpa saringan rubrik, unit dan tanggal/);
      const dated = await get(`/cari?q=kinerja&dari=${nextYear}-01-01`);
      assert.match(dated.body, /Tidak ada berita yang cocok/, 'nothing published after the start date');
    });

    test('search never fails on odd input: operators, quotes, SQL, 10,000 characters, stop words, bad dates, unknown filters', async () => {
      const cases: [string, RegExp][] = [
        ['"jadwal vaksinasi" -banjir', /1 hasil/],
        ['vaksinasi OR jembatan', /2 hasil/],
        ["'; drop table articles; --", /Tidak ada berita yang cocok/],
        ['!!! & | :* <> () \\', /Tidak ada berita yang cocok/],
        ['x'.repeat(10_000), /Tidak ada berita yang cocok/],
        ['dan yang di ke dari', /Tidak ada berita yang cocok/],
        ['\u0002vaksinasi\u0003', /1 hasil/],
      ];
      for (const [q, expected] of cases) {
        const r = await get(`/cari?q=${encodeURIComponent(q)}`);
        assert.equal(r.statusCode, 200, q.slice(0, 30));
        assert.match(r.body, expected, q.slice(0, 30));
        assert.ok(!r.body.includes('<b>') && !r.body.includes('\u0002'), 'escaped, markers gone');
      }
      const badDates = await get('/cari?q=vaksinasi&dari=2026-02-30&sampai=besok');
      assert.equal(badDates.statusCode, 200);
      assert.match(badDates.body, /Tanggal “dari” tidak valid/);
      assert.match(badDates.body, /Tanggal “sampai” tidak valid/);
      assert.match(badDates.body, /1 hasil/, 'the invalid dates are set aside');
      const swapped = await get(`/cari?q=vaksinasi&dari=${nextYear}-01-01&sampai=2000-01-01`);
      assert.match(swapped.body, /keduanya ditukar/);
      assert.match(swapped.body, /1 hasil/);
      const unknown = await get('/cari?q=vaksinasi&rubrik=%3Cscript%3E&unit=tidak-ada&halaman=abc');
      assert.equal(unknown.statusCode, 200);
      assert.match(unknown.body, /Rubrik yang dipilih tidak dikenal/);
      assert.match(unknown.body, /Unit yang dipilih tidak dikenal/);
      assert.match(unknown.body, /1 hasil/);
      const beyond = await get('/cari?q=kinerja&halaman=99');
      assert.match(beyond.body, /Halaman 2 dari 2/, 'a page past the end shows the last');
      const repeated = await get('/cari?q=vaksinasi&q=jembatan');
      assert.equal(repeated.statusCode, 200);
      const empty = await get('/cari');
      assert.match(empty.body, /Tulis kata yang dicari/);
    });

    test('the stylesheet is served with a long max-age under its content hash', async () => {
      const home = await get('/');
      const href = /<link rel="stylesheet" href="([^"]+)">/.exec(home.body)![1]!;
      const sheet = await get(href);
      assert.equal(sheet.statusCode, 200);
      assert.match(sheet.headers['content-type'] as string, /^text\/css/);
      assert.equal(sheet.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.ok(sheet.body.length < 12_000, `small: ${sheet.body.length} bytes`);
      assert.equal((await get('/aset/lain.css')).statusCode, 404);
    });

    test('a change is on the next page served: published, corrected, withdrawn', async () => {
      // The pages are in the cache now.
      assert.doesNotMatch((await get('/')).body, /Banjir di Sempaja/);
      await get(`/berita/${headline.slug}`);
      assert.match((await get(`/berita/${headline.slug}`)).body, /Gubernur meresmikan jembatan Mahakam Ulu/);

      // Published (serta-merta, published now): pinned on the home page with its facts.
      const urgent = (await admin.client.post('/api/v1/posts', {
        unitId: unit, title: 'Banjir di Sempaja', bodyHtml: '<p>Warga diminta waspada.</p>', urgent: true, rubricId: rubrics.get('pengumuman'),
        sertaMerta: { what: 'Banjir 50 cm', areas: 'Kelurahan Sempaja', actions: 'Mengungsi ke posko', help: 'Posko BPBD', contact: 'BPBD 112' },
        variants: [{ network: 'facebook' }],
      })).json();
      assert.equal((await admin.client.post(`/api/v1/posts/${urgent.id}/publish-now`)).statusCode, 200);
      await eventually(async () => {
        const home = (await get('/')).body;
        assert.match(home, /<section class="darurat" aria-labelledby="darurat-judul">/);
        assert.match(home, /<dt>Yang perlu dilakukan<\/dt><dd>Mengungsi ke posko<\/dd>/);
      });

      // Corrected: the article says when and why.
      await correctArticle(db(), { postId: headline.postId, input: { title: 'Gubernur meresmikan jembatan di Mahakam Ulu', note: 'Nama lokasi diperjelas.' }, origin });
      await eventually(async () => {
        const body = (await get(`/berita/${headline.slug}`)).body;
        assert.match(body, /<h1>Gubernur meresmikan jembatan di Mahakam Ulu<\/h1>/);
        assert.match(body, /<p class="berita-koreksi"><strong>Diperbarui <time datetime="[^"]+">[^<]+ WITA<\/time>\.<\/strong> Koreksi: Nama lokasi diperjelas\.<\/p>/);
      });
      assert.match((await get('/')).body, /Gubernur meresmikan jembatan di Mahakam Ulu/);

      // Withdrawn: 410, saying when, without the text.
      await withdrawArticle(db(), { postId: headline.postId, reason: 'Informasi belum final.', origin });
      await eventually(async () => {
        const gone = await get(`/berita/${headline.slug}`);
        assert.equal(gone.statusCode, 410);
        assert.match(gone.body, /<h1>Berita ini telah ditarik<\/h1>/);
        assert.match(gone.body, /ditarik pada <time datetime="[^"]+">[^<]+ WITA<\/time>/);
        assert.match(gone.body, /Alasan: Informasi belum final\./);
        assert.doesNotMatch(gone.body, /Jembatan 300 meter/);
      });
      assert.doesNotMatch((await get('/')).body, /Gubernur meresmikan jembatan/);
    });

    test('a scheduled article appears at its time without any announcement', async () => {
      const at = new Date(Date.now() + 2500);
      const post = (await admin.client.post('/api/v1/posts', {
        unitId: unit, title: 'Pengumuman terjadwal tepat waktu', bodyHtml: '<p>Isi.</p>', variants: [{ network: 'facebook' }], scheduledAt: at.toISOString(),
      })).json();
      assert.equal((await admin.client.post(`/api/v1/posts/${post.id}/submit`)).json().status, 'scheduled');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.doesNotMatch((await get('/')).body, /Pengumuman terjadwal tepat waktu/, 'not before its time (and the page is now cached)');
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, at.getTime() - Date.now() + 50)));
      assert.match((await get('/')).body, /Pengumuman terjadwal tepat waktu/, 'the cache let go of the page at the article\'s time');
    });
  });
}
