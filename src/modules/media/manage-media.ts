/**
 * Changing and deleting media items. A delete refuses an item still attached to a post, and the
 * files go only after the row is gone (a failed file removal leaves an unreferenced file, never a
 * row pointing at nothing).
 */
import type { Kysely } from 'kysely';
import type { DB, MediaRow } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { mediaAuditView, storageKeysOf } from './presenters.ts';
import type { MediaStorage } from './storage.ts';

export async function updateMediaAlt(db: Kysely<DB>, mediaId: string, alt: string, origin: AuditActor): Promise<MediaRow> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('media').selectAll().where('id', '=', mediaId).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found');
    const media = await trx.updateTable('media').set({ alt: alt.trim() }).where('id', '=', mediaId).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, origin, { action: 'media.update', entityType: 'media', entityId: media.id, unitId: media.unit_id, before: mediaAuditView(before), after: mediaAuditView(media) });
    return media;
  });
}

const isForeignKeyViolation = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { code?: string }).code === '23503';

export async function deleteMedia(db: Kysely<DB>, storage: MediaStorage, mediaId: string, origin: AuditActor): Promise<void> {
  let removed: MediaRow;
  try {
    removed = await db.transaction().execute(async (trx) => {
      const media = await trx.selectFrom('media').selectAll().where('id', '=', mediaId).forUpdate().executeTakeFirst();
      if (!media) throw new AppError('not_found');
      // post_media_media_idx
      const uses = await trx.selectFrom('post_media').select(({ fn }) => fn.countAll<string>().as('n')).where('media_id', '=', mediaId).executeTakeFirstOrThrow();
      if (Number(uses.n) > 0) throw new AppError('media.in_use', { details: { posts: Number(uses.n) } });
      await trx.deleteFrom('media').where('id', '=', mediaId).execute();
      await recordAudit(trx, origin, { action: 'media.delete', entityType: 'media', entityId: media.id, unitId: media.unit_id, before: mediaAuditView(media) });
      return media;
    });
  } catch (error) {
    // A post attached it between the check and the delete: post_media's foreign key refuses.
    if (isForeignKeyViolation(error)) throw new AppError('media.in_use', { cause: error });
    throw error;
  }
  await Promise.all(storageKeysOf(removed).map((key) => storage.remove(key).catch(() => undefined)));
}
