/**
 * Alt text of infographics, written from the same data as the picture: one or more full Indonesian
 * sentences, at most 1,000 characters (long fields are shortened at a word first, the figures are
 * always kept).
 */
import { formatAmount, formatPercent, periodInSentence } from './format.ts';
import type { KinerjaCardData } from './kinerja-card.ts';
import type { RegulasiSlide } from './regulasi-slides.ts';

export const ALT_MAX = 1000;

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** `text` cut at a word to at most `max` characters, with "…" when cut. */
export function clipWords(text: string, max: number): string {
  const clean = squash(text);
  if (clean.length <= max) return clean;
  if (max <= 1) return '…'.slice(0, max);
  const room = clean.slice(0, max - 1);
  // The room ends at a word's end when the next character is a space.
  const space = clean[max - 1] === ' ' ? room.length : room.lastIndexOf(' ');
  const kept = (space > max / 2 ? room.slice(0, space) : room).replace(/[\s,.;:–—-]+$/, '');
  return `${kept}…`;
}

/** A sentence ends with its punctuation: "Sumber: BPS" → "Sumber: BPS." */
function sentence(text: string): string {
  const clean = squash(text);
  return clean === '' || /[.!?…]$/.test(clean) ? clean : `${clean}.`;
}

/**
 * Fills `template` with the shortenable fields, shortening the longest ones (at a word) until the
 * whole fits in `max` characters.
 */
function fitFields(fields: string[], compose: (fields: string[]) => string, max = ALT_MAX): string {
  let current = fields.map(squash);
  for (let round = 0; round < 50 && compose(current).length > max; round++) {
    const over = compose(current).length - max;
    const longest = current.reduce((best, field, i) => (field.length > current[best]!.length ? i : best), 0);
    const target = Math.max(20, current[longest]!.length - Math.max(over, 10));
    if (target >= current[longest]!.length) break;
    current = current.map((field, i) => (i === longest ? clipWords(field, target) : field));
  }
  return clipWords(compose(current), max);
}

export function altForKinerja(data: KinerjaCardData): string {
  const target = data.target === null ? 'target belum ditetapkan' : `target ${formatAmount(data.target, data.satuan)}`;
  const realisasi = data.realisasi === null ? 'realisasi belum tersedia' : `realisasi ${formatAmount(data.realisasi, data.satuan)}`;
  const figures = [target, realisasi].join(', ');
  const polarity = data.polarity === 'lower' ? '; semakin rendah semakin baik' : '';
  const goal = data.goal?.trim() ?? '';
  const source = data.source?.trim() ?? '';
  const reason = data.capaian.computable ? '' : squash(data.capaian.reason).replace(/[.]$/, '');
  const capaian = data.capaian.computable ? `capaian ${formatPercent(data.capaian.value)} (${squash(data.capaian.band.label)})` : null;
  return fitFields([data.unitName, data.indicator, goal, reason, source], ([unit, indicator, goalText, reasonText, sourceText]) => {
    const result = capaian ?? `capaian tidak dapat dihitung${reasonText ? ` (${reasonText})` : ''}`;
    const main = `Infografik capaian kinerja ${unit} ${periodInSentence(data.period)}: indikator ${indicator}` +
      `${goalText ? ` (sasaran: ${goalText})` : ''}, ${figures}, ${result}${polarity}.`;
    return sourceText ? `${main} ${sentence(`Sumber: ${sourceText}`)}` : main;
  });
}

export function altForRegulasiSlide(slide: RegulasiSlide): string {
  // The reference and title open every slide's alt text; the sections add what the slide says.
  const parts = slide.sections.filter((section) => section.role !== 'reference' && section.role !== 'title').map((section) => {
    const text = section.items ? section.items.map((item) => item.replace(/[.;]+$/, '')).join('; ') : section.text;
    return section.label ? `${section.label}: ${text}` : text;
  });
  return fitFields([slide.title, ...parts], ([title, ...texts]) =>
    `Slide ${slide.number} dari ${slide.total} penjelasan ${slide.reference} tentang ${sentence(title ?? '')} ${sentence(slide.heading)} ` +
    texts.map((text) => sentence(text.replace(/\n+/g, '; '))).join(' '));
}
