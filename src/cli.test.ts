/**
 * The `siar` command as an operator uses it, run as a real process: start (first administrator
 * printed once, demo or clean install, separate web and worker roles), accounts, audit
 * verification, backup and restore.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createBackend, postgresSkipReason } from '../test/backends.ts';
import { childEnv } from '../test/settings.ts';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');
const pgSkip = await postgresSkipReason();

function siar(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: childEnv({ LOG_LEVEL: 'warn', ...env }), timeout: 120_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

interface Running {
  output: () => string;
  stop: () => Promise<void>;
}

function startProcess(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [cli, 'start', ...args], { env: childEnv({ LOG_LEVEL: 'warn', ...env }) });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return {
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Waits for the URL to answer 200 and the start banner to be printed. */
async function waitFor(url: string, running: Running, timeoutMs = 90_000): Promise<Response> {
  const start = Date.now();
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok && running.output().includes('Siar berjalan')) return response;
    } catch {
      // not up yet
    }
    if (Date.now() - start > timeoutMs) throw new Error(`${url} never answered; output:\n${running.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const port = (n: number) => String(20_000 + (process.pid % 5_000) + n);

describe('siar start', () => {
  const running: Running[] = [];
  after(async () => {
    for (const r of running) await r.stop();
  });

  test('a first start with demo data prints the URL and a one-time administrator password', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'siar-cli-start-'));
    const proc = startProcess(['--port', port(1)], { SIAR_DATA_DIR: dataDir });
    running.push(proc);
    await waitFor(`http://127.0.0.1:${port(1)}/readyz`, proc);
    const out = proc.output();
    assert.match(out, new RegExp(`http://localhost:${port(1)}/admin/`));
    const password = /Kata sandi sekali pakai:\s+(\S+)/.exec(out)?.[1];
    assert.ok(password, out);
    const login = await fetch(`http://127.0.0.1:${port(1)}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@siar.local', password }),
    });
    assert.equal(login.status, 200);
    assert.equal(((await login.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword, true);
    assert.match(out, /editor\.diskominfo@demo\.siar\.id/);
    await proc.stop();

    // A second start prints no password again.
    const again = startProcess(['--port', port(1)], { SIAR_DATA_DIR: dataDir });
    running.push(again);
    await waitFor(`http://127.0.0.1:${port(1)}/healthz`, again);
    assert.doesNotMatch(again.output(), /Kata sandi sekali pakai/);
    await again.stop();
  });

  test('--no-demo starts a clean install with only the top unit', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'siar-cli-clean-'));
    const proc = startProcess(['--port', port(2), '--no-demo', '--data-dir', dataDir], {});
    running.push(proc);
    await waitFor(`http://127.0.0.1:${port(2)}/healthz`, proc);
    assert.match(proc.output(), /Administrator pertama dibuat/);
    assert.doesNotMatch(proc.output(), /demo\.siar\.id/);
    await proc.stop();
  });

  test('web and worker processes run separately on one PostgreSQL server', { skip: pgSkip }, async () => {
    const backend = await createBackend('postgres');
    try {
      const env = { DATABASE_URL: backend.databaseUrl! };
      const worker = startProcess(['--role', 'worker'], env);
      running.push(worker);
      const web = startProcess(['--role', 'web', '--port', port(3)], env);
      running.push(web);
      await waitFor(`http://127.0.0.1:${port(3)}/readyz`, web);
      const metrics = await (await fetch(`http://127.0.0.1:${port(3)}/metrics`)).text();
      assert.match(metrics, /siar_http_requests_total/);
      await web.stop();
      await worker.stop();
      const both = worker.output() + web.output();
      assert.doesNotMatch(both, /"level":50|Galat/);
      // Started together on an empty database, they set it up once between them.
      assert.equal(both.match(/Kata sandi sekali pakai:/g)?.length, 1, both);
    } finally {
      await backend.drop();
    }
  });

  test('a configuration mistake is reported with every problem and a non-zero exit', () => {
    const result = siar(['start', '--port', 'lima'], { SIAR_ROLE: 'bos' });
    assert.equal(result.code, 1);
    assert.match(result.err, /port \(PORT\)/);
    assert.match(result.err, /role \(SIAR_ROLE\)/);
  });
});

describe('siar operator commands', () => {
  test('create and reset accounts, verify the audit chain, back up and restore into a new folder', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'siar-cli-ops-'));
    const env = { SIAR_DATA_DIR: dataDir };
    assert.equal(siar(['migrate'], env).code, 0);
    const seeded = siar(['seed-demo'], env);
    assert.equal(seeded.code, 0, seeded.err);
    assert.match(seeded.out, /Unit dibuat: 18/);

    const created = siar(['user', 'create', '--email', 'rahmat@bontangkota.go.id', '--name', 'Rahmat Hidayat', '--unit', 'kota-bontang', '--role', 'editor'], env);
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /Kata sandi sekali pakai: \S{19}/);
    const duplicate = siar(['user', 'create', '--email', 'RAHMAT@bontangkota.go.id', '--name', 'Rahmat', '--unit', 'kota-bontang'], env);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.err, /user\.email_taken/);
    const reset = siar(['user', 'reset-password', '--email', 'rahmat@bontangkota.go.id'], env);
    assert.equal(reset.code, 0, reset.err);
    const missingUnit = siar(['user', 'create', '--email', 'x@y.id', '--name', 'Xy', '--unit', 'kota-atlantis'], env);
    assert.equal(missingUnit.code, 1);

    const verified = siar(['audit', 'verify'], env);
    assert.equal(verified.code, 0);
    assert.match(verified.out, /Rantai audit utuh: \d+ entri/);

    const file = path.join(dataDir, '..', `siar-${process.pid}.backup.gz`);
    const backup = siar(['backup', file], env);
    assert.equal(backup.code, 0, backup.err);
    const other = mkdtempSync(path.join(tmpdir(), 'siar-cli-restore-'));
    const restored = siar(['restore', file], { SIAR_DATA_DIR: other });
    assert.equal(restored.code, 0, restored.err);
    assert.match(restored.out, /Rantai audit: utuh/);
    const refused = siar(['restore', file], { SIAR_DATA_DIR: other });
    assert.equal(refused.code, 1);
    assert.match(refused.err, /backup\.not_empty/);
  });
});
