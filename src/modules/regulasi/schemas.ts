/** What the regulations API accepts and answers (the same schemas feed the OpenAPI document). */
import { z } from 'zod';
import { uuid } from '../../http/schemas.ts';

export const regulationTypes = ['perda', 'pergub', 'perbup', 'perwali', 'keputusan', 'surat_edaran'] as const;
export const regulationStatuses = ['berlaku', 'dicabut', 'diubah', 'rancangan'] as const;
/** Types numbered by the issuing government (province, regency or city), unique within it. */
export const regionalTypes: readonly string[] = ['perda', 'pergub', 'perbup', 'perwali'];

/** How each type is written in a sentence ("Pergub Nomor 5 Tahun 2025"). */
export const typeNames: Record<(typeof regulationTypes)[number], string> = {
  perda: 'Perda',
  pergub: 'Pergub',
  perbup: 'Perbup',
  perwali: 'Perwali',
  keputusan: 'Keputusan',
  surat_edaran: 'Surat Edaran',
};

/** The full name of each type, as the documents are titled ("Peraturan Gubernur"). */
export const typeLongNames: Record<(typeof regulationTypes)[number], string> = {
  perda: 'Peraturan Daerah',
  pergub: 'Peraturan Gubernur',
  perbup: 'Peraturan Bupati',
  perwali: 'Peraturan Wali Kota',
  keputusan: 'Keputusan',
  surat_edaran: 'Surat Edaran',
};

/** The explanation fields a linked post cannot be submitted without. */
export const requiredExplanation = ['purpose', 'reasons'] as const;
/** Their names for people, Indonesian and English. */
export const explanationFieldNames: Record<string, { id: string; en: string }> = {
  purpose: { id: 'tujuan', en: 'purpose' },
  reasons: { id: 'alasan', en: 'reasons' },
  affected: { id: 'siapa yang terdampak', en: 'who is affected' },
  changes: { id: 'apa yang berubah', en: 'what changes' },
  starts: { id: 'mulai kapan', en: 'from when' },
};

const date = z.iso.date({ error: 'tanggal dengan format YYYY-MM-DD (a date as YYYY-MM-DD)' });
const explanation = (max: number) => z.string().max(max, { error: `paling banyak ${max} karakter (at most ${max} characters)` });

export const faqItem = z.strictObject({
  question: z.string().trim().min(3, { error: 'pertanyaan minimal 3 karakter (question: at least 3 characters)' }).max(300),
  answer: z.string().trim().min(1, { error: 'jawaban wajib diisi (answer is required)' }).max(3000),
});

const fields = {
  type: z.enum(regulationTypes),
  number: z.string().trim().min(1, { error: 'nomor wajib diisi (number is required)' }).max(80),
  year: z.number().int().min(1945).max(2100),
  title: z.string().trim().min(3, { error: 'judul minimal 3 karakter (title: at least 3 characters)' }).max(500),
  enactedOn: date.nullable(),
  inForceOn: date.nullable(),
  status: z.enum(regulationStatuses),
  jdihUrl: z.url({ protocol: /^https$/, error: 'alamat lengkap yang diawali https:// (a full address starting with https://)' }).max(2000).nullable(),
  purpose: explanation(3000),
  reasons: explanation(3000),
  affected: explanation(3000),
  changes: explanation(3000),
  starts: explanation(1000),
  faq: z.array(faqItem).max(30),
};

export const createRegulationBody = z.strictObject({
  unitId: uuid,
  type: fields.type,
  number: fields.number,
  year: fields.year,
  title: fields.title,
  enactedOn: fields.enactedOn.default(null),
  inForceOn: fields.inForceOn.default(null),
  status: fields.status.default('berlaku'),
  jdihUrl: fields.jdihUrl.default(null),
  purpose: fields.purpose.default(''),
  reasons: fields.reasons.default(''),
  affected: fields.affected.default(''),
  changes: fields.changes.default(''),
  starts: fields.starts.default(''),
  faq: fields.faq.default([]),
});
export type CreateRegulationInput = z.infer<typeof createRegulationBody>;

export const updateRegulationBody = z.strictObject({
  /** The version the edit was made on: a newer one answers 409. */
  version: z.number().int().min(1),
  type: fields.type.optional(),
  number: fields.number.optional(),
  year: fields.year.optional(),
  title: fields.title.optional(),
  enactedOn: fields.enactedOn.optional(),
  inForceOn: fields.inForceOn.optional(),
  status: fields.status.optional(),
  jdihUrl: fields.jdihUrl.optional(),
  purpose: fields.purpose.optional(),
  reasons: fields.reasons.optional(),
  affected: fields.affected.optional(),
  changes: fields.changes.optional(),
  starts: fields.starts.optional(),
  faq: fields.faq.optional(),
});
export type UpdateRegulationInput = z.infer<typeof updateRegulationBody>;

export const listRegulationsQuery = z.strictObject({
  type: z.enum(regulationTypes).optional(),
  year: z.coerce.number().int().min(1945).max(2100).optional(),
  status: z.enum(regulationStatuses).optional(),
  /** This unit and the units below it. */
  unitId: uuid.optional(),
  /** Words of the title or the number. */
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

export const readabilityBody = z.strictObject({ text: z.string().max(50_000) });

export const linkPostBody = z.strictObject({ postId: uuid });
export const linkParams = z.strictObject({ id: uuid, postId: uuid });

const bilingual = z.object({ id: z.string(), en: z.string() });

export const readabilitySchema = z.object({
  score: z.number().nullable(),
  label: z.enum(['Mudah', 'Sedang', 'Sulit']).nullable(),
  stats: z.object({
    sentences: z.number(), words: z.number(), syllables: z.number(), wordsPerSentence: z.number(), syllablesPerWord: z.number(),
    longestSentence: z.number(), longSentences: z.number(), passiveVerbs: z.number(),
  }),
  sentences: z.array(z.object({ start: z.number(), end: z.number(), words: z.number() })),
  issues: z.array(z.object({
    kind: z.enum(['long_sentence', 'jargon', 'passive']), text: z.string(), start: z.number(), end: z.number(),
    suggestion: z.string(), message: bilingual, measured: z.number().optional(),
  })),
});

export const relatedPostSchema = z.object({ id: z.string(), title: z.string(), status: z.string(), unit: z.object({ id: z.string(), name: z.string() }), linkedAt: z.string() });

export const regulationSchema = z.object({
  id: z.string(),
  slug: z.string(),
  unit: z.object({ id: z.string(), name: z.string() }),
  type: z.enum(regulationTypes),
  /** "Pergub Nomor 5 Tahun 2025". */
  name: z.string(),
  number: z.string(),
  year: z.number(),
  title: z.string(),
  enactedOn: z.string().nullable(),
  inForceOn: z.string().nullable(),
  status: z.enum(regulationStatuses),
  jdihUrl: z.string().nullable(),
  purpose: z.string(),
  reasons: z.string(),
  affected: z.string(),
  changes: z.string(),
  starts: z.string(),
  faq: z.array(z.object({ question: z.string(), answer: z.string() })),
  /** Required explanation fields still empty (a linked post cannot be submitted while any are). */
  missing: z.array(z.string()),
  postCount: z.number(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Whether the caller may edit it. */
  canEdit: z.boolean(),
});

export const regulationDetailSchema = regulationSchema.extend({ posts: z.array(relatedPostSchema) });
