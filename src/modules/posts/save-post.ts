/**
 * Creating and editing a post. The body is sanitized and its plain text derived; variants are
 * resolved (the person's own or adapted from the master); media, channels and rubric are checked
 * against what the person may use; and the post, its parts, a new version and the audit entry are
 * written in one transaction. An edit names the version it was made on: a newer one answers 409
 * with that version, so two people never overwrite each other silently. An edit after approval
 * sends the post back to review.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, NetworkId } from '../../db/schema.ts';
import { AppError, invalidField } from '../../errors/errors.ts';
import { canViewUnit, canUseChannel, type Actor } from '../access/policies.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { zonedToUtc } from '../calendar/zoned-time.ts';
import { cleanPlainText, htmlToPlainText, sanitizeBody } from '../compose/rich-text.ts';
import type { LimitOverrides } from '../networks/limits.ts';
import { syncArticle } from '../portal/articles.ts';
import { unitPath, unitPaths } from '../units/queries.ts';
import { resolveVariants, type AttachedMedia, type PortalLinks, type StoredVariant } from './draft.ts';
import { attachedMedia, loadPost, type PostAggregate } from './queries.ts';
import { snapshotOf } from './presenters.ts';
import type { CreatePostInput, UpdatePostInput } from './schemas.ts';
import { nextStatus } from './state.ts';

export interface Caller {
  actor: Actor;
  origin: AuditActor;
  now?: Date;
}

export interface SaveOptions {
  /** The portal's base address: variants of a post without a portal link of its own carry its short links. */
  portalBase?: string | undefined;
}

const linksOf = (options: SaveOptions, postId: string): PortalLinks | undefined => (options.portalBase ? { base: options.portalBase, postId } : undefined);

/** "2026-12-01T09:00" in the unit's zone, or an ISO time with offset → a UTC instant. */
export function parseScheduleTime(value: string, timeZone: string, field = 'scheduledAt'): Date {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const instant = hasOffset ? new Date(value) : zonedToUtc(value.slice(0, 16), timeZone);
  if (!instant || Number.isNaN(instant.getTime())) throw invalidField(field, 'waktu tidak valid (invalid time)');
  return instant;
}

export function assertFuture(instant: Date, now: Date): void {
  if (instant.getTime() <= now.getTime()) throw new AppError('post.schedule_in_past', { details: { issues: [{ path: 'scheduledAt', message: 'harus di masa depan (must be in the future)' }] } });
}

interface MaterialInput {
  media: { mediaId: string; alt: string }[];
  targets: string[];
}

/** The media and channels a post may use, loaded and checked; each problem names its field. */
export async function loadMaterial(db: Kysely<DB>, actor: Actor, postUnitPath: readonly string[], input: MaterialInput) {
  const mediaIds = input.media.map((m) => m.mediaId);
  const duplicates = mediaIds.findIndex((id, i) => mediaIds.indexOf(id) !== i);
  if (duplicates >= 0) throw invalidField(`media.${duplicates}.mediaId`, 'media yang sama dipilih dua kali (the same media twice)');
  input.media.forEach((m, i) => {
    if (cleanPlainText(m.alt) === '') throw invalidField(`media.${i}.alt`, 'teks alternatif wajib diisi (alt text is required)');
  });
  const mediaRows = mediaIds.length > 0 ? await db.selectFrom('media').selectAll().where('id', 'in', mediaIds).execute() : [];
  const channelIds = [...new Set(input.targets)];
  const channelRows = channelIds.length > 0 ? await db.selectFrom('channels').selectAll().where('id', 'in', channelIds).execute() : [];
  const paths = await unitPaths(db, [...new Set([...mediaRows.map((m) => m.unit_id), ...channelRows.map((c) => c.unit_id)])]);
  const media: AttachedMedia[] = input.media.map((m, i) => {
    const row = mediaRows.find((r) => r.id === m.mediaId);
    if (!row || !canViewUnit(actor, paths.get(row.unit_id) ?? [])) throw invalidField(`media.${i}.mediaId`, 'media tidak ditemukan (no such media)');
    return attachedMedia(row, cleanPlainText(m.alt));
  });
  const channels = channelIds.map((id) => {
    const row = channelRows.find((c) => c.id === id);
    const index = input.targets.indexOf(id);
    if (!row || !canViewUnit(actor, paths.get(row.unit_id) ?? [])) throw invalidField(`targets.${index}`, 'akun tidak ditemukan (no such channel)');
    if (!postUnitPath.includes(row.unit_id)) throw invalidField(`targets.${index}`, 'akun ini bukan milik unit postingan atau unit di atasnya (the channel belongs to another unit)');
    if (!canUseChannel(actor, paths.get(row.unit_id) ?? [])) throw invalidField(`targets.${index}`, 'Anda tidak berwenang memakai akun ini (you may not post to this channel)');
    if (row.disabled) throw invalidField(`targets.${index}`, 'akun ini dinonaktifkan (the channel is disabled)');
    return row;
  });
  return { media, channels };
}

