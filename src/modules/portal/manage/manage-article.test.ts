/**
 * After an article is live, on both databases: an approver of the post's unit corrects it (the
 * body sanitized, the address kept, the note shown) or withdraws it (its address says so, its short
 * links answer 410); editors may not, people of other units do not even see it; each is audited
 * with what the article said before and after; nothing is done to an article that is not live.
 * The post's portal line says waiting, live or withdrawn.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../../test/server.ts';
import { loadPost } from '../../posts/queries.ts';
import { syncArticle } from '../articles.ts';
import { articleBySlug } from '../queries.ts';
import { shortLinkCode } from '../urls.ts';

for (const backend of backendNames) {
  describe(`correcting and withdrawing an article (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let unit: string;
    let editor: Person;
    let approver: Person;
    let outsider: Person;
    let counter = 0;

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      const top = await topUnitId(server);
      unit = await makeUnit(server, top, 'agency', 'Dinas Koreksi Portal');
      const other = await makeUnit(server, top, 'agency', 'Dinas Lain');
      const admin = await makePerson(server, unit, 'admin');
      editor = await makePerson(server, unit, 'editor', 'Rina Penulis');
      approver = await makePerson(server, unit, 'approver', 'Sari Penyetuju');
      outsider = await makePerson(server, other, 'approver', 'Budi Dinas Lain');
      assert.equal((await admin.client.put(`/api/v1/units/${unit}/approval-policy`, { tierUnitIds: [] })).statusCode, 200);
    });
    after(() => server.close());

    const db = () => server.siar.services.db;

    /** A post scheduled half an hour ahead: its article waits. */
    async function waitingPost(): Promise<{ id: string; slug: string }> {
      counter += 1;
      const created = await editor.client.post('/api/v1/posts', {
        unitId: unit, title: `Pasar murah digelar Sabtu ${counter}`, summary: 'Pasar murah di Lapangan Kinibalu.',
        bodyHtml: '<p>Pasar murah digelar Sabtu pukul 08.00 WITA di Lapangan Kinibalu.</p>', variants: [{ network: 'facebook' }],
        scheduledAt: new Date(Date.now() + 30 * 60_000).toISOString(),
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal((await editor.client.post(`/api/v1/posts/${created.json().id}/submit`)).json().status, 'scheduled');
      const article = await db().selectFrom('articles').select('slug').where('post_id', '=', created.json().id).executeTakeFirstOrThrow();
      return { id: created.json().id, slug: article.slug };
    }

    /** A post whose time has come: its article is live. */
    async function livePost(): Promise<{ id: string; slug: string }> {
      const post = await waitingPost();
      const past = new Date(Date.now() - 60_000);
      await db().updateTable('posts').set({ scheduled_at: past }).where('id', '=', post.id).execute();
      await db().updateTable('articles').set({ published_at: past }).where('post_id', '=', post.id).execute();
      return post;
    }

    const lineOf = async (who: Person, postId: string) => (await who.client.get(`/api/v1/posts/${postId}`)).json().portal;
    const auditOf = (postId: string, action: string) => db().selectFrom('audit_log').select(['before', 'after', 'actor_id']).where('entity_id', '=', postId).where('action', '=', action).execute();

    test('the portal line: waiting before its time, live after it (with the approver\'s actions), withdrawn after a withdrawal', async () => {
      const post = await waitingPost();
      const waiting = await lineOf(approver, post.id);
      assert.equal(waiting.status, 'waiting');
      assert.ok(waiting.url.endsWith(`/berita/${post.slug}`));
      assert.deepEqual(waiting.actions, []);
      assert.deepEqual(waiting.clicks, { total: 0, byNetwork: {} });
      const past = new Date(Date.now() - 60_000);
      await db().updateTable('articles').set({ published_at: past }).where('post_id', '=', post.id).execute();
      const live = await lineOf(approver, post.id);
      assert.equal(live.status, 'live');
      assert.equal(live.publishedAt, past.toISOString());
      assert.deepEqual(live.actions, ['correct', 'withdraw']);
      assert.deepEqual((await lineOf(editor, post.id)).actions, [], 'editors do not change what is published');
      assert.equal((await approver.client.post(`/api/v1/posts/${post.id}/article/withdraw`, { reason: 'Data belum diverifikasi ulang.' })).statusCode, 200);
      const withdrawn = await lineOf(editor, post.id);
      assert.equal(withdrawn.status, 'withdrawn');
      assert.equal(withdrawn.withdrawnReason, 'Data belum diverifikasi ulang.');
    });

    test('an approver corrects the live article: sanitized, same address, the note shown, audited before and after; the post is untouched', async () => {
      const post = await livePost();
      const url = `/api/v1/posts/${post.id}/article/correct`;
      const good = { title: 'Pasar murah digelar Minggu', bodyHtml: '<p>Pasar murah digelar <strong>Minggu</strong> pukul 08.00 WITA.</p><script>alert(1)</script><img src=x onerror=alert(1)>', note: 'Hari pelaksanaan salah tulis.' };
      assert.equal((await editor.client.post(url, good)).statusCode, 403);
      assert.equal((await outsider.client.post(url, good)).statusCode, 404);

      const noNote = await approver.client.post(url, { title: 'Pasar murah digelar Minggu' });
      assert.equal(noNote.statusCode, 400);
      assert.equal(noNote.json().error.details.issues[0].path, 'note');
      const shortNote = await approver.client.post(url, { title: 'Pasar murah digelar Minggu', note: 'ok' });
      assert.equal(shortNote.json().error.details.issues[0].path, 'note');
      const emptyTitle = await approver.client.post(url, { title: '   ', note: 'Judul dikosongkan.' });
      assert.equal(emptyTitle.statusCode, 400);
      assert.equal(emptyTitle.json().error.details.issues[0].path, 'title');
      const nothing = await approver.client.post(url, { note: 'Tidak ada yang diubah.' });
      assert.equal(nothing.statusCode, 400);

      const corrected = await approver.client.post(url, good);
      assert.equal(corrected.statusCode, 200, corrected.body);
      assert.equal(corrected.json().status, 'live');
      assert.ok(corrected.json().correctedAt);
      const shown = await articleBySlug(db(), post.slug);
      assert.ok(shown, 'the address is kept');
      assert.equal(shown.title, 'Pasar murah digelar Minggu');
      assert.match(shown.bodyHtml, /<strong>Minggu<\/strong>/);
      assert.doesNotMatch(shown.bodyHtml, /script|onerror/);
      assert.equal(shown.correctionNote, 'Hari pelaksanaan salah tulis.');
      assert.ok(shown.correctedAt);
      assert.equal(shown.lead, 'Pasar murah di Lapangan Kinibalu.', 'what was not sent stays');
      const postNow = (await approver.client.get(`/api/v1/posts/${post.id}`)).json();
      assert.match(postNow.title, /^Pasar murah digelar Sabtu/, 'the post keeps what was sent to the networks');

      const [entry] = await auditOf(post.id, 'portal.article_corrected');
      assert.ok(entry);
      assert.equal(entry.actor_id, approver.id);
      assert.match(JSON.stringify(entry.before), /digelar Sabtu/);
      assert.match(JSON.stringify(entry.after), /digelar Minggu/);
      assert.match(JSON.stringify(entry.after), /salah tulis/);
      assert.doesNotMatch(JSON.stringify(entry.before), /summary/, 'only what changed');
    });

    test('an approver withdraws the live article: its address says so, its short links answer 410, audited; then nothing more can be done to it', async () => {
      const post = await livePost();
      const url = `/api/v1/posts/${post.id}/article/withdraw`;
      assert.equal((await editor.client.post(url, { reason: 'Salah sasaran informasi.' })).statusCode, 403);
      assert.equal((await outsider.client.post(url, { reason: 'Salah sasaran informasi.' })).statusCode, 404);
      const noReason = await approver.client.post(url, {});
      assert.equal(noReason.statusCode, 400);
      assert.equal(noReason.json().error.details.issues[0].path, 'reason');

      const withdrawn = await approver.client.post(url, { reason: 'Informasi dibatalkan penyelenggara.' });
      assert.equal(withdrawn.statusCode, 200, withdrawn.body);
      const page = await articleBySlug(db(), post.slug);
      assert.ok(page, 'the address still answers');
      assert.equal(page.visible, false);
      assert.equal(page.withdrawnReason, 'Informasi dibatalkan penyelenggara.');
      const link = await server.app.inject({ method: 'GET', url: `/r/${shortLinkCode(post.id, 'facebook')}`, headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0' } });
      assert.equal(link.statusCode, 410);
      assert.match(link.body, /ditarik/);
      const [entry] = await auditOf(post.id, 'portal.article_withdrawn');
      assert.ok(entry);
      assert.match(JSON.stringify(entry.before), /Pasar murah digelar Sabtu/);
      assert.match(JSON.stringify(entry.after), /dibatalkan penyelenggara/);

      const again = await approver.client.post(url, { reason: 'Sekali lagi ditarik.' });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'portal.no_live_article');
      assert.equal((await approver.client.post(`/api/v1/posts/${post.id}/article/correct`, { title: 'Judul baru', note: 'Koreksi setelah ditarik.' })).statusCode, 409);

      // A later step of the post's workflow (its article synced again) does not bring it back.
      await db().transaction().execute(async (trx) => {
        await trx.updateTable('posts').set({ status: 'published' }).where('id', '=', post.id).execute();
        await syncArticle(trx, (await loadPost(trx, post.id))!, new Date());
      });
      assert.equal((await articleBySlug(db(), post.slug))?.visible, false);
    });

    test('an article that is not live yet can be neither corrected nor withdrawn (409)', async () => {
      const post = await waitingPost();
      const correct = await approver.client.post(`/api/v1/posts/${post.id}/article/correct`, { title: 'Judul baru', note: 'Koreksi sebelum tayang.' });
      assert.equal(correct.statusCode, 409);
      assert.equal(correct.json().error.code, 'portal.no_live_article');
      assert.equal((await approver.client.post(`/api/v1/posts/${post.id}/article/withdraw`, { reason: 'Ditarik sebelum tayang.' })).statusCode, 409);
      const draft = (await editor.client.post('/api/v1/posts', { unitId: unit, title: 'Draf saja', variants: [{ network: 'facebook' }] })).json();
      assert.equal((await approver.client.post(`/api/v1/posts/${draft.id}/article/withdraw`, { reason: 'Tidak pernah tayang.' })).statusCode, 409);
      assert.equal((await lineOf(approver, draft.id)), null);
    });
  });
}
