/**
 * Colours of performance bands (Sangat Baik … Sangat Kurang) on infographics. Each carries white
 * text at WCAG AA (at least 4.5:1) and reads as large text on white; the hues differ so bands stay
 * apart, and the band's name is always written beside its colour, so colour is never the only cue.
 */
export const BAND_COLOURS: Readonly<Record<string, string>> = {
  sangat_baik: '#15803d', // green
  baik: '#1d4ed8', // blue
  cukup: '#a16207', // dark yellow
  kurang: '#c2410c', // orange
  sangat_kurang: '#b91c1c', // red
};

/** Bands the palette does not know, and results without a band. */
export const NEUTRAL_BAND_COLOUR = '#475569';

/** Regulation explainers. */
export const REGULATION_COLOUR = '#0f766e';

/**
 * A band's colour: the one given (a #rrggbb colour), else the palette's for its key or, without a
 * key, for its label ("Sangat Baik" → sangat_baik), else neutral.
 */
export function bandColour(band: { key?: string | null; label?: string | null; colour?: string | null } | null | undefined): string {
  if (band?.colour && /^#[0-9a-f]{6}$/i.test(band.colour)) return band.colour.toLowerCase();
  const key = band?.key ?? band?.label?.trim().toLowerCase().replace(/\s+/g, '_');
  return (key ? BAND_COLOURS[key] : undefined) ?? NEUTRAL_BAND_COLOUR;
}
