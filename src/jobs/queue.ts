/**
 * pg-boss on Siar's own database: through node-postgres on a PostgreSQL server, through the
 * library's PGlite adapter on the embedded one. Web processes only send jobs; worker processes
 * (or one process with role `all`) run handlers, cron schedules and pg-boss's maintenance. Several
 * workers on one PostgreSQL share the queues; pg-boss's row locks hand each job to one of them.
 */
import { fromPglite, PgBoss } from 'pg-boss';
import type { Database } from '../db/database.ts';
import { AppError } from '../errors/errors.ts';
import type { JobToSend, Services } from '../services.ts';
import type { JobDefinition } from './define-job.ts';
import { startSlidingWorker, type SlidingWorker } from './sliding-worker.ts';

export interface JobQueue {
  send(name: string, payload: unknown, options?: { startAfter?: Date; singletonKey?: string; priority?: number; id?: string }): Promise<string | null>;
  sendMany(name: string, jobs: readonly JobToSend[]): Promise<void>;
  stop(): Promise<void>;
  readonly boss: PgBoss;
}

export interface StartJobsOptions {
  database: Database;
  services: Services;
  definitions: JobDefinition[];
  /** Run handlers, schedules and maintenance here. */
  work: boolean;
  log: (level: 'info' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

export async function startJobs({ database, services, definitions, work, log }: StartJobsOptions): Promise<JobQueue> {
  const boss = database.pglite
    ? new PgBoss({ db: fromPglite(database.pglite), backend: 'pglite', schedule: work, supervise: work })
    : new PgBoss({ connectionString: database.connectionString!, max: 4, schedule: work, supervise: work, application_name: 'siar-jobs' });
  boss.on('error', (error: unknown) => log('error', 'job queue error', { err: error instanceof Error ? error.message : String(error) }));
  await boss.start();

  const byName = new Map(definitions.map((d) => [d.name, d]));
  const sliding: SlidingWorker[] = [];
  for (const definition of definitions) {
    await boss.createQueue(definition.name, {
      ...(definition.policy ? { policy: definition.policy } : {}),
      retryLimit: definition.retry.limit,
      retryDelay: definition.retry.delaySeconds,
      retryBackoff: definition.retry.backoff,
      expireInSeconds: definition.expireInSeconds ?? 900,
    });
  }

  if (work) {
    for (const definition of definitions) {
      const batchSize = definition.batchSize?.(services.config) ?? 1;
      const localConcurrency = definition.concurrency?.(services.config) ?? 1;
      const polling = definition.pollingIntervalSeconds ? { pollingIntervalSeconds: definition.pollingIntervalSeconds } : {};
      const run = async (job: { id: string; data: unknown; signal: AbortSignal }) => {
        const payload = definition.payload.safeParse(job.data);
        if (!payload.success) {
          // send() validates too, so only a job written by something else lands here.
          log('error', 'job payload rejected', { job: definition.name, id: job.id, issues: payload.error.issues });
          throw new Error(`invalid payload for ${definition.name}`);
        }
        return definition.handle(payload.data, {
          services,
          signal: job.signal,
          log: (message, fields) => log('info', message, { job: definition.name, id: job.id, ...fields }),
        });
      };
      if (definition.window) {
        sliding.push(startSlidingWorker(boss, {
          name: definition.name,
          window: definition.window(services.config),
          fetchSize: batchSize,
          pollingMs: (definition.pollingIntervalSeconds ?? 2) * 1000,
          run,
          onError: (job, error) => log('error', 'job failed', { job: definition.name, id: job.id, err: error instanceof Error ? error.message : String(error) }),
          onLoopError: (error) => log('error', 'job worker error', { job: definition.name, err: error instanceof Error ? error.message : String(error) }),
        }));
      } else if (batchSize > 1) {
        // Side by side; each job completes or fails (and is retried) on its own.
        await boss.work(definition.name, { batchSize, localConcurrency, burstWhenBatchFull: true, perJobResults: true, ...polling }, async (batch) => Promise.all(batch.map(async (job) => {
          try {
            return { id: job.id, status: 'completed' as const, output: await run(job) };
          } catch (error) {
            log('error', 'job failed', { job: definition.name, id: job.id, err: error instanceof Error ? error.message : String(error) });
            return { id: job.id, status: 'failed' as const, output: { message: error instanceof Error ? error.message : String(error) } };
          }
        })));
      } else {
        await boss.work(definition.name, { batchSize: 1, localConcurrency, ...polling }, async ([job]) => (job ? run(job) : undefined));
      }
      if (definition.schedule) {
        await boss.schedule(definition.name, definition.schedule.cron, definition.schedule.data as object, { tz: definition.schedule.tz ?? 'Asia/Makassar' });
      }
    }
  }

  return {
    boss,
    async send(name, payload, options = {}) {
      const definition = byName.get(name);
      if (!definition) throw new Error(`unknown job ${name}`);
      const parsed = definition.payload.safeParse(payload);
      if (!parsed.success) throw new AppError('validation.invalid', { details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } });
      return boss.send(name, parsed.data as object, {
        ...(options.startAfter ? { startAfter: options.startAfter } : {}),
        ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
        ...(options.priority !== undefined ? { priority: options.priority } : {}),
        ...(options.id ? { id: options.id } : {}),
      });
    },
    async sendMany(name, jobs) {
      const definition = byName.get(name);
      if (!definition) throw new Error(`unknown job ${name}`);
      if (jobs.length === 0) return;
      const rows = jobs.map((job) => {
        const parsed = definition.payload.safeParse(job.payload);
        if (!parsed.success) throw new AppError('validation.invalid', { details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } });
        return {
          data: parsed.data as object,
          ...(job.startAfter ? { startAfter: job.startAfter } : {}),
          ...(job.singletonKey ? { singletonKey: job.singletonKey } : {}),
          ...(job.priority !== undefined ? { priority: job.priority } : {}),
        };
      });
      // One statement per thousand: the same rows send() writes, a duplicate key dropped the same way.
      for (let i = 0; i < rows.length; i += 1000) await boss.insert(name, rows.slice(i, i + 1000));
    },
    async stop() {
      // The jobs in flight finish and are settled before pg-boss lets go of its connections.
      await Promise.all(sliding.map((worker) => worker.stop(10_000)));
      await boss.stop({ graceful: true, timeout: 10_000, close: true });
    },
  };
}
