/**
 * What a person should look at: a post waiting for their approval, a decision on their post, a
 * mention in a comment. Written in the same transaction as the event that causes it.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type NotificationKind = 'review_requested' | 'approved' | 'changes_requested' | 'mentioned' | 'published_without_approval' | 'published' | 'publish_failed' | 'publish_partly' | 'channel_needs_reconnect';

export interface Notice {
  kind: NotificationKind;
  postId: string | null;
  actorId: string | null;
  excerpt?: string | null;
}

export async function notify(trx: Kysely<DB>, userIds: Iterable<string>, notice: Notice): Promise<void> {
  const recipients = [...new Set(userIds)].filter((id) => id !== notice.actorId);
  if (recipients.length === 0) return;
  await trx.insertInto('notifications')
    .values(recipients.map((userId) => ({ user_id: userId, kind: notice.kind, post_id: notice.postId, actor_id: notice.actorId, excerpt: notice.excerpt?.slice(0, 280) ?? null })))
    .execute();
}

/** People who may approve at a unit: approvers and admins of the unit or of a unit above it. */
export async function approversOn(trx: Kysely<DB>, unitPath: readonly string[]): Promise<string[]> {
  if (unitPath.length === 0) return [];
  const rows = await trx.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id')
    .select('users.id').distinct()
    .where('memberships.unit_id', 'in', [...unitPath])
    .where('memberships.role', 'in', ['approver', 'admin'])
    .where('users.disabled', '=', false)
    .execute();
  return rows.map((r) => r.id);
}
