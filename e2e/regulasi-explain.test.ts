// E2E journey of "Jelaskan ke publik" with headless Chromium (playwright-core): an editor opens a
// regulation whose explanation is written → clicks "Jelaskan ke publik" → lands on the new draft post
// of the unit: its title names the regulation, it is a draft, and the Facebook preview shows the
// carousel pictures (loaded, each with its alt text). A regulation without purpose and reasons shows
// what is missing and the button stays off.
//
// The unit, the editor, a connected channel and the regulations are set up in the database;
// everything after that goes through the browser. Needs /usr/bin/chromium (skips otherwise) and a
// built admin app in dist/admin.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserSkip, openJourney, signInAdmin } from '../test/browser.ts';
import { startTestServer } from '../test/server.ts';
import { makePasswordUser, makeUnit, topUnitId } from '../test/people.ts';
import { systemActor } from '../src/modules/audit/record.ts';
import { createRegulation } from '../src/modules/regulasi/save-regulation.ts';
import { createRegulationBody } from '../src/modules/regulasi/schemas.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings for the page as it is now, against WCAG 2.0–2.2 A and AA. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] });
    return result.violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('editor opens a regulation → "Jelaskan ke publik" → the draft post with the carousel pictures', { skip: browserSkip, timeout: 180_000 }, async (t) => {
  const server = await startTestServer({ demo: false });
  const { page, pageErrors, shot } = await openJourney(t, { name: 'regulasi-explain', server });
  const db = server.siar.services.db;

  const stamp = Date.now().toString(36);
  const unitId = await makeUnit(server, await topUnitId(server), 'agency', `Dinas Lingkungan Hidup ${stamp}`);
  const password = 'Perahu kecil menyusuri Teluk Balikpapan 27';
  const editor = await makePasswordUser(server, { unitId, role: 'editor', name: 'Rina Editor', email: `editor.${stamp}@humas.example.id`, password });
  await db.insertInto('channels').values({ unit_id: unitId, network: 'facebook', name: 'DLH Kaltim', handle: 'dlhkaltim', connection: 'connected' }).execute();
  const regulation = await createRegulation(db, createRegulationBody.parse({
    unitId, type: 'pergub', number: '12', year: 2025, title: 'Pengurangan Sampah Plastik Sekali Pakai',
    enactedOn: '2025-03-10', inForceOn: '2025-07-01', jdihUrl: 'https://jdih.kaltimprov.go.id/produk-hukum/pergub-12-2025',
    purpose: 'Agar sungai dan laut Kalimantan Timur bersih dari sampah plastik.',
    reasons: 'Sampah plastik menyumbat saluran air dan memicu banjir.',
    affected: 'Toko swalayan, pasar modern, dan warga yang berbelanja.',
    changes: 'Toko tidak lagi memberi kantong plastik sekali pakai.',
    faq: [{ question: 'Apakah pasar tradisional juga?', answer: 'Ya, mulai tahun depan.' }, { question: 'Bolehkah kantong kertas?', answer: 'Boleh.' }],
  }), systemActor('test'));
  const unexplained = await createRegulation(db, createRegulationBody.parse({ unitId, type: 'perda', number: '4', year: 2024, title: 'Retribusi Persampahan' }), systemActor('test'));

  await signInAdmin(page, server.url, editor.email, password);

  // 1. A regulation without purpose and reasons: the button is off and says what is missing.
  await page.goto(`${server.url}/admin/regulations/${unexplained.id}`);
  await page.getByTestId('regulation-explain').waitFor();
  assert.match((await page.getByTestId('regulation-explain-missing').textContent()) ?? '', /Tujuan, Alasan/);
  assert.equal(await page.getByTestId('regulation-explain-do').isDisabled(), true);

  // 2. The explained regulation: one click makes the draft and opens it.
  await page.goto(`${server.url}/admin/regulations/${regulation.id}`);
  await page.getByTestId('regulation-explain').waitFor();
  await shot(page, 'regulation');
  const button = page.getByTestId('regulation-explain-do');
  assert.equal(await button.isDisabled(), false);
  assert.equal((await button.textContent())?.trim(), 'Jelaskan ke publik');
  await button.click();
  await page.waitForURL(/\/admin\/posts\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  await page.getByTestId('post-view').waitFor();
  assert.equal(await page.getByTestId('post-title').textContent(), 'Penjelasan Pergub 12/2025: Pengurangan Sampah Plastik Sekali Pakai');
  assert.match((await page.getByTestId('post-status').textContent()) ?? '', /Draf/i);
  assert.match((await page.getByTestId('post-body').textContent()) ?? '', /Agar sungai dan laut Kalimantan Timur bersih/);

  // 3. The carousel: six slides (what, why, who, when, two questions); the preview shows four and "+2".
  await page.getByTestId('post-tab-facebook').click();
  const pictures = page.getByTestId('preview-facebook').locator('img.pv__img');
  await pictures.first().waitFor();
  assert.equal(await pictures.count(), 4);
  assert.equal((await page.getByTestId('preview-facebook').locator('.pv__more').textContent())?.trim(), '+2');
  for (let i = 0; i < 4; i++) {
    const picture = pictures.nth(i);
    await picture.scrollIntoViewIfNeeded();
    await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await picture.elementHandle(), { timeout: 15_000 });
    assert.match((await picture.getAttribute('alt')) ?? '', new RegExp(`^Slide ${i + 1} dari 6 penjelasan Pergub Nomor 12 Tahun 2025`));
  }
  await shot(page, 'draft-post');

  // The post is linked to the regulation, which now lists it.
  const linked = await db.selectFrom('regulation_posts').select('post_id').where('regulation_id', '=', regulation.id).execute();
  assert.equal(linked.length, 1);
  assert.ok(page.url().endsWith(`/admin/posts/${linked[0]!.post_id}`));
  assert.deepEqual(pageErrors, []);
});

