/**
 * The calendar: posts with a time in a range, for the units a person can see, filtered by unit,
 * network, rubric and status. The range scan uses posts_scheduled_idx (or posts_unit_scheduled_idx
 * when few units are asked for); each post carries its networks, so no per-row lookup is needed.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, PostStatus } from '../../db/schema.ts';
import { describeInstant, type ZonedTime } from './zoned-time.ts';

export interface CalendarFilter {
  from: Date;
  to: Date;
  unitIds: readonly string[];
  network?: string | undefined;
  rubricId?: string | undefined;
  statuses?: readonly PostStatus[] | undefined;
  limit?: number;
}

export interface CalendarItem {
  id: string;
  title: string;
  status: PostStatus;
  /** For a drag on the calendar to reschedule the version the person saw. */
  version: number;
  urgent: boolean;
  needsPostReview: boolean;
  unit: { id: string; name: string };
  rubric: { id: string; slug: string; name: string } | null;
  networks: string[];
  scheduled: ZonedTime;
}

export const MAX_CALENDAR_ITEMS = 5000;

export async function calendarItems(db: Kysely<DB>, filter: CalendarFilter): Promise<{ items: CalendarItem[]; truncated: boolean }> {
  if (filter.unitIds.length === 0) return { items: [], truncated: false };
  const limit = filter.limit ?? MAX_CALENDAR_ITEMS;
  const statuses = filter.statuses && filter.statuses.length > 0 ? filter.statuses : null;
  // One JSON value rather than a row per post: on the embedded database, handing rows across the
  // WebAssembly boundary one by one costs about three times as much as the query itself.
  const result = await sql<{ items: string }>`
    select coalesce(json_agg(t), '[]')::text as items from (
      select p.id, p.title, p.status, p.version, p.urgent, p.needs_post_review, p.scheduled_at, p.networks,
             p.unit_id, u.name as unit_name, u.timezone, r.id as rubric_id, r.slug as rubric_slug, r.name as rubric_name
      from posts p
      join units u on u.id = p.unit_id
      left join rubrics r on r.id = p.rubric_id
      where p.scheduled_at >= ${filter.from} and p.scheduled_at < ${filter.to}
        and p.unit_id = any(${[...filter.unitIds]}::uuid[])
        ${statuses ? sql`and p.status = any(${[...statuses]}::text[])` : sql`and p.status <> 'cancelled'`}
        ${filter.rubricId ? sql`and p.rubric_id = ${filter.rubricId}` : sql``}
        ${filter.network ? sql`and ${filter.network} = any(p.networks)` : sql``}
      order by p.scheduled_at, p.id
      limit ${limit + 1}
    ) t`.execute(db);
  const rows = JSON.parse(result.rows[0]?.items ?? '[]') as {
    id: string; title: string; status: PostStatus; version: number; urgent: boolean; needs_post_review: boolean; scheduled_at: string;
    unit_id: string; unit_name: string; timezone: string; rubric_id: string | null; rubric_slug: string | null; rubric_name: string | null; networks: string[] | null;
  }[];
  const items = rows.slice(0, limit).map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    version: r.version,
    urgent: r.urgent,
    needsPostReview: r.needs_post_review,
    unit: { id: r.unit_id, name: r.unit_name },
    rubric: r.rubric_id ? { id: r.rubric_id, slug: r.rubric_slug ?? '', name: r.rubric_name ?? '' } : null,
    networks: r.networks ?? [],
    scheduled: describeInstant(new Date(r.scheduled_at), r.timezone),
  }));
  return { items, truncated: rows.length > limit };
}
