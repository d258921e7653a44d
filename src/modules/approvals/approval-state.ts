/** Where a post stands in its approval: tiers, the round, who decided what, which tier waits. */
import type { Kysely } from 'kysely';
import type { DB, PostRow } from '../../db/schema.ts';
import { tiersFor, type ApprovalPolicy } from './policy.ts';

export interface Decision {
  tier: number;
  round: number;
  decision: string;
  note: string | null;
  approver: { id: string; name: string };
  at: string;
}

export interface ApprovalState {
  tiers: number;
  round: number;
  approvedTiers: number;
  currentTier: number | null;
  currentTierUnitId: string | null;
  decisions: Decision[];
}

export async function decisionsOf(db: Kysely<DB>, postId: string): Promise<Decision[]> {
  const rows = await db.selectFrom('post_approvals').innerJoin('users', 'users.id', 'post_approvals.approver_id')
    .select(['post_approvals.tier', 'post_approvals.round', 'post_approvals.decision', 'post_approvals.note', 'post_approvals.created_at', 'users.id', 'users.name'])
    .where('post_approvals.post_id', '=', postId)
    .orderBy('post_approvals.created_at')
    .execute();
  return rows.map((r) => ({ tier: r.tier, round: r.round, decision: r.decision, note: r.note, approver: { id: r.id, name: r.name }, at: r.created_at.toISOString() }));
}

export function approvalState(post: Pick<PostRow, 'status' | 'review_round' | 'urgent'>, policy: ApprovalPolicy, decisions: Decision[]): ApprovalState {
  const tiers = tiersFor(post, policy);
  const approvedTiers = decisions.filter((d) => d.round === post.review_round && d.decision === 'approved').length;
  const waiting = post.status === 'in_review' && approvedTiers < tiers.length;
  return {
    tiers: tiers.length,
    round: post.review_round,
    approvedTiers,
    currentTier: waiting ? approvedTiers + 1 : null,
    currentTierUnitId: waiting ? (tiers[approvedTiers] ?? null) : null,
    decisions,
  };
}
