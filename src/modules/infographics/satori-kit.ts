/**
 * The drawing kit of generated images: satori lays out a tree of boxes (a subset of CSS flexbox) and
 * turns text into paths with the Inter font shipped in @fontsource/inter (nothing fetched, no system
 * font), resvg draws the SVG to PNG. Text is fitted before layout: `fitText` finds the largest size
 * at which a text fits its box, and past the smallest size cuts it at a word with "…", measuring
 * with satori itself so the drawn text is exactly the measured text.
 */
import { readFileSync } from 'node:fs';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { renderAsync } from '@resvg/resvg-js';
import satori, { type SatoriNode, type SatoriOptions } from 'satori';
import { drawable } from '../portal/share/render-share-image.ts';
import { contrastRatio } from '../portal/share/rubric-colour.ts';

export { contrastRatio, drawable };

export type Style = Record<string, string | number>;
export type Child = Element | string;
export interface Element {
  type: string;
  props: { style: Style; src?: string; children?: Child | Child[] };
  key: string | null;
}

export function el(type: string, style: Style, ...children: (Child | null | false)[]): Element {
  const kept = children.filter((child): child is Child => child !== null && child !== false);
  return { type, props: { style, ...(kept.length === 0 ? {} : { children: kept.length === 1 ? kept[0]! : kept }) }, key: null };
}

type Fonts = SatoriOptions['fonts'];
let fonts: Fonts | undefined;

/** Inter, Latin and Latin Extended (names with diacritics), in the weights the designs use. */
export function loadFonts(): Fonts {
  if (fonts) return fonts;
  const require = createRequire(import.meta.url);
  const file = (subset: string, weight: 400 | 600 | 700 | 800) =>
    ({ name: 'Inter', weight, style: 'normal' as const, data: readFileSync(require.resolve(`@fontsource/inter/files/inter-${subset}-${weight}-normal.woff`)) });
  fonts = ([400, 600, 700, 800] as const).flatMap((weight) => [file('latin', weight), file('latin-ext', weight)]);
  return fonts;
}

/** How a fitted text is set: its box and the sizes to try, largest first. */
export interface TextSpec {
  width: number;
  maxHeight: number;
  sizes: readonly number[];
  weight?: 400 | 600 | 700 | 800;
  lineHeight?: number;
  letterSpacing?: number;
  /** At most this many lines, whatever the box's height. */
  maxLines?: number;
}

export interface FittedText {
  text: string;
  fontSize: number;
  /** The height the text takes at `fontSize` (0 for no text). */
  height: number;
  /** Whether the text had to be cut. */
  cut: boolean;
}

/** The style a text is both measured and drawn with; `extra` adds colour and the like. */
export function textStyle(spec: TextSpec, fontSize: number, extra: Style = {}): Style {
  return {
    display: 'flex', width: spec.width, flexShrink: 0, fontSize, fontWeight: spec.weight ?? 400, lineHeight: spec.lineHeight ?? 1.25,
    letterSpacing: spec.letterSpacing ?? 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word', ...extra,
  };
}

/**
 * The text as it can be drawn: characters the font lacks left out, spaces collapsed, line breaks
 * kept between paragraphs (a list of reasons is a paragraph each).
 */
export function cleanText(text: string): string {
  return text.split(/\r?\n/).map(drawable).filter((line) => line !== '').join('\n');
}

