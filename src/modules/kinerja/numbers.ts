/**
 * Numbers as agencies write them in their spreadsheets: "1.234,56" (Indonesian), "1,234.56"
 * (English), "85%", "85,5 %", "Rp 1.250.000", and "-", "", "n/a" for "no value". The result is a
 * canonical decimal string (see decimal.ts) or a reason it is not a number.
 *
 * Only one shape is ambiguous: a single separator followed by exactly three digits ("1.234",
 * "2,500"). It is read by the file's number format — the convention most of its unambiguous
 * numbers use, Indonesian when there are none or as many of each (`detectNumberFormat`) — and the
 * person can change it in the mapping step. Every other shape reads the same under both.
 */
import { normaliseDecimal } from './decimal.ts';

export type NumberFormat = 'id' | 'en';

export type ParsedNumber =
  | { kind: 'empty' }
  | { kind: 'number'; value: string; percent: boolean }
  | { kind: 'invalid' };

/** Cell texts that mean "no value" in Indonesian and English reports. */
const EMPTY_MARKERS = new Set(['', '-', '–', '—', '--', '..', 'n/a', 'na', 'n.a', 'n.a.', '#n/a', 'tidak ada', 'tdk ada', 'belum ada', 'nil']);

function cleaned(text: string): string {
  return text.replace(/[\s\u00a0\u202f]+/g, ' ').trim().toLowerCase();
}

export function isEmptyMarker(text: string): boolean {
  return EMPTY_MARKERS.has(cleaned(text));
}

const GROUPED_DOT = /^\d{1,3}(\.\d{3})+$/;
const GROUPED_COMMA = /^\d{1,3}(,\d{3})+$/;

/** The digits of a number without sign, percent or currency, in dot-decimal form; null when not a number. */
function readBody(body: string, format: NumberFormat): string | null {
  if (/^\d+$/.test(body)) return body;
  const lastDot = body.lastIndexOf('.');
  const lastComma = body.lastIndexOf(',');
  if (lastDot !== -1 && lastComma !== -1) {
    // Both present: the last one is the decimal separator, the other groups thousands.
    const [group, decimal] = lastComma > lastDot ? ['.', ','] : [',', '.'];
    const cut = Math.max(lastDot, lastComma);
    const whole = body.slice(0, cut);
    const fraction = body.slice(cut + 1);
    const groupedPattern = group === '.' ? GROUPED_DOT : GROUPED_COMMA;
    if (!/^\d+$/.test(fraction) || !groupedPattern.test(whole) || whole.includes(decimal)) return null;
    return `${whole.split(group).join('')}.${fraction}`;
  }
  const separator = lastDot !== -1 ? '.' : ',';
  const parts = body.split(separator);
  if (parts.some((p) => !/^\d+$/.test(p))) return null;
  if (parts.length > 2) return (separator === '.' ? GROUPED_DOT : GROUPED_COMMA).test(body) ? parts.join('') : null;
  const [whole = '', fraction = ''] = parts;
  // "1.234" / "2,500": grouping in the format whose group separator this is, a decimal point otherwise.
  const couldGroup = fraction.length === 3 && whole.length <= 3 && !whole.startsWith('0');
  const groups = couldGroup && ((separator === '.' && format === 'id') || (separator === ',' && format === 'en'));
  return groups ? `${whole}${fraction}` : `${whole}.${fraction}`;
}

export function parseNumberText(text: string, format: NumberFormat): ParsedNumber {
  let body = cleaned(text);
  if (EMPTY_MARKERS.has(body)) return { kind: 'empty' };
  let percent = false;
  if (body.endsWith('%')) {
    percent = true;
    body = body.slice(0, -1).trim();
  }
  body = body.replace(/^rp\.?\s*/, '');
  let negative = false;
  if (/^[-−+]/.test(body)) {
    negative = body[0] !== '+';
    body = body.slice(1).trim();
  }
  body = body.replace(/ /g, '');
  const digits = readBody(body, format);
  if (digits === null || digits === '') return { kind: 'invalid' };
  const value = normaliseDecimal(`${negative ? '-' : ''}${digits.startsWith('.') ? `0${digits}` : digits}`);
  return { kind: 'number', value, percent };
}

/** Which convention a number's text shows unambiguously, if any. */
export function formatEvidence(text: string): NumberFormat | null {
  let body = cleaned(text).replace(/%$/, '').trim().replace(/^rp\.?\s*/, '').replace(/^[-−+]/, '').replace(/ /g, '');
  if (!/^[\d.,]+$/.test(body)) return null;
  const dots = body.split('.').length - 1;
  const commas = body.split(',').length - 1;
  if (dots > 0 && commas > 0) return body.lastIndexOf(',') > body.lastIndexOf('.') ? 'id' : 'en';
  if (dots > 1) return 'id';
  if (commas > 1) return 'en';
  body = body.replace(/^0+(?=\d)/, '');
  const fractionDigits = (separator: string) => body.length - body.indexOf(separator) - 1;
  if (commas === 1 && (fractionDigits(',') !== 3 || body.startsWith(','))) return 'id';
  if (dots === 1 && (fractionDigits('.') !== 3 || body.startsWith('.'))) return 'en';
  return null;
}

/** The convention most unambiguous numbers use; Indonesian when none do, or on a tie. */
export function detectNumberFormat(texts: Iterable<string>): { format: NumberFormat; id: number; en: number } {
  let id = 0;
  let en = 0;
  for (const text of texts) {
    const evidence = formatEvidence(text);
    if (evidence === 'id') id += 1;
    else if (evidence === 'en') en += 1;
  }
  return { format: en > id ? 'en' : 'id', id, en };
}

/** A number Excel stored (a binary double) as a canonical decimal, at Excel's own 15 significant digits. */
export function decimalFromSpreadsheet(value: number): string | null {
  if (!Number.isFinite(value)) return null;
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return BigInt(value).toString();
  const text = String(Number(value.toPrecision(15)));
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return normaliseDecimal(text);
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText);
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const expanded = point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return normaliseDecimal(`${sign}${expanded}`);
}
