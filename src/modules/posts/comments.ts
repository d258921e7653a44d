/**
 * Internal comments on a post, with mentions. A mention notifies the person, and only people who
 * can see the post may be mentioned. Comments are plain text, shown escaped.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { invalidField } from '../../errors/errors.ts';
import { canViewPost } from '../access/policies.ts';
import { recordAudit } from '../audit/record.ts';
import { cleanPlainText } from '../compose/rich-text.ts';
import { notify } from '../notifications/notify.ts';
import { unitPath } from '../units/queries.ts';
import type { Caller } from './save-post.ts';

export interface PresentedComment {
  id: string;
  body: string;
  author: { id: string; name: string };
  mentions: { id: string; name: string }[];
  createdAt: string;
}

/** Memberships of people, as Actors for the policy rules. */
async function actorsOf(db: Kysely<DB>, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  const rows = await db.selectFrom('users')
    .leftJoin('memberships', 'memberships.user_id', 'users.id')
    .leftJoin('units', 'units.id', 'memberships.unit_id')
    .select(['users.id', 'users.name', 'users.disabled', 'memberships.unit_id', 'memberships.role', 'units.parent_id'])
    .where('users.id', 'in', [...userIds])
    .execute();
  const people = new Map<string, { id: string; name: string; disabled: boolean; memberships: { unitId: string; unitParentId: string | null; role: NonNullable<(typeof rows)[number]['role']> }[] }>();
  for (const row of rows) {
    const person = people.get(row.id) ?? { id: row.id, name: row.name, disabled: row.disabled, memberships: [] };
    if (row.unit_id && row.role) person.memberships.push({ unitId: row.unit_id, unitParentId: row.parent_id, role: row.role });
    people.set(row.id, person);
  }
  return [...people.values()];
}

export async function addComment(db: Kysely<DB>, options: { postId: string; unitId: string; body: string; mentions: string[]; caller: Caller }): Promise<PresentedComment> {
  const body = cleanPlainText(options.body);
  if (body === '') throw invalidField('body', 'komentar kosong (empty comment)');
  const path = await unitPath(db, options.unitId);
  const wanted = [...new Set(options.mentions)];
  const people = await actorsOf(db, wanted);
  wanted.forEach((id, index) => {
    const person = people.find((p) => p.id === id);
    if (!person || person.disabled || !canViewPost({ userId: person.id, memberships: person.memberships }, path)) {
      throw invalidField(`mentions.${index}`, 'orang ini tidak bisa melihat postingan ini (this person cannot see the post)');
    }
  });
  return db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('post_comments')
      .values({ post_id: options.postId, author_id: options.caller.actor.userId, body, mentions: wanted })
      .returningAll().executeTakeFirstOrThrow();
    await notify(trx, wanted, { kind: 'mentioned', postId: options.postId, actorId: options.caller.actor.userId, excerpt: body });
    await recordAudit(trx, options.caller.origin, { action: 'post.comment', entityType: 'post', entityId: options.postId, unitId: options.unitId, after: { commentId: row.id, mentions: wanted } });
    const author = await trx.selectFrom('users').select(['id', 'name']).where('id', '=', row.author_id).executeTakeFirstOrThrow();
    return { id: row.id, body: row.body, author, mentions: people.map((p) => ({ id: p.id, name: p.name })), createdAt: row.created_at.toISOString() };
  });
}

export async function listComments(db: Kysely<DB>, postId: string): Promise<PresentedComment[]> {
  const rows = await db.selectFrom('post_comments').innerJoin('users', 'users.id', 'post_comments.author_id')
    .select(['post_comments.id', 'post_comments.body', 'post_comments.mentions', 'post_comments.created_at', 'users.id as author_id', 'users.name as author_name'])
    .where('post_id', '=', postId).orderBy('post_comments.created_at').execute();
  const mentioned = [...new Set(rows.flatMap((r) => r.mentions))];
  const names = new Map(mentioned.length > 0 ? (await db.selectFrom('users').select(['id', 'name']).where('id', 'in', mentioned).execute()).map((u) => [u.id, u.name]) : []);
  return rows.map((r) => ({
    id: r.id,
    body: r.body,
    author: { id: r.author_id, name: r.author_name },
    mentions: r.mentions.map((id) => ({ id, name: names.get(id) ?? '' })),
    createdAt: r.created_at.toISOString(),
  }));
}

/** People who can see a post (a role on its unit or a unit above it): whom a comment may mention. */
export async function peopleWhoCanSee(db: Kysely<DB>, unitPath: readonly string[]): Promise<{ id: string; name: string }[]> {
  if (unitPath.length === 0) return [];
  return db.selectFrom('users').innerJoin('memberships', 'memberships.user_id', 'users.id')
    .select(['users.id', 'users.name']).distinct()
    .where('memberships.unit_id', 'in', [...unitPath]).where('users.disabled', '=', false)
    .orderBy('users.name').limit(500).execute();
}
