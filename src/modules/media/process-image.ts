/**
 * Turns an uploaded photo into what Siar stores and serves. The photo is decoded once, turned
 * upright (EXIF orientation), capped in size and re-encoded: sharp writes no metadata unless asked
 * (`withMetadata`/`keepExif`, which this module never calls), so camera serial numbers, GPS
 * positions, XMP and IPTC do not travel on to the public web. From the same pixels come a small
 * thumbnail and the renditions networks need: `instagram` (JPEG only, 4:5 to 1.91:1, at most 1440
 * wide) and `web` (WebP, long edge at most 2048).
 *
 * Animated GIFs are kept frame for frame (re-encoding GIFs loses quality and often grows them), only
 * their comment and metadata blocks removed, after a full decode shows they are sound; their
 * thumbnail is the first frame.
 */
import sharp, { type Sharp } from 'sharp';
import { AppError } from '../../errors/errors.ts';
import { DEFAULT_LIMITS } from '../networks/limits.ts';
import type { SniffedType } from './sniff.ts';
import type { MediaExtension } from './storage.ts';

export const MAX_LONG_EDGE = 4096;
export const THUMBNAIL_LONG_EDGE = 320;
export const INSTAGRAM_MAX_WIDTH = 1440;
export const WEB_LONG_EDGE = 2048;
const INSTAGRAM_MIN_ASPECT = DEFAULT_LIMITS.instagram.minAspect ?? 4 / 5;
const INSTAGRAM_MAX_ASPECT = DEFAULT_LIMITS.instagram.maxAspect ?? 1.91;

export interface ImageFile {
  data: Buffer;
  mime: string;
  ext: MediaExtension;
  width: number;
  height: number;
}

export interface ProcessedImage {
  /** The file kept as the media's original (re-encoded, or the GIF as uploaded). */
  main: ImageFile;
  thumbnail: ImageFile;
  /** A rendition may be `main` itself when the main file already fits; it is then not stored twice. */
  renditions: { instagram?: ImageFile; web?: ImageFile };
}

interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

// A warning from the decoder (a cut-short JPEG: "premature end of data") is a refusal.
const input = { failOn: 'warning' } as const;

function fromPixels(pixels: Pixels): Sharp {
  return sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } });
}

async function encode(pipeline: Sharp, ext: 'jpg' | 'png' | 'webp'): Promise<ImageFile> {
  const encoded =
    ext === 'jpg' ? pipeline.jpeg({ quality: 86, progressive: true }) : ext === 'png' ? pipeline.png() : pipeline.webp({ quality: 84 });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  const mime = ext === 'jpg' ? 'image/jpeg' : ext === 'png' ? 'image/png' : 'image/webp';
  return { data, mime, ext, width: info.width, height: info.height };
}

const hasAlpha = (pixels: Pixels): boolean => pixels.channels === 2 || pixels.channels === 4;
const longEdge = (file: { width: number; height: number }): number => Math.max(file.width, file.height);

async function thumbnailOf(pipeline: Sharp): Promise<ImageFile> {
  return encode(pipeline.resize(THUMBNAIL_LONG_EDGE, THUMBNAIL_LONG_EDGE, { fit: 'inside', withoutEnlargement: true }), 'webp');
}

/** The largest width × height inside the image whose ratio Instagram accepts. */
export function instagramFrame(width: number, height: number): { width: number; height: number } {
  let cropWidth = width;
  let cropHeight = height;
  if (width / height < INSTAGRAM_MIN_ASPECT) cropHeight = Math.floor(width / INSTAGRAM_MIN_ASPECT);
  else if (width / height > INSTAGRAM_MAX_ASPECT) cropWidth = Math.floor(height * INSTAGRAM_MAX_ASPECT);
  const outWidth = Math.min(INSTAGRAM_MAX_WIDTH, cropWidth);
  let outHeight = Math.max(1, Math.round((outWidth * cropHeight) / cropWidth));
  // Rounding must not push the ratio back out of range.
  if (outWidth / outHeight < INSTAGRAM_MIN_ASPECT) outHeight = Math.floor(outWidth / INSTAGRAM_MIN_ASPECT);
  if (outWidth / outHeight > INSTAGRAM_MAX_ASPECT) outHeight = Math.ceil(outWidth / INSTAGRAM_MAX_ASPECT);
  return { width: outWidth, height: outHeight };
}

async function instagramRendition(pixels: Pixels, main: ImageFile): Promise<ImageFile> {
  const frame = instagramFrame(pixels.width, pixels.height);
  if (main.ext === 'jpg' && frame.width === main.width && frame.height === main.height) return main;
  let pipeline = fromPixels(pixels);
  if (hasAlpha(pixels)) pipeline = pipeline.flatten({ background: '#ffffff' });
  // Outside 4:5..1.91:1 the crop keeps the most interesting region (sharp's attention strategy).
  return encode(pipeline.resize(frame.width, frame.height, { fit: 'cover', position: sharp.strategy.attention }), 'jpg');
}

