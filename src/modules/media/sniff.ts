/**
 * What a file really is, decided from its first bytes (magic numbers), never from its name or the
 * Content-Type the client sent: a script renamed `photo.jpg` is still a script. Anything not on
 * the short list below is refused.
 */
import type { MediaKindColumn } from '../../db/schema.ts';
import type { MediaExtension } from './storage.ts';

export type MediaFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'heic' | 'mp4' | 'mov' | 'webm';

export interface SniffedType {
  kind: MediaKindColumn;
  format: MediaFormat;
  /** The MIME type of the upload as it is. */
  mime: string;
  /** The extension the stored original gets when it is kept as uploaded. */
  ext: MediaExtension;
}

/** Bytes needed to decide; an ISO-BMFF `ftyp` box lists its brands within them. */
export const SNIFF_BYTES = 64;

const types: Record<MediaFormat, SniffedType> = {
  jpeg: { kind: 'image', format: 'jpeg', mime: 'image/jpeg', ext: 'jpg' },
  png: { kind: 'image', format: 'png', mime: 'image/png', ext: 'png' },
  webp: { kind: 'image', format: 'webp', mime: 'image/webp', ext: 'webp' },
  gif: { kind: 'gif', format: 'gif', mime: 'image/gif', ext: 'gif' },
  // HEIC and AVIF are re-encoded as JPEG, so their stored extension is jpg.
  avif: { kind: 'image', format: 'avif', mime: 'image/avif', ext: 'jpg' },
  heic: { kind: 'image', format: 'heic', mime: 'image/heic', ext: 'jpg' },
  mp4: { kind: 'video', format: 'mp4', mime: 'video/mp4', ext: 'mp4' },
  mov: { kind: 'video', format: 'mov', mime: 'video/quicktime', ext: 'mov' },
  webm: { kind: 'video', format: 'webm', mime: 'video/webm', ext: 'webm' },
};

const ascii = (data: Uint8Array, start: number, end: number): string => String.fromCharCode(...data.subarray(start, end));
const startsWith = (data: Uint8Array, bytes: readonly number[], at = 0): boolean => bytes.every((b, i) => data[at + i] === b);

// ISO base media file format (ftyp) brands. HEIF's generic `mif1`/`msf1` decide by the other brands.
const avifBrands = new Set(['avif', 'avis']);
const heicBrands = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);
const genericHeifBrands = new Set(['mif1', 'msf1']);
const movBrands = new Set(['qt  ']);
const mp4Brands = new Set(['isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'mp71', 'avc1', 'M4V ', 'M4VH', 'M4VP', 'MSNV', 'dash', 'NDAS', 'XAVC']);

function brandType(brand: string): MediaFormat | null {
  if (avifBrands.has(brand)) return 'avif';
  if (heicBrands.has(brand)) return 'heic';
  if (movBrands.has(brand)) return 'mov';
  if (mp4Brands.has(brand)) return 'mp4';
  return null;
}

function sniffFtyp(data: Uint8Array): MediaFormat | null {
  if (data.length < 12 || ascii(data, 4, 8) !== 'ftyp') return null;
  const size = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0);
  if (size < 16) return null;
  const major = ascii(data, 8, 12);
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= Math.min(size, data.length); at += 4) compatible.push(ascii(data, at, at + 4));
  const fromMajor = brandType(major);
  if (fromMajor) return fromMajor;
  // A generic major brand (mif1, or an unknown one): the image brands win over video ones, as an
  // image sequence may also list isom.
  const listed = compatible.map(brandType).filter((t): t is MediaFormat => t !== null);
  for (const preferred of ['avif', 'heic', 'mp4', 'mov'] as const) {
    if (listed.includes(preferred)) return preferred;
  }
  return genericHeifBrands.has(major) ? 'heic' : null;
}

/** EBML variable-length integer at `at`: its length and value (with the marker bit removed unless `keepMarker`). */
function readVint(data: Uint8Array, at: number, keepMarker: boolean): { length: number; value: number } | null {
  const first = data[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (length > 8 || at + length > data.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  for (let i = 1; i < length; i += 1) value = value * 256 + data[at + i]!;
  return { length, value };
}

/** WebM is Matroska (EBML) with DocType `webm`; plain Matroska (.mkv) is not accepted. */
function sniffEbml(data: Uint8Array): MediaFormat | null {
  if (!startsWith(data, [0x1a, 0x45, 0xdf, 0xa3])) return null;
  const headerSize = readVint(data, 4, false);
  if (!headerSize) return null;
  let at = 4 + headerSize.length;
  const end = Math.min(data.length, at + headerSize.value);
  while (at < end) {
    const id = readVint(data, at, true);
    if (!id) return null;
    const size = readVint(data, at + id.length, false);
    if (!size) return null;
    const body = at + id.length + size.length;
    if (id.value === 0x4282) return ascii(data, body, Math.min(body + size.value, data.length)) === 'webm' ? 'webm' : null;
    at = body + size.value;
  }
  return null;
}

/** The media type of the content, or null when Siar does not accept it. */
export function sniff(data: Uint8Array): SniffedType | null {
  let format: MediaFormat | null = null;
  if (startsWith(data, [0xff, 0xd8, 0xff])) format = 'jpeg';
  else if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) format = 'png';
  else if (data.length >= 6 && (ascii(data, 0, 6) === 'GIF87a' || ascii(data, 0, 6) === 'GIF89a')) format = 'gif';
  else if (data.length >= 12 && ascii(data, 0, 4) === 'RIFF' && ascii(data, 8, 12) === 'WEBP') format = 'webp';
  else format = sniffFtyp(data) ?? sniffEbml(data);
  return format ? types[format] : null;
}
