/**
 * The performance result card: one indicator's target, realisasi and capaian for a period, drawn
 * for Instagram (portrait 1080×1350, story 1080×1920) and X/Facebook (landscape 1200×675). Every
 * text is fitted to its box (shrunk, then cut at a word with "…"), so nothing leaves the frame;
 * the story keeps its content out of the top and bottom 250 px that the app's own controls cover.
 */
import { altForKinerja } from './alt-text.ts';
import { amountValue, formatAmount, formatPercent, type Amount } from './format.ts';
import { NEUTRAL_BAND_COLOUR, bandColour } from './palette.ts';
import {
  INK, WHITE, contrastRatio, el, fitText, imageDataUrl, textBox, textOn, toPng, toSvg,
  type Element, type FittedText, type Style, type SvgOptions, type TextSpec,
} from './satori-kit.ts';

export const KINERJA_SIZES = {
  portrait: { width: 1080, height: 1350 },
  story: { width: 1080, height: 1920 },
  landscape: { width: 1200, height: 675 },
} as const;
export type KinerjaCardSize = keyof typeof KINERJA_SIZES;
export const kinerjaCardSizes = Object.keys(KINERJA_SIZES) as KinerjaCardSize[];

export interface KinerjaBand {
  /** "sangat_baik" … "sangat_kurang" pick the palette's colour. */
  key?: string | null;
  label: string;
  /** A #rrggbb colour of the unit's own bands, instead of the palette's. */
  colour?: string | null;
}

/** What one performance result card shows (amounts as numbers or exact decimal strings). */
export interface KinerjaCardData {
  indicator: string;
  /** The goal (sasaran) the indicator measures. */
  goal?: string | null;
  unitName: string;
  /** PNG, JPEG or SVG bytes, or a data URL; drawn in a fixed box. Anything else is left out. */
  unitLogo?: Uint8Array | string | null;
  /** "Tahun 2025", "Triwulan III 2025". */
  period: string;
  /** The indicator's unit of measure: "%", "orang", "km". */
  satuan: string;
  target: Amount | null;
  realisasi: Amount | null;
  capaian:
    | { computable: true; value: Amount; band: KinerjaBand }
    | { computable: false; reason: string };
  /** Lower is better (e.g. a stunting rate): the card says so. */
  polarity: 'higher' | 'lower';
  /** Where the figures come from ("Sumber: …"). */
  source?: string | null;
  siteName: string;
}

export interface RenderedImage {
  png: Buffer;
  alt: string;
  width: number;
  height: number;
}

const MUTED = '#475569';
const RULE = '#e2e8f0';
const TRACK = '#e2e8f0';
const TARGET_BAR = '#64748b';
export const LOWER_IS_BETTER = 'Semakin rendah semakin baik';

/** Measures of one size; the landscape card sets the same parts in two columns. */
interface Geometry {
  width: number;
  height: number;
  padX: number;
  padTop: number;
  padBottom: number;
  strip: number;
  logo: number;
  unitSizes: number[];
  kickerSizes: number[];
  indicatorBox: number;
  indicatorSizes: number[];
  goalBox: number;
  goalSizes: number[];
  capaianSizes: number[];
  pillSizes: number[];
  valueSizes: number[];
  bar: number;
  noteSize: number;
  footerSizes: number[];
  siteSizes: number[];
}

const COLUMN: Record<'portrait' | 'story', Geometry> = {
  portrait: {
    width: 1080, height: 1350, padX: 64, padTop: 60, padBottom: 52, strip: 16, logo: 104,
    unitSizes: [34, 30, 28, 26, 24], kickerSizes: [26, 24, 22, 20], indicatorBox: 290, indicatorSizes: [64, 58, 52, 48, 44, 40, 36, 32],
    goalBox: 96, goalSizes: [28, 26, 24], capaianSizes: [148, 128, 112, 96, 80], pillSizes: [40, 36, 32, 28], valueSizes: [34, 30, 26, 22],
    bar: 28, noteSize: 28, footerSizes: [24, 22, 20], siteSizes: [26, 24, 22],
  },
  story: {
    width: 1080, height: 1920, padX: 72, padTop: 250, padBottom: 250, strip: 24, logo: 120,
    unitSizes: [38, 34, 30, 28, 26], kickerSizes: [28, 26, 24, 22], indicatorBox: 400, indicatorSizes: [72, 64, 58, 52, 48, 44, 40, 36],
    goalBox: 130, goalSizes: [32, 30, 28, 26], capaianSizes: [172, 148, 128, 112, 96], pillSizes: [44, 40, 36, 32], valueSizes: [38, 34, 30, 26],
    bar: 34, noteSize: 30, footerSizes: [26, 24, 22], siteSizes: [28, 26, 24],
  },
};

interface Fitted {
  spec: TextSpec;
  fitted: FittedText;
}

