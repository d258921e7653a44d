/**
 * Linking a post to the regulation it explains, and unlinking it. Linking twice is harmless; each
 * real change is audited. The link is what makes the explanation rule apply to the post.
 */
import type { Kysely } from 'kysely';
import type { AuditActor } from '../audit/record.ts';
import { recordAudit } from '../audit/record.ts';
import type { DB } from '../../db/schema.ts';
import { announcePortalChange } from '../portal/articles.ts';

export async function linkPost(db: Kysely<DB>, options: { regulationId: string; postId: string; unitId: string; actor: AuditActor }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('regulation_posts')
      .values({ regulation_id: options.regulationId, post_id: options.postId, created_by: options.actor.userId })
      .onConflict((oc) => oc.columns(['regulation_id', 'post_id']).doNothing())
      .returning('post_id')
      .executeTakeFirst();
    if (!inserted) return false;
    await recordAudit(trx, options.actor, {
      action: 'regulation.link_post', entityType: 'regulation', entityId: options.regulationId, unitId: options.unitId, after: { postId: options.postId },
    });
    // The regulation's portal page lists the articles of its linked posts.
    await announcePortalChange(trx, options.regulationId);
    return true;
  });
}

export async function unlinkPost(db: Kysely<DB>, options: { regulationId: string; postId: string; unitId: string; actor: AuditActor }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const deleted = await trx.deleteFrom('regulation_posts')
      .where('regulation_id', '=', options.regulationId).where('post_id', '=', options.postId)
      .returning('post_id')
      .executeTakeFirst();
    if (!deleted) return false;
    await recordAudit(trx, options.actor, {
      action: 'regulation.unlink_post', entityType: 'regulation', entityId: options.regulationId, unitId: options.unitId, before: { postId: options.postId },
    });
    // The regulation's portal page lists the articles of its linked posts.
    await announcePortalChange(trx, options.regulationId);
    return true;
  });
}
