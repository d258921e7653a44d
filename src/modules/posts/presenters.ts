/** The public shape of a post, its versions and its snapshot (what a version stores). */
import { z } from 'zod';
import type { PostRow } from '../../db/schema.ts';
import { describeInstant } from '../calendar/zoned-time.ts';
import { NETWORK_NAMES, type Network } from '../networks/limits.ts';
import { portalLineSchema, type PortalLine } from '../portal/manage/portal-line.ts';
import type { ResolvedVariant, StoredVariant, VariantCheck } from './draft.ts';
import type { PostAggregate } from './queries.ts';

const zoned = z.object({ utc: z.string(), local: z.string(), timeZone: z.string(), zoneName: z.string() });
const bilingual = z.object({ id: z.string(), en: z.string() });

export const variantSchema = z.object({
  network: z.string(),
  networkName: z.string(),
  text: z.string(),
  parts: z.array(z.string()),
  title: z.string().nullable(),
  mediaIds: z.array(z.string()),
  thread: z.boolean(),
  firstComment: z.string().nullable(),
  hashtags: z.array(z.string()),
  customized: z.boolean(),
  notes: z.array(bilingual).optional(),
});

export const checkSchema = z.object({
  network: z.string(),
  channelId: z.string().nullable(),
  ok: z.boolean(),
  issues: z.array(z.object({
    severity: z.enum(['error', 'warning']),
    network: z.string(),
    rule: z.string(),
    measured: z.union([z.number(), z.string()]),
    limit: z.union([z.number(), z.string()]),
    message: bilingual,
    part: z.number().optional(),
  })),
  counters: z.array(z.object({ used: z.number(), limit: z.number(), unit: z.string() })),
});

export const hintSchema = z.object({
  rule: z.string(),
  severity: z.enum(['advice', 'second_look']),
  message: bilingual,
  measured: z.union([z.number(), z.string()]).optional(),
  excerpt: z.string().optional(),
});

const mediaSchema = z.object({
  mediaId: z.string(), alt: z.string(), kind: z.string(), mime: z.string(), bytes: z.number(),
  width: z.number().nullable(), height: z.number().nullable(), url: z.string(), thumbnailUrl: z.string().nullable(),
});

const targetSchema = z.object({
  id: z.string(),
  channelId: z.string(),
  network: z.string(),
  channel: z.object({ name: z.string(), handle: z.string(), avatarUrl: z.string().nullable() }),
  status: z.string(),
  externalUrl: z.string().nullable(),
  error: z.string().nullable(),
  /** Why it failed or waits, for a person: Indonesian and English. */
  errorReason: bilingual.nullable(),
  /** What the network's answer said a person should know about how it went out. */
  notice: bilingual.nullable(),
  errorCode: z.string().nullable(),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  /** The last attempt may have reached the network; Siar is checking before trying again. */
  uncertain: z.boolean(),
  channelConnection: z.string(),
  publishedAt: z.string().nullable(),
  /** Taken down from the network by an approver. */
  removedAt: z.string().nullable(),
  /** Its text was last corrected on the network. */
  editedAt: z.string().nullable(),
  /** What this person may do to it now: try again, take it down, correct its text there. */
  actions: z.array(z.enum(['retry', 'remove', 'edit'])),
});

export const approvalStateSchema = z.object({
  tiers: z.number(),
  round: z.number(),
  approvedTiers: z.number(),
  /** The tier waiting for a decision (1-based); null when none is. */
  currentTier: z.number().nullable(),
  currentTierUnitId: z.string().nullable(),
  decisions: z.array(z.object({
    tier: z.number(), round: z.number(), decision: z.string(), note: z.string().nullable(),
    approver: z.object({ id: z.string(), name: z.string() }), at: z.string(),
  })),
});

export const postSchema = z.object({
  id: z.string(),
  unit: z.object({ id: z.string(), name: z.string(), timezone: z.string() }),
  author: z.object({ id: z.string(), name: z.string() }),
  rubric: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
  title: z.string(),
  bodyHtml: z.string(),
  bodyText: z.string(),
  summary: z.string(),
  language: z.string(),
  tags: z.array(z.string()),
  portalUrl: z.string().nullable(),
  urgent: z.boolean(),
  sertaMerta: z.record(z.string(), z.string()).nullable(),
  status: z.string(),
  needsPostReview: z.boolean(),
  scheduled: zoned.nullable(),
  version: z.number(),
  media: z.array(mediaSchema),
  variants: z.array(variantSchema),
  targets: z.array(targetSchema),
  /** The portal, the channel every post has: its article's address and state, and clicks through its short links; null until it is scheduled. */
  portal: portalLineSchema.nullable(),
  checks: z.array(checkSchema),
  hints: z.array(hintSchema),
  approval: approvalStateSchema,
  /** What the caller may do now: actions of the state machine they are also allowed to take. */
  actions: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
});
export type PresentedPost = z.infer<typeof postSchema>;

export const postSummarySchema = z.object({
  id: z.string(),
  unit: z.object({ id: z.string(), name: z.string() }),
  author: z.object({ id: z.string(), name: z.string() }),
  rubric: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
  title: z.string(),
  status: z.string(),
  urgent: z.boolean(),
  needsPostReview: z.boolean(),
  networks: z.array(z.string()),
  scheduled: zoned.nullable(),
  version: z.number(),
  updatedAt: z.string(),
});

