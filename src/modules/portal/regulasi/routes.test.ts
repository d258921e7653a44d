/**
 * The portal's regulation pages over HTTP, on both databases: the index and its filters (junk
 * never a 500), pages of the list, a regulation's page (explanation, FAQ, JDIH link, unit, the
 * articles about it, JSON-LD Legislation, Open Graph), everything escaped, drafts and unknown
 * slugs answered with the portal's 404, and an edit visible on the next page served.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../../test/server.ts';
import { prose } from './render.ts';

const nextYear = new Date().getUTCFullYear() + 1;
const accept = { accept: 'text/html,application/xhtml+xml' };

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

const jsonLdOf = (body: string): Record<string, unknown>[] =>
  [...body.matchAll(/<script type="application\/ld\+json">([^<]*)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);

test('prose: lines become paragraphs, a list of items becomes a list, markup is text', () => {
  assert.equal(prose('Satu.\nDua <b>tebal</b>.').value, '<p>Satu.</p>\n<p>Dua &lt;b&gt;tebal&lt;/b&gt;.</p>\n');
  assert.equal(prose('- sungai bersih\n- laut bersih').value, '<ul>\n<li>sungai bersih</li>\n<li>laut bersih</li>\n</ul>');
});

for (const backend of backendNames) {
  describe(`portal regulation pages (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let agency: string;
    let agencySlug: string;
    let otherAgency: string;
    let editor: Person;
    let plastic: { id: string; slug: string; version: number };
    let revoked: { id: string; slug: string };
    let draft: { id: string; slug: string };
    let unexplained: { id: string; slug: string };
    let articleSlug: string;
    const get = (url: string, headers: Record<string, string> = {}) => server.app.inject({ method: 'GET', url, headers: { ...accept, ...headers } });
    const db = () => server.siar.services.db;

    async function record(body: Record<string, unknown>, unitId = agency) {
      const response = await editor.client.post('/api/v1/regulations', { unitId, ...body });
      assert.equal(response.statusCode, 201, response.body);
      return response.json() as { id: string; slug: string; version: number };
    }

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      const province = await topUnitId(server);
      agency = await makeUnit(server, province, 'agency', 'Dinas Lingkungan Hidup');
      otherAgency = await makeUnit(server, province, 'agency', 'Dinas Perhubungan');
      agencySlug = (await db().selectFrom('units').select('slug').where('id', '=', agency).executeTakeFirstOrThrow()).slug;
      editor = await makePerson(server, province, 'admin', 'Rina Penulis');
      assert.equal((await editor.client.put(`/api/v1/units/${agency}/approval-policy`, { tierUnitIds: [], sertaMertaDirectRole: null, crowdingPerHour: 3 })).statusCode, 200);

      plastic = await record({
        type: 'pergub', number: '12', year: 2025, title: 'Pengurangan Sampah <b>Plastik</b> & "Styrofoam"',
        enactedOn: '2025-03-10', inForceOn: '2025-07-01', jdihUrl: 'https://jdih.kaltimprov.go.id/produk-hukum/pergub-12-2025',
        purpose: 'Agar sungai dan laut bersih dari sampah plastik <script>alert(1)</script>.',
        reasons: '- Sampah plastik menyumbat drainase\n- Ikan tercemar mikroplastik',
        affected: 'Toko swalayan, pasar modern, dan pembeli.',
        changes: 'Toko tidak lagi memberi kantong plastik gratis.',
        starts: 'Mulai 1 Juli 2025 di seluruh Kalimantan Timur.',
        faq: [{ question: 'Apakah pasar tradisional juga?', answer: 'Ya, mulai tahun depan.' }, { question: 'Bolehkah kantong kertas?', answer: 'Boleh.' }],
      });
      revoked = await record({ type: 'perda', number: '3', year: 2024, title: 'Retribusi Persampahan', status: 'dicabut', purpose: 'Membiayai angkutan sampah.', reasons: 'Biaya angkutan naik.' });
      draft = await record({ type: 'keputusan', number: '7', year: 2025, title: 'Rancangan Tarif Angkutan Sungai', status: 'rancangan', purpose: 'Tarif baru.', reasons: 'Harga BBM.' }, otherAgency);
      unexplained = await record({ type: 'surat_edaran', number: '1', year: 2023, title: 'Hemat Energi di Kantor' }, otherAgency);

      // A post about the Pergub that went out (its article is live), and a draft that did not.
      const post = await editor.client.post('/api/v1/posts', {
        unitId: agency, title: 'Mulai Juli, bawa tas belanja sendiri', summary: 'Pergub 12/2025 berlaku 1 Juli.', bodyHtml: '<p>Toko tidak memberi kantong plastik.</p>',
        variants: [{ network: 'facebook' }], scheduledAt: `${nextYear}-06-01T09:00`,
      });
      assert.equal(post.statusCode, 201, post.body);
      assert.equal((await editor.client.post(`/api/v1/regulations/${plastic.id}/posts`, { postId: post.json().id })).statusCode, 200);
      assert.equal((await editor.client.post(`/api/v1/posts/${post.json().id}/submit`)).json().status, 'scheduled');
      const live = await db().updateTable('articles').set({ published_at: new Date(Date.now() - 3_600_000) }).where('post_id', '=', post.json().id).returning('slug').executeTakeFirstOrThrow();
      articleSlug = live.slug;
      const unsent = await editor.client.post('/api/v1/posts', { unitId: agency, title: 'Draf yang belum terbit', bodyHtml: '<p>Draf.</p>' });
      assert.equal((await editor.client.post(`/api/v1/regulations/${plastic.id}/posts`, { postId: unsent.json().id })).statusCode, 200);
      plastic.version = (await editor.client.get(`/api/v1/regulations/${plastic.id}`)).json().version;
    });
    after(() => server.close());

    test('the index lists regulations that are law, newest first, with links to their pages; drafts are not public', async () => {
      const page = await get('/regulasi');
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['cache-control'], 'public, max-age=60, stale-while-revalidate=600');
      assert.match(page.body, /<h1>Daftar Regulasi<\/h1>/);
      assert.match(page.body, /<p class="jumlah" role="status">3 regulasi<\/p>/);
      assert.match(page.body, new RegExp(`<a href="/regulasi/${plastic.slug}">Pengurangan Sampah &lt;b&gt;Plastik&lt;/b&gt; &amp; &quot;Styrofoam&quot;</a>`));
      assert.match(page.body, /Pergub Nomor 12 Tahun 2025 · ditetapkan 10 Maret 2025/);
      assert.ok(page.body.indexOf(plastic.slug) < page.body.indexOf(revoked.slug), 'newest year first');
      assert.ok(page.body.indexOf(revoked.slug) < page.body.indexOf(unexplained.slug));
      assert.doesNotMatch(page.body, /Rancangan Tarif Angkutan Sungai/);
      assert.doesNotMatch(page.body, /<script>alert/);
      // The site navigation links here, marked as the current page.
      assert.match(page.body, /<li><a href="\/regulasi" aria-current="page">Daftar Regulasi<\/a><\/li>/);
      // The filter form is a plain GET form with a label for every field.
      assert.match(page.body, /<form class="cari-saring" action="\/regulasi" method="get"/);
      for (const name of ['q', 'jenis', 'tahun', 'status', 'unit']) assert.match(page.body, new RegExp(`<label for="regulasi-${name}">`));
      assert.match(page.body, /<option value="2025">2025<\/option>/);
      assert.doesNotMatch(page.body, /<option value="rancangan"/);
    });

    test('filters: type, year, status, unit (and below), words; junk is set aside with a note, never a 500', async () => {
      const titles = async (query: string) => {
        const page = await get(`/regulasi?${query}`);
        assert.equal(page.statusCode, 200, `${query}: ${page.statusCode}`);
        return { body: page.body, found: [plastic, revoked, unexplained].filter((r) => page.body.includes(`href="/regulasi/${r.slug}"`)).map((r) => r.slug), page };
      };
      assert.deepEqual((await titles('jenis=perda')).found, [revoked.slug]);
      assert.match((await titles('jenis=perda')).body, /<option value="perda" selected>/);
      assert.deepEqual((await titles('tahun=2025')).found, [plastic.slug]);
      assert.deepEqual((await titles('status=dicabut')).found, [revoked.slug]);
      assert.deepEqual((await titles(`unit=${agencySlug}`)).found, [plastic.slug, revoked.slug]);
      const words = await titles('q=sampah+plastik');
      assert.deepEqual(words.found, [plastic.slug]);
      assert.equal(words.page.headers['cache-control'], 'no-store', 'a list by words is the reader\'s own');
      assert.match(words.body, /value="sampah plastik"/);
      assert.deepEqual((await titles('q=188.44%2FK')).found, []);
      assert.match((await titles('q=tidak-ada-sama-sekali')).body, /Tidak ada regulasi yang cocok/);
      // A draft cannot be asked for.
      const drafts = await titles('status=rancangan');
      assert.deepEqual(drafts.found, [plastic.slug, revoked.slug, unexplained.slug]);
      assert.match(drafts.body, /Status yang dipilih tidak dikenal/);
      const junk = await titles(`jenis=%3Cscript%3E&tahun=20x5&unit=tidak-ada&q=${'a'.repeat(5000)}%27%22%3B--`);
      assert.match(junk.body, /Jenis regulasi yang dipilih tidak dikenal/);
      assert.match(junk.body, /Tahun harus empat angka/);
      assert.match(junk.body, /Unit yang dipilih tidak dikenal/);
      assert.doesNotMatch(junk.body, /<script>/);
      assert.equal((await get('/regulasi?halaman=abc')).statusCode, 404);
      assert.equal((await get('/regulasi?halaman=9')).statusCode, 404);
      assert.equal((await get('/regulasi?tahun=1999')).statusCode, 200, 'an empty result is a page, not a 404');
    });

    test('a regulation\'s page: explanation, FAQ, JDIH link, unit, dates in Indonesian, articles about it; all escaped', async () => {
      const page = await get(`/regulasi/${plastic.slug}`);
      assert.equal(page.statusCode, 200);
      const body = page.body;
      assert.match(body, /<h1 id="regulasi-judul">Pengurangan Sampah &lt;b&gt;Plastik&lt;\/b&gt; &amp; &quot;Styrofoam&quot;<\/h1>/);
      assert.match(body, /<p class="berita-ringkas">Peraturan Gubernur Nomor 12 Tahun 2025<\/p>/);
      assert.match(body, /<dt>Status<\/dt><dd>Berlaku<\/dd>/);
      assert.match(body, /<dt>Ditetapkan<\/dt><dd><time datetime="2025-03-10">10 Maret 2025<\/time><\/dd>/);
      assert.match(body, /<dt>Mulai berlaku<\/dt><dd><time datetime="2025-07-01">1 Juli 2025<\/time><\/dd>/);
      assert.match(body, new RegExp(`<dt>Unit penanggung jawab</dt><dd><a href="/unit/${agencySlug}">Dinas Lingkungan Hidup</a></dd>`));
      assert.match(body, /<a class="tautan-jdih" href="https:\/\/jdih\.kaltimprov\.go\.id\/produk-hukum\/pergub-12-2025" rel="noopener">Baca dokumen resmi Pergub Nomor 12 Tahun 2025 di JDIH<\/a>/);
      assert.match(body, /di luar portal ini/);
      for (const heading of ['Tujuan', 'Alasan', 'Siapa yang terdampak', 'Apa yang berubah', 'Mulai kapan', 'Tanya jawab']) assert.match(body, new RegExp(`<h2 id="regulasi-[a-z]+">${heading}</h2>`));
      assert.match(body, /<p>Agar sungai dan laut bersih dari sampah plastik &lt;script&gt;alert\(1\)&lt;\/script&gt;\.<\/p>/);
      assert.doesNotMatch(body, /<script>alert/);
      assert.match(body, /<ul>\n<li>Sampah plastik menyumbat drainase<\/li>\n<li>Ikan tercemar mikroplastik<\/li>\n<\/ul>/);
      assert.match(body, /<h3>Apakah pasar tradisional juga\?<\/h3>\n<p>Ya, mulai tahun depan\.<\/p>/);
      assert.ok(body.indexOf('Apakah pasar tradisional') < body.indexOf('Bolehkah kantong kertas'), 'the FAQ in its order');
      // The article that went out links here; the draft does not.
      assert.match(body, new RegExp(`<a href="/berita/${articleSlug}">Mulai Juli, bawa tas belanja sendiri</a>`));
      assert.doesNotMatch(body, /Draf yang belum terbit/);
      assert.match(body, /<li><a href="\/regulasi" aria-current="true">Daftar Regulasi<\/a><\/li>/);
    });

    test('JSON-LD Legislation and Open Graph on a regulation\'s page', async () => {
      const body = (await get(`/regulasi/${plastic.slug}`)).body;
      const ld = jsonLdOf(body).find((item) => item['@type'] === 'Legislation');
      assert.ok(ld, 'Legislation JSON-LD present');
      assert.equal(ld.legislationIdentifier, 'Pergub Nomor 12 Tahun 2025');
      assert.equal(ld.legislationType, 'Peraturan Gubernur');
      assert.equal(ld.legislationDate, '2025-03-10');
      assert.equal(ld.legislationLegalForce, 'https://schema.org/InForce');
      assert.equal(ld.name, 'Peraturan Gubernur Nomor 12 Tahun 2025 tentang Pengurangan Sampah <b>Plastik</b> & "Styrofoam"');
      assert.deepEqual(ld.encoding, { '@type': 'LegislationObject', contentUrl: 'https://jdih.kaltimprov.go.id/produk-hukum/pergub-12-2025' });
      assert.match(String(ld.url), new RegExp(`/regulasi/${plastic.slug}$`));
      assert.doesNotMatch(body.slice(body.indexOf('application/ld+json')), /^[^]*?<\/script>[^]*?<b>Plastik/, 'no raw markup inside the JSON-LD');
      assert.match(body, /<meta property="og:title" content="Pergub Nomor 12 Tahun 2025 tentang Pengurangan Sampah &lt;b&gt;Plastik&lt;\/b&gt; &amp; &quot;Styrofoam&quot; \| /);
      assert.match(body, /<meta property="og:description" content="Pergub Nomor 12 Tahun 2025 tentang [^"]+Tujuan: Agar sungai/);
      assert.match(body, new RegExp(`<link rel="canonical" href="[^"]+/regulasi/${plastic.slug}">`));
      const revokedLd = jsonLdOf((await get(`/regulasi/${revoked.slug}`)).body).find((item) => item['@type'] === 'Legislation')!;
      assert.equal(revokedLd.legislationLegalForce, 'https://schema.org/NotInForce');
    });

    test('a revoked regulation says so; one without its explanation says it is coming', async () => {
      const gone = (await get(`/regulasi/${revoked.slug}`)).body;
      assert.match(gone, /<p class="berita-koreksi"><strong>Dicabut\.<\/strong> Regulasi ini sudah dicabut dan tidak berlaku lagi\./);
      assert.match(gone, /Tautan dokumen resmi di JDIH belum dicatat/);
      const waiting = (await get(`/regulasi/${unexplained.slug}`)).body;
      assert.match(waiting, /Penjelasan regulasi ini sedang disiapkan oleh Dinas Perhubungan\./);
      assert.doesNotMatch(waiting, /<h2 id="regulasi-tujuan">/);
    });

    test('an unknown slug and a draft answer with the portal\'s 404 page', async () => {
      for (const slug of ['tidak-ada', draft.slug, '%3Cscript%3E']) {
        const page = await get(`/regulasi/${slug}`);
        assert.equal(page.statusCode, 404, slug);
        assert.match(page.body, /<h1>Halaman tidak ditemukan<\/h1>/);
        assert.match(page.body, /<meta name="robots" content="noindex, follow">/);
      }
    });

    test('pages of the list: 20 a page, links to the previous and next page keep the filters', async () => {
      for (let n = 1; n <= 19; n++) await record({ type: 'keputusan', number: `${n}`, year: 2020, title: `Tim Kebersihan Sungai Wilayah ${n}` });
      const first = await get('/regulasi?jenis=keputusan');
      assert.match(first.body, /19 regulasi/);
      const all = await get('/regulasi');
      assert.match(all.body, /22 regulasi · Halaman 1 dari 2/);
      assert.match(all.body, /<a rel="next" href="\/regulasi\?halaman=2">/);
      const second = await get('/regulasi?halaman=2');
      assert.equal(second.statusCode, 200);
      assert.match(second.body, /<span aria-current="page">Halaman 2 dari 2<\/span>/);
      assert.match(second.body, /<a rel="prev" href="\/regulasi">/);
      assert.match(second.body, /<link rel="prev" href="[^"]+\/regulasi">/);
      const filtered = await get('/regulasi?tahun=2020&jenis=keputusan&halaman=1');
      assert.match(filtered.body, /<meta name="robots" content="noindex, follow">/);
    });

    test('an edit, a new regulation and a removal are on the next page served', async () => {
      // The pages are in the cache now: a change written behind the portal's back stays unseen...
      assert.match((await get(`/regulasi/${plastic.slug}`)).body, /Toko tidak lagi memberi kantong plastik gratis\./);
      await db().updateTable('regulations').set({ changes: 'Diam-diam diubah.' }).where('id', '=', plastic.id).execute();
      assert.doesNotMatch((await get(`/regulasi/${plastic.slug}`)).body, /Diam-diam diubah/, 'the page is served from the cache');
      // ...while a save through Siar announces itself.
      const edited = await editor.client.patch(`/api/v1/regulations/${plastic.id}`, { version: plastic.version, changes: 'Kantong plastik berbayar Rp5.000.', status: 'diubah' });
      assert.equal(edited.statusCode, 200, edited.body);
      await eventually(async () => {
        const body = (await get(`/regulasi/${plastic.slug}`)).body;
        assert.match(body, /<p>Kantong plastik berbayar Rp5\.000\.<\/p>/);
        assert.match(body, /<strong>Sudah diubah\.<\/strong>/);
      });
      await eventually(async () => assert.match((await get('/regulasi?status=diubah')).body, new RegExp(`href="/regulasi/${plastic.slug}"`)));

      assert.doesNotMatch((await get('/regulasi?tahun=2026')).body, /Air Minum/);
      const added = await record({ type: 'perda', number: '9', year: 2026, title: 'Air Minum untuk Semua', purpose: 'Air bersih.', reasons: 'Hak warga.' });
      await eventually(async () => assert.match((await get('/regulasi?tahun=2026')).body, /Air Minum untuk Semua/));

      assert.equal((await editor.client.delete(`/api/v1/regulations/${added.id}`)).statusCode, 204);
      await eventually(async () => assert.equal((await get(`/regulasi/${added.slug}`)).statusCode, 404));
    });

    test('conditional requests: the same page answers 304', async () => {
      const page = await get(`/regulasi/${revoked.slug}`);
      const again = await get(`/regulasi/${revoked.slug}`, { 'if-none-match': page.headers.etag as string });
      assert.equal(again.statusCode, 304);
    });
  });
}