async function rubricSlug(db: Kysely<DB>, rubricId: string | null | undefined): Promise<string | null> {
  if (!rubricId) return null;
  const rubric = await db.selectFrom('rubrics').select(['slug', 'archived']).where('id', '=', rubricId).executeTakeFirst();
  if (!rubric || rubric.archived) throw invalidField('rubricId', 'rubrik tidak ditemukan (no such rubric)');
  return rubric.slug;
}

const overridesOf = (channels: { network: NetworkId; limit_overrides: unknown }[]): Partial<Record<NetworkId, LimitOverrides>> => {
  const result: Partial<Record<NetworkId, LimitOverrides>> = {};
  // Adapt to the strictest channel of a network: the smallest text limit wins.
  for (const channel of channels) {
    const overrides = (channel.limit_overrides ?? {}) as LimitOverrides;
    const current = result[channel.network];
    if (!current || (overrides.maxText ?? Infinity) < (current.maxText ?? Infinity)) result[channel.network] = overrides;
  }
  return result;
};

function cleanTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => cleanPlainText(t)).filter((t) => t !== ''))];
}

function cleanSertaMerta(value: Record<string, string> | null | undefined) {
  if (!value) return null;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanPlainText(v)]));
}

async function writeChildren(trx: Kysely<DB>, postId: string, media: AttachedMedia[], variants: StoredVariant[], channelIds: string[], networksOfChannels: Map<string, NetworkId>) {
  await trx.deleteFrom('post_media').where('post_id', '=', postId).execute();
  if (media.length > 0) {
    await trx.insertInto('post_media').values(media.map((m, position) => ({ post_id: postId, media_id: m.id, position, alt: m.alt }))).execute();
  }
  const networks = variants.map((v) => v.network);
  await trx.updateTable('posts').set({ networks: [...networks].sort() }).where('id', '=', postId).execute();
  await trx.deleteFrom('post_variants').where('post_id', '=', postId).$if(networks.length > 0, (q) => q.where('network', 'not in', networks)).execute();
  for (const v of variants) {
    const values = {
      text: v.text, parts: v.parts, title: v.title, media_ids: v.mediaIds, thread: v.thread,
      first_comment: v.firstComment, hashtags: v.hashtags, customized: v.customized,
    };
    await trx.insertInto('post_variants').values({ post_id: postId, network: v.network, ...values })
      .onConflict((oc) => oc.columns(['post_id', 'network']).doUpdateSet(values)).execute();
  }
  await trx.deleteFrom('post_targets').where('post_id', '=', postId).$if(channelIds.length > 0, (q) => q.where('channel_id', 'not in', channelIds)).execute();
  if (channelIds.length > 0) {
    await trx.insertInto('post_targets')
      .values(channelIds.map((channelId) => ({ post_id: postId, channel_id: channelId, network: networksOfChannels.get(channelId)! })))
      .onConflict((oc) => oc.columns(['post_id', 'channel_id']).doNothing())
      .execute();
  }
}

/** Writes the version row for the post as it now is, and returns the reloaded aggregate. */
export async function commitVersion(trx: Kysely<DB>, postId: string, actorId: string | null, action: string): Promise<PostAggregate> {
  const aggregate = await loadPost(trx, postId);
  if (!aggregate) throw new AppError('not_found');
  await trx.insertInto('post_versions')
    .values({ post_id: postId, version: aggregate.post.version, author_id: actorId, action, snapshot: JSON.stringify(snapshotOf(aggregate)) })
    .execute();
  return aggregate;
}

const auditSummary = (a: PostAggregate) => ({ title: a.post.title, status: a.post.status, version: a.post.version, scheduledAt: a.post.scheduled_at?.toISOString() ?? null });

