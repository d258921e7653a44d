/**
 * The public shape of a media item. Files are addressed by public URLs (what Instagram and Threads
 * fetch): absolute under `publicUrl` when it is configured, else root-relative.
 */
import { z } from 'zod';
import type { Config } from '../../config/config.ts';
import type { MediaRow } from '../../db/schema.ts';

export const mediaKinds = ['image', 'video', 'gif'] as const;

/** A rendition as kept in `media.renditions` (jsonb). */
const storedRendition = z.object({ key: z.string(), width: z.number(), height: z.number(), mime: z.string(), bytes: z.number() });
const storedRenditions = z.object({ instagram: storedRendition.optional(), web: storedRendition.optional() });
export type StoredRendition = z.infer<typeof storedRendition>;
export type StoredRenditions = z.infer<typeof storedRenditions>;

const renditionSchema = z.object({ url: z.string(), width: z.number(), height: z.number(), mime: z.string(), bytes: z.number() });

export const mediaSchema = z.object({
  id: z.string(),
  unitId: z.string(),
  kind: z.enum(mediaKinds),
  mime: z.string(),
  bytes: z.number(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  durationMs: z.number().nullable(),
  alt: z.string(),
  originalName: z.string().nullable(),
  url: z.string(),
  thumbnailUrl: z.string().nullable(),
  renditions: z.object({ instagram: renditionSchema.optional(), web: renditionSchema.optional() }),
  createdAt: z.string(),
  uploadedBy: z.string().nullable(),
});
export type MediaView = z.infer<typeof mediaSchema>;

/** Path of the public file route; the route and the URLs below must agree. */
export const MEDIA_FILES_PATH = '/media/files/';

/** Where file URLs start: `https://siar.example.go.id/media/files/` or `/media/files/`. */
export function mediaFilesBase(config: Pick<Config, 'publicUrl'>): string {
  return `${config.publicUrl ? config.publicUrl.replace(/\/+$/, '') : ''}${MEDIA_FILES_PATH}`;
}

export function storedRenditionsOf(row: Pick<MediaRow, 'renditions'>): StoredRenditions {
  const parsed = storedRenditions.safeParse(typeof row.renditions === 'string' ? JSON.parse(row.renditions) : row.renditions);
  return parsed.success ? parsed.data : {};
}

/** Every storage key a row refers to (the main file, thumbnail and renditions), without repeats. */
export function storageKeysOf(row: Pick<MediaRow, 'storage_key' | 'thumbnail_key' | 'renditions'>): string[] {
  const renditions = storedRenditionsOf(row);
  const keys = [row.storage_key, row.thumbnail_key, renditions.instagram?.key, renditions.web?.key];
  return [...new Set(keys.filter((k): k is string => typeof k === 'string'))];
}

export function presentMedia(row: MediaRow, filesBase: string): MediaView {
  const stored = storedRenditionsOf(row);
  const rendition = (r: StoredRendition | undefined) => (r ? { url: filesBase + r.key, width: r.width, height: r.height, mime: r.mime, bytes: r.bytes } : undefined);
  const instagram = rendition(stored.instagram);
  const web = rendition(stored.web);
  return {
    id: row.id,
    unitId: row.unit_id,
    kind: row.kind,
    mime: row.mime,
    bytes: Number(row.bytes),
    width: row.width,
    height: row.height,
    durationMs: row.duration_ms,
    alt: row.alt,
    originalName: row.original_name,
    url: filesBase + row.storage_key,
    thumbnailUrl: row.thumbnail_key ? filesBase + row.thumbnail_key : null,
    renditions: { ...(instagram ? { instagram } : {}), ...(web ? { web } : {}) },
    createdAt: new Date(row.created_at).toISOString(),
    uploadedBy: row.uploaded_by,
  };
}

/** What the audit log keeps of a media item: facts, not URLs (those depend on configuration). */
export function mediaAuditView(row: MediaRow): Record<string, unknown> {
  return {
    id: row.id,
    unitId: row.unit_id,
    kind: row.kind,
    mime: row.mime,
    bytes: Number(row.bytes),
    sha256: row.sha256,
    originalName: row.original_name,
    alt: row.alt,
    storageKey: row.storage_key,
  };
}
