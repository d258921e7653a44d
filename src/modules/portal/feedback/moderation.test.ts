/**
 * The moderation queue over the API: staff see the feedback of their unit and the units below it
 * (never another unit's), editors and above change its status with a note, viewers only read, and
 * every change is in the audit log without the citizen's contact.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../../test/server.ts';
import { liveArticle, withoutReview } from '../feeds/test-articles.ts';
import { storeFeedback } from './submit-feedback.ts';

interface Item {
  id: string; kind: string; status: string; message: string; contact: string | null; note: string | null; canModerate: boolean;
  unit: { id: string; name: string }; article: { slug: string; title: string; url: string }; handledBy: { id: string; name: string } | null;
}

for (const backend of backendNames) {
  describe(`moderating citizens' feedback (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let dishub: string;
    let bureau: string;
    let dinkes: string;
    let editor: Person;
    let viewer: Person;
    let otherEditor: Person;
    let provinceApprover: Person;
    const ids = { dishub: '', bureau: '', dinkes: '' };

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      const top = await topUnitId(server);
      dishub = await makeUnit(server, top, 'agency', 'Dinas Perhubungan Moderasi');
      bureau = await makeUnit(server, dishub, 'bureau', 'Bidang Angkutan Sungai');
      dinkes = await makeUnit(server, top, 'agency', 'Dinas Kesehatan Moderasi');
      const db = server.siar.services.db;
      for (const [unit, label] of [[dishub, 'dishub'], [bureau, 'bureau'], [dinkes, 'dinkes']] as const) {
        const admin = await makePerson(server, unit, 'admin');
        await withoutReview(admin, unit);
        const article = await liveArticle(server, admin, { unitId: unit, title: `Berita ${label} untuk masukan` });
        ids[label] = await storeFeedback(db, { postId: article.postId, unitId: unit, values: { kind: label === 'dinkes' ? 'complaint' : 'question', message: `Pertanyaan warga untuk ${label} <b>tebal</b>`, name: 'Siti', contact: '0812-0000-1111' } });
      }
      editor = await makePerson(server, dishub, 'editor', 'Editor Dishub');
      viewer = await makePerson(server, dishub, 'viewer', 'Pemantau Dishub');
      otherEditor = await makePerson(server, dinkes, 'editor', 'Editor Dinkes');
      provinceApprover = await makePerson(server, top, 'approver', 'Penyetuju Provinsi');
    });
    after(() => server.close());

    async function queue(person: Person, query = ''): Promise<Item[]> {
      const response = await person.client.get(`/api/v1/portal-feedback${query}`);
      assert.equal(response.statusCode, 200, response.body);
      return (response.json() as { items: Item[] }).items;
    }

    test('staff see their unit’s feedback and the units below it, contacts included; never another unit’s', async () => {
      const seen = await queue(editor);
      assert.deepEqual(seen.map((i) => i.id).sort(), [ids.dishub, ids.bureau].sort());
      const one = seen.find((i) => i.id === ids.dishub)!;
      assert.equal(one.contact, '0812-0000-1111');
      assert.equal(one.message, 'Pertanyaan warga untuk dishub <b>tebal</b>', 'stored as typed; the admin app shows it as text');
      assert.equal(one.canModerate, true);
      assert.match(one.article.url, new RegExp(`/berita/${one.article.slug}$`));
      assert.deepEqual((await queue(otherEditor)).map((i) => i.id), [ids.dinkes]);
      assert.deepEqual((await queue(provinceApprover)).map((i) => i.id).sort(), [ids.dishub, ids.bureau, ids.dinkes].sort());
      assert.equal((await otherEditor.client.get(`/api/v1/portal-feedback?unitId=${dishub}`)).statusCode, 404);
      assert.equal((await editor.client.get('/api/v1/portal-feedback/summary')).json().new, 2);
    });

    test('filters: status, kind and unit (with the units below it)', async () => {
      assert.deepEqual((await queue(provinceApprover, '?kind=complaint')).map((i) => i.id), [ids.dinkes]);
      assert.deepEqual((await queue(provinceApprover, `?unitId=${bureau}`)).map((i) => i.id), [ids.bureau]);
      assert.equal((await queue(provinceApprover, `?unitId=${dishub}`)).length, 2);
      assert.equal((await queue(provinceApprover, '?status=spam')).length, 0);
      assert.equal((await provinceApprover.client.get('/api/v1/portal-feedback?status=dibaca')).statusCode, 400);
    });

    test('viewers read but cannot change; another unit’s editor cannot even see it', async () => {
      const seen = await queue(viewer);
      assert.ok(seen.every((i) => i.canModerate === false));
      assert.equal((await viewer.client.patch(`/api/v1/portal-feedback/${ids.dishub}`, { status: 'answered' })).statusCode, 403);
      assert.equal((await otherEditor.client.patch(`/api/v1/portal-feedback/${ids.dishub}`, { status: 'spam' })).statusCode, 404);
      const row = await server.siar.services.db.selectFrom('portal_feedback').select('status').where('id', '=', ids.dishub).executeTakeFirstOrThrow();
      assert.equal(row.status, 'new');
    });

    test('an editor marks it answered with an internal note; the change is audited without the contact', async () => {
      const response = await editor.client.patch(`/api/v1/portal-feedback/${ids.dishub}`, { status: 'answered', note: 'Dijawab lewat telepon.' });
      assert.equal(response.statusCode, 200, response.body);
      const item = response.json() as Item;
      assert.equal(item.status, 'answered');
      assert.equal(item.note, 'Dijawab lewat telepon.');
      assert.equal(item.handledBy?.name, 'Editor Dishub');
      assert.deepEqual((await queue(editor, '?status=new')).map((i) => i.id), [ids.bureau]);
      assert.equal((await editor.client.get('/api/v1/portal-feedback/summary')).json().new, 1);

      const entry = await server.siar.services.db.selectFrom('audit_log').selectAll().where('entity_id', '=', ids.dishub).executeTakeFirstOrThrow();
      assert.equal(entry.action, 'portal_feedback.status');
      assert.equal(entry.unit_id, dishub);
      assert.match(JSON.stringify(entry.after), /answered/);
      assert.doesNotMatch(JSON.stringify([entry.before, entry.after]), /0812|Siti/);

      // Closed later without a note: the note stays.
      const closed = await provinceApprover.client.patch(`/api/v1/portal-feedback/${ids.dishub}`, { status: 'closed' });
      assert.equal(closed.json().note, 'Dijawab lewat telepon.');
      assert.equal((await editor.client.patch(`/api/v1/portal-feedback/${ids.dishub}`, { status: 'dibaca' })).statusCode, 400);
    });
  });
}