export async function createPost(db: Kysely<DB>, input: CreatePostInput, caller: Caller, options: SaveOptions = {}): Promise<PostAggregate> {
  const now = caller.now ?? new Date();
  const path = await unitPath(db, input.unitId);
  const unit = await db.selectFrom('units').select(['id', 'timezone']).where('id', '=', input.unitId).executeTakeFirst();
  if (!unit) throw new AppError('not_found');
  const { media, channels } = await loadMaterial(db, caller.actor, path, input);
  const slug = await rubricSlug(db, input.rubricId);
  const scheduledAt = input.scheduledAt ? parseScheduleTime(input.scheduledAt, unit.timezone) : null;
  if (scheduledAt) assertFuture(scheduledAt, now);
  const bodyHtml = sanitizeBody(input.bodyHtml);
  const master = {
    title: cleanPlainText(input.title),
    bodyText: htmlToPlainText(bodyHtml),
    summary: cleanPlainText(input.summary),
    portalUrl: input.portalUrl ?? null,
    tags: cleanTags(input.tags),
    rubricSlug: slug,
    urgent: input.urgent,
    media,
  };
  if (master.title === '') throw invalidField('title', 'judul wajib diisi (title is required)');
  const networks = [...new Set<NetworkId>([...input.variants.map((v) => v.network), ...channels.map((c) => c.network)])];
  // The id is chosen here, before the variants are written: their short links are made from it.
  const postId = randomUUID();
  const variants = resolveVariants(master, networks, input.variants, [], overridesOf(channels), linksOf(options, postId));

  return db.transaction().execute(async (trx) => {
    const post = await trx.insertInto('posts').values({
      id: postId,
      unit_id: input.unitId,
      author_id: caller.actor.userId,
      rubric_id: input.rubricId ?? null,
      title: master.title,
      body_html: bodyHtml,
      body_text: master.bodyText,
      summary: master.summary,
      language: input.language,
      tags: master.tags,
      portal_url: master.portalUrl,
      urgent: input.urgent,
      serta_merta: input.sertaMerta ? JSON.stringify(cleanSertaMerta(input.sertaMerta)) : null,
      scheduled_at: scheduledAt,
    }).returning('id').executeTakeFirstOrThrow();
    await writeChildren(trx, post.id, media, variants, channels.map((c) => c.id), new Map(channels.map((c) => [c.id, c.network])));
    const aggregate = await commitVersion(trx, post.id, caller.actor.userId, 'create');
    await recordAudit(trx, caller.origin, { action: 'post.create', entityType: 'post', entityId: post.id, unitId: input.unitId, after: auditSummary(aggregate) });
    return aggregate;
  });
}

/** A 409 carrying the newer post, so the person can compare before saving again. */
export function versionConflict(current: number, presented?: unknown): AppError {
  return new AppError('post.version_conflict', { params: { current }, details: { currentVersion: current, ...(presented ? { current: presented } : {}) } });
}

