/**
 * A background job declares itself in one place: its queue name, the schema of its payload, how it
 * retries, an optional cron schedule (in WITA unless said otherwise), and its handler.
 */
import type { z } from 'zod';
import type { Config } from '../config/config.ts';
import type { Services } from '../services.ts';

export interface JobContext {
  services: Services;
  log: (message: string, fields?: Record<string, unknown>) => void;
  signal: AbortSignal;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  payload: S;
  retry: { limit: number; delaySeconds: number; backoff: boolean };
  /** Seconds a run may take before it is considered lost. */
  expireInSeconds?: number;
  /** How often an idle worker looks for due jobs, in seconds (pg-boss default 2; at least 0.5). */
  pollingIntervalSeconds?: number;
  /** How many fetch loops of this queue one worker process runs (default 1). */
  concurrency?: (config: Config) => number;
  /**
   * Jobs one loop fetches at once and runs side by side (default 1). Above 1 a loop fetches again
   * at once while its fetches come back full, instead of waiting for the polling interval: a queue
   * with a backlog is worked as fast as the handlers go. Each job succeeds or fails on its own.
   */
  batchSize?: (config: Config) => number;
  /**
   * Keep this many jobs in flight per worker process and settle each as it ends
   * (sliding-worker.ts), fetching up to `batchSize` at once; instead of `concurrency` loops that
   * each run a fetched batch to its end. For queues whose jobs wait mostly on a network.
   */
  window?: (config: Config) => number;
  /** pg-boss queue policy; `exclusive` keeps at most one queued-or-running job per singletonKey. */
  policy?: 'standard' | 'exclusive';
  schedule?: { cron: string; tz?: string; data: z.input<S> };
  handle: (payload: z.output<S>, context: JobContext) => Promise<unknown>;
}

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}
