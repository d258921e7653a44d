/**
 * Regulation carousels: the slides the data makes and their numbering (missing parts left out, at
 * most ten); every slide a 1080×1350 PNG; long Indonesian texts shrunk and cut so that no glyph
 * leaves the frame and no text runs into another.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SatoriNode } from 'satori';
import { pngSize } from '../portal/share/test-png.ts';
import { MAX_SLIDES, SLIDE_SIZE, planRegulasiSlides, regulasiSlideSvg, renderRegulasiSlides, type RegulasiExplainerData, type RegulasiSlide } from './regulasi-slides.ts';
import { withoutFitting } from './satori-kit.ts';
import { glyphBoxes, glyphsOutside, textBoxProblems, textNodes, type Frame } from './test-frame.ts';

const FRAME: Frame = { ...SLIDE_SIZE, marginX: 48, marginY: 48 };

const explainer = (overrides: Partial<RegulasiExplainerData> = {}): RegulasiExplainerData => ({
  typeName: 'Pergub',
  number: '5',
  year: 2025,
  title: 'Pengelolaan Sampah Rumah Tangga',
  summary: 'Setiap rumah tangga wajib memilah sampah organik dan anorganik sebelum diangkut.',
  purpose: 'Mengurangi sampah yang dibuang ke TPA.',
  reasons: ['TPA Sambutan hampir penuh', 'Saluran tersumbat sampah'],
  affected: 'Semua rumah tangga, pasar, dan pelaku usaha.',
  effectiveDate: '2026-01-01',
  changes: 'Sampah yang tidak dipilah tidak diangkut.',
  faq: [{ question: 'Apakah ada denda?', answer: 'Tahun pertama hanya teguran tertulis.' }],
  siteName: 'Pemerintah Provinsi Kalimantan Timur',
  ...overrides,
});

/** 220 characters. */
const LONG_TITLE = 'Perubahan Kedua atas Peraturan Gubernur Kalimantan Timur tentang Tata Cara Pengelolaan Sampah Rumah Tangga dan Sampah Sejenis Sampah Rumah Tangga di Kawasan Permukiman, Pasar Tradisional, dan Fasilitas Umum Lainnya Kaltim';
const LONG_TEXT = 'Setiap rumah tangga di seluruh kabupaten dan kota wajib memilah sampah organik, anorganik, dan bahan berbahaya sebelum diangkut oleh petugas kebersihan kelurahan sesuai jadwal yang diumumkan camat, ' +
  'dan pengelola kawasan permukiman wajib menyediakan tempat penampungan sementara yang terpisah untuk setiap jenis sampah serta melaporkan volume sampah setiap bulan kepada dinas lingkungan hidup. ';

const longExplainer = (): RegulasiExplainerData => explainer({
  typeName: 'Peraturan Gubernur Kalimantan Timur', number: '188.44/K.123/2025', title: LONG_TITLE,
  summary: LONG_TEXT.repeat(3), purpose: LONG_TEXT.repeat(2), reasons: Array.from({ length: 12 }, (_, i) => `Alasan ke-${i + 1}: ${LONG_TEXT.slice(0, 140)}`),
  affected: LONG_TEXT.repeat(4), changes: LONG_TEXT.repeat(3),
  faq: [{ question: `${LONG_TEXT.slice(0, 220)}?`, answer: LONG_TEXT.repeat(3) }],
  siteName: 'Pemerintah Provinsi Kalimantan Timur — Portal Resmi Informasi Publik dan Pengaduan Masyarakat Benua Etam',
});

async function laidOut(slide: RegulasiSlide): Promise<{ svg: string; nodes: SatoriNode[]; texts: string[] }> {
  const nodes: SatoriNode[] = [];
  const svg = await regulasiSlideSvg(slide, { onNodeDetected: (node) => nodes.push(node) });
  return { svg, nodes, texts: textNodes(nodes).map((node) => node.textContent!) };
}