async function webRendition(pixels: Pixels, main: ImageFile): Promise<ImageFile> {
  if (main.ext === 'webp' && longEdge(main) <= WEB_LONG_EDGE) return main;
  return encode(fromPixels(pixels).resize(WEB_LONG_EDGE, WEB_LONG_EDGE, { fit: 'inside', withoutEnlargement: true }), 'webp');
}

function corrupt(error: unknown, type: SniffedType): AppError {
  if (error instanceof AppError) return error;
  // Sharp's prebuilt libvips reads HEIF containers but has no HEVC decoder: an iPhone HEIC photo
  // is then a type Siar cannot take, not a damaged file.
  if (type.format === 'heic') return new AppError('media.unsupported_type', { details: { reason: 'heic_not_decodable' }, cause: error });
  return new AppError('media.corrupt', { cause: error });
}

async function processStill(data: Buffer, type: SniffedType): Promise<ProcessedImage> {
  const decoded = await sharp(data, input)
    .rotate()
    .resize(MAX_LONG_EDGE, MAX_LONG_EDGE, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels: Pixels = { data: decoded.data, width: decoded.info.width, height: decoded.info.height, channels: decoded.info.channels };
  // Keep the format people uploaded; HEIC and AVIF become JPEG, which every network takes.
  const ext = type.format === 'png' ? 'png' : type.format === 'webp' ? 'webp' : 'jpg';
  const source = ext === 'jpg' && hasAlpha(pixels) ? fromPixels(pixels).flatten({ background: '#ffffff' }) : fromPixels(pixels);
  const main = await encode(source, ext);
  const [thumbnail, instagram, web] = await Promise.all([thumbnailOf(fromPixels(pixels)), instagramRendition(pixels, main), webRendition(pixels, main)]);
  return { main, thumbnail, renditions: { instagram, web } };
}

/**
 * Walks a GIF's blocks to its trailer and returns the file without its metadata blocks (comments,
 * and application extensions other than the looping one: XMP, ICC and the like), or null when the
 * structure ends early. The GIF decoder happily shows a file cut off mid-frame (the rest of the
 * frame blank), so completeness is checked here.
 */
export function walkGif(data: Buffer): Buffer | null {
  if (data.length < 13) return null;
  let at = 13;
  const flags = data[10]!;
  if (flags & 0x80) at += 3 * 2 ** ((flags & 0x07) + 1); // global colour table
  const kept: Buffer[] = [data.subarray(0, at)];
  const skipSubBlocks = (): boolean => {
    while (at < data.length) {
      const size = data[at]!;
      at += 1 + size;
      if (size === 0) return at <= data.length;
    }
    return false;
  };
  while (at < data.length) {
    const start = at;
    const block = data[at]!;
    if (block === 0x3b) {
      kept.push(data.subarray(at, at + 1));
      return Buffer.concat(kept);
    }
    if (block === 0x21) {
      const label = data[at + 1];
      at += 2;
      if (!skipSubBlocks()) return null;
      const application = label === 0xff ? data.toString('latin1', start + 3, start + 14) : '';
      const metadata = label === 0xfe || (label === 0xff && application !== 'NETSCAPE2.0' && application !== 'ANIMEXTS1.0');
      if (!metadata) kept.push(data.subarray(start, at));
    } else if (block === 0x2c) {
      if (at + 10 > data.length) return null;
      const local = data[at + 9]!;
      at += 10;
      if (local & 0x80) at += 3 * 2 ** ((local & 0x07) + 1); // local colour table
      at += 1; // LZW minimum code size
      if (!skipSubBlocks()) return null;
      kept.push(data.subarray(start, at));
    } else {
      return null;
    }
  }
  return null;
}

async function processGif(upload: Buffer): Promise<ProcessedImage> {
  const data = walkGif(upload);
  if (!data) throw new AppError('media.corrupt', { details: { reason: 'GIF ends before its trailer' } });
  const metadata = await sharp(data, { ...input, animated: true }).metadata();
  // Decoding every frame (scaled down, so memory stays small) is the check that the file is whole.
  await sharp(data, { ...input, animated: true }).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
  const width = metadata.width;
  const height = metadata.pageHeight ?? metadata.height;
  if (!width || !height) throw new AppError('media.corrupt');
  const thumbnail = await thumbnailOf(sharp(data, { ...input, pages: 1 }));
  return { main: { data, mime: 'image/gif', ext: 'gif', width, height }, thumbnail, renditions: {} };
}

/** Processes a sniffed image or GIF; a file sharp cannot read is refused with a 4xx AppError. */
export async function processImage(data: Buffer, type: SniffedType): Promise<ProcessedImage> {
  if (type.kind === 'video') throw new Error('processImage: not an image');
  try {
    return type.kind === 'gif' ? await processGif(data) : await processStill(data, type);
  } catch (error) {
    throw corrupt(error, type);
  }
}
