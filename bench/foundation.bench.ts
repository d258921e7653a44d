/**
 * Foundation benchmarks, run as an operator would: `siar start` in its own process.
 * - cold start to the first 200 on /healthz, on an existing embedded data folder (and the very first
 *   start, which also initialises the database and loads demo data), and idle memory (RSS);
 * - authenticated GET /api/v1/me at 50 connections, as a ratio of a bare Fastify hello route
 *   measured in the same run on the same machine: both warmed up, then five alternating rounds;
 *   the median round's ratio is reported.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cli = path.join(root, 'src', 'cli.ts');

/** The Node flags `npm start` runs Siar with (package.json's `siar` script), so the figures are the product's. */
export const nodeFlags = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.siar!
  .split(/\s+/).filter((word) => word.startsWith('--'));

interface Started {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

// On a machine with taskset, servers run on the last core and the load generator (this process)
// on the first, so the two never take turns on one core and the figures are steadier.
const cores = os.cpus().length;
const pinned = cores >= 2 && spawnSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' }).status === 0;

export function launch(args: string[], env: Record<string, string> = {}): Started {
  const [command, argv] = pinned ? ['taskset', ['-c', String(cores - 1), process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // Keep the start-up output (banner, errors); request logs under load are drained, not kept.
  let output = '';
  const keep = (d: Buffer) => {
    if (output.length < 64 * 1024) output += d.toString();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return {
    child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function firstOk(url: string, timeoutMs = 120_000): Promise<number> {
  const start = performance.now();
  for (;;) {
    try {
      if ((await fetch(url)).ok) return performance.now() - start;
    } catch {
      // not listening yet
    }
    if (performance.now() - start > timeoutMs) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<{ rps: number; p99: number; errors: number; non2xx: number }> {
  const result = await autocannon({ url, connections: 50, duration: seconds, headers });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

export async function benchFoundation(options: { seconds?: number; env?: Record<string, string> } = {}): Promise<Record<string, number | string>> {
  const seconds = options.seconds ?? 4;
  const port = 31_000 + (process.pid % 1000);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siar-bench-'));
  const env = { SIAR_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', ...(options.env ?? {}) };
  const out: Record<string, number | string> = {};

  // 1. First start: initialises the data folder, migrates, loads demo data.
  let siar = launch([...nodeFlags, cli, 'start'], env);
  out.firstStartMs = Math.round(await firstOk(`http://127.0.0.1:${port}/healthz`));
  // The banner with the one-time password comes once the job queue is up too.
  while (!siar.output().includes('Siar berjalan')) await new Promise((r) => setTimeout(r, 50));
  const password = /Kata sandi sekali pakai:\s+(\S+)/.exec(siar.output())?.[1];
  if (!password) throw new Error(`no first-admin password printed:\n${siar.output()}`);
  await siar.stop();

  // 2. Cold start on the existing folder (the usual restart), three times; the median counts.
  const starts: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    siar = launch([...nodeFlags, cli, 'start'], env);
    starts.push(await firstOk(`http://127.0.0.1:${port}/healthz`));
    if (i < 2) await siar.stop();
  }
  out.coldStartMs = Math.round(starts.sort((a, b) => a - b)[1]!);
  out.coldStartTargetMs = 3000;

  // 3. Idle memory after the start settles.
  await new Promise((r) => setTimeout(r, 5000));
  out.idleRssMb = Math.round(rssMb(siar.child.pid!));
  out.idleRssTargetMb = 250;

  // 4. Authenticated /me under load: sign in, change the one-time password, keep the cookie.
  const base = `http://127.0.0.1:${port}/api/v1`;
  const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@siar.local', password }) });
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  const changed = await fetch(`${base}/auth/change-password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookies, 'x-csrf-token': csrf },
    body: JSON.stringify({ currentPassword: password, newPassword: 'bench-kopi-pagi-di-tepian-mahakam-7' }),
  });
  if (changed.status !== 204) throw new Error(`password change failed: ${changed.status}`);
  // Siar's network sandbox takes the next eleven ports (it is on with the demo, as in `npm start`).
  const helloPort = port + 20;
  const hello = launch([path.join(root, 'bench', 'hello-server.ts'), String(helloPort)]);
  await firstOk(`http://127.0.0.1:${helloPort}/hello`);
  // Both servers run side by side and are measured in alternating rounds, so a change in the
  // machine's speed during the run (these machines are shared) hits both alike.
  const meUrl = `${base}/me`;
  const helloUrl = `http://127.0.0.1:${helloPort}/hello`;
  await load(meUrl, { cookie: cookies }, 3);
  await load(helloUrl, {}, 3);
  const rounds: { me: Awaited<ReturnType<typeof load>>; hello: Awaited<ReturnType<typeof load>> }[] = [];
  for (let round = 0; round < 5; round += 1) {
    rounds.push({ me: await load(meUrl, { cookie: cookies }, seconds), hello: await load(helloUrl, {}, seconds) });
  }
  await hello.stop();
  await siar.stop();

  const ratios = rounds.map((r) => r.me.rps / r.hello.rps).sort((a, b) => a - b);
  out.meRps = Math.round(rounds.reduce((sum, r) => sum + r.me.rps, 0) / rounds.length);
  out.meP99Ms = Math.max(...rounds.map((r) => r.me.p99));
  out.meNon2xx = rounds.reduce((sum, r) => sum + r.me.non2xx + r.me.errors, 0);
  out.helloRps = Math.round(rounds.reduce((sum, r) => sum + r.hello.rps, 0) / rounds.length);
  out.meToHelloRatio = Number(ratios[Math.floor(ratios.length / 2)]!.toFixed(3));
  out.meToHelloRatioRounds = ratios.map((r) => r.toFixed(3)).join(' ');
  out.meToHelloTarget = 0.5;
  out.pinnedCores = pinned ? `servers on core ${cores - 1}, load generator on core 0` : 'not pinned';
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const env = Object.fromEntries(process.argv.slice(2).filter((a) => a.includes('=')).map((a) => a.split('=', 2) as [string, string]));
  process.stdout.write(`${JSON.stringify(await benchFoundation({ env }), null, 2)}\n`);
}
