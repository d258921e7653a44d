/**
 * Exact decimals for kinerja values. Targets and realisations are kept as canonical decimal strings
 * ("1234.56", "-0.5", "367") in TypeScript and as `numeric` in SQL; arithmetic goes through BigInt
 * so a capaian of 1/3 is rounded once, at the end, and nothing is ever a binary float on the way.
 */

export interface Decimal {
  /** The value times 10^scale. */
  units: bigint;
  scale: number;
}

const CANONICAL = /^-?\d+(\.\d+)?$/;

export function isDecimalString(text: string): boolean {
  return CANONICAL.test(text);
}

/** Reads a canonical decimal ("-12.50"); throws on anything else. */
export function toDecimal(text: string): Decimal {
  if (!CANONICAL.test(text)) throw new RangeError(`not a decimal: ${text}`);
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [whole = '0', fraction = ''] = body.split('.');
  const units = BigInt(whole + fraction);
  return { units: negative ? -units : units, scale: fraction.length };
}

/** The shortest canonical form: no trailing zeros after the point, no leading zeros, no "-0". */
export function formatDecimal(value: Decimal): string {
  let { units, scale } = value;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative && units !== 0n ? '-' : ''}${whole}${fraction}`;
}

/** Canonical form of a canonical-looking decimal string ("085.50" → "85.5"). */
export function normaliseDecimal(text: string): string {
  return formatDecimal(toDecimal(text));
}

function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  const [x, y] = aligned(a, b);
  return x === y ? 0 : x < y ? -1 : 1;
}

export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b);
  return { units: x + y, scale };
}

export function subtractDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b);
  return { units: x - y, scale };
}

export function multiplyDecimal(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export const decimalOf = (n: number | bigint): Decimal => ({ units: BigInt(n), scale: 0 });

/** a / b rounded half away from zero to `places` decimals. The divisor must not be zero. */
export function divideDecimal(a: Decimal, b: Decimal, places: number): Decimal {
  if (b.units === 0n) throw new RangeError('division by zero');
  // a/b = (a.units / 10^a.scale) / (b.units / 10^b.scale); scale the numerator so the quotient has `places` decimals.
  let numerator = a.units * 10n ** BigInt(places + b.scale);
  let denominator = b.units * 10n ** BigInt(a.scale);
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  if ((magnitude % denominator) * 2n >= denominator) quotient += 1n;
  return { units: negative ? -quotient : quotient, scale: places };
}

/** Both canonical strings, or both absent, and equal in value ("85.50" equals "85.5"). */
export function sameDecimal(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return compareDecimal(toDecimal(a), toDecimal(b)) === 0;
}
