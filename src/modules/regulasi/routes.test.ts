/**
 * Regulations through the API on both databases: recording and editing a regulation with its
 * explanation, who may do what, one record per real regulation, filters, linking posts, the
 * explanation rule on submission, and live readability.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';

const pergub = {
  type: 'pergub',
  number: '12',
  year: 2025,
  title: 'Pengurangan Sampah Plastik Sekali Pakai',
  enactedOn: '2025-03-10',
  inForceOn: '2025-07-01',
  jdihUrl: 'https://jdih.kaltimprov.go.id/produk-hukum/pergub-12-2025',
};

for (const backend of backendNames) {
  describe(`regulations (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let province: string;
    let agency: string;
    let otherAgency: string;
    let editor: Person;
    let viewer: Person;
    let otherEditor: Person;
    let channel: string;
    let rubricRegulasi: string;

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      province = await topUnitId(server);
      agency = await makeUnit(server, province, 'agency', 'Dinas Lingkungan Hidup');
      otherAgency = await makeUnit(server, province, 'agency', 'Dinas Perhubungan');
      const admin = await makePerson(server, agency, 'admin', 'Admin Dinas');
      editor = await makePerson(server, agency, 'editor', 'Rina Penulis');
      viewer = await makePerson(server, agency, 'viewer', 'Dewi Pembaca');
      otherEditor = await makePerson(server, otherAgency, 'editor', 'Budi Dishub');
      const created = await admin.client.post('/api/v1/channels', { unitId: agency, network: 'facebook', name: 'DLH Kaltim', handle: 'dlhkaltim' });
      assert.equal(created.statusCode, 201, created.body);
      channel = created.json().id;
      // No approval tiers: a submitted post is approved at once, so the test sees the rule alone.
      const policy = await admin.client.put(`/api/v1/units/${agency}/approval-policy`, { tierUnitIds: [], sertaMertaDirectRole: null, crowdingPerHour: 3 });
      assert.ok([200, 204].includes(policy.statusCode), policy.body);
      const rubrics = (await editor.client.get('/api/v1/rubrics')).json().items as { id: string; slug: string }[];
      rubricRegulasi = rubrics.find((r) => r.slug === 'regulasi')!.id;
    });
    after(() => server.close());

    const record = async (body: Record<string, unknown> = {}, by = editor) =>
      by.client.post('/api/v1/regulations', { unitId: agency, ...pergub, ...body });

    const draftPost = async (title = 'Mengapa kantong plastik dilarang?') => {
      const response = await editor.client.post('/api/v1/posts', {
        unitId: agency,
        title,
        bodyHtml: '<p>Mulai Juli toko tidak lagi memberi kantong plastik. Bawa tas belanja sendiri.</p>',
        rubricId: rubricRegulasi,
        targets: [channel],
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json() as { id: string; version: number };
    };

    test('an editor records a regulation; the answer names it and lists the missing explanation', async () => {
      const response = await record();
      assert.equal(response.statusCode, 201, response.body);
      const r = response.json();
      assert.equal(r.name, 'Pergub Nomor 12 Tahun 2025');
      assert.equal(r.slug, 'pergub-12-2025-pengurangan-sampah-plastik-sekali-pakai');
      assert.equal(r.enactedOn, '2025-03-10');
      assert.equal(r.inForceOn, '2025-07-01');
      assert.equal(r.status, 'berlaku');
      assert.deepEqual(r.missing, ['purpose', 'reasons']);
      assert.equal(r.version, 1);
      assert.equal(r.canEdit, true);
      assert.deepEqual(r.unit, { id: agency, name: 'Dinas Lingkungan Hidup' });
      const audit = await server.siar.services.db.selectFrom('audit_log').select(['action', 'unit_id']).where('entity_id', '=', r.id).execute();
      assert.deepEqual(audit.map((a) => a.action), ['regulation.create']);
    });

    test('validation names the field: JDIH must be https, in force not before enacted, FAQ answers required', async () => {
      const http = await record({ number: '90', jdihUrl: 'http://jdih.kaltimprov.go.id/x' });
      assert.equal(http.statusCode, 400);
      assert.ok(http.json().error.details.issues.some((i: { path: string }) => i.path === 'jdihUrl'), http.body);
      const dates = await record({ number: '91', enactedOn: '2025-05-01', inForceOn: '2025-04-01' });
      assert.equal(dates.statusCode, 400);
      assert.equal(dates.json().error.details.issues[0].path, 'inForceOn');
      const faq = await record({ number: '92', faq: [{ question: 'Kapan mulai berlaku?', answer: '  ' }] });
      assert.equal(faq.statusCode, 400);
      assert.match(faq.json().error.details.issues[0].path, /^faq\.0\.answer/);
      const type = await record({ number: '93', type: 'perpres' });
      assert.equal(type.statusCode, 400);
    });

    test('viewers read but cannot record; another unit’s editor reads but cannot edit', async () => {
      assert.equal((await record({ number: '20' }, viewer)).statusCode, 403);
      assert.equal((await otherEditor.client.post('/api/v1/regulations', { unitId: agency, ...pergub, number: '21' })).statusCode, 404);
      const list = await viewer.client.get('/api/v1/regulations');
      assert.equal(list.statusCode, 200);
      const one = list.json().items.find((r: { number: string }) => r.number === '12');
      assert.equal(one.canEdit, false);
      const seen = await otherEditor.client.get(`/api/v1/regulations/${one.id}`);
      assert.equal(seen.statusCode, 200);
      assert.equal(seen.json().canEdit, false);
      const edit = await otherEditor.client.patch(`/api/v1/regulations/${one.id}`, { version: one.version, purpose: 'x' });
      assert.equal(edit.statusCode, 403);
      assert.equal((await otherEditor.client.delete(`/api/v1/regulations/${one.id}`)).statusCode, 403);
    });

    test('one record per real regulation: a Pergub is unique in the province, a Surat Edaran per unit', async () => {
      const again = await otherEditor.client.post('/api/v1/regulations', { unitId: otherAgency, ...pergub, number: ' 12 ' });
      assert.equal(again.statusCode, 409, again.body);
      assert.equal(again.json().error.code, 'regulation.duplicate');
      assert.match(again.json().error.message, /Pergub Nomor 12 Tahun 2025 sudah dicatat oleh Dinas Lingkungan Hidup/);
      const circular = { type: 'surat_edaran', number: '1', year: 2025, title: 'Hari Bebas Kendaraan Bermotor' };
      const mine = await editor.client.post('/api/v1/regulations', { unitId: agency, ...circular });
      assert.equal(mine.statusCode, 201, mine.body);
      const theirs = await otherEditor.client.post('/api/v1/regulations', { unitId: otherAgency, ...circular });
      assert.equal(theirs.statusCode, 201, theirs.body);
      assert.notEqual(mine.json().slug, theirs.json().slug);
      const twice = await editor.client.post('/api/v1/regulations', { unitId: agency, ...circular, title: 'Lain' });
      assert.equal(twice.statusCode, 409);
    });

    test('edits name their version: a stale one is refused, the slug never changes', async () => {
      const created = (await record({ number: '30', title: 'Retribusi Pelayanan Persampahan' })).json();
      const edited = await editor.client.patch(`/api/v1/regulations/${created.id}`, {
        version: 1,
        title: 'Retribusi Pelayanan Persampahan dan Kebersihan',
        purpose: 'Agar biaya angkut sampah dibagi adil.',
        faq: [{ question: 'Siapa yang membayar?', answer: 'Rumah tangga dan toko.' }, { question: 'Berapa?', answer: 'Rp10.000 sebulan.' }],
      });
      assert.equal(edited.statusCode, 200, edited.body);
      const e = edited.json();
      assert.equal(e.version, 2);
      assert.equal(e.slug, created.slug);
      assert.equal(e.title, 'Retribusi Pelayanan Persampahan dan Kebersihan');
      assert.deepEqual(e.missing, ['reasons']);
      assert.deepEqual(e.faq.map((f: { question: string }) => f.question), ['Siapa yang membayar?', 'Berapa?']);
      const stale = await editor.client.patch(`/api/v1/regulations/${created.id}`, { version: 1, reasons: 'Karena biaya naik.' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().error.code, 'regulation.version_conflict');
      assert.equal(stale.json().error.details.currentVersion, 2);
      const reread = (await editor.client.get(`/api/v1/regulations/${created.id}`)).json();
      assert.equal(reread.reasons, '');
    });

    test('the list filters by type, year, status, unit and words', async () => {
      await record({ number: '4', year: 2023, title: 'Tata Kelola Air Bersih', status: 'dicabut', jdihUrl: null });
      await otherEditor.client.post('/api/v1/regulations', { unitId: otherAgency, type: 'keputusan', number: '100.3.3.1/K.55/2024', year: 2024, title: 'Tarif Angkutan Sungai' });
      const titles = async (query: string) => ((await viewer.client.get(`/api/v1/regulations?${query}`)).json().items as { title: string }[]).map((r) => r.title);
      assert.deepEqual(await titles('year=2023'), ['Tata Kelola Air Bersih']);
      assert.deepEqual(await titles('status=dicabut'), ['Tata Kelola Air Bersih']);
      assert.deepEqual(await titles('type=keputusan'), ['Tarif Angkutan Sungai']);
      assert.deepEqual(await titles('q=100.3.3.1'), ['Tarif Angkutan Sungai']);
      assert.deepEqual(await titles('q=sampah%20plastik'), ['Pengurangan Sampah Plastik Sekali Pakai']);
      assert.ok(!(await titles(`unitId=${otherAgency}`)).includes('Tata Kelola Air Bersih'));
      assert.ok((await titles(`unitId=${province}`)).includes('Tata Kelola Air Bersih'));
      const paged = (await viewer.client.get('/api/v1/regulations?pageSize=2&page=1')).json();
      assert.equal(paged.items.length, 2);
      assert.ok(paged.total >= 5);
      // Newest year first.
      const years = ((await viewer.client.get('/api/v1/regulations?pageSize=100')).json().items as { year: number }[]).map((r) => r.year);
      assert.deepEqual(years, [...years].sort((a, b) => b - a));
    });

    test('a linked post cannot be submitted until the regulation’s purpose and reasons are filled', async () => {
      const regulation = (await record({ number: '40', title: 'Kawasan Tanpa Rokok' })).json();
      const post = await draftPost('Kawasan tanpa rokok: yang perlu Anda tahu');
      const link = await editor.client.post(`/api/v1/regulations/${regulation.id}/posts`, { postId: post.id });
      assert.equal(link.statusCode, 200, link.body);
      assert.deepEqual(link.json().posts.map((p: { id: string }) => p.id), [post.id]);

      const refused = await editor.client.post(`/api/v1/posts/${post.id}/submit`, {});
      assert.equal(refused.statusCode, 422, refused.body);
      const error = refused.json().error;
      assert.equal(error.code, 'regulation.explanation_incomplete');
      assert.match(error.message, /Pergub Nomor 40 Tahun 2025/);
      assert.match(error.message, /tujuan dan alasan wajib diisi/);
      assert.deepEqual(error.details.regulations[0].missing, ['purpose', 'reasons']);
      assert.deepEqual(error.details.issues.map((i: { path: string }) => i.path), [`regulations.${regulation.id}.purpose`, `regulations.${regulation.id}.reasons`]);
      const english = await editor.client.request('POST', `/api/v1/posts/${post.id}/submit`, {}, { 'accept-language': 'en' });
      assert.match(english.json().error.message, /purpose and reasons must be filled/);

      // Purpose only: reasons are still missing, and only they are named.
      await editor.client.patch(`/api/v1/regulations/${regulation.id}`, { version: 1, purpose: 'Melindungi warga dari asap rokok di tempat umum.' });
      const stillRefused = await editor.client.post(`/api/v1/posts/${post.id}/submit`, {});
      assert.equal(stillRefused.statusCode, 422);
      assert.match(stillRefused.json().error.message, /: alasan wajib diisi/);
      assert.equal((await editor.client.get(`/api/v1/posts/${post.id}`)).json().status, 'draft');

      // Whitespace is not an explanation.
      await editor.client.patch(`/api/v1/regulations/${regulation.id}`, { version: 2, reasons: '   ' });
      assert.equal((await editor.client.post(`/api/v1/posts/${post.id}/submit`, {})).statusCode, 422);

      await editor.client.patch(`/api/v1/regulations/${regulation.id}`, { version: 3, reasons: 'Karena perokok pasif ikut sakit.' });
      const submitted = await editor.client.post(`/api/v1/posts/${post.id}/submit`, {});
      assert.equal(submitted.statusCode, 200, submitted.body);
      assert.equal(submitted.json().status, 'approved');
    });

    test('a regulation-rubric post that is not linked is not held back by the rule', async () => {
      const post = await draftPost('Aturan baru tentang pasar');
      const submitted = await editor.client.post(`/api/v1/posts/${post.id}/submit`, {});
      assert.equal(submitted.statusCode, 200, submitted.body);
    });

    test('linking needs the right to write the post; unlinking lifts the rule; removing keeps the post', async () => {
      const regulation = (await record({ number: '50', title: 'Jam Operasional Tempat Hiburan' })).json();
      const post = await draftPost('Jam buka tempat hiburan berubah');
      assert.equal((await viewer.client.post(`/api/v1/regulations/${regulation.id}/posts`, { postId: post.id })).statusCode, 403);
      assert.equal((await otherEditor.client.post(`/api/v1/regulations/${regulation.id}/posts`, { postId: post.id })).statusCode, 404);
      assert.equal((await editor.client.post(`/api/v1/regulations/${regulation.id}/posts`, { postId: post.id })).statusCode, 200);
      // Linking twice is harmless.
      const twice = await editor.client.post(`/api/v1/regulations/${regulation.id}/posts`, { postId: post.id });
      assert.equal(twice.json().postCount, 1);
      // Another unit's editor sees the regulation but not the other unit's draft among its posts.
      assert.deepEqual((await otherEditor.client.get(`/api/v1/regulations/${regulation.id}`)).json().posts, []);
      const ofPost = await viewer.client.get(`/api/v1/posts/${post.id}/regulations`);
      assert.deepEqual(ofPost.json().items.map((r: { id: string }) => r.id), [regulation.id]);

      assert.equal((await editor.client.post(`/api/v1/posts/${post.id}/submit`, {})).statusCode, 422);
      assert.equal((await editor.client.delete(`/api/v1/regulations/${regulation.id}/posts/${post.id}`)).statusCode, 204);
      assert.equal((await editor.client.delete(`/api/v1/regulations/${regulation.id}/posts/${post.id}`)).statusCode, 404);
      assert.deepEqual((await viewer.client.get(`/api/v1/posts/${post.id}/regulations`)).json().items, []);

      await editor.client.post(`/api/v1/regulations/${regulation.id}/posts`, { postId: post.id });
      assert.equal((await editor.client.delete(`/api/v1/regulations/${regulation.id}`)).statusCode, 204);
      assert.equal((await editor.client.get(`/api/v1/regulations/${regulation.id}`)).statusCode, 404);
      assert.equal((await editor.client.get(`/api/v1/posts/${post.id}`)).statusCode, 200);
      assert.equal((await editor.client.post(`/api/v1/posts/${post.id}/submit`, {})).statusCode, 200);
    });

    test('readability scores text live, with positions for long sentences and jargon', async () => {
      const text = 'Dalam hal warga tidak memilah sampah sebagaimana dimaksud dalam Pasal 5, dikenakan sanksi. Bawa tas sendiri.';
      const response = await editor.client.post('/api/v1/regulations/readability', { text });
      assert.equal(response.statusCode, 200, response.body);
      const r = response.json();
      assert.ok(r.score >= 0 && r.score <= 100);
      assert.ok(['Mudah', 'Sedang', 'Sulit'].includes(r.label));
      const jargon = r.issues.filter((i: { kind: string }) => i.kind === 'jargon');
      assert.deepEqual(jargon.map((i: { suggestion: string }) => i.suggestion), ['jika', 'seperti disebut', 'sebut isi aturannya']);
      for (const i of jargon) assert.equal(text.slice(i.start, i.end), i.text);
      assert.equal((await editor.client.post('/api/v1/regulations/readability', { text: 1 })).statusCode, 400);
      const anonymous = await server.app.inject({ method: 'POST', url: '/api/v1/regulations/readability', payload: { text } });
      assert.equal(anonymous.statusCode, 401);
    });
  });
}