/** The heights of several texts set in `spec` at their sizes, in one layout pass. */
async function measure(spec: TextSpec, items: readonly { text: string; fontSize: number }[]): Promise<number[]> {
  const heights = items.map(() => Number.POSITIVE_INFINITY);
  const children = items.map((item, i) => ({ ...el('div', textStyle(spec, item.fontSize), item.text), key: `m${i}` }));
  await satori(el('div', { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', width: spec.width }, ...children) as never, {
    width: spec.width, fonts: loadFonts(),
    onNodeDetected: (node: SatoriNode) => {
      const match = typeof node.key === 'string' ? /^m(\d+)$/.exec(node.key) : null;
      if (match) heights[Number(match[1])] = node.height;
    },
  });
  return heights;
}

async function heightOf(spec: TextSpec, text: string, fontSize: number): Promise<number> {
  return (await measure(spec, [{ text, fontSize }]))[0]!;
}

const unfitted = new AsyncLocalStorage<true>();

/**
 * Runs `draw` with every text set at its largest size and never cut: what a layout would draw
 * without fitting, so a check of the frame can be shown to catch text that leaves it.
 */
export function withoutFitting<T>(draw: () => Promise<T>): Promise<T> {
  return unfitted.run(true, draw);
}

const TRAILING = /[\s,.;:–—-]+$/;

/**
 * The largest size at which the whole text fits `spec`'s box; past the smallest size, the most
 * words that fit followed by "…" (a single word too long for the box is shortened by characters).
 */
export async function fitText(raw: string, spec: TextSpec): Promise<FittedText> {
  const text = cleanText(raw);
  const sizes = spec.sizes;
  if (text === '') return { text: '', fontSize: sizes[0]!, height: 0, cut: false };
  if (unfitted.getStore()) return { text, fontSize: sizes[0]!, height: await heightOf(spec, text, sizes[0]!), cut: false };
  // A line's height is rounded up to whole pixels by the layout; allow for that on each line.
  const limit = (fontSize: number): number =>
    Math.min(spec.maxHeight, spec.maxLines ? spec.maxLines * Math.ceil(fontSize * (spec.lineHeight ?? 1.25) + 0.5) : Number.POSITIVE_INFINITY);
  const heights = await measure(spec, sizes.map((fontSize) => ({ text, fontSize })));
  const fits = heights.findIndex((height, i) => height <= limit(sizes[i]!));
  if (fits !== -1) return { text, fontSize: sizes[fits]!, height: heights[fits]!, cut: false };

  const fontSize = sizes[sizes.length - 1]!;
  const maxHeight = limit(fontSize);
  // Words with the space or line break before each, so a cut keeps the paragraphs.
  const words = text.match(/[ \n]?[^ \n]+/g) ?? [text];
  const prefix = (count: number): string => `${words.slice(0, count).join('').replace(TRAILING, '')}…`;
  let lo = 0;
  let hi = words.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (await heightOf(spec, prefix(mid), fontSize) <= maxHeight) lo = mid;
    else hi = mid - 1;
  }
  if (lo >= 1) {
    const cut = prefix(lo);
    return { text: cut, fontSize, height: await heightOf(spec, cut, fontSize), cut: true };
  }
  // Not even the first word fits: keep as many of its characters as fit.
  const chars = [...(words[0] ?? '').trim()];
  let keep = 0;
  let top = chars.length - 1;
  while (keep < top) {
    const mid = Math.ceil((keep + top) / 2);
    if (await heightOf(spec, `${chars.slice(0, mid).join('')}…`, fontSize) <= maxHeight) keep = mid;
    else top = mid - 1;
  }
  const cut = keep === 0 ? '' : `${chars.slice(0, keep).join('')}…`;
  return { text: cut, fontSize, height: cut === '' ? 0 : await heightOf(spec, cut, fontSize), cut: true };
}

/** A fitted text as a box of its measured style. */
export function textBox(spec: TextSpec, fitted: FittedText, extra: Style = {}): Element {
  return el('div', textStyle(spec, fitted.fontSize, extra), fitted.text);
}

export interface SvgOptions {
  /** Every laid-out box (position and size), as satori places it. */
  onNodeDetected?: (node: SatoriNode) => void;
}

export async function toSvg(tree: Element, size: { width: number; height: number }, options: SvgOptions = {}): Promise<string> {
  return satori(tree as never, {
    width: size.width, height: size.height, fonts: loadFonts(),
    ...(options.onNodeDetected ? { onNodeDetected: options.onNodeDetected } : {}),
  });
}

export async function toPng(svg: string): Promise<Buffer> {
  // Text is already paths: no font lookup, and the drawing runs off the main thread.
  const image = await renderAsync(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false }, background: '#ffffff' });
  return image.asPng();
}

/**
 * An image given as bytes or a data URL, as a data URL satori can draw — when it really is a PNG,
 * JPEG or SVG (judged by its content, not a declared type); otherwise null. Nothing is fetched.
 */
export function imageDataUrl(image: Uint8Array | string | null | undefined): string | null {
  if (!image) return null;
  let bytes: Buffer;
  if (typeof image === 'string') {
    const match = /^data:[\w.+/-]*(;[\w=-]+)*?(;base64)?,(.*)$/s.exec(image.trim());
    if (!match) return null;
    try {
      bytes = match[2] ? Buffer.from(match[3]!, 'base64') : Buffer.from(decodeURIComponent(match[3]!), 'utf8');
    } catch {
      return null; // a malformed percent-escape
    }
  } else {
    bytes = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  }
  let mime: string | null = null;
  if (bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) mime = 'image/png';
  else if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) mime = 'image/jpeg';
  else {
    const head = bytes.subarray(0, 2048).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (head.startsWith('<') && /<svg[\s>]/.test(head)) mime = 'image/svg+xml';
  }
  return mime ? `data:${mime};base64,${bytes.toString('base64')}` : null;
}

export const INK = '#0f172a';
export const WHITE = '#ffffff';

/**
 * White or black, whichever reads better on `background`: one of them always reaches 4.5:1 (the
 * worst background, of luminance about 0.18, still gives black 4.58:1).
 */
export function textOn(background: string): string {
  return contrastRatio(WHITE, background) >= contrastRatio('#000000', background) ? WHITE : '#000000';
}
