// Tests: each network's main rule with real numbers, via the public API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NETWORKS } from './limits.ts';
import type { MediaItem, Post } from './types.ts';
import { escapeLinkedInText, validateAll, validatePost } from './validate.ts';

const jpeg = (extra: Partial<MediaItem> = {}): MediaItem => ({ kind: 'image', mime: 'image/jpeg', bytes: 500_000, alt: 'foto', ...extra });
const png = (extra: Partial<MediaItem> = {}): MediaItem => ({ kind: 'image', mime: 'image/png', bytes: 500_000, alt: 'foto', ...extra });
const mp4 = (extra: Partial<MediaItem> = {}): MediaItem => ({ kind: 'video', mime: 'video/mp4', bytes: 5_000_000, ...extra });
const post = (text: string, media: MediaItem[] = [], title?: string): Post => ({ text, media, title });
const rules = (r: { issues: { rule: string }[] }): string[] => r.issues.map((i) => i.rule);
const URL = 'https://humas.example.go.id/siaran-pers/2026/11/28/pengumuman-penting';

test('X: 281 weighted fails with the URL counted as 23, 280 passes', () => {
  const bad = validatePost('x', post(`${'a'.repeat(257)} ${URL}`));
  assert.equal(bad.ok, false);
  const issue = bad.issues.find((i) => i.rule === 'text.too_long');
  assert.ok(issue);
  assert.equal(issue.measured, 281);
  assert.equal(issue.limit, 280);
  assert.equal(issue.message.id, 'Teks untuk X terlalu panjang: 281 dari 280 karakter (tautan dihitung 23).');
  assert.match(issue.message.en, /281 of 280 weighted characters \(links count as 23\)/);
  const good = validatePost('x', post(`${'a'.repeat(256)} ${URL}`));
  assert.equal(good.ok, true);
  assert.deepEqual(good.counters[0], { used: 280, limit: 280, unit: 'weighted' });
});

test('X: media count, mixing and size', () => {
  assert.deepEqual(rules(validatePost('x', post('hi', [jpeg(), jpeg(), jpeg(), jpeg(), jpeg()]))), ['media.too_many', 'media.too_many_images']);
  const gif = { kind: 'gif', mime: 'image/gif', bytes: 1000 } as const;
  assert.ok(rules(validatePost('x', post('hi', [gif, jpeg()]))).includes('media.mixed'));
  assert.ok(rules(validatePost('x', post('hi', [gif, { ...gif }]))).includes('media.too_many_gifs'));
  assert.deepEqual(rules(validatePost('x', post('hi', [jpeg({ bytes: 6 * 1024 * 1024 })]))), ['media.too_large']);
  assert.equal(validatePost('x', post('hi', [{ ...gif, bytes: 14 * 1024 * 1024 }])).ok, true);
});

test('Threads: emoji count as UTF-8 bytes; more than 5 links fails', () => {
  // 125 emoji × 4 bytes = 500 → ok; 126 emoji = 504 although only 126 characters.
  assert.equal(validatePost('threads', post('😀'.repeat(125))).ok, true);
  const bad = validatePost('threads', post('😀'.repeat(126)));
  assert.equal(bad.ok, false);
  assert.equal(bad.issues[0]?.measured, 504);
  assert.match(bad.issues[0]?.message.id ?? '', /504 dari 500 karakter \(emoji dihitung sesuai ukuran byte-nya\)/);
  const links = (n: number) => Array.from({ length: n }, (_, i) => `https://a${i}.example.com`).join(' ');
  assert.equal(validatePost('threads', post(links(5))).ok, true);
  const many = validatePost('threads', post(links(6)));
  assert.deepEqual(rules(many), ['text.too_many_links']);
  assert.equal(many.issues[0]?.measured, 6);
});

test('Bluesky: 301 graphemes fails; 300 graphemes over 3,000 bytes fails on bytes', () => {
  const g = validatePost('bluesky', post('a'.repeat(301)));
  assert.deepEqual(rules(g), ['text.too_long']);
  assert.equal(validatePost('bluesky', post('a'.repeat(300))).ok, true);
  const family = '👨‍👩‍👧‍👦'; // one grapheme, 25 UTF-8 bytes
  const b = validatePost('bluesky', post(family.repeat(300)));
  assert.deepEqual(rules(b), ['text.too_many_bytes']);
  assert.equal(b.issues[0]?.measured, 7_500);
  assert.deepEqual(b.counters, [
    { used: 300, limit: 300, unit: 'graphemes' },
    { used: 7_500, limit: 3_000, unit: 'bytes' },
  ]);
});

test('Bluesky: image size, count and alt text warning', () => {
  const noAlt = validatePost('bluesky', post('hi', [jpeg({ alt: '  ' })]));
  assert.equal(noAlt.ok, true);
  assert.deepEqual(rules(noAlt), ['media.alt_missing']);
  assert.deepEqual(rules(validatePost('bluesky', post('hi', [jpeg({ bytes: 2_000_001 })]))), ['media.too_large']);
  assert.equal(validatePost('bluesky', post('hi', [jpeg({ bytes: 2_000_000 })])).ok, true);
  assert.ok(rules(validatePost('bluesky', post('hi', Array.from({ length: 5 }, () => jpeg())))).includes('media.too_many'));
});

