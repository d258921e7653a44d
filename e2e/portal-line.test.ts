// E2E: the portal line of a post. An approver opens a post whose article is live: beside the network
// targets it reads "Portal — Tayang" with the article's link and the clicks per network. "Koreksi
// artikel" opens a dialog with the article's text; sent without a reason it names the field and keeps
// what was typed; with a reason the line shows "Dikoreksi". "Tarik dari portal" asks for a reason and
// the line turns to "Ditarik" with it. An editor of the unit sees the line without the two actions.
//
// Needs /usr/bin/chromium (skips otherwise) and a built admin app in dist/admin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkip, openJourney, signInAdmin } from '../test/browser.ts';
import { startTestServer } from '../test/server.ts';
import { makePasswordUser, makePerson, makeUnit, topUnitId } from '../test/people.ts';
import { shortLinkCode } from '../src/modules/portal/urls.ts';
import { articleBySlug } from '../src/modules/portal/queries.ts';

test('an approver sees the post\'s portal line, corrects the article and withdraws it', { skip: browserSkip, timeout: 120_000 }, async (t) => {
  const server = await startTestServer({ demo: false });
  const { page, pageErrors, shot } = await openJourney(t, { name: 'portal-line', server });
  const db = server.siar.services.db;
  const stamp = Date.now().toString(36);
  const unitId = await makeUnit(server, await topUnitId(server), 'agency', `Dinas Portal ${stamp}`);
  const password = 'Perahu kecil menyusuri Teluk Balikpapan 27';
  const approver = await makePasswordUser(server, { unitId, role: 'approver', name: 'Sari Penyetuju', email: `approver.${stamp}@humas.example.id`, password });
  const admin = await makePerson(server, unitId, 'admin', 'Admin Dinas');
  const editor = await makePerson(server, unitId, 'editor', 'Budi Editor');
  assert.equal((await admin.client.put(`/api/v1/units/${unitId}/approval-policy`, { tierUnitIds: [] })).statusCode, 200);
  const channel = (await admin.client.post('/api/v1/channels', { unitId, network: 'x', name: 'Dinas Portal', handle: '@dinasportal' })).json();

  // A post scheduled ahead, then its time comes; two readers arrive from X.
  const post = (await editor.client.post('/api/v1/posts', {
    unitId, title: 'Pasar murah digelar Sabtu', bodyHtml: '<p>Pasar murah digelar Sabtu di Lapangan Kinibalu.</p>', targets: [channel.id],
    scheduledAt: new Date(Date.now() + 30 * 60_000).toISOString(),
  })).json();
  assert.equal((await editor.client.post(`/api/v1/posts/${post.id}/submit`)).json().status, 'scheduled');
  const past = new Date(Date.now() - 60_000);
  await db.updateTable('posts').set({ scheduled_at: past }).where('id', '=', post.id).execute();
  await db.updateTable('articles').set({ published_at: past }).where('post_id', '=', post.id).execute();
  for (let i = 0; i < 2; i++) {
    const r = await server.app.inject({ method: 'GET', url: `/r/${shortLinkCode(post.id, 'x')}`, headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0' } });
    assert.equal(r.statusCode, 302);
  }

  await signInAdmin(page, server.url, approver.email, password);
  await page.goto(`${server.url}/admin/posts/${post.id}`);
  const line = page.getByTestId('portal-line');
  await line.waitFor();
  assert.equal(await line.getAttribute('data-status'), 'live');
  assert.match((await line.textContent()) ?? '', /Portal — Tayang/);
  assert.match((await line.getByTestId('portal-link').getAttribute('href')) ?? '', /\/berita\/pasar-murah-digelar-sabtu-/);
  assert.match((await line.getByTestId('portal-clicks').textContent()) ?? '', /: 2 — X 2/);
  await shot(page, 'portal-line');

  // "Koreksi artikel": a missing reason is named at its field; what was typed stays.
  await line.getByTestId('portal-correct').click();
  const dialog = page.getByTestId('portal-correct-dialog');
  await dialog.waitFor();
  assert.equal(await dialog.getByTestId('portal-correct-title').inputValue(), 'Pasar murah digelar Sabtu');
  await dialog.getByTestId('portal-correct-title').fill('Pasar murah digelar Minggu');
  await dialog.getByTestId('portal-correct-save').click();
  await dialog.locator('.field__error').first().waitFor();
  assert.match((await dialog.textContent()) ?? '', /Wajib diisi/);
  assert.equal(await dialog.getByTestId('portal-correct-title').inputValue(), 'Pasar murah digelar Minggu');
  await dialog.getByTestId('portal-correct-note').fill('Hari pelaksanaan salah tulis.');
  await shot(page, 'correct-dialog');
  await dialog.getByTestId('portal-correct-save').click();
  await page.getByTestId('portal-msg').waitFor();
  await line.getByTestId('portal-corrected').waitFor();
  const slug = (await db.selectFrom('articles').select('slug').where('post_id', '=', post.id).executeTakeFirstOrThrow()).slug;
  assert.equal((await articleBySlug(db, slug))?.title, 'Pasar murah digelar Minggu');

  // "Tarik dari portal": a reason, then the line says "Ditarik" with it.
  await line.getByTestId('portal-withdraw').click();
  const withdraw = page.getByTestId('portal-withdraw-dialog');
  await withdraw.waitFor();
  await withdraw.getByTestId('portal-withdraw-reason').fill('Acara dibatalkan penyelenggara.');
  await withdraw.getByTestId('portal-withdraw-yes').click();
  await page.locator('[data-testid="portal-line"][data-status="withdrawn"]').waitFor();
  assert.match((await page.getByTestId('portal-withdrawn-reason').textContent()) ?? '', /Acara dibatalkan penyelenggara/);
  assert.equal(await page.getByTestId('portal-withdraw').count(), 0, 'nothing more to do once withdrawn');
  await shot(page, 'withdrawn');

  // An editor sees the line but not the approvers' actions.
  const asEditor = (await editor.client.get(`/api/v1/posts/${post.id}`)).json();
  assert.deepEqual(asEditor.portal.actions, []);
  assert.deepEqual(pageErrors, []);
});
