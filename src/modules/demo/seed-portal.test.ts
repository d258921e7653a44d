import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';
import { demoArticles, seedPortalArticles } from './seed-portal.ts';

for (const backend of backendNames) {
  describe(`the demo newsroom (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ backend, demo: true, listen: false });
    });
    after(() => server.close());

    test('about two dozen articles over the last 30 days, every rubric, several units, one serta-merta today; posts and articles agree', async () => {
      const db = server.siar.services.db;
      const now = Date.now();
      const rows = await db.selectFrom('articles').innerJoin('posts', 'posts.id', 'articles.post_id').leftJoin('rubrics', 'rubrics.id', 'articles.rubric_id')
        .select(['articles.title', 'articles.live', 'articles.published_at', 'articles.withdrawn_at', 'articles.urgent', 'articles.unit_id', 'articles.author_initials',
          'posts.status', 'posts.scheduled_at', 'posts.title as post_title', 'rubrics.slug as rubric'])
        .where('articles.title', 'in', demoArticles.map((a) => a.title)).execute();
      assert.equal(rows.length, demoArticles.length);
      assert.ok(rows.length >= 20);
      for (const row of rows) {
        assert.equal(row.status, 'published');
        assert.equal(row.live, true);
        assert.equal(row.withdrawn_at, null);
        assert.equal(row.title, row.post_title);
        assert.equal(row.published_at?.getTime(), row.scheduled_at?.getTime());
        const age = now - row.published_at!.getTime();
        assert.ok(age > 0 && age <= 30 * 86_400_000, `${row.title}: published within the last 30 days`);
        assert.match(row.author_initials, /^[A-Z]{1,3}$/);
      }
      assert.deepEqual(new Set(rows.map((r) => r.rubric)), new Set(['seputar-kaltim', 'kinerja', 'regulasi', 'sosok', 'nusantara', 'pengumuman']));
      assert.ok(new Set(rows.map((r) => r.unit_id)).size >= 8, 'the province, agencies, regencies and cities');
      const urgent = rows.filter((r) => r.urgent);
      assert.equal(urgent.length, 1);
      assert.ok(now - urgent[0]!.published_at!.getTime() < 86_400_000, 'the serta-merta is from the last day');

      // It shows: pinned on the home page.
      const home = await server.app.inject({ method: 'GET', url: '/' });
      assert.match(home.body, /<section class="darurat"/);
    });

    test('seeding again adds nothing', async () => {
      const db = server.siar.services.db;
      const count = async () => Number((await db.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      assert.deepEqual(await seedPortalArticles(db), { articles: 0 });
      assert.equal(await count(), before);
    });
  });
}
