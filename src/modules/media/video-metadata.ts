/**
 * Basic facts about an uploaded video without ffmpeg: MP4 and MOV are ISO base media files, a tree
 * of boxes (4-byte size, 4-byte type). The movie header (moov/mvhd) gives timescale and duration;
 * each track header (moov/trak/tkhd) a width and height, with a matrix that says whether a phone
 * recorded the video turned (portrait video is usually stored landscape plus a 90° matrix).
 *
 * WebM (Matroska) is not parsed: its facts stay null.
 */
import type { MediaFormat } from './sniff.ts';

export interface VideoMetadata {
  width: number | null;
  height: number | null;
  durationMs: number | null;
}

interface Box {
  type: string;
  /** Start and end of the box's content (after its header). */
  start: number;
  end: number;
}

/** The boxes directly inside [start, end); stops at the first malformed header. */
export function* boxes(view: DataView, start: number, end: number): Generator<Box> {
  let at = start;
  while (at + 8 <= end) {
    let size = view.getUint32(at);
    const type = String.fromCharCode(view.getUint8(at + 4), view.getUint8(at + 5), view.getUint8(at + 6), view.getUint8(at + 7));
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) return;
      const large = view.getBigUint64(at + 8);
      if (large > BigInt(Number.MAX_SAFE_INTEGER)) return;
      size = Number(large);
      header = 16;
    } else if (size === 0) {
      size = end - at; // the box runs to the end of its parent (or the file)
    }
    if (size < header || at + size > end) return;
    yield { type, start: at + header, end: at + size };
    at += size;
  }
}

function child(view: DataView, parent: Box, type: string): Box | undefined {
  for (const box of boxes(view, parent.start, parent.end)) if (box.type === type) return box;
  return undefined;
}

function readMvhd(view: DataView, box: Box): number | null {
  const version = view.getUint8(box.start);
  const need = version === 1 ? 32 : 20;
  if (box.end - box.start < need) return null;
  const timescale = view.getUint32(box.start + (version === 1 ? 20 : 12));
  const duration = version === 1 ? Number(view.getBigUint64(box.start + 24)) : view.getUint32(box.start + 16);
  // All ones means "unknown"; 0 is common in fragmented files, whose fragments carry the time.
  const unknown = version === 1 ? duration >= Number.MAX_SAFE_INTEGER : duration === 0xffffffff;
  if (timescale === 0 || duration === 0 || unknown) return null;
  return Math.round((duration * 1000) / timescale);
}

function readTkhd(view: DataView, box: Box): { width: number; height: number } | null {
  const version = view.getUint8(box.start);
  // version/flags 4, times + track id + reserved + duration (20 or 32), reserved 8, layer, group,
  // volume, reserved (8), matrix 36, width and height (16.16 fixed point).
  const matrixAt = box.start + 4 + (version === 1 ? 32 : 20) + 16;
  const sizeAt = matrixAt + 36;
  if (sizeAt + 8 > box.end) return null;
  const width = Math.round(view.getUint32(sizeAt) / 65536);
  const height = Math.round(view.getUint32(sizeAt + 4) / 65536);
  if (width === 0 || height === 0) return null; // audio and other non-visual tracks
  // Matrix {a b u / c d v / x y w}: a = d = 0 means a quarter turn, so shown width and height swap.
  const a = view.getInt32(matrixAt);
  const d = view.getInt32(matrixAt + 16);
  return a === 0 && d === 0 ? { width: height, height: width } : { width, height };
}

/** Facts of an MP4/MOV file, or null when it has no readable movie header (damaged or cut short). */
export function readIsoBmffMetadata(data: Uint8Array): VideoMetadata | null {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let moov: Box | undefined;
  for (const box of boxes(view, 0, data.byteLength)) {
    if (box.type === 'moov') {
      moov = box;
      break;
    }
  }
  if (!moov) return null;
  const mvhd = child(view, moov, 'mvhd');
  if (!mvhd) return null;
  let size: { width: number; height: number } | null = null;
  for (const trak of boxes(view, moov.start, moov.end)) {
    if (trak.type !== 'trak') continue;
    const tkhd = child(view, trak, 'tkhd');
    size = tkhd ? readTkhd(view, tkhd) : null;
    if (size) break;
  }
  return { width: size?.width ?? null, height: size?.height ?? null, durationMs: readMvhd(view, mvhd) };
}

/**
 * What can be learned about a video. MP4/MOV without a movie header cannot play and is refused
 * (null); WebM is accepted with unknown facts.
 */
export function readVideoMetadata(data: Uint8Array, format: MediaFormat): VideoMetadata | null {
  if (format === 'mp4' || format === 'mov') return readIsoBmffMetadata(data);
  return { width: null, height: null, durationMs: null };
}
