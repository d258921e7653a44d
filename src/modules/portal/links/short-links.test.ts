/**
 * Short links, on both databases: a new post's variants carry its short link per network (no UTM
 * in the social text), the composer's preview shows the same links, the link leads nowhere until
 * the article is live and then to its canonical address with UTM tags, each click by a person is
 * counted per day (link-preview fetchers are redirected but not counted), and the post's portal
 * line shows the counts per network. A post with a link of its own keeps it.
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../../test/server.ts';
import { PREVIEW_POST_ID } from '../../posts/routes.ts';
import { portalBase, shortLinkCode } from '../urls.ts';
import { CLICK_DAY_ZONE, isAutomatedAgent, utmFor } from './short-links.ts';
import { utcToZoned } from '../../calendar/zoned-time.ts';

const BROWSER = 'Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';

test('link-preview fetchers and crawlers are recognised; browsers (and phones named CUBOT) are people', () => {
  const fetchers = [
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    'Twitterbot/1.0',
    'TelegramBot (like TwitterBot)',
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    'WhatsApp/2.23.20.0 A',
    'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
    'http.rb/5.1.1 (Mastodon/4.2.8; +https://sosial.kaltimprov.go.id/)',
    'Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app) Chrome/W.X.Y.Z Safari/537.36',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    'Mozilla/5.0 (compatible; SomeNewPreviewer/3.1)',
    'curl/8.5.0',
    '',
  ];
  for (const ua of fetchers) assert.equal(isAutomatedAgent(ua), true, ua);
  const people = [
    BROWSER,
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
    'Mozilla/5.0 (Linux; Android 9; CUBOT P30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (Linux; Android 12; V2111) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/450.0.0.0;]',
  ];
  for (const ua of people) assert.equal(isAutomatedAgent(ua), false, ua);
});

test('UTM of a visit: social per network, a partner system is a referral, the portal\'s own link untagged', () => {
  assert.deepEqual(utmFor('x', 'kinerja'), { source: 'x', medium: 'social', campaign: 'kinerja' });
  assert.deepEqual(utmFor('webhook', null), { source: 'webhook', medium: 'referral', campaign: 'siar' });
  assert.equal(utmFor('portal', 'kinerja'), null);
});

for (const backend of backendNames) {
  describe(`short links (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let unit: string;
    let editor: Person;
    let xChannel: string;
    let fbChannel: string;
    let rubric: { id: string; slug: string };

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      unit = await makeUnit(server, await topUnitId(server), 'agency', 'Dinas Tautan');
      const admin = await makePerson(server, unit, 'admin');
      editor = await makePerson(server, unit, 'editor', 'Rina Penulis');
      assert.equal((await admin.client.put(`/api/v1/units/${unit}/approval-policy`, { tierUnitIds: [] })).statusCode, 200);
      const channel = async (network: string, handle: string) => {
        const response = await admin.client.post('/api/v1/channels', { unitId: unit, network, name: `Dinas Tautan ${network}`, handle });
        assert.equal(response.statusCode, 201, response.body);
        return response.json().id as string;
      };
      xChannel = await channel('x', '@dinastautan');
      fbChannel = await channel('facebook', 'dinastautan');
      rubric = await server.siar.services.db.selectFrom('rubrics').select(['id', 'slug']).where('slug', '=', 'kinerja').executeTakeFirstOrThrow();
    });
    after(() => server.close());

    const db = () => server.siar.services.db;
    const base = () => portalBase(server.siar.services.config);
    const linkOf = (postId: string, network: string) => `${base()}/r/${shortLinkCode(postId, network)}`;
    const follow = (code: string, headers: Record<string, string> = { 'user-agent': BROWSER }, method: 'GET' | 'HEAD' = 'GET') =>
      server.app.inject({ method, url: `/r/${code}`, headers });
    const clicks = async (code: string) => Number((await db().selectFrom('link_clicks').select((eb) => eb.fn.sum<number>('clicks').as('n')).where('code', '=', code).executeTakeFirst())?.n ?? 0);
    const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
    /** Time passes: the post's time and its article's are moved into the past, as if it were now later. */
    const timePasses = async (postId: string) => {
      const past = new Date(Date.now() - 60_000);
      await db().updateTable('posts').set({ scheduled_at: past }).where('id', '=', postId).execute();
      await db().updateTable('articles').set({ published_at: past }).where('post_id', '=', postId).execute();
    };

    test('a new post\'s variants carry its short links; the preview shows them; the link leads to the article once live, with UTM, and counts people only', async () => {
      const input = {
        unitId: unit, title: 'Realisasi anggaran triwulan III capai 78 persen', rubricId: rubric.id, tags: ['kinerja'],
        bodyHtml: '<p>Realisasi anggaran triwulan III mencapai 78 persen dari target 75 persen.</p>', targets: [xChannel, fbChannel],
      };
      const created = await editor.client.post('/api/v1/posts', { ...input, scheduledAt: inMinutes(30) });
      assert.equal(created.statusCode, 201, created.body);
      const post = created.json();
      for (const network of ['x', 'facebook']) {
        const variant = post.variants.find((v: { network: string }) => v.network === network);
        assert.ok(variant.text.includes(linkOf(post.id, network)), `${network}: ${variant.text}`);
        assert.ok(!variant.text.includes('utm_'), 'UTM is added at the redirect, not in the social text');
      }
      assert.ok(!post.hints.some((h: { rule: string }) => h.rule === 'link.missing_portal'), 'the portal provides the link');
      assert.equal(post.portal, null, 'no article before it is scheduled');

      // The composer's preview: the post's own links when editing it, same-length stand-ins before it is saved.
      const editing = await editor.client.post('/api/v1/posts/preview', { ...input, postId: post.id });
      assert.equal(editing.statusCode, 200, editing.body);
      assert.ok(editing.json().variants.find((v: { network: string }) => v.network === 'x').text.includes(linkOf(post.id, 'x')));
      const unsaved = (await editor.client.post('/api/v1/posts/preview', input)).json();
      const standIn = unsaved.variants.find((v: { network: string }) => v.network === 'x').text as string;
      assert.ok(standIn.includes(linkOf(PREVIEW_POST_ID, 'x')));
      assert.equal(standIn.length, post.variants.find((v: { network: string }) => v.network === 'x').text.length);

      const submitted = await editor.client.post(`/api/v1/posts/${post.id}/submit`);
      assert.equal(submitted.json().status, 'scheduled', submitted.body);
      assert.equal(submitted.json().portal.status, 'waiting');
      const article = await db().selectFrom('articles').select('slug').where('post_id', '=', post.id).executeTakeFirstOrThrow();
      const xCode = shortLinkCode(post.id, 'x');
      const waiting = await follow(xCode);
      assert.equal(waiting.statusCode, 404, 'not live yet: no redirect');
      assert.match(waiting.headers['content-type'] as string, /text\/html/);
      assert.equal(await clicks(xCode), 0);

      await timePasses(post.id);
      const first = await follow(xCode);
      assert.equal(first.statusCode, 302);
      assert.equal(first.headers.location, `${base()}/berita/${article.slug}?utm_source=x&utm_medium=social&utm_campaign=kinerja`);
      assert.equal(first.headers['cache-control'], 'no-store');
      assert.equal(first.headers['referrer-policy'], 'strict-origin-when-cross-origin');
      assert.equal(first.headers['set-cookie'], undefined, 'nothing is stored with the reader');
      await follow(xCode);
      const days = await db().selectFrom('link_clicks').select([sql<string>`day::text`.as('day'), 'clicks']).where('code', '=', xCode).execute();
      assert.equal(days.length, 1, 'one row per code per day');
      assert.equal(Number(days[0]!.clicks), 2);
      assert.equal(days[0]!.day, utcToZoned(new Date(), CLICK_DAY_ZONE).slice(0, 10), 'the day in WITA');

      // Link-preview fetchers, prefetches and HEAD requests get the article but are not counted.
      const bot = await follow(xCode, { 'user-agent': 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)' });
      assert.equal(bot.statusCode, 302);
      assert.equal((await follow(xCode, { 'user-agent': 'TelegramBot (like TwitterBot)' })).statusCode, 302);
      assert.equal((await follow(xCode, { 'user-agent': BROWSER, 'sec-purpose': 'prefetch' })).statusCode, 302);
      assert.equal((await follow(xCode, { 'user-agent': BROWSER }, 'HEAD')).statusCode, 302);
      assert.equal(await clicks(xCode), 2);

      // Facebook's link, and the portal's own (untagged).
      const fb = await follow(shortLinkCode(post.id, 'facebook'));
      assert.equal(fb.headers.location, `${base()}/berita/${article.slug}?utm_source=facebook&utm_medium=social&utm_campaign=kinerja`);
      const own = await follow(shortLinkCode(post.id, 'portal'));
      assert.equal(own.headers.location, `${base()}/berita/${article.slug}`);

      const line = (await editor.client.get(`/api/v1/posts/${post.id}`)).json().portal;
      assert.equal(line.status, 'live');
      assert.equal(line.url, `${base()}/berita/${article.slug}`);
      assert.deepEqual(line.clicks, { total: 4, byNetwork: { facebook: 1, portal: 1, x: 2 } });
    });

    test('an unknown or malformed code is the portal\'s 404 page', async () => {
      for (const code of ['ZZZZZZZZ', 'abc', '..%2F..%2Fetc', 'a'.repeat(50)]) {
        const response = await follow(code);
        assert.equal(response.statusCode, 404, code);
        assert.match(response.body, /<html lang="id">/);
      }
      assert.equal(Number((await db().selectFrom('link_clicks').select((eb) => eb.fn.countAll<number>().as('n')).where('code', '=', 'ZZZZZZZZ').executeTakeFirstOrThrow()).n), 0);
    });

    test('a post with a portal link of its own keeps it, UTM-tagged in the text as before', async () => {
      const own = 'https://kaltimprov.go.id/berita/jembatan-mahakam-iv';
      const post = (await editor.client.post('/api/v1/posts', {
        unitId: unit, title: 'Jembatan Mahakam IV dibuka', bodyHtml: '<p>Warga dapat melintas mulai pukul 06.00 WITA.</p>', portalUrl: own, targets: [xChannel],
      })).json();
      const x = post.variants.find((v: { network: string }) => v.network === 'x');
      assert.ok(x.text.includes(`${own}?utm_source=x&utm_medium=social&utm_campaign=siar`), x.text);
      assert.ok(!x.text.includes('/r/'));
    });
  });
}
