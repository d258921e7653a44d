// The public portal in a real Chromium, with the demo newsroom: axe-core finds no serious or
// critical WCAG 2.2 A/AA problem on the home page, an article, a rubric page and search results;
// the skip link is the first tab stop and takes focus to the main content; at 200% zoom nothing
// scrolls sideways; and the home page stays small (HTML + CSS under 100 KB) with every request to
// this server alone.
//
// Needs /usr/bin/chromium (skips otherwise). Screenshots go to a temp dir (printed at the end).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkip, openJourney } from '../test/browser.ts';
import { startTestServer } from '../test/server.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core's serious and critical findings for the page as it is now, against WCAG 2.0–2.2 A and AA. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the browser's debugging protocol, so the page's CSP (no inline script) stays on.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] });
    return result.violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('portal pages: accessible, keyboard-first, readable at 200%, light and self-contained', { skip: browserSkip, timeout: 180_000 }, async (t) => {
  const server = await startTestServer({ demo: true });
  const { page, pageErrors, shot } = await openJourney(t, { name: 'portal', server });
  const origin = new URL(server.url).origin;

  // Every request the home page makes, with what it weighed on the wire.
  const requests: { url: string; type: string; bytes: Promise<number> }[] = [];
  page.on('requestfinished', (request) => {
    requests.push({ url: request.url(), type: request.resourceType(), bytes: request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize) });
  });
  await page.goto(`${server.url}/`);
  await page.waitForLoadState('load');
  const home = requests.splice(0);
  const foreign = home.filter((r) => new URL(r.url).origin !== origin).map((r) => r.url);
  assert.deepEqual(foreign, [], 'no request to another origin');
  const weight = (await Promise.all(home.filter((r) => r.type !== 'image').map((r) => r.bytes))).reduce((a, b) => a + b, 0);
  t.diagnostic(`home page: ${home.length} requests, ${weight} bytes transferred without images`);
  assert.ok(home.some((r) => r.type === 'stylesheet'), 'the stylesheet was loaded');
  assert.ok(weight < 100 * 1024, `home page HTML + CSS: ${weight} bytes`);
  const articles = await page.locator('article.kartu').count();
  assert.ok(articles >= 20, `the demo newsroom is on the home page (${articles} cards)`);
  await page.locator('section.darurat').waitFor();
  await shot(page, 'home');
  assert.deepEqual(await seriousViolations(page), [], 'home page');

  // Keyboard: the first Tab reaches the skip link, which moves focus to the main content.
  await page.goto(`${server.url}/`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'lewati');
  assert.ok(await page.locator('a.lewati').isVisible(), 'the skip link shows when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'isi', 'focus is on <main>');

  // An article (the pinned serta-merta one: facts, pictures if any, tags, share links, feedback form).
  await page.locator('section.darurat h3 a').first().click();
  await page.locator('article.berita h1').waitFor();
  await shot(page, 'article');
  assert.deepEqual(await seriousViolations(page), [], 'article page');

  // A rubric page.
  await page.goto(`${server.url}/rubrik/kinerja`);
  assert.equal(await page.locator('h1').textContent(), 'Kinerja');
  await shot(page, 'rubric');
  assert.deepEqual(await seriousViolations(page), [], 'rubric page');

  // Search through the header's box, as a reader does.
  await page.goto(`${server.url}/`);
  await page.getByLabel('Cari berita').fill('banjir');
  await page.getByLabel('Cari berita').press('Enter');
  await page.waitForURL(/\/cari\?q=banjir/);
  assert.ok(await page.locator('mark').count() > 0, 'matches are marked');
  await shot(page, 'search');
  assert.deepEqual(await seriousViolations(page), [], 'search page');

  // 200% zoom of a 1280-pixel window is a 640-pixel one: nothing may need sideways scrolling.
  await page.setViewportSize({ width: 640, height: 900 });
  for (const path of ['/', '/rubrik/kinerja', '/cari?q=banjir']) {
    await page.goto(`${server.url}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px at 200%`);
  }
  await shot(page, 'search-200-percent');

  // The check itself sees problems: a picture without alt text is reported.
  await page.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('beforeend', '<img src="/tidak-ada.png" width="10" height="10">'));
  assert.match((await seriousViolations(page)).join('\n'), /^image-alt \(critical\)/m);
  assert.deepEqual(pageErrors, []);
});
