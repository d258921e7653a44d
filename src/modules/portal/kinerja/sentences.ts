/**
 * Performance results in plain Indonesian, as a citizen would say them: "Realisasi 92% dari
 * target", "lebih rendah (lebih baik) dari target" for lower-is-better indicators, and
 * "belum dapat dihitung: target nol" when there is nothing to divide by. The same sentences are
 * used on the portal's kinerja pages and as the summary of a post made from an indicator.
 */
import type { Capaian, NotComputableReason } from '../../kinerja/capaian.ts';
import { compareDecimal, toDecimal } from '../../kinerja/decimal.ts';
import { formatAmount, formatDate, formatNumber, formatPercent } from '../../infographics/index.ts';

export const NOT_COMPUTABLE: Record<NotComputableReason, string> = {
  target_missing: 'target belum ditetapkan',
  target_zero: 'target nol',
  target_negative: 'target di bawah nol',
  realisasi_missing: 'realisasi belum tersedia',
};

export const LOWER_IS_BETTER_NOTE = 'Semakin rendah semakin baik.';

export interface IndicatorFigures {
  satuan: string;
  target: string | null;
  realisasi: string | null;
  polarity: 'higher' | 'lower';
  capaian: Capaian;
}

/** "—" for a missing value, else the amount with its unit: "1.234,5 orang", "18%". */
export function amountText(value: string | null, satuan: string): string {
  return value === null ? '—' : formatAmount(value, satuan);
}

/** "104,4%" or "belum dapat dihitung". */
export function capaianText(capaian: Capaian): string {
  return capaian.computable ? formatPercent(capaian.value) : 'belum dapat dihitung';
}

/** The band's name, or why there is none. */
export function bandText(capaian: Capaian): string {
  return capaian.computable ? capaian.band.label : `Belum dapat dihitung: ${NOT_COMPUTABLE[capaian.reason]}`;
}

/**
 * One sentence about an indicator's result:
 * - higher is better: "Realisasi 92,31% dari target: 120 unit dari 130 unit (Sangat Baik)."
 * - lower is better: "Realisasi 6,1% lebih rendah (lebih baik) dari target 6,5%; capaian 106,15% (Sangat Baik)."
 * - not computable: "Capaian belum dapat dihitung: target nol." (with the figures that are known).
 */
export function indicatorSentence(i: IndicatorFigures): string {
  const target = i.target === null ? null : formatAmount(i.target, i.satuan);
  const realisasi = i.realisasi === null ? null : formatAmount(i.realisasi, i.satuan);
  if (!i.capaian.computable) {
    const known = [target ? `target ${target}` : null, realisasi ? `realisasi ${realisasi}` : null].filter((x) => x !== null);
    return `Capaian belum dapat dihitung: ${NOT_COMPUTABLE[i.capaian.reason]}${known.length > 0 ? ` (${known.join(', ')})` : ''}.`;
  }
  const percent = formatPercent(i.capaian.value);
  const band = i.capaian.band.label;
  const capped = i.capaian.capped ? `, batas maksimum capaian` : '';
  // A capped capaian is not the share of the target any more: then the figures speak first.
  if (i.polarity === 'higher' && !i.capaian.capped) return `Realisasi ${percent} dari target: ${realisasi} dari ${target} (${band}).`;
  if (i.polarity === 'higher') return `Realisasi ${realisasi} melampaui target ${target}; capaian ${percent} (${band}${capped}).`;
  const side = compareDecimal(toDecimal(i.realisasi!), toDecimal(i.target!));
  const where = side < 0 ? `lebih rendah (lebih baik) dari target ${target}` : side > 0 ? `lebih tinggi (lebih buruk) dari target ${target}` : `tepat sama dengan target ${target}`;
  return `Realisasi ${realisasi} ${where}; capaian ${percent} (${band}${capped}).`;
}

export interface ProgrammeFigures {
  satuan: string;
  target: string | null;
  progress: readonly { asOf: string; value: string }[];
  capaian: Capaian;
}

/** "367 unit layanan ditargetkan, 120 tercapai per 30 Juni 2025 (32,7% dari target)." */
export function programmeSentence(p: ProgrammeFigures): string {
  const latest = p.progress.at(-1);
  const target = p.target === null ? 'Target belum ditetapkan' : `${formatAmount(p.target, p.satuan)} ditargetkan`;
  if (!latest) return `${target}; kemajuan belum dilaporkan.`;
  const share = p.capaian.computable ? ` (${formatPercent(p.capaian.value)} dari target)` : '';
  return `${target}, ${formatNumber(latest.value)} tercapai per ${formatDate(latest.asOf)}${share}.`;
}