async function fit(text: string, spec: TextSpec): Promise<Fitted> {
  return { spec, fitted: await fitText(text, spec) };
}

const draw = (part: Fitted, extra: Style = {}): Element => textBox(part.spec, part.fitted, extra);

/** The big capaian with its band, or "tidak dapat dihitung" with the reason. */
async function resultBlock(data: KinerjaCardData, g: Geometry, width: number, colour: string, stacked: boolean): Promise<Element> {
  const label = await fit('Capaian', { width, maxHeight: 60, sizes: [g.kickerSizes[0]!], weight: 600, maxLines: 1 });
  if (!data.capaian.computable) {
    const title = await fit('Tidak dapat dihitung', { width, maxHeight: 200, sizes: g.capaianSizes.map((s) => Math.round(s * 0.42)), weight: 800, lineHeight: 1.1, maxLines: 1 });
    const reason = await fit(data.capaian.reason, { width, maxHeight: 200, sizes: g.goalSizes, lineHeight: 1.3, maxLines: 2 });
    return el('div', { display: 'flex', flexDirection: 'column', width },
      draw(label, { color: MUTED }),
      draw(title, { color: INK, marginTop: 6 }),
      draw(reason, { color: MUTED, marginTop: 8 }));
  }
  // A colour of the unit's own that does not read on white is used for the band pill only.
  const numberColour = contrastRatio(colour, WHITE) >= 4.5 ? colour : INK;
  const pillWidth = stacked ? Math.min(width, 420) : Math.round(width * 0.38);
  const numberWidth = stacked ? width : width - pillWidth - 24;
  const number = await fit(formatPercent(data.capaian.value), { width: numberWidth, maxHeight: 400, sizes: g.capaianSizes, weight: 800, lineHeight: 1, letterSpacing: -2, maxLines: 1 });
  const pillText = await fit(data.capaian.band.label, { width: pillWidth - 40, maxHeight: 200, sizes: g.pillSizes, weight: 700, lineHeight: 1.2, maxLines: 1 });
  const pill = el('div', { display: 'flex', alignItems: 'center', flexShrink: 0, width: pillWidth, padding: '12px 20px', borderRadius: 12, background: colour, boxSizing: 'border-box' },
    draw(pillText, { color: textOn(colour), width: pillWidth - 40 }));
  return el('div', { display: 'flex', flexDirection: 'column', width },
    draw(label, { color: MUTED }),
    el('div', { display: 'flex', flexDirection: stacked ? 'column' : 'row', alignItems: stacked ? 'flex-start' : 'center', width, marginTop: 4 },
      draw(number, { color: numberColour }),
      el('div', { display: 'flex', flexShrink: 0, ...(stacked ? { marginTop: 12 } : { marginLeft: 24 }) }, pill)));
}

/** Target and realisasi as two bars on one scale (the larger of the two fills the track). */
async function barsBlock(data: KinerjaCardData, g: Geometry, width: number, colour: string): Promise<Element> {
  const target = amountValue(data.target);
  const realisasi = amountValue(data.realisasi);
  const scale = Math.max(target ?? 0, realisasi ?? 0);
  const labelWidth = Math.round(width * 0.32);
  const valueWidth = width - labelWidth;
  const row = async (label: string, amount: Amount | null, value: number | null, fill: string, missing: string): Promise<Element> => {
    const name = await fit(label, { width: labelWidth, maxHeight: 100, sizes: g.valueSizes, weight: 600, lineHeight: 1.2, maxLines: 1 });
    const shown = await fit(amount === null ? missing : formatAmount(amount, data.satuan), {
      width: valueWidth, maxHeight: 100, sizes: g.valueSizes, weight: 700, lineHeight: 1.2, maxLines: 1,
    });
    const filled = value === null || scale <= 0 ? 0 : Math.max(0, Math.round((value / scale) * width));
    return el('div', { display: 'flex', flexDirection: 'column', width, marginBottom: 14 },
      el('div', { display: 'flex', width, alignItems: 'flex-end' },
        draw(name, { color: MUTED }),
        draw(shown, { color: INK, justifyContent: 'flex-end', textAlign: 'right' })),
      el('div', { display: 'flex', width, height: g.bar, marginTop: 8, borderRadius: g.bar / 2, background: TRACK, overflow: 'hidden' },
        filled > 0 ? el('div', { display: 'flex', width: filled, height: g.bar, background: fill }) : null));
  };
  return el('div', { display: 'flex', flexDirection: 'column', width },
    await row('Target', data.target, target, TARGET_BAR, 'Belum ditetapkan'),
    await row('Realisasi', data.realisasi, realisasi, data.capaian.computable ? colour : NEUTRAL_BAND_COLOUR, 'Belum tersedia'));
}

