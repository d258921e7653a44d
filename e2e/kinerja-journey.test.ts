// E2E: from a results spreadsheet to a published post with its infographic, with headless Chromium
// (playwright-core) against Siar's network sandbox. An editor imports the unit's SAKIP results
// through the admin app's import wizard; a citizen opens the portal's "Data Kinerja" page and reads
// the figures, the band and the plain sentence (axe-core finds nothing serious), and downloads the
// CSV; the editor presses "Ceritakan" on the lower-is-better indicator in the admin app's Kinerja
// page, lands on the draft with the card, and submits it; an approver approves it and schedules it for the next minute;
// the jobs publish it to the unit's two practice accounts (Mastodon, Bluesky) with the portrait card
// and its alt text, and the post page turns "tayang".
//
// Needs /usr/bin/chromium (skips otherwise) and a built admin app in dist/admin. Screenshots go to a
// temp dir (printed at the end), never into the repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { browserSkip, openJourney, signInAdmin } from '../test/browser.ts';
import { startTestServer } from '../test/server.ts';
import { makePasswordUser, makePerson, makeUnit, topUnitId } from '../test/people.ts';
import { csvOf } from '../src/modules/kinerja/test-fixtures.ts';
import type { SandboxPost } from '../src/modules/sandbox/types.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings against WCAG 2.0–2.2 A and AA (evaluated over the debugging protocol: the page's CSP stays on). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** "2026-03-01T09:07" in WITA, `minutes` from now. */
function witaLocal(minutes: number): string {
  const at = new Date(Date.now() + minutes * 60_000 + 8 * 3600_000);
  return at.toISOString().slice(0, 16);
}

