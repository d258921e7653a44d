/**
 * Putting a post on the calendar: scheduling an approved post, taking it off the queue, and moving
 * it (drag on the calendar). A time is never in the past; moving an approved or scheduled post
 * re-checks the network rules, and the answer carries crowding warnings for its accounts.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import { crowdingAt, type CrowdingWarning } from '../calendar/crowding.ts';
import { loadPost, type PostAggregate } from './queries.ts';
import { assertFuture, parseScheduleTime, type Caller } from './save-post.ts';
import { nextStatus, type PostAction } from './state.ts';
import { assertPublishable } from './submit-post.ts';
import { transition } from './transition.ts';

export interface ScheduleOptions {
  postId: string;
  version?: number | undefined;
  scheduledAt: string;
  caller: Caller;
}

export interface Scheduled {
  aggregate: PostAggregate;
  crowding: CrowdingWarning[];
}

async function move(db: Kysely<DB>, options: ScheduleOptions, action: PostAction): Promise<Scheduled> {
  const now = options.caller.now ?? new Date();
  const aggregate = await loadPost(db, options.postId);
  if (!aggregate) throw new AppError('not_found');
  nextStatus(aggregate.post.status, action);
  const instant = parseScheduleTime(options.scheduledAt, aggregate.unit.timezone);
  assertFuture(instant, now);
  // An approved post must still pass the rules at its new time (a channel's limits may have changed).
  if (['approved', 'scheduled'].includes(aggregate.post.status)) await assertPublishable(db, aggregate, { acknowledgeSensitive: true });
  const updated = await transition(db, {
    postId: options.postId,
    action,
    version: options.version ?? aggregate.post.version,
    caller: options.caller,
    audit: { from: aggregate.post.scheduled_at?.toISOString() ?? null },
    apply: () => ({ scheduled_at: instant }),
  });
  return { aggregate: updated, crowding: await crowdingAt(db, instant, updated.targets.map((t) => t.channel_id)) };
}

export const schedulePost = (db: Kysely<DB>, options: ScheduleOptions): Promise<Scheduled> => move(db, options, 'schedule');
export const reschedulePost = (db: Kysely<DB>, options: ScheduleOptions): Promise<Scheduled> => move(db, options, 'reschedule');

export async function unschedulePost(db: Kysely<DB>, options: { postId: string; version?: number | undefined; caller: Caller }): Promise<PostAggregate> {
  return transition(db, { postId: options.postId, action: 'unschedule', version: options.version, caller: options.caller });
}

/** Withdraw (back to draft), cancel, or restore a cancelled post to draft. */
export async function changeStatus(db: Kysely<DB>, options: { postId: string; action: 'withdraw' | 'cancel' | 'restore'; version?: number | undefined; caller: Caller }): Promise<PostAggregate> {
  return transition(db, {
    postId: options.postId,
    action: options.action,
    version: options.version,
    caller: options.caller,
    apply: () => (options.action === 'cancel' ? {} : { approved_at: null, needs_post_review: false }),
  });
}
