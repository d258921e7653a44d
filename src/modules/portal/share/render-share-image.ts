/**
 * Share images: the 1200×630 picture a social network shows beside an article's link (og:image).
 * Laid out with satori (a subset of CSS flexbox, text turned into paths with the Inter font shipped
 * in @fontsource/inter, so nothing is fetched and no system font is needed) and drawn to PNG by
 * resvg. The title is wrapped and shrunk until it fits its box; a title too long even at the
 * smallest size is cut at a word with an ellipsis, so nothing ever leaves the frame.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { renderAsync } from '@resvg/resvg-js';
import satori, { type SatoriNode, type SatoriOptions } from 'satori';
import { NEUTRAL_COLOUR, URGENT_COLOUR, rubricColour } from './rubric-colour.ts';
import { longDate } from '../time.ts';

export const SHARE_IMAGE_WIDTH = 1200;
export const SHARE_IMAGE_HEIGHT = 630;

/** What one article's share image shows. */
export interface ShareCard {
  title: string;
  unitName: string;
  publishedAt: Date;
  rubric: { slug: string; name: string } | null;
  urgent: boolean;
  siteName: string;
}

type Style = Record<string, string | number>;
type Child = Element | string;
interface Element {
  type: string;
  props: { style: Style; children?: Child | Child[] };
  key: null;
}

function el(type: string, style: Style, ...children: Child[]): Element {
  return { type, props: { style, ...(children.length === 0 ? {} : { children: children.length === 1 ? children[0]! : children }) }, key: null };
}

type Fonts = SatoriOptions['fonts'];
let fonts: Fonts | undefined;

/** Inter, Latin and Latin Extended (names with diacritics), in the weights the design uses. */
function loadFonts(): Fonts {
  if (fonts) return fonts;
  const require = createRequire(import.meta.url);
  const file = (subset: string, weight: 400 | 600 | 700 | 800) =>
    ({ name: 'Inter', weight, style: 'normal' as const, data: readFileSync(require.resolve(`@fontsource/inter/files/inter-${subset}-${weight}-normal.woff`)) });
  fonts = ([400, 600, 700, 800] as const).flatMap((weight) => [file('latin', weight), file('latin-ext', weight)]);
  return fonts;
}

let drawableRanges: [number, number][] | undefined;

/**
 * The text without the characters the shipped font cannot draw (emoji, other scripts), which would
 * otherwise show as "no glyph" boxes: the Unicode ranges of the Latin and Latin Extended subsets,
 * as @fontsource/inter lists them.
 */
export function drawable(text: string): string {
  if (!drawableRanges) {
    const require = createRequire(import.meta.url);
    const subsets = JSON.parse(readFileSync(require.resolve('@fontsource/inter/unicode.json'), 'utf8')) as Record<string, string>;
    drawableRanges = [subsets.latin, subsets['latin-ext']].join(',').split(',').map((range) => {
      const [from, to] = range.replace(/^U\+/, '').split('-').map((hex) => Number.parseInt(hex, 16)) as [number, number | undefined];
      return [from, to ?? from];
    });
  }
  const ranges = drawableRanges;
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (/\s/.test(char)) out += ' ';
    else if (code >= 0x20 && !(code >= 0x7f && code < 0xa0) && ranges.some(([from, to]) => code >= from && code <= to)) out += char;
  }
  return out.replace(/\s+/g, ' ').trim();
}

const PAD_X = 72;
const BAND = 14;
const PAD_TOP = 50;
const PAD_BOTTOM = 48;
const HEADER = 48;
const GAP = 28;
const FOOTER = 100;
const CONTENT_WIDTH = SHARE_IMAGE_WIDTH - 2 * PAD_X;
/** The title's box: whatever the band, paddings, label row, footer and gaps leave. */
export const TITLE_BOX = { width: CONTENT_WIDTH, height: SHARE_IMAGE_HEIGHT - BAND - PAD_TOP - HEADER - GAP - GAP - FOOTER - PAD_BOTTOM };

const TITLE_SIZES = [76, 68, 62, 56, 50, 46, 42, 38, 34] as const;
const titleStyle = (fontSize: number): Style => ({
  display: 'flex', width: TITLE_BOX.width, fontSize, fontWeight: 800, lineHeight: 1.18, letterSpacing: -0.5, color: '#0f172a', wordBreak: 'break-word',
});

/** The height `text` takes in the title's style at `fontSize`, wrapped at the title's width. */
async function titleHeight(text: string, fontSize: number): Promise<number> {
  let height = Number.POSITIVE_INFINITY;
  await satori(el('div', titleStyle(fontSize), text) as never, {
    width: TITLE_BOX.width, fonts: loadFonts(), onNodeDetected: (node) => { if (node.type === 'div') height = node.height; },
  });
  return height;
}

/**
 * The largest size at which the whole title fits its box; at the smallest size, the most words
 * that fit followed by "…".
 */
export async function fitTitle(title: string, maxHeight = TITLE_BOX.height): Promise<{ text: string; fontSize: number }> {
  const text = title.replace(/\s+/g, ' ').trim();
  for (const fontSize of TITLE_SIZES) {
    if (await titleHeight(text, fontSize) <= maxHeight) return { text, fontSize };
  }
  const fontSize = TITLE_SIZES[TITLE_SIZES.length - 1]!;
  const words = text.split(' ');
  // Binary search on the number of words kept; one word always stays (break-word wraps it).
  let lo = 1;
  let hi = words.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (await titleHeight(`${words.slice(0, mid).join(' ')}…`, fontSize) <= maxHeight) lo = mid;
    else hi = mid - 1;
  }
  let cut = `${words.slice(0, lo).join(' ').replace(/[\s,.;:–—-]+$/, '')}…`;
  // A single enormous word: shorten it by characters until it fits.
  while (cut.length > 2 && await titleHeight(cut, fontSize) > maxHeight) cut = `${[...cut].slice(0, -2).join('')}…`;
  return { text: cut, fontSize };
}

