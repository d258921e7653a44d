import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { sniff } from './sniff.ts';
import { ftyp } from './test-fixtures.ts';

/** An EBML header with the given DocType, then some padding. */
function ebml(docType: string): Buffer {
  const docTypeElement = Buffer.concat([Buffer.from([0x42, 0x82, 0x80 | docType.length]), Buffer.from(docType, 'latin1')]);
  const version = Buffer.from([0x42, 0x86, 0x81, 0x01]);
  const body = Buffer.concat([version, docTypeElement]);
  return Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | body.length]), body, Buffer.alloc(40)]);
}

const pad = (head: Buffer): Buffer => Buffer.concat([head, Buffer.alloc(64)]);

describe('sniffing the type from the content', () => {
  test('images made by sharp are recognised by their bytes', async () => {
    const base = sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } });
    assert.equal(sniff(await base.clone().jpeg().toBuffer())?.format, 'jpeg');
    assert.equal(sniff(await base.clone().png().toBuffer())?.format, 'png');
    assert.equal(sniff(await base.clone().webp().toBuffer())?.format, 'webp');
    const gif = sniff(await base.clone().gif().toBuffer());
    assert.equal(gif?.format, 'gif');
    assert.equal(gif?.kind, 'gif');
    const avif = sniff(await base.clone().avif().toBuffer());
    assert.deepEqual([avif?.kind, avif?.format, avif?.ext], ['image', 'avif', 'jpg']);
  });

  test('ISO-BMFF brands decide between HEIC, AVIF, MP4 and MOV', () => {
    assert.equal(sniff(pad(ftyp('heic', 'mif1', 'heic')))?.format, 'heic');
    assert.equal(sniff(pad(ftyp('mif1', 'mif1', 'heic')))?.format, 'heic');
    assert.equal(sniff(pad(ftyp('mif1', 'mif1', 'avif', 'miaf')))?.format, 'avif');
    assert.equal(sniff(pad(ftyp('avis', 'avis', 'msf1')))?.format, 'avif');
    for (const brand of ['isom', 'mp41', 'mp42', 'M4V ', 'avc1', 'iso5']) {
      const type = sniff(pad(ftyp(brand, 'isom')));
      assert.deepEqual([type?.kind, type?.format, type?.mime], ['video', 'mp4', 'video/mp4'], brand);
    }
    const mov = sniff(pad(ftyp('qt  ', 'qt  ')));
    assert.deepEqual([mov?.kind, mov?.mime, mov?.ext], ['video', 'video/quicktime', 'mov']);
    // An unknown major brand that lists a known compatible brand.
    assert.equal(sniff(pad(ftyp('abcd', 'mp42')))?.format, 'mp4');
    // Audio-only MPEG-4 and unknown brands are not accepted.
    assert.equal(sniff(pad(ftyp('M4A ', 'M4A '))), null);
    assert.equal(sniff(pad(ftyp('zzzz'))), null);
  });

  test('WebM is EBML with DocType webm; plain Matroska is refused', () => {
    const webm = sniff(ebml('webm'));
    assert.deepEqual([webm?.kind, webm?.mime], ['video', 'video/webm']);
    assert.equal(sniff(ebml('matroska')), null);
  });

  test('names and claims do not matter: text, HTML, SVG, PDF, ZIP and empty input are refused', () => {
    for (const text of ['hello, this is photo.jpg', '<html><script>alert(1)</script></html>', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', '%PDF-1.7\n', 'PK\u0003\u0004zip']) {
      assert.equal(sniff(Buffer.from(text)), null, text);
    }
    assert.equal(sniff(Buffer.alloc(0)), null);
    assert.equal(sniff(Buffer.from([0xff, 0xd8])), null, 'two bytes are not a JPEG');
    assert.equal(sniff(Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVE', 'latin1')), null, 'RIFF but not WebP');
    // A truncated ftyp box header must not throw.
    assert.equal(sniff(Buffer.from('\u0000\u0000\u0000\u0020ftyp', 'latin1')), null);
  });
});
