/**
 * Performance result cards: each size is a PNG of exactly its dimensions; long Indonesian texts
 * are shrunk and cut so that no glyph leaves the frame and no text runs into another; the figures
 * are written the Indonesian way; a unit's logo is drawn only when it really is an image.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SatoriNode } from 'satori';
import sharp from 'sharp';
import { pngSize } from '../portal/share/test-png.ts';
import { KINERJA_SIZES, kinerjaCardSizes, kinerjaCardSvg, renderKinerjaCard, type KinerjaCardData, type KinerjaCardSize } from './kinerja-card.ts';
import { BAND_COLOURS, NEUTRAL_BAND_COLOUR, REGULATION_COLOUR, bandColour } from './palette.ts';
import { INK, contrastRatio, textOn, withoutFitting } from './satori-kit.ts';
import { glyphBoxes, glyphsOutside, textBoxProblems, textNodes, type Frame } from './test-frame.ts';

/** 220 characters, as indicator names in a RPJMD often run. */
const LONG_INDICATOR = 'Persentase balita stunting yang mendapatkan intervensi gizi spesifik dan sensitif secara terpadu di seluruh kabupaten dan kota se-Provinsi Kalimantan Timur termasuk desa di wilayah perbatasan serta pedalaman Mahakam Ulu';

const card = (overrides: Partial<KinerjaCardData> = {}): KinerjaCardData => ({
  indicator: 'Persentase balita stunting',
  goal: 'Meningkatnya derajat kesehatan masyarakat',
  unitName: 'Dinas Kesehatan Kaltim',
  period: 'Tahun 2025',
  satuan: '%',
  target: '18',
  realisasi: '17.2',
  capaian: { computable: true, value: '104.4', band: { key: 'sangat_baik', label: 'Sangat Baik' } },
  polarity: 'lower',
  source: 'Survei Status Gizi Indonesia 2025',
  siteName: 'Pemerintah Provinsi Kalimantan Timur',
  ...overrides,
});

const longCard = (overrides: Partial<KinerjaCardData> = {}): KinerjaCardData => card({
  indicator: LONG_INDICATOR,
  goal: 'Meningkatnya derajat kesehatan masyarakat melalui pemerataan pelayanan kesehatan dasar dan rujukan yang bermutu, terjangkau, dan berkeadilan bagi seluruh penduduk termasuk kelompok rentan di daerah terpencil, perbatasan, dan kepulauan',
  unitName: 'Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana Provinsi Kalimantan Timur Bidang Pencegahan dan Pengendalian Penyakit',
  period: 'Triwulan III (Juli – September) Tahun Anggaran 2025 Perubahan',
  satuan: 'balita per 1.000 kelahiran hidup',
  target: '1234567.891',
  realisasi: '987654.321',
  source: 'Survei Status Gizi Indonesia (SSGI) 2025 Kementerian Kesehatan Republik Indonesia, diolah oleh Bidang Kesehatan Masyarakat Dinas Kesehatan Provinsi Kalimantan Timur dari laporan kabupaten dan kota',
  siteName: 'Pemerintah Provinsi Kalimantan Timur — Portal Resmi Informasi Publik dan Pengaduan Masyarakat',
  ...overrides,
});

/** Margins no glyph may enter; the story keeps its text out of the parts the app's controls cover. */
const FRAMES: Record<KinerjaCardSize, Frame> = {
  portrait: { ...KINERJA_SIZES.portrait, marginX: 48, marginY: 48 },
  story: { ...KINERJA_SIZES.story, marginX: 48, marginY: 240 },
  landscape: { ...KINERJA_SIZES.landscape, marginX: 32, marginY: 32 },
};

async function laidOut(data: KinerjaCardData, size: KinerjaCardSize): Promise<{ svg: string; nodes: SatoriNode[]; texts: string[] }> {
  const nodes: SatoriNode[] = [];
  const svg = await kinerjaCardSvg(data, size, { onNodeDetected: (node) => nodes.push(node) });
  return { svg, nodes, texts: textNodes(nodes).map((node) => node.textContent!) };
}

async function logoPng(): Promise<Buffer> {
  return sharp({ create: { width: 240, height: 120, channels: 4, background: '#0e7490' } }).png().toBuffer();
}

