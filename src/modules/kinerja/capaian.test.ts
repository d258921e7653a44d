import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bandFor, computeCapaian, defaultBands, programmeProgress, type Capaian } from './capaian.ts';
import { divideDecimal, formatDecimal, normaliseDecimal, sameDecimal, toDecimal } from './decimal.ts';

const value = (c: Capaian): string => {
  assert.ok(c.computable, `expected a capaian, got ${JSON.stringify(c)}`);
  return c.value;
};

describe('exact decimals', () => {
  test('canonical form drops trailing zeros, leading zeros and negative zero', () => {
    assert.equal(normaliseDecimal('085.500'), '85.5');
    assert.equal(normaliseDecimal('-0.00'), '0');
    assert.equal(normaliseDecimal('1234567890123456789.123456'), '1234567890123456789.123456');
  });
  test('division rounds half away from zero at the asked places', () => {
    assert.equal(formatDecimal(divideDecimal(toDecimal('1'), toDecimal('3'), 2)), '0.33');
    assert.equal(formatDecimal(divideDecimal(toDecimal('2'), toDecimal('3'), 2)), '0.67');
    assert.equal(formatDecimal(divideDecimal(toDecimal('-1'), toDecimal('8'), 2)), '-0.13');
    assert.equal(formatDecimal(divideDecimal(toDecimal('0.1'), toDecimal('0.3'), 4)), '0.3333');
  });
  test('values compare by value, not by text', () => {
    assert.ok(sameDecimal('85.50', '85.5'));
    assert.ok(!sameDecimal('85.5', '85.51'));
    assert.ok(sameDecimal(null, null));
    assert.ok(!sameDecimal(null, '0'));
  });
});

describe('capaian', () => {
  test('higher is better: realisasi / target × 100', () => {
    assert.equal(value(computeCapaian({ target: '367', realisasi: '120', polarity: 'higher' })), '32.7');
    assert.equal(value(computeCapaian({ target: '80', realisasi: '80', polarity: 'higher' })), '100');
    assert.equal(value(computeCapaian({ target: '3', realisasi: '1', polarity: 'higher' })), '33.33');
  });

  test('lower is better: (2 × target − realisasi) / target × 100', () => {
    // Poverty rate: target 6.5 %, reached 6.1 % (better than planned).
    assert.equal(value(computeCapaian({ target: '6.5', realisasi: '6.1', polarity: 'lower' })), '106.15');
    // Worse than planned: 7.2 % against 6.5 %.
    assert.equal(value(computeCapaian({ target: '6.5', realisasi: '7.2', polarity: 'lower' })), '89.23');
    assert.equal(value(computeCapaian({ target: '10', realisasi: '10', polarity: 'lower' })), '100');
    // Realisasi 0 is the best possible, and computable (target / realisasi would divide by zero).
    assert.equal(value(computeCapaian({ target: '10', realisasi: '0', polarity: 'lower' })), '200');
  });

  test('never below 0: a lower-is-better realisasi past twice the target, or a negative realisasi', () => {
    assert.equal(value(computeCapaian({ target: '5', realisasi: '12', polarity: 'lower' })), '0');
    assert.equal(value(computeCapaian({ target: '5', realisasi: '-1', polarity: 'higher' })), '0');
  });

  test('zero target, missing values and negative targets are "tidak dapat dihitung" with a reason', () => {
    assert.deepEqual(computeCapaian({ target: '0', realisasi: '5', polarity: 'higher' }), { computable: false, reason: 'target_zero' });
    assert.deepEqual(computeCapaian({ target: '0', realisasi: '0', polarity: 'lower' }), { computable: false, reason: 'target_zero' });
    assert.deepEqual(computeCapaian({ target: '0.000', realisasi: '1', polarity: 'higher' }), { computable: false, reason: 'target_zero' });
    assert.deepEqual(computeCapaian({ target: '75', realisasi: null, polarity: 'higher' }), { computable: false, reason: 'realisasi_missing' });
    assert.deepEqual(computeCapaian({ target: null, realisasi: '5', polarity: 'higher' }), { computable: false, reason: 'target_missing' });
    assert.deepEqual(computeCapaian({ target: '-2', realisasi: '1', polarity: 'higher' }), { computable: false, reason: 'target_negative' });
  });

  test('no NaN or Infinity anywhere, whatever the inputs', () => {
    const samples = ['0', '-1', '1', '0.0001', '99999999999999', null];
    for (const target of samples) {
      for (const realisasi of samples) {
        for (const polarity of ['higher', 'lower'] as const) {
          const c = computeCapaian({ target, realisasi, polarity });
          if (c.computable) assert.match(c.value, /^\d+(\.\d{1,2})?$/, JSON.stringify({ target, realisasi, polarity }));
        }
      }
    }
  });

  test('above 100 is kept unless a maximum is set; then capped and marked', () => {
    const over = { target: '100', realisasi: '150', polarity: 'higher' as const };
    const free = computeCapaian(over);
    assert.ok(free.computable && free.value === '150' && !free.capped);
    const capped = computeCapaian(over, { bands: defaultBands, maxCapaian: '120' });
    assert.ok(capped.computable && capped.value === '120' && capped.capped);
    const under = computeCapaian({ target: '100', realisasi: '90', polarity: 'higher' }, { bands: defaultBands, maxCapaian: '120' });
    assert.ok(under.computable && under.value === '90' && !under.capped);
  });

  test('default bands: ≥91 Sangat Baik, 76–90 Baik, 66–75 Cukup, 51–65 Kurang, ≤50 Sangat Kurang', () => {
    const band = (v: string) => bandFor(toDecimal(v), defaultBands).label;
    assert.equal(band('150'), 'Sangat Baik');
    assert.equal(band('91'), 'Sangat Baik');
    assert.equal(band('90.99'), 'Baik');
    assert.equal(band('76'), 'Baik');
    assert.equal(band('75.5'), 'Cukup');
    assert.equal(band('66'), 'Cukup');
    assert.equal(band('65'), 'Kurang');
    assert.equal(band('51'), 'Kurang');
    assert.equal(band('50.99'), 'Sangat Kurang');
    assert.equal(band('0'), 'Sangat Kurang');
  });

  test('bands are configurable', () => {
    const bands = [
      { key: 'memuaskan', label: 'Memuaskan', labelEn: 'Satisfying', min: 85 },
      { key: 'lainnya', label: 'Belum', labelEn: 'Not yet', min: 0 },
    ];
    const c = computeCapaian({ target: '10', realisasi: '9', polarity: 'higher' }, { bands, maxCapaian: null });
    assert.ok(c.computable);
    assert.equal(c.band.key, 'memuaskan');
  });

  test('programme progress: latest value against the target', () => {
    assert.equal(value(programmeProgress('367', '120')), '32.7');
    assert.deepEqual(programmeProgress('367', null), { computable: false, reason: 'realisasi_missing' });
  });
});
