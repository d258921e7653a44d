// Owns: Zod schemas for input coming from outside (a later HTTP route), and
// safeValidate(), which never throws: bad input becomes a list of readable errors.
import { z } from 'zod';
import { NETWORKS } from './limits.ts';
import type { LimitOverrides } from './limits.ts';
import type { Post, ValidationResult } from './types.ts';
import { validateAll } from './validate.ts';

// Generous caps: they only stop abuse (a 100 KB text is still validated and
// reported as too long, rather than refused as malformed input).
const MAX_TEXT = 200_000;

export const networkSchema = z.enum(NETWORKS);
export const mediaKindSchema = z.enum(['image', 'video', 'gif']);

export const mediaSchema = z.strictObject({
  kind: mediaKindSchema,
  mime: z.string().trim().min(1).max(255),
  bytes: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  width: z.number().int().positive().max(100_000).optional(),
  height: z.number().int().positive().max(100_000).optional(),
  alt: z.string().max(10_000).optional(),
});

export const postSchema = z.strictObject({
  text: z.string().max(MAX_TEXT),
  title: z.string().max(10_000).optional(),
  media: z.array(mediaSchema).max(100).default([]),
});

const count = z.number().int().nonnegative().max(10_000_000);
const mimeList = z.array(z.string().min(1).max(255)).max(50);

export const overridesSchema = z.strictObject({
  maxText: count.min(1).optional(),
  maxTextWithMedia: count.optional(),
  warnTextAbove: count.optional(),
  maxBytes: count.optional(),
  charsPerUrl: count.optional(),
  maxLinks: count.optional(),
  maxHashtags: count.optional(),
  maxMentions: count.optional(),
  minMedia: count.optional(),
  maxMedia: count.optional(),
  maxImages: count.optional(),
  maxVideos: count.optional(),
  maxGifs: count.optional(),
  allowMixedMedia: z.boolean().optional(),
  mimes: z.strictObject({ image: mimeList.optional(), video: mimeList.optional(), gif: mimeList.optional() }).optional(),
  maxBytesByKind: z.strictObject({
    image: z.number().int().positive().optional(),
    video: z.number().int().positive().optional(),
    gif: z.number().int().positive().optional(),
  }).optional(),
  minAspect: z.number().positive().max(100).optional(),
  maxAspect: z.number().positive().max(100).optional(),
  requireVideo: z.boolean().optional(),
  requireTitle: z.boolean().optional(),
  maxTitle: count.optional(),
  forbiddenChars: z.string().max(100).optional(),
  escapedChars: z.string().max(100).optional(),
  altTextExpected: z.boolean().optional(),
});

export const validateRequestSchema = z.strictObject({
  networks: z.array(networkSchema).min(1).max(NETWORKS.length),
  post: postSchema,
  overrides: z.partialRecord(networkSchema, overridesSchema).optional(),
});

export type ValidateRequest = z.infer<typeof validateRequestSchema>;

// Compile-time check that the schemas produce the shapes validate.ts expects.
const _postCompat = (p: z.infer<typeof postSchema>): Post => p;
const _overridesCompat = (o: z.infer<typeof overridesSchema>): LimitOverrides => o;
void _postCompat;
void _overridesCompat;

export type SafeValidateResult =
  | { ok: true; results: ValidationResult[] }
  | { ok: false; errors: { path: string; message: string }[] };

/** Parse unknown input and validate it; never throws. */
export function safeValidate(input: unknown): SafeValidateResult {
  const parsed = validateRequestSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({
        path: i.path.map(String).join('.') || '(root)',
        message: i.message,
      })),
    };
  }
  const { networks, post, overrides } = parsed.data;
  return { ok: true, results: validateAll(networks, post, overrides) };
}
