/**
 * Infographics: pictures for social posts generated from data — performance result cards (kinerja)
 * and regulation explainer carousels (regulasi) — each with alt text written from the same data.
 * Pure functions: plain data in, PNG and alt text out; nothing read from or written to the database.
 */
export { ALT_MAX, altForKinerja, altForRegulasiSlide } from './alt-text.ts';
export { formatAmount, formatDate, formatNumber, formatPercent, type Amount } from './format.ts';
export {
  KINERJA_SIZES, kinerjaCardSizes, kinerjaCardSvg, renderKinerjaCard,
  type KinerjaBand, type KinerjaCardData, type KinerjaCardSize, type RenderedImage,
} from './kinerja-card.ts';
export { BAND_COLOURS, bandColour } from './palette.ts';
export {
  MAX_SLIDES, SLIDE_SIZE, planRegulasiSlides, regulasiSlideSvg, regulationReference, renderRegulasiSlides,
  type RegulasiExplainerData, type RegulasiSlide,
} from './regulasi-slides.ts';
