/**
 * Kinerja through the HTTP server, on both backends: importing an agency's file (upload, mapping,
 * preview, confirm), re-importing it (nothing changes), a changed file (history with the import),
 * a bad file (nothing written, errors by row and field), editing with versions, programmes,
 * category-band settings, and who may do what.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';
import { multipartBody } from '../media/test-fixtures.ts';
import { csvOf, largeXlsx, type Row } from './test-fixtures.ts';

const header: Row[] = [
  ['PENGUKURAN KINERJA 2025', null, null, null, null, null],
  ['Sasaran Strategis', 'Indikator Kinerja', 'Satuan', 'Target', 'Realisasi', 'Polaritas'],
];
const baseRows: Row[] = [
  ['Menurunnya kemiskinan', 'Persentase penduduk miskin', '%', '6,5', '6,1', 'turun'],
  [null, 'Indeks Gini', 'indeks', '0,35', '0,36', 'turun'],
  ['Meningkatnya layanan gizi', 'Unit layanan gizi beroperasi', 'unit', '367', '120', 'naik'],
  [null, 'Posyandu aktif', '%', '90%', '-', 'naik'],
  [null, 'Desa dengan target nol', 'desa', '0', '3', 'naik'],
];

function upload(person: Person, fields: Record<string, string>, file: { name: string; data: Buffer }) {
  const { payload, contentType } = multipartBody(fields, { ...file, contentType: 'application/octet-stream' });
  return person.client.request('POST', '/api/v1/kinerja/imports', payload, { 'content-type': contentType });
}

for (const backend of backendNames) {
  describe(`kinerja (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let dinas = '';
    let editor: Person;
    let viewer: Person;
    let outsider: Person;
    let admin: Person;

    const count = async (table: 'kinerja_indicators' | 'kinerja_goals' | 'kinerja_history') =>
      Number((await server.siar.services.db.selectFrom(table).select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

    async function importFile(rows: Row[], name = 'iku.csv') {
      const uploaded = await upload(editor, { unitId: dinas, year: '2025' }, { name, data: csvOf(rows) });
      assert.equal(uploaded.statusCode, 201, uploaded.body);
      const preview = uploaded.json();
      return { preview, confirm: () => editor.client.post(`/api/v1/kinerja/imports/${preview.id}/confirm`, { mapping: preview.mapping }) };
    }

    const report = async (who: Person = viewer) => {
      const response = await who.client.get(`/api/v1/kinerja?unitId=${dinas}&year=2025`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    };
    const indicatorNamed = async (name: string) => {
      const r = await report();
      return r.goals.flatMap((g: { indicators: { name: string }[] }) => g.indicators).find((i: { name: string }) => i.name === name);
    };

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      const top = await topUnitId(server);
      dinas = await makeUnit(server, top, 'agency', 'Dinas Sosial');
      const other = await makeUnit(server, top, 'agency', 'Dinas Lain');
      editor = await makePerson(server, dinas, 'editor', 'Editor Dinsos');
      viewer = await makePerson(server, dinas, 'viewer', 'Pembaca Dinsos');
      outsider = await makePerson(server, other, 'editor', 'Editor Lain');
      admin = await makePerson(server, dinas, 'admin', 'Admin Dinsos');
    });
    after(async () => server?.close());

    test('upload answers columns, a suggested mapping and a preview with capaian; confirm imports everything', async () => {
      const { preview, confirm } = await importFile([...header, ...baseRows]);
      assert.equal(preview.status, 'pending');
      assert.deepEqual(preview.headerRows, [2]);
      assert.deepEqual(preview.mapping.columns, { indicator: 1, goal: 0, target: 3, realisasi: 4, satuan: 2, polarity: 5 });
      assert.equal(preview.mapping.numberFormat, 'id');
      assert.equal(preview.errorCount, 0);
      assert.equal(preview.rows[0].row, 3);
      assert.deepEqual(preview.rows[0].record.capaian, { computable: true, value: '106.15', capped: false, band: { key: 'sangat_baik', label: 'Sangat Baik', labelEn: 'Very good', min: 91 } });
      assert.equal(await count('kinerja_indicators'), 0, 'upload writes no indicator');

      const confirmed = await confirm();
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.deepEqual({ ...(confirmed.json() as object), id: undefined }, { id: undefined, status: 'applied', indicators: 5, goalsCreated: 2, created: 5, updated: 0, unchanged: 0, changed: 5, notInFile: 0, years: [2025] });

      const r = await report();
      assert.deepEqual(r.years, [2025]);
      assert.deepEqual(r.goals.map((g: { name: string; indicators: unknown[] }) => [g.name, g.indicators.length]), [['Menurunnya kemiskinan', 2], ['Meningkatnya layanan gizi', 3]]);
      const byName = Object.fromEntries(r.goals.flatMap((g: { indicators: { name: string }[] }) => g.indicators).map((i: { name: string }) => [i.name, i]));
      assert.equal(byName['Indeks Gini'].capaian.value, '97.14');
      assert.equal(byName['Indeks Gini'].target, '0.35');
      assert.equal(byName['Unit layanan gizi beroperasi'].capaian.value, '32.7');
      assert.equal(byName['Unit layanan gizi beroperasi'].capaian.band.key, 'sangat_kurang');
      assert.deepEqual(byName['Posyandu aktif'].capaian, { computable: false, reason: 'realisasi_missing', message: 'Tidak dapat dihitung: realisasi belum diisi.' });
      assert.equal(byName['Desa dengan target nol'].capaian.reason, 'target_zero');
      assert.deepEqual(r.summary, { indicators: 5, computable: 3, byBand: { sangat_baik: 2, sangat_kurang: 1 }, notComputable: { realisasi_missing: 1, target_zero: 1 } });

      const audit = await server.siar.services.db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'kinerja.import').execute();
      assert.equal(audit.length, 1);
    });

    test('importing the same file again changes nothing and says so', async () => {
      const historyBefore = await count('kinerja_history');
      const { confirm } = await importFile([...header, ...baseRows]);
      const confirmed = await confirm();
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal(confirmed.json().changed, 0);
      assert.equal(confirmed.json().unchanged, 5);
      assert.equal(await count('kinerja_history'), historyBefore);
      assert.equal(await count('kinerja_indicators'), 5);
    });

    test('a changed value is updated with a history entry naming the import; the same import cannot be applied twice', async () => {
      const gizi = await indicatorNamed('Unit layanan gizi beroperasi');
      const changed = baseRows.map((row) => (row[1] === 'Unit layanan gizi beroperasi' ? [...row.slice(0, 4), '180', row[5]!] : row));
      const { preview, confirm } = await importFile([...header, ...changed], 'iku-juli.csv');
      const confirmed = await confirm();
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.deepEqual([confirmed.json().updated, confirmed.json().unchanged, confirmed.json().created], [1, 4, 0]);
      const after = await indicatorNamed('Unit layanan gizi beroperasi');
      assert.equal(after.realisasi, '180');
      assert.equal(after.version, gizi.version + 1);
      const history = (await viewer.client.get(`/api/v1/kinerja/indicators/${gizi.id}/history`)).json().items;
      assert.equal(history[0].action, 'update');
      assert.equal(history[0].source, 'import');
      assert.equal(history[0].importId, preview.id);
      assert.deepEqual([history[0].before, history[0].after], [{ realisasi: '120' }, { realisasi: '180' }]);
      assert.equal(history[0].changedBy.name, 'Editor Dinsos');
      assert.equal(history.at(-1).action, 'create');

      const again = await confirm();
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'kinerja.import_applied');
    });

    test('a file with bad rows writes nothing and lists every error by row and field', async () => {
      const indicators = await count('kinerja_indicators');
      const historyBefore = await count('kinerja_history');
      const bad: Row[] = [
        ...header,
        ['Sasaran baru', 'Indikator baru yang baik', '%', '50', '40', 'naik'],
        [null, 'Persentase sekolah', '%', 'lima puluh', '45', 'naik'],
        [null, 'Persentase sekolah', '%', '50', '45', 'naik'],
      ];
      const { preview, confirm } = await importFile(bad);
      assert.equal(preview.errorCount, 2);
      const confirmed = await confirm();
      assert.equal(confirmed.statusCode, 422);
      const body = confirmed.json().error;
      assert.equal(body.code, 'kinerja.import_invalid');
      assert.match(body.message, /2 kesalahan/);
      assert.equal(body.details.errorCount, 2);
      assert.deepEqual(body.details.errors.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code]), [[4, 'target', 'not_a_number'], [5, 'indicator', 'duplicate']]);
      assert.equal(body.details.errors[1].otherRow, 4);
      assert.match(body.details.errors[0].message, /Bukan angka: "lima puluh"/);
      assert.equal(await count('kinerja_indicators'), indicators, 'not even the good row');
      assert.equal(await count('kinerja_history'), historyBefore);
      assert.equal((await server.siar.services.db.selectFrom('kinerja_goals').select('id').where('name', '=', 'Sasaran baru').execute()).length, 0);

      // The English caller gets English messages.
      const english = await editor.client.request('POST', `/api/v1/kinerja/imports/${preview.id}/confirm`, { mapping: preview.mapping }, { 'accept-language': 'en' });
      assert.match(english.json().error.details.errors[0].message, /Not a number/);
    });

    test('the mapping step: another mapping previews differently; an incomplete one is refused', async () => {
      const { preview } = await importFile([...header, ...baseRows]);
      const lower = await editor.client.post(`/api/v1/kinerja/imports/${preview.id}/preview`, { mapping: { ...preview.mapping, columns: { ...preview.mapping.columns, polarity: undefined }, defaultPolarity: 'higher' } });
      assert.equal(lower.statusCode, 200, lower.body);
      assert.equal(lower.json().rows[0].record.polarity, 'higher');
      assert.equal(lower.json().rows[0].record.capaian.value, '93.85');
      const { indicator: _i, ...noIndicator } = preview.mapping.columns;
      const incomplete = await editor.client.post(`/api/v1/kinerja/imports/${preview.id}/confirm`, { mapping: { ...preview.mapping, columns: noIndicator } });
      assert.equal(incomplete.statusCode, 422);
      assert.equal(incomplete.json().error.code, 'kinerja.mapping_incomplete');
      assert.deepEqual(incomplete.json().error.details.fields, ['columns.indicator']);
    });

    test('editing an indicator: versions, recomputed capaian, history and audit', async () => {
      const posyandu = await indicatorNamed('Posyandu aktif');
      const edited = await editor.client.patch(`/api/v1/kinerja/indicators/${posyandu.id}`, { version: posyandu.version, realisasi: '85.5', notes: 'Data semester I' });
      assert.equal(edited.statusCode, 200, edited.body);
      assert.equal(edited.json().capaian.value, '95');
      assert.equal(edited.json().version, posyandu.version + 1);
      const stale = await editor.client.patch(`/api/v1/kinerja/indicators/${posyandu.id}`, { version: posyandu.version, realisasi: '80' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().error.code, 'kinerja.version_conflict');
      assert.equal(stale.json().error.details.currentVersion, posyandu.version + 1);
      const history = (await viewer.client.get(`/api/v1/kinerja/indicators/${posyandu.id}/history`)).json().items;
      assert.deepEqual([history[0].source, history[0].before, history[0].after], ['edit', { realisasi: null, notes: null }, { realisasi: '85.5', notes: 'Data semester I' }]);
      const audit = await server.siar.services.db.selectFrom('audit_log').select('action').where('entity_id', '=', posyandu.id).execute();
      assert.deepEqual(audit.map((a) => a.action), ['kinerja.indicator.update']);
      const bad = await editor.client.patch(`/api/v1/kinerja/indicators/${posyandu.id}`, { version: posyandu.version + 1, realisasi: '85,5' });
      assert.equal(bad.statusCode, 400);
    });

    test('who may do what: viewers read, editors import and edit, other units see nothing', async () => {
      const someone = await indicatorNamed('Indeks Gini');
      const viewerUpload = await upload(viewer, { unitId: dinas }, { name: 'a.csv', data: csvOf([...header, ...baseRows]) });
      assert.equal(viewerUpload.statusCode, 403);
      const viewerEdit = await viewer.client.patch(`/api/v1/kinerja/indicators/${someone.id}`, { version: someone.version, realisasi: '1' });
      assert.equal(viewerEdit.statusCode, 403);
      assert.equal((await outsider.client.get(`/api/v1/kinerja?unitId=${dinas}`)).statusCode, 404);
      assert.equal((await outsider.client.patch(`/api/v1/kinerja/indicators/${someone.id}`, { version: someone.version, realisasi: '1' })).statusCode, 404);
      assert.equal((await upload(outsider, { unitId: dinas }, { name: 'a.csv', data: csvOf([...header, ...baseRows]) })).statusCode, 404);
      assert.equal((await outsider.client.get(`/api/v1/kinerja/indicators/${someone.id}/history`)).statusCode, 404);
    });

    test('files that are not tables, too large, or without a file are refused with a clear error', async () => {
      const png = await upload(editor, { unitId: dinas }, { name: 'foto.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) });
      assert.equal(png.statusCode, 415);
      assert.equal(png.json().error.code, 'kinerja.unsupported_file');
      const noHeader = await upload(editor, { unitId: dinas }, { name: 'x.csv', data: Buffer.from('a;b\n1;2\n') });
      assert.equal(noHeader.statusCode, 422);
      assert.equal(noHeader.json().error.code, 'kinerja.no_header');
      const big = await upload(editor, { unitId: dinas }, { name: 'besar.csv', data: Buffer.alloc(20 * 1024 * 1024 + 10, 'a') });
      assert.equal(big.statusCode, 413);
      assert.equal(big.json().error.code, 'kinerja.file_too_large');
      assert.match(big.json().error.message, /batasnya 20 MB/);
      const { payload, contentType } = multipartBody({ unitId: dinas });
      const none = await editor.client.request('POST', '/api/v1/kinerja/imports', payload, { 'content-type': contentType });
      assert.equal(none.statusCode, 400);
      assert.equal(none.json().error.code, 'kinerja.missing_file');
    });

    test('category bands and a capaian maximum per unit (admins)', async () => {
      const bands = [
        { key: 'tinggi', label: 'Tinggi', labelEn: 'High', min: 100 },
        { key: 'sedang', label: 'Sedang', labelEn: 'Medium', min: 60 },
        { key: 'rendah', label: 'Rendah', labelEn: 'Low', min: 0 },
      ];
      assert.equal((await editor.client.put('/api/v1/kinerja/settings', { unitId: dinas, settings: { bands, maxCapaian: '105' } })).statusCode, 403);
      const saved = await admin.client.put('/api/v1/kinerja/settings', { unitId: dinas, settings: { bands, maxCapaian: '105' } });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(saved.json().fromUnitId, dinas);
      const poverty = await indicatorNamed('Persentase penduduk miskin');
      assert.deepEqual(poverty.capaian, { computable: true, value: '105', capped: true, band: { key: 'tinggi', label: 'Tinggi', labelEn: 'High', min: 100 } });
      const noZero = await admin.client.put('/api/v1/kinerja/settings', { unitId: dinas, settings: { bands: bands.slice(0, 2), maxCapaian: null } });
      assert.equal(noZero.statusCode, 400);
      const cleared = await admin.client.put('/api/v1/kinerja/settings', { unitId: dinas, settings: null });
      assert.equal(cleared.json().fromUnitId, null);
      assert.equal((await indicatorNamed('Persentase penduduk miskin')).capaian.value, '106.15');
    });

    test('programmes: target and progress over the year', async () => {
      const created = await editor.client.post('/api/v1/kinerja/programmes', { unitId: dinas, year: 2025, name: 'Layanan gizi terpadu', satuan: 'unit', target: '367' });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id;
      await editor.client.post(`/api/v1/kinerja/programmes/${id}/progress`, { asOf: '2025-03-31', value: '45' });
      const june = await editor.client.post(`/api/v1/kinerja/programmes/${id}/progress`, { asOf: '2025-06-30', value: '120', note: 'semester I' });
      assert.equal(june.statusCode, 200, june.body);
      assert.deepEqual(june.json().progress.map((p: { asOf: string; value: string }) => [p.asOf, p.value]), [['2025-03-31', '45'], ['2025-06-30', '120']]);
      assert.equal(june.json().capaian.value, '32.7');
      const duplicate = await editor.client.post('/api/v1/kinerja/programmes', { unitId: dinas, year: 2025, name: 'layanan gizi  terpadu', target: '1' });
      assert.equal(duplicate.statusCode, 409);
      const r = await report();
      assert.equal(r.programmes.length, 1);
      const history = (await viewer.client.get(`/api/v1/kinerja/programmes/${id}/history`)).json().items;
      assert.deepEqual(history.map((h: { action: string }) => h.action), ['progress', 'progress', 'create']);
      const unitHistory = (await viewer.client.get(`/api/v1/kinerja/history?unitId=${dinas}&limit=5`)).json().items;
      assert.equal(unitHistory.length, 5);
    });

    test('a 50,000-row XLSX imports in one transaction, and again with nothing changed', { timeout: 300_000 }, async () => {
      const data = await largeXlsx(50_000, 2024);
      const uploaded = await upload(editor, { unitId: dinas, year: '2024' }, { name: 'besar.xlsx', data });
      assert.equal(uploaded.statusCode, 201, uploaded.body);
      const preview = uploaded.json();
      assert.equal(preview.dataRows, 50_000);
      assert.equal(preview.errorCount, 0);
      const first = await editor.client.post(`/api/v1/kinerja/imports/${preview.id}/confirm`, { mapping: preview.mapping });
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(first.json().created, 50_000);
      assert.equal(first.json().goalsCreated, 5000);
      const again = await upload(editor, { unitId: dinas, year: '2024' }, { name: 'besar.xlsx', data });
      const second = await editor.client.post(`/api/v1/kinerja/imports/${again.json().id}/confirm`, { mapping: again.json().mapping });
      assert.equal(second.statusCode, 200, second.body);
      assert.equal(second.json().changed, 0);
      assert.equal(second.json().unchanged, 50_000);
    });
  });
}
