import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { box, ftyp, mp4, mvhd, tkhd } from './test-fixtures.ts';
import { readIsoBmffMetadata, readVideoMetadata } from './video-metadata.ts';

describe('reading MP4/MOV boxes', () => {
  test('duration from mvhd, size from the first visual track (the audio track has none)', () => {
    assert.deepEqual(readIsoBmffMetadata(mp4({ width: 1920, height: 1080, timescale: 600, duration: 7500 })), { width: 1920, height: 1080, durationMs: 12_500 });
  });

  test('version 1 boxes (64-bit times) and a 64-bit mdat before moov', () => {
    assert.deepEqual(readIsoBmffMetadata(mp4({ version: 1, width: 1280, height: 720, timescale: 90_000, duration: 90_000 * 61 })), { width: 1280, height: 720, durationMs: 61_000 });
  });

  test('a portrait phone video (stored landscape, 90° matrix) reports its shown size', () => {
    assert.deepEqual(readIsoBmffMetadata(mp4({ width: 1920, height: 1080, turned: true })), { width: 1080, height: 1920, durationMs: 12_500 });
  });

  test('an unknown duration is null, not a wrong number', () => {
    const fragmented = Buffer.concat([ftyp('iso5', 'iso5'), box('moov', mvhd(1000, 0), box('trak', tkhd(640, 360)))]);
    assert.deepEqual(readIsoBmffMetadata(fragmented), { width: 640, height: 360, durationMs: null });
  });

  test('a file cut before its movie header, or with broken box sizes, is not readable', () => {
    const whole = mp4();
    assert.equal(readIsoBmffMetadata(whole.subarray(0, whole.length - 200)), null, 'moov cut off');
    assert.equal(readIsoBmffMetadata(Buffer.concat([ftyp('isom'), box('mdat', Buffer.alloc(10))])), null, 'no moov at all');
    const lying = Buffer.from(whole);
    lying.writeUInt32BE(0xffffff, 0); // ftyp claims to be 16 MB long
    assert.equal(readIsoBmffMetadata(lying), null);
    assert.equal(readIsoBmffMetadata(Buffer.alloc(0)), null);
    assert.equal(readIsoBmffMetadata(Buffer.from([0, 0, 0, 4, 1, 2, 3])), null, 'a size smaller than a header');
  });

  test('a box that does not fit its parent stops the walk without throwing', () => {
    const moov = box('moov', mvhd(1000, 5000), box('trak', tkhd(320, 240)));
    moov.writeUInt32BE(moov.length + 100, 0);
    assert.equal(readIsoBmffMetadata(Buffer.concat([ftyp('isom'), moov])), null);
    const shortTkhd = box('moov', mvhd(1000, 5000), box('trak', box('tkhd', Buffer.alloc(10))));
    assert.deepEqual(readIsoBmffMetadata(Buffer.concat([ftyp('isom'), shortTkhd])), { width: null, height: null, durationMs: 5000 });
  });

  test('WebM facts are left unknown', () => {
    assert.deepEqual(readVideoMetadata(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), 'webm'), { width: null, height: null, durationMs: null });
  });
});
