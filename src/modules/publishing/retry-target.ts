/**
 * A person asks to try a failed target again (after reconnecting an account, say): the target goes
 * back to pending, due now, and its post is publishing again until every target has ended.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';

export async function retryTarget(db: Kysely<DB>, options: { postId: string; targetId: string; origin: AuditActor; now?: Date }): Promise<void> {
  const now = options.now ?? new Date();
  await db.transaction().execute(async (trx) => {
    const target = await trx.selectFrom('post_targets').selectAll().where('id', '=', options.targetId).where('post_id', '=', options.postId).forUpdate().executeTakeFirst();
    if (!target) throw new AppError('not_found');
    if (target.status !== 'failed') {
      throw new AppError('post.illegal_transition', { params: { action: 'retry', status: target.status, allowed: '-' }, details: { action: 'retry', status: target.status, allowed: [] } });
    }
    const post = await trx.selectFrom('posts').select(['id', 'unit_id', 'status', 'scheduled_at']).where('id', '=', options.postId).forUpdate().executeTakeFirstOrThrow();
    await trx.updateTable('post_targets').set({ status: 'pending', next_attempt_at: now, uncertain: false, error: null, error_code: null, error_reason: null, updated_at: now })
      .where('id', '=', target.id).execute();
    await trx.updateTable('posts').set({ status: 'publishing', updated_at: now }).where('id', '=', post.id).execute();
    await recordAudit(trx, options.origin, { action: 'post.target_retry', entityType: 'post', entityId: post.id, unitId: post.unit_id, before: { target: target.id, status: 'failed', error: target.error_code } });
  });
}
