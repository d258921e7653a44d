/**
 * The portal as a channel of every post, on both databases: the article follows the post's
 * workflow in the same transaction — waiting until its time, live from it, back to waiting when
 * the post returns to review, withdrawn when a post that went out is cancelled — and search finds
 * it by Indonesian word stems.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';
import { initials } from './articles.ts';
import { articleBySlug, listArticles, nextGoingLive, searchArticles } from './queries.ts';

const nextYear = new Date().getUTCFullYear() + 1;

test('author initials: up to three words that start with a letter', () => {
  assert.equal(initials('Rina Wulandari'), 'RW');
  assert.equal(initials('  dr. Ahmad bin Yusuf Hasan '), 'DAB');
  assert.equal(initials(''), '');
});

for (const backend of backendNames) {
  describe(`articles follow their posts (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let unit: string;
    let admin: Person;
    const sertaMerta = {
      what: 'Banjir setinggi 50 cm di Sempaja', areas: 'Kelurahan Sempaja', actions: 'Mengungsi ke posko terdekat',
      help: 'Posko BPBD di Kantor Camat', contact: 'BPBD Kaltim 112',
    };

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      unit = await makeUnit(server, await topUnitId(server), 'agency', 'Dinas Portal Uji');
      admin = await makePerson(server, unit, 'admin', 'Rina Wulandari');
      assert.equal((await admin.client.put(`/api/v1/units/${unit}/approval-policy`, { tierUnitIds: [], sertaMertaDirectRole: 'admin' })).statusCode, 200);
    });
    after(() => server.close());

    const db = () => server.siar.services.db;
    const articleOf = (postId: string) => db().selectFrom('articles').selectAll().where('post_id', '=', postId).executeTakeFirst();

    test('a scheduled post waits on the portal until its time, then is live at a stable address', async () => {
      const post = (await admin.client.post('/api/v1/posts', {
        unitId: unit, title: 'Pemprov menginformasikan jadwal vaksinasi', summary: 'Jadwal vaksinasi anak di puskesmas.',
        bodyHtml: '<p>Dinas Kesehatan menyampaikan informasi jadwal vaksinasi anak.</p>', variants: [{ network: 'facebook' }], scheduledAt: `${nextYear}-03-02T09:00`,
      })).json();
      assert.equal((await admin.client.post(`/api/v1/posts/${post.id}/submit`)).json().status, 'scheduled');
      const waiting = await articleOf(post.id);
      assert.ok(waiting, 'the article is written with the schedule');
      assert.equal(waiting.live, true);
      assert.equal(waiting.published_at?.toISOString(), `${nextYear}-03-02T01:00:00.000Z`, '09:00 WITA');
      assert.equal(waiting.author_initials, 'RW');
      assert.match(waiting.slug, /^pemprov-menginformasikan-jadwal-vaksinasi-[0-9a-f]{8}$/);
      assert.equal(await articleBySlug(db(), waiting.slug), undefined, 'not shown before its time');
      assert.equal((await nextGoingLive(db()))?.toISOString(), waiting.published_at?.toISOString());
      const later = new Date(Date.UTC(nextYear, 2, 2, 1, 0, 1));
      const shown = await articleBySlug(db(), waiting.slug, later);
      assert.equal(shown?.title, 'Pemprov menginformasikan jadwal vaksinasi');
      assert.ok((await listArticles(db(), { unitIds: [unit] }, later)).items.some((a) => a.slug === waiting.slug));
      // Indonesian stemming: "informasi" finds "menginformasikan"; operators and SQL-looking text do not fail.
      const found = await searchArticles(db(), { q: 'informasi vaksinasi' }, later);
      assert.ok(found.items.some((a) => a.slug === waiting.slug));
      assert.match(found.items.find((a) => a.slug === waiting.slug)!.snippet, /\u0002/);
      for (const q of ['"jadwal vaksinasi" -banjir', "'; drop table articles; --", 'dan yang di', 'x'.repeat(10_000), '!!! & | :*']) {
        const r = await searchArticles(db(), { q }, later);
        assert.ok(Array.isArray(r.items), q.slice(0, 20));
      }

      // Moved to another time: the waiting article moves with it and keeps its address.
      const current = (await admin.client.get(`/api/v1/posts/${post.id}`)).json();
      const moved = await admin.client.patch(`/api/v1/posts/${post.id}`, { version: current.version, scheduledAt: `${nextYear}-03-03T09:00` });
      assert.equal(moved.statusCode, 200, moved.body);
      const afterMove = await articleOf(post.id);
      assert.equal(afterMove?.published_at?.toISOString(), `${nextYear}-03-03T01:00:00.000Z`);
      assert.equal(afterMove?.slug, waiting.slug);

      // Edited after approval: back to review, and the article waits again (hidden even after its time).
      const edited = await admin.client.patch(`/api/v1/posts/${post.id}`, { version: moved.json().version, title: 'Jadwal vaksinasi anak diperbarui' });
      assert.equal(edited.statusCode, 200, edited.body);
      assert.notEqual(edited.json().status, 'scheduled');
      assert.equal((await articleOf(post.id))?.live, false);
      assert.equal(await articleBySlug(db(), waiting.slug, new Date(Date.UTC(nextYear, 2, 4))), undefined);
      // Submitted again (back to draft, then submitted: this unit needs no approval): the new title, the same address.
      assert.equal((await admin.client.post(`/api/v1/posts/${post.id}/withdraw`)).json().status, 'draft');
      const resubmitted = await admin.client.post(`/api/v1/posts/${post.id}/submit`);
      assert.equal(resubmitted.json().status, 'scheduled', resubmitted.body);
      const again = await articleOf(post.id);
      assert.equal(again?.title, 'Jadwal vaksinasi anak diperbarui');
      assert.equal(again?.slug, waiting.slug);
    });

    test('serta-merta published now is live at once with its facts; cancelled after going out, it is withdrawn, not deleted', async () => {
      const post = (await admin.client.post('/api/v1/posts', {
        unitId: unit, title: 'Banjir di Sempaja', bodyHtml: '<p>Warga diminta waspada.</p>', urgent: true, sertaMerta, variants: [{ network: 'facebook' }],
      })).json();
      const out = await admin.client.post(`/api/v1/posts/${post.id}/publish-now`);
      assert.equal(out.statusCode, 200, out.body);
      const article = await articleOf(post.id);
      const live = await articleBySlug(db(), article!.slug, new Date(Date.now() + 1000));
      assert.equal(live?.urgent, true);
      assert.deepEqual(live?.sertaMerta, sertaMerta);
      assert.equal(live?.visible, true);

      // Every target failed; cancelling the post withdraws the article that already went out.
      await db().updateTable('posts').set({ status: 'failed' }).where('id', '=', post.id).execute();
      const cancelled = await admin.client.post(`/api/v1/posts/${post.id}/cancel`);
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      const gone = await articleBySlug(db(), article!.slug, new Date(Date.now() + 1000));
      assert.equal(gone?.visible, false);
      assert.ok(gone?.withdrawnAt);
      assert.equal(gone?.withdrawnReason, 'cancelled');
      assert.ok(!(await listArticles(db(), { unitIds: [unit] }, new Date(Date.now() + 1000))).items.some((a) => a.slug === article!.slug));
    });

    test('a post that never went out has no article', async () => {
      const post = (await admin.client.post('/api/v1/posts', { unitId: unit, title: 'Draf saja', variants: [{ network: 'facebook' }] })).json();
      assert.equal(await articleOf(post.id), undefined);
    });
  });
}
