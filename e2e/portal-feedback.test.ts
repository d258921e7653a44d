// E2E: citizens' feedback with headless Chromium (playwright-core). A citizen opens an article on
// the portal, chooses "Keluhan", writes a message with their name and contact and sends it: the
// page's script fetches a challenge and solves the proof of work, and the thank-you page follows.
// A second citizen, with JavaScript off, is asked to wait a few seconds and send again, and that
// goes through too. Then an editor of the article's unit signs in to the admin app, sees the count
// of new feedback in the menu, finds both messages under "Masukan warga" and marks one answered
// with a note; the database confirms it.
//
// The unit, the article and the editor are set up in the database and API; everything after that
// goes through the browser. Needs /usr/bin/chromium (skips otherwise) and a built admin app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkip, openJourney, signInAdmin } from '../test/browser.ts';
import { startTestServer } from '../test/server.ts';
import { makePasswordUser, makePerson, makeUnit, topUnitId } from '../test/people.ts';
import { liveArticle, withoutReview } from '../src/modules/portal/feeds/test-articles.ts';
import { NO_SCRIPT_WAIT_MS } from '../src/modules/portal/feedback/challenge.ts';

test('a citizen sends a complaint under an article (proof of work in the browser), another without JavaScript; an editor marks it answered', { skip: browserSkip, timeout: 180_000 }, async (t) => {
  const server = await startTestServer({ demo: false });
  const { browser, page, pageErrors, shot } = await openJourney(t, { name: 'portal-feedback', server });

  const db = server.siar.services.db;
  const stamp = Date.now().toString(36);
  const unitId = await makeUnit(server, await topUnitId(server), 'agency', `Dinas Perhubungan ${stamp}`);
  const admin = await makePerson(server, unitId, 'admin', 'Admin Dishub');
  await withoutReview(admin, unitId);
  const { slug, postId } = await liveArticle(server, admin, { unitId, title: 'Jadwal baru kapal penyeberangan Samarinda–Tenggarong' });
  const password = 'Perahu kecil menyusuri Teluk Balikpapan 27';
  const editor = await makePasswordUser(server, { unitId, role: 'editor', name: 'Dewi Editor', email: `editor.${stamp}@humas.example.id`, password });

  // 1. A citizen, with JavaScript on, writes under the article and sends.
  const citizen = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  t.after(() => citizen.close());
  const reader = await citizen.newPage();
  reader.on('pageerror', (e) => pageErrors.push(e.message));
  await reader.goto(`${server.url}/berita/${slug}`);
  const form = reader.locator('form[data-umpan-balik]');
  await form.waitFor();
  await form.getByLabel('Keluhan').check();
  const message = 'Jadwal kapal pukul 07.00 sering terlambat satu jam. Mohon <b>diumumkan</b> bila ada perubahan.';
  await form.getByLabel('Pesan (wajib)').fill(message);
  await form.getByLabel('Nama (tidak wajib)').fill('Budi Santoso');
  await form.getByLabel(/^Kontak/).fill('budi.s@contoh.id');
  assert.equal(await form.locator('input[name="situs_web"]').getAttribute('tabindex'), '-1', 'the honeypot is out of the tab order');
  await shot(reader, 'article-form-filled');
  const started = Date.now();
  await form.getByRole('button', { name: 'Kirim pesan' }).click();
  await reader.waitForURL(`**/berita/${slug}/umpan-balik/terkirim`);
  const tookMs = Date.now() - started;
  t.diagnostic(`challenge fetched, proof of work solved and form sent in ${tookMs} ms`);
  await reader.getByRole('heading', { name: /Terima kasih/ }).waitFor();
  await shot(reader, 'thanks');
  const stored = await db.selectFrom('portal_feedback').selectAll().where('post_id', '=', postId).execute();
  assert.equal(stored.length, 1);
  assert.equal(stored[0]!.kind, 'complaint');
  assert.equal(stored[0]!.message, message);
  assert.equal(stored[0]!.contact, 'budi.s@contoh.id');
  assert.equal((await db.selectFrom('portal_pow_spent').select('challenge').execute()).length, 1, 'the solved challenge is spent');

  // 2. Another citizen with JavaScript off: asked to wait, then the second send passes.
  const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 }, locale: 'id-ID' });
  t.after(() => noScript.close());
  const plain = await noScript.newPage();
  await plain.goto(`${server.url}/berita/${slug}`);
  await plain.getByLabel('Saran').check();
  await plain.getByLabel('Pesan (wajib)').fill('Sebaiknya jadwal juga ditempel di dermaga.');
  await plain.getByRole('button', { name: 'Kirim pesan' }).click();
  await plain.getByText(/tunggu \d+ detik, lalu tekan "Kirim pesan" sekali lagi/).waitFor();
  assert.equal(await plain.getByLabel('Pesan (wajib)').inputValue(), 'Sebaiknya jadwal juga ditempel di dermaga.', 'what was typed is kept');
  await shot(plain, 'no-script-wait');
  await plain.waitForTimeout(NO_SCRIPT_WAIT_MS + 500);
  await plain.getByRole('button', { name: 'Kirim pesan' }).click();
  await plain.getByRole('heading', { name: /Terima kasih/ }).waitFor();
  assert.equal((await db.selectFrom('portal_feedback').select('id').where('post_id', '=', postId).execute()).length, 2);

  // 3. The editor signs in, sees two new messages in the menu, and marks the complaint answered.
  await signInAdmin(page, server.url, editor.email, password);
  assert.equal(await page.getByTestId('nav-feedback-count').textContent(), '2');
  await page.getByTestId('nav-feedback').click();
  await page.getByRole('heading', { level: 1, name: 'Masukan warga' }).waitFor();
  const items = page.getByTestId('feedback-item');
  await items.first().waitFor();
  assert.equal(await items.count(), 2);
  const complaint = page.locator(`[data-testid="feedback-item"][data-id="${stored[0]!.id}"]`);
  assert.equal(await complaint.getByTestId('feedback-message').textContent(), message, 'shown as text, the tags included');
  assert.equal(await complaint.getByTestId('feedback-contact').textContent(), 'budi.s@contoh.id');
  assert.equal(await complaint.getByTestId('feedback-article').textContent(), 'Jadwal baru kapal penyeberangan Samarinda–Tenggarong');
  await shot(page, 'queue');
  await complaint.getByLabel('Catatan internal (tidak wajib)').fill('Sudah dibalas lewat surel.');
  await complaint.getByTestId('feedback-mark-answered').click();
  await complaint.getByTestId('feedback-done').getByText('Ditandai: Dijawab.').waitFor();
  assert.equal(await complaint.getByTestId('feedback-status').textContent(), 'Dijawab');
  await page.getByTestId('nav-feedback-count').getByText('1').waitFor();
  await shot(page, 'answered');

  const row = await db.selectFrom('portal_feedback').select(['status', 'note', 'handled_by']).where('id', '=', stored[0]!.id).executeTakeFirstOrThrow();
  assert.deepEqual(row, { status: 'answered', note: 'Sudah dibalas lewat surel.', handled_by: editor.id });
  assert.deepEqual(pageErrors, []);
});
