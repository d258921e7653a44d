import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { z } from 'zod';
import { createBackend, migratedTemplate, postgresSkipReason, type BackendName, type TestBackend } from '../../test/backends.ts';
import { loadConfig } from '../config/config.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { AuthResolver } from '../modules/auth/auth-context.ts';
import { loadKeyring } from '../modules/publishing/keyring.ts';
import type { Services } from '../services.ts';
import { defineJob } from './define-job.ts';
import { startJobs, type JobQueue } from './queue.ts';

const pgSkip = await postgresSkipReason();

async function open(backend: TestBackend): Promise<Database> {
  return openDatabase({ databaseUrl: backend.databaseUrl, dataDir: 'memory://', loadDataDir: backend.template });
}

function servicesFor(database: Database): Services {
  const config = loadConfig({ env: {}, overrides: { dataDir: 'memory://', logLevel: 'silent' } });
  return { config, database, db: database.db, auth: new AuthResolver(database.db, 1), keyring: loadKeyring(config), jobs: null };
}

function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() - start > timeoutMs) reject(new Error('timed out waiting for jobs'));
      else setTimeout(tick, 50);
    };
    tick();
  });
}

const silent = () => undefined;

for (const name of ['pglite', 'postgres'] as BackendName[]) {
  describe(`background jobs on pg-boss (${name})`, { skip: name === 'postgres' ? pgSkip : false }, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    test('a job is validated, run once, and retried after a failure', async () => {
      const backend = await createBackend(name);
      const database = await open(backend);
      cleanups.push(async () => {
        await database.close();
        await backend.drop();
      });
      const seen: { n: number; attempt: number }[] = [];
      let failOnce = true;
      const echo = defineJob({
        name: 'test.echo',
        payload: z.strictObject({ n: z.number().int() }),
        retry: { limit: 2, delaySeconds: 1, backoff: false },
        async handle(payload) {
          if (payload.n === 2 && failOnce) {
            failOnce = false;
            throw new Error('transient');
          }
          seen.push({ n: payload.n, attempt: seen.length });
        },
      });
      const queue = await startJobs({ database, services: servicesFor(database), definitions: [echo], work: true, log: silent });
      cleanups.push(() => queue.stop());
      await assert.rejects(queue.send('test.echo', { n: 'one' }), (e: Error & { code?: string }) => e.code === 'validation.invalid');
      await queue.send('test.echo', { n: 1 });
      await queue.send('test.echo', { n: 2 });
      await until(() => seen.length === 2);
      assert.deepEqual(seen.map((s) => s.n).sort(), [1, 2]);
      assert.equal(failOnce, false, 'the failing job ran twice: once failing, once succeeding');
    });

    test('a windowed queue keeps at most its window in flight, refills as jobs end, retries a failure, and stops after the jobs in flight', async () => {
      const backend = await createBackend(name);
      const database = await open(backend);
      cleanups.push(async () => {
        await database.close();
        await backend.drop();
      });
      let running = 0;
      let most = 0;
      const done = new Set<number>();
      let failed = false;
      const releases: (() => void)[] = [];
      const windowed = defineJob({
        name: 'test.window',
        payload: z.strictObject({ n: z.number().int() }),
        retry: { limit: 2, delaySeconds: 1, backoff: false },
        pollingIntervalSeconds: 0.5,
        window: () => 4,
        batchSize: () => 4,
        async handle({ n }) {
          running += 1;
          most = Math.max(most, running);
          try {
            if (n === 7 && !failed) {
              failed = true;
              throw new Error('transient');
            }
            // Job 0 is slow: the others must not wait for it to end (no batch runs to its end).
            if (n === 0) await new Promise<void>((resolve) => releases.push(resolve));
            else await new Promise((resolve) => setTimeout(resolve, 10));
            done.add(n);
          } finally {
            running -= 1;
          }
        },
      });
      const queue = await startJobs({ database, services: servicesFor(database), definitions: [windowed], work: true, log: silent });
      let stopped = false;
      cleanups.push(async () => {
        if (!stopped) await queue.stop();
      });
      await queue.sendMany('test.window', Array.from({ length: 20 }, (_, n) => ({ payload: { n } })));
      await until(() => done.size === 19);
      assert.ok(!done.has(0), 'the slow job is still running while the 19 others ended');
      assert.ok(most <= 4, `at most the window in flight (saw ${most})`);
      assert.ok(failed && done.has(7), 'the failed job ran again and ended');
      // Stopping waits for the job in flight, which is then completed, not left active.
      const stopping = queue.stop();
      setTimeout(() => releases.forEach((release) => release()), 200);
      await stopping;
      stopped = true;
      assert.ok(done.has(0));
      const states = (await sql<{ state: string }>`select state::text as state from pgboss.job where name = 'test.window'`.execute(database.db)).rows;
      assert.equal(states.length, 20);
      assert.ok(states.every((row) => row.state === 'completed'), `every job completed: ${JSON.stringify(states)}`);
    });

    if (name === 'postgres') {
      test('several worker processes share one queue and each job runs once', async () => {
        const backend = await createBackend(name);
        const databases = [await open(backend), await open(backend)];
        cleanups.push(async () => {
          for (const d of databases) await d.close();
          await backend.drop();
        });
        const ranBy = new Map<number, number[]>();
        const queues: JobQueue[] = [];
        for (const [index, database] of databases.entries()) {
          const job = defineJob({
            name: 'test.share',
            payload: z.strictObject({ n: z.number() }),
            retry: { limit: 0, delaySeconds: 1, backoff: false },
            async handle({ n }) {
              ranBy.set(n, [...(ranBy.get(n) ?? []), index]);
              await new Promise((r) => setTimeout(r, 20));
            },
          });
          queues.push(await startJobs({ database, services: servicesFor(database), definitions: [job], work: true, log: silent }));
        }
        cleanups.push(async () => {
          for (const q of queues) await q.stop();
        });
        for (let n = 0; n < 12; n += 1) await queues[0]!.send('test.share', { n });
        await until(() => ranBy.size === 12, 60_000);
        assert.ok([...ranBy.values()].every((workers) => workers.length === 1), 'a job ran twice');
        const workersUsed = new Set([...ranBy.values()].flat());
        assert.equal(workersUsed.size, 2, 'both workers took jobs');
      });
    }
  });
}

test('the template helper gives a migrated embedded database', async () => {
  const database = await openDatabase({ dataDir: 'memory://', loadDataDir: await migratedTemplate() });
  const rows = await database.db.selectFrom('siar_migrations').select('name').execute();
  assert.ok(rows.some((r) => r.name === '0001_foundation'));
  await database.close();
});
