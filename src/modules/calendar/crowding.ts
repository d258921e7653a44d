/**
 * Crowding: more posts than a unit allows within one clock hour on one account makes followers
 * scroll past them. Counted per channel and hour over the posts that are still going out.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export interface CrowdingWarning {
  channelId: string;
  channelName: string;
  network: string;
  /** The hour, as a UTC instant. */
  hourStart: string;
  count: number;
  limit: number;
  postIds: string[];
  message: { id: string; en: string };
}

const LIVE = ['draft', 'in_review', 'changes_requested', 'approved', 'scheduled', 'publishing', 'published', 'partly_published'];

/** Crowded hours among the given channels between two instants, with each channel unit's own limit. */
export async function crowdedHours(db: Kysely<DB>, range: { from: Date; to: Date; channelIds?: readonly string[] }): Promise<CrowdingWarning[]> {
  if (range.channelIds && range.channelIds.length === 0) return [];
  const rows = await sql<{ channel_id: string; name: string; network: string; hour: Date; count: number; limit: number; post_ids: string[] }>`
    select t.channel_id, c.name, c.network, date_trunc('hour', p.scheduled_at) as hour, count(*)::int as count,
           coalesce(ap.crowding_per_hour, 3) as limit, array_agg(p.id order by p.scheduled_at) as post_ids
    from posts p
    join post_targets t on t.post_id = p.id
    join channels c on c.id = t.channel_id
    left join approval_policies ap on ap.unit_id = c.unit_id
    where p.scheduled_at >= ${range.from} and p.scheduled_at < ${range.to}
      and p.status = any(${LIVE}::text[])
      ${range.channelIds ? sql`and t.channel_id = any(${[...range.channelIds]}::uuid[])` : sql``}
    group by t.channel_id, c.name, c.network, date_trunc('hour', p.scheduled_at), ap.crowding_per_hour
    having count(*) > coalesce(ap.crowding_per_hour, 3)
    order by hour`.execute(db);
  return rows.rows.map((r) => ({
    channelId: r.channel_id,
    channelName: r.name,
    network: r.network,
    hourStart: new Date(r.hour).toISOString(),
    count: r.count,
    limit: r.limit,
    postIds: r.post_ids,
    message: {
      id: `${r.count} postingan di akun ${r.name} dalam satu jam (batas anjuran ${r.limit}). Pertimbangkan memberi jeda.`,
      en: `${r.count} posts on ${r.name} within one hour (advised limit ${r.limit}). Consider spacing them out.`,
    },
  }));
}

/** Crowding around one moment on the given channels: the hour it falls in. */
export async function crowdingAt(db: Kysely<DB>, instant: Date, channelIds: readonly string[]): Promise<CrowdingWarning[]> {
  const hour = new Date(Math.floor(instant.getTime() / 3_600_000) * 3_600_000);
  return crowdedHours(db, { from: hour, to: new Date(hour.getTime() + 3_600_000), channelIds });
}
