/** Reading the unit hierarchy. Both recursive queries walk units_parent_idx / the primary key. */
import { sql, type Kysely } from 'kysely';
import type { DB, UnitRow } from '../../db/schema.ts';

/** The unit's id followed by its ancestors' ids up to the top; empty when the unit does not exist. */
export async function unitPath(db: Kysely<DB>, unitId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive up (id, parent_id, depth) as (
      select id, parent_id, 0 from units where id = ${unitId}
      union all
      select u.id, u.parent_id, up.depth + 1 from units u join up on u.id = up.parent_id
    )
    select id from up order by depth`.execute(db);
  return result.rows.map((r) => r.id);
}

/** Paths of many units at once, keyed by unit id. */
export async function unitPaths(db: Kysely<DB>, unitIds: readonly string[]): Promise<Map<string, string[]>> {
  const paths = new Map<string, string[]>();
  if (unitIds.length === 0) return paths;
  const result = await sql<{ start: string; id: string }>`
    with recursive up (start, id, parent_id, depth) as (
      select id, id, parent_id, 0 from units where id = any(${[...unitIds]}::uuid[])
      union all
      select up.start, u.id, u.parent_id, up.depth + 1 from units u join up on u.id = up.parent_id
    )
    select start, id from up order by start, depth`.execute(db);
  for (const row of result.rows) {
    const list = paths.get(row.start) ?? [];
    list.push(row.id);
    paths.set(row.start, list);
  }
  return paths;
}

/** The given units and everything below them. */
export async function unitsBelow(db: Kysely<DB>, rootIds: readonly string[]): Promise<UnitRow[]> {
  if (rootIds.length === 0) return [];
  const result = await sql<UnitRow>`
    with recursive down (id) as (
      select id from units where id = any(${[...rootIds]}::uuid[])
      union
      select u.id from units u join down on u.parent_id = down.id
    )
    select units.* from units join down using (id) order by units.name`.execute(db);
  return result.rows;
}

export async function findUnit(db: Kysely<DB>, id: string): Promise<UnitRow | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}