test('Instagram: hashtags, mentions, JPEG only, media required, aspect ratio, carousel', () => {
  const tags = (n: number) => Array.from({ length: n }, (_, i) => `#tag${i}`).join(' ');
  assert.equal(validatePost('instagram', post(tags(30), [jpeg()])).ok, true);
  const t = validatePost('instagram', post(tags(31), [jpeg()]));
  assert.deepEqual(rules(t), ['text.too_many_hashtags']);
  assert.equal(t.issues[0]?.measured, 31);
  const mentions = Array.from({ length: 21 }, (_, i) => `@akun${i}`).join(' ');
  assert.deepEqual(rules(validatePost('instagram', post(mentions, [jpeg()]))), ['text.too_many_mentions']);
  assert.deepEqual(rules(validatePost('instagram', post('hi', [png()]))), ['media.unsupported_type']);
  assert.deepEqual(rules(validatePost('instagram', post('hi'))), ['media.required']);
  assert.equal(validatePost('instagram', post('hi', [jpeg({ width: 1080, height: 1350 })])).ok, true);
  assert.deepEqual(rules(validatePost('instagram', post('hi', [jpeg({ width: 1080, height: 1440 })]))), ['media.aspect_ratio']);
  assert.deepEqual(rules(validatePost('instagram', post('hi', [jpeg({ width: 2000, height: 1000 })]))), ['media.aspect_ratio']);
  assert.deepEqual(rules(validatePost('instagram', post('hi', Array.from({ length: 11 }, () => jpeg())))), ['media.too_many']);
  assert.deepEqual(rules(validatePost('instagram', post('a'.repeat(2_201), [jpeg()]))), ['text.too_long']);
});

test('TikTok: mixed video+photos fails, media required, 35 photos, warning above 2,000', () => {
  assert.deepEqual(rules(validatePost('tiktok', post('hi', [mp4(), jpeg()]))), ['media.mixed']);
  assert.deepEqual(rules(validatePost('tiktok', post('hi'))), ['media.required']);
  assert.equal(validatePost('tiktok', post('hi', Array.from({ length: 35 }, () => jpeg()))).ok, true);
  assert.deepEqual(rules(validatePost('tiktok', post('hi', Array.from({ length: 36 }, () => jpeg())))), ['media.too_many_images']);
  assert.deepEqual(rules(validatePost('tiktok', post('hi', [mp4(), mp4()]))), ['media.too_many_videos']);
  const warn = validatePost('tiktok', post('a'.repeat(2_100), [mp4()]));
  assert.equal(warn.ok, true);
  assert.deepEqual(rules(warn), ['text.may_be_truncated']);
  assert.deepEqual(rules(validatePost('tiktok', post('a'.repeat(2_201), [mp4()]))), ['text.too_long']);
});

test('YouTube: video and title required, no < > in title or description, description in bytes', () => {
  assert.equal(validatePost('youtube', post('Deskripsi', [mp4()], 'Judul')).ok, true);
  assert.deepEqual(rules(validatePost('youtube', post('Deskripsi', [mp4()], 'Rapat <2026>'))), ['title.forbidden_chars']);
  assert.deepEqual(rules(validatePost('youtube', post('a > b', [mp4()], 'Judul'))), ['text.forbidden_chars']);
  assert.deepEqual(rules(validatePost('youtube', post('x', [mp4()]))), ['title.required']);
  assert.deepEqual(rules(validatePost('youtube', post('x', [mp4()], 'j'.repeat(101)))), ['title.too_long']);
  assert.deepEqual(rules(validatePost('youtube', post('x', [], 'Judul'))), ['media.video_required']);
  // 2,501 "é" = 2,501 characters but 5,002 bytes.
  const d = validatePost('youtube', post('é'.repeat(2_501), [mp4()], 'Judul'));
  assert.deepEqual(rules(d), ['text.too_long']);
  assert.equal(d.issues[0]?.measured, 5_002);
  assert.equal(d.counters[0]?.unit, 'bytes');
});

test('LinkedIn: reserved characters are escaped and only warned about', () => {
  assert.equal(escapeLinkedInText('Halo @humas #Indonesia (resmi) a_b *c* ~d~ [x] {y} <z> |p| \\'),
    'Halo \\@humas \\#Indonesia \\(resmi\\) a\\_b \\*c\\* \\~d\\~ \\[x\\] \\{y\\} \\<z\\> \\|p\\| \\\\');
  const r = validatePost('linkedin', post('Halo @humas #Indonesia'));
  assert.equal(r.ok, true);
  assert.deepEqual(rules(r), ['text.will_be_escaped']);
  assert.equal(r.issues[0]?.severity, 'warning');
  assert.deepEqual(rules(validatePost('linkedin', post('Halo biasa'))), []);
  assert.deepEqual(rules(validatePost('linkedin', post('a'.repeat(3_001)))), ['text.too_long']);
});

