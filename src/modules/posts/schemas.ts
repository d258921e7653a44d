/** What the posts API accepts: the master content, per-network variants, targets and actions. */
import { z } from 'zod';
import { uuid } from '../../http/schemas.ts';
import { NETWORKS } from '../networks/limits.ts';
import { postStatuses } from './state.ts';

export const networkId = z.enum(NETWORKS);

/**
 * A publishing time: ISO 8601 with an offset ("2026-12-01T01:00:00Z", "…+08:00"), or a wall-clock
 * time without one ("2026-12-01T09:00"), read in the post's unit time zone.
 */
export const scheduleTime = z.string().trim().max(40).regex(
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/,
  'format: 2026-12-01T09:00 (waktu unit) atau ISO 8601 dengan zona (unit time, or ISO 8601 with offset)',
);

const line = (max: number) => z.string().max(max);

export const sertaMertaSchema = z.strictObject({
  what: line(2000).describe('Apa yang terjadi'),
  areas: line(1000).describe('Wilayah terdampak'),
  actions: line(2000).describe('Apa yang harus dilakukan warga'),
  help: line(1000).describe('Tempat mendapatkan bantuan'),
  contact: line(300).describe('Kontak'),
});

export const attachmentSchema = z.strictObject({
  mediaId: uuid,
  alt: z.string().max(1500),
});

export const variantInput = z.strictObject({
  network: networkId,
  /** Given text makes the variant the person's own; leave it out to follow the master. */
  text: z.string().max(100_000).optional(),
  parts: z.array(z.string().max(20_000)).max(25).optional(),
  title: z.string().max(300).nullable().optional(),
  mediaIds: z.array(uuid).max(20).optional(),
  thread: z.boolean().optional(),
  firstComment: z.string().max(5000).nullable().optional(),
  hashtags: z.array(z.string().trim().min(1).max(100)).max(30).optional(),
  /** false: throw away the person's text and follow the master again. */
  customized: z.boolean().optional(),
});

const masterFields = {
  title: z.string().max(300),
  bodyHtml: z.string().max(200_000),
  summary: z.string().max(2000),
  rubricId: uuid.nullable(),
  tags: z.array(z.string().trim().min(1).max(60)).max(30),
  language: z.enum(['id', 'en', 'bjn', 'bug', 'jav']),
  portalUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable(),
  urgent: z.boolean(),
  sertaMerta: sertaMertaSchema.nullable(),
  media: z.array(attachmentSchema).max(20),
  variants: z.array(variantInput).max(10),
  /** Channels (connected accounts) to publish to; each brings its network's variant. */
  targets: z.array(uuid).max(50),
  scheduledAt: scheduleTime.nullable(),
};

export const createPostBody = z.strictObject({
  unitId: uuid,
  ...masterFields,
  title: masterFields.title.trim().min(1, 'judul wajib diisi (title is required)'),
  bodyHtml: masterFields.bodyHtml.default(''),
  summary: masterFields.summary.default(''),
  rubricId: masterFields.rubricId.optional(),
  tags: masterFields.tags.default([]),
  language: masterFields.language.default('id'),
  portalUrl: masterFields.portalUrl.optional(),
  urgent: masterFields.urgent.default(false),
  sertaMerta: masterFields.sertaMerta.optional(),
  media: masterFields.media.default([]),
  variants: masterFields.variants.default([]),
  targets: masterFields.targets.default([]),
  scheduledAt: masterFields.scheduledAt.optional(),
});
export type CreatePostInput = z.infer<typeof createPostBody>;

export const updatePostBody = z.strictObject({
  /** The version the change was made on; a newer one on the server answers 409. */
  version: z.number().int().min(1),
  title: masterFields.title.trim().min(1, 'judul wajib diisi (title is required)').optional(),
  bodyHtml: masterFields.bodyHtml.optional(),
  summary: masterFields.summary.optional(),
  rubricId: masterFields.rubricId.optional(),
  tags: masterFields.tags.optional(),
  language: masterFields.language.optional(),
  portalUrl: masterFields.portalUrl.optional(),
  urgent: masterFields.urgent.optional(),
  sertaMerta: masterFields.sertaMerta.optional(),
  media: masterFields.media.optional(),
  variants: masterFields.variants.optional(),
  targets: masterFields.targets.optional(),
  scheduledAt: masterFields.scheduledAt.optional(),
});
export type UpdatePostInput = z.infer<typeof updatePostBody>;

/** Body of an action; `version` is optional there, but when given a newer post answers 409. */
export const actionBody = z.strictObject({ version: z.number().int().min(1).optional() }).nullish();
export const submitBody = z.strictObject({
  version: z.number().int().min(1).optional(),
  /** The person has looked again at wording flagged as sensitive. */
  acknowledgeSensitive: z.boolean().optional(),
}).nullish();
export const decisionBody = z.strictObject({
  version: z.number().int().min(1).optional(),
  note: z.string().trim().max(5000).optional(),
}).nullish();
export const requestChangesBody = z.strictObject({
  version: z.number().int().min(1).optional(),
  note: z.string().trim().min(1, 'tuliskan apa yang perlu diubah (say what should change)').max(5000),
});
export const scheduleBody = z.strictObject({
  version: z.number().int().min(1).optional(),
  scheduledAt: scheduleTime,
});

export const listPostsQuery = z.strictObject({
  unitId: uuid.optional(),
  status: z.enum(postStatuses).optional(),
  rubricId: uuid.optional(),
  mine: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});

export const compareQuery = z.strictObject({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
});

export const versionParams = z.strictObject({ id: uuid, version: z.coerce.number().int().min(1) });

export const commentBody = z.strictObject({
  body: z.string().trim().min(1).max(5000),
  /** People mentioned (chosen in the composer's @ picker); each is notified. */
  mentions: z.array(uuid).max(20).default([]),
});

export const checkBody = z.strictObject({
  unitId: uuid,
  title: z.string().max(300).default(''),
  bodyHtml: z.string().max(200_000).default(''),
  summary: z.string().max(2000).default(''),
  rubricId: uuid.nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(60)).max(30).default([]),
  portalUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
  urgent: z.boolean().default(false),
  media: z.array(attachmentSchema).max(20).default([]),
  variants: z.array(variantInput).max(10).default([]),
  targets: z.array(uuid).max(50).default([]),
});
export type CheckInput = z.infer<typeof checkBody>;