async function noteBlock(data: KinerjaCardData, g: Geometry, width: number): Promise<Element> {
  const height = Math.ceil(g.noteSize * 1.25);
  if (data.polarity !== 'lower') return el('div', { display: 'flex', width, height, flexShrink: 0 });
  const note = await fit(`↓ ${LOWER_IS_BETTER}`, { width, maxHeight: height, sizes: [g.noteSize, g.noteSize - 4, g.noteSize - 8], weight: 600, maxLines: 1 });
  return el('div', { display: 'flex', width, height, flexShrink: 0 }, draw(note, { color: INK }));
}

async function footerBlock(data: KinerjaCardData, g: Geometry, width: number, sideBySide: boolean): Promise<Element> {
  const sourceWidth = sideBySide ? Math.round(width * 0.62) : width;
  const siteWidth = sideBySide ? width - sourceWidth - 24 : width;
  const source = data.source?.trim()
    ? await fit(`Sumber: ${data.source.trim()}`, { width: sourceWidth, maxHeight: 200, sizes: g.footerSizes, lineHeight: 1.25, maxLines: 2 })
    : null;
  const site = await fit(data.siteName, { width: siteWidth, maxHeight: 200, sizes: g.siteSizes, weight: 700, lineHeight: 1.2, maxLines: sideBySide ? 2 : 1 });
  return el('div', {
    display: 'flex', flexDirection: sideBySide ? 'row' : 'column', justifyContent: 'space-between', alignItems: sideBySide ? 'center' : 'flex-start',
    width, flexShrink: 0, borderTop: `2px solid ${RULE}`, paddingTop: sideBySide ? 14 : 18,
  },
  source ? draw(source, { color: MUTED }) : el('div', { display: 'flex', width: sideBySide ? sourceWidth : 0 }),
  draw(site, { color: INK, ...(sideBySide ? { justifyContent: 'flex-end', textAlign: 'right' } : { marginTop: source ? 8 : 0 }) }));
}

function logoBox(src: string, size: number): Element {
  return el('div', { display: 'flex', width: size, height: size, flexShrink: 0, alignItems: 'center', justifyContent: 'center', marginRight: 24 },
    { type: 'img', props: { src, style: { width: size, height: size, objectFit: 'contain' } }, key: null });
}

async function header(data: KinerjaCardData, g: Geometry, width: number, logo: string | null): Promise<{ element: Element; unit: Fitted }> {
  const unitWidth = logo ? width - g.logo - 24 : width;
  const unit = await fit(data.unitName, { width: unitWidth, maxHeight: g.logo, sizes: g.unitSizes, weight: 700, lineHeight: 1.2, maxLines: 3 });
  return {
    unit,
    element: el('div', { display: 'flex', alignItems: 'center', width, height: g.logo, flexShrink: 0 },
      logo ? logoBox(logo, g.logo) : null,
      draw(unit, { color: INK })),
  };
}

async function textParts(data: KinerjaCardData, g: Geometry, width: number): Promise<{ kicker: Fitted; indicator: Fitted; goal: Fitted | null }> {
  const kicker = await fit(`CAPAIAN KINERJA · ${data.period.trim().toLocaleUpperCase('id-ID')}`, {
    width, maxHeight: 100, sizes: g.kickerSizes, weight: 700, lineHeight: 1.2, letterSpacing: 1, maxLines: 1,
  });
  const indicator = await fit(data.indicator, { width, maxHeight: g.indicatorBox, sizes: g.indicatorSizes, weight: 800, lineHeight: 1.15, letterSpacing: -0.5 });
  const goal = data.goal?.trim() ? await fit(`Sasaran: ${data.goal.trim()}`, { width, maxHeight: g.goalBox, sizes: g.goalSizes, lineHeight: 1.3 }) : null;
  return { kicker, indicator, goal };
}

function kickerColour(colour: string): string {
  return contrastRatio(colour, WHITE) >= 4.5 ? colour : MUTED;
}

async function columnCard(data: KinerjaCardData, g: Geometry, logo: string | null): Promise<Element> {
  const width = g.width - 2 * g.padX;
  const colour = data.capaian.computable ? bandColour(data.capaian.band) : NEUTRAL_BAND_COLOUR;
  const head = await header(data, g, width, logo);
  const { kicker, indicator, goal } = await textParts(data, g, width);
  return el('div', {
    display: 'flex', flexDirection: 'column', width: g.width, height: g.height, boxSizing: 'border-box', position: 'relative',
    padding: `${g.strip + g.padTop}px ${g.padX}px ${g.padBottom}px`, background: WHITE, fontFamily: 'Inter',
  },
  el('div', { position: 'absolute', top: 0, left: 0, width: g.width, height: g.strip, background: colour }),
  head.element,
  el('div', { display: 'flex', width, marginTop: 36, flexShrink: 0 }, draw(kicker, { color: kickerColour(colour) })),
  // Fitted texts are never taller than their boxes (indicatorBox, goalBox); the space they leave goes above the result.
  el('div', { display: 'flex', width, marginTop: 14, flexShrink: 0 }, draw(indicator, { color: INK })),
  goal ? el('div', { display: 'flex', width, marginTop: 16, flexShrink: 0 }, draw(goal, { color: MUTED })) : null,
  el('div', { display: 'flex', flexGrow: 1, minHeight: 24 }),
  await resultBlock(data, g, width, colour, false),
  el('div', { display: 'flex', width, marginTop: 28 }, await barsBlock(data, g, width, colour)),
  await noteBlock(data, g, width),
  el('div', { display: 'flex', width, marginTop: 20 }, await footerBlock(data, g, width, false)));
}

