// E2E journey through the content studio with headless Chromium (playwright-core):
// an editor writes a post for X and Facebook, scheduled next month at 09:00 WITA → customises the X
// text past 280 characters and sees the rule error → fixes it → sends it for review → an approver
// logs in, sees the inbox badge, opens the post and approves → the post is on the calendar at 09:00 WITA.
//
// People, unit and channels are set up in the database (not the point of this journey); everything
// after that goes through the browser. Needs /usr/bin/chromium (skips otherwise) and a built admin
// app in dist/admin. Screenshots go to a temp dir (printed at the end), never into the repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkip, openJourney } from '../test/browser.ts';
import { startTestServer } from '../test/server.ts';
import { makePasswordUser, makeUnit, topUnitId } from '../test/people.ts';

/** "YYYY-MM-DD" of the 15th of next month, as the calendar in WITA sees it. */
function nextMonth15(): { day: string; monthIndex: number; year: number } {
  const wita = new Date(Date.now() + 8 * 3600_000);
  const d = new Date(Date.UTC(wita.getUTCFullYear(), wita.getUTCMonth() + 1, 15));
  return { day: d.toISOString().slice(0, 10), monthIndex: d.getUTCMonth(), year: d.getUTCFullYear() };
}

test('editor composes for X + Facebook → rule error on X → fixed → submitted → approver approves → on the calendar at 09:00 WITA', { skip: browserSkip, timeout: 240_000 }, async (t) => {
  const server = await startTestServer();
  const { page, pageErrors, shot } = await openJourney(t, { name: 'studio', server });

  // ---- Set-up in the database: a unit, an editor and an approver who log in with a password, two channels.
  const db = server.siar.services.db;
  const stamp = Date.now().toString(36);
  const unitId = await makeUnit(server, await topUnitId(server), 'agency', `Dinas Kominfo Uji ${stamp}`);
  const password = 'Perahu kecil menyusuri Teluk Balikpapan 27';
  const person = (role: 'editor' | 'approver', name: string) => makePasswordUser(server, { unitId, role, name, email: `${role}.${stamp}@humas.example.id`, password });
  const editor = await person('editor', 'Rina Editor');
  const approver = await person('approver', 'Bima Penyetuju');
  const channel = async (network: 'x' | 'facebook', name: string, handle: string) =>
    (await db.insertInto('channels').values({ unit_id: unitId, network, name, handle, avatar_url: null, limit_overrides: JSON.stringify({}) }).returning('id').executeTakeFirstOrThrow()).id;
  const xChannel = await channel('x', 'Kominfo Uji', `@kominfouji${stamp}`);
  const fbChannel = await channel('facebook', 'Dinas Kominfo Uji', `kominfouji.${stamp}`);

  const login = async (email: string) => {
    await page.getByTestId('login-form').waitFor();
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home').waitFor();
  };

  // 1. The editor logs in and opens the composer from the menu.
  await page.goto(`${server.url}/admin/`);
  await login(editor.email);
  await page.getByTestId('nav-compose').click();
  await page.getByTestId('composer').waitFor();

  const title = `Jembatan Mahakam ditutup sementara ${stamp}`;
  await page.getByTestId('composer-title').fill(title);
  await page.getByTestId('composer-body').click();
  await page.keyboard.type('Jembatan Mahakam ditutup untuk perawatan rutin pada hari Minggu pukul 06.00 sampai 10.00 WITA. Warga diimbau memakai jalur alternatif melalui Jembatan Mahkota II.');
  await page.getByTestId('composer-summary').fill('Perawatan rutin Jembatan Mahakam, gunakan jalur alternatif.');

  // Two networks through their channels.
  await page.getByTestId(`channel-${xChannel}`).check();
  await page.getByTestId(`channel-${fbChannel}`).check();

  // Next month on the 15th, 09:00 in the unit's zone (shown as WITA).
  const when = nextMonth15();
  await page.getByTestId('schedule-date').fill(when.day);
  await page.getByTestId('schedule-time').fill('09:00');
  assert.equal((await page.getByTestId('schedule-zone').textContent())?.trim(), 'WITA', 'the schedule picker names the unit zone');

  // Both network tabs appear with a preview of each.
  await page.getByTestId('tab-x').waitFor();
  await page.getByTestId('tab-facebook').waitFor();
  await page.getByTestId('tab-facebook').click();
  await page.getByTestId('preview-facebook').waitFor();
  await page.getByTestId('preview-facebook').getByText('Jembatan Mahakam', { exact: false }).first().waitFor();
  await shot(page, 'composer-facebook-preview');

  // 2. The editor customises the X text past 280 weighted characters: the X tab shows a rule error.
  await page.getByTestId('tab-x').click();
  await page.getByTestId('preview-x').waitFor();
  const longText = `${'Jembatan Mahakam ditutup sementara untuk perawatan rutin. '.repeat(6)}#Samarinda`;
  assert.ok(longText.length > 280);
  await page.getByTestId('variant-text-x').fill(longText);
  await page.getByTestId('issues-error-x').waitFor();
  await page.locator('[data-testid="counter-x"].counter--over').waitFor();
  const counterText = (await page.getByTestId('counter-x').textContent()) ?? '';
  assert.match(counterText, /\/\s*280/, `X counter shows the 280 limit (got ${counterText})`);
  assert.match((await page.getByTestId('issues-error-x').textContent()) ?? '', /\S/, 'the X error says something');
  await page.locator('[data-testid="tab-x"].tab--error').waitFor();
  await shot(page, 'composer-x-rule-error');

  // 3. The editor fixes it: a shorter text of their own.
  const shortText = 'Jembatan Mahakam ditutup Minggu 06.00–10.00 WITA untuk perawatan. Gunakan Jembatan Mahkota II. #Samarinda';
  await page.getByTestId('variant-text-x').fill(shortText);
  await page.getByTestId('ok-x').waitFor();
  assert.equal(await page.getByTestId('issues-error-x').count(), 0, 'no X error after the fix');
  assert.equal(await page.locator('[data-testid="counter-x"].counter--over').count(), 0, 'counter no longer red');
  await page.getByTestId('preview-x').getByText('#Samarinda').first().waitFor();
  await shot(page, 'composer-x-fixed');

  // 4. Send for review.
  await page.getByTestId('composer-submit').click();
  const dialog = page.getByTestId('second-look-dialog');
  const postView = page.getByTestId('post-view');
  await dialog.or(postView).first().waitFor();
  if (await dialog.isVisible()) await page.getByTestId('second-look-confirm').click();
  await postView.waitFor();
  await page.getByTestId('post-msg').waitFor();
  assert.match((await page.getByTestId('post-status').textContent()) ?? '', /dalam tinjauan/);
  assert.match((await page.getByTestId('post-scheduled').textContent()) ?? '', /09\.00|09:00/);
  assert.match((await page.getByTestId('post-scheduled').textContent()) ?? '', /WITA/);
  const postUrl = new URL(page.url());
  const postId = postUrl.pathname.split('/').pop() ?? '';
  assert.match(postId, /^[0-9a-f-]{36}$/, `on the post page (got ${postUrl.pathname})`);
  await shot(page, 'post-in-review');

  // The X variant kept the editor's text.
  const stored = await db.selectFrom('post_variants').select(['network', 'text', 'customized']).where('post_id', '=', postId).execute();
  assert.deepEqual(stored.map((v) => v.network).sort(), ['facebook', 'x']);
  assert.equal(stored.find((v) => v.network === 'x')?.text, shortText);

  // 5. The editor logs out; the approver logs in and sees one post waiting.
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await login(approver.email);
  await page.getByTestId('nav-approvals-count').waitFor();
  assert.equal((await page.getByTestId('nav-approvals-count').textContent())?.trim(), '1');
  await page.getByTestId('bell-count').waitFor();
  await page.getByTestId('nav-approvals').click();
  const item = page.locator(`[data-testid="inbox-item"][data-id="${postId}"]`);
  await item.waitFor();
  assert.match((await item.textContent()) ?? '', new RegExp(title));
  await shot(page, 'approver-inbox');
  await item.getByTestId('inbox-open').click();
  await page.getByTestId('post-view').waitFor();
  await page.getByTestId('approval-timeline').getByText('menunggu keputusan').waitFor();

  // 6. Approve.
  await page.getByTestId('action-approve').click();
  await page.getByTestId('approve-note').fill('Sudah sesuai, silakan tayang.');
  await page.getByTestId('approve-confirm').click();
  await page.getByTestId('post-status').getByText('terjadwal').waitFor();
  await page.getByTestId('decision').first().getByText('Sudah sesuai, silakan tayang.').waitFor();
  await shot(page, 'post-approved');

  // 7. On the calendar next month, at 09:00 WITA, marked as scheduled.
  await page.getByTestId('nav-calendar').click();
  await page.getByTestId('cal-month').waitFor();
  await page.getByTestId('cal-next').click();
  const day = page.getByTestId(`cal-day-${when.day}`);
  await day.waitFor();
  const calItem = day.locator(`[data-testid="cal-item"][data-id="${postId}"]`);
  await calItem.waitFor();
  assert.equal((await calItem.getByTestId('cal-item-time').textContent())?.trim(), '09:00 WITA');
  assert.match((await calItem.getByTestId('cal-item-title').textContent()) ?? '', new RegExp(title));
  assert.match((await calItem.getAttribute('class')) ?? '', /cal-item--green/, 'scheduled posts are green');
  await shot(page, 'calendar-month');

  // 8. Drag it to the next day: it keeps its time of day.
  const nextDay = new Date(Date.parse(`${when.day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  await calItem.dragTo(page.getByTestId(`cal-day-${nextDay}`));
  await page.getByTestId('cal-moved').waitFor();
  const moved = page.getByTestId(`cal-day-${nextDay}`).locator(`[data-testid="cal-item"][data-id="${postId}"]`);
  await moved.waitFor();
  assert.equal((await moved.getByTestId('cal-item-time').textContent())?.trim(), '09:00 WITA');
  assert.equal(await day.locator(`[data-testid="cal-item"][data-id="${postId}"]`).count(), 0, 'no longer on the old day');
  const row = await db.selectFrom('posts').select(['scheduled_at', 'status']).where('id', '=', postId).executeTakeFirstOrThrow();
  assert.equal(row.scheduled_at?.toISOString(), `${nextDay}T01:00:00.000Z`, '09:00 WITA is 01:00 UTC');
  assert.equal(row.status, 'scheduled');
  await shot(page, 'calendar-dragged');

  // 9. The keyboard alternative with a time in the past: the server refuses, the post stays where it was.
  await moved.getByTestId('cal-item-move').click();
  await page.getByTestId('cal-move-when').fill('2020-01-01T09:00');
  await page.getByTestId('cal-move-confirm').click();
  await page.getByTestId('cal-move-error').waitFor();
  assert.match((await page.getByTestId('cal-move-error').textContent()) ?? '', /masa depan/);
  await moved.waitFor();
  await shot(page, 'calendar-move-refused');

  // The list view says the same.
  await page.getByTestId('cal-view-list').click();
  await page.getByTestId('cal-list').locator(`[data-testid="cal-item"][data-id="${postId}"]`).getByText('09:00 WITA').waitFor();
  await shot(page, 'calendar-list');

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