test('the portal\'s regulation pages: no serious or critical axe finding, nothing sideways at 200% zoom, no script', { skip: browserSkip, timeout: 180_000 }, async (t) => {
  const server = await startTestServer({ demo: false });
  const { page, pageErrors, shot } = await openJourney(t, { name: 'regulasi-portal', server });
  const db = server.siar.services.db;
  const unitId = await makeUnit(server, await topUnitId(server), 'agency', 'Dinas Lingkungan Hidup');
  const regulation = await createRegulation(db, createRegulationBody.parse({
    unitId, type: 'pergub', number: '12', year: 2025, title: 'Pengurangan Sampah Plastik Sekali Pakai di Seluruh Kabupaten dan Kota se-Kalimantan Timur',
    enactedOn: '2025-03-10', inForceOn: '2025-07-01', jdihUrl: 'https://jdih.kaltimprov.go.id/produk-hukum/pergub-12-2025-pengurangan-sampah-plastik-sekali-pakai',
    purpose: 'Agar sungai dan laut Kalimantan Timur bersih dari sampah plastik.', reasons: '- Sampah plastik menyumbat saluran air\n- Ikan tercemar mikroplastik',
    faq: [{ question: 'Apakah pasar tradisional juga?', answer: 'Ya, mulai tahun depan.' }],
  }), systemActor('test'));
  await createRegulation(db, createRegulationBody.parse({ unitId, type: 'perda', number: '3', year: 2024, title: 'Retribusi Persampahan', status: 'dicabut' }), systemActor('test'));

  for (const path of ['/regulasi', '/regulasi?jenis=perda&tahun=2024', `/regulasi/${regulation.slug}`]) {
    for (const width of [1280, 640]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${server.url}${path}`);
      await page.locator('main h1').waitFor();
      assert.deepEqual(await seriousViolations(page), [], `${path} at ${width}px`);
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(sideways <= 0, `${path} at ${width}px scrolls sideways by ${sideways}px`);
      assert.equal(await page.locator('script:not([type="application/ld+json"])').count(), 0, `${path}: no script`);
    }
    await shot(page, path.replace(/\W+/g, '-'));
  }
  // The filter form works with the keyboard alone: choose a type, send with Enter.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${server.url}/regulasi`);
  await page.getByLabel('Jenis').selectOption('perda');
  await page.getByLabel('Kata dalam judul atau nomor').press('Enter');
  await page.waitForURL(/jenis=perda/);
  assert.match((await page.locator('.jumlah').textContent()) ?? '', /^1 regulasi/);
  assert.deepEqual(pageErrors, []);
});
