// E2E: content settings with headless Chromium (playwright-core). A unit admin adds a Mastodon
// account with its own 1,000-character limit (the server's "already registered" error shows next to
// the handle and keeps what was typed), sets a two-tier approval flow (the unit, then the province)
// with serta-merta published directly by approvers, adds a sensitive term, reloads, and sees all
// three kept. The API and the database confirm what was stored.
//
// The unit and the admin are set up in the database; everything after that goes through the
// browser. Needs /usr/bin/chromium (skips otherwise) and a built admin app in dist/admin.
// Screenshots go to a temp dir (printed at the end), never into the repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkip, openJourney } from '../test/browser.ts';
import { startTestServer } from '../test/server.ts';
import { makePasswordUser, makeUnit, topUnitId } from '../test/people.ts';

test('unit admin adds a Mastodon account with its own limit, a two-tier policy and a sensitive term → all kept after reload', { skip: browserSkip, timeout: 180_000 }, async (t) => {
  const server = await startTestServer();
  const { page, pageErrors, shot } = await openJourney(t, { name: 'settings', server });

  // ---- Set-up in the database: an agency under the province and its admin, who logs in with a password.
  const db = server.siar.services.db;
  const stamp = Date.now().toString(36);
  const provinceId = await topUnitId(server);
  const unitName = `Dinas Kominfo Uji ${stamp}`;
  const unitId = await makeUnit(server, provinceId, 'agency', unitName);
  const password = 'Perahu kecil menyusuri Teluk Balikpapan 27';
  const user = await makePasswordUser(server, { unitId, role: 'admin', name: 'Sari Admin', email: `admin.${stamp}@humas.example.id`, password });
  // The province already has a Mastodon account (the agency can use it too, but not register it again).
  const provinceHandle = `@kaltimprov${stamp}@kaltim.social`;
  await db.insertInto('channels').values({ unit_id: provinceId, network: 'mastodon', name: 'Pemprov Uji', handle: provinceHandle, avatar_url: null, limit_overrides: JSON.stringify({}) }).execute();

  // 1. Log in and open "Pengaturan konten" from the menu; the admin's own unit is chosen.
  await page.goto(`${server.url}/admin/`);
  await page.getByTestId('login-form').waitFor();
  await page.getByTestId('login-email').fill(user.email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home').waitFor();
  await page.getByTestId('nav-content-settings').click();
  await page.getByTestId('content-settings').waitFor();
  assert.equal(await page.getByTestId('cs-unit').inputValue(), unitId, 'the admin’s unit is chosen');
  await page.getByTestId('channels-empty').waitFor();
  await page.getByTestId('policy-default').waitFor();

  // 2. Add a Mastodon account with its own 1,000-character limit, typed the Indonesian way ("1.000").
  //    First with the province's handle by mistake: the server's error shows next to the field and
  //    everything typed stays; a bad avatar address is caught before sending.
  const handle = `@humas${stamp}@kaltim.social`;
  await page.getByTestId('channel-add-open').click();
  await page.getByTestId('channel-new-network').selectOption('mastodon');
  await page.getByTestId('channel-new-name').fill('Humas Kominfo Uji');
  await page.getByTestId('channel-new-handle').fill(provinceHandle);
  assert.equal(await page.getByTestId('channel-new-maxText').getAttribute('placeholder'), '500', 'the Mastodon default is shown as placeholder');
  await page.getByTestId('channel-new-charsPerUrl').waitFor();
  await page.getByTestId('channel-new-maxText').fill('1.000');
  await page.getByTestId('channel-new-avatar').fill('bukan alamat');
  await page.getByTestId('channel-new-save').click();
  assert.equal(await page.getByTestId('channel-new-avatar').getAttribute('aria-invalid'), 'true', 'bad address marked');
  await page.getByTestId('channel-new-avatar').fill('');
  await page.getByTestId('channel-new-save').click();
  await page.getByTestId('channel-new-error').waitFor();
  const handleField = page.locator('.field', { has: page.getByTestId('channel-new-handle') });
  await handleField.locator('.field__error').getByText('sudah terdaftar').waitFor();
  assert.equal(await page.getByTestId('channel-new-handle').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('channel-new-name').inputValue(), 'Humas Kominfo Uji', 'what was typed is kept');
  assert.equal(await page.getByTestId('channel-new-maxText').inputValue(), '1.000');
  await shot(page, 'channel-field-error');
  await page.getByTestId('channel-new-handle').fill(handle);
  await page.getByTestId('channel-new-save').click();
  await page.getByTestId('channel-msg').waitFor();
  const channelItem = page.locator('[data-testid="channel-item"][data-network="mastodon"]');
  await channelItem.waitFor();
  assert.match((await channelItem.getByTestId('channel-limits').textContent()) ?? '', /1\.000 karakter/);
  assert.equal(await page.getByTestId('channel-new-form').count(), 0, 'the add form closes');
  await page.getByTestId('channels-inherited').getByText(provinceHandle).waitFor({ state: 'attached' });

  // 3. Two approval tiers: the unit, then the province; serta-merta directly by approvers.
  await page.getByTestId('policy-tiers-2').check();
  assert.equal(await page.getByTestId('policy-tier-1').inputValue(), unitId, 'tier 1 defaults to the unit');
  await page.getByTestId('policy-tier-2').selectOption(provinceId);
  await page.getByTestId('policy-direct-approver').check();
  await page.getByTestId('policy-crowding').fill('4');
  const summary = (await page.getByTestId('policy-summary').textContent()) ?? '';
  assert.match(summary, new RegExp(`Tahap 1: ${unitName}`));
  // The province is named even though the agency admin holds no role there.
  const provinceName = (await db.selectFrom('units').select('name').where('id', '=', provinceId).executeTakeFirstOrThrow()).name;
  assert.match(summary, new RegExp(`Tahap 2: ${provinceName}`));
  await page.getByTestId('policy-save').click();
  await page.getByTestId('policy-saved').waitFor();
  assert.equal(await page.getByTestId('policy-default').count(), 0, 'no longer on the defaults');
  await shot(page, 'policy-saved');

  // 4. A sensitive term for this unit; terms for everywhere are listed but cannot be removed by a unit admin.
  const term = `banjir palsu ${stamp}`;
  await page.getByTestId('term-new').fill(term);
  await page.getByTestId('term-category').selectOption('unverified');
  assert.equal(await page.getByTestId('term-scope').count(), 0, 'only top admins choose "all units"');
  await page.getByTestId('term-add').click();
  await page.getByTestId('term-msg').waitFor();
  const termItem = page.getByTestId('terms-unverified').locator('[data-testid="term-item"][data-scope="unit"]', { hasText: term });
  await termItem.waitFor();
  assert.equal(await termItem.locator('[data-testid^="term-delete-"]').count(), 1, 'the unit’s own term can be removed');
  const globalItem = page.getByTestId('terms-unverified').locator('[data-testid="term-item"][data-scope="all"]', { hasText: 'hoaks' });
  await globalItem.waitFor();
  assert.equal(await globalItem.locator('[data-testid^="term-delete-"]').count(), 0, 'terms for everywhere are not removable here');
  await shot(page, 'term-added');

  // 5. Reload: all three are still there.
  await page.reload();
  await page.getByTestId('content-settings').waitFor();
  const reloadedChannel = page.locator('[data-testid="channel-item"][data-network="mastodon"]');
  await reloadedChannel.waitFor();
  assert.equal((await reloadedChannel.getByTestId('channel-handle').textContent())?.trim(), handle);
  assert.match((await reloadedChannel.getByTestId('channel-limits').textContent()) ?? '', /1\.000 karakter/);
  await page.getByTestId('policy-form').waitFor();
  assert.ok(await page.getByTestId('policy-tiers-2').isChecked(), 'two tiers');
  assert.equal(await page.getByTestId('policy-tier-1').inputValue(), unitId);
  assert.equal(await page.getByTestId('policy-tier-2').inputValue(), provinceId);
  assert.ok(await page.getByTestId('policy-direct-approver').isChecked(), 'serta-merta by approvers');
  assert.equal(await page.getByTestId('policy-crowding').inputValue(), '4');
  assert.equal(await page.getByTestId('policy-summary-tier').count(), 2);
  await page.getByTestId('terms-unverified').locator('[data-testid="term-item"][data-scope="unit"]', { hasText: term }).waitFor();
  await shot(page, 'after-reload');

  // 6. The API (with the browser's session) and the database agree.
  const policyRes = await page.request.get(`${server.url}/api/v1/units/${unitId}/approval-policy`);
  assert.equal(policyRes.status(), 200);
  assert.deepEqual(await policyRes.json(), { unitId, tierUnitIds: [unitId, provinceId], sertaMertaDirectRole: 'approver', crowdingPerHour: 4, configured: true });
  const termsRes = await page.request.get(`${server.url}/api/v1/sensitive-terms?unitId=${unitId}`);
  const apiTerms = ((await termsRes.json()) as { items: { unitId: string | null; term: string; category: string }[] }).items;
  assert.ok(apiTerms.some((x) => x.unitId === unitId && x.term === term && x.category === 'unverified'), 'the term is listed by the API');

  const policyRow = await db.selectFrom('approval_policies').selectAll().where('unit_id', '=', unitId).executeTakeFirstOrThrow();
  assert.deepEqual(policyRow.tier_unit_ids, [unitId, provinceId]);
  assert.equal(policyRow.serta_merta_direct_role, 'approver');
  assert.equal(policyRow.crowding_per_hour, 4);
  const termRows = await db.selectFrom('sensitive_terms').select(['term', 'category']).where('unit_id', '=', unitId).execute();
  assert.deepEqual(termRows, [{ term, category: 'unverified' }]);
  const channelRows = await db.selectFrom('channels').select(['network', 'handle', 'limit_overrides', 'disabled', 'avatar_url']).where('unit_id', '=', unitId).execute();
  assert.equal(channelRows.length, 1, 'one account for the unit (the refused attempt stored nothing)');
  const channelRow = channelRows[0]!;
  assert.equal(channelRow.network, 'mastodon');
  assert.equal(channelRow.handle, handle);
  assert.deepEqual(channelRow.limit_overrides, { maxText: 1000 });
  assert.equal(channelRow.disabled, false);
  assert.equal(channelRow.avatar_url, null);

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
