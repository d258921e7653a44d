import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { AppError } from '../../errors/errors.ts';
import { instagramFrame, processImage, type ImageFile } from './process-image.ts';
import { sniff, type SniffedType } from './sniff.ts';
import { animatedGif, ftyp, gifWithMetadata, phoneJpeg, photo } from './test-fixtures.ts';

const typeOf = (data: Buffer): SniffedType => {
  const type = sniff(data);
  assert.ok(type, 'fixture is sniffable');
  return type;
};

async function assertNoMetadata(file: ImageFile, what: string): Promise<void> {
  const meta = await sharp(file.data).metadata();
  assert.equal(meta.exif, undefined, `${what}: EXIF left`);
  assert.equal(meta.xmp, undefined, `${what}: XMP left`);
  assert.equal(meta.iptc, undefined, `${what}: IPTC left`);
  assert.equal(meta.orientation, undefined, `${what}: orientation tag left`);
  assert.ok(!file.data.includes(Buffer.from('Siar Test Phone')), `${what}: camera make still in the bytes`);
}

const ratio = (f: { width: number; height: number }): number => f.width / f.height;

describe('processing photos', () => {
  test('a phone JPEG comes out upright with no EXIF, GPS, XMP or IPTC in any file', async () => {
    const input = await phoneJpeg(1200, 800, 6);
    const before = await sharp(input).metadata();
    assert.ok(before.exif && before.exif.length > 100, 'the fixture carries EXIF');
    assert.equal(before.orientation, 6);

    const out = await processImage(input, typeOf(input));
    // Orientation 6 turns the 1200×800 sensor image into an 800×1200 portrait.
    assert.deepEqual([out.main.ext, out.main.mime, out.main.width, out.main.height], ['jpg', 'image/jpeg', 800, 1200]);
    const files = { main: out.main, thumbnail: out.thumbnail, instagram: out.renditions.instagram!, web: out.renditions.web! };
    for (const [what, file] of Object.entries(files)) await assertNoMetadata(file, what);

    assert.deepEqual([out.thumbnail.mime, Math.max(out.thumbnail.width, out.thumbnail.height)], ['image/webp', 320]);
    // 800×1200 (2:3) is taller than Instagram's 4:5: cropped to 800×1000.
    const instagram = out.renditions.instagram!;
    assert.deepEqual([instagram.mime, instagram.width, instagram.height], ['image/jpeg', 800, 1000]);
    assert.equal(out.renditions.web?.mime, 'image/webp');
    assert.deepEqual([out.renditions.web?.width, out.renditions.web?.height], [800, 1200]);
  });

  test('formats are kept (PNG stays PNG, WebP stays WebP); AVIF becomes JPEG', async () => {
    const png = await photo(300, 200).png().toBuffer();
    const fromPng = await processImage(png, typeOf(png));
    assert.equal(fromPng.main.mime, 'image/png');
    assert.equal(fromPng.renditions.instagram?.mime, 'image/jpeg');

    const webp = await photo(300, 200).webp().toBuffer();
    const fromWebp = await processImage(webp, typeOf(webp));
    assert.equal(fromWebp.main.mime, 'image/webp');
    assert.equal(fromWebp.renditions.web, fromWebp.main, 'a small WebP is its own web rendition');

    const avif = await photo(300, 200).avif().toBuffer();
    const fromAvif = await processImage(avif, typeOf(avif));
    assert.deepEqual([fromAvif.main.mime, fromAvif.main.ext], ['image/jpeg', 'jpg']);
  });

  test('a transparent PNG keeps its alpha; the Instagram JPEG is flattened on white', async () => {
    const png = await sharp({ create: { width: 200, height: 200, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const out = await processImage(png, typeOf(png));
    assert.equal((await sharp(out.main.data).metadata()).hasAlpha, true);
    const { data } = await sharp(out.renditions.instagram!.data).raw().toBuffer({ resolveWithObject: true });
    assert.ok(data[0]! > 240 && data[1]! > 240 && data[2]! > 240, 'transparent became white, not black');
  });

  test('the long edge is capped at 4096, Instagram at 1440 wide, web at 2048', async () => {
    const big = await photo(5000, 2500).jpeg({ quality: 70 }).toBuffer();
    const out = await processImage(big, typeOf(big));
    assert.deepEqual([out.main.width, out.main.height], [4096, 2048]);
    assert.deepEqual([out.renditions.web?.width, out.renditions.web?.height], [2048, 1024]);
    // 2:1 is wider than 1.91:1: cropped, then at most 1440 wide.
    const instagram = out.renditions.instagram!;
    assert.equal(instagram.width, 1440);
    assert.ok(ratio(instagram) <= 1.91 && ratio(instagram) >= 1.9, `ratio ${ratio(instagram)}`);
  });

  test('a JPEG that already suits Instagram is not stored twice', async () => {
    const square = await photo(1000, 1000).jpeg().toBuffer();
    const out = await processImage(square, typeOf(square));
    assert.equal(out.renditions.instagram, out.main);
  });

  test('instagramFrame keeps every shape within 4:5 … 1.91:1', () => {
    for (const [w, h] of [[1000, 3000], [3000, 1000], [1080, 1350], [1441, 1000], [7, 3], [3, 7], [1, 1], [4096, 4095], [1910, 1000]] as const) {
      const frame = instagramFrame(w, h);
      assert.ok(ratio(frame) >= 0.8 - 1e-9 && ratio(frame) <= 1.91 + 1e-9, `${w}×${h} → ${frame.width}×${frame.height}`);
      assert.ok(frame.width <= Math.min(w, 1440) && frame.height <= h, `${w}×${h} → ${frame.width}×${frame.height} grows`);
    }
  });

  test('an animated GIF is kept frame for frame, its thumbnail is the first frame', async () => {
    const gif = await animatedGif(40, 30, 3);
    const out = await processImage(gif, typeOf(gif));
    assert.ok(out.main.data.equals(gif), 'a GIF without metadata blocks is kept byte for byte');
    assert.deepEqual([out.main.width, out.main.height, out.main.mime], [40, 30, 'image/gif']);
    assert.equal((await sharp(out.main.data, { animated: true }).metadata()).pages, 3);
    const thumb = await sharp(out.thumbnail.data).metadata();
    assert.deepEqual([thumb.format, thumb.width, thumb.height, thumb.pages ?? 1], ['webp', 40, 30, 1]);
    assert.deepEqual(out.renditions, {});
  });

  test('a GIF loses its comment and XMP blocks but keeps its frames and looping', async () => {
    const gif = await gifWithMetadata();
    assert.ok(gif.includes(Buffer.from('Lokasi: -0.5, 117.15')) && gif.includes(Buffer.from('XMP DataXMP')));
    const out = await processImage(gif, typeOf(gif));
    assert.ok(!out.main.data.includes(Buffer.from('Lokasi')), 'comment removed');
    assert.ok(!out.main.data.includes(Buffer.from('XMP DataXMP')), 'XMP removed');
    assert.ok(out.main.data.includes(Buffer.from('NETSCAPE2.0')), 'looping kept');
    const meta = await sharp(out.main.data, { animated: true }).metadata();
    assert.deepEqual([meta.pages, meta.loop], [3, 0]);
  });

  test('damaged files are refused with media.corrupt, never a crash', async () => {
    const jpeg = await photo(600, 400).jpeg().toBuffer();
    const gif = await animatedGif(40, 30, 4);
    const cases: [string, Buffer][] = [
      ['truncated JPEG', jpeg.subarray(0, Math.floor(jpeg.length / 2))],
      ['JPEG header only', jpeg.subarray(0, 20)],
      ['PNG cut short', (await photo(300, 200).png().toBuffer()).subarray(0, 500)],
      ['WebP cut short', (await photo(300, 200).webp().toBuffer()).subarray(0, 200)],
      ['GIF cut mid-frame', gif.subarray(0, Math.floor(gif.length * 0.6))],
      ['JPEG magic then noise', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5000, 0x41)])],
    ];
    for (const [what, data] of cases) {
      await assert.rejects(processImage(data, typeOf(data)), (e: unknown) => e instanceof AppError && e.code === 'media.corrupt', what);
    }
  });

  test('a HEIC that cannot be decoded is an unsupported type, with the advice to save as JPEG', async () => {
    const heic = Buffer.concat([ftyp('heic', 'mif1', 'heic'), Buffer.alloc(200)]);
    await assert.rejects(processImage(heic, typeOf(heic)), (e: unknown) => e instanceof AppError && e.code === 'media.unsupported_type' && /JPEG/.test(e.localized('en')));
  });
});
