// E2E: publishing with headless Chromium (playwright-core) against Siar's network sandbox. A unit
// admin connects the unit's Mastodon account in "Pengaturan konten" with a practice account's access
// token: a wrong token first (the network's refusal shows next to the token field, the address stays,
// the token field is emptied), then the right one (the account shows "Terhubung" and "Sandbox
// (latihan)", and the token never appears in the page). An editor's post (made through the API) is
// then due and queued; the admin watches the post page turn to "tayang" on its own, with "Lihat di
// Mastodon" leading to the sandbox's web timeline that shows the text, and the attempt history.
//
// Needs /usr/bin/chromium (skips otherwise) and a built admin app in dist/admin. Screenshots go to a
// temp dir (printed at the end), never into the repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkip, openJourney } from '../test/browser.ts';
import { startTestServer } from '../test/server.ts';
import { makePasswordUser, makePerson, makeUnit, topUnitId } from '../test/people.ts';
import { enqueuePost } from '../src/modules/publishing/jobs.ts';

test('unit admin connects a Mastodon practice account, a due post is published → the post page shows "tayang" with a working link', { skip: browserSkip, timeout: 240_000 }, async (t) => {
  const server = await startTestServer({ sandbox: true, jobs: true });
  const { page, context, pageErrors, shot } = await openJourney(t, { name: 'publishing', server });
  const sandbox = server.siar.sandbox;
  assert.ok(sandbox, 'the test server runs the network sandbox');

  // ---- Set-up: an agency with an admin (browser) and an editor (API), and a Mastodon account not yet connected.
  const db = server.siar.services.db;
  const stamp = Date.now().toString(36);
  const unitId = await makeUnit(server, await topUnitId(server), 'agency', `Dinas Kominfo Terbit ${stamp}`);
  const password = 'Perahu kecil menyusuri Teluk Balikpapan 27';
  const admin = await makePasswordUser(server, { unitId, role: 'admin', name: 'Sari Admin', email: `admin.${stamp}@humas.example.id`, password });
  const editor = await makePerson(server, unitId, 'editor', 'Budi Editor');
  const account = sandbox.createAccount('mastodon', { handle: `humas${stamp}`, displayName: 'Humas Kominfo Terbit' });
  const token = account.credentials['accessToken'];
  assert.ok(token, 'a Mastodon practice account has an access token');
  const channel = await db.insertInto('channels').values({
    unit_id: unitId, network: 'mastodon', name: 'Humas Kominfo Terbit', handle: `@${account.handle}@sosial.example`, avatar_url: null, limit_overrides: JSON.stringify({}),
  }).returning('id').executeTakeFirstOrThrow();

  // 1. The admin opens the content settings: the account is not connected yet.
  await page.goto(`${server.url}/admin/`);
  await page.getByTestId('login-form').waitFor();
  await page.getByTestId('login-email').fill(admin.email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home').waitFor();
  await page.getByTestId('nav-content-settings').click();
  await page.getByTestId('content-settings').waitFor();
  const item = page.locator(`[data-testid="channel-item"][data-id="${channel.id}"]`);
  await item.waitFor();
  assert.equal((await item.getByTestId('channel-connection-state').textContent())?.trim(), 'Belum terhubung');
  assert.equal(await item.getByTestId('channel-sandbox').count(), 0);

  // 2. "Hubungkan": the form explains where the token comes from; a wrong token is refused by the network.
  await item.getByTestId(`channel-connect-${channel.id}`).click();
  const form = item.getByTestId('connect-form');
  await form.waitFor();
  assert.match((await form.textContent()) ?? '', /Preferences → Development/);
  assert.match((await form.textContent()) ?? '', /write:statuses/);
  assert.equal(await form.getByTestId('connect-accessToken').getAttribute('type'), 'password', 'the token is typed into a password field');
  await form.getByTestId('connect-baseUrl').fill(account.baseUrl);
  await form.getByTestId('connect-accessToken').fill(`salah-${stamp}`);
  await form.getByTestId('connect-submit').click();
  await form.getByTestId('connect-error').waitFor();
  const tokenField = form.locator('.field', { has: page.getByTestId('connect-accessToken') });
  await tokenField.locator('.field__error').waitFor();
  assert.equal(await form.getByTestId('connect-accessToken').getAttribute('aria-invalid'), 'true', 'the refusal is shown at the token');
  assert.equal(await form.getByTestId('connect-accessToken').inputValue(), '', 'the secret is not kept');
  assert.equal(await form.getByTestId('connect-baseUrl').inputValue(), account.baseUrl, 'the address is kept');
  await shot(page, 'connect-refused');

  // 3. The right token: connected, marked as a practice account; the token is nowhere in the page.
  await form.getByTestId('connect-accessToken').fill(token);
  await form.getByTestId('connect-submit').click();
  await page.getByTestId('channel-msg').getByText('terhubung').waitFor();
  assert.equal(await page.getByTestId('connect-form').count(), 0, 'the form closes');
  assert.equal((await item.getByTestId('channel-connection-state').textContent())?.trim(), 'Terhubung');
  assert.equal((await item.getByTestId('channel-sandbox').textContent())?.trim(), 'Akun latihan');
  await item.getByRole('button', { name: /Hubungkan ulang/ }).waitFor();
  await item.getByTestId(`channel-disconnect-${channel.id}`).waitFor();
  assert.ok(!(await page.content()).includes(token), 'the token is never echoed back');
  await shot(page, 'connected');
  // After a reload too (from the server).
  await page.reload();
  await item.waitFor();
  assert.equal((await item.getByTestId('channel-connection-state').textContent())?.trim(), 'Terhubung');
  const stored = await db.selectFrom('channels').select(['connection', 'sandbox', 'base_url']).where('id', '=', channel.id).executeTakeFirstOrThrow();
  assert.deepEqual(stored, { connection: 'connected', sandbox: true, base_url: account.baseUrl });

  // 4. An editor's post for this account, due now (set in the database) and queued like the scheduler does.
  const phrase = `Posyandu Kelurahan Sempaja ${stamp} buka Sabtu pukul 08.00 WITA`;
  const created = await editor.client.post('/api/v1/posts', { unitId, title: `Jadwal posyandu ${stamp}`, bodyHtml: `<p>${phrase}.</p>`, targets: [channel.id] });
  assert.equal(created.statusCode, 201, created.body);
  const postId = (created.json() as { id: string }).id;
  await db.updateTable('posts').set({ status: 'scheduled', scheduled_at: new Date(Date.now() - 1000) }).where('id', '=', postId).execute();

  // 5. The admin opens the post (due: the page refreshes by itself), then the job is sent.
  await page.goto(`${server.url}/admin/posts/${postId}`);
  await page.getByTestId('post-view').waitFor();
  await page.getByTestId('post-live').waitFor();
  const target = page.getByTestId('target').first();
  assert.equal((await target.getByTestId('target-status').textContent())?.trim(), 'menunggu jadwal');
  await shot(page, 'post-due');
  assert.ok((await enqueuePost(server.siar.services, postId)) >= 1, 'the target is queued');

  // 6. Without reloading, the post turns "tayang" with a link to Mastodon.
  await page.waitForFunction(() => document.querySelector('[data-testid="post-status"]')?.textContent?.trim() === 'tayang', undefined, { timeout: 60_000, polling: 250 });
  await page.locator('[data-testid="target"][data-status="published"]').waitFor();
  assert.equal((await target.getByTestId('target-status').textContent())?.trim(), 'tayang');
  const link = target.getByTestId('target-link');
  assert.equal((await link.textContent())?.trim(), 'Lihat di Mastodon');
  assert.match((await target.getByTestId('target-attempts').textContent()) ?? '', /1 kali percobaan/);
  assert.equal(await target.getByTestId('target-retry').count(), 0, 'nothing to retry');
  assert.equal(await page.getByTestId('post-live').count(), 0, 'the page stops refreshing when done');
  await target.getByTestId('target-history-toggle').click();
  const attempt = target.getByTestId('target-attempt').first();
  await attempt.waitFor();
  assert.match((await attempt.textContent()) ?? '', /Percobaan ke-1.*tayang/);
  await shot(page, 'published');

  // 7. The link opens the sandbox's web timeline, which shows the text.
  const href = (await link.getAttribute('href')) ?? '';
  assert.ok(href.startsWith(sandbox.urls.web), `the link goes to the sandbox's web timeline: ${href}`);
  const timeline = await context.newPage();
  const response = await timeline.goto(href);
  assert.equal(response?.status(), 200);
  await timeline.getByText(phrase).first().waitFor();
  await shot(timeline, 'timeline');
  await timeline.close();

  // The network has it exactly once, and the author is told.
  const posts = sandbox.posts(account.id).filter((p) => !p.deleted);
  assert.equal(posts.length, 1);
  assert.ok(posts[0]!.text.includes(phrase));
  const notes = await editor.client.get('/api/v1/notifications');
  assert.ok((notes.json() as { items: { kind: string; postId: string | null }[] }).items.some((n) => n.kind === 'published' && n.postId === postId), 'the author gets "Postingan Anda tayang"');

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
