/**
 * Share images: the PNG is 1200×630; a very long Indonesian title is wrapped, shrunk and, past the
 * smallest size, cut with an ellipsis, and no letter is drawn outside the frame's margins; rubric
 * colours are stable and readable; the cache draws each version once and draws again after a change.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { SatoriNode } from 'satori';
import { ShareImageCache, imageVersion } from './image-cache.ts';
import {
  SHARE_IMAGE_HEIGHT, SHARE_IMAGE_WIDTH, TITLE_BOX, articleSharePng, drawable, articleShareSvg, fitTitle, siteSharePng, siteShareSvg, type ShareCard,
} from './render-share-image.ts';
import { pngSize } from './test-png.ts';
import { NEUTRAL_COLOUR, RUBRIC_PALETTE, URGENT_COLOUR, contrastRatio, rubricColour } from './rubric-colour.ts';

/** The bounding box of every glyph satori drew (text becomes filled paths of absolute M/L/Q/Z commands). */
function glyphBoxes(svg: string, fill: string): { minX: number; minY: number; maxX: number; maxY: number }[] {
  const boxes = [];
  for (const match of svg.matchAll(/<path fill="([^"]+)" d="([^"]+)"/g)) {
    if (match[1] !== fill) continue;
    const numbers = match[2]!.replace(/[MLQZ]/g, ' ').trim().split(/\s+/).map(Number);
    assert.ok(numbers.every((n) => Number.isFinite(n)), 'only absolute M/L/Q/Z commands');
    const xs = numbers.filter((_, i) => i % 2 === 0);
    const ys = numbers.filter((_, i) => i % 2 === 1);
    boxes.push({ minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) });
  }
  return boxes;
}

const LONG_TITLE = 'Pemerintah Provinsi Kalimantan Timur bersama Badan Penanggulangan Bencana Daerah menyalurkan bantuan logistik, ' +
  'obat-obatan, dan perlengkapan sekolah kepada ribuan warga terdampak banjir di Kecamatan Samarinda Utara, Sungai Pinang, ' +
  'Loa Janan Ilir, Tenggarong Seberang, Muara Badak, dan Long Bagun sambil menyiapkan dapur umum, posko kesehatan darurat, ' +
  'serta jalur evakuasi tambahan menjelang puncak musim hujan yang diperkirakan berlangsung hingga akhir Januari';

const card = (overrides: Partial<ShareCard> = {}): ShareCard => ({
  title: 'Jembatan Mahakam IV dibuka untuk umum',
  unitName: 'Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Kalimantan Timur',
  publishedAt: new Date('2026-11-11T17:30:00Z'),
  rubric: { slug: 'infrastruktur', name: 'Infrastruktur' },
  urgent: false,
  siteName: 'Pemerintah Provinsi Kalimantan Timur',
  ...overrides,
});

