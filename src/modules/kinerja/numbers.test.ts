import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decimalFromSpreadsheet, detectNumberFormat, parseNumberText, type NumberFormat } from './numbers.ts';

const num = (text: string, format: NumberFormat = 'id') => {
  const parsed = parseNumberText(text, format);
  return parsed.kind === 'number' ? parsed.value : parsed.kind;
};

describe('numbers as agencies write them', () => {
  test('Indonesian and English grouping with decimals read the same under either format', () => {
    for (const format of ['id', 'en'] as const) {
      assert.equal(num('1.234,56', format), '1234.56');
      assert.equal(num('1,234.56', format), '1234.56');
      assert.equal(num('1.234.567', format), '1234567');
      assert.equal(num('1,234,567', format), '1234567');
      assert.equal(num('1.234.567,5', format), '1234567.5');
      assert.equal(num('85,5', format), '85.5');
      assert.equal(num('85.5', format), '85.5');
      assert.equal(num('0,125', format), '0.125');
    }
  });

  test('a single separator before three digits follows the file format', () => {
    assert.equal(num('1.234', 'id'), '1234');
    assert.equal(num('1.234', 'en'), '1.234');
    assert.equal(num('2,500', 'id'), '2.5');
    assert.equal(num('2,500', 'en'), '2500');
  });

  test('percent signs, spaces, currency and signs', () => {
    const pct = parseNumberText('85,5 %', 'id');
    assert.deepEqual(pct, { kind: 'number', value: '85.5', percent: true });
    assert.deepEqual(parseNumberText('85%', 'id'), { kind: 'number', value: '85', percent: true });
    assert.equal(num('Rp 1.250.000'), '1250000');
    assert.equal(num('-2,5'), '-2.5');
    assert.equal(num('−0,8'), '-0.8');
    assert.equal(num(' 1 234,5 '), '1234.5');
    assert.equal(num('\u00a0367\u00a0'), '367');
  });

  test('"-", empty and "n/a" are no value; text is not a number', () => {
    for (const text of ['', ' ', '-', '–', 'n/a', 'N/A', '#N/A', 'tidak ada']) assert.equal(num(text), 'empty', text);
    for (const text of ['sepuluh', '12 unit', '1.2.3,4,5', '85%%', '1,23,456', 'abc%', '12-15']) assert.equal(num(text), 'invalid', text);
  });

  test('the file format is the convention most unambiguous numbers use; Indonesian on a tie', () => {
    assert.equal(detectNumberFormat(['1.234,5', '85,5', '2.500']).format, 'id');
    assert.equal(detectNumberFormat(['1,234.5', '85.5', '2,500']).format, 'en');
    assert.equal(detectNumberFormat(['2.500', '1,000']).format, 'id');
    assert.equal(detectNumberFormat(['85.5', '85,5']).format, 'id');
    assert.deepEqual(detectNumberFormat(['85.5', '7.25', '12,5']), { format: 'en', id: 1, en: 2 });
  });

  test('numbers Excel stored become exact decimals at 15 significant digits', () => {
    assert.equal(decimalFromSpreadsheet(0.1 + 0.2), '0.3');
    assert.equal(decimalFromSpreadsheet(85.5), '85.5');
    assert.equal(decimalFromSpreadsheet(1234567), '1234567');
    assert.equal(decimalFromSpreadsheet(1e-7), '0.0000001');
    assert.equal(decimalFromSpreadsheet(1.5e21), '1500000000000000000000');
    assert.equal(decimalFromSpreadsheet(Number.NaN), null);
  });
});
