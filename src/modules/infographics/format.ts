/**
 * Numbers and dates as Indonesian readers write them: "1.234,5", "104,4%", "1 Januari 2026".
 * Amounts arrive as numbers or as exact decimal strings ("1234.5", the form kinerja stores), which
 * Intl formats digit for digit without passing through a float.
 */

/** A number, or an exact decimal string with a dot ("1234.5", "-0.25"). */
export type Amount = number | string;

const DECIMAL = /^-?\d+(\.\d+)?$/;

function checked(value: Amount): number | `${number}` {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return value;
  }
  const trimmed = value.trim();
  if (!DECIMAL.test(trimmed)) throw new TypeError(`not a decimal string with a dot: "${value}"`);
  return trimmed as `${number}`;
}

const exact = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 20, useGrouping: true });
const twoDecimals = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2, useGrouping: true });

/** "1.234,5": every digit given, thousands grouped with dots, decimals after a comma. */
export function formatNumber(value: Amount): string {
  return exact.format(checked(value));
}

/** A percentage to at most two decimals, as reports write it: "104,4%". */
export function formatPercent(value: Amount): string {
  return `${twoDecimals.format(checked(value))}%`;
}

/** An amount with its unit (satuan): "18%", "1.234 orang", "12,5 km". */
export function formatAmount(value: Amount, satuan: string): string {
  const unit = satuan.trim();
  const number = formatNumber(value);
  if (unit === '') return number;
  return unit === '%' ? `${number}%` : `${number} ${unit}`;
}

/** The value as a float, for drawing proportions only; null when there is none. */
export function amountValue(value: Amount | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  return Number(checked(value));
}

const longDate = new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const longDateWita = new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Makassar' });

/**
 * "1 Januari 2026". A YYYY-MM-DD string is a calendar day, shown as it is; an instant is shown as
 * its day in WITA.
 */
export function formatDate(value: string | Date): string {
  if (value instanceof Date) return longDateWita.format(value);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!day || day.getUTCDate() !== Number(match![3]) || day.getUTCMonth() !== Number(match![2]) - 1) {
    throw new TypeError(`not a YYYY-MM-DD date: "${value}"`);
  }
  return longDate.format(day);
}

const PERIOD_WORDS = new Set(['tahun', 'triwulan', 'semester', 'caturwulan', 'bulan', 'periode', 'kuartal']);

/**
 * A period for use inside a sentence: "Tahun 2025" → "tahun 2025", "Triwulan III 2025" →
 * "triwulan III 2025"; a month name ("Maret 2025") stays capitalised, as Indonesian writes it.
 */
export function periodInSentence(period: string): string {
  const trimmed = period.trim();
  const first = trimmed.split(/\s/, 1)[0] ?? '';
  if (!PERIOD_WORDS.has(first.toLocaleLowerCase('id-ID'))) return trimmed;
  return first.toLocaleLowerCase('id-ID') + trimmed.slice(first.length);
}
