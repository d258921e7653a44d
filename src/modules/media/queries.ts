/** Reading the media library. */
import { sql, type Kysely } from 'kysely';
import type { DB, MediaKindColumn, MediaRow } from '../../db/schema.ts';

export async function findMedia(db: Kysely<DB>, id: string): Promise<MediaRow | undefined> {
  return db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface ListMediaOptions {
  unitIds: readonly string[];
  kind?: MediaKindColumn | undefined;
  /** Words found in the file name or the alt text. */
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * A page cursor is the last item's `created_at` (microseconds, UTC) and id: exact, so no item is
 * skipped or repeated when several share a millisecond.
 */
export const cursorPattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Newest first. Walks media_unit_idx (unit_id, created_at desc) for each unit. */
export async function listMedia(db: Kysely<DB>, options: ListMediaOptions): Promise<{ rows: MediaRow[]; nextCursor: string | null }> {
  if (options.unitIds.length === 0) return { rows: [], nextCursor: null };
  let query = db
    .selectFrom('media')
    .selectAll()
    .select(sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'))
    .where('unit_id', 'in', [...options.unitIds]);
  if (options.kind) query = query.where('kind', '=', options.kind);
  if (options.q) {
    const pattern = `%${escapeLike(options.q)}%`;
    query = query.where((eb) => eb.or([eb('original_name', 'ilike', pattern), eb('alt', 'ilike', pattern)]));
  }
  const cursor = options.cursor ? cursorPattern.exec(options.cursor) : null;
  if (cursor) query = query.where(sql<boolean>`(created_at, id) < (${cursor[1]}::timestamptz, ${cursor[2]}::uuid)`);
  const found = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit + 1).execute();
  const page = found.slice(0, options.limit);
  const last = page.at(-1);
  const rows = page.map(({ cursor_at: _, ...row }) => row);
  return { rows, nextCursor: found.length > options.limit && last ? `${last.cursor_at}_${last.id}` : null };
}
