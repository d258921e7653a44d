/** Reading notifications: a person's list, particular ones by id, what came after a point, unread counts. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { NotificationRow } from './presenters.ts';

function withPostAndActor(db: Kysely<DB>) {
  return db.selectFrom('notifications')
    .leftJoin('posts', 'posts.id', 'notifications.post_id')
    .leftJoin('users', 'users.id', 'notifications.actor_id')
    .select(['notifications.id', 'notifications.user_id', 'notifications.kind', 'notifications.post_id', 'posts.title', 'users.id as actor_id', 'users.name as actor_name', 'notifications.excerpt', 'notifications.read_at', 'notifications.created_at']);
}

/** Newest first; reads notifications_user_idx (user_id, created_at desc). */
export async function listForUser(db: Kysely<DB>, userId: string, options: { unreadOnly?: boolean; limit?: number } = {}): Promise<NotificationRow[]> {
  return withPostAndActor(db)
    .where('notifications.user_id', '=', userId)
    .$if(options.unreadOnly === true, (q) => q.where('notifications.read_at', 'is', null))
    .orderBy('notifications.created_at', 'desc').limit(options.limit ?? 100).execute();
}

/** Particular notifications, oldest first (several may come in one NOTIFY). */
export async function notificationsByIds(db: Kysely<DB>, ids: readonly string[]): Promise<NotificationRow[]> {
  if (ids.length === 0) return [];
  return withPostAndActor(db).where('notifications.id', 'in', [...ids]).orderBy('notifications.created_at').orderBy('notifications.id').execute();
}

/**
 * A person's notifications created at or after `since`, oldest first. "At": rows written in one
 * transaction share its start time, so `>` could skip a sibling of the last one seen; the caller
 * drops those it already sent. Reads notifications_user_idx.
 */
export async function notificationsSince(db: Kysely<DB>, userId: string, since: Date, limit = 100): Promise<NotificationRow[]> {
  return withPostAndActor(db)
    .where('notifications.user_id', '=', userId).where('notifications.created_at', '>=', since)
    .orderBy('notifications.created_at').orderBy('notifications.id').limit(limit).execute();
}

/** When a notification of this person was created; null for an unknown id or someone else's. */
export async function createdAtOf(db: Kysely<DB>, userId: string, id: string): Promise<Date | null> {
  const row = await db.selectFrom('notifications').select('created_at').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return row?.created_at ?? null;
}

export async function unreadCount(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function unreadCounts(db: Kysely<DB>, userIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map(userIds.map((id) => [id, 0]));
  if (userIds.length === 0) return counts;
  const rows = await db.selectFrom('notifications').select(['user_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('user_id', 'in', [...userIds]).where('read_at', 'is', null).groupBy('user_id').execute();
  for (const row of rows) counts.set(row.user_id, Number(row.n));
  return counts;
}
