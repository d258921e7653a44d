/** Reading people with the unit paths of their memberships (what the access rules need). */
import type { Kysely } from 'kysely';
import type { DB, Role, UserRow } from '../../db/schema.ts';
import { unitPaths } from '../units/queries.ts';

export interface UserWithMemberships {
  user: UserRow;
  memberships: { unit_id: string; role: Role }[];
  paths: string[][];
}

export async function loadUser(db: Kysely<DB>, userId: string): Promise<UserWithMemberships | undefined> {
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!user) return undefined;
  const memberships = await db.selectFrom('memberships').select(['unit_id', 'role']).where('user_id', '=', userId).orderBy('created_at').execute();
  const paths = await unitPaths(db, memberships.map((m) => m.unit_id));
  return { user, memberships, paths: memberships.map((m) => paths.get(m.unit_id) ?? [m.unit_id]) };
}

/** How many active admins a top unit has besides the given person. */
export async function otherTopAdmins(db: Kysely<DB>, unitId: string, exceptUserId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships as m')
    .innerJoin('units as u', 'u.id', 'm.unit_id')
    .innerJoin('users as p', 'p.id', 'm.user_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('m.unit_id', '=', unitId)
    .where('u.parent_id', 'is', null)
    .where('m.role', '=', 'admin')
    .where('p.disabled', '=', false)
    .where('m.user_id', '!=', exceptUserId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
