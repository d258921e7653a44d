/**
 * Claiming targets for publishing, a batch at a time (see group-commit.ts): in one transaction,
 * each target must still be due and not ended, and its attempt is recorded as started *before*
 * anything is sent. A target already "publishing" from a worker that vanished, or whose last
 * attempt ended uncertain, is claimed for a lookup rather than a send. What the send needs (the
 * channel, the variant) is read in the same transaction, for the whole batch.
 */
import { sql, type Kysely } from 'kysely';
import type { ChannelRow, DB, PostTargetRow, PostVariantRow } from '../../db/schema.ts';

export interface ClaimRequest {
  targetId: string;
  now: Date;
  worker: string;
  /** A "publishing" target older than this, with no outcome, is taken over. */
  staleMs: number;
}

export interface Claimed {
  target: PostTargetRow;
  channel: ChannelRow;
  variant: PostVariantRow | undefined;
  attemptId: string;
  attempt: number;
  firstAttemptAt: Date;
  /** The last attempt may have reached the network. */
  verify: boolean;
}

export type ClaimAnswer = Claimed | { skip: string } | { wait: Date; why: string };

/** PostgreSQL broke a deadlock or a serialisation conflict: the batch may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);

export async function claimTargets(db: Kysely<DB>, requests: readonly ClaimRequest[]): Promise<ClaimAnswer[]> {
  for (let round = 1; ; round += 1) {
    try {
      return await claimOnce(db, requests);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (round >= 3 || !code || !RETRYABLE.has(code)) throw error;
    }
  }
}

async function claimOnce(db: Kysely<DB>, requests: readonly ClaimRequest[]): Promise<ClaimAnswer[]> {
  const ids = [...new Set(requests.map((r) => r.targetId))].sort();
  const answers = await db.transaction().execute(async (trx) => {
    // Locked in id order, so two workers claiming overlapping batches wait rather than deadlock.
    const targets = new Map((await trx.selectFrom('post_targets').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute()).map((t) => [t.id, t]));
    // Shared: the targets of one post are claimed side by side, while a withdrawal or a move (which
    // locks the post for update) waits for them, or they for it.
    const postIds = [...new Set([...targets.values()].map((t) => t.post_id))].sort();
    const posts = new Map(postIds.length === 0 ? [] : (await trx.selectFrom('posts').select(['id', 'status', 'scheduled_at']).where('id', 'in', postIds).orderBy('id').forShare().execute()).map((p) => [p.id, p]));

    const taken = new Set<string>();
    const decided: (ClaimAnswer | { claim: { target: PostTargetRow; attempt: number; firstAttemptAt: Date; verify: boolean; now: Date; worker: string } })[] = requests.map((request) => {
      const { now } = request;
      const target = targets.get(request.targetId);
      if (!target) return { skip: 'target gone' };
      if (target.status === 'published' || target.status === 'failed' || target.status === 'cancelled') return { skip: `target ${target.status}` };
      const post = posts.get(target.post_id);
      if (!post || (post.status !== 'scheduled' && post.status !== 'publishing')) return { skip: `post ${post?.status ?? 'gone'}` };
      const due = new Date(Math.max(post.scheduled_at?.getTime() ?? now.getTime(), target.next_attempt_at?.getTime() ?? 0));
      if (due.getTime() > now.getTime() + 1000) return { wait: due, why: 'not due' };
      // The same target twice in one batch: the second finds the first on it.
      if (taken.has(target.id)) return { wait: new Date(now.getTime() + request.staleMs), why: 'another worker is on it' };
      const inFlight = target.status === 'publishing' && !target.uncertain && (target.attempt_started_at?.getTime() ?? 0) > now.getTime() - request.staleMs;
      if (inFlight) return { wait: new Date((target.attempt_started_at?.getTime() ?? now.getTime()) + request.staleMs), why: 'another worker is on it' };
      taken.add(target.id);
      // A run after an uncertain outcome is an attempt of its own that starts by looking: connectors
      // take `attempt > 1` as "an earlier try may have reached the network, look before sending".
      return { claim: { target, attempt: target.attempts + 1, firstAttemptAt: target.first_attempt_at ?? now, verify: target.status === 'publishing' || target.uncertain, now, worker: request.worker } };
    });

    const claims = decided.flatMap((d) => ('claim' in d ? [d.claim] : []));
    if (claims.length === 0) return decided as ClaimAnswer[];
    await sql`
      update post_targets t set status = 'publishing', attempts = v.attempts, attempt_started_at = v.started,
        first_attempt_at = v.first, updated_at = v.started
      from unnest(${claims.map((c) => c.target.id)}::uuid[], ${claims.map((c) => c.attempt)}::int[],
                  ${claims.map((c) => c.now.toISOString())}::timestamptz[], ${claims.map((c) => c.firstAttemptAt.toISOString())}::timestamptz[]) as v(id, attempts, started, first)
      where t.id = v.id`.execute(trx);
    const attempts = await trx.insertInto('publish_attempts')
      .values(claims.map((c) => ({ target_id: c.target.id, attempt: c.attempt, worker: c.worker, ...(c.verify ? { detail: 'lookup' } : {}) })))
      .returning(['id', 'target_id']).execute();
    const attemptOf = new Map(attempts.map((a) => [a.target_id, a.id]));
    const channelIds = [...new Set(claims.map((c) => c.target.channel_id))];
    const channels = new Map((await trx.selectFrom('channels').selectAll().where('id', 'in', channelIds).execute()).map((c) => [c.id, c]));
    const variants = await trx.selectFrom('post_variants').selectAll().where('post_id', 'in', [...new Set(claims.map((c) => c.target.post_id))]).execute();
    const variantOf = (target: PostTargetRow) => variants.find((v) => v.post_id === target.post_id && v.network === target.network);
    return decided.map((d): ClaimAnswer => {
      if (!('claim' in d)) return d;
      const { target, attempt, firstAttemptAt, verify } = d.claim;
      return { target, channel: channels.get(target.channel_id)!, variant: variantOf(target), attemptId: attemptOf.get(target.id)!, attempt, firstAttemptAt, verify };
    });
  });
  // The posts whose first targets go now are "publishing": a statement of its own, after the claim,
  // because the post's targets claimed side by side (in other batches too) share its row.
  const starting = [...new Set(answers.flatMap((a) => ('target' in a ? [a.target.post_id] : [])))];
  if (starting.length > 0) {
    await db.updateTable('posts').set({ status: 'publishing', updated_at: requests[0]!.now }).where('id', 'in', starting).where('status', '=', 'scheduled').execute();
  }
  return answers;
}
