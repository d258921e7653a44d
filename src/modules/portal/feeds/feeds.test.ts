/**
 * Feeds, sitemaps and robots.txt over HTTP on both databases: RSS 2.0, Atom and JSON Feed for the
 * site, a rubric and a unit (with the units below it), the 20 latest live articles with absolute
 * links, escaped text and the article's HTML intact, dates in RFC 822 / RFC 3339, the first photo as
 * enclosure; ETag, Last-Modified and 304; sitemap.xml, the Google News sitemap and robots.txt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { backendNames, postgresSkipReason } from '../../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../../test/server.ts';
import { liveArticle, makeRubric, uploadPhoto, withoutReview } from './test-articles.ts';
import { cdata, xmlEscape } from './xml.ts';

const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Elements that may repeat are always arrays (in Atom, `link` repeats; in RSS it does not). */
const parserFor = (repeated: string[]) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => repeated.includes(name) });
const parser = parserFor(['item', 'url', 'category', 'atom:link']);
const atomParser = parserFor(['entry', 'category', 'link']);

type Xml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function parseXml(body: string): Xml {
  assert.equal(XMLValidator.validate(body), true, 'well-formed XML');
  return (body.includes('<feed xmlns="http://www.w3.org/2005/Atom"') ? atomParser : parser).parse(body) as Xml;
}

test('XML text: escaped, no characters XML forbids, CDATA that survives "]]>"', () => {
  assert.equal(xmlEscape(`a & b <c> "d" 'e'`), 'a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;');
  assert.equal(xmlEscape('bel\u0007 nul\u0000 \ud800 ok'), 'bel nul \ufffd ok');
  const wrapped = `<x>${cdata('<p>a ]]> b</p>')}</x>`;
  assert.equal(parser.parse(wrapped).x, '<p>a ]]> b</p>');
});