describe('performance result card', () => {
  for (const size of kinerjaCardSizes) {
    test(`${size}: a PNG of exactly ${KINERJA_SIZES[size].width}×${KINERJA_SIZES[size].height}, with long texts and a logo`, async () => {
      const image = await renderKinerjaCard(longCard({ unitLogo: await logoPng() }), size);
      assert.deepEqual(pngSize(image.png), { width: KINERJA_SIZES[size].width, height: KINERJA_SIZES[size].height });
      assert.deepEqual({ width: image.width, height: image.height }, KINERJA_SIZES[size]);
      assert.ok(image.alt.startsWith('Infografik capaian kinerja '), image.alt);
    });

    test(`${size}: every glyph stays inside the frame and no text runs into another, for short and long texts`, async () => {
      for (const data of [card(), longCard({ unitLogo: await logoPng() }), longCard({ capaian: { computable: false, reason: 'Target tahun ini belum ditetapkan dalam Renstra perubahan sehingga capaian tidak dapat dibandingkan' } })]) {
        const { svg, nodes } = await laidOut(data, size);
        assert.ok(glyphBoxes(svg).length >= 10, 'text is drawn as paths');
        assert.deepEqual(glyphsOutside(svg, FRAMES[size]), []);
        assert.deepEqual(textBoxProblems(nodes, FRAMES[size]), []);
      }
    });

    test(`${size}: a 220-character indicator is kept whole at a smaller size; a much longer one is cut at a word with "…"`, async () => {
      const short = await laidOut(card(), size);
      const long = await laidOut(longCard(), size);
      const fontSize = (nodes: SatoriNode[], start: string) => Number(nodes.find((n) => n.textContent?.startsWith(start))?.props.style.fontSize);
      assert.ok(long.texts.includes(LONG_INDICATOR), 'kept whole');
      assert.ok(fontSize(long.nodes, 'Persentase balita stunting yang') < fontSize(short.nodes, 'Persentase balita stunting'), 'and smaller');

      const huge = `${LONG_INDICATOR} ${LONG_INDICATOR} ${LONG_INDICATOR}`;
      const cut = await laidOut(longCard({ indicator: huge }), size);
      const shown = cut.texts.find((text) => text.startsWith('Persentase balita stunting yang')) ?? '';
      assert.ok(shown.endsWith('…'), `cut with an ellipsis: ${shown}`);
      assert.ok(huge.startsWith(shown.slice(0, -1)), 'a prefix of the indicator');
      assert.ok(/[a-z]$/.test(shown.slice(0, -1)) && huge[shown.length - 1] === ' ', 'cut between words');
      assert.deepEqual(glyphsOutside(cut.svg, FRAMES[size]), []);
    });
  }

  test('shows the unit, period, indicator, goal, figures in Indonesian, band, polarity, source and site', async () => {
    for (const size of kinerjaCardSizes) {
      const { texts } = await laidOut(card({ target: '1234.5', realisasi: '1180', satuan: 'orang', capaian: { computable: true, value: '95.59', band: { key: 'sangat_baik', label: 'Sangat Baik' } } }), size);
      for (const expected of ['Dinas Kesehatan Kaltim', 'CAPAIAN KINERJA · TAHUN 2025', 'Persentase balita stunting', 'Sasaran: Meningkatnya derajat kesehatan masyarakat',
        '95,59%', 'Sangat Baik', 'Target', '1.234,5 orang', 'Realisasi', '1.180 orang', '↓ Semakin rendah semakin baik', 'Sumber: Survei Status Gizi Indonesia 2025',
        'Pemerintah Provinsi Kalimantan Timur']) {
        assert.ok(texts.includes(expected), `${size}: ${expected} in ${JSON.stringify(texts)}`);
      }
    }
  });

  test('higher is better: no polarity note; no source: no "Sumber"; no goal: no "Sasaran"', async () => {
    const { texts } = await laidOut(card({ polarity: 'higher', source: null, goal: '  ' }), 'portrait');
    assert.ok(!texts.some((text) => /semakin|Sumber|Sasaran/i.test(text)), JSON.stringify(texts));
  });

  test('a capaian that cannot be computed says so with its reason; missing figures are named, not drawn as zero', async () => {
    const { texts } = await laidOut(card({ realisasi: null, capaian: { computable: false, reason: 'Realisasi belum dilaporkan' } }), 'landscape');
    for (const expected of ['Tidak dapat dihitung', 'Realisasi belum dilaporkan', '18%', 'Belum tersedia']) assert.ok(texts.includes(expected), `${expected} in ${JSON.stringify(texts)}`);
    assert.ok(!texts.includes('Sangat Baik'));
  });

  test('the bars share one scale: realisasi half the target draws half as long', async () => {
    const nodes: SatoriNode[] = [];
    await kinerjaCardSvg(card({ target: '200', realisasi: '100', polarity: 'higher' }), 'portrait', { onNodeDetected: (node) => nodes.push(node) });
    const fill = (colour: string) => nodes.find((n) => n.props.style?.background === colour && n.height <= 40 && n.width < 1000)!;
    const target = fill('#64748b');
    const realisasi = fill(BAND_COLOURS.sangat_baik!);
    assert.ok(target && realisasi, 'both bars drawn');
    assert.equal(target.width, 1080 - 2 * 64);
    assert.ok(Math.abs(realisasi.width - target.width / 2) <= 1, `${realisasi.width} is half of ${target.width}`);
  });

  test('the fitting is what keeps text in the frame: drawn unfitted, the same card leaves it', async () => {
    const data = longCard({ indicator: `${LONG_INDICATOR} ${LONG_INDICATOR}` });
    for (const size of kinerjaCardSizes) {
      const nodes: SatoriNode[] = [];
      const svg = await withoutFitting(() => kinerjaCardSvg(data, size, { onNodeDetected: (node) => nodes.push(node) }));
      assert.ok(glyphsOutside(svg, FRAMES[size]).length > 0, `${size}: glyphs outside`);
      assert.ok(textBoxProblems(nodes, FRAMES[size]).length > 0, `${size}: text boxes outside or overlapping`);
    }
  });

  test('characters the font cannot draw are left out rather than drawn as boxes', async () => {
    const { texts } = await laidOut(card({ indicator: 'Kepuasan 😊 masyarakat 满意', unitName: 'Dinas 🏥 Kesehatan' }), 'portrait');
    assert.ok(texts.includes('Kepuasan masyarakat') && texts.includes('Dinas Kesehatan'), JSON.stringify(texts));
  });
});

