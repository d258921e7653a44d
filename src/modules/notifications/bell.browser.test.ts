/**
 * In a real Chromium: the bell of a signed-in person updates by itself (EventSource) when someone
 * mentions them, a toast says so and leads to the post, and the e-mail checkbox on the account page
 * is saved for them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSkip, openJourney } from '../../../test/browser.ts';
import { makePasswordUser, makePerson, makeUnit, topUnitId } from '../../../test/people.ts';
import { startTestServer, STRONG_PASSWORDS } from '../../../test/server.ts';

test('a mention shows up in the open app without reloading: count, toast, and the way to the post', { skip: browserSkip }, async (t) => {
  const server = await startTestServer({ demo: false });
  const { page, pageErrors, shot } = await openJourney(t, { name: 'notifications', server });
  const agency = await makeUnit(server, await topUnitId(server), 'agency', 'Dinas Kominfo Uji');
  const editor = await makePerson(server, agency, 'editor', 'Rina Penulis');
  const password = STRONG_PASSWORDS[1]!;
  const approver = await makePasswordUser(server, { unitId: agency, role: 'approver', name: 'Sari Penyetuju', password });
  const post = await editor.client.post('/api/v1/posts', { unitId: agency, title: 'Jembatan Mahakam IV dibuka', bodyHtml: '<p>Jembatan Mahakam IV resmi dibuka hari ini.</p>' });
  assert.equal(post.statusCode, 201, post.body);
  const postId = post.json().id as string;

  const streamOpened = page.waitForResponse((r) => r.url().endsWith('/api/v1/notifications/stream') && r.status() === 200);
  await page.goto(`${server.url}/admin/login`);
  await page.getByTestId('login-email').fill(approver.email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home').waitFor();
  await streamOpened;
  assert.equal(await page.getByTestId('bell-count').count(), 0);

  const comment = await editor.client.post(`/api/v1/posts/${postId}/comments`, { body: 'Mohon dicek angka anggarannya.', mentions: [approver.id] });
  assert.equal(comment.statusCode, 201, comment.body);

  const toast = page.getByTestId('notif-toast');
  await toast.waitFor();
  assert.match((await toast.textContent()) ?? '', /Rina Penulis menyebut Anda di “Jembatan Mahakam IV dibuka”/);
  assert.equal((await page.getByTestId('bell-count').textContent())?.trim(), '1');
  await shot(page, 'toast');

  await page.getByTestId('notif-toast-open').click();
  await page.waitForURL(`**/admin/posts/${postId}`);
  await page.getByTestId('bell-count').waitFor({ state: 'detached' });

  // The account page: e-mail copies can be turned off, and that is kept.
  await page.goto(`${server.url}/admin/security`);
  const box = page.getByTestId('notif-email');
  assert.equal(await box.isChecked(), true);
  await box.uncheck();
  await page.getByTestId('notif-settings').getByRole('status').waitFor();
  await shot(page, 'settings');
  const row = await server.siar.services.db.selectFrom('users').select('notify_email').where('id', '=', approver.id).executeTakeFirstOrThrow();
  assert.equal(row.notify_email, false);
  await page.reload();
  assert.equal(await page.getByTestId('notif-email').isChecked(), false);
  assert.deepEqual(pageErrors, []);
});
