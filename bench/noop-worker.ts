/**
 * pg-boss's own throughput on this machine, for the publishing benchmark's ratio: a worker process
 * that starts pg-boss exactly as Siar does (src/jobs/queue.ts's startJobs: the same adapter, PGlite
 * through fromPglite on the embedded database and node-postgres on a server, the same pool size and
 * maintenance) and works `bench.noop`, a queue declared like `publish.target` (same policy, retry,
 * expiry, batch size, local concurrency and polling interval, from the same definition) whose
 * handler returns at once. What is left between the two figures is Siar's own work per target.
 *
 * Run as `node bench/noop-worker.ts` with Siar's environment (DATABASE_URL or SIAR_DATA_DIR,
 * SIAR_PUBLISH_CONCURRENCY…). It prints `ready`, then `handled <n>` as jobs are handled, and
 * stops gracefully on SIGTERM.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadConfig } from '../src/config/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { defineJob } from '../src/jobs/define-job.ts';
import { startJobs } from '../src/jobs/queue.ts';
import { publishTargetJob } from '../src/modules/publishing/jobs.ts';
import type { Services } from '../src/services.ts';

export const NOOP_JOB = 'bench.noop';

let handled = 0;

/** `publish.target`'s declaration with another name and a handler that does nothing. */
export const noopJob = defineJob({
  ...publishTargetJob,
  name: NOOP_JOB,
  payload: z.strictObject({ targetId: z.uuid() }),
  async handle() {
    handled += 1;
    return null;
  },
});

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, sharedBuffers: config.embeddedSharedBuffers });
  // Only what startJobs reads: the configuration (for the concurrency) and the database.
  const services = { config, database, db: database.db, jobs: null } as unknown as Services;
  const queue = await startJobs({
    database,
    services,
    definitions: [noopJob],
    work: true,
    log: (level, message, fields) => {
      if (level === 'error') process.stderr.write(`${message} ${JSON.stringify(fields ?? {})}\n`);
    },
  });
  process.stdout.write('ready\n');
  let reported = 0;
  const timer = setInterval(() => {
    if (handled === reported) return;
    reported = handled;
    process.stdout.write(`handled ${handled}\n`);
  }, 100);
  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    void (async () => {
      await queue.stop();
      await database.close();
      process.stdout.write(`handled ${handled}\nstopped\n`);
      process.exit(0);
    })();
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
