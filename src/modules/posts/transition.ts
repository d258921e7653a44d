/**
 * One step of a post's workflow in one transaction: lock the row, check the version the person saw,
 * check the state machine allows the action, apply the change, write the new version and the audit
 * entry. Every workflow operation (submit, approve, schedule, withdraw…) goes through here.
 */
import type { Kysely, Updateable } from 'kysely';
import type { DB, PostRow, PostStatus, PostsTable } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import { recordAudit } from '../audit/record.ts';
import { syncArticle } from '../portal/articles.ts';
import { commitVersion, versionConflict, type Caller } from './save-post.ts';
import type { PostAggregate } from './queries.ts';
import { nextStatus, type PostAction } from './state.ts';

export interface TransitionStep {
  postId: string;
  action: PostAction;
  /** The version the person acted on; a newer post answers 409. */
  version?: number | undefined;
  caller: Caller;
  /** Runs inside the transaction with the locked row; returns extra columns to set (and may override the status). */
  apply?: (trx: Kysely<DB>, post: PostRow, to: PostStatus) => Promise<Updateable<PostsTable> | void> | Updateable<PostsTable> | void;
  /** Extra data for the audit entry (a note, the tier decided). */
  audit?: Record<string, unknown>;
  /** Runs after the post is written, inside the same transaction (notifications). */
  after?: (trx: Kysely<DB>, aggregate: PostAggregate) => Promise<void>;
}

export async function transition(db: Kysely<DB>, step: TransitionStep): Promise<PostAggregate> {
  const now = step.caller.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const post = await trx.selectFrom('posts').selectAll().where('id', '=', step.postId).forUpdate().executeTakeFirst();
    if (!post) throw new AppError('not_found');
    if (step.version !== undefined && step.version !== post.version) throw versionConflict(post.version);
    const to = nextStatus(post.status, step.action);
    const extra = (await step.apply?.(trx, post, to)) ?? {};
    const status = extra.status ?? to;
    await trx.updateTable('posts').set({ status, ...extra, version: post.version + 1, updated_at: now }).where('id', '=', post.id).execute();
    const aggregate = await commitVersion(trx, post.id, step.caller.actor.userId, step.action);
    await recordAudit(trx, step.caller.origin, {
      action: `post.${step.action}`,
      entityType: 'post',
      entityId: post.id,
      unitId: post.unit_id,
      before: { status: post.status, version: post.version },
      after: { status: aggregate.post.status, version: aggregate.post.version, scheduledAt: aggregate.post.scheduled_at?.toISOString() ?? null, ...step.audit },
    });
    // The portal is a channel of every post: its article follows the post in this same transaction.
    await syncArticle(trx, aggregate, now);
    await step.after?.(trx, aggregate);
    return aggregate;
  });
}