describe('regulation carousel: the slides', () => {
  test('what, why, who, from when, then a slide per question, numbered', () => {
    const slides = planRegulasiSlides(explainer());
    assert.deepEqual(slides.map((s) => [s.kind, s.heading, `${s.number}/${s.total}`]), [
      ['apa', 'Apa itu?', '1/5'], ['mengapa', 'Mengapa?', '2/5'], ['siapa', 'Siapa yang terdampak?', '3/5'], ['kapan', 'Mulai kapan?', '4/5'], ['faq', 'Tanya jawab', '5/5'],
    ]);
    assert.ok(slides.every((s) => s.reference === 'Pergub Nomor 5 Tahun 2025'));
    assert.deepEqual(slides[3]!.sections.map((s) => [s.label, s.text]), [['Berlaku mulai', '1 Januari 2026'], ['Yang berubah', 'Sampah yang tidak dipilah tidak diangkut.']]);
  });

  test('a part without data is left out and the rest renumbered; reasons written one a line lose their bullets', () => {
    const slides = planRegulasiSlides(explainer({ affected: '  ', effectiveDate: null, changes: null, faq: [], reasons: '- Satu\n• Dua\n\n3. Tiga' }));
    assert.deepEqual(slides.map((s) => `${s.kind} ${s.number}/${s.total}`), ['apa 1/2', 'mengapa 2/2']);
    assert.deepEqual(slides[1]!.sections[1]!.items, ['Satu', 'Dua', 'Tiga']);
    assert.equal(slides[1]!.sections[1]!.text, '• Satu\n• Dua\n• Tiga');
  });

  test('at most ten slides: questions past the tenth are left out', () => {
    const faq = Array.from({ length: 12 }, (_, i) => ({ question: `Pertanyaan ${i + 1}?`, answer: `Jawaban ${i + 1}.` }));
    const slides = planRegulasiSlides(explainer({ faq }));
    assert.equal(slides.length, MAX_SLIDES);
    assert.equal(slides.at(-1)!.sections[0]!.text, 'Pertanyaan 6?');
    assert.ok(slides.every((s) => s.total === MAX_SLIDES));
  });
});

describe('regulation carousel: the images', () => {
  test('every slide is a 1080×1350 PNG with its alt text, with long texts', async () => {
    const images = await renderRegulasiSlides(longExplainer());
    assert.equal(images.length, 5);
    for (const image of images) {
      assert.deepEqual(pngSize(image.png), { width: 1080, height: 1350 });
      assert.ok(image.alt.startsWith(`Slide ${image.slide.number} dari 5 penjelasan Peraturan Gubernur`), image.alt.slice(0, 60));
    }
  });

  test('every glyph stays inside the frame and no text runs into another, for short and long texts', async () => {
    for (const slide of [...planRegulasiSlides(explainer()), ...planRegulasiSlides(longExplainer())]) {
      const { svg, nodes } = await laidOut(slide);
      assert.ok(glyphBoxes(svg).length >= 5, 'text is drawn as paths');
      assert.deepEqual(glyphsOutside(svg, FRAME), [], `${slide.kind}`);
      assert.deepEqual(textBoxProblems(nodes, FRAME), [], `${slide.kind}`);
    }
  });

  test('each slide shows its number, heading, the regulation reference and the site name', async () => {
    const slides = planRegulasiSlides(explainer());
    for (const slide of slides) {
      const { texts } = await laidOut(slide);
      for (const expected of [`${slide.number}/5`, slide.heading, 'Pergub Nomor 5 Tahun 2025 tentang Pengelolaan Sampah Rumah Tangga', 'Pemerintah Provinsi Kalimantan Timur']) {
        assert.ok(texts.includes(expected), `${slide.kind}: ${expected} in ${JSON.stringify(texts)}`);
      }
    }
    assert.ok((await laidOut(slides[1]!)).texts.includes('• TPA Sambutan hampir penuh\n• Saluran tersumbat sampah'));
  });

  test('a long title is kept whole at a smaller size; texts too long for the slide are cut at a word with "…"', async () => {
    const [apa, mengapa] = planRegulasiSlides(longExplainer());
    const { texts } = await laidOut(apa!);
    assert.ok(texts.includes(LONG_TITLE), JSON.stringify(texts));
    const summary = texts.find((text) => text.startsWith('Setiap rumah tangga'))!;
    assert.ok(summary.endsWith('…') && LONG_TEXT.repeat(3).startsWith(summary.slice(0, -1)), summary.slice(-40));
    assert.equal(LONG_TEXT.repeat(3)[summary.length - 1], ' ', 'cut between words');
    const reasons = (await laidOut(mengapa!)).texts.find((text) => text.startsWith('• Alasan ke-1'))!;
    assert.ok(reasons.includes('\n• Alasan ke-2') && reasons.endsWith('…'), reasons.slice(-40));
  });

  test('the fitting is what keeps text in the frame: drawn unfitted, the slides leave it', async () => {
    let outside = 0;
    for (const slide of planRegulasiSlides(longExplainer())) {
      const nodes: SatoriNode[] = [];
      const svg = await withoutFitting(() => regulasiSlideSvg(slide, { onNodeDetected: (node) => nodes.push(node) }));
      assert.ok(textBoxProblems(nodes, FRAME).length > 0, slide.kind);
      outside += glyphsOutside(svg, FRAME).length;
    }
    assert.ok(outside > 0);
  });
});
