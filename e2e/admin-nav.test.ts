/**
 * The admin app's main menu shows every item at 1280 px for the person who sees the most of them
 * (an administrator of the top unit), in Indonesian and in English: a menu longer than one row
 * wraps, nothing hides behind a sideways scroll or outside the window.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSkip, openJourney, signInAdmin } from '../test/browser.ts';
import { makePasswordUser, topUnitId } from '../test/people.ts';
import { startTestServer } from '../test/server.ts';

test('every item of the main menu is visible at 1280 px for a top administrator, in both languages', { skip: browserSkip }, async (t) => {
  const server = await startTestServer({ demo: false });
  const { page, pageErrors } = await openJourney(t, { name: 'admin-nav', server });
  const password = 'Menu-Satu-Baris-2026!';
  const admin = await makePasswordUser(server, { unitId: await topUnitId(server), role: 'admin', name: 'Admin Provinsi', email: 'admin.menu@humas.example.id', password });
  await signInAdmin(page, server.url, admin.email, password);
  const nav = page.locator('nav.nav');
  await nav.getByTestId('nav-audit').waitFor();
  for (const locale of ['id', 'en'] as const) {
    if (locale === 'en') {
      await page.evaluate(() => localStorage.setItem('siar.admin.lang', 'en'));
      await page.reload();
      await nav.getByTestId('nav-audit').waitFor();
    }
    const items = await nav.locator('li').count();
    assert.ok(items >= 11, `every menu item is shown (${items})`);
    const overflow = await nav.evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok(overflow <= 0, `${locale}: the menu is ${overflow}px wider than its box`);
    const outside = await nav.locator('li').evaluateAll((lis) => lis.filter((li) => {
      const r = li.getBoundingClientRect();
      return r.width === 0 || r.left < 0 || r.right > window.innerWidth;
    }).length);
    assert.equal(outside, 0, `${locale}: every item is inside the window`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${locale}: the page does not scroll sideways`);
  }
  assert.deepEqual(pageErrors, []);
});
