// E2E: signing in at a network and changing what is already live, with headless Chromium
// (playwright-core) against Siar's network sandbox.
//
// A unit admin adds the unit's X account in "Pengaturan konten" and presses "Hubungkan": signing in
// to the real X is refused beside its button (no X app is configured on this server), so they choose
// "Akun latihan (sandbox)", approve ("Izinkan") on the sandbox's consent page, and land back on the
// settings with a banner, the address cleaned, and the account "Terhubung" as an "Akun latihan".
// An editor's post to that X account and to a Mastodon practice account is then published (through
// the API and the queue, as the scheduler would). An approver opens the post: corrects the Mastodon
// text (a text over the limit is refused at the field by the server and kept; the fixed one reaches
// Mastodon, "Dikoreksi"), then removes the X post after a dialog naming the network and the account
// ("Dihapus dari jaringan", gone from the sandbox, still so after a reload).
//
// Needs /usr/bin/chromium (skips otherwise) and a built admin app in dist/admin. Screenshots go to a
// temp dir (printed at the end), never into the repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkip, openJourney } from '../test/browser.ts';
import { startTestServer } from '../test/server.ts';
import { makePasswordUser, makePerson, makeUnit, topUnitId } from '../test/people.ts';
import { enqueuePost } from '../src/modules/publishing/jobs.ts';

