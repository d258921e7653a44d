/**
 * The demo's regulation records on both databases: what the first start leaves, read through the
 * regulasi module's own queries and the portal's pages; the demo posts linked to them keep the
 * explanation rule; seeding again adds nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';
import type { DB } from '../../db/schema.ts';
import { systemActor } from '../audit/record.ts';
import { assertRegulationsExplained, listRegulations, missingExplanation, regulationBySlug, regulationsOfPost, relatedPosts, type RegulationRecord } from '../regulasi/index.ts';
import { unlinkPost } from '../regulasi/link-posts.ts';
import { updateRegulation } from '../regulasi/save-regulation.ts';
import { demoRegulationLinks, demoRegulations, seedDemoRegulations } from './seed-regulasi.ts';

const html = { accept: 'text/html' };

for (const backend of backendNames) {
  describe(`the demo's regulations (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let db: Kysely<DB>;
    const byKey = new Map<string, RegulationRecord>();
    const get = (url: string) => server.app.inject({ method: 'GET', url, headers: html });
    const postTitled = (title: string) => db.selectFrom('posts').select(['id', 'unit_id', 'status']).where('title', '=', title).executeTakeFirstOrThrow();

    before(async () => {
      server = await startTestServer({ backend, demo: true, listen: false });
      db = server.siar.services.db;
      const { items } = await listRegulations(db, { pageSize: 100 });
      for (const item of demoRegulations(new Date())) {
        const found = items.find((r) => r.title === item.title);
        if (found) byKey.set(item.key, found);
      }
    });
    after(() => server.close());

    test('five records: four that are law, one draft; most fully explained, one still waiting', async () => {
      assert.equal(byKey.size, 5);
      const records = [...byKey.values()];
      assert.deepEqual(records.map((r) => r.status).sort(), ['berlaku', 'berlaku', 'berlaku', 'berlaku', 'rancangan']);
      assert.deepEqual(new Set(records.map((r) => r.type)), new Set(['perda', 'pergub', 'surat_edaran']));
      for (const [key, record] of byKey) {
        // Through the slug, as the portal reads it.
        const bySlug = await regulationBySlug(db, record.slug);
        assert.equal(bySlug?.id, record.id);
        if (record.status !== 'rancangan') assert.match(record.jdih_url ?? '', /^https:\/\/jdih\.kaltimprov\.go\.id\//, key);
      }
      const complete = records.filter((r) => [r.purpose, r.reasons, r.affected, r.changes, r.starts].every((t) => t.trim() !== '') && r.faq.length >= 2 && r.faq.length <= 4);
      assert.deepEqual(complete.map((r) => r.id).sort(), ['perda-sampah', 'pergub-plastik', 'se-banjir'].map((k) => byKey.get(k)!.id).sort());
      assert.deepEqual(missingExplanation(byKey.get('perda-pajak')!), ['reasons']);
      assert.deepEqual(missingExplanation(byKey.get('raperda-ktr')!), []);
      // Dated as the demo post says: in force from the first of next month.
      const plastic = byKey.get('pergub-plastik')!;
      assert.ok(plastic.enacted_on! < plastic.in_force_on!);
      assert.match(plastic.in_force_on!, /-01$/);
      assert.ok(plastic.in_force_on! > new Date().toISOString().slice(0, 10));
    });

    test('the portal lists the four that are law and explains each; the draft is not public', async () => {
      const index = await get('/regulasi');
      assert.equal(index.statusCode, 200);
      for (const key of ['perda-sampah', 'pergub-plastik', 'perda-pajak', 'se-banjir']) assert.ok(index.body.includes(byKey.get(key)!.title), key);
      assert.ok(!index.body.includes(byKey.get('raperda-ktr')!.title));

      const plastic = byKey.get('pergub-plastik')!;
      const page = await get(`/regulasi/${plastic.slug}`);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(`Peraturan Gubernur Nomor 27 Tahun ${plastic.year}`));
      for (const heading of ['Tujuan', 'Alasan', 'Siapa yang terdampak', 'Apa yang berubah', 'Mulai kapan', 'Tanya jawab']) assert.ok(page.body.includes(`>${heading}</h2>`), heading);
      assert.ok(page.body.includes('Agar Sungai Mahakam dan pesisir Kalimantan Timur bersih dari sampah plastik.'));
      assert.ok(page.body.includes('<h3>Apakah saya masih boleh memakai kantong plastik sendiri?</h3>'));
      assert.ok(page.body.includes('href="https://jdih.kaltimprov.go.id/produk-hukum/pergub-pengurangan-sampah-plastik"'));
      assert.ok(!page.body.includes('sedang disiapkan'));

      const waiting = await get(`/regulasi/${byKey.get('perda-pajak')!.slug}`);
      assert.equal(waiting.statusCode, 200);
      assert.ok(waiting.body.includes('Penjelasan regulasi ini sedang disiapkan'));

      const circular = await get(`/regulasi/${byKey.get('se-banjir')!.slug}`);
      assert.equal(circular.statusCode, 200);
      assert.ok(circular.body.includes('Berita tentang regulasi ini'));
      assert.ok(circular.body.includes(demoRegulationLinks.find((l) => l.regulation === 'se-banjir')!.post.title));

      assert.equal((await get(`/regulasi/${byKey.get('raperda-ktr')!.slug}`)).statusCode, 404);
    });

    test('the demo posts are linked to the regulation they talk about and stay consistent with their status', async () => {
      const review = await postTitled(demoRegulationLinks.find((l) => l.regulation === 'pergub-plastik')!.post.title);
      assert.equal(review.status, 'in_review');
      assert.deepEqual((await regulationsOfPost(db, review.id)).map((r) => r.id), [byKey.get('pergub-plastik')!.id]);
      // Under review while linked: the regulation's purpose and reasons are written.
      await assertRegulationsExplained(db, review.id);

      const flood = await postTitled(demoRegulationLinks.find((l) => l.regulation === 'se-banjir')!.post.title);
      assert.equal(flood.status, 'published');
      assert.deepEqual((await relatedPosts(db, byKey.get('se-banjir')!.id, { publishedOnly: true })).map((p) => p.id), [flood.id]);
    });

    test('seeding again adds nothing', async () => {
      const tables = ['regulations', 'regulation_posts', 'audit_log'] as const;
      const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)])));
      const before = await counts();
      assert.deepEqual(await seedDemoRegulations(db), { regulations: 0, links: 0 });
      assert.deepEqual(await counts(), before);
    });

    test('a post under review is not linked to a regulation whose reasons are empty', async () => {
      const actor = systemActor('test');
      const plastic = byKey.get('pergub-plastik')!;
      const review = await postTitled(demoRegulationLinks.find((l) => l.regulation === 'pergub-plastik')!.post.title);
      assert.equal(await unlinkPost(db, { regulationId: plastic.id, postId: review.id, unitId: review.unit_id, actor }), true);
      const current = (await regulationBySlug(db, plastic.slug))!;
      await updateRegulation(db, plastic.id, { version: current.version, reasons: '' }, actor);
      assert.deepEqual(await seedDemoRegulations(db), { regulations: 0, links: 0 });
      assert.deepEqual(await regulationsOfPost(db, review.id), []);
    });
  });
}
