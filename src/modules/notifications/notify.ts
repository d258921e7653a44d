/**
 * What a person should look at: a post waiting for their approval, a decision on their post, a
 * mention in a comment. Written in the same transaction as the event that causes it, together with
 * a NOTIFY on 'siar_notifications' that PostgreSQL delivers on commit (never for a rollback) to the
 * one listener of every process (live.ts), which feeds open streams and queues e-mail.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export const NOTIFICATIONS_CHANNEL = 'siar_notifications';

/**
 * What travels on the channel: new notifications as [user id, notification id] pairs, or `r`: a
 * person read some, so their unread count changed. Ids only: a payload must stay under 8000 bytes,
 * and listeners load the rows they need.
 */
export type ChannelMessage = { n: [string, string][] } | { r: string };

/** Pairs per NOTIFY: 80 × ~78 bytes stays well under PostgreSQL's 8000-byte payload limit. */
const PAIRS_PER_MESSAGE = 80;

export async function announce(trx: Kysely<DB>, message: ChannelMessage): Promise<void> {
  await sql`select pg_notify(${NOTIFICATIONS_CHANNEL}, ${JSON.stringify(message)})`.execute(trx);
}

export type NotificationKind = 'review_requested' | 'approved' | 'changes_requested' | 'mentioned' | 'published_without_approval' | 'published' | 'publish_failed' | 'publish_partly' | 'channel_needs_reconnect';

export interface Notice {
  kind: NotificationKind;
  postId: string | null;
  actorId: string | null;
  excerpt?: string | null;
}

export async function notify(trx: Kysely<DB>, userIds: Iterable<string>, notice: Notice): Promise<void> {
  await notifyEach(trx, [{ userIds, notice }]);
}

/** Several notices at once (the publishing engine settling a batch of posts): one INSERT, few NOTIFYs. */
export async function notifyEach(trx: Kysely<DB>, items: readonly { userIds: Iterable<string>; notice: Notice }[]): Promise<void> {
  const values = items.flatMap(({ userIds, notice }) => [...new Set(userIds)].filter((id) => id !== notice.actorId)
    .map((userId) => ({ user_id: userId, kind: notice.kind, post_id: notice.postId, actor_id: notice.actorId, excerpt: notice.excerpt?.slice(0, 280) ?? null })));
  if (values.length === 0) return;
  const rows = await trx.insertInto('notifications').values(values).returning(['id', 'user_id']).execute();
  for (let start = 0; start < rows.length; start += PAIRS_PER_MESSAGE) {
    await announce(trx, { n: rows.slice(start, start + PAIRS_PER_MESSAGE).map((r) => [r.user_id, r.id]) });
  }
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
