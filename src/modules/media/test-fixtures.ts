/**
 * Files for the media tests, made on the spot: photos by sharp (one carrying EXIF with a GPS
 * position), ISO-BMFF boxes for MP4/MOV, and a multipart body as a browser would send it.
 * Test-only; nothing in the running server imports this.
 */
import sharp, { type Sharp } from 'sharp';

export function box(type: string, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/** A box with a 64-bit size (size field 1), as large `mdat`s are written. */
export function largeBox(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(1, 0);
  header.write(type, 4, 'latin1');
  header.writeBigUInt64BE(BigInt(16 + body.length), 8);
  return Buffer.concat([header, body]);
}

export function ftyp(major: string, ...compatible: string[]): Buffer {
  const body = Buffer.alloc(8 + 4 * compatible.length);
  body.write(major, 0, 'latin1');
  compatible.forEach((brand, i) => body.write(brand, 8 + 4 * i, 'latin1'));
  return box('ftyp', body);
}

export function mvhd(timescale: number, duration: number, version: 0 | 1 = 0): Buffer {
  const body = Buffer.alloc(version === 1 ? 112 : 100);
  body.writeUInt8(version, 0);
  if (version === 1) {
    body.writeUInt32BE(timescale, 20);
    body.writeBigUInt64BE(BigInt(duration), 24);
  } else {
    body.writeUInt32BE(timescale, 12);
    body.writeUInt32BE(duration, 16);
  }
  return box('mvhd', body);
}

/** A track header; `turned` writes the matrix of a video recorded in portrait (90°). */
export function tkhd(width: number, height: number, options: { version?: 0 | 1; turned?: boolean } = {}): Buffer {
  const version = options.version ?? 0;
  const body = Buffer.alloc(version === 1 ? 96 : 84);
  body.writeUInt8(version, 0);
  const matrixAt = 4 + (version === 1 ? 32 : 20) + 16;
  const one = 0x10000;
  const matrix = options.turned ? [0, one, 0, -one, 0, 0, 0, 0, 0x40000000] : [one, 0, 0, 0, one, 0, 0, 0, 0x40000000];
  matrix.forEach((value, i) => body.writeInt32BE(value, matrixAt + 4 * i));
  body.writeUInt32BE(width * 65536, matrixAt + 36);
  body.writeUInt32BE(height * 65536, matrixAt + 40);
  return box('tkhd', body);
}

/** A small but well-formed MP4: ftyp, mdat, then moov with an audio and a video track. */
export function mp4(options: { width?: number; height?: number; timescale?: number; duration?: number; brand?: string; turned?: boolean; version?: 0 | 1 } = {}): Buffer {
  const version = options.version ?? 0;
  const audio = box('trak', tkhd(0, 0, { version }));
  const video = box('trak', tkhd(options.width ?? 1920, options.height ?? 1080, { version, turned: options.turned ?? false }));
  return Buffer.concat([
    ftyp(options.brand ?? 'isom', 'isom', 'iso2', 'avc1', 'mp41'),
    largeBox('mdat', Buffer.alloc(256, 7)),
    box('moov', mvhd(options.timescale ?? 600, options.duration ?? 600 * 12.5, version), audio, video),
  ]);
}

/** A photo with texture (noise), so JPEG has something to compress and a cut-off file is really cut off. */
export function photo(width: number, height: number): Sharp {
  return sharp({ create: { width, height, channels: 3, background: '#2f6d8c', noise: { type: 'gaussian', mean: 120, sigma: 40 } } });
}

/** A JPEG as a phone writes it: EXIF with camera, GPS position, and an orientation tag (6: turn 90°). */
export async function phoneJpeg(width = 1200, height = 800, orientation = 6): Promise<Buffer> {
  const withGps = await photo(width, height)
    .withExif({
      IFD0: { Make: 'Siar Test Phone', Model: 'Uji 1', Copyright: 'Humas' },
      IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '0/1 30/1 1234/100', GPSLongitudeRef: 'E', GPSLongitude: '117/1 9/1 0/1' },
    })
    .jpeg({ quality: 90 })
    .toBuffer();
  // withMetadata sets the orientation tag while keeping the EXIF written above.
  return sharp(withGps).keepExif().withMetadata({ orientation }).jpeg({ quality: 90 }).toBuffer();
}

/** An animated GIF of `frames` frames. */
export async function animatedGif(width = 40, height = 30, frames = 3): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * frames * 3);
  for (let i = 0; i < raw.length; i += 1) raw[i] = (i * 7 + Math.floor(i / (width * height * 3)) * 80) % 256;
  return sharp(raw, { raw: { width, height: height * frames, channels: 3, pageHeight: height } }).gif({ loop: 0, delay: 100 }).toBuffer();
}

/** An animated GIF carrying a comment (a place name) and an XMP block, as some editors write them. */
export async function gifWithMetadata(): Promise<Buffer> {
  const gif = await animatedGif(40, 30, 3);
  const flags = gif[10]!;
  const afterColours = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0);
  const text = Buffer.from('Lokasi: -0.5, 117.15', 'latin1');
  const comment = Buffer.concat([Buffer.from([0x21, 0xfe, text.length]), text, Buffer.from([0])]);
  const xmpBody = Buffer.from('<x:xmpmeta>gps</x:xmpmeta>', 'latin1');
  const xmp = Buffer.concat([Buffer.from([0x21, 0xff, 11]), Buffer.from('XMP DataXMP', 'latin1'), Buffer.from([xmpBody.length]), xmpBody, Buffer.from([0])]);
  return Buffer.concat([gif.subarray(0, afterColours), comment, xmp, gif.subarray(afterColours)]);
}

/** A multipart/form-data body: the fields in order, then (optionally) the file part. */
export function multipartBody(
  fields: Record<string, string>,
  file?: { name: string; data: Buffer; contentType?: string; field?: string },
  after: Record<string, string> = {},
): { payload: Buffer; contentType: string } {
  const boundary = `----siar${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  const field = (name: string, value: string) => parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const [name, value] of Object.entries(fields)) field(name, value);
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`));
    parts.push(file.data, Buffer.from('\r\n'));
  }
  for (const [name, value] of Object.entries(after)) field(name, value);
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