test('results spreadsheet → portal dashboard → "tell this" → review → published with the infographic on the sandbox', { skip: browserSkip, timeout: 300_000 }, async (t) => {
  const server = await startTestServer({ sandbox: true, jobs: true, demo: false });
  const { page, pageErrors, shot } = await openJourney(t, { name: 'kinerja', server });
  const sandbox = server.siar.sandbox;
  assert.ok(sandbox, 'the test server runs the network sandbox');
  const db = server.siar.services.db;

  // ---- Set-up: an agency, its editor and approver (browser), its admin (API), two practice accounts connected.
  const stamp = Date.now().toString(36);
  const unitId = await makeUnit(server, await topUnitId(server), 'agency', `Dinas Sosial Kinerja ${stamp}`);
  const slug = (await db.selectFrom('units').select('slug').where('id', '=', unitId).executeTakeFirstOrThrow()).slug;
  const password = 'Perahu kecil menyusuri Teluk Balikpapan 27';
  const editor = await makePasswordUser(server, { unitId, role: 'editor', name: 'Rina Editor', email: `editor.${stamp}@dinsos.example.id`, password });
  const approver = await makePasswordUser(server, { unitId, role: 'approver', name: 'Bambang Penyetuju', email: `penyetuju.${stamp}@dinsos.example.id`, password });
  const admin = await makePerson(server, unitId, 'admin', 'Admin Dinsos');
  const mastodon = sandbox.createAccount('mastodon', { handle: `dinsos${stamp}`, displayName: 'Dinsos Kaltim' });
  const bluesky = sandbox.createAccount('bluesky', { handle: `dinsos${stamp}.bsky.example`, displayName: 'Dinsos Kaltim' });
  for (const account of [mastodon, bluesky]) {
    const network = account === mastodon ? 'mastodon' : 'bluesky';
    const created = await admin.client.post('/api/v1/channels', { unitId, network, name: account.displayName, handle: `@${account.handle}` });
    assert.equal(created.statusCode, 201, created.body);
    const connected = await admin.client.post(`/api/v1/channels/${created.json().id}/connect`, { baseUrl: account.baseUrl, credentials: account.credentials });
    assert.equal(connected.statusCode, 200, connected.body);
  }

  const login = (email: string) => signInAdmin(page, server.url, email, password);

  // 1. The editor imports the results file through the admin app's import wizard.
  await login(editor.email);
  await page.getByTestId('nav-kinerja').click();
  await page.getByTestId('kinerja-empty').waitFor();
  await page.getByTestId('kinerja-import-open').click();
  const file = csvOf([
    ['PENGUKURAN KINERJA DINAS SOSIAL TAHUN 2025'],
    ['Sasaran Strategis', 'Indikator Kinerja', 'Satuan', 'Target', 'Realisasi', 'Polaritas', 'Sumber Data'],
    ['Menurunnya kemiskinan', 'Persentase penduduk miskin', '%', '6,5', '6,1', 'turun', 'BPS Kaltim'],
    ['Meningkatnya layanan gizi', 'Unit layanan gizi beroperasi', 'unit', '367', '120', 'naik', 'Dinas Kesehatan'],
  ]);
  await page.getByTestId('kinerja-import-file').setInputFiles({ name: 'pengukuran-kinerja-2025.csv', mimeType: 'text/csv', buffer: file });
  await page.getByTestId('kinerja-import-year').fill('2025');
  await page.getByTestId('kinerja-import-upload').click();
  await page.getByTestId('kinerja-import-ready').waitFor();
  await page.getByTestId('kinerja-import-confirm').click();
  await page.getByTestId('kinerja-import-result').waitFor();
  assert.match((await page.getByTestId('kinerja-import-result-line').textContent()) ?? '', /2 baru/);
  await page.getByTestId('kinerja-import-done').click();
  const row = page.locator('[data-testid="kinerja-indicator"][data-name="Persentase penduduk miskin"]');
  await row.waitFor();
  await shot(page, 'imported');

  // 2. A citizen opens the portal's kinerja pages and sees the figures, the band in words and the sentence.
  await page.goto(`${server.url}/kinerja`);
  await page.getByRole('link', { name: 'Data Kinerja' }).first().waitFor();
  assert.deepEqual(await seriousViolations(page), [], 'the list of units passes axe-core');
  await page.getByRole('link', { name: `Dinas Sosial Kinerja ${stamp}`, exact: true }).click();
  await page.waitForURL(`**/kinerja/${slug}/2025`);
  await page.getByRole('heading', { level: 1, name: `Kinerja Dinas Sosial Kinerja ${stamp} Tahun 2025` }).waitFor();
  const text = (await page.locator('main').textContent()) ?? '';
  assert.ok(text.includes('Realisasi 6,1% lebih rendah (lebih baik) dari target 6,5%; capaian 106,15% (Sangat Baik).'), 'the lower-is-better sentence');
  assert.ok(text.includes('Realisasi 32,7% dari target: 120 unit dari 367 unit (Sangat Kurang).'), 'the higher-is-better sentence');
  assert.equal(await page.getByRole('img', { name: 'Target dan realisasi: Persentase penduduk miskin' }).count(), 1, 'the chart is an image with a name');
  assert.equal(await page.getByRole('row', { name: /Persentase penduduk miskin.*6,5.*6,1.*106,15%.*Sangat Baik/ }).count(), 1, 'the numbers are in a table too');
  assert.deepEqual(await seriousViolations(page), [], 'the dashboard passes axe-core');
  // At 200% zoom (a 640 px wide window) nothing but the tables' own scroll areas is wider than the page.
  await page.setViewportSize({ width: 640, height: 900 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling of the page');
  await page.setViewportSize({ width: 1280, height: 900 });
  await shot(page, 'portal-dashboard');
  const download = await page.request.get(`${server.url}/kinerja/${slug}/2025.csv`);
  assert.equal(download.status(), 200);
  assert.match(download.headers()['content-disposition'] ?? '', new RegExp(`filename="kinerja-${slug}-2025\\.csv"`));
  assert.match(await download.text(), /Persentase penduduk miskin,%,6\.5,6\.1,,turun,106\.15,Sangat Baik/);

  // 3. Back in the admin app, "Ceritakan" on the lower-is-better indicator: a draft with the card opens.
  await page.goto(`${server.url}/admin/kinerja`);
  await row.waitFor();
  const tell = row.getByRole('button', { name: 'Ceritakan: Persentase penduduk miskin' });
  await tell.click();
  await page.getByTestId('post-view').waitFor({ timeout: 60_000 });
  const postId = new URL(page.url()).pathname.split('/').pop() ?? '';
  assert.match(postId, /^[0-9a-f-]{36}$/, `on the post page (got ${page.url()})`);
  assert.match((await page.getByTestId('post-title').textContent()) ?? '', /Persentase penduduk miskin: capaian kinerja/);
  assert.match((await page.getByTestId('post-status').textContent()) ?? '', /draf/i);
  const media = await db.selectFrom('post_media').innerJoin('media', 'media.id', 'post_media.media_id').select(['media.width', 'media.height', 'post_media.alt']).where('post_id', '=', postId).orderBy('position').execute();
  assert.deepEqual(media.map((m) => [m.width, m.height]), [[1080, 1350], [1200, 675]], 'the card in portrait and landscape');
  const alt = media[0]!.alt;
  assert.match(alt, /^Infografik capaian kinerja Dinas Sosial Kinerja .* target 6,5%, realisasi 6,1%, capaian 106,15% \(Sangat Baik\); semakin rendah semakin baik\./);
  const targets = await db.selectFrom('post_targets').select('network').where('post_id', '=', postId).execute();
  assert.deepEqual(targets.map((x) => x.network).sort(), ['bluesky', 'mastodon']);
  await shot(page, 'draft');

  // 4. The editor submits it for review.
  await page.getByTestId('action-submit').click();
  await page.getByTestId('post-status').getByText('dalam tinjauan').waitFor();

  // 5. The approver approves and schedules it for the next minute.
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await login(approver.email);
  await page.goto(`${server.url}/admin/posts/${postId}`);
  await page.getByTestId('post-view').waitFor();
  await page.getByTestId('action-approve').click();
  await page.getByTestId('approve-note').fill('Angka sudah dicek dengan laporan kinerja.');
  await page.getByTestId('approve-confirm').click();
  await page.getByTestId('action-schedule').waitFor();
  await page.getByTestId('action-schedule').click();
  await page.getByTestId('schedule-when').fill(witaLocal(1.2));
  await page.getByTestId('schedule-confirm').click();
  await page.getByTestId('post-status').getByText('terjadwal').waitFor();
  await shot(page, 'scheduled');

  // 6. At its time the jobs publish it: the post page turns "tayang" by itself.
  await page.waitForFunction(() => document.querySelector('[data-testid="post-status"]')?.textContent?.trim() === 'tayang', undefined, { timeout: 180_000, polling: 500 });
  assert.equal(await page.locator('[data-testid="target"][data-status="published"]').count(), 2);
  await shot(page, 'published');

  // Each network has it once (a long text goes out as a numbered thread: one head, replies under it),
  // the head with the portrait card and the alt text written from the data.
  for (const account of [mastodon, bluesky]) {
    const posts: SandboxPost[] = sandbox.posts(account.id).filter((p) => !p.deleted);
    const heads = posts.filter((p) => p.replyTo === null);
    assert.equal(heads.length, 1, `${account.network}: one post (${posts.length} parts)`);
    const head = heads[0]!;
    assert.match(posts.map((p) => p.text).join(' '), /6,1%/, `${account.network} text carries the figures`);
    assert.equal(head.media.length, 1, `${account.network} got one picture`);
    assert.match(head.media[0]!.mime, /^image\/(png|jpeg)$/);
    assert.match(head.media[0]!.alt, /^Infografik capaian kinerja/);
    assert.ok(alt.startsWith(head.media[0]!.alt.replace(/…$/, '')), `${account.network} alt text is the card's (perhaps shortened to the network's limit)`);
  }

  // The post is an article on the portal too.
  const article = await db.selectFrom('articles').select(['slug', 'live']).where('post_id', '=', postId).executeTakeFirstOrThrow();
  await page.goto(`${server.url}/berita/${article.slug}`);
  await page.getByRole('heading', { level: 1, name: /Persentase penduduk miskin/ }).waitFor();
  assert.ok(await page.locator(`img[alt^="Infografik capaian kinerja"]`).count() >= 1, 'the article shows the card with its alt text');
  await shot(page, 'article');

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
