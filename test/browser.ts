/**
 * The browser side of the e2e journeys: whether Chromium is here (the skip reason), and one headless
 * Chromium page on a test server (the admin app built in dist/admin) that collects uncaught page
 * errors, takes numbered full-page screenshots into a temp dir (printed at the end, never the repo),
 * and closes the browser and the server after the test.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestServer } from './server.ts';
import { chromiumPath } from './settings.ts';

const adminIndex = fileURLToPath(new URL('../dist/admin/index.html', import.meta.url));
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser journeys cannot run here, or false when they can: the `skip` of their test. */
export const browserSkip: string | false = existsSync(chromiumPath)
  ? false
  : `Chromium not found at ${chromiumPath}: install it (apt-get install -y chromium) or set SIAR_TEST_CHROMIUM`;

export interface Journey {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught errors of `page`, for a closing `assert.deepEqual(pageErrors, [])`. */
  pageErrors: string[];
  /** A full-page screenshot, numbered in the order taken: `03-name.png`. */
  shot(page: Page, name: string): Promise<void>;
}

/**
 * A page in Indonesian, in WITA, 1280×900, waiting 15 s at most for anything, on the admin app of
 * `server`. The browser and `server` are closed after the test, and the screenshots' folder printed.
 */
export async function openJourney(t: TestContext, { name, server }: { name: string; server: TestServer }): Promise<Journey> {
  let browser: Browser | undefined;
  let shotsDir: string | undefined;
  t.after(async () => {
    await browser?.close().catch(() => undefined);
    await server.close();
    if (shotsDir) t.diagnostic(`screenshots: ${shotsDir}`);
  });
  assert.ok(existsSync(adminIndex), 'admin app not built: run `npx vite build --config web/vite.config.ts` first');

  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  let shotNo = 0;
  const shot = async (p: Page, shotName: string) => {
    shotsDir ??= await mkdtemp(join(tmpdir(), `siar-e2e-${name}-`));
    shotNo += 1;
    await p.screenshot({ path: join(shotsDir, `${String(shotNo).padStart(2, '0')}-${shotName}.png`), fullPage: true });
  };
  return { browser, context, page, pageErrors, shot };
}

/** Signs in to the admin app with an e-mail and password, and waits for the home page. */
export async function signInAdmin(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/`);
  await page.getByTestId('login-form').waitFor();
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home').waitFor();
}