describe('share image', () => {
  test('is a 1200×630 PNG, for an article and for the site', async () => {
    assert.deepEqual(pngSize(await articleSharePng(card())), { width: 1200, height: 630 });
    assert.deepEqual(pngSize(await siteSharePng('Pemerintah Provinsi Kalimantan Timur')), { width: 1200, height: 630 });
  });

  test('shows the rubric, the unit, the site and the date as a day in WITA', async () => {
    const texts: string[] = [];
    // 17:30 UTC on the 11th is 01:30 on the 12th in Makassar time.
    await articleShareSvg(card(), { onNodeDetected: (n) => { if (n.textContent) texts.push(n.textContent); } });
    for (const expected of ['Infrastruktur', 'Jembatan Mahakam IV dibuka untuk umum', 'Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Kalimantan Timur', '12 November 2026', 'Pemerintah Provinsi Kalimantan Timur']) {
      assert.ok(texts.includes(expected), `${expected} in ${JSON.stringify(texts)}`);
    }
    const urgent: string[] = [];
    await articleShareSvg(card({ urgent: true, rubric: null }), { onNodeDetected: (n) => { if (n.textContent) urgent.push(n.textContent); } });
    assert.ok(urgent.includes('Serta-merta') && urgent.includes('Berita'), JSON.stringify(urgent));
  });

  test('a very long Indonesian title is shrunk and cut, and every letter stays inside the frame', async () => {
    const nodes: SatoriNode[] = [];
    const svg = await articleShareSvg(card({ title: LONG_TITLE, urgent: true }), { onNodeDetected: (n) => nodes.push(n) });
    const margin = 40;
    for (const node of nodes.filter((n) => n.textContent !== undefined)) {
      assert.ok(node.left >= margin && node.top >= margin, `${node.textContent?.slice(0, 30)} starts inside`);
      assert.ok(node.left + node.width <= SHARE_IMAGE_WIDTH - margin, `${node.textContent?.slice(0, 30)} ends ${node.left + node.width}`);
      assert.ok(node.top + node.height <= SHARE_IMAGE_HEIGHT - margin, `${node.textContent?.slice(0, 30)} bottom ${node.top + node.height}`);
    }
    const title = nodes.find((n) => n.textContent?.startsWith('Pemerintah Provinsi Kalimantan Timur bersama'));
    assert.ok(title, 'the title is laid out');
    assert.ok(title.height <= TITLE_BOX.height, `title ${title.height} fits its box ${TITLE_BOX.height}`);
    assert.ok(title.textContent!.endsWith('…'), 'the title is cut with an ellipsis');
    assert.ok(title.textContent!.length > 150, 'but most of it is kept');
    // The drawn glyphs themselves (not only the boxes) stay within the margins.
    const glyphs = glyphBoxes(svg, '#0f172a');
    assert.ok(glyphs.length >= 3, `title, unit and site name drawn (${glyphs.length})`);
    for (const g of glyphs) {
      assert.ok(g.minX >= margin && g.maxX <= SHARE_IMAGE_WIDTH - margin && g.minY >= margin && g.maxY <= SHARE_IMAGE_HEIGHT - margin, JSON.stringify(g));
    }
  });

  test('a title that fits is kept whole at the largest size that fits; a longer one gets a smaller size', async () => {
    const short = await fitTitle('Jembatan Mahakam IV dibuka');
    const medium = await fitTitle(LONG_TITLE.slice(0, 160));
    assert.equal(short.text, 'Jembatan Mahakam IV dibuka');
    assert.equal(medium.text, LONG_TITLE.slice(0, 160).trim());
    assert.ok(medium.fontSize < short.fontSize, `${medium.fontSize} < ${short.fontSize}`);
  });

  test('characters the font cannot draw (emoji, other scripts) are left out rather than drawn as boxes', async () => {
    assert.equal(drawable('Selamat Hari Raya 🎉 — 中文 Ñandú “kutip” ½ ✓'), 'Selamat Hari Raya — Ñandú “kutip” ½');
    assert.equal(drawable('Baris\nbaru\tdan\u0007 kontrol'), 'Baris baru dan kontrol');
    const texts: string[] = [];
    await articleShareSvg(card({ title: '🎉🎉', unitName: 'Dinas 🏥 Kesehatan' }), { onNodeDetected: (n) => { if (n.textContent) texts.push(n.textContent); } });
    assert.ok(texts.includes('Berita') && texts.includes('Dinas Kesehatan'), JSON.stringify(texts));
  });

  test('one enormous word is broken across lines and still fits', async () => {
    const nodes: SatoriNode[] = [];
    await articleShareSvg(card({ title: 'Antidisestablishmentarianisme'.repeat(12) }), { onNodeDetected: (n) => nodes.push(n) });
    const title = nodes.find((n) => n.textContent?.startsWith('Antidis'));
    assert.ok(title && title.left + title.width <= SHARE_IMAGE_WIDTH - 40 && title.height <= TITLE_BOX.height);
  });

  test('the site image keeps a long site name inside the frame', async () => {
    const nodes: SatoriNode[] = [];
    await siteShareSvg('Pemerintah Kabupaten Penajam Paser Utara Provinsi Kalimantan Timur Republik Indonesia', { onNodeDetected: (n) => nodes.push(n) });
    for (const node of nodes.filter((n) => n.textContent !== undefined)) {
      assert.ok(node.left >= 40 && node.left + node.width <= SHARE_IMAGE_WIDTH - 40 && node.top >= 40 && node.top + node.height <= SHARE_IMAGE_HEIGHT - 40, node.textContent);
    }
  });
});

