/**
 * Approving a tier, asking for changes, and the after-the-fact review of serta-merta published
 * without an approver. Nobody decides on their own post; each tier is decided by an approver of its
 * unit (or above); one person approves at most one tier per round.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import { canApproveTier, canReviewAfter, canViewPost, type Actor } from '../access/policies.ts';
import { approversOn, notify } from '../notifications/notify.ts';
import { loadPost, type PostAggregate } from '../posts/queries.ts';
import type { Caller } from '../posts/save-post.ts';
import { nextStatus } from '../posts/state.ts';
import { transition } from '../posts/transition.ts';
import { unitPath } from '../units/queries.ts';
import { approvalState, decisionsOf } from './approval-state.ts';
import { policyFor, tiersFor } from './policy.ts';

export interface DecisionOptions {
  postId: string;
  version?: number | undefined;
  note?: string | undefined;
  caller: Caller;
}

/** The tier waiting for a decision, after checking the caller may take it. */
async function tierToDecide(db: Kysely<DB>, aggregate: PostAggregate, actor: Actor) {
  const policy = await policyFor(db, aggregate.post.unit_id);
  const decisions = await decisionsOf(db, aggregate.post.id);
  const state = approvalState(aggregate.post, policy, decisions);
  if (state.currentTier === null || state.currentTierUnitId === null) throw new AppError('conflict');
  if (aggregate.post.author_id === actor.userId) throw new AppError('post.self_approval');
  if (!canApproveTier(actor, aggregate.post.author_id, await unitPath(db, state.currentTierUnitId))) throw new AppError('post.not_your_tier');
  const already = decisions.some((d) => d.round === aggregate.post.review_round && d.decision === 'approved' && d.approver.id === actor.userId);
  return { policy, state, already };
}

async function loadVisible(db: Kysely<DB>, postId: string, actor: Actor): Promise<PostAggregate> {
  const aggregate = await loadPost(db, postId);
  if (!aggregate || !canViewPost(actor, await unitPath(db, aggregate.post.unit_id))) throw new AppError('not_found');
  return aggregate;
}

export async function approvePost(db: Kysely<DB>, options: DecisionOptions): Promise<PostAggregate> {
  const now = options.caller.now ?? new Date();
  const { actor } = options.caller;
  const aggregate = await loadVisible(db, options.postId, actor);
  nextStatus(aggregate.post.status, 'approve');
  const { policy, state, already } = await tierToDecide(db, aggregate, actor);
  if (already) throw new AppError('post.already_decided');
  const tier = state.currentTier!;
  const last = tier >= state.tiers;
  return transition(db, {
    postId: options.postId,
    action: 'approve',
    version: options.version ?? aggregate.post.version,
    caller: options.caller,
    audit: { tier, of: state.tiers, note: options.note ?? null },
    apply: async (trx, post) => {
      await trx.insertInto('post_approvals').values({ post_id: post.id, round: post.review_round, tier, approver_id: actor.userId, decision: 'approved', note: options.note ?? null }).execute();
      if (!last) return { status: 'in_review' };
      const queued = post.scheduled_at !== null && post.scheduled_at.getTime() > now.getTime();
      return { status: queued ? 'scheduled' : 'approved', approved_at: now };
    },
    after: async (trx, updated) => {
      if (last) {
        await notify(trx, [updated.post.author_id], { kind: 'approved', postId: updated.post.id, actorId: actor.userId, excerpt: updated.post.title });
        return;
      }
      const nextUnit = tiersFor(updated.post, policy)[tier];
      if (nextUnit) await notify(trx, await approversOn(trx, await unitPath(trx, nextUnit)), { kind: 'review_requested', postId: updated.post.id, actorId: actor.userId, excerpt: updated.post.title });
    },
  });
}

export async function requestChanges(db: Kysely<DB>, options: DecisionOptions & { note: string }): Promise<PostAggregate> {
  const { actor } = options.caller;
  const aggregate = await loadVisible(db, options.postId, actor);
  nextStatus(aggregate.post.status, 'request_changes');
  const { state } = await tierToDecide(db, aggregate, actor);
  const tier = state.currentTier!;
  return transition(db, {
    postId: options.postId,
    action: 'request_changes',
    version: options.version ?? aggregate.post.version,
    caller: options.caller,
    audit: { tier, note: options.note },
    apply: async (trx, post) => {
      await trx.insertInto('post_approvals').values({ post_id: post.id, round: post.review_round, tier, approver_id: actor.userId, decision: 'changes_requested', note: options.note }).execute();
    },
    after: async (trx, updated) => {
      await notify(trx, [updated.post.author_id], { kind: 'changes_requested', postId: updated.post.id, actorId: actor.userId, excerpt: options.note });
    },
  });
}

/** An approver confirms a serta-merta post that a designated role published without approval. */
export async function reviewAfter(db: Kysely<DB>, options: DecisionOptions): Promise<PostAggregate> {
  const { actor } = options.caller;
  const aggregate = await loadVisible(db, options.postId, actor);
  nextStatus(aggregate.post.status, 'review_after');
  if (!aggregate.post.needs_post_review) throw new AppError('conflict');
  if (aggregate.post.author_id === actor.userId) throw new AppError('post.self_approval');
  if (!canReviewAfter(actor, aggregate.post.author_id, await unitPath(db, aggregate.post.unit_id))) throw new AppError('forbidden');
  return transition(db, {
    postId: options.postId,
    action: 'review_after',
    version: options.version ?? aggregate.post.version,
    caller: options.caller,
    audit: { note: options.note ?? null },
    apply: async (trx, post) => {
      await trx.insertInto('post_approvals').values({ post_id: post.id, round: post.review_round, tier: 1, approver_id: actor.userId, decision: 'reviewed_after', note: options.note ?? null }).execute();
      return { needs_post_review: false };
    },
  });
}
