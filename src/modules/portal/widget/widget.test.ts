/**
 * The embeddable widget on both databases: the JSON it reads (shape, count, unit with the units
 * below it, rubric), readable from any origin without credentials; the script itself; the iframe
 * page, which other sites may frame and which works without JavaScript; unknown units and rubrics
 * answered with a message that names them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../../test/server.ts';
import { liveArticle, makeRubric, withoutReview } from '../feeds/test-articles.ts';
import { widgetCount } from './widget-data.ts';

const BASE = 'https://berita.uji.go.id';

test('data-jumlah: a whole number from 1 to 20, else 5', () => {
  assert.equal(widgetCount('3'), 3);
  assert.equal(widgetCount('999'), 20);
  assert.equal(widgetCount('0'), 1);
  assert.equal(widgetCount('lima'), 5);
  assert.equal(widgetCount(undefined), 5);
});

for (const backend of backendNames) {
  describe(`embeddable widget (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let regencySlug: string;
    let agencySlug: string;
    let emptySlug: string;
    let rubric: { id: string; slug: string; name: string };
    const titles: string[] = [];

    before(async () => {
      server = await startTestServer({ backend, demo: false, config: { publicUrl: BASE } });
      const db = server.siar.services.db;
      const top = await topUnitId(server);
      const topAdmin = await makePerson(server, top, 'admin', 'Admin Provinsi');
      const regency = await makeUnit(server, top, 'regency', 'Kabupaten Widget');
      const agency = await makeUnit(server, regency, 'agency', 'Dinas Widget');
      const empty = await makeUnit(server, top, 'agency', 'Dinas Tanpa Berita');
      const slugOf = async (id: string) => (await db.selectFrom('units').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug;
      [regencySlug, agencySlug, emptySlug] = [await slugOf(regency), await slugOf(agency), await slugOf(empty)];
      rubric = await makeRubric(topAdmin, 'Kesehatan Widget');
      const regencyAdmin: Person = await makePerson(server, regency, 'admin', 'Sari');
      const agencyAdmin: Person = await makePerson(server, agency, 'admin', 'Rina');
      await withoutReview(regencyAdmin, regency);
      await withoutReview(agencyAdmin, agency);
      for (let i = 0; i < 7; i++) {
        const title = `Kabar widget <${i + 1}> & "uji"`;
        titles.unshift(title);
        await liveArticle(server, i % 2 === 0 ? agencyAdmin : regencyAdmin, {
          unitId: i % 2 === 0 ? agency : regency, title, rubricId: i === 6 ? rubric.id : null, publishedAt: new Date(Date.now() - (10 - i) * 3_600_000),
        });
      }
    });
    after(() => server.close());

    const get = (url: string, headers: Record<string, string> = {}) => server.app.inject({ method: 'GET', url, headers: { origin: 'https://kutaikartanegarakab.go.id', ...headers } });

    test('data.json: the latest articles of a unit and the units below it, as many as asked, with absolute links', async () => {
      const response = await get(`/widget/data.json?unit=${regencySlug}&jumlah=3`);
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
      const data = response.json();
      assert.deepEqual(Object.keys(data).sort(), ['items', 'site', 'title', 'url']);
      assert.equal(data.title, 'Berita terbaru: Kabupaten Widget');
      assert.equal(data.url, `${BASE}/unit/${regencySlug}`);
      assert.deepEqual(data.site, { name: 'Pemerintah Provinsi Kalimantan Timur', url: `${BASE}/` });
      assert.deepEqual(data.items.map((i: { title: string }) => i.title), titles.slice(0, 3));
      const first = data.items[0];
      assert.deepEqual(Object.keys(first).sort(), ['publishedAt', 'rubric', 'title', 'unit', 'urgent', 'url']);
      assert.match(first.url, new RegExp(`^${BASE}/berita/kabar-widget-7-uji-[0-9a-f]{8}$`));
      assert.ok(!Number.isNaN(Date.parse(first.publishedAt)));
      assert.equal(first.unit, 'Dinas Widget', 'the agency below the regency is included');
      assert.equal(first.rubric, 'Kesehatan Widget');

      assert.equal((await get(`/widget/data.json?unit=${regencySlug}`)).json().items.length, 5, 'five by default');
      assert.equal((await get(`/widget/data.json?unit=${regencySlug}&jumlah=100`)).json().items.length, 7, 'at most 20: all 7');
      const agencyOnly = (await get(`/widget/data.json?unit=${agencySlug}&jumlah=20`)).json();
      assert.ok(agencyOnly.items.every((i: { unit: string }) => i.unit === 'Dinas Widget'));
      assert.equal(agencyOnly.items.length, 4);
      const byRubric = (await get(`/widget/data.json?rubrik=${rubric.slug}`)).json();
      assert.equal(byRubric.url, `${BASE}/rubrik/${rubric.slug}`);
      assert.deepEqual(byRubric.items.map((i: { title: string }) => i.title), [titles[0]]);
      assert.equal((await get(`/widget/data.json?unit=${regencySlug}&rubrik=${rubric.slug}`)).json().title, 'Berita terbaru: Kesehatan Widget · Kabupaten Widget');
      const site = (await get('/widget/data.json')).json();
      assert.equal(site.title, 'Berita terbaru Pemerintah Provinsi Kalimantan Timur');
      assert.equal(site.items.length, 5);
    });

    test('data.json may be read by any site, without credentials, GET only; a preflight is answered', async () => {
      const response = await get(`/widget/data.json?unit=${regencySlug}`);
      assert.equal(response.headers['access-control-allow-origin'], '*');
      assert.equal(response.headers['access-control-allow-methods'], 'GET, HEAD');
      assert.equal(response.headers['access-control-allow-credentials'], undefined);
      assert.equal(response.headers['cross-origin-resource-policy'], 'cross-origin');
      assert.ok(response.headers.etag);
      assert.equal((await get(`/widget/data.json?unit=${regencySlug}`, { 'if-none-match': response.headers.etag as string })).statusCode, 304);
      const preflight = await server.app.inject({ method: 'OPTIONS', url: '/widget/data.json', headers: { origin: 'https://samarindakota.go.id', 'access-control-request-method': 'GET' } });
      assert.equal(preflight.statusCode, 204);
      assert.equal(preflight.headers['access-control-allow-origin'], '*');
      assert.equal(preflight.headers['access-control-allow-methods'], 'GET, HEAD');
      const post = await server.app.inject({ method: 'POST', url: '/widget/data.json', payload: {} });
      assert.ok(post.statusCode === 404 || post.statusCode === 405, `POST is not a thing here (${post.statusCode})`);
    });

    test('an unknown unit or rubric: 404, still readable cross-origin, naming what was pasted', async () => {
      const unit = await get('/widget/data.json?unit=dinas-salah-ketik');
      assert.equal(unit.statusCode, 404);
      assert.equal(unit.headers['access-control-allow-origin'], '*');
      const issue = unit.json().error.details.issues[0];
      assert.equal(issue.path, 'unit');
      assert.match(issue.message, /Unit "dinas-salah-ketik" tidak ditemukan\. Periksa atribut data-unit/);
      const rubrik = (await get('/widget/data.json?rubrik=olahraga-x')).json().error.details.issues[0];
      assert.equal(rubrik.path, 'rubrik');
      assert.match(rubrik.message, /Rubrik "olahraga-x" tidak ditemukan/);
      // A unit that exists but has nothing yet is not an error: the list is empty.
      const empty = await get(`/widget/data.json?unit=${emptySlug}`);
      assert.equal(empty.statusCode, 200);
      assert.deepEqual(empty.json().items, []);
    });

    test('widget.js is served as JavaScript that other sites may load', async () => {
      const response = await get('/widget.js');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'text/javascript; charset=utf-8');
      assert.equal(response.headers['cross-origin-resource-policy'], 'cross-origin');
      assert.match(response.body, /attachShadow/);
      assert.match(response.body, /widget\/data\.json/);
      assert.equal((await get('/widget.js', { 'if-none-match': response.headers.etag as string })).statusCode, 304);
    });

    test('the iframe page: frameable by any site (only this page), no script, links open at the top', async () => {
      const response = await get(`/widget?unit=${regencySlug}&jumlah=4`);
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
      const csp = response.headers['content-security-policy'] as string;
      assert.match(csp, /frame-ancestors \*/);
      assert.doesNotMatch(csp, /frame-ancestors 'none'/);
      assert.equal(response.headers['x-frame-options'], undefined);
      assert.match(csp, /default-src 'none'/);
      const html = response.body;
      assert.match(html, /<html lang="id">/);
      assert.doesNotMatch(html, /<script/i);
      const links = [...html.matchAll(/<a href="([^"]+)" target="_top">([^<]*)<\/a>/g)];
      // Heading, four articles, the site.
      assert.equal(links.length, 6);
      assert.equal(links[1]![2], 'Kabar widget &lt;7&gt; &amp; &quot;uji&quot;', 'titles are escaped');
      assert.ok(links.every((l) => l[1]!.startsWith(`${BASE}/`)));
      assert.match(html, /<time class="waktu" datetime="[^"]+">\d+ jam lalu<\/time>/);

      // Every other portal page still refuses to be framed.
      const other = await get('/widget.js');
      assert.match(other.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
      assert.equal(other.headers['x-frame-options'], 'DENY');
    });

    test('the iframe page for an unknown unit says so (404); for a unit without news, that there is none yet', async () => {
      const unknown = await get('/widget?unit=tidak-ada');
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.headers['content-security-policy'] as string, /frame-ancestors \*/);
      assert.match(unknown.body, /Unit &quot;tidak-ada&quot; tidak ditemukan/);
      const empty = await get(`/widget?unit=${emptySlug}`);
      assert.equal(empty.statusCode, 200);
      assert.match(empty.body, /Belum ada berita\./);
    });
  });
}