describe('rubric colours', () => {
  test('every colour carries white text at WCAG AA and reads on white', () => {
    for (const colour of [...RUBRIC_PALETTE, NEUTRAL_COLOUR, URGENT_COLOUR]) {
      assert.ok(contrastRatio(colour, '#ffffff') >= 4.5, `${colour}: ${contrastRatio(colour, '#ffffff').toFixed(2)}`);
    }
    assert.equal(contrastRatio('#000000', '#ffffff').toFixed(0), '21');
  });

  test('a rubric keeps its colour; rubrics spread over the palette; no rubric is neutral', () => {
    assert.equal(rubricColour('kesehatan'), rubricColour('kesehatan'));
    const slugs = ['kesehatan', 'pendidikan', 'infrastruktur', 'ekonomi', 'pariwisata', 'lingkungan', 'sosial', 'pemerintahan'];
    assert.ok(new Set(slugs.map(rubricColour)).size >= 5, 'different rubrics mostly differ');
    assert.equal(rubricColour(null), NEUTRAL_COLOUR);
  });
});

describe('share image cache', () => {
  test('draws once, then answers from memory; another process finds it on disk; a new version draws again and drops the old file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'siar-share-'));
    try {
      let drawn = 0;
      const draw = (text: string) => async () => { drawn += 1; return articleSharePng(card({ title: text })); };
      const cache = new ShareImageCache({ dir });
      const v1 = imageVersion(['2026-11-12T01:00:00.000Z', 'Judul awal']);
      const first = await cache.get('judul-awal-1a2b3c4d', v1, draw('Judul awal'));
      const again = await cache.get('judul-awal-1a2b3c4d', v1, draw('Judul awal'));
      assert.equal(drawn, 1);
      assert.equal(again.png, first.png);
      assert.deepEqual(cache.stats, { memoryHits: 1, diskHits: 0, renders: 1 });
      assert.deepEqual(await readdir(path.join(dir, 'judul-awal-1a2b3c4d')), [`${v1}.png`]);

      const restarted = new ShareImageCache({ dir });
      const fromDisk = await restarted.get('judul-awal-1a2b3c4d', v1, draw('Judul awal'));
      assert.equal(drawn, 1);
      assert.ok(fromDisk.png.equals(first.png));
      assert.equal(restarted.stats.diskHits, 1);

      // A correction: the article's updated_at (part of the version) changed.
      const v2 = imageVersion(['2026-11-13T02:00:00.000Z', 'Judul diperbaiki']);
      const corrected = await restarted.get('judul-awal-1a2b3c4d', v2, draw('Judul diperbaiki'));
      assert.equal(drawn, 2);
      assert.ok(!corrected.png.equals(first.png));
      assert.deepEqual(await readdir(path.join(dir, 'judul-awal-1a2b3c4d')), [`${v2}.png`], 'the old version is removed');
      assert.equal((await restarted.get('judul-awal-1a2b3c4d', v2, draw('x'))).png, corrected.png);
      assert.equal(drawn, 2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('concurrent requests for a missing image draw it once; memory keeps the most recently used', async () => {
    let drawn = 0;
    const cache = new ShareImageCache({ dir: null, maxEntries: 2 });
    const draw = async () => { drawn += 1; await new Promise((r) => setTimeout(r, 20)); return Buffer.from(`png${drawn}`); };
    await Promise.all([cache.get('a', '1', draw), cache.get('a', '1', draw), cache.get('a', '1', draw)]);
    assert.equal(drawn, 1);
    await cache.get('b', '1', draw);
    await cache.get('a', '1', draw); // a is now the most recent
    await cache.get('c', '1', draw); // b goes
    assert.equal(drawn, 3);
    await cache.get('a', '1', draw);
    assert.equal(drawn, 3, 'a stayed');
    await cache.get('b', '1', draw);
    assert.equal(drawn, 4, 'b was dropped');
  });
});