test('admin signs in an X practice account → "Terhubung"; an approver corrects a live Mastodon text and removes the X post', { skip: browserSkip, timeout: 240_000 }, async (t) => {
  const server = await startTestServer({ sandbox: true, jobs: true });
  const { page, context, pageErrors, shot } = await openJourney(t, { name: 'channel-sign-in', server });
  const sandbox = server.siar.sandbox;
  assert.ok(sandbox, 'the test server runs the network sandbox');

  // ---- Set-up: an agency with an admin and an approver (browser) and an editor (API); practice
  //      accounts on the sandbox's X and Mastodon.
  const db = server.siar.services.db;
  const stamp = Date.now().toString(36);
  const unitId = await makeUnit(server, await topUnitId(server), 'agency', `Dinas Kominfo Masuk ${stamp}`);
  const password = 'Perahu kecil menyusuri Teluk Balikpapan 27';
  const admin = await makePasswordUser(server, { unitId, role: 'admin', name: 'Sari Admin', email: `admin.${stamp}@humas.example.id`, password });
  const approver = await makePasswordUser(server, { unitId, role: 'approver', name: 'Rina Penyetuju', email: `penyetuju.${stamp}@humas.example.id`, password });
  const editor = await makePerson(server, unitId, 'editor', 'Budi Editor');
  const apiAdmin = await makePerson(server, unitId, 'admin', 'Admin API');
  const xAccount = sandbox.createAccount('x', { handle: `humasx${stamp}`, displayName: `Humas X ${stamp}` });
  const mastodon = sandbox.createAccount('mastodon', { handle: `humas${stamp}`, displayName: 'Humas Kominfo Masuk' });

  const login = async (email: string) => {
    await page.goto(`${server.url}/admin/`);
    await page.getByTestId('login-form').waitFor();
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home').waitFor();
  };

  // 1. The admin adds the unit's X account: not connected yet, with "Hubungkan".
  await login(admin.email);
  await page.getByTestId('nav-content-settings').click();
  await page.getByTestId('content-settings').waitFor();
  await page.getByTestId('channel-add-open').click();
  await page.getByTestId('channel-new-network').selectOption('x');
  await page.getByTestId('channel-new-name').fill('Humas Kominfo di X');
  await page.getByTestId('channel-new-handle').fill(`@${xAccount.handle}`);
  await page.getByTestId('channel-new-save').click();
  const item = page.locator('[data-testid="channel-item"][data-network="x"]');
  await item.waitFor();
  const channelId = (await item.getAttribute('data-id')) ?? '';
  assert.equal((await item.getByTestId('channel-connection-state').textContent())?.trim(), 'Belum terhubung');

  // 2. "Hubungkan" offers signing in at X or a practice account; the real X has no app on this server,
  //    and the server's reason shows beside that button.
  await item.getByTestId(`channel-connect-${channelId}`).click();
  const panel = item.getByTestId('signin-panel');
  await panel.waitFor();
  assert.match((await panel.textContent()) ?? '', /tidak pernah melihat sandi/);
  await panel.getByTestId('signin-real').click();
  const refusal = panel.getByTestId('signin-real-error');
  await refusal.waitFor();
  assert.match((await refusal.textContent()) ?? '', /belum didaftarkan|SIAR_OAUTH_CLIENTS/);
  await shot(page, 'sign-in-real-refused');

  // 3. "Akun latihan (sandbox)": the sandbox's X consent page lists the practice accounts; "Izinkan".
  assert.equal((await panel.getByTestId('signin-practice').textContent())?.trim(), 'Akun latihan (sandbox)');
  await panel.getByTestId('signin-practice').click();
  await page.waitForURL((url) => url.pathname === '/i/oauth2/authorize');
  assert.ok(page.url().startsWith(sandbox.urls.x), `the consent page is the sandbox's X: ${page.url()}`);
  await page.getByRole('heading', { name: /Izinkan aplikasi mengakses akun X/ }).waitFor();
  await page.getByLabel(new RegExp(`Humas X ${stamp}`)).check();
  await shot(page, 'sandbox-consent');
  await page.getByRole('button', { name: 'Izinkan', exact: true }).click();

  // 4. Back on the settings: a banner, the sign-in's parameters gone from the address, the unit open,
  //    and the account connected as a practice account.
  await page.getByTestId('signin-msg').waitFor();
  await page.waitForURL((url) => !url.searchParams.has('signIn'));
  assert.match((await page.getByTestId('signin-msg').textContent()) ?? '', /Humas Kominfo di X.*terhubung/);
  const back = new URL(page.url());
  assert.equal(back.pathname, '/admin/content-settings');
  assert.equal(back.searchParams.get('signIn'), null, 'the address is cleaned');
  assert.equal(back.searchParams.get('unit'), unitId, 'the channel’s unit is open');
  const connected = page.locator(`[data-testid="channel-item"][data-id="${channelId}"]`);
  await connected.getByTestId('channel-connection-state').getByText('Terhubung', { exact: true }).waitFor();
  assert.equal((await connected.getByTestId('channel-sandbox').textContent())?.trim(), 'Akun latihan');
  await connected.getByRole('button', { name: /Hubungkan ulang/ }).waitFor();
  await shot(page, 'x-connected');
  const stored = await db.selectFrom('channels').select(['connection', 'sandbox', 'external_account_id']).where('id', '=', channelId).executeTakeFirstOrThrow();
  assert.deepEqual(stored, { connection: 'connected', sandbox: true, external_account_id: xAccount.externalAccountId });

  // 5. A LinkedIn sign-in gives several accounts (the pages the person administers, and the person):
  //    back on the settings, a dialog lists them; the chosen page is connected.
  const linkedin = sandbox.createAccount('linkedin', { handle: `kominfo-${stamp}`, displayName: `Kominfo LinkedIn ${stamp}` });
  const liChannel = await db.insertInto('channels').values({
    unit_id: unitId, network: 'linkedin', name: 'Kominfo di LinkedIn', handle: `kominfo-${stamp}`, avatar_url: null, limit_overrides: JSON.stringify({}),
  }).returning('id').executeTakeFirstOrThrow();
  await page.reload();
  const liItem = page.locator(`[data-testid="channel-item"][data-id="${liChannel.id}"]`);
  await liItem.getByTestId(`channel-connect-${liChannel.id}`).click();
  await liItem.getByTestId('signin-practice').click();
  await page.waitForURL((url) => url.pathname === '/oauth/v2/authorization');
  // The sandbox lists every practice member (the demo's too): sign in as this page's administrator.
  await page.getByLabel(new RegExp(`admin Halaman Kominfo LinkedIn ${stamp}`)).check();
  await page.getByRole('button', { name: 'Izinkan', exact: true }).click();
  const chooser = page.getByRole('dialog', { name: 'Pilih akun yang akan dihubungkan' });
  await chooser.waitFor();
  // The dialog opens at once and loads the accounts: wait for the list before counting it.
  await chooser.getByTestId('signin-choose-account').nth(1).waitFor();
  assert.ok((await chooser.getByTestId('signin-choose-account').count()) >= 2, 'the pages and the person are offered');
  await chooser.getByRole('radio', { name: new RegExp(`^Kominfo LinkedIn ${stamp}`) }).check();
  await shot(page, 'choose-account');
  const choice = page.waitForRequest((r) => r.method() === 'POST' && r.url().includes('/api/v1/oauth/pending/'));
  await chooser.getByTestId('signin-choose-submit').click();
  const sentChoice = (await choice).postDataJSON() as { externalAccountId: string };
  assert.match(sentChoice.externalAccountId, /^urn:li:organization:/, 'the chosen page is sent, not the person');
  await page.getByTestId('signin-msg').getByText('Kominfo di LinkedIn').waitFor();
  assert.equal(await chooser.count(), 0, 'the dialog closes');
  await liItem.getByTestId('channel-connection-state').getByText('Terhubung', { exact: true }).waitFor();
  await page.waitForURL((url) => !url.searchParams.has('state') && url.searchParams.get('unit') === unitId);
  const liStored = await db.selectFrom('channels').select(['connection', 'sandbox', 'external_account_id']).where('id', '=', liChannel.id).executeTakeFirstOrThrow();
  // The chosen page is what is connected, not the person who signed in.
  assert.deepEqual(liStored, { connection: 'connected', sandbox: true, external_account_id: sentChoice.externalAccountId });
  assert.equal(liStored.external_account_id, linkedin.externalAccountId);

  // ---- A Mastodon practice account (connected through the API), and an editor's post to both
  //      accounts, published by the queue as the scheduler would.
  const mastoChannel = await db.insertInto('channels').values({
    unit_id: unitId, network: 'mastodon', name: 'Humas Kominfo Masuk', handle: `@${mastodon.handle}@sosial.example`, avatar_url: null, limit_overrides: JSON.stringify({}),
  }).returning('id').executeTakeFirstOrThrow();
  const connect = await apiAdmin.client.post(`/api/v1/channels/${mastoChannel.id}/connect`, { baseUrl: mastodon.baseUrl, credentials: { accessToken: mastodon.credentials['accessToken'] } });
  assert.equal(connect.statusCode, 200, connect.body);
  const phrase = `Pelayanan KTP keliling ${stamp} di Kelurahan Sempaja hari Sabtu`;
  const created = await editor.client.post('/api/v1/posts', { unitId, title: `KTP keliling ${stamp}`, bodyHtml: `<p>${phrase}.</p>`, targets: [channelId, mastoChannel.id] });
  assert.equal(created.statusCode, 201, created.body);
  const postId = (created.json() as { id: string }).id;
  await db.updateTable('posts').set({ status: 'scheduled', scheduled_at: new Date(Date.now() - 1000) }).where('id', '=', postId).execute();
  assert.ok((await enqueuePost(server.siar.services, postId)) >= 1, 'the targets are queued');
  const deadline = Date.now() + 60_000;
  let status = '';
  while (Date.now() < deadline) {
    status = ((await editor.client.get(`/api/v1/posts/${postId}`)).json() as { status: string }).status;
    if (status === 'published' || status === 'failed' || status === 'partly_published') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(status, 'published', 'both accounts have the post');
  assert.equal(sandbox.posts(xAccount.id).filter((p) => !p.deleted).length, 1, 'X has it once');

  // 6. The approver opens the post: both targets live; X can be removed (not corrected), Mastodon both.
  await context.clearCookies();
  await login(approver.email);
  await page.goto(`${server.url}/admin/posts/${postId}`);
  await page.getByTestId('post-view').waitFor();
  const xTarget = page.locator('[data-testid="target"][data-network="x"]');
  const maTarget = page.locator('[data-testid="target"][data-network="mastodon"]');
  await xTarget.getByTestId('target-link').waitFor();
  assert.equal((await xTarget.getByTestId('target-link').textContent())?.trim(), 'Lihat di X');
  await xTarget.getByTestId('target-remove').waitFor();
  assert.equal(await xTarget.getByTestId('target-edit').count(), 0, 'X does not allow edits');
  await maTarget.getByTestId('target-edit').waitFor();

  // 7. "Koreksi teks" on Mastodon: the editor starts from the published text with its count; a text
  //    over the account's limit is refused by the server at the field and kept.
  await maTarget.getByTestId('target-edit').click();
  const editorForm = maTarget.getByTestId('target-editor');
  await editorForm.waitFor();
  const box = editorForm.getByTestId('target-editor-text-0');
  assert.ok((await box.inputValue()).includes(phrase), 'prefilled with the published text');
  assert.match((await editorForm.getByTestId('target-editor-count-0').textContent()) ?? '', /^\d+ \/ 500$/);
  const tooLong = `${phrase}. ${'Informasi lengkap di kantor kelurahan. '.repeat(15)}`;
  await box.fill(tooLong);
  assert.match((await editorForm.getByTestId('target-editor-count-0').getAttribute('class')) ?? '', /counter--over/);
  await editorForm.getByTestId('target-editor-save').click();
  await editorForm.getByTestId('target-editor-error').waitFor();
  const partError = editorForm.getByTestId('target-editor-error-0');
  assert.notEqual((await partError.textContent())?.trim(), 'Lebih panjang dari batas Mastodon.', 'the server’s own reason is shown at the part');
  assert.equal(await box.getAttribute('aria-invalid'), 'true');
  assert.equal(await box.inputValue(), tooLong, 'what was typed is kept');
  await shot(page, 'correction-refused');
  const corrected = `${phrase}, pukul 08.00–12.00 WITA (jam diperbaiki).`;
  await box.fill(corrected);
  await editorForm.getByTestId('target-editor-save').click();
  await maTarget.getByTestId('target-msg').getByText('sudah dikoreksi').waitFor();
  await maTarget.getByTestId('target-edited').waitFor();
  assert.match((await maTarget.getByTestId('target-edited').textContent()) ?? '', /Dikoreksi.*WITA/);
  assert.equal(await maTarget.getByTestId('target-editor').count(), 0, 'the editor closes');
  assert.ok(sandbox.posts(mastodon.id).some((p) => !p.deleted && p.text.includes('jam diperbaiki')), 'Mastodon shows the corrected text');

  // 8. "Hapus dari jaringan" on X: the dialog names the network and the account and says it is final.
  await xTarget.getByTestId('target-remove').click();
  const dialog = page.getByRole('dialog', { name: 'Hapus dari X?' });
  await dialog.waitFor();
  const what = (await dialog.getByTestId('target-remove-what').textContent()) ?? '';
  assert.ok(what.includes('Humas Kominfo di X') && what.includes(`@${xAccount.handle}`) && what.includes(' X'), what);
  assert.match((await dialog.textContent()) ?? '', /tidak bisa dibatalkan/);
  await shot(page, 'remove-dialog');
  await dialog.getByTestId('target-remove-yes').click();
  await xTarget.getByTestId('target-msg').getByText('dihapus dari X').waitFor();
  await xTarget.getByTestId('target-removed').waitFor();
  assert.match((await xTarget.getByTestId('target-removed').textContent()) ?? '', /Dihapus dari jaringan.*WITA/);
  assert.equal(await dialog.count(), 0, 'the dialog closes');
  assert.equal(await xTarget.getByTestId('target-link').count(), 0, 'no link to a post that is gone');
  assert.equal(await xTarget.getByTestId('target-remove').count(), 0, 'nothing left to remove');
  assert.equal(sandbox.posts(xAccount.id).filter((p) => !p.deleted).length, 0, 'X no longer has it');
  await shot(page, 'removed');

  // After a reload too (from the server); Mastodon is still live.
  await page.reload();
  await xTarget.getByTestId('target-removed').waitFor();
  await maTarget.getByTestId('target-link').waitFor();
  await maTarget.getByTestId('target-edited').waitFor();

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
