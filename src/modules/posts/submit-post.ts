/**
 * Sending a post to review. It must have at least one network, break no network rule (errors block,
 * warnings do not), have had flagged wording looked at again, and — for serta-merta — state the
 * required structure; a post linked to a regulation needs that regulation's purpose and reasons
 * explained. A unit with no approval tiers approves on submission.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import { approversOn, notify } from '../notifications/notify.ts';
import { policyFor, tiersFor } from '../approvals/policy.ts';
import { assertRegulationsExplained } from '../regulasi/explanation.ts';
import { unitPath } from '../units/queries.ts';
import { blockingIssueCount, checkVariants, hintsFor } from './draft.ts';
import { loadPost, masterOf, sensitiveTermsFor, targetChannel, type PostAggregate } from './queries.ts';
import type { Caller } from './save-post.ts';
import { nextStatus } from './state.ts';
import { transition } from './transition.ts';

export const SERTA_MERTA_FIELDS = ['what', 'areas', 'actions', 'help', 'contact'] as const;

export function assertSertaMertaComplete(post: PostAggregate['post']): void {
  const value = (post.serta_merta ?? {}) as Record<string, unknown>;
  const missing = SERTA_MERTA_FIELDS.filter((field) => typeof value[field] !== 'string' || (value[field] as string).trim() === '');
  if (missing.length > 0) {
    throw new AppError('post.serta_merta_incomplete', { details: { issues: missing.map((field) => ({ path: `sertaMerta.${field}`, message: 'wajib diisi (required)' })) } });
  }
}

/** The rules every post must pass before review or publication; returns the checks. */
export async function assertPublishable(db: Kysely<DB>, aggregate: PostAggregate, options: { acknowledgeSensitive?: boolean | undefined }) {
  if (aggregate.variants.length === 0) throw new AppError('post.no_networks');
  if (aggregate.post.urgent) assertSertaMertaComplete(aggregate.post);
  await assertRegulationsExplained(db, aggregate.post.id);
  const checks = checkVariants(aggregate.variants, aggregate.media, aggregate.targets.map((t) => targetChannel(t.channel)));
  const blocking = blockingIssueCount(checks);
  if (blocking > 0) throw new AppError('post.rules_failed', { params: { count: blocking }, details: { checks: checks.filter((c) => !c.ok) } });
  const hints = hintsFor(masterOf(aggregate), await sensitiveTermsFor(db, await unitPath(db, aggregate.post.unit_id)));
  const flagged = hints.filter((h) => h.severity === 'second_look');
  if (flagged.length > 0 && !options.acknowledgeSensitive) throw new AppError('post.needs_second_look', { details: { hints: flagged } });
  return checks;
}

export interface SubmitOptions {
  postId: string;
  version?: number | undefined;
  acknowledgeSensitive?: boolean | undefined;
  caller: Caller;
}

export async function submitPost(db: Kysely<DB>, options: SubmitOptions): Promise<PostAggregate> {
  const now = options.caller.now ?? new Date();
  const aggregate = await loadPost(db, options.postId);
  if (!aggregate) throw new AppError('not_found');
  nextStatus(aggregate.post.status, 'submit');
  await assertPublishable(db, aggregate, options);
  const policy = await policyFor(db, aggregate.post.unit_id);
  const tiers = tiersFor(aggregate.post, policy);
  return transition(db, {
    postId: options.postId,
    action: 'submit',
    // What was checked is what gets submitted: a change in between answers 409.
    version: options.version ?? aggregate.post.version,
    caller: options.caller,
    audit: { tiers: tiers.length, acknowledgedSensitive: options.acknowledgeSensitive === true },
    apply: (_trx, post) => {
      const base = { review_round: post.review_round + 1, submitted_at: now };
      if (tiers.length > 0) return { ...base, approved_at: null };
      const queued = post.scheduled_at !== null && post.scheduled_at.getTime() > now.getTime();
      return { ...base, approved_at: now, status: queued ? 'scheduled' : 'approved' };
    },
    after: async (trx, updated) => {
      if (tiers.length === 0) return;
      const path = await unitPath(trx, tiers[0]!);
      await notify(trx, await approversOn(trx, path), { kind: 'review_requested', postId: updated.post.id, actorId: options.caller.actor.userId, excerpt: updated.post.title });
    },
  });
}
