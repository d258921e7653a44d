/**
 * The public kinerja pages on both databases: the list of units, a unit's year with its figures,
 * band words, the lower-is-better and zero-target sentences, charts with text alternatives, trends
 * across years, programmes; the CSV and JSON downloads with their metadata; not-found answers; text
 * from the files escaped; and that an edit or an import is on the next page served.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../../test/server.ts';
import { csvOf, type Row } from '../../kinerja/test-fixtures.ts';
import { multipartBody } from '../../media/test-fixtures.ts';

const html = { accept: 'text/html,application/xhtml+xml' };
const header: Row[] = [['Sasaran Strategis', 'Indikator Kinerja', 'Satuan', 'Target', 'Realisasi', 'Polaritas', 'Sumber Data']];
const rows2025: Row[] = [
  ['Menurunnya kemiskinan', 'Persentase penduduk miskin', '%', '6,5', '6,1', 'turun', 'BPS Kaltim'],
  [null, 'Indeks Gini', 'indeks', '0,35', '0,36', 'turun', 'BPS Kaltim'],
  ['Meningkatnya layanan gizi', 'Unit layanan gizi beroperasi', 'unit', '367', '120', 'naik', 'Dinas Kesehatan'],
  [null, 'Desa dengan target nol', 'desa', '0', '3', 'naik', null],
  [null, '<script>alert("x")</script> & Co', 'orang', '1.000', '1.250', 'naik', '=HYPERLINK("http://jahat")'],
];
const rows2024: Row[] = [
  ['Menurunnya kemiskinan', 'Persentase penduduk miskin', '%', '6,8', '6,6', 'turun', 'BPS Kaltim'],
];

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
  describe(`kinerja on the portal (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let unitId = '';
    let slug = '';
    let editor: Person;
    const get = (url: string, headers: Record<string, string> = {}) => server.app.inject({ method: 'GET', url, headers: { ...html, ...headers } });

    async function importRows(rows: Row[], year: number) {
      const { payload, contentType } = multipartBody({ unitId, year: String(year) }, { name: `iku-${year}.csv`, data: csvOf(rows), contentType: 'text/csv' });
      const uploaded = await editor.client.request('POST', '/api/v1/kinerja/imports', payload, { 'content-type': contentType });
      assert.equal(uploaded.statusCode, 201, uploaded.body);
      const preview = uploaded.json();
      const confirmed = await editor.client.post(`/api/v1/kinerja/imports/${preview.id}/confirm`, { mapping: preview.mapping });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      return confirmed.json();
    }

    async function indicator(name: string) {
      const report = (await editor.client.get(`/api/v1/kinerja?unitId=${unitId}&year=2025`)).json();
      return report.goals.flatMap((g: { indicators: unknown[] }) => g.indicators).find((i: { name: string }) => i.name === name);
    }

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      const top = await topUnitId(server);
      unitId = await makeUnit(server, top, 'agency', 'Dinas Kesehatan Uji');
      slug = (await server.siar.services.db.selectFrom('units').select('slug').where('id', '=', unitId).executeTakeFirstOrThrow()).slug;
      editor = await makePerson(server, unitId, 'editor', 'Editor Dinkes');
      await importRows([...header, ...rows2024], 2024);
      await importRows([...header, ...rows2025], 2025);
      const programme = await editor.client.post('/api/v1/kinerja/programmes', { unitId, year: 2025, name: 'Pembentukan unit layanan gizi', satuan: 'unit layanan', target: '367' });
      assert.equal(programme.statusCode, 201, programme.body);
      const progress = await editor.client.post(`/api/v1/kinerja/programmes/${programme.json().id}/progress`, { asOf: '2025-06-30', value: '120', note: 'beroperasi' });
      assert.equal(progress.statusCode, 200, progress.body);
    });
    after(async () => server?.close());

    test('the list names each unit with data and links its years', async () => {
      const response = await get('/kinerja');
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /<html lang="id">/);
      assert.match(response.body, /Dinas Kesehatan Uji/);
      assert.ok(response.body.includes(`href="/kinerja/${slug}/2025"`));
      assert.ok(response.body.includes(`href="/kinerja/${slug}/2024"`));
      // The site navigation links the dashboard (apart from the "Kinerja" news rubric), marked as the current page here.
      assert.match(response.body, /<a href="\/kinerja" aria-current="page">Data Kinerja<\/a>/);
    });

    test('a unit without a year goes to its latest year', async () => {
      const response = await get(`/kinerja/${slug}`);
      assert.equal(response.statusCode, 302);
      assert.equal(response.headers.location, `/kinerja/${slug}/2025`);
    });

    test('the year page shows figures, band words, plain sentences and accessible charts', async () => {
      const response = await get(`/kinerja/${slug}/2025`);
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /text\/html/);
      const body = response.body;
      assert.match(body, /<h1>Kinerja Dinas Kesehatan Uji Tahun 2025<\/h1>/);
      assert.match(body, /Sasaran: Menurunnya kemiskinan/);
      // Higher is better: the share of the target, in Indonesian numbers, with the band's name.
      assert.ok(body.includes('Realisasi 32,7% dari target: 120 unit dari 367 unit (Sangat Kurang).'), 'higher-is-better sentence');
      // Lower is better: (2×6,5 − 6,1)/6,5 = 106,15%, worded as lower and better.
      assert.ok(body.includes('Realisasi 6,1% lebih rendah (lebih baik) dari target 6,5%; capaian 106,15% (Sangat Baik).'), 'lower-is-better sentence');
      assert.ok(body.includes('Realisasi 0,36 indeks lebih tinggi (lebih buruk) dari target 0,35 indeks; capaian 97,14% (Sangat Baik).'));
      assert.ok(body.includes('Semakin rendah semakin baik.'));
      // Zero target: no number, a reason.
      assert.ok(body.includes('Capaian belum dapat dihitung: target nol (target 0 desa, realisasi 3 desa).'), 'zero-target sentence');
      assert.ok(body.includes('Belum dapat dihitung: target nol'));
      // The band is a colour AND its words.
      assert.match(body, /<span class="lencana" style="background:#15803d">Sangat Baik<\/span>/);
      assert.match(body, /<span class="lencana" style="background:#b91c1c">Sangat Kurang<\/span>/);
      // Charts: role="img" named by a <title> and described by a <desc>; the numbers are in a table too.
      assert.match(body, /<svg class="grafik" role="img" aria-labelledby="(ik-\d+)-j \1-d"/);
      assert.match(body, /<title id="ik-\d+-j">Target dan realisasi: Persentase penduduk miskin<\/title>/);
      assert.match(body, /<desc id="ik-\d+-d">Target 6,5%, realisasi 6,1%\./);
      assert.match(body, /<th scope="row">Unit layanan gizi beroperasi<\/th><td>unit<\/td><td class="angka">367<\/td><td class="angka">120<\/td><td class="angka">32,7%<\/td><td>Sangat Kurang<\/td>/);
      assert.ok(body.includes('Sumber: BPS Kaltim'));
      // Trends: the indicator present in 2024 and 2025.
      assert.match(body, /Perkembangan dari tahun ke tahun/);
      assert.match(body, /<title id="tr-\d+-j">Perkembangan Persentase penduduk miskin, 2024–2025<\/title>/);
      assert.match(body, /<th scope="row">2024<\/th><td class="angka">6,8<\/td><td class="angka">6,6<\/td><td class="angka">102,94%<\/td>/);
      // Programmes: target and progress in words.
      assert.ok(body.includes('367 unit layanan ditargetkan, 120 tercapai per 30 Juni 2025 (32,7% dari target).'));
      // Downloads linked, years linked, the JSON-LD dataset.
      assert.ok(body.includes(`href="/kinerja/${slug}/2025.csv"`));
      assert.ok(body.includes(`href="/kinerja/${slug}/2025.json"`));
      assert.ok(body.includes(`href="/kinerja/${slug}/2024"`));
      assert.match(body, /"@type":"Dataset"/);
      assert.match(body, /<link rel="stylesheet" href="\/aset\/kinerja\.[0-9a-f]{12}\.css">/);
      const css = await get(body.match(/href="(\/aset\/kinerja\.[0-9a-f]{12}\.css)"/)![1]!);
      assert.equal(css.statusCode, 200);
      assert.match(String(css.headers['content-type']), /text\/css/);
    });

    test('text from the files is escaped on the page', async () => {
      const body = (await get(`/kinerja/${slug}/2025`)).body;
      assert.ok(!body.includes('<script>alert'), 'no script from the data');
      assert.ok(body.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co'));
      assert.ok(!/<script(?! type="application\/ld\+json")/.test(body), 'the only script is JSON-LD');
    });

    test('the CSV download: type, file name, exact values, formulas neutralised', async () => {
      const response = await get(`/kinerja/${slug}/2025.csv`);
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.equal(response.headers['content-disposition'], `attachment; filename="kinerja-${slug}-2025.csv"`);
      assert.equal(response.headers['access-control-allow-origin'], '*');
      const text = response.body;
      assert.ok(text.startsWith('\uFEFFtahun,jenis,unit,sasaran,nama,satuan,target,realisasi,tanggal_realisasi,polaritas,capaian_persen,kategori,'));
      const lines = text.trim().split('\r\n');
      assert.equal(lines.length, 1 + 5 + 1, 'header, five indicators, one programme');
      assert.ok(lines.some((l) => l.startsWith('2025,indikator,Dinas Kesehatan Uji,Menurunnya kemiskinan,Persentase penduduk miskin,%,6.5,6.1,,turun,106.15,Sangat Baik,')));
      assert.ok(lines.some((l) => l.includes(',Desa dengan target nol,desa,0,3,,naik,,Belum dapat dihitung: target nol,')));
      assert.ok(lines.some((l) => l.includes(`"'=HYPERLINK(""http://jahat"")"`)), 'a formula in a text cell starts with an apostrophe');
      assert.ok(lines.some((l) => l.startsWith('2025,program,Dinas Kesehatan Uji,,Pembentukan unit layanan gizi,unit layanan,367,120,2025-06-30,naik,32.7,')));
    });

    test('the JSON download carries metadata and the same rows', async () => {
      const response = await get(`/kinerja/${slug}/2025.json`);
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^application\/json; charset=utf-8/);
      assert.equal(response.headers['content-disposition'], `attachment; filename="kinerja-${slug}-2025.json"`);
      const { metadata, data } = response.json();
      assert.equal(metadata.judul, 'Capaian kinerja Dinas Kesehatan Uji tahun 2025');
      assert.deepEqual(metadata.produsen_data, { nama: 'Dinas Kesehatan Uji', slug });
      assert.deepEqual(metadata.periode, { tahun: 2025, mulai: '2025-01-01', selesai: '2025-12-31' });
      assert.deepEqual(metadata.sumber, ['BPS Kaltim', 'Dinas Kesehatan', '=HYPERLINK("http://jahat")']);
      assert.match(metadata.lisensi, /Keterbukaan Informasi Publik/);
      assert.ok(!Number.isNaN(Date.parse(metadata.dibuat)));
      assert.ok(!Number.isNaN(Date.parse(metadata.diperbarui)));
      assert.ok(metadata.halaman.endsWith(`/kinerja/${slug}/2025`));
      assert.deepEqual(metadata.distribusi.map((d: { format: string }) => d.format), ['CSV', 'JSON']);
      assert.ok(metadata.kolom.some((c: { name: string }) => c.name === 'capaian_persen'));
      assert.equal(data.length, 6);
      const miskin = data.find((r: { nama: string }) => r.nama === 'Persentase penduduk miskin');
      assert.deepEqual({ target: miskin.target, realisasi: miskin.realisasi, capaian: miskin.capaian_persen, polaritas: miskin.polaritas }, { target: '6.5', realisasi: '6.1', capaian: '106.15', polaritas: 'turun' });
    });

    test('unknown unit, unknown year and junk addresses get the portal 404 page', async () => {
      for (const url of ['/kinerja/tidak-ada/2025', `/kinerja/${slug}/2019`, `/kinerja/${slug}/2019.csv`, `/kinerja/${slug}/2025.xml`, `/kinerja/${slug}/dua-ribu`, '/kinerja/tidak-ada']) {
        const response = await get(url);
        assert.equal(response.statusCode, 404, url);
        assert.match(response.body, /Halaman tidak ditemukan/, url);
      }
    });

    test('conditional requests answer 304', async () => {
      const first = await get(`/kinerja/${slug}/2025`);
      const again = await get(`/kinerja/${slug}/2025`, { 'if-none-match': String(first.headers.etag) });
      assert.equal(again.statusCode, 304);
    });

    test('an edit and an import are on the next page served', async () => {
      const before = await get(`/kinerja/${slug}/2025`);
      assert.ok(before.body.includes('120 unit dari 367 unit'));
      const gizi = await indicator('Unit layanan gizi beroperasi');
      const edited = await editor.client.patch(`/api/v1/kinerja/indicators/${gizi.id}`, { version: gizi.version, realisasi: '340' });
      assert.equal(edited.statusCode, 200, edited.body);
      await eventually(async () => {
        const body = (await get(`/kinerja/${slug}/2025`)).body;
        assert.ok(body.includes('Realisasi 92,64% dari target: 340 unit dari 367 unit (Sangat Baik).'));
      });
      const csv = (await get(`/kinerja/${slug}/2025.csv`)).body;
      assert.ok(csv.includes(',Unit layanan gizi beroperasi,unit,367,340,'));
      // A new year by import: listed at once.
      assert.ok(!(await get('/kinerja')).body.includes(`/kinerja/${slug}/2026`));
      await importRows([...header, ['Menurunnya kemiskinan', 'Persentase penduduk miskin', '%', '6,0', '', 'turun', 'BPS Kaltim']], 2026);
      await eventually(async () => {
        assert.ok((await get('/kinerja')).body.includes(`/kinerja/${slug}/2026`));
        const page = (await get(`/kinerja/${slug}/2026`)).body;
        assert.ok(page.includes('Capaian belum dapat dihitung: realisasi belum tersedia (target 6%).'));
      });
    });
  });
}
