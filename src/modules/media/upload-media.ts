/**
 * Uploading a file to a unit's media library. The steps, in order: decide the type from the content
 * (sniff), apply the kind's size limit, notice a file the unit already has (same SHA-256 of the
 * uploaded bytes: the existing item is returned), process it (images: upright, metadata stripped,
 * thumbnail and renditions; videos: read basic facts, kept as uploaded), write the files, then
 * insert the row with its audit entry in one transaction. Every refusal happens before anything is
 * written, and a failed insert removes the files it wrote: a refused upload leaves no row and no file.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB, MediaRow } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { mediaLimits, tooLarge, type MediaLimits } from './limits.ts';
import { mediaAuditView, type StoredRendition, type StoredRenditions } from './presenters.ts';
import type { ImageFile } from './process-image.ts';
import { sniff, type SniffedType } from './sniff.ts';
import { mediaKey, newMediaStem, type MediaStorage } from './storage.ts';
import { readVideoMetadata } from './video-metadata.ts';

export interface UploadMediaOptions {
  db: Kysely<DB>;
  storage: MediaStorage;
  unitId: string;
  /** Who uploads, for `uploaded_by` and the audit entry. */
  uploader: AuditActor;
  /** The file name on the uploader's device; kept for people to recognise the file, never trusted. */
  originalName: string | null;
  data: Buffer;
  alt?: string | undefined;
  limits?: MediaLimits | undefined;
  now?: Date | undefined;
}

export interface UploadMediaResult {
  media: MediaRow;
  /** false when the unit already had this exact file and that item is returned. */
  created: boolean;
}

/** One file to write: its key and bytes. */
interface PlannedFile {
  key: string;
  data: Buffer;
}

interface Planned {
  files: PlannedFile[];
  row: {
    kind: SniffedType['kind'];
    mime: string;
    bytes: number;
    width: number | null;
    height: number | null;
    duration_ms: number | null;
    storage_key: string;
    thumbnail_key: string | null;
    renditions: StoredRenditions;
  };
}

/** The part of a device file name worth keeping: no folders, no control characters, bounded. */
export function cleanOriginalName(name: string | null): string | null {
  if (!name) return null;
  const base = path.posix.basename(name.replaceAll('\\', '/'));
  const clean = base.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim().slice(0, 255);
  return clean === '' ? null : clean;
}

/** The type of an upload, or the refusal; shared by the multipart reader (to stop early) and the operation. */
export function checkUpload(data: Buffer, limits: MediaLimits): SniffedType {
  if (data.length === 0) throw new AppError('media.empty');
  const type = sniff(data);
  if (!type) throw new AppError('media.unsupported_type');
  if (data.length > limits[type.kind]) throw tooLarge(limits, { kind: type.kind, bytes: data.length, limit: limits[type.kind] });
  return type;
}

async function planImage(data: Buffer, type: SniffedType, stem: string): Promise<Planned> {
  // sharp (libvips) is loaded on the first image, not when Siar starts.
  const { processImage } = await import('./process-image.ts');
  const processed = await processImage(data, type);
  const main = mediaKey(stem, processed.main.ext);
  const files: PlannedFile[] = [{ key: main, data: processed.main.data }];
  const thumbnail = mediaKey(stem, processed.thumbnail.ext, 'thumb');
  files.push({ key: thumbnail, data: processed.thumbnail.data });
  const rendition = (file: ImageFile | undefined, variant: 'instagram' | 'web'): StoredRendition | undefined => {
    if (!file) return undefined;
    let key = main;
    if (file !== processed.main) {
      key = mediaKey(stem, file.ext, variant);
      files.push({ key, data: file.data });
    }
    return { key, width: file.width, height: file.height, mime: file.mime, bytes: file.data.length };
  };
  const instagram = rendition(processed.renditions.instagram, 'instagram');
  const web = rendition(processed.renditions.web, 'web');
  return {
    files,
    row: {
      kind: type.kind,
      mime: processed.main.mime,
      bytes: processed.main.data.length,
      width: processed.main.width,
      height: processed.main.height,
      duration_ms: null,
      storage_key: main,
      thumbnail_key: thumbnail,
      renditions: { ...(instagram ? { instagram } : {}), ...(web ? { web } : {}) },
    },
  };
}

function planVideo(data: Buffer, type: SniffedType, stem: string): Planned {
  const facts = readVideoMetadata(data, type.format);
  if (!facts) throw new AppError('media.corrupt', { details: { reason: 'no movie header (moov/mvhd)' } });
  const key = mediaKey(stem, type.ext);
  return {
    files: [{ key, data }],
    row: { kind: 'video', mime: type.mime, bytes: data.length, width: facts.width, height: facts.height, duration_ms: facts.durationMs, storage_key: key, thumbnail_key: null, renditions: {} },
  };
}

const isUniqueViolation = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';

async function findSame(db: Kysely<DB>, unitId: string, sha256: string): Promise<MediaRow | undefined> {
  // media_unit_sha_idx (unit_id, sha256) is unique.
  return db.selectFrom('media').selectAll().where('unit_id', '=', unitId).where('sha256', '=', sha256).executeTakeFirst();
}

export async function uploadMedia(options: UploadMediaOptions): Promise<UploadMediaResult> {
  const { db, storage, unitId, uploader, data } = options;
  const type = checkUpload(data, options.limits ?? mediaLimits);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const existing = await findSame(db, unitId, sha256);
  if (existing) return { media: existing, created: false };

  const stem = newMediaStem(options.now);
  const planned = type.kind === 'video' ? planVideo(data, type, stem) : await planImage(data, type, stem);

  const written: string[] = [];
  try {
    for (const file of planned.files) {
      await storage.put(file.key, file.data);
      written.push(file.key);
    }
    const media = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('media')
        .values({
          unit_id: unitId,
          uploaded_by: uploader.userId,
          kind: planned.row.kind,
          mime: planned.row.mime,
          bytes: planned.row.bytes,
          width: planned.row.width,
          height: planned.row.height,
          duration_ms: planned.row.duration_ms,
          sha256,
          original_name: cleanOriginalName(options.originalName),
          storage_key: planned.row.storage_key,
          thumbnail_key: planned.row.thumbnail_key,
          renditions: JSON.stringify(planned.row.renditions),
          alt: options.alt?.trim() ?? '',
          ...(options.now ? { created_at: options.now } : {}),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, uploader, { action: 'media.upload', entityType: 'media', entityId: row.id, unitId, after: mediaAuditView(row) });
      return row;
    });
    return { media, created: true };
  } catch (error) {
    await Promise.all(written.map((key) => storage.remove(key).catch(() => undefined)));
    // The same file uploaded twice at the same moment: the other upload won, return its item.
    if (isUniqueViolation(error)) {
      const same = await findSame(db, unitId, sha256);
      if (same) return { media: same, created: false };
    }
    throw error;
  }
}
