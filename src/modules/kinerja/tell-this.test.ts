/**
 * "Ceritakan" on both databases: an indicator's result becomes a draft post with the performance
 * card in the right sizes (each network's variant picking its size), alt text from the data, the
 * plain sentence as summary, the kinerja rubric, and the unit's connected accounts the person may
 * use as targets; viewers are refused, outsiders see nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';
import type { NetworkId } from '../../db/schema.ts';
import { mediaStorageFor } from '../media/storage.ts';
import { multipartBody } from '../media/test-fixtures.ts';
import { csvOf, type Row } from './test-fixtures.ts';

const rows: Row[] = [
  ['Sasaran Strategis', 'Indikator Kinerja', 'Satuan', 'Target', 'Realisasi', 'Polaritas', 'Sumber Data'],
  ['Menurunnya kemiskinan', 'Persentase penduduk miskin', '%', '6,5', '6,1', 'turun', 'BPS Kaltim'],
  ['Meningkatnya layanan gizi', 'Desa dengan target nol', 'desa', '0', '3', 'naik', null],
];

/** Width and height from a PNG's IHDR. */
function pngSize(data: Buffer): { width: number; height: number } {
  assert.equal(data.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

for (const backend of backendNames) {
  describe(`tell this (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let unitId = '';
    let top = '';
    let editor: Person;
    let viewer: Person;
    let outsider: Person;
    const channels = new Map<string, string>();
    const db = () => server.siar.services.db;

    async function channel(unit: string, network: NetworkId, connection: 'connected' | 'unconnected', name: string) {
      const row = await db().insertInto('channels').values({ unit_id: unit, network, name, handle: `@${name.toLowerCase().replace(/\W/g, '')}`, limit_overrides: '{}', connection, base_url: 'https://net.example' }).returning('id').executeTakeFirstOrThrow();
      channels.set(name, row.id);
    }

    async function indicatorId(name: string): Promise<string> {
      return (await db().selectFrom('kinerja_indicators').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
    }

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      top = await topUnitId(server);
      unitId = await makeUnit(server, top, 'agency', 'Dinas Sosial Uji');
      const other = await makeUnit(server, top, 'agency', 'Dinas Lain');
      editor = await makePerson(server, unitId, 'editor', 'Editor Dinsos');
      viewer = await makePerson(server, unitId, 'viewer', 'Pembaca Dinsos');
      outsider = await makePerson(server, other, 'editor', 'Editor Lain');
      // Siar ships a "kinerja" rubric; the draft goes there.
      await db().selectFrom('rubrics').select('id').where('slug', '=', 'kinerja').where('archived', '=', false).executeTakeFirstOrThrow();
      await channel(unitId, 'instagram', 'connected', 'IG Dinsos');
      await channel(unitId, 'x', 'connected', 'X Dinsos');
      await channel(unitId, 'facebook', 'unconnected', 'FB Dinsos');
      await channel(unitId, 'youtube', 'connected', 'YT Dinsos');
      // The province's account: an editor of the agency may not post there.
      await channel(top, 'telegram', 'connected', 'TG Provinsi');
      const { payload, contentType } = multipartBody({ unitId, year: '2025' }, { name: 'iku.csv', data: csvOf(rows), contentType: 'text/csv' });
      const uploaded = await editor.client.request('POST', '/api/v1/kinerja/imports', payload, { 'content-type': contentType });
      assert.equal(uploaded.statusCode, 201, uploaded.body);
      const confirmed = await editor.client.post(`/api/v1/kinerja/imports/${uploaded.json().id}/confirm`, { mapping: uploaded.json().mapping });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
    });
    after(async () => server?.close());

    test('an editor gets a draft with the card in each size, alt text, summary, rubric and targets', async () => {
      const id = await indicatorId('Persentase penduduk miskin');
      const told = await editor.client.post(`/api/v1/kinerja/indicators/${id}/tell`);
      assert.equal(told.statusCode, 201, told.body);
      const answer = told.json();
      assert.equal(answer.status, 'draft');
      assert.deepEqual(
        answer.targets.map((t: { channelId: string }) => t.channelId).sort(),
        [channels.get('IG Dinsos'), channels.get('X Dinsos')].sort(),
      );
      assert.deepEqual(
        answer.skipped.map((s: { channelId: string; reason: string }) => [s.channelId, s.reason]).sort(),
        [[channels.get('YT Dinsos'), 'no_picture_posts'], [channels.get('TG Provinsi'), 'not_allowed']].sort(),
      );

      // The pictures: exact sizes, as stored and as files.
      const storage = mediaStorageFor(server.siar.services.config);
      for (const [size, want] of Object.entries({ portrait: [1080, 1350], landscape: [1200, 675], story: [1080, 1920] })) {
        const row = await db().selectFrom('media').selectAll().where('id', '=', answer.media[size].id).executeTakeFirstOrThrow();
        assert.deepEqual([row.width, row.height], want, size);
        assert.equal(row.unit_id, unitId);
        assert.match(row.alt, /^Infografik capaian kinerja Dinas Sosial Uji tahun 2025: indikator Persentase penduduk miskin/);
        const chunks: Buffer[] = [];
        for await (const chunk of storage.read(row.storage_key)) chunks.push(chunk as Buffer);
        const bytes = Buffer.concat(chunks);
        assert.deepEqual(pngSize(bytes), { width: want[0], height: want[1] }, `${size} file`);
      }

      const post = (await editor.client.get(`/api/v1/posts/${answer.postId}`)).json();
      assert.equal(post.status, 'draft');
      assert.equal(post.unit.id, unitId);
      assert.equal(post.title, 'Persentase penduduk miskin: capaian kinerja Dinas Sosial Uji tahun 2025');
      assert.equal(post.summary, 'Realisasi 6,1% lebih rendah (lebih baik) dari target 6,5%; capaian 106,15% (Sangat Baik).');
      assert.equal(post.rubric?.slug, 'kinerja');
      assert.deepEqual(post.tags, ['kinerja']);
      assert.match(post.bodyHtml, /Target: 6,5%/);
      assert.match(post.bodyHtml, /Realisasi: 6,1%/);
      assert.match(post.bodyHtml, /Capaian: 106,15% \(Sangat Baik\)/);
      assert.match(post.bodyHtml, /Sumber data: BPS Kaltim/);
      assert.match(post.bodyHtml, /\/kinerja\/[a-z0-9-]+\/2025/);
      // Two pictures attached (the story is not), each with the alt text of the data.
      assert.deepEqual(post.media.map((m: { mediaId: string }) => m.mediaId), [answer.media.portrait.id, answer.media.landscape.id]);
      for (const m of post.media) {
        assert.match(m.alt, /target 6,5%, realisasi 6,1%, capaian 106,15% \(Sangat Baik\); semakin rendah semakin baik\. Sumber: BPS Kaltim\.$/);
      }
      const variant = (network: string) => post.variants.find((v: { network: string }) => v.network === network);
      assert.deepEqual(variant('instagram').mediaIds, [answer.media.portrait.id]);
      assert.deepEqual(variant('x').mediaIds, [answer.media.landscape.id]);
      assert.equal(variant('x').customized, false, 'adapted from the master');
      assert.deepEqual(post.targets.map((t: { channelId: string }) => t.channelId).sort(), answer.targets.map((t: { channelId: string }) => t.channelId).sort());
      // Nothing blocks submission: every variant passes its network's rules.
      for (const check of post.checks) assert.ok(check.ok, JSON.stringify(check));
    });

    test('a zero target says why there is no capaian', async () => {
      const told = await editor.client.post(`/api/v1/kinerja/indicators/${await indicatorId('Desa dengan target nol')}/tell`);
      assert.equal(told.statusCode, 201, told.body);
      const post = (await editor.client.get(`/api/v1/posts/${told.json().postId}`)).json();
      assert.equal(post.summary, 'Capaian belum dapat dihitung: target nol (target 0 desa, realisasi 3 desa).');
      assert.match(post.media[0].alt, /capaian tidak dapat dihitung \(target nol\)/);
    });

    test('viewers are refused, outsiders and unknown indicators get 404', async () => {
      const id = await indicatorId('Persentase penduduk miskin');
      const posts = async () => Number((await db().selectFrom('posts').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await posts();
      assert.equal((await viewer.client.post(`/api/v1/kinerja/indicators/${id}/tell`)).statusCode, 403);
      assert.equal((await outsider.client.post(`/api/v1/kinerja/indicators/${id}/tell`)).statusCode, 404);
      assert.equal((await editor.client.post('/api/v1/kinerja/indicators/00000000-0000-4000-8000-000000000001/tell')).statusCode, 404);
      assert.equal(await posts(), before, 'no post written');
    });
  });
}
