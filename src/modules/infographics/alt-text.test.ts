/** Alt text of infographics: full Indonesian sentences from the data, never past 1,000 characters. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALT_MAX, altForKinerja, altForRegulasiSlide, clipWords } from './alt-text.ts';
import type { KinerjaCardData } from './kinerja-card.ts';
import { planRegulasiSlides } from './regulasi-slides.ts';

const card = (overrides: Partial<KinerjaCardData> = {}): KinerjaCardData => ({
  indicator: 'Persentase balita stunting',
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

describe('alt text of a performance result', () => {
  test('one sentence with the unit, period, indicator, figures, band and polarity, then the source', () => {
    assert.equal(altForKinerja(card()),
      'Infografik capaian kinerja Dinas Kesehatan Kaltim tahun 2025: indikator Persentase balita stunting, target 18%, realisasi 17,2%, ' +
      'capaian 104,4% (Sangat Baik); semakin rendah semakin baik. Sumber: Survei Status Gizi Indonesia 2025.');
  });

  test('higher is better says nothing about polarity; a goal is named; units other than % are written out', () => {
    assert.equal(altForKinerja(card({ polarity: 'higher', goal: 'Meningkatnya pariwisata', satuan: 'orang', target: '1250000', realisasi: '1180000.5', source: null, capaian: { computable: true, value: '94.4', band: { label: 'Sangat Baik' } } })),
      'Infografik capaian kinerja Dinas Kesehatan Kaltim tahun 2025: indikator Persentase balita stunting (sasaran: Meningkatnya pariwisata), ' +
      'target 1.250.000 orang, realisasi 1.180.000,5 orang, capaian 94,4% (Sangat Baik).');
  });

  test('no capaian: says it cannot be computed and why; missing figures are named', () => {
    const alt = altForKinerja(card({ realisasi: null, capaian: { computable: false, reason: 'Realisasi belum dilaporkan.' }, polarity: 'higher' }));
    assert.equal(alt, 'Infografik capaian kinerja Dinas Kesehatan Kaltim tahun 2025: indikator Persentase balita stunting, target 18%, ' +
      'realisasi belum tersedia, capaian tidak dapat dihitung (Realisasi belum dilaporkan). Sumber: Survei Status Gizi Indonesia 2025.');
    assert.match(altForKinerja(card({ target: null, capaian: { computable: false, reason: '' } })), /target belum ditetapkan, realisasi 17,2%, capaian tidak dapat dihitung; semakin rendah/);
  });

  test('missing or blank source: no "Sumber"; a source ending in a full stop gets no second one', () => {
    assert.ok(!altForKinerja(card({ source: null })).includes('Sumber'));
    assert.ok(!altForKinerja(card({ source: '   ' })).includes('Sumber'));
    assert.ok(altForKinerja(card({ source: 'BPS Kaltim.' })).endsWith('Sumber: BPS Kaltim.'));
  });

  test('very long fields are shortened at a word to 1,000 characters; the figures and band stay', () => {
    const long = 'pelayanan kesehatan dasar yang bermutu dan merata '.repeat(40);
    const alt = altForKinerja(card({ indicator: long, goal: long, unitName: `Dinas ${long}`, source: long }));
    assert.ok(alt.length <= ALT_MAX, `${alt.length}`);
    assert.ok(alt.length > 900, 'most of the room is used');
    assert.match(alt, /target 18%, realisasi 17,2%, capaian 104,4% \(Sangat Baik\); semakin rendah semakin baik\./);
    assert.ok(alt.includes('…'), 'shortened texts are marked');
    assert.doesNotMatch(alt, /\b(pelayan|keseh|berm)…/, 'cut between words');
  });

  test('clipWords cuts at a word and marks the cut', () => {
    assert.equal(clipWords('satu dua tiga empat', 100), 'satu dua tiga empat');
    assert.equal(clipWords('satu dua tiga empat', 14), 'satu dua tiga…');
    assert.equal(clipWords('satu, dua tiga', 10), 'satu, dua…');
  });
});

describe('alt text of a regulation slide', () => {
  const slides = planRegulasiSlides({
    typeName: 'Pergub', number: '5', year: 2025, title: 'Pengelolaan Sampah Rumah Tangga',
    summary: 'Setiap rumah tangga wajib memilah sampah.', purpose: 'Mengurangi sampah ke TPA', reasons: ['TPA hampir penuh.', 'Saluran tersumbat'],
    affected: null, effectiveDate: '2026-01-01', changes: null, faq: [{ question: 'Apakah ada denda?', answer: 'Belum, hanya teguran.' }], siteName: 'Pemprov Kaltim',
  });

  test('names the slide, the regulation and what the slide says', () => {
    assert.deepEqual(slides.map(altForRegulasiSlide), [
      'Slide 1 dari 4 penjelasan Pergub Nomor 5 Tahun 2025 tentang Pengelolaan Sampah Rumah Tangga. Apa itu? Setiap rumah tangga wajib memilah sampah.',
      'Slide 2 dari 4 penjelasan Pergub Nomor 5 Tahun 2025 tentang Pengelolaan Sampah Rumah Tangga. Mengapa? Tujuan: Mengurangi sampah ke TPA. Alasan: TPA hampir penuh; Saluran tersumbat.',
      'Slide 3 dari 4 penjelasan Pergub Nomor 5 Tahun 2025 tentang Pengelolaan Sampah Rumah Tangga. Mulai kapan? Berlaku mulai: 1 Januari 2026.',
      'Slide 4 dari 4 penjelasan Pergub Nomor 5 Tahun 2025 tentang Pengelolaan Sampah Rumah Tangga. Tanya jawab. Tanya: Apakah ada denda? Jawab: Belum, hanya teguran.',
    ]);
  });

  test('at most 1,000 characters however long the texts', () => {
    const long = 'kewajiban pemilahan sampah organik dan anorganik di sumbernya '.repeat(60);
    const [first, second] = planRegulasiSlides({ typeName: 'Perda', number: '1', year: 2026, title: long, summary: long, purpose: long, reasons: long, siteName: 'x' });
    for (const slide of [first!, second!]) {
      const alt = altForRegulasiSlide(slide);
      assert.ok(alt.length <= ALT_MAX && alt.length > 900, `${alt.length}`);
      assert.ok(alt.startsWith(`Slide ${slide.number} dari 2 penjelasan Perda Nomor 1 Tahun 2026 tentang kewajiban`), alt.slice(0, 80));
    }
  });
});
