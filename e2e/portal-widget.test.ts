// E2E: the news widget on another government site, in headless Chromium (playwright-core). A
// regency's page, served from another origin with its own strict CSP and styles, pastes the
// script snippet twice (a right unit with data-jumlah="2", and a mistyped one) and the iframe
// snippet. The list appears right after the script tag inside a Shadow DOM (the host's styles do
// not reach it), with the two newest titles linking to the portal; the mistyped unit shows a
// message naming it; the iframe shows the same list without any script and opens links at the top.
//
// Needs /usr/bin/chromium (skips otherwise). Screenshots go to a temp dir, never into the repo.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { browserSkip } from '../test/browser.ts';
import { makePerson, makeUnit, topUnitId } from '../test/people.ts';
import { startTestServer } from '../test/server.ts';
import { chromiumPath } from '../test/settings.ts';
import { liveArticle, withoutReview } from '../src/modules/portal/feeds/test-articles.ts';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

test('a regency site pastes the widget: the latest news appears after the tag, styled apart; the iframe works without script', { skip: browserSkip, timeout: 180_000 }, async (t) => {
  // The portal listens where its own links point (the absolute URLs in the widget's data).
  const server = await startTestServer({ demo: false, config: { port: await freePort() } });
  t.after(() => server.close());
  const portal = server.url;

  const top = await topUnitId(server);
  const unit = await makeUnit(server, top, 'regency', 'Kabupaten Kutai Widget');
  const admin = await makePerson(server, unit, 'admin', 'Rina Wulandari');
  await withoutReview(admin, unit);
  const slug = (await server.siar.services.db.selectFrom('units').select('slug').where('id', '=', unit).executeTakeFirstOrThrow()).slug;
  const titles = ['Vaksinasi anak dimulai di puskesmas', 'Jalan poros Tenggarong diperbaiki', 'Festival Erau digelar bulan depan'];
  for (const [i, title] of titles.entries()) {
    await liveArticle(server, admin, { unitId: unit, title, publishedAt: new Date(Date.now() - (3 - i) * 3_600_000) });
  }

  // The host: another origin, a strict CSP of its own, and styles that would paint every link red.
  const hostPage = `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Situs Kabupaten</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src ${portal}; connect-src ${portal}; frame-src ${portal}; style-src 'self'">
<link rel="stylesheet" href="/host.css"></head>
<body><h1>Situs Resmi Kabupaten</h1>
<div id="kolom"><script src="${portal}/widget.js" data-unit="${slug}" data-jumlah="2" async></script></div>
<div id="salah"><script src="${portal}/widget.js" data-unit="kutai-salah-ketik" async></script></div>
<iframe id="bingkai" src="${portal}/widget?unit=${slug}&amp;jumlah=2" title="Berita terbaru" width="420" height="320"></iframe>
</body></html>`;
  const host: Server = createServer((request, response) => {
    if (request.url === '/host.css') {
      response.writeHead(200, { 'content-type': 'text/css' }).end('a, li, p { color: rgb(255, 0, 0) !important; font-size: 40px !important; }');
    } else {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(hostPage);
    }
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => host.close(resolve)));
  const address = host.address();
  const hostUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  assert.notEqual(new URL(hostUrl).origin, new URL(portal).origin, 'the host is another origin');

  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 }, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(hostUrl);

  // 1. The list appears right after the script tag, two newest first, linking to the portal.
  const widget = page.locator('#kolom [data-siar-widget]');
  await widget.locator('li').nth(1).waitFor();
  assert.equal(await widget.locator('li').count(), 2);
  assert.equal(await page.locator('#kolom > script + [data-siar-widget]').count(), 1, 'inserted after its own script tag');
  assert.deepEqual(await widget.locator('li a').allTextContents(), [titles[2], titles[1]]);
  const hrefs = await widget.locator('li a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
  assert.ok(hrefs.every((h) => h.startsWith(`${portal}/berita/`)), hrefs.join());
  assert.deepEqual(await widget.locator('time').allTextContents(), ['1 jam lalu', '2 jam lalu']);
  assert.equal(await widget.evaluate((el) => el.shadowRoot !== null), true, 'inside a Shadow DOM');

  // 2. The host's red 40px links do not reach inside; the widget's own (constructed) styles apply under the host's CSP.
  const look = await widget.locator('li a').first().evaluate((a) => ({ color: getComputedStyle(a).color, size: getComputedStyle(a).fontSize }));
  assert.deepEqual(look, { color: 'rgb(29, 78, 216)', size: '15px' });
  assert.equal(await page.locator('h1').evaluate((h) => getComputedStyle(h).color), 'rgb(0, 0, 0)');

  // 3. The mistyped unit: a message naming it, in place of the list.
  const wrong = page.locator('#salah [data-siar-widget] [role="status"]');
  await wrong.filter({ hasText: 'kutai-salah-ketik' }).waitFor();
  assert.match(await wrong.textContent() ?? '', /^Unit "kutai-salah-ketik" tidak ditemukan\. Periksa atribut data-unit/);

  // 4. The iframe: the same two titles, links opening at the top, no script in the frame.
  const frame = page.frameLocator('#bingkai');
  await frame.locator('li a').nth(1).waitFor();
  assert.deepEqual(await frame.locator('li a').allTextContents(), [titles[2], titles[1]]);
  assert.deepEqual(await frame.locator('li a').evaluateAll((links) => links.map((a) => a.getAttribute('target'))), ['_top', '_top']);
  assert.equal(await frame.locator('script').count(), 0);

  const shotsDir = await mkdtemp(join(tmpdir(), 'siar-e2e-widget-'));
  await page.screenshot({ path: join(shotsDir, '01-host-page.png'), fullPage: true });
  t.diagnostic(`screenshots: ${shotsDir}`);

  // The mistyped unit's 404 is reported by the browser as a failed load; nothing else went wrong.
  assert.deepEqual(problems.filter((p) => !/status of 404/.test(p)), []);
});
