/** Indonesian numbers and dates: thousands with dots, decimals after a comma, month names in Indonesian. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { amountValue, formatAmount, formatDate, formatNumber, formatPercent, periodInSentence } from './format.ts';

describe('Indonesian formatting', () => {
  test('numbers keep every given digit, grouped with dots, decimals after a comma', () => {
    assert.equal(formatNumber('1234.5'), '1.234,5');
    assert.equal(formatNumber('1234567.891'), '1.234.567,891');
    assert.equal(formatNumber(1234567), '1.234.567');
    assert.equal(formatNumber('-0.25'), '-0,25');
    assert.equal(formatNumber('12345678901234567.89'), '12.345.678.901.234.567,89', 'exact beyond float precision');
    assert.equal(formatNumber('17.20'), '17,2');
  });

  test('percentages to at most two decimals; amounts with their satuan', () => {
    assert.equal(formatPercent('104.444'), '104,44%');
    assert.equal(formatPercent('100'), '100%');
    assert.equal(formatAmount('18', '%'), '18%');
    assert.equal(formatAmount('1234', 'orang'), '1.234 orang');
    assert.equal(formatAmount('12.5', ' km '), '12,5 km');
    assert.equal(formatAmount(3, ''), '3');
  });

  test('anything but a number or a dot-decimal string is refused rather than misread', () => {
    for (const bad of ['1.234,5', '12%', '', 'abc', '1e5']) assert.throws(() => formatNumber(bad), TypeError, bad);
    assert.throws(() => formatNumber(Number.NaN), TypeError);
    assert.equal(amountValue(null), null);
    assert.equal(amountValue('17.2'), 17.2);
  });

  test('dates: a calendar day as it is, an instant as its day in WITA', () => {
    assert.equal(formatDate('2026-01-01'), '1 Januari 2026');
    assert.equal(formatDate('2025-08-17'), '17 Agustus 2025');
    assert.equal(formatDate(new Date('2025-12-31T17:00:00Z')), '1 Januari 2026');
    assert.throws(() => formatDate('2026-02-30'), TypeError);
    assert.throws(() => formatDate('1/1/2026'), TypeError);
  });

  test('a period inside a sentence: period words lower-cased, month names kept', () => {
    assert.equal(periodInSentence('Tahun 2025'), 'tahun 2025');
    assert.equal(periodInSentence('Triwulan III 2025'), 'triwulan III 2025');
    assert.equal(periodInSentence('Maret 2025'), 'Maret 2025');
  });
});
