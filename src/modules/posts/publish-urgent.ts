/**
 * Serta-merta published without an approver: the unit's designated role sends it straight to the
 * front of the publishing queue (now), and approvers are told to review it after the fact.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import { canPublishUrgentDirectly } from '../access/policies.ts';
import { policyFor } from '../approvals/policy.ts';
import { approversOn, notify } from '../notifications/notify.ts';
import { unitPath } from '../units/queries.ts';
import { loadPost, type PostAggregate } from './queries.ts';
import type { Caller } from './save-post.ts';
import { nextStatus } from './state.ts';
import { assertPublishable } from './submit-post.ts';
import { transition } from './transition.ts';

export async function publishUrgentNow(db: Kysely<DB>, options: { postId: string; version?: number | undefined; acknowledgeSensitive?: boolean | undefined; caller: Caller }): Promise<PostAggregate> {
  const now = options.caller.now ?? new Date();
  const aggregate = await loadPost(db, options.postId);
  if (!aggregate) throw new AppError('not_found');
  nextStatus(aggregate.post.status, 'publish_now');
  if (!aggregate.post.urgent) throw new AppError('post.illegal_transition', { params: { action: 'publish_now', status: aggregate.post.status, allowed: 'submit' }, details: { reason: 'not_urgent' } });
  const path = await unitPath(db, aggregate.post.unit_id);
  const policy = await policyFor(db, aggregate.post.unit_id);
  if (!canPublishUrgentDirectly(options.caller.actor, path, policy.sertaMertaDirectRole)) throw new AppError('post.direct_publish_not_allowed');
  await assertPublishable(db, aggregate, options);
  return transition(db, {
    postId: options.postId,
    action: 'publish_now',
    version: options.version ?? aggregate.post.version,
    caller: options.caller,
    audit: { sertaMerta: true, withoutApproval: true },
    apply: (_trx, post) => ({
      scheduled_at: now, approved_at: now, submitted_at: now, needs_post_review: true, review_round: post.review_round + 1,
    }),
    after: async (trx, updated) => {
      await notify(trx, await approversOn(trx, path), { kind: 'published_without_approval', postId: updated.post.id, actorId: options.caller.actor.userId, excerpt: updated.post.title });
    },
  });
}