const oneLine: Style = { display: 'block', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' };

function pill(text: string, background: string): Element {
  return el('div', {
    display: 'flex', alignItems: 'center', height: HEADER, padding: '0 18px', borderRadius: 6, background, color: '#ffffff',
    fontSize: 24, fontWeight: 700, letterSpacing: 1.5, textTransform: 'uppercase', marginRight: 14, maxWidth: 700, overflow: 'hidden', whiteSpace: 'nowrap',
  }, text);
}

async function articleTree(shown: ShareCard): Promise<Element> {
  const card: ShareCard = {
    ...shown,
    title: drawable(shown.title) || 'Berita',
    unitName: drawable(shown.unitName),
    siteName: drawable(shown.siteName),
    rubric: shown.rubric ? { slug: shown.rubric.slug, name: drawable(shown.rubric.name) || 'Berita' } : null,
  };
  const colour = card.rubric ? rubricColour(card.rubric.slug) : NEUTRAL_COLOUR;
  const title = await fitTitle(card.title);
  const labels = [
    ...(card.urgent ? [pill('Serta-merta', URGENT_COLOUR)] : []),
    pill(card.rubric?.name ?? 'Berita', colour),
  ];
  return el('div', {
    display: 'flex', flexDirection: 'column', width: SHARE_IMAGE_WIDTH, height: SHARE_IMAGE_HEIGHT, boxSizing: 'border-box',
    padding: `${BAND + PAD_TOP}px ${PAD_X}px ${PAD_BOTTOM}px`, background: '#ffffff', fontFamily: 'Inter', position: 'relative',
  },
  el('div', { position: 'absolute', top: 0, left: 0, width: SHARE_IMAGE_WIDTH, height: BAND, background: card.urgent ? URGENT_COLOUR : colour }),
  el('div', { display: 'flex', height: HEADER, flexShrink: 0 }, ...labels),
  el('div', { display: 'flex', flexDirection: 'column', justifyContent: 'center', height: TITLE_BOX.height, marginTop: GAP, marginBottom: GAP, flexShrink: 0 },
    el('div', titleStyle(title.fontSize), title.text)),
  el('div', { display: 'flex', flexDirection: 'column', height: FOOTER, flexShrink: 0, borderTop: '2px solid #e2e8f0', paddingTop: 20, boxSizing: 'border-box' },
    el('div', { ...oneLine, width: CONTENT_WIDTH, fontSize: 28, fontWeight: 600, lineHeight: 1.2, color: '#0f172a' }, card.unitName),
    el('div', { display: 'flex', justifyContent: 'space-between', width: CONTENT_WIDTH, marginTop: 8, fontSize: 24, lineHeight: 1.2 },
      el('div', { ...oneLine, color: '#475569', fontWeight: 400, maxWidth: 420 }, longDate(card.publishedAt)),
      el('div', { ...oneLine, color: '#0f172a', fontWeight: 700, maxWidth: 620 }, card.siteName))));
}

async function siteTree(siteName: string): Promise<Element> {
  const name = await fitTitle(drawable(siteName) || 'Berita', 330);
  return el('div', {
    display: 'flex', flexDirection: 'column', justifyContent: 'center', width: SHARE_IMAGE_WIDTH, height: SHARE_IMAGE_HEIGHT, boxSizing: 'border-box',
    padding: `0 ${PAD_X}px`, background: '#0f2d4a', fontFamily: 'Inter',
  },
  el('div', { display: 'flex', width: 120, height: 10, background: '#38bdf8', marginBottom: 36 }),
  el('div', { ...titleStyle(name.fontSize), color: '#ffffff' }, name.text),
  el('div', { display: 'flex', marginTop: 28, fontSize: 30, fontWeight: 600, color: '#cbd5e1' }, 'Berita resmi'));
}

export interface SvgOptions {
  /** Every laid-out box (position and size), as satori places it. */
  onNodeDetected?: (node: SatoriNode) => void;
}

async function toSvg(tree: Element, options: SvgOptions): Promise<string> {
  return satori(tree as never, {
    width: SHARE_IMAGE_WIDTH, height: SHARE_IMAGE_HEIGHT, fonts: loadFonts(),
    ...(options.onNodeDetected ? { onNodeDetected: options.onNodeDetected } : {}),
  });
}

async function toPng(svg: string): Promise<Buffer> {
  // Text is already paths: no font lookup, and the drawing runs off the main thread.
  const image = await renderAsync(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false }, background: '#ffffff' });
  return image.asPng();
}

export async function articleShareSvg(card: ShareCard, options: SvgOptions = {}): Promise<string> {
  return toSvg(await articleTree(card), options);
}

export async function articleSharePng(card: ShareCard): Promise<Buffer> {
  return toPng(await articleShareSvg(card));
}

export async function siteShareSvg(siteName: string, options: SvgOptions = {}): Promise<string> {
  return toSvg(await siteTree(siteName), options);
}

/** The site's own share image (pages that are not an article): its name on a plain background. */
export async function siteSharePng(siteName: string): Promise<Buffer> {
  return toPng(await siteShareSvg(siteName));
}
