/**
 * Share image routes on both databases: a live article's image at portalPaths.shareImage, cached a
 * day with an ETag (304 when unchanged, drawn once), drawn again after a correction; unknown,
 * waiting and withdrawn articles have none; the site's own image.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { backendNames, postgresSkipReason } from '../../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../../test/server.ts';
import { liveArticle, withoutReview } from '../feeds/test-articles.ts';
import { portalPaths } from '../urls.ts';
import { ShareImageCache } from './image-cache.ts';
import { pngSize } from './test-png.ts';
import { shareImageRoutes } from './routes.ts';

for (const backend of backendNames) {
  describe(`share image routes (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let admin: Person;
    let unit: string;
    // A second copy of the routes with a cache the test can look into, beside the portal's own.
    const cache = new ShareImageCache({ dir: null });
    let inspect: FastifyInstance | undefined;

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      unit = await makeUnit(server, await topUnitId(server), 'agency', 'Dinas Gambar Uji');
      admin = await makePerson(server, unit, 'admin', 'Rina Wulandari');
      await withoutReview(admin, unit);
      inspect = Fastify();
      inspect.setValidatorCompiler(validatorCompiler);
      inspect.setSerializerCompiler(serializerCompiler);
      await inspect.register(shareImageRoutes as never, { services: server.siar.services, cache });
      await inspect.ready();
    });
    after(async () => {
      await inspect?.close();
      await server.close();
    });

    test('a live article has a 1200×630 PNG at its share address, cached a day, with an ETag and 304', async () => {
      const article = await liveArticle(server, admin, { unitId: unit, title: 'Jembatan Mahakam IV dibuka untuk umum' });
      const url = portalPaths.shareImage(article.slug);
      assert.equal(url, `/berita/${article.slug}/gambar.png`);
      const response = await server.app.inject({ url });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.headers['content-type'], 'image/png');
      assert.equal(response.headers['cache-control'], 'public, max-age=86400');
      assert.equal(response.headers['cross-origin-resource-policy'], 'cross-origin');
      assert.deepEqual(pngSize(response.rawPayload), { width: 1200, height: 630 });
      const etag = response.headers.etag as string;
      assert.match(etag, /^"[\w-]{22}"$/);
      const again = await server.app.inject({ url, headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.rawPayload.length, 0);
      const head = await server.app.inject({ method: 'HEAD', url });
      assert.equal(head.statusCode, 200);
    });

    test('the cache draws an article once; a correction (new updated_at) draws it again under a new ETag', async () => {
      const article = await liveArticle(server, admin, { unitId: unit, title: 'Pasar murah digelar di Samarinda' });
      const url = portalPaths.shareImage(article.slug);
      const first = await inspect!.inject({ url });
      const second = await inspect!.inject({ url });
      assert.equal(first.statusCode, 200);
      assert.equal(cache.stats.renders, 1);
      assert.equal(cache.stats.memoryHits, 1, 'the second request is a cache hit');
      assert.equal(second.headers.etag, first.headers.etag);
      assert.ok(second.rawPayload.equals(first.rawPayload));

      await server.siar.services.db.updateTable('articles')
        .set({ title: 'Pasar murah digelar di Samarinda dan Balikpapan', corrected_at: new Date(), correction_note: 'Kota ditambahkan', updated_at: new Date() })
        .where('post_id', '=', article.postId).execute();
      const corrected = await inspect!.inject({ url, headers: { 'if-none-match': first.headers.etag as string } });
      assert.equal(corrected.statusCode, 200);
      assert.equal(cache.stats.renders, 2);
      assert.notEqual(corrected.headers.etag, first.headers.etag);
      assert.ok(!corrected.rawPayload.equals(first.rawPayload), 'the corrected title is drawn');

      // Only updated_at changes (e.g. the rubric was re-saved): the key changes, so it is drawn again.
      await server.siar.services.db.updateTable('articles').set({ updated_at: new Date(Date.now() + 1000) }).where('post_id', '=', article.postId).execute();
      await inspect!.inject({ url });
      assert.equal(cache.stats.renders, 3);
    });

    test('unknown, waiting and withdrawn articles have no share image', async () => {
      assert.equal((await server.app.inject({ url: portalPaths.shareImage('tidak-ada-12345678') })).statusCode, 404);
      const waiting = await liveArticle(server, admin, { unitId: unit, title: 'Belum tayang', publishedAt: new Date(Date.now() + 3_600_000) });
      assert.equal((await server.app.inject({ url: portalPaths.shareImage(waiting.slug) })).statusCode, 404);
      const withdrawn = await liveArticle(server, admin, { unitId: unit, title: 'Sudah ditarik' });
      assert.equal((await server.app.inject({ url: portalPaths.shareImage(withdrawn.slug) })).statusCode, 200);
      await server.siar.services.db.updateTable('articles').set({ withdrawn_at: new Date(), updated_at: new Date() }).where('post_id', '=', withdrawn.postId).execute();
      assert.equal((await server.app.inject({ url: portalPaths.shareImage(withdrawn.slug) })).statusCode, 404);
    });

    test('the site has its own share image', async () => {
      const response = await server.app.inject({ url: '/gambar-bagikan.png' });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'image/png');
      assert.deepEqual(pngSize(response.rawPayload), { width: 1200, height: 630 });
      assert.equal((await server.app.inject({ url: '/gambar-bagikan.png', headers: { 'if-none-match': response.headers.etag as string } })).statusCode, 304);
    });
  });
}
