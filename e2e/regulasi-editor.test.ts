// E2E journey through the regulation editor with headless Chromium (playwright-core): an editor opens
// Regulasi from the menu → records a Pergub → types a purpose in legal wording and sees the live
// readability panel mark the jargon with a plain suggestion → saves with a JDIH link that is not
// https, sees the error on that field with everything typed still there → fixes it and saves → adds
// two FAQ entries, moves the second up, saves → the order is kept after a reload.
//
// The unit and the editor are set up in the database; everything after that goes through the
// browser. Needs /usr/bin/chromium (skips otherwise) and a built admin app in dist/admin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkip, openJourney, signInAdmin } from '../test/browser.ts';
import { startTestServer } from '../test/server.ts';
import { makePasswordUser, makeUnit, topUnitId } from '../test/people.ts';

test('editor records a regulation → readability flags jargon → field error keeps input → FAQ reordered and saved', { skip: browserSkip, timeout: 180_000 }, async (t) => {
  const server = await startTestServer({ demo: false });
  const { page, pageErrors, shot } = await openJourney(t, { name: 'regulasi', server });

  const stamp = Date.now().toString(36);
  const unitId = await makeUnit(server, await topUnitId(server), 'agency', `Dinas Lingkungan Hidup ${stamp}`);
  const password = 'Perahu kecil menyusuri Teluk Balikpapan 27';
  const editor = await makePasswordUser(server, { unitId, role: 'editor', name: 'Rina Editor', email: `editor.${stamp}@humas.example.id`, password });

  await signInAdmin(page, server.url, editor.email, password);

  // 1. Regulasi from the menu, then a new record.
  await page.getByTestId('nav-regulations').click();
  await page.getByTestId('regulations-empty').waitFor();
  await page.getByTestId('regulations-new').click();
  await page.getByTestId('regulation-form').waitFor();

  await page.getByTestId('regulation-type').selectOption('pergub');
  await page.getByTestId('regulation-number').fill('12');
  await page.getByTestId('regulation-year').fill('2025');
  await page.getByTestId('regulation-title').fill('Pengurangan Sampah Plastik Sekali Pakai');
  await page.getByTestId('regulation-jdih').fill('http://jdih.kaltimprov.go.id/pergub-12-2025');

  // 2. Legal wording in the purpose: the panel marks it and suggests plain words.
  const purpose = 'Dalam hal toko memberi kantong plastik sebagaimana dimaksud dalam Pasal 3, toko mendapat teguran.';
  await page.getByTestId('regulation-purpose').fill(purpose);
  await page.getByTestId('read-active').waitFor();
  await page.getByTestId('read-mark-jargon').first().waitFor();
  const issues = (await page.getByTestId('read-issues').textContent()) ?? '';
  assert.match(issues, /seperti disebut/);
  assert.match(issues, /jika/);
  assert.match((await page.getByTestId('read-active').textContent()) ?? '', /Skor \d+ dari 100/);
  await shot(page, 'readability-jargon');

  // 3. Save with an http JDIH link: the error is on that field, and nothing typed is lost.
  await page.getByTestId('regulation-save').click();
  const jdihField = page.locator('.field--error', { has: page.getByTestId('regulation-jdih') });
  await jdihField.waitFor();
  assert.match((await jdihField.locator('.field__error').textContent()) ?? '', /https/);
  assert.equal(await page.getByTestId('regulation-jdih').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('regulation-purpose').inputValue(), purpose);
  assert.equal(await page.getByTestId('regulation-title').inputValue(), 'Pengurangan Sampah Plastik Sekali Pakai');
  await shot(page, 'jdih-error');

  // 4. Fixed: saved, and the page is now the regulation's own.
  await page.getByTestId('regulation-jdih').fill('https://jdih.kaltimprov.go.id/pergub-12-2025');
  await page.getByTestId('regulation-purpose').fill('Agar sungai dan laut bersih dari sampah plastik.');
  await page.getByTestId('regulation-save').click();
  await page.waitForURL(/\/admin\/regulations\/[0-9a-f-]{36}$/);
  await page.getByTestId('regulation-posts').waitFor();
  assert.match((await page.locator('h1').textContent()) ?? '', /Pergub Nomor 12 Tahun 2025/);

  // 5. Two FAQ entries, the second moved up, saved; the order survives a reload.
  await page.getByTestId('faq-add').click();
  await page.getByTestId('faq-question-0').fill('Apakah pasar tradisional juga?');
  await page.getByTestId('faq-answer-0').fill('Ya, mulai tahun depan.');
  await page.getByTestId('faq-add').click();
  await page.getByTestId('faq-question-1').fill('Kapan mulai berlaku?');
  await page.getByTestId('faq-answer-1').fill('1 Juli 2025.');
  await page.getByTestId('faq-up-1').click();
  assert.equal(await page.getByTestId('faq-question-0').inputValue(), 'Kapan mulai berlaku?');
  await page.getByTestId('regulation-reasons').fill('Karena sampah plastik di sungai naik setiap tahun.');
  await page.getByTestId('regulation-save').click();
  await page.getByTestId('regulation-saved').waitFor();
  await page.reload();
  await page.getByTestId('faq-question-1').waitFor();
  assert.equal(await page.getByTestId('faq-question-0').inputValue(), 'Kapan mulai berlaku?');
  assert.equal(await page.getByTestId('faq-question-1').inputValue(), 'Apakah pasar tradisional juga?');
  assert.equal(await page.getByTestId('regulation-reasons').inputValue(), 'Karena sampah plastik di sungai naik setiap tahun.');
  await shot(page, 'faq-saved');

  const stored = await server.siar.services.db.selectFrom('regulations').select(['purpose', 'faq', 'jdih_url']).executeTakeFirstOrThrow();
  assert.equal(stored.jdih_url, 'https://jdih.kaltimprov.go.id/pergub-12-2025');
  assert.deepEqual((stored.faq as { question: string }[]).map((f) => f.question), ['Kapan mulai berlaku?', 'Apakah pasar tradisional juga?']);

  // 6. The list shows it as explained.
  await page.getByTestId('regulation-back').click();
  const row = page.getByTestId('regulation-row').first();
  await row.waitFor();
  assert.match((await row.textContent()) ?? '', /Lengkap/);
  assert.deepEqual(pageErrors, []);
});
