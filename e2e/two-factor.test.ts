// E2E journey: a signed-in person turns two-factor sign-in on in the admin app (wrong code first,
// then the right one), signs in again with a code, and turns it off. Headless Chromium via
// playwright-core; skipped with a message when /usr/bin/chromium is absent. Needs a built admin app in dist/admin.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentTotp } from '../src/modules/auth/totp.ts';
import { browserSkip, openJourney } from '../test/browser.ts';
import { loginFresh, startTestServer, STRONG_PASSWORDS } from '../test/server.ts';

test('turn two-factor on with a code, sign in with it, turn it off', { skip: browserSkip, timeout: 180_000 }, async (t) => {
  const server = await startTestServer({ demo: false });
  const { page } = await openJourney(t, { name: 'two-factor', server });
  const password = STRONG_PASSWORDS[3]!;
  await loginFresh(server.app, server.firstAdmin.email, server.firstAdmin.password, password);
  const signIn = async (code?: string) => {
    await page.goto(`${server.url}/admin/security`);
    await page.getByTestId('login-email').fill(server.firstAdmin.email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    if (code) {
      await page.getByTestId('login-totp').fill(code);
      await page.getByTestId('login-submit').click();
    }
  };

  await signIn();
  await page.getByTestId('tfa-start').click();
  const secret = (await page.getByTestId('tfa-secret').textContent())!.replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  const right = currentTotp(secret);
  await page.getByTestId('tfa-code').fill(right === '000000' ? '111111' : '000000');
  await page.getByTestId('tfa-enable').click();
  await page.getByTestId('tfa-error').waitFor();
  await page.getByTestId('tfa-code').fill(currentTotp(secret));
  await page.getByTestId('tfa-enable').click();
  await page.getByTestId('tfa-disable').waitFor();
  assert.equal((await server.siar.services.db.selectFrom('users').select('totp_enabled').executeTakeFirstOrThrow()).totp_enabled, true);

  // A new sign-in asks for the code.
  await page.context().clearCookies();
  await signIn(currentTotp(secret));
  await page.getByTestId('tfa-disable').waitFor();
  await page.getByTestId('tfa-disable-code').fill(currentTotp(secret));
  await page.getByTestId('tfa-disable').click();
  await page.getByTestId('tfa-start').waitFor();
  assert.equal((await server.siar.services.db.selectFrom('users').select('totp_enabled').executeTakeFirstOrThrow()).totp_enabled, false);
});
