/** The plain sentences of results: each polarity and side of the target, capped capaian, every reason for no capaian, programmes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeCapaian, defaultCapaianSettings } from '../../kinerja/capaian.ts';
import { indicatorSentence, programmeSentence } from './sentences.ts';

const figures = (satuan: string, target: string | null, realisasi: string | null, polarity: 'higher' | 'lower', maxCapaian: string | null = null) =>
  ({ satuan, target, realisasi, polarity, capaian: computeCapaian({ target, realisasi, polarity }, { ...defaultCapaianSettings, maxCapaian }) });

test('higher is better: the share of the target, in Indonesian numbers', () => {
  assert.equal(indicatorSentence(figures('unit', '367', '120', 'higher')), 'Realisasi 32,7% dari target: 120 unit dari 367 unit (Sangat Kurang).');
  assert.equal(indicatorSentence(figures('orang', '1000', '1234.5', 'higher')), 'Realisasi 123,45% dari target: 1.234,5 orang dari 1.000 orang (Sangat Baik).');
});

test('a capped capaian is not called a share of the target', () => {
  assert.equal(indicatorSentence(figures('%', '50', '90', 'higher', '120')), 'Realisasi 90% melampaui target 50%; capaian 120% (Sangat Baik, batas maksimum capaian).');
});

test('lower is better: below the target is better, above is worse, equal is on target', () => {
  assert.equal(indicatorSentence(figures('%', '18', '17.2', 'lower')), 'Realisasi 17,2% lebih rendah (lebih baik) dari target 18%; capaian 104,44% (Sangat Baik).');
  assert.equal(indicatorSentence(figures('%', '6.5', '9', 'lower')), 'Realisasi 9% lebih tinggi (lebih buruk) dari target 6,5%; capaian 61,54% (Kurang).');
  assert.equal(indicatorSentence(figures('indeks', '0.35', '0.35', 'lower')), 'Realisasi 0,35 indeks tepat sama dengan target 0,35 indeks; capaian 100% (Sangat Baik).');
});

test('no capaian: the reason, with the figures that are known', () => {
  assert.equal(indicatorSentence(figures('desa', '0', '3', 'higher')), 'Capaian belum dapat dihitung: target nol (target 0 desa, realisasi 3 desa).');
  assert.equal(indicatorSentence(figures('%', '90', null, 'higher')), 'Capaian belum dapat dihitung: realisasi belum tersedia (target 90%).');
  assert.equal(indicatorSentence(figures('%', null, null, 'lower')), 'Capaian belum dapat dihitung: target belum ditetapkan.');
  assert.equal(indicatorSentence(figures('%', '-5', '2', 'higher')), 'Capaian belum dapat dihitung: target di bawah nol (target -5%, realisasi 2%).');
});

test('programmes: target and the latest progress with its date', () => {
  const capaian = computeCapaian({ target: '367', realisasi: '120', polarity: 'higher' });
  assert.equal(programmeSentence({ satuan: 'unit layanan', target: '367', progress: [{ asOf: '2025-03-31', value: '40' }, { asOf: '2025-06-30', value: '120' }], capaian }),
    '367 unit layanan ditargetkan, 120 tercapai per 30 Juni 2025 (32,7% dari target).');
  assert.equal(programmeSentence({ satuan: 'unit', target: '10', progress: [], capaian: computeCapaian({ target: '10', realisasi: null, polarity: 'higher' }) }),
    '10 unit ditargetkan; kemajuan belum dilaporkan.');
});
