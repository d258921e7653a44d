/**
 * "Explain this" through the API on both databases: the draft post it makes (title, summary, body,
 * rubric, the carousel as 1080×1350 pictures with alt text, per-network slides, the unit's usable
 * connected channels, linked to the regulation), refusal of an incomplete explanation, who may ask,
 * and a unit with no channel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';
import type { NetworkId } from '../../db/schema.ts';
import { explainerBody, explainerSummary, explainerTitle } from './explain-this.ts';
import type { RegulationRecord } from './queries.ts';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(data: Buffer): { width: number; height: number } {
  assert.equal(data.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG file');
  assert.equal(data.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

const explained = {
  type: 'pergub',
  number: '12',
  year: 2025,
  title: 'Pengurangan Sampah Plastik Sekali Pakai',
  enactedOn: '2025-03-10',
  inForceOn: '2025-07-01',
  jdihUrl: 'https://jdih.kaltimprov.go.id/produk-hukum/pergub-12-2025',
  purpose: 'Agar sungai dan laut Kalimantan Timur bersih dari sampah plastik.',
  reasons: '- Sampah plastik menyumbat saluran air <dan> memicu banjir\n- Ikan di Teluk Balikpapan tercemar mikroplastik',
  affected: 'Toko swalayan, pasar modern, restoran, dan warga yang berbelanja.',
  changes: 'Toko tidak lagi memberi kantong plastik sekali pakai.',
  starts: 'Mulai 1 Juli 2025.',
  faq: [
    { question: 'Apakah pasar tradisional juga?', answer: 'Ya, mulai tahun depan.' },
    { question: 'Bolehkah kantong kertas?', answer: 'Boleh, kantong kertas dan tas kain dianjurkan.' },
  ],
};

test('title, summary and body of the draft are written from the regulation; the body is escaped', () => {
  const r = {
    ...explained, id: 'x', unit_id: 'u', unit_name: 'Dinas', region_unit_id: 'g', type: 'pergub', slug: 's', enacted_on: '2025-03-10', in_force_on: '2025-07-01',
    status: 'berlaku', jdih_url: explained.jdihUrl, version: 1, post_count: 0, created_at: new Date(), updated_at: new Date(),
  } as RegulationRecord;
  assert.equal(explainerTitle(r), 'Penjelasan Pergub 12/2025: Pengurangan Sampah Plastik Sekali Pakai');
  assert.equal(explainerTitle({ ...r, title: 'kata '.repeat(100) }).length <= 300, true);
  assert.match(explainerTitle({ ...r, title: 'kata '.repeat(100) }), /…$/);
  assert.equal(explainerSummary(r), 'Peraturan Gubernur tentang Pengurangan Sampah Plastik Sekali Pakai, ditetapkan 10 Maret 2025 dan berlaku mulai 1 Juli 2025.');
  assert.equal(explainerSummary({ ...r, enacted_on: null, in_force_on: null }), 'Peraturan Gubernur tentang Pengurangan Sampah Plastik Sekali Pakai.');
  const body = explainerBody(r, { portalPage: 'https://portal.example.id/regulasi/s' });
  assert.match(body, /<h2>Tujuan<\/h2><p>Agar sungai dan laut/);
  assert.match(body, /<h2>Alasan<\/h2><ul><li>Sampah plastik menyumbat saluran air &lt;dan&gt; memicu banjir<\/li><li>Ikan/);
  assert.match(body, /<h2>Tanya jawab<\/h2><h3>Apakah pasar tradisional juga\?<\/h3><p>Ya, mulai tahun depan\.<\/p>/);
  assert.match(body, /Dokumen resmi Pergub Nomor 12 Tahun 2025 di JDIH: <a href="https:\/\/jdih\.kaltimprov\.go\.id\/produk-hukum\/pergub-12-2025">/);
  assert.match(body, /Penjelasan lengkap: <a href="https:\/\/portal\.example\.id\/regulasi\/s">/);
});

for (const backend of backendNames) {
  describe(`explain this (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let province: string;
    let agency: string;
    let quiet: string;
    let editor: Person;
    let viewer: Person;
    let otherEditor: Person;
    let quietEditor: Person;
    let regulation: { id: string; slug: string };
    const channels: Partial<Record<string, string>> = {};
    const db = () => server.siar.services.db;

    async function channel(unitId: string, network: NetworkId, name: string, connection: 'connected' | 'unconnected' = 'connected'): Promise<string> {
      const row = await db().insertInto('channels').values({ unit_id: unitId, network, name, handle: name.toLowerCase().replace(/\W+/g, ''), connection })
        .returning('id').executeTakeFirstOrThrow();
      return row.id;
    }

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      province = await topUnitId(server);
      agency = await makeUnit(server, province, 'agency', 'Dinas Lingkungan Hidup');
      const otherAgency = await makeUnit(server, province, 'agency', 'Dinas Perhubungan');
      quiet = await makeUnit(server, province, 'agency', 'Dinas Tanpa Akun');
      editor = await makePerson(server, agency, 'editor', 'Rina Penulis');
      viewer = await makePerson(server, agency, 'viewer', 'Dewi Pembaca');
      otherEditor = await makePerson(server, otherAgency, 'editor', 'Budi Dishub');
      quietEditor = await makePerson(server, quiet, 'editor', 'Sari Sepi');
      channels.facebook = await channel(agency, 'facebook', 'DLH Kaltim');
      channels.x = await channel(agency, 'x', 'DLH di X');
      channels.instagram = await channel(agency, 'instagram', 'dlh.kaltim');
      channels.youtube = await channel(agency, 'youtube', 'DLH TV');
      channels.unconnected = await channel(agency, 'mastodon', 'DLH Mastodon', 'unconnected');
      // The province's account: above the unit, but the editor has no role there to post with it.
      channels.province = await channel(province, 'facebook', 'Pemprov Kaltim');
      const created = await editor.client.post('/api/v1/regulations', { unitId: agency, ...explained });
      assert.equal(created.statusCode, 201, created.body);
      regulation = created.json();
    });
    after(() => server.close());

    test('an editor explains a regulation: a draft with the carousel, its alt texts, the channels, linked to the regulation', async () => {
      const response = await editor.client.post(`/api/v1/regulations/${regulation.id}/explain`);
      assert.equal(response.statusCode, 201, response.body);
      const answer = response.json();
      // Apa itu, Mengapa, Siapa, Mulai kapan, and one slide per FAQ entry.
      assert.equal(answer.images.length, 6);
      assert.deepEqual(answer.channels.map((c: { id: string }) => c.id).sort(), [channels.facebook, channels.x, channels.instagram].sort());
      assert.deepEqual(answer.skipped.map((c: { id: string; reason: string }) => [c.id, c.reason]), [[channels.youtube, 'no_images']]);
      assert.match(answer.notes[0].id, /DLH TV/);

      const post = (await editor.client.get(`/api/v1/posts/${answer.postId}`)).json();
      assert.equal(post.status, 'draft');
      assert.equal(post.title, 'Penjelasan Pergub 12/2025: Pengurangan Sampah Plastik Sekali Pakai');
      assert.equal(post.summary, explained.purpose);
      assert.equal(post.rubric?.slug, 'regulasi');
      assert.equal(post.unit.id, agency);
      assert.match(post.bodyHtml, /<h2>Alasan<\/h2><ul><li>Sampah plastik menyumbat saluran air &lt;dan&gt; memicu banjir<\/li>/);
      assert.match(post.bodyHtml, /href="https:\/\/jdih\.kaltimprov\.go\.id\/produk-hukum\/pergub-12-2025"/);
      assert.match(post.bodyHtml, new RegExp(`/regulasi/${regulation.slug}"`));

      assert.equal(post.media.length, 6);
      for (const [i, m] of post.media.entries()) {
        assert.equal(m.kind, 'image');
        assert.equal(m.width, 1080);
        assert.equal(m.height, 1350);
        assert.match(m.alt, new RegExp(`^Slide ${i + 1} dari 6 penjelasan Pergub Nomor 12 Tahun 2025 tentang Pengurangan Sampah Plastik Sekali Pakai\\.`));
        assert.ok(m.alt.length <= 1000);
        // The stored file itself is a 1080×1350 picture.
        const file = await server.app.inject({ method: 'GET', url: new URL(m.url, 'http://x').pathname });
        assert.equal(file.statusCode, 200, m.url);
        assert.deepEqual(pngSize(file.rawPayload), { width: 1080, height: 1350 });
      }
      assert.match(post.media[1].alt, /Mengapa\? Tujuan: Agar sungai dan laut/);
      assert.match(post.media[4].alt, /Tanya: Apakah pasar tradisional juga\?/);

      // Each network gets as many slides as it takes.
      const variant = (network: string) => post.variants.find((v: { network: string }) => v.network === network);
      assert.equal(variant('facebook').mediaIds.length, 6);
      assert.equal(variant('instagram').mediaIds.length, 6);
      assert.equal(variant('x').mediaIds.length, 4);
      assert.equal(variant('youtube'), undefined);
      assert.deepEqual(post.targets.map((t: { channelId: string }) => t.channelId).sort(), [channels.facebook, channels.x, channels.instagram].sort());

      const linked = (await editor.client.get(`/api/v1/regulations/${regulation.id}`)).json();
      assert.deepEqual(linked.posts.map((p: { id: string }) => p.id), [answer.postId]);

      // It goes through the normal review: submitting it starts a review, nothing is approved by itself.
      const submitted = await editor.client.post(`/api/v1/posts/${answer.postId}/submit`);
      assert.equal(submitted.statusCode, 200, submitted.body);
      assert.equal(submitted.json().status, 'in_review');
    });

    test('an incomplete explanation is refused naming the missing fields; nothing is created', async () => {
      const bare = (await editor.client.post('/api/v1/regulations', { unitId: agency, type: 'perda', number: '4', year: 2024, title: 'Retribusi Persampahan', purpose: 'Membiayai angkutan sampah.' })).json();
      const postsBefore = Number((await db().selectFrom('posts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const mediaBefore = Number((await db().selectFrom('media').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const refused = await editor.client.post(`/api/v1/regulations/${bare.id}/explain`);
      assert.equal(refused.statusCode, 422, refused.body);
      const error = refused.json().error;
      assert.equal(error.code, 'regulation.explanation_missing');
      assert.deepEqual(error.details.missing, ['reasons']);
      assert.match(error.message, /alasan wajib diisi/);
      assert.match(error.message, /Perda Nomor 4 Tahun 2024/);
      const none = (await editor.client.post('/api/v1/regulations', { unitId: agency, type: 'perda', number: '5', year: 2024, title: 'Tanpa Penjelasan' })).json();
      assert.deepEqual((await editor.client.post(`/api/v1/regulations/${none.id}/explain`)).json().error.details.missing, ['purpose', 'reasons']);
      assert.equal(Number((await db().selectFrom('posts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), postsBefore);
      assert.equal(Number((await db().selectFrom('media').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), mediaBefore);
    });

    test('who may ask: editors of the regulation\'s unit; a viewer and another unit\'s editor are refused', async () => {
      assert.equal((await viewer.client.post(`/api/v1/regulations/${regulation.id}/explain`)).statusCode, 403);
      assert.equal((await otherEditor.client.post(`/api/v1/regulations/${regulation.id}/explain`)).statusCode, 403);
      assert.equal((await editor.client.post('/api/v1/regulations/00000000-0000-4000-8000-000000000001/explain')).statusCode, 404);
      const anonymous = await server.app.inject({ method: 'POST', url: `/api/v1/regulations/${regulation.id}/explain` });
      assert.equal(anonymous.statusCode, 401);
    });

    test('a unit with no connected channel gets a draft with no targets, and the answer says so', async () => {
      const r = (await quietEditor.client.post('/api/v1/regulations', { unitId: quiet, ...explained, type: 'surat_edaran', number: '3', faq: [] })).json();
      const response = await quietEditor.client.post(`/api/v1/regulations/${r.id}/explain`);
      assert.equal(response.statusCode, 201, response.body);
      const answer = response.json();
      assert.equal(answer.images.length, 4);
      assert.deepEqual(answer.channels, []);
      assert.match(answer.notes[0].id, /draf dibuat tanpa tujuan/);
      assert.match(answer.notes[0].en, /no targets/);
      const post = (await quietEditor.client.get(`/api/v1/posts/${answer.postId}`)).json();
      assert.equal(post.status, 'draft');
      assert.deepEqual(post.targets, []);
      assert.equal(post.media.length, 4);
      assert.match(post.title, /^Penjelasan Surat Edaran 3\/2025: /);
    });
  });
}
