/**
 * Each rubric's colour on share images: picked from a fixed palette by a hash of the rubric's slug,
 * so it is the same on every render and every machine without storing it. Every colour carries
 * white text at WCAG AA (contrast at least 4.5:1) and reads as text on white as well.
 */
export const RUBRIC_PALETTE = [
  '#1d4ed8', // blue
  '#047857', // emerald
  '#b45309', // amber
  '#6d28d9', // violet
  '#be123c', // rose
  '#0e7490', // cyan
  '#4d7c0f', // lime
  '#c2410c', // orange
  '#a21caf', // fuchsia
  '#0f766e', // teal
  '#4338ca', // indigo
  '#9f1239', // crimson
] as const;

/** Articles without a rubric. */
export const NEUTRAL_COLOUR = '#334155';
/** Serta-merta (urgent) information. */
export const URGENT_COLOUR = '#b91c1c';

export function rubricColour(slug: string | null | undefined): string {
  if (!slug) return NEUTRAL_COLOUR;
  // FNV-1a, then a final mix (MurmurHash3's) so that the low bits the modulo reads depend on every
  // character: similar slugs ("ekonomi", "ekonomi-kreatif") land apart.
  let hash = 0x811c9dc5;
  for (const char of slug) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return RUBRIC_PALETTE[(hash >>> 0) % RUBRIC_PALETTE.length]!;
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string): number => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