test('Telegram: 1,025-char caption fails with media but passes without', () => {
  const text = 'a'.repeat(1_025);
  const withMedia = validatePost('telegram', post(text, [jpeg()]));
  assert.deepEqual(rules(withMedia), ['caption.too_long']);
  assert.deepEqual(withMedia.counters[0], { used: 1_025, limit: 1_024, unit: 'chars' });
  assert.equal(validatePost('telegram', post(text)).ok, true);
  assert.deepEqual(rules(validatePost('telegram', post('a'.repeat(4_097)))), ['text.too_long']);
  assert.deepEqual(rules(validatePost('telegram', post('  '))), ['post.empty']);
  assert.equal(validatePost('telegram', post('', [jpeg()])).ok, true);
  assert.deepEqual(rules(validatePost('telegram', post('hi', Array.from({ length: 11 }, () => jpeg())))), ['media.too_many']);
  assert.deepEqual(rules(validatePost('telegram', post('hi', [jpeg({ bytes: 11 * 1024 * 1024 })]))), ['media.too_large']);
  assert.equal(validatePost('telegram', post('hi', [mp4({ bytes: 49 * 1024 * 1024 })])).ok, true);
});

test('Mastodon: 500 by default, URL counts 23, instance override of 1,000', () => {
  assert.equal(validatePost('mastodon', post(`${'a'.repeat(476)} ${URL}`)).ok, true); // 476 + 1 + 23
  assert.deepEqual(rules(validatePost('mastodon', post(`${'a'.repeat(477)} ${URL}`))), ['text.too_long']);
  const long = post('a'.repeat(600));
  assert.equal(validatePost('mastodon', long).ok, false);
  const r = validatePost('mastodon', long, { maxText: 1_000 });
  assert.equal(r.ok, true);
  assert.deepEqual(r.counters[0], { used: 600, limit: 1_000, unit: 'chars' });
  // An instance reserving 30 characters per URL.
  assert.equal(validatePost('mastodon', post(`${'a'.repeat(470)} ${URL}`), { charsPerUrl: 30 }).counters[0]?.used, 501);
  assert.ok(rules(validatePost('mastodon', post('hi', Array.from({ length: 5 }, () => jpeg())))).includes('media.too_many'));
  assert.equal(validatePost('mastodon', post('hi', Array.from({ length: 6 }, () => jpeg())), { maxMedia: 6 }).ok, true);
});

test('Facebook: 63,206 characters, JPEG/PNG photos, no GIF', () => {
  assert.equal(validatePost('facebook', post('a'.repeat(63_206), [png(), mp4()])).ok, true);
  assert.deepEqual(rules(validatePost('facebook', post('a'.repeat(63_207)))), ['text.too_long']);
  assert.deepEqual(rules(validatePost('facebook', post('hi', [{ kind: 'gif', mime: 'image/gif', bytes: 10 }]))), ['media.kind_unsupported']);
  assert.deepEqual(rules(validatePost('facebook', post('hi', [{ kind: 'image', mime: 'image/webp', bytes: 10 }]))), ['media.unsupported_type']);
});

test('validateAll returns one result per network, with per-network overrides', () => {
  const results = validateAll(['x', 'mastodon', 'telegram'], post('a'.repeat(600)), { mastodon: { maxText: 1_000 } });
  assert.deepEqual(results.map((r) => [r.network, r.ok]), [['x', false], ['mastodon', true], ['telegram', true]]);
});

test('hostile text gives defined answers on every network, never an exception', () => {
  const hostile = ['', '\uD800', 'a\uDC00b\uD83D', 'x\u0000\u0007\u001B[31m\u007F', 'ab'.repeat(51_200), '\u200D'.repeat(1000), '😀\uFE0F\u200D'.repeat(500)];
  for (const network of NETWORKS) {
    for (const text of hostile) {
      const r = validatePost(network, { text, title: text, media: [] });
      assert.equal(typeof r.ok, 'boolean');
      assert.ok(r.counters.length >= 1);
      for (const c of r.counters) assert.ok(Number.isFinite(c.used) && c.used >= 0);
      for (const i of r.issues) assert.ok(i.message.id.length > 0 && i.message.en.length > 0);
    }
  }
  const lone = validatePost('x', post('halo \uD800'));
  assert.deepEqual(rules(lone), ['text.invalid_unicode']);
  const ctrl = validatePost('x', post('halo\u0000'));
  assert.deepEqual(rules(ctrl), ['text.control_chars']);
  assert.equal(validatePost('bluesky', post('ab'.repeat(51_200))).ok, false);
  assert.deepEqual(rules(validatePost('x', post(''))), ['post.empty']);
});
