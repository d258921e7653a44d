/**
 * The publishing jobs. `publish.target` runs one target (publish-target.ts); jobs are keyed by
 * target and due time, so sending the same one twice queues it once (pg-boss `exclusive` policy),
 * and a stale job (the post was moved or withdrawn) finds nothing to do. `publish.sweep` runs every
 * minute and re-queues what a crash or a lost send may have left behind: targets due but not
 * queued, and targets left "publishing" by a worker that vanished.
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { defineJob } from '../../jobs/define-job.ts';
import type { JobSender, Services } from '../../services.ts';
import { mediaFilesBase } from '../media/presenters.ts';
import { mediaStorageFor } from '../media/storage.ts';
import { connectorFor } from './connectors/index.ts';
import { publishTarget, STALE_ATTEMPT_MS, type EngineDeps } from './publish-target.ts';

export const PUBLISH_TARGET = 'publish.target';
export const PUBLISH_SWEEP = 'publish.sweep';

/** One target's job: keyed by target and due time (see the module comment); serta-merta first. */
function targetJob(targetId: string, at: Date, urgent: boolean, key = String(at.getTime())) {
  return { payload: { targetId }, startAfter: at, singletonKey: `${targetId}@${key}`, priority: urgent ? 10 : 0 };
}

export async function enqueueTarget(jobs: JobSender, targetId: string, at: Date, urgent: boolean, key?: string): Promise<void> {
  const job = targetJob(targetId, at, urgent, key);
  await jobs.send(PUBLISH_TARGET, job.payload, job);
}

/** Several targets' jobs in one statement where the queue can (a post's targets, the sweep). */
export async function enqueueTargets(jobs: JobSender, targets: readonly { id: string; at: Date; urgent: boolean; key?: string }[]): Promise<void> {
  const planned = targets.map((t) => targetJob(t.id, t.at, t.urgent, t.key));
  if (jobs.sendMany) {
    await jobs.sendMany(PUBLISH_TARGET, planned);
    return;
  }
  for (const job of planned) await jobs.send(PUBLISH_TARGET, job.payload, job);
}

/** Queues every target of a scheduled post that has not ended. Called when a post becomes scheduled or moves. */
export async function enqueuePost(services: Pick<Services, 'db' | 'jobs'>, postId: string): Promise<number> {
  if (!services.jobs) return 0;
  const rows = await services.db.selectFrom('post_targets').innerJoin('posts', 'posts.id', 'post_targets.post_id')
    .select(['post_targets.id', 'post_targets.next_attempt_at', 'posts.scheduled_at', 'posts.urgent'])
    .where('post_targets.post_id', '=', postId).where('posts.status', 'in', ['scheduled', 'publishing'])
    .where('post_targets.status', '=', 'pending').execute();
  await enqueueTargets(services.jobs, rows.map((row) => ({
    id: row.id, at: new Date(Math.max(row.scheduled_at?.getTime() ?? Date.now(), row.next_attempt_at?.getTime() ?? 0)), urgent: row.urgent,
  })));
  return rows.length;
}

export function engineDeps(services: Services): EngineDeps {
  return {
    db: services.db,
    keyring: services.keyring,
    storage: mediaStorageFor(services.config),
    filesBase: mediaFilesBase(services.config),
    connectorFor: services.connectors ?? connectorFor,
    callTimeoutMs: services.config.publishCallTimeoutSeconds * 1000,
    staleMs: services.config.publishStaleSeconds * 1000,
    requeue: async (targetId, at) => {
      if (!services.jobs) return;
      const urgent = await services.db.selectFrom('post_targets').innerJoin('posts', 'posts.id', 'post_targets.post_id').select('posts.urgent').where('post_targets.id', '=', targetId).executeTakeFirst();
      await enqueueTarget(services.jobs, targetId, at, urgent?.urgent ?? false);
    },
  };
}

export const publishTargetJob = defineJob({
  name: PUBLISH_TARGET,
  payload: z.strictObject({ targetId: z.uuid() }),
  policy: 'exclusive',
  // The handler is safe to run again (the claim decides); pg-boss retries only when it crashed.
  retry: { limit: 5, delaySeconds: 10, backoff: true },
  // Longer than the longest publish (a video upload); a worker that dies is covered by the sweep.
  expireInSeconds: 1200,
  // Targets in flight per worker, each settled as it ends: a burst keeps the window full while the
  // networks answer, and the engine's database work goes in batches (publish-target.ts).
  window: (config) => config.publishConcurrency,
  batchSize: (config) => config.publishBatchSize,
  // Due posts go out within about a second of their time.
  pollingIntervalSeconds: 0.5,
  async handle({ targetId }, { services }) {
    return publishTarget(engineDeps(services), targetId);
  },
});

/** Targets that should be queued or looked at now; reads posts_scheduled_idx and post_targets_status_idx. */
export async function sweep(db: Kysely<DB>, jobs: JobSender, now = new Date(), staleMs = STALE_ATTEMPT_MS): Promise<{ due: number; stale: number }> {
  const due = await sql<{ id: string; at: Date; urgent: boolean }>`
    select t.id, greatest(p.scheduled_at, coalesce(t.next_attempt_at, p.scheduled_at)) as at, p.urgent
    from post_targets t join posts p on p.id = t.post_id
    where t.status = 'pending' and p.status in ('scheduled', 'publishing')
      and greatest(p.scheduled_at, coalesce(t.next_attempt_at, p.scheduled_at)) <= ${new Date(now.getTime() + 60_000)}
    limit 5000`.execute(db);
  // A job held by a worker that died keeps its key until pg-boss expires it: a target overdue by
  // more than the stale time gets a key of its own for each stale period, so it cannot be blocked.
  const period = Math.floor(now.getTime() / staleMs);
  await enqueueTargets(jobs, due.rows.map((row) => {
    const at = new Date(row.at);
    const overdue = now.getTime() - at.getTime() > staleMs;
    return { id: row.id, at: overdue ? now : at, urgent: row.urgent, ...(overdue ? { key: `late${period}` } : {}) };
  }));
  const stale = await sql<{ id: string; urgent: boolean }>`
    select t.id, p.urgent from post_targets t join posts p on p.id = t.post_id
    where t.status = 'publishing' and (t.uncertain or t.attempt_started_at < ${new Date(now.getTime() - staleMs)})
    limit 5000`.execute(db);
  await enqueueTargets(jobs, stale.rows.map((row) => ({ id: row.id, at: now, urgent: row.urgent, key: `stale${period}` })));
  return { due: due.rows.length, stale: stale.rows.length };
}

export const publishSweepJob = defineJob({
  name: PUBLISH_SWEEP,
  payload: z.strictObject({}),
  retry: { limit: 1, delaySeconds: 30, backoff: false },
  expireInSeconds: 300,
  schedule: { cron: '* * * * *', data: {} },
  async handle(_payload, { services }) {
    if (!services.jobs) return { due: 0, stale: 0 };
    return sweep(services.db, services.jobs, new Date(), services.config.publishStaleSeconds * 1000);
  },
});
