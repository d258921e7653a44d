// E2E journey through the admin web app with headless Chromium (playwright-core):
// first admin logs in with the one-time password → forced password change → creates a
// user in a regency → reads the temporary password → logs out → the new user logs in →
// forced password change → sees the app.
//
// Needs /usr/bin/chromium (skips otherwise) and a built admin app in dist/admin.
// Screenshots go to a temp dir (printed at the end), never into the repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkip, openJourney } from '../test/browser.ts';
import { startTestServer } from '../test/server.ts';

test('first login → forced password change → create regency user → that user logs in', { skip: browserSkip, timeout: 180_000 }, async (t) => {
  const server = await startTestServer();
  const { page, pageErrors, shot } = await openJourney(t, { name: 'first-login', server });

  const login = async (email: string, password: string) => {
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
  };
  const changePassword = async (current: string, next: string) => {
    await page.getByTestId('change-password-form').waitFor();
    await page.getByTestId('pw-current').fill(current);
    await page.getByTestId('pw-new').fill(next);
    await page.getByTestId('pw-confirm').fill(next);
    await page.getByTestId('pw-submit').click();
  };

  // 1. First admin logs in with the one-time password printed at install.
  await page.goto(`${server.url}/admin/`);
  await page.getByTestId('login-form').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'id', 'Indonesian is the default language');
  await shot(page, 'login');
  await login(server.firstAdmin.email, server.firstAdmin.password);

  // 2. Forced password change: every screen goes there first.
  await page.getByTestId('change-password-form').waitFor();
  assert.match(new URL(page.url()).pathname, /^\/admin\/change-password$/);
  await shot(page, 'forced-change-admin');
  const adminNewPassword = 'Pesut Mahakam berenang di Tenggarong 2026!';
  await changePassword(server.firstAdmin.password, adminNewPassword);
  await page.getByTestId('home').waitFor();
  await shot(page, 'admin-home');

  // 3. Create a user in a regency unit (as admin of the province).
  type UnitItem = { id: string; parentId: string | null; kind: string; name: string };
  const listUnits = async (): Promise<UnitItem[]> => {
    const res = await page.request.get(`${server.url}/api/v1/units`, { headers: { 'accept-language': 'id' } });
    assert.equal(res.status(), 200, 'admin can list units');
    return ((await res.json()) as { items: UnitItem[] }).items;
  };
  let regency = (await listUnits()).find((u) => u.kind === 'regency');
  if (!regency) {
    // An install without the regencies: the admin adds one through the units screen.
    const province = (await listUnits()).find((u) => u.parentId === null);
    assert.ok(province, 'the clean install has a top unit');
    await page.getByTestId('nav-units').click();
    await page.getByTestId(`unit-detail`).waitFor();
    await page.getByTestId('unit-add-child').click();
    await page.getByTestId('unit-kind').selectOption('regency');
    await page.getByTestId('unit-name').fill('Kabupaten Berau');
    await page.getByTestId('unit-save').click();
    await page.getByTestId('unit-saved').waitFor();
    regency = (await listUnits()).find((u) => u.kind === 'regency');
  }
  assert.ok(regency, 'a regency exists to add the user to');

  await page.getByTestId('nav-users').click();
  await page.getByTestId('user-create-open').click();
  await page.getByTestId('create-user-form').waitFor();
  const stamp = Date.now().toString(36);
  const newUser = { name: 'Siti Aminah', email: `siti.${stamp}@humas.example.id` };
  await page.getByTestId('cu-name').fill(newUser.name);
  await page.getByTestId('cu-email').fill(newUser.email);
  await page.getByTestId('cu-unit').selectOption(regency.id);
  await page.getByTestId('cu-role').selectOption('editor');
  await shot(page, 'create-user-form');
  await page.getByTestId('cu-submit').click();

  const tempLocator = page.getByTestId('temp-password');
  await tempLocator.waitFor();
  const temporaryPassword = (await tempLocator.textContent())?.trim() ?? '';
  assert.ok(temporaryPassword.length >= 8, `temporary password shown (got ${JSON.stringify(temporaryPassword)})`);
  await page.locator(`[data-testid="user-row"][data-email="${newUser.email}"]`).waitFor();
  await shot(page, 'user-created');

  // 4. Log out via the user menu.
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  const meAfterLogout = await page.request.get(`${server.url}/api/v1/me`);
  assert.equal(meAfterLogout.status(), 401, 'session ended after logout');
  await shot(page, 'logged-out');

  // 5. The new user logs in with the temporary password and must change it.
  await login(newUser.email, temporaryPassword);
  await page.getByTestId('change-password-form').waitFor();
  await shot(page, 'forced-change-user');

  // A weak password is refused by the server and what was typed stays in the form.
  await changePassword(temporaryPassword, 'pendek');
  const weak = page.getByTestId('pw-weak');
  const pwError = page.getByTestId('pw-error');
  await weak.or(pwError).first().waitFor();
  assert.equal(await page.getByTestId('pw-new').inputValue(), 'pendek', 'typed password kept after an error');
  assert.equal(await page.getByTestId('pw-current').inputValue(), temporaryPassword);
  await shot(page, 'weak-password');

  await changePassword(temporaryPassword, 'Lamin adat Dayak di tepi Mahakam 88');
  await page.getByTestId('home').waitFor();

  // 6. They see the app: their name, their regency, and no admin-only menu.
  await page.getByText(newUser.name, { exact: false }).first().waitFor();
  const memberships = page.getByTestId('my-memberships');
  await memberships.waitFor();
  assert.match((await memberships.textContent()) ?? '', new RegExp(regency.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await page.getByTestId('nav-users').count(), 0, 'an editor does not see the users screen');
  await page.getByTestId('nav-units').click();
  await page.getByTestId('unit-tree').waitFor();
  await shot(page, 'user-units');

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
