/**
 * A pg-boss worker that keeps a window of jobs in flight and settles each one as it ends. pg-boss's
 * own `work` runs a fetched batch to its end before fetching again, so a batch waits for its
 * slowest job; for a queue whose jobs wait mostly on a network (publishing), that tail set the
 * throughput. Here a slot freed by one job is refilled as soon as half a fetch's worth is free,
 * and completions are written together (group commit), so a burst keeps the window full.
 *
 * The jobs are pg-boss's as before: fetched with `fetch` (which marks them active with their
 * expiry), completed with `complete` or failed with `fail` (then retried by the queue's policy),
 * each by its attempt, so a job that expired and was retried meanwhile is left alone.
 */
import type { Job, PgBoss } from 'pg-boss';
import { GroupCommit } from '../db/group-commit.ts';

export interface SlidingWorkerOptions {
  name: string;
  /** Jobs in flight at most. */
  window: number;
  /** Jobs asked for in one fetch at most. */
  fetchSize: number;
  /** How long an idle worker waits before looking again. */
  pollingMs: number;
  run: (job: Job<unknown>) => Promise<unknown>;
  onError: (job: Job<unknown>, error: unknown) => void;
  onLoopError: (error: unknown) => void;
}

export interface SlidingWorker {
  /** Stops fetching, waits for the jobs in flight (up to `timeoutMs`), writes their outcomes. */
  stop(timeoutMs: number): Promise<void>;
  readonly inFlight: number;
}

export function startSlidingWorker(boss: PgBoss, options: SlidingWorkerOptions): SlidingWorker {
  const { name, window, fetchSize, pollingMs } = options;
  let inFlight = 0;
  let stopping = false;
  let wake: (() => void) | undefined;
  const wakeUp = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const nap = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      wake = undefined;
      resolve();
    }, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

  const attemptOf = (job: Job<unknown>) => ({ id: job.id, retryCount: job.retryCount });
  const completions = new GroupCommit<Job<unknown>, void>(async (jobs) => {
    await boss.complete(name, jobs.map(attemptOf));
    return jobs.map(() => undefined);
  }, { maxBatch: 500, parallel: 1 });

  const start = (job: Job<unknown>) => {
    inFlight += 1;
    void options.run(job)
      .then(() => completions.run(job), async (error: unknown) => {
        options.onError(job, error);
        await boss.fail(name, attemptOf(job), { message: error instanceof Error ? error.message : String(error) });
      })
      .catch(options.onLoopError)
      .finally(() => {
        inFlight -= 1;
        wakeUp();
      });
  };

  // Refill when at least this many slots are free (or the window is empty): fewer, fuller fetches.
  const refillAt = Math.max(1, Math.min(window, Math.floor(fetchSize / 2)));
  const loop = (async () => {
    while (!stopping) {
      const room = window - inFlight;
      if (room < refillAt && inFlight > 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const asked = Math.min(room, fetchSize);
      let jobs: Job<unknown>[] = [];
      try {
        jobs = await boss.fetch<unknown>(name, { batchSize: asked });
      } catch (error) {
        options.onLoopError(error);
      }
      if (stopping) {
        // Fetched while stopping: let them run; the stop waits for them.
        for (const job of jobs) start(job);
        break;
      }
      for (const job of jobs) start(job);
      // A full answer means more may be waiting: ask again at once. Otherwise wait a little.
      if (jobs.length < asked) await nap(pollingMs);
    }
  })();

  return {
    get inFlight() {
      return inFlight;
    },
    async stop(timeoutMs) {
      stopping = true;
      wakeUp();
      await loop;
      const deadline = Date.now() + timeoutMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}