export async function updatePost(db: Kysely<DB>, postId: string, input: UpdatePostInput, caller: Caller, options: SaveOptions = {}): Promise<PostAggregate> {
  const now = caller.now ?? new Date();
  const existing = await loadPost(db, postId);
  if (!existing) throw new AppError('not_found');
  if (existing.post.version !== input.version) throw versionConflict(existing.post.version);
  nextStatus(existing.post.status, 'edit');
  const path = await unitPath(db, existing.post.unit_id);
  const material = await loadMaterial(db, caller.actor, path, {
    media: input.media ?? existing.media.map((m) => ({ mediaId: m.id, alt: m.alt })),
    targets: input.targets ?? existing.targets.map((t) => t.channel_id),
  });
  const rubricId = input.rubricId !== undefined ? input.rubricId : existing.post.rubric_id;
  const slug = await rubricSlug(db, rubricId);
  let scheduledAt = existing.post.scheduled_at;
  if (input.scheduledAt !== undefined) {
    scheduledAt = input.scheduledAt === null ? null : parseScheduleTime(input.scheduledAt, existing.unit.timezone);
    if (scheduledAt && scheduledAt.getTime() !== existing.post.scheduled_at?.getTime()) assertFuture(scheduledAt, now);
  }
  if (existing.post.status === 'scheduled' && !scheduledAt) throw invalidField('scheduledAt', 'postingan terjadwal perlu waktu tayang; batalkan jadwal dahulu (a scheduled post needs a time; unschedule it first)');
  const bodyHtml = input.bodyHtml !== undefined ? sanitizeBody(input.bodyHtml) : existing.post.body_html;
  const master = {
    title: input.title !== undefined ? cleanPlainText(input.title) : existing.post.title,
    bodyText: htmlToPlainText(bodyHtml),
    summary: input.summary !== undefined ? cleanPlainText(input.summary) : existing.post.summary,
    portalUrl: input.portalUrl !== undefined ? input.portalUrl : existing.post.portal_url,
    tags: input.tags !== undefined ? cleanTags(input.tags) : existing.post.tags,
    rubricSlug: slug,
    urgent: input.urgent ?? existing.post.urgent,
    media: material.media,
  };
  if (master.title === '') throw invalidField('title', 'judul wajib diisi (title is required)');
  const networks = input.variants !== undefined || input.targets !== undefined
    ? [...new Set<NetworkId>([...(input.variants ?? existing.variants).map((v) => v.network), ...material.channels.map((c) => c.network)])]
    : existing.variants.map((v) => v.network);
  const variants = resolveVariants(master, networks, input.variants ?? [], existing.variants, overridesOf(material.channels), linksOf(options, postId));
  const sertaMerta = input.sertaMerta !== undefined ? cleanSertaMerta(input.sertaMerta) : (existing.post.serta_merta as Record<string, string> | null);

  return db.transaction().execute(async (trx) => {
    // The row lock makes "check the version, then write" one step across concurrent editors.
    const locked = await trx.selectFrom('posts').select(['version', 'status', 'review_round']).where('id', '=', postId).forUpdate().executeTakeFirstOrThrow();
    if (locked.version !== input.version) throw versionConflict(locked.version);
    const before = snapshotOf(existing);
    const candidate = snapshotOf({
      post: {
        ...existing.post, title: master.title, body_html: bodyHtml, body_text: master.bodyText, summary: master.summary,
        rubric_id: rubricId, tags: master.tags, language: input.language ?? existing.post.language, portal_url: master.portalUrl,
        urgent: master.urgent, serta_merta: sertaMerta, scheduled_at: scheduledAt,
      },
      media: material.media,
      variants,
      targets: material.channels.map((c) => ({ channel_id: c.id })) as PostAggregate['targets'],
    });
    const { scheduledAt: _beforeTime, ...beforeContent } = before;
    const { scheduledAt: _afterTime, ...afterContent } = candidate;
    const contentChanged = JSON.stringify(beforeContent) !== JSON.stringify(afterContent);
    if (!contentChanged && before.scheduledAt === candidate.scheduledAt) return existing;
    // Content edited in review or after approval: back to review, in a new round.
    const status = contentChanged ? nextStatus(locked.status, 'edit') : locked.status;
    const newRound = contentChanged && ['in_review', 'approved', 'scheduled'].includes(locked.status);
    await trx.updateTable('posts').set({
      title: master.title,
      body_html: bodyHtml,
      body_text: master.bodyText,
      summary: master.summary,
      rubric_id: rubricId,
      tags: master.tags,
      language: input.language ?? existing.post.language,
      portal_url: master.portalUrl,
      urgent: master.urgent,
      serta_merta: sertaMerta ? JSON.stringify(sertaMerta) : null,
      scheduled_at: scheduledAt,
      status,
      ...(newRound ? { review_round: locked.review_round + 1, approved_at: null, submitted_at: now } : {}),
      version: locked.version + 1,
      updated_at: now,
    }).where('id', '=', postId).execute();
    await writeChildren(trx, postId, material.media, variants, material.channels.map((c) => c.id), new Map(material.channels.map((c) => [c.id, c.network])));
    const aggregate = await commitVersion(trx, postId, caller.actor.userId, newRound ? 'edit_after_review' : 'edit');
    // A scheduled post moved, or sent back to review: its waiting article follows.
    await syncArticle(trx, aggregate, now);
    await recordAudit(trx, caller.origin, {
      action: newRound ? 'post.update_back_to_review' : 'post.update', entityType: 'post', entityId: postId, unitId: existing.post.unit_id,
      before: auditSummary(existing), after: auditSummary(aggregate),
    });
    return aggregate;
  });
}
