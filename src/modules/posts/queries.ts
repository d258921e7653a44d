/** Reading posts: one post with everything that belongs to it, and the context a save needs. */
import type { Kysely } from 'kysely';
import type { ChannelRow, DB, MediaRow, PostRow, PostTargetRow, RubricRow, UnitRow } from '../../db/schema.ts';
import type { LimitOverrides, MediaKind } from '../networks/limits.ts';
import type { AttachedMedia, Master, StoredVariant, TargetChannel } from './draft.ts';

export interface PostAggregate {
  post: PostRow;
  unit: UnitRow;
  rubric: RubricRow | null;
  media: AttachedMedia[];
  variants: StoredVariant[];
  targets: (PostTargetRow & { channel: ChannelRow })[];
}

export function attachedMedia(row: MediaRow, alt: string): AttachedMedia {
  const renditions = (row.renditions ?? {}) as AttachedMedia['renditions'];
  return {
    id: row.id,
    alt,
    kind: row.kind as MediaKind,
    mime: row.mime,
    bytes: Number(row.bytes),
    width: row.width,
    height: row.height,
    renditions,
  };
}

export const targetChannel = (channel: ChannelRow): TargetChannel => ({
  id: channel.id,
  network: channel.network,
  limitOverrides: (channel.limit_overrides ?? {}) as LimitOverrides,
});

export async function loadPost(db: Kysely<DB>, postId: string): Promise<PostAggregate | undefined> {
  const post = await db.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirst();
  if (!post) return undefined;
  const [unit, rubric, media, variants, targets] = await Promise.all([
    db.selectFrom('units').selectAll().where('id', '=', post.unit_id).executeTakeFirstOrThrow(),
    post.rubric_id ? db.selectFrom('rubrics').selectAll().where('id', '=', post.rubric_id).executeTakeFirst() : undefined,
    db.selectFrom('post_media').innerJoin('media', 'media.id', 'post_media.media_id').selectAll('media').select('post_media.alt as attached_alt')
      .where('post_media.post_id', '=', postId).orderBy('post_media.position').execute(),
    db.selectFrom('post_variants').selectAll().where('post_id', '=', postId).orderBy('network').execute(),
    db.selectFrom('post_targets').selectAll().where('post_id', '=', postId).execute(),
  ]);
  const channels = targets.length > 0 ? await db.selectFrom('channels').selectAll().where('id', 'in', targets.map((t) => t.channel_id)).execute() : [];
  return {
    post,
    unit,
    rubric: rubric ?? null,
    media: media.map((m) => attachedMedia(m, m.attached_alt)),
    variants: variants.map((v) => ({
      network: v.network,
      text: v.text,
      parts: v.parts,
      title: v.title,
      mediaIds: v.media_ids,
      thread: v.thread,
      firstComment: v.first_comment,
      hashtags: v.hashtags,
      customized: v.customized,
    })),
    targets: targets.map((t) => ({ ...t, channel: channels.find((c) => c.id === t.channel_id)! })),
  };
}

export function masterOf(aggregate: Pick<PostAggregate, 'post' | 'rubric' | 'media'>): Master {
  const { post } = aggregate;
  return {
    title: post.title,
    bodyText: post.body_text,
    summary: post.summary,
    portalUrl: post.portal_url,
    tags: post.tags,
    rubricSlug: aggregate.rubric?.slug ?? null,
    urgent: post.urgent,
    media: aggregate.media,
  };
}

/** Sensitive terms that apply to a unit: the global list and those of the unit and its ancestors. */
export async function sensitiveTermsFor(db: Kysely<DB>, unitPath: readonly string[]) {
  return db.selectFrom('sensitive_terms').select(['term', 'category'])
    .where((eb) => eb.or([eb('unit_id', 'is', null), ...(unitPath.length > 0 ? [eb('unit_id', 'in', [...unitPath])] : [])]))
    .execute();
}

export interface ListFilter {
  unitIds: readonly string[];
  status?: string | undefined;
  rubricId?: string | undefined;
  authorId?: string | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

const encodeCursor = (at: Date, id: string): string => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
function decodeCursor(cursor: string): { at: Date; id: string } | null {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  return id && /^[0-9a-f-]{36}$/.test(id) && !Number.isNaN(date.getTime()) ? { at: date, id } : null;
}

/** Newest change first, one page at a time (keyset on updated_at, id: posts_unit_updated_idx). */
export async function listPosts(db: Kysely<DB>, filter: ListFilter) {
  if (filter.unitIds.length === 0) return { rows: [], nextCursor: null };
  const after = filter.cursor ? decodeCursor(filter.cursor) : null;
  const rows = await db.selectFrom('posts')
    .innerJoin('units', 'units.id', 'posts.unit_id')
    .innerJoin('users', 'users.id', 'posts.author_id')
    .leftJoin('rubrics', 'rubrics.id', 'posts.rubric_id')
    .select(['posts.id', 'posts.title', 'posts.status', 'posts.urgent', 'posts.needs_post_review', 'posts.scheduled_at', 'posts.version', 'posts.updated_at', 'posts.networks',
      'units.id as unit_id', 'units.name as unit_name', 'units.timezone', 'users.id as author_id', 'users.name as author_name',
      'rubrics.id as rubric_id', 'rubrics.slug as rubric_slug', 'rubrics.name as rubric_name'])
    .where('posts.unit_id', 'in', [...filter.unitIds])
    .$if(filter.status !== undefined, (q) => q.where('posts.status', '=', filter.status as never))
    .$if(filter.rubricId !== undefined, (q) => q.where('posts.rubric_id', '=', filter.rubricId!))
    .$if(filter.authorId !== undefined, (q) => q.where('posts.author_id', '=', filter.authorId!))
    .$if(filter.q !== undefined && filter.q !== '', (q) => q.where('posts.title', 'ilike', `%${filter.q!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`))
    .$if(after !== null, (q) => q.where((eb) => eb.or([eb('posts.updated_at', '<', after!.at), eb.and([eb('posts.updated_at', '=', after!.at), eb('posts.id', '<', after!.id)])])))
    .orderBy('posts.updated_at', 'desc').orderBy('posts.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > filter.limit && last ? encodeCursor(last.updated_at, last.id) : null };
}
