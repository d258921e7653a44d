/**
 * Who the portal speaks as: the top unit of the hierarchy (e.g. "Pemerintah Provinsi Kalimantan
 * Timur"), as the pages name it too. Share images, feeds, the news sitemap and the widget use it.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';

export const FALLBACK_SITE_NAME = 'Portal Berita';

export async function portalSiteName(db: Kysely<DB>): Promise<string> {
  const top = await db.selectFrom('units').select('name').where('parent_id', 'is', null).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  return top?.name ?? FALLBACK_SITE_NAME;
}
