/**
 * The portal's article page under load (50 connections, autocannon): Siar with its render cache,
 * as requests/s and as a ratio of a bare node:http server answering the same bytes in the same
 * run — the same response, body and header lines (target ≥ 0.7); also against a bare server
 * sending the body with only a content type and length, which shows what Siar's security and
 * cache headers cost on their own; then Siar with the cache off, for reference. Both servers run the product's
 * Node flags on the same core; the two are measured alternately and the better of two rounds kept
 * for each, so a noisy moment does not pick the winner. Also: the home page's weight.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { cli, firstOk, launch, nodeFlags } from './foundation.bench.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

async function rps(url: string, seconds: number): Promise<{ rps: number; p99: number; non2xx: number; errors: number }> {
  const result = await autocannon({ url, connections: 50, duration: seconds });
  return { rps: Math.round(result.requests.average), p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

export async function benchPortal(options: { seconds?: number } = {}) {
  const seconds = options.seconds ?? 5;
  const port = 32_000 + (process.pid % 1000);
  const barePort = port + 1;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siar-bench-portal-'));
  const env = { SIAR_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', SIAR_SANDBOX: 'false' };
  const base = `http://127.0.0.1:${port}`;
  const out: Record<string, unknown> = { connections: 50, seconds, target: 'cached ÷ bare node:http ≥ 0.7' };

  let siar = launch([...nodeFlags, cli, 'start'], env);
  let bare: ReturnType<typeof launch> | undefined;
  let bareMinimal: ReturnType<typeof launch> | undefined;
  try {
    await firstOk(`${base}/readyz`);
    const home = await fetch(`${base}/`);
    const homeHtml = await home.text();
    const css = [...homeHtml.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map((m) => m[1]!);
    let cssBytes = 0;
    for (const href of css) cssBytes += (await (await fetch(new URL(href, base))).arrayBuffer()).byteLength;
    out.homePage = { htmlBytes: Buffer.byteLength(homeHtml), cssBytes, totalKb: Math.round((Buffer.byteLength(homeHtml) + cssBytes) / 102.4) / 10, targetKb: 100 };
    const slug = /href="\/berita\/([^"/?#]+)"/.exec(homeHtml)?.[1];
    if (!slug) throw new Error('no article on the demo home page');
    const articleUrl = `${base}/berita/${slug}`;
    const article = await fetch(articleUrl);
    const bytes = Buffer.from(await article.arrayBuffer());
    const file = path.join(dataDir, 'article.html');
    writeFileSync(file, bytes);
    const headersFile = path.join(dataDir, 'article-headers.json');
    writeFileSync(headersFile, JSON.stringify([...article.headers.entries()]));
    out.articleBytes = bytes.length;
    out.articleHeaderLines = [...article.headers.keys()].length;
    // Two baselines: the same response (body and header lines: "the same bytes"), and the body with
    // only a content type and length (what the headers themselves cost).
    bare = launch([...nodeFlags, path.join(here, 'static-server.ts'), String(barePort), file, headersFile, 'same']);
    bareMinimal = launch([...nodeFlags, path.join(here, 'static-server.ts'), String(barePort + 1), file, headersFile, 'minimal']);
    await firstOk(`http://127.0.0.1:${barePort}/`);
    await firstOk(`http://127.0.0.1:${barePort + 1}/`);

    // Warm each, then alternate rounds: same-response baseline, Siar, minimal baseline.
    const sameUrl = `http://127.0.0.1:${barePort}/`;
    const minimalUrl = `http://127.0.0.1:${barePort + 1}/`;
    for (const url of [articleUrl, sameUrl, minimalUrl]) await rps(url, 1);
    const bareRuns = [];
    const minimalRuns = [];
    const cachedRuns = [];
    for (let round = 0; round < 2; round += 1) {
      bareRuns.push(await rps(sameUrl, seconds));
      cachedRuns.push(await rps(articleUrl, seconds));
      minimalRuns.push(await rps(minimalUrl, seconds));
    }
    const best = <T extends { rps: number }>(runs: T[]) => runs.reduce((a, b) => (b.rps > a.rps ? b : a));
    const bareBest = best(bareRuns);
    const minimalBest = best(minimalRuns);
    const cachedBest = best(cachedRuns);
    out.bareNodeHttpSameResponse = bareBest;
    out.bareNodeHttpMinimalHeaders = minimalBest;
    out.cached = cachedBest;
    out.cachedRatio = Math.round((cachedBest.rps / bareBest.rps) * 100) / 100;
    out.cachedRatioToMinimalHeaders = Math.round((cachedBest.rps / minimalBest.rps) * 100) / 100;

    // Uncached: the same data folder, the cache switched off.
    await siar.stop();
    siar = launch([...nodeFlags, cli, 'start'], { ...env, SIAR_PORTAL_CACHE: 'off' });
    await firstOk(`${base}/readyz`);
    await rps(articleUrl, 1);
    const uncached = await rps(articleUrl, seconds);
    out.uncached = uncached;
    out.uncachedRatio = Math.round((uncached.rps / bareBest.rps) * 100) / 100;
    return out;
  } finally {
    await bare?.stop();
    await bareMinimal?.stop();
    await siar.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await benchPortal(), null, 2)}\n`);
}
