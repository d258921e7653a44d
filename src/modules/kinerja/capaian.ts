/**
 * Achievement (capaian) of an indicator, in percent, and its category band.
 *
 * Formulas, as SAKIP reports use them (LAN's LAKIP guidance, kept in practice under
 * PermenPAN-RB 53/2014 and the same result as PermenPAN-RB 6/2022's "kondisi khusus"):
 * - higher is better: capaian = realisasi / target × 100
 * - lower is better (e.g. poverty rate): capaian = (target − (realisasi − target)) / target × 100,
 *   i.e. (2 × target − realisasi) / target × 100. Reaching the target exactly gives 100 under both;
 *   each point better than the target adds as much as it would on a higher-is-better indicator.
 *   (target / realisasi × 100, the other formula seen, is not used: it has no value at realisasi 0
 *   and rewards improvement unevenly.)
 *
 * Results are rounded half away from zero to two decimals from exact decimals, never floats.
 * Capaian is never below 0 (a lower-is-better realisasi past twice its target gives 0, not a
 * negative achievement). Above 100 is kept as computed, unless the unit's settings name a maximum
 * (`maxCapaian`, e.g. 120), in which case it is capped there and marked `capped`.
 *
 * No capaian is computed ("tidak dapat dihitung") when there is no target, the target is 0 (there
 * is nothing to divide by) or below 0 (a ratio to a negative plan has no meaning), or there is no
 * realisasi yet; the result then names the reason instead of a number.
 */
import { compareDecimal, decimalOf, divideDecimal, formatDecimal, multiplyDecimal, subtractDecimal, toDecimal, type Decimal } from './decimal.ts';

export type Polarity = 'higher' | 'lower';
export const polarities = ['higher', 'lower'] as const satisfies readonly Polarity[];

export type NotComputableReason = 'target_missing' | 'target_zero' | 'target_negative' | 'realisasi_missing';
export const notComputableReasons = ['target_missing', 'target_zero', 'target_negative', 'realisasi_missing'] as const satisfies readonly NotComputableReason[];

export interface Band {
  /** Stable key ("sangat_baik"), used by the portal and the badge colour. */
  key: string;
  label: string;
  labelEn: string;
  /** The lowest capaian (percent, inclusive) in this band. */
  min: number;
}

/**
 * The default bands: ≥ 91 Sangat Baik, 76–90 Baik, 66–75 Cukup, 51–65 Kurang, ≤ 50 Sangat Kurang.
 * A capaian belongs to the highest band whose minimum it reaches, so 90.5 is Baik and 50.9 is
 * Sangat Kurang.
 */
export const defaultBands: readonly Band[] = [
  { key: 'sangat_baik', label: 'Sangat Baik', labelEn: 'Very good', min: 91 },
  { key: 'baik', label: 'Baik', labelEn: 'Good', min: 76 },
  { key: 'cukup', label: 'Cukup', labelEn: 'Fair', min: 66 },
  { key: 'kurang', label: 'Kurang', labelEn: 'Poor', min: 51 },
  { key: 'sangat_kurang', label: 'Sangat Kurang', labelEn: 'Very poor', min: 0 },
];

export interface CapaianSettings {
  bands: readonly Band[];
  /** null: no maximum. */
  maxCapaian: string | null;
}

export const defaultCapaianSettings: CapaianSettings = { bands: defaultBands, maxCapaian: null };

export type Capaian =
  | { computable: true; value: string; capped: boolean; band: Band }
  | { computable: false; reason: NotComputableReason };

const HUNDRED = decimalOf(100);
const ZERO = decimalOf(0);

export function bandFor(value: Decimal, bands: readonly Band[]): Band {
  const sorted = [...bands].sort((a, b) => b.min - a.min);
  for (const band of sorted) {
    if (compareDecimal(value, toDecimal(String(band.min))) >= 0) return band;
  }
  // Below every minimum: the lowest band.
  return sorted[sorted.length - 1] ?? defaultBands[defaultBands.length - 1]!;
}

export interface CapaianInput {
  target: string | null;
  realisasi: string | null;
  polarity: Polarity;
}

export function computeCapaian(input: CapaianInput, settings: CapaianSettings = defaultCapaianSettings): Capaian {
  if (input.target === null) return { computable: false, reason: 'target_missing' };
  const target = toDecimal(input.target);
  const sign = compareDecimal(target, ZERO);
  if (sign === 0) return { computable: false, reason: 'target_zero' };
  if (sign < 0) return { computable: false, reason: 'target_negative' };
  if (input.realisasi === null) return { computable: false, reason: 'realisasi_missing' };
  const realisasi = toDecimal(input.realisasi);
  const numerator = input.polarity === 'higher' ? realisasi : subtractDecimal(multiplyDecimal(decimalOf(2), target), realisasi);
  let value = divideDecimal(multiplyDecimal(numerator, HUNDRED), target, 2);
  if (compareDecimal(value, ZERO) < 0) value = { units: 0n, scale: 2 };
  let capped = false;
  if (settings.maxCapaian !== null) {
    const max = toDecimal(settings.maxCapaian);
    if (compareDecimal(value, max) > 0) {
      value = max;
      capped = true;
    }
  }
  return { computable: true, value: formatDecimal(value), capped, band: bandFor(value, settings.bands) };
}

/** Progress of a programme: the latest value as a share of its target (higher is better), same rules. */
export function programmeProgress(target: string | null, latest: string | null): Capaian {
  return computeCapaian({ target, realisasi: latest, polarity: 'higher' });
}
