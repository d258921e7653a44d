// E2E journey through the kinerja import with headless Chromium (playwright-core): an editor opens
// Kinerja from the menu → uploads a ";" CSV as exported from Excel with a text in a numeric column
// and a duplicate indicator → sees both errors by row, and nothing can be imported → uploads the
// corrected file → sees the joined two-line header and the capaian in the preview → imports → the
// table shows the goals with capaian and category → edits one realisasi typed the Indonesian way →
// the new capaian shows and the history lists the import and the edit.
//
// The unit and the editor are set up in the database; everything after that goes through the
// browser. Needs /usr/bin/chromium (skips otherwise) and a built admin app in dist/admin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkip, openJourney, signInAdmin } from '../test/browser.ts';
import { startTestServer } from '../test/server.ts';
import { makePasswordUser, makeUnit, topUnitId } from '../test/people.ts';
import { csvOf, type Row } from '../src/modules/kinerja/test-fixtures.ts';

const head: Row[] = [
  ['CAPAIAN IKU DINAS KESEHATAN', null, null, null, null, null],
  ['Sasaran Strategis', 'Indikator Kinerja', 'Satuan', 'Target', null, 'Realisasi'],
  [null, null, null, '2025', '2026', '2025'],
];
const good: Row[] = [
  ['Meningkatnya derajat kesehatan', 'Angka harapan hidup', 'tahun', '74,5', '74,8', '74,62'],
  [null, 'Persentase posyandu aktif', '%', '90%', '92%', '-'],
];

test('editor imports a CSV: row errors block it, the fixed file imports, then one realisasi is edited', { skip: browserSkip, timeout: 180_000 }, async (t) => {
  const server = await startTestServer({ demo: false });
  const { page, pageErrors, shot } = await openJourney(t, { name: 'kinerja', server });
  const stamp = Date.now().toString(36);
  const unitId = await makeUnit(server, await topUnitId(server), 'agency', `Dinas Kesehatan ${stamp}`);
  const password = 'Perahu kecil menyusuri Teluk Balikpapan 27';
  const editor = await makePasswordUser(server, { unitId, role: 'editor', name: 'Sari Editor', email: `editor.${stamp}@humas.example.id`, password });

  await signInAdmin(page, server.url, editor.email, password);

  // 1. Kinerja from the menu: nothing yet.
  await page.getByTestId('nav-kinerja').click();
  await page.getByTestId('kinerja-empty').waitFor();

  // 2. A file with a text target and a duplicate indicator: both errors by row, import disabled.
  await page.getByTestId('kinerja-import-open').click();
  const bad = csvOf([...head, ...good, [null, 'Angka harapan hidup', 'tahun', '75', '75', '74'], [null, 'Cakupan imunisasi', '%', 'sembilan puluh', '95', '88']]);
  await page.getByTestId('kinerja-import-file').setInputFiles({ name: 'iku-salah.csv', mimeType: 'text/csv', buffer: bad });
  await page.getByTestId('kinerja-import-year').fill('2025');
  await page.getByTestId('kinerja-import-upload').click();
  await page.getByTestId('kinerja-import-errors').waitFor();
  const errors = page.getByTestId('kinerja-import-error');
  assert.equal(await errors.count(), 2);
  assert.match((await errors.nth(0).textContent()) ?? '', /Baris 6.*sudah ada di baris 4/);
  assert.match((await errors.nth(1).textContent()) ?? '', /Baris 7 · Target 2025: Bukan angka: "sembilan puluh"/);
  assert.equal(await page.getByTestId('kinerja-import-confirm').isDisabled(), true);
  await shot(page, 'row-errors');

  // 3. The corrected file: the two-line header is joined, the preview shows capaian, import.
  await page.getByRole('button', { name: 'Impor berkas lain' }).click();
  await page.getByTestId('kinerja-import-file').setInputFiles({ name: 'iku.csv', mimeType: 'text/csv', buffer: csvOf([...head, ...good]) });
  await page.getByTestId('kinerja-import-year').fill('2025');
  await page.getByTestId('kinerja-import-upload').click();
  await page.getByTestId('kinerja-import-ready').waitFor();
  assert.equal(await page.getByTestId('kinerja-map-target').locator('option:checked').textContent(), 'D · Target 2025');
  assert.match((await page.getByTestId('kinerja-preview').textContent()) ?? '', /100,16%/);
  await shot(page, 'mapping-preview');
  await page.getByTestId('kinerja-import-confirm').click();
  await page.getByTestId('kinerja-import-result').waitFor();
  assert.match((await page.getByTestId('kinerja-import-result-line').textContent()) ?? '', /2 baru, 0 berubah, 0 tetap/);
  await page.getByTestId('kinerja-import-done').click();

  // 4. The table: capaian and category, "tidak dapat dihitung" without realisasi.
  const posyandu = page.locator('[data-testid="kinerja-indicator"][data-name="Persentase posyandu aktif"]');
  await posyandu.waitFor();
  assert.match((await posyandu.getByTestId('capaian-none').textContent()) ?? '', /tidak dapat dihitung/);
  const ahh = page.locator('[data-testid="kinerja-indicator"][data-name="Angka harapan hidup"]');
  assert.equal(await ahh.getByTestId('capaian-band').textContent(), 'Sangat Baik');
  await shot(page, 'table');

  // 5. Edit the realisasi the Indonesian way; the capaian follows; the history lists both.
  await posyandu.getByTestId('kinerja-edit').click();
  await page.getByTestId('kinerja-edit-dialog').waitFor();
  await page.getByTestId('kinerja-edit-realisasi').fill('85,5');
  await page.getByTestId('kinerja-edit-save').click();
  await page.getByTestId('kinerja-notice').waitFor();
  await posyandu.getByTestId('capaian').waitFor();
  assert.match((await posyandu.getByTestId('capaian').textContent()) ?? '', /95%.*Sangat Baik/);
  assert.equal(await posyandu.getByTestId('kinerja-realisasi').textContent(), '85,5');
  await posyandu.getByTestId('kinerja-history-open').click();
  const items = page.getByTestId('kinerja-history-item');
  await items.nth(1).waitFor();
  assert.match((await items.nth(0).textContent()) ?? '', /Sari Editor · diubah di aplikasi.*Realisasi: – → Realisasi: 85,5/);
  assert.match((await items.nth(1).textContent()) ?? '', /lewat impor/);
  await shot(page, 'history');

  const stored = await server.siar.services.db.selectFrom('kinerja_indicators').select(['name', 'realisasi']).where('unit_id', '=', unitId).orderBy('name').execute();
  assert.deepEqual(stored.map((s) => [s.name, Number(s.realisasi)]), [['Angka harapan hidup', 74.62], ['Persentase posyandu aktif', 85.5]]);
  assert.deepEqual(pageErrors, []);
});
