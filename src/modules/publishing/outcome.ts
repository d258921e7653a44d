/**
 * Writing down what happened to a target, and what follows for its post: the target's status and
 * links, the attempt's row, the post's overall status once every target has ended (published,
 * partly published or failed), an audit entry recording exactly what was said where, and a
 * notification to the author.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, PostStatus } from '../../db/schema.ts';
import { recordAudit, systemActor } from '../audit/record.ts';
import { notify } from '../notifications/notify.ts';
import type { PublishResult } from './connector.ts';

export type TargetEnd =
  | { kind: 'published'; result: PublishResult; text: string; found?: boolean }
  | { kind: 'failed'; code: string; reason: { id: string; en: string } }
  | { kind: 'retry'; at: Date; code: string; reason: { id: string; en: string } }
  | { kind: 'uncertain'; code: string; reason: { id: string; en: string } };

const attemptOutcome = (end: TargetEnd): 'published' | 'found' | 'permanent' | 'transient' | 'uncertain' =>
  end.kind === 'published' ? (end.found ? 'found' : 'published') : end.kind === 'failed' ? 'permanent' : end.kind === 'retry' ? 'transient' : 'uncertain';

export async function recordTargetEnd(db: Kysely<DB>, options: { targetId: string; attemptId: string | null; end: TargetEnd; now: Date }): Promise<{ postStatus: PostStatus }> {
  const { targetId, end, now } = options;
  const postId = await db.transaction().execute(async (trx) => {
    // The commit does not wait for the disk: if the database itself crashed in the next instant and
    // lost this outcome, the target would still hold its durable "attempt started" and be looked up
    // on the network again (never sent twice). Not waiting shortens how long the audit chain's lock
    // is held, which is what limits how many outcomes a second all workers together can record.
    await sql`set local synchronous_commit = off`.execute(trx);
    const target = await trx.selectFrom('post_targets').selectAll().where('id', '=', targetId).forUpdate().executeTakeFirstOrThrow();
    const channel = await trx.selectFrom('channels').select(['name', 'handle', 'network']).where('id', '=', target.channel_id).executeTakeFirstOrThrow();
    if (end.kind === 'published') {
      await trx.updateTable('post_targets').set({
        status: 'published', external_id: end.result.externalId, external_url: end.result.url, parts: JSON.stringify(end.result.parts),
        published_at: now, uncertain: false, error: null, error_code: null, error_reason: null, next_attempt_at: null, updated_at: now,
      }).where('id', '=', targetId).execute();
    } else if (end.kind === 'failed') {
      await trx.updateTable('post_targets').set({
        status: 'failed', uncertain: false, error: end.reason.en, error_code: end.code, error_reason: JSON.stringify(end.reason), next_attempt_at: null, updated_at: now,
      }).where('id', '=', targetId).execute();
    } else if (end.kind === 'retry') {
      await trx.updateTable('post_targets').set({
        status: 'pending', uncertain: false, error: end.reason.en, error_code: end.code, error_reason: JSON.stringify(end.reason), next_attempt_at: end.at, updated_at: now,
      }).where('id', '=', targetId).execute();
    } else {
      await trx.updateTable('post_targets').set({
        uncertain: true, error: end.reason.en, error_code: end.code, error_reason: JSON.stringify(end.reason), updated_at: now,
      }).where('id', '=', targetId).execute();
    }
    if (options.attemptId) {
      await trx.updateTable('publish_attempts').set({
        finished_at: now, outcome: attemptOutcome(end), code: end.kind === 'published' ? null : end.code,
        detail: end.kind === 'published' ? end.result.url : end.reason.en,
      }).where('id', '=', options.attemptId).execute();
    }
    // The audit chain is one global order: its entry goes last, so its lock is held only to commit.
    const post = await trx.selectFrom('posts').select(['id', 'unit_id']).where('id', '=', target.post_id).executeTakeFirstOrThrow();
    if (end.kind === 'published') {
      await recordAudit(trx, systemActor('penerbit'), {
        action: 'post.target_published', entityType: 'post', entityId: post.id, unitId: post.unit_id,
        after: { network: channel.network, channel: channel.handle, url: end.result.url, externalId: end.result.externalId, text: end.text, at: now.toISOString() },
      });
    } else if (end.kind === 'failed') {
      await recordAudit(trx, systemActor('penerbit'), {
        action: 'post.target_failed', entityType: 'post', entityId: post.id, unitId: post.unit_id,
        after: { network: channel.network, channel: channel.handle, code: end.code, reason: end.reason.en },
      });
    }
    return post.id;
  });
  return { postStatus: await settlePost(db, postId, now) };
}

/**
 * The post's overall status once its last target has ended: published, partly published or
 * failed, with the author told. Run after each target's outcome has committed, so of two targets
 * ending at the same moment the later one always sees both ended; the post row is locked only
 * then, and only for this (the targets of one post end side by side without waiting on it).
 */
export async function settlePost(db: Kysely<DB>, postId: string, now: Date): Promise<PostStatus> {
  const open = await db.selectFrom('post_targets').select('id').where('post_id', '=', postId).where('status', 'in', ['pending', 'publishing']).limit(1).executeTakeFirst();
  if (open) return 'publishing';
  return db.transaction().execute(async (trx) => {
    const post = await trx.selectFrom('posts').select(['id', 'unit_id', 'author_id', 'title', 'status']).where('id', '=', postId).forUpdate().executeTakeFirstOrThrow();
    const statuses = (await trx.selectFrom('post_targets').select('status').where('post_id', '=', post.id).execute()).map((t) => t.status);
    let status: PostStatus = 'publishing';
    if (!statuses.some((s) => s === 'pending' || s === 'publishing')) {
      const published = statuses.filter((s) => s === 'published').length;
      status = published === statuses.length ? 'published' : published === 0 ? 'failed' : 'partly_published';
    }
    // Only a post that is going out is settled (a cancelled or withdrawn one keeps its state).
    if (status === post.status || (post.status !== 'publishing' && post.status !== 'scheduled' && post.status !== 'partly_published' && post.status !== 'failed' && post.status !== 'published')) return post.status;
    await trx.updateTable('posts').set({ status, updated_at: now }).where('id', '=', post.id).execute();
    if (status !== 'publishing') {
      await notify(trx, [post.author_id], { kind: status === 'published' ? 'published' : status === 'failed' ? 'publish_failed' : 'publish_partly', postId: post.id, actorId: null, excerpt: post.title });
      await recordAudit(trx, systemActor('penerbit'), { action: `post.${status}`, entityType: 'post', entityId: post.id, unitId: post.unit_id, before: { status: post.status }, after: { status, targets: statuses.length } });
    }
    return status;
  });
}