const LANDSCAPE: Geometry & { leftWidth: number; gutter: number } = {
  width: 1200, height: 675, padX: 48, padTop: 32, padBottom: 40, strip: 12, logo: 72,
  unitSizes: [26, 24, 22, 20], kickerSizes: [20, 18, 17], indicatorBox: 226, indicatorSizes: [48, 44, 40, 36, 32, 28],
  goalBox: 62, goalSizes: [22, 20, 18], capaianSizes: [104, 92, 80, 68, 60], pillSizes: [30, 28, 26, 24], valueSizes: [24, 22, 20],
  bar: 20, noteSize: 22, footerSizes: [19, 18, 17], siteSizes: [21, 20, 19, 18],
  leftWidth: 620, gutter: 48,
};

async function landscapeCard(data: KinerjaCardData, logo: string | null): Promise<Element> {
  const g = LANDSCAPE;
  const width = g.width - 2 * g.padX;
  const rightWidth = width - g.leftWidth - g.gutter;
  const colour = data.capaian.computable ? bandColour(data.capaian.band) : NEUTRAL_BAND_COLOUR;
  const head = await header(data, g, g.leftWidth, logo);
  const { kicker, indicator, goal } = await textParts(data, g, g.leftWidth);
  return el('div', {
    display: 'flex', flexDirection: 'column', width: g.width, height: g.height, boxSizing: 'border-box', position: 'relative',
    padding: `${g.strip + g.padTop}px ${g.padX}px ${g.padBottom}px`, background: WHITE, fontFamily: 'Inter',
  },
  el('div', { position: 'absolute', top: 0, left: 0, width: g.width, height: g.strip, background: colour }),
  el('div', { display: 'flex', flexDirection: 'row', width, flexGrow: 1 },
    el('div', { display: 'flex', flexDirection: 'column', width: g.leftWidth, flexShrink: 0 },
      head.element,
      el('div', { display: 'flex', width: g.leftWidth, marginTop: 22, flexShrink: 0 }, draw(kicker, { color: kickerColour(colour) })),
      el('div', { display: 'flex', width: g.leftWidth, marginTop: 10, flexShrink: 0 }, draw(indicator, { color: INK })),
      goal ? el('div', { display: 'flex', width: g.leftWidth, marginTop: 12, flexShrink: 0 }, draw(goal, { color: MUTED })) : null),
    el('div', { display: 'flex', flexDirection: 'column', width: rightWidth, marginLeft: g.gutter, flexShrink: 0 },
      await resultBlock(data, g, rightWidth, colour, true),
      el('div', { display: 'flex', width: rightWidth, marginTop: 22 }, await barsBlock(data, g, rightWidth, colour)),
      await noteBlock(data, g, rightWidth))),
  el('div', { display: 'flex', width, marginTop: 14 }, await footerBlock(data, g, width, true)));
}

function cardTree(data: KinerjaCardData, size: KinerjaCardSize, logo: string | null): Promise<Element> {
  return size === 'landscape' ? landscapeCard(data, logo) : columnCard(data, COLUMN[size], logo);
}

/** The card as SVG (text as paths), for checks of where things are drawn. */
export async function kinerjaCardSvg(data: KinerjaCardData, size: KinerjaCardSize, options: SvgOptions = {}): Promise<string> {
  const logo = imageDataUrl(data.unitLogo);
  try {
    return await toSvg(await cardTree(data, size, logo), KINERJA_SIZES[size], options);
  } catch (error) {
    // A logo that looked like an image but cannot be decoded is left out rather than failing the card.
    if (!logo) throw error;
    return toSvg(await cardTree(data, size, null), KINERJA_SIZES[size], options);
  }
}

/** The performance result card as a PNG of the size's exact dimensions, with its alt text. */
export async function renderKinerjaCard(data: KinerjaCardData, size: KinerjaCardSize): Promise<RenderedImage> {
  const png = await toPng(await kinerjaCardSvg(data, size));
  return { png, alt: altForKinerja(data), ...KINERJA_SIZES[size] };
}