describe('unit logo', () => {
  const svgLogo = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="#b91c1c"/></svg>';

  test('PNG, JPEG and SVG bytes and data URLs are drawn in the logo box; anything else is left out', async () => {
    const png = await logoPng();
    const jpeg = await sharp(png).flatten({ background: '#ffffff' }).jpeg().toBuffer();
    const drawn = [png, jpeg, Buffer.from(svgLogo), `data:image/png;base64,${png.toString('base64')}`, `data:image/svg+xml;utf8,${encodeURIComponent(svgLogo)}`];
    for (const logo of drawn) {
      const nodes: SatoriNode[] = [];
      const svg = await kinerjaCardSvg(card({ unitLogo: logo }), 'portrait', { onNodeDetected: (node) => nodes.push(node) });
      assert.match(svg, /<image\b/, `drawn: ${String(logo).slice(0, 30)}`);
      const image = nodes.find((n) => n.type === 'img')!;
      assert.deepEqual([image.width, image.height], [104, 104], 'in the fixed box');
    }
    const refused = [Buffer.from('GIF89a not a logo'), 'https://example.org/logo.png', 'data:image/png;base64,bm90IGFuIGltYWdl', Buffer.alloc(0), '<p>not svg</p>'];
    for (const logo of refused) {
      const svg = await kinerjaCardSvg(card({ unitLogo: logo }), 'portrait');
      assert.doesNotMatch(svg, /<image\b/, `left out: ${String(logo).slice(0, 30)}`);
    }
  });

  test('the PNG with a logo still has its exact size', async () => {
    const image = await renderKinerjaCard(card({ unitLogo: Buffer.from(svgLogo) }), 'story');
    assert.deepEqual(pngSize(image.png), KINERJA_SIZES.story);
  });
});

describe('band colours', () => {
  test('every band colour carries white text at WCAG AA, and so do the neutral and regulation colours', () => {
    for (const colour of [...Object.values(BAND_COLOURS), NEUTRAL_BAND_COLOUR, REGULATION_COLOUR]) {
      assert.ok(contrastRatio(colour, '#ffffff') >= 4.5, `${colour}: ${contrastRatio(colour, '#ffffff').toFixed(2)}`);
    }
    assert.equal(new Set(Object.values(BAND_COLOURS)).size, 5, 'five different colours');
  });

  test('a band is coloured by its key, else its label, else its own colour; unknown bands are neutral', () => {
    assert.equal(bandColour({ key: 'kurang', label: 'x' }), BAND_COLOURS.kurang);
    assert.equal(bandColour({ label: 'Sangat Kurang' }), BAND_COLOURS.sangat_kurang);
    assert.equal(bandColour({ key: 'memuaskan', label: 'Memuaskan' }), NEUTRAL_BAND_COLOUR);
    assert.equal(bandColour({ key: 'baik', label: 'Baik', colour: '#FDE047' }), '#fde047');
    assert.equal(bandColour({ key: 'baik', label: 'Baik', colour: 'red' }), BAND_COLOURS.baik);
  });

  test('text on any colour reads at 4.5:1 or better', () => {
    for (let r = 0; r < 256; r += 17) {
      for (let g = 0; g < 256; g += 17) {
        for (let b = 0; b < 256; b += 17) {
          const colour = `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
          assert.ok(contrastRatio(textOn(colour), colour) >= 4.5, colour);
        }
      }
    }
  });

  test("a unit's own light colour gets dark text on its pill and the big number in ink", async () => {
    const nodes: SatoriNode[] = [];
    await kinerjaCardSvg(card({ capaian: { computable: true, value: '80', band: { key: 'baik', label: 'Baik', colour: '#fde047' } } }), 'portrait', { onNodeDetected: (n) => nodes.push(n) });
    const pill = nodes.find((n) => n.textContent === 'Baik')!;
    const number = nodes.find((n) => n.textContent === '80%')!;
    assert.equal(pill.props.style.color, '#000000');
    assert.equal(number.props.style.color, INK);
  });
});