for (const backend of backendNames) {
  describe(`feeds and sitemaps (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let base: string;
    let top: string;
    let regency: string;
    let agency: string;
    let other: string;
    let agencyAdmin: Person;
    let otherAdmin: Person;
    let regencyAdmin: Person;
    let rubric: { id: string; slug: string; name: string };
    let photo: { id: string; bytes: number; mime: string };
    let priceArticle: { postId: string; slug: string };
    let regencyArticle: { postId: string; slug: string };
    let waiting: { postId: string; slug: string };
    let withdrawn: { postId: string; slug: string };
    let old: { postId: string; slug: string };
    let storedBody: string;
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const PRICE_TITLE = 'Harga "cabai" & bawang <turun> di Pasar Segiri';
    const PRICE_BODY = '<p>Harga turun <strong>20%</strong> pekan ini; kode ]]&gt; tetap utuh.</p><p>Lihat <a href="https://kaltimprov.go.id/pasar">daftar harga</a>.</p>';

    before(async () => {
      base = 'https://berita.uji.go.id';
      server = await startTestServer({ backend, demo: false, config: { publicUrl: base } });
      const db = server.siar.services.db;
      top = await topUnitId(server);
      const topAdmin = await makePerson(server, top, 'admin', 'Admin Provinsi');
      regency = await makeUnit(server, top, 'regency', 'Kabupaten Umpan');
      agency = await makeUnit(server, regency, 'agency', 'Dinas Umpan Kabupaten');
      other = await makeUnit(server, top, 'agency', 'Dinas Lain Provinsi');
      agencyAdmin = await makePerson(server, agency, 'admin', 'Rina Wulandari');
      otherAdmin = await makePerson(server, other, 'admin', 'Budi Santoso');
      regencyAdmin = await makePerson(server, regency, 'admin', 'Sari Kabupaten');
      for (const [admin, unit] of [[agencyAdmin, agency], [otherAdmin, other], [regencyAdmin, regency]] as const) await withoutReview(admin, unit);
      rubric = await makeRubric(topAdmin, 'Ekonomi Umpan');
      photo = await uploadPhoto(server, agencyAdmin, agency, 'Pedagang cabai di Pasar Segiri');

      // 21 ordinary articles from another unit, older than the ones the tests look at.
      for (let i = 0; i < 21; i++) {
        await liveArticle(server, otherAdmin, { unitId: other, title: `Kabar provinsi nomor ${i + 1}`, publishedAt: hoursAgo(100 - i) });
      }
      old = await liveArticle(server, otherAdmin, { unitId: other, title: 'Kabar tiga hari lalu', publishedAt: hoursAgo(72) });
      regencyArticle = await liveArticle(server, regencyAdmin, { unitId: regency, title: 'Bupati meresmikan pasar baru', publishedAt: hoursAgo(5) });
      priceArticle = await liveArticle(server, agencyAdmin, {
        unitId: agency, title: PRICE_TITLE, summary: 'Harga cabai & bawang turun.', bodyHtml: PRICE_BODY, rubricId: rubric.id, tags: ['pasar', 'harga pangan'],
        media: [{ mediaId: photo.id, alt: 'Pedagang cabai di Pasar Segiri' }], publishedAt: hoursAgo(1),
      });
      waiting = await liveArticle(server, agencyAdmin, { unitId: agency, title: 'Belum waktunya tayang', rubricId: rubric.id, publishedAt: new Date(Date.now() + 3_600_000) });
      withdrawn = await liveArticle(server, agencyAdmin, { unitId: agency, title: 'Berita yang ditarik', rubricId: rubric.id, publishedAt: hoursAgo(2) });
      await db.updateTable('articles').set({ withdrawn_at: new Date(), withdrawn_reason: 'cancelled', updated_at: new Date() }).where('post_id', '=', withdrawn.postId).execute();
      storedBody = (await db.selectFrom('articles').select('body_html').where('post_id', '=', priceArticle.postId).executeTakeFirstOrThrow()).body_html;
      assert.match(storedBody, /<strong>20%<\/strong>/);
    });
    after(() => server.close());

    const get = (url: string, headers: Record<string, string> = {}) => server.app.inject({ method: 'GET', url, headers });
    const articleUrl = (slug: string) => `${base}/berita/${slug}`;

    test('RSS 2.0 of the site: the 20 newest live articles, absolute links, escaped titles, the HTML in CDATA, RFC 822 dates, the photo as enclosure', async () => {
      const response = await get('/feed.xml');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/rss+xml; charset=utf-8');
      assert.equal(response.headers['access-control-allow-origin'], '*');
      const rss = parseXml(response.body).rss;
      assert.equal(rss['@version'], '2.0');
      const channel = rss.channel;
      assert.equal(channel.title, 'Pemerintah Provinsi Kalimantan Timur');
      assert.equal(channel.link, `${base}/`);
      assert.equal(channel.language, 'id');
      assert.match(channel.lastBuildDate, RFC822);
      assert.equal(channel['atom:link'][0]['@href'], `${base}/feed.xml`);
      assert.equal(channel['atom:link'][0]['@rel'], 'self');
      const items = channel.item as Xml[];
      assert.equal(items.length, 20);
      const links = items.map((i) => i.link);
      assert.equal(links[0], articleUrl(priceArticle.slug), 'newest first');
      assert.equal(links[1], articleUrl(regencyArticle.slug));
      assert.ok(!links.includes(articleUrl(waiting.slug)), 'an article waiting for its time is not in the feed');
      assert.ok(!links.includes(articleUrl(withdrawn.slug)), 'a withdrawn article is not in the feed');

      const price = items[0]!;
      assert.equal(price.title, PRICE_TITLE);
      assert.equal(price.guid['#text'], articleUrl(priceArticle.slug));
      assert.equal(price.guid['@isPermaLink'], 'true');
      assert.match(price.pubDate, RFC822);
      const stored = await server.siar.services.db.selectFrom('articles').select('published_at').where('post_id', '=', priceArticle.postId).executeTakeFirstOrThrow();
      assert.equal(Date.parse(price.pubDate), Math.floor(stored.published_at!.getTime() / 1000) * 1000);
      assert.equal(price['content:encoded'], storedBody, 'the article HTML, character for character');
      assert.equal(price.description, 'Harga cabai & bawang turun.');
      assert.equal(price['dc:creator'], 'Dinas Umpan Kabupaten');
      assert.deepEqual(price.category, ['Ekonomi Umpan', 'pasar', 'harga pangan']);
      const enclosure = price.enclosure;
      assert.match(enclosure['@url'], new RegExp(`^${base}/media/files/.+\\.(png|jpg|webp)$`));
      assert.ok(Number(enclosure['@length']) > 0);
      assert.match(enclosure['@type'], /^image\//);
      const file = await get(enclosure['@url'].slice(base.length));
      assert.equal(file.statusCode, 200, 'the enclosure is served');
      assert.equal(file.rawPayload.length, Number(enclosure['@length']));
      assert.equal(file.headers['content-type'], enclosure['@type']);
    });

    test('Atom: entries with RFC 3339 dates, the HTML as escaped html content, the photo as enclosure link', async () => {
      const response = await get('/atom.xml');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/atom+xml; charset=utf-8');
      const feed = parseXml(response.body).feed;
      assert.equal(feed['@xmlns'], 'http://www.w3.org/2005/Atom');
      assert.equal(feed.id, `${base}/atom.xml`);
      assert.match(feed.updated, RFC3339);
      assert.deepEqual(feed.link.map((l: Xml) => l['@rel']), ['self', 'alternate']);
      assert.equal(feed.author.name, 'Pemerintah Provinsi Kalimantan Timur');
      const entries = feed.entry as Xml[];
      assert.equal(entries.length, 20);
      const price = entries[0]!;
      assert.equal(price.id, articleUrl(priceArticle.slug));
      assert.equal(price.title['#text'], PRICE_TITLE);
      assert.match(price.published, RFC3339);
      assert.match(price.updated, RFC3339);
      assert.equal(price.content['@type'], 'html');
      assert.equal(price.content['#text'], storedBody);
      assert.equal(price.author.name, 'Dinas Umpan Kabupaten');
      const enclosure = price.link.find((l: Xml) => l['@rel'] === 'enclosure');
      assert.ok(enclosure['@href'].startsWith(`${base}/media/files/`));
      assert.equal(price.category[0]['@term'], rubric.slug);
    });

    test('JSON Feed 1.1: items with content_html, dates, authors, tags and the photo as attachment', async () => {
      const response = await get('/feed.json');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/feed+json; charset=utf-8');
      const feed = response.json();
      assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
      assert.equal(feed.feed_url, `${base}/feed.json`);
      assert.equal(feed.home_page_url, `${base}/`);
      assert.equal(feed.language, 'id');
      assert.equal(feed.items.length, 20);
      const price = feed.items[0];
      assert.equal(price.id, articleUrl(priceArticle.slug));
      assert.equal(price.title, PRICE_TITLE);
      assert.equal(price.content_html, storedBody);
      assert.match(price.date_published, RFC3339);
      assert.deepEqual(price.authors, [{ name: 'Dinas Umpan Kabupaten' }]);
      assert.deepEqual(price.tags, ['Ekonomi Umpan', 'pasar', 'harga pangan']);
      assert.equal(price.attachments[0].url, price.image);
      assert.equal(price.attachments[0].title, 'Pedagang cabai di Pasar Segiri');
      // Without a photo, the article's share image stands in.
      assert.equal(feed.items[1].image, `${base}/berita/${regencyArticle.slug}/gambar.png`);
      assert.equal(feed.items[1].attachments, undefined);
    });

    test('a rubric feed has that rubric only; a unit feed has the unit and the units below it; unknown ones are 404', async () => {
      const rubricFeed = parseXml((await get(`/rubrik/${rubric.slug}/feed.xml`)).body).rss.channel;
      assert.equal(rubricFeed.title, 'Ekonomi Umpan — Pemerintah Provinsi Kalimantan Timur');
      assert.equal(rubricFeed.link, `${base}/rubrik/${rubric.slug}`);
      assert.deepEqual(rubricFeed.item.map((i: Xml) => i.link), [articleUrl(priceArticle.slug)]);

      const regencySlug = (await server.siar.services.db.selectFrom('units').select('slug').where('id', '=', regency).executeTakeFirstOrThrow()).slug;
      const unitAtom = parseXml((await get(`/unit/${regencySlug}/atom.xml`)).body).feed;
      assert.deepEqual(unitAtom.entry.map((e: Xml) => e.id), [articleUrl(priceArticle.slug), articleUrl(regencyArticle.slug)]);
      const unitJson = (await get(`/unit/${regencySlug}/feed.json`)).json();
      assert.equal(unitJson.feed_url, `${base}/unit/${regencySlug}/feed.json`);
      assert.equal(unitJson.items.length, 2);

      for (const url of ['/rubrik/tidak-ada/feed.xml', '/unit/tidak-ada/atom.xml', '/unit/tidak-ada/feed.json']) {
        assert.equal((await get(url)).statusCode, 404, url);
      }
    });

    test('ETag and Last-Modified: 304 while nothing changed; a correction or an article going live changes both', async () => {
      const first = await get('/feed.xml');
      const etag = first.headers.etag as string;
      const lastModified = first.headers['last-modified'] as string;
      assert.match(etag, /^"[\w-]+"$/);
      assert.match(lastModified, RFC822);
      assert.equal(first.headers['cache-control'], 'public, max-age=300');

      const byTag = await get('/feed.xml', { 'if-none-match': etag });
      assert.equal(byTag.statusCode, 304);
      assert.equal(byTag.body, '');
      assert.equal((await get('/feed.xml', { 'if-modified-since': lastModified })).statusCode, 304);
      assert.equal((await get('/feed.xml', { 'if-none-match': '"something-else"' })).statusCode, 200);

      // A correction: the text changes after it went live.
      await new Promise((r) => setTimeout(r, 1100));
      const db = server.siar.services.db;
      await db.updateTable('articles').set({ title: 'Harga cabai turun (diperbaiki)', corrected_at: new Date(), correction_note: 'Nama pasar', updated_at: new Date() })
        .where('post_id', '=', priceArticle.postId).execute();
      const corrected = await get('/feed.xml', { 'if-none-match': etag });
      assert.equal(corrected.statusCode, 200);
      assert.notEqual(corrected.headers.etag, etag);
      assert.ok(Date.parse(corrected.headers['last-modified'] as string) > Date.parse(lastModified));
      assert.equal((await get('/feed.xml', { 'if-modified-since': lastModified })).statusCode, 200);
      const atom = parseXml((await get('/atom.xml')).body).feed;
      assert.ok(Date.parse(atom.entry[0].updated) > Date.parse(atom.entry[0].published), 'the entry says when it was corrected');

      // An article reaching its time (a second or more after the reader's copy, the resolution of
      // Last-Modified) changes the feed though no row was written then.
      const before = await get('/feed.xml');
      await new Promise((r) => setTimeout(r, 1100));
      try {
        await db.updateTable('articles').set({ published_at: new Date(Date.now() - 10) }).where('post_id', '=', waiting.postId).execute();
        const live = await get('/feed.xml', { 'if-modified-since': before.headers['last-modified'] as string });
        assert.equal(live.statusCode, 200);
        assert.equal(parseXml(live.body).rss.channel.item[0].link, articleUrl(waiting.slug));
      } finally {
        await db.updateTable('articles').set({ published_at: new Date(Date.now() + 3_600_000) }).where('post_id', '=', waiting.postId).execute();
      }
    });

    test('sitemap.xml: home, rubric and unit pages, every live article with its last change; nothing waiting or withdrawn', async () => {
      const response = await get('/sitemap.xml');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/xml; charset=utf-8');
      const urlset = parseXml(response.body).urlset;
      assert.equal(urlset['@xmlns'], 'http://www.sitemaps.org/schemas/sitemap/0.9');
      const locs = (urlset.url as Xml[]).map((u) => u.loc);
      assert.equal(locs[0], `${base}/`);
      assert.ok(locs.includes(`${base}/rubrik/${rubric.slug}`));
      const units = await server.siar.services.db.selectFrom('units').select('slug').execute();
      for (const u of units) assert.ok(locs.includes(`${base}/unit/${u.slug}`), u.slug);
      const articles = locs.filter((l: string) => l.startsWith(`${base}/berita/`));
      assert.equal(articles.length, 24, '21 + old + regency + price');
      assert.ok(!articles.includes(articleUrl(waiting.slug)) && !articles.includes(articleUrl(withdrawn.slug)));
      const price = (urlset.url as Xml[]).find((u) => u.loc === articleUrl(priceArticle.slug))!;
      assert.match(price.lastmod, RFC3339);
      assert.equal(new Set(locs).size, locs.length, 'no address twice');
      const again = await get('/sitemap.xml', { 'if-none-match': response.headers.etag as string });
      assert.equal(again.statusCode, 304);
    });

    test('sitemap-news.xml: only the last two days, with the publication (site name, language id), date and title', async () => {
      const response = await get('/sitemap-news.xml');
      assert.equal(response.statusCode, 200);
      const urlset = parseXml(response.body).urlset;
      assert.equal(urlset['@xmlns:news'], 'http://www.google.com/schemas/sitemap-news/0.9');
      const urls = urlset.url as Xml[];
      const locs = urls.map((u) => u.loc);
      assert.ok(locs.includes(articleUrl(priceArticle.slug)) && locs.includes(articleUrl(regencyArticle.slug)));
      assert.ok(!locs.includes(articleUrl(old.slug)), 'three days old: not news any more');
      assert.equal(urls.length, 2, 'the 21 older ones (100–80 hours old) are out too');
      const news = urls.find((u) => u.loc === articleUrl(regencyArticle.slug))!['news:news'];
      assert.equal(news['news:publication']['news:name'], 'Pemerintah Provinsi Kalimantan Timur');
      assert.equal(news['news:publication']['news:language'], 'id');
      assert.match(news['news:publication_date'], RFC3339);
      assert.equal(news['news:title'], 'Bupati meresmikan pasar baru');
    });

    test('robots.txt allows all but the admin app and the API, and points at both sitemaps', async () => {
      const response = await get('/robots.txt');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
      const lines = response.body.split('\n');
      for (const line of ['User-agent: *', 'Allow: /', 'Disallow: /admin/', 'Disallow: /api/', `Sitemap: ${base}/sitemap.xml`, `Sitemap: ${base}/sitemap-news.xml`]) {
        assert.ok(lines.includes(line), line);
      }
    });
  });
}