export function presentVariant(variant: StoredVariant | ResolvedVariant) {
  return {
    network: variant.network,
    networkName: NETWORK_NAMES[variant.network as Network],
    text: variant.text,
    parts: variant.parts,
    title: variant.title,
    mediaIds: variant.mediaIds,
    thread: variant.thread,
    firstComment: variant.firstComment,
    hashtags: variant.hashtags,
    customized: variant.customized,
    ...('notes' in variant ? { notes: variant.notes } : {}),
  };
}

export const scheduledOf = (post: Pick<PostRow, 'scheduled_at'>, timeZone: string) => (post.scheduled_at ? describeInstant(post.scheduled_at, timeZone) : null);

export interface PresentExtras {
  authorName: string;
  checks: VariantCheck[];
  hints: z.infer<typeof hintSchema>[];
  approval: z.infer<typeof approvalStateSchema>;
  actions: string[];
  mediaUrl: (key: string) => string;
  mediaKeys: Map<string, { storageKey: string; thumbnailKey: string | null }>;
  targetActions?: (target: PostAggregate['targets'][number]) => ('retry' | 'remove' | 'edit')[];
  portal?: PortalLine | null;
}

export function presentPost(aggregate: PostAggregate, extras: PresentExtras): PresentedPost {
  const { post, unit, rubric } = aggregate;
  return {
    id: post.id,
    unit: { id: unit.id, name: unit.name, timezone: unit.timezone },
    author: { id: post.author_id, name: extras.authorName },
    rubric: rubric ? { id: rubric.id, slug: rubric.slug, name: rubric.name } : null,
    title: post.title,
    bodyHtml: post.body_html,
    bodyText: post.body_text,
    summary: post.summary,
    language: post.language,
    tags: post.tags,
    portalUrl: post.portal_url,
    urgent: post.urgent,
    sertaMerta: (post.serta_merta ?? null) as Record<string, string> | null,
    status: post.status,
    needsPostReview: post.needs_post_review,
    scheduled: scheduledOf(post, unit.timezone),
    version: post.version,
    media: aggregate.media.map((m) => {
      const keys = extras.mediaKeys.get(m.id);
      return {
        mediaId: m.id, alt: m.alt, kind: m.kind, mime: m.mime, bytes: m.bytes, width: m.width, height: m.height,
        url: keys ? extras.mediaUrl(keys.storageKey) : '',
        thumbnailUrl: keys?.thumbnailKey ? extras.mediaUrl(keys.thumbnailKey) : null,
      };
    }),
    variants: aggregate.variants.map(presentVariant),
    targets: aggregate.targets.map((t) => ({
      id: t.id,
      channelId: t.channel_id,
      network: t.network,
      channel: { name: t.channel.name, handle: t.channel.handle, avatarUrl: t.channel.avatar_url },
      status: t.status,
      externalUrl: t.external_url,
      error: t.error,
      errorReason: (t.error_reason ?? null) as { id: string; en: string } | null,
      notice: (t.notice ?? null) as { id: string; en: string } | null,
      errorCode: t.error_code,
      attempts: t.attempts,
      nextAttemptAt: t.next_attempt_at?.toISOString() ?? null,
      uncertain: t.uncertain,
      channelConnection: t.channel.connection,
      publishedAt: t.published_at?.toISOString() ?? null,
      removedAt: t.removed_at?.toISOString() ?? null,
      editedAt: t.edited_at?.toISOString() ?? null,
      actions: extras.targetActions?.(t) ?? [],
    })),
    portal: extras.portal ?? null,
    checks: extras.checks,
    hints: extras.hints,
    approval: extras.approval,
    actions: extras.actions,
    createdAt: post.created_at.toISOString(),
    updatedAt: post.updated_at.toISOString(),
    submittedAt: post.submitted_at?.toISOString() ?? null,
    approvedAt: post.approved_at?.toISOString() ?? null,
  };
}

/** What a version keeps: the whole content of the post at that moment, ids rather than names. */
export function snapshotOf(aggregate: Pick<PostAggregate, 'post' | 'media' | 'variants' | 'targets'>) {
  const { post } = aggregate;
  return {
    title: post.title,
    bodyHtml: post.body_html,
    bodyText: post.body_text,
    summary: post.summary,
    rubricId: post.rubric_id,
    tags: post.tags,
    language: post.language,
    portalUrl: post.portal_url,
    urgent: post.urgent,
    sertaMerta: post.serta_merta ?? null,
    status: post.status,
    scheduledAt: post.scheduled_at?.toISOString() ?? null,
    media: aggregate.media.map((m) => ({ mediaId: m.id, alt: m.alt })),
    variants: aggregate.variants.map((v) => ({
      network: v.network, text: v.text, parts: v.parts, title: v.title, mediaIds: v.mediaIds, thread: v.thread,
      firstComment: v.firstComment, hashtags: v.hashtags, customized: v.customized,
    })),
    targets: aggregate.targets.map((t) => t.channel_id),
  };
}
export type PostSnapshot = ReturnType<typeof snapshotOf>;
