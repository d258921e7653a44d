/**
 * The regulation explainer as an Instagram carousel (1080×1350 slides): "Apa itu?", "Mengapa?",
 * "Siapa yang terdampak?", "Mulai kapan?", then a slide per question of the FAQ, at most ten in
 * all. A slide whose data is missing is left out and the others are numbered without it. Every
 * slide shows its number ("2/5"), the regulation's reference and the site's name; every text is
 * fitted to its box (shrunk, then cut at a word with "…"), so nothing leaves the frame.
 */
import { altForRegulasiSlide } from './alt-text.ts';
import { formatDate } from './format.ts';
import { REGULATION_COLOUR } from './palette.ts';
import type { RenderedImage } from './kinerja-card.ts';
import {
  INK, WHITE, el, fitText, textBox, textOn, toPng, toSvg, type Element, type SvgOptions, type TextSpec,
} from './satori-kit.ts';

export const SLIDE_SIZE = { width: 1080, height: 1350 } as const;
export const MAX_SLIDES = 10;

/** What a regulation explainer says, in plain language. */
export interface RegulasiExplainerData {
  /** How the type is written before its number: "Pergub", "Peraturan Daerah Provinsi Kalimantan Timur". */
  typeName: string;
  number: string;
  year: number | string;
  title: string;
  summary: string;
  purpose?: string | null;
  /** One reason a line, or a list. */
  reasons?: string | readonly string[] | null;
  affected?: string | null;
  /** The day it takes effect: YYYY-MM-DD (a calendar day) or an instant (its day in WITA). */
  effectiveDate?: string | Date | null;
  /** What changes from that day. */
  changes?: string | null;
  faq?: readonly { question: string; answer: string }[] | null;
  siteName: string;
}

export type SlideKind = 'apa' | 'mengapa' | 'siapa' | 'kapan' | 'faq';
type Role = 'reference' | 'title' | 'body' | 'date' | 'question';

export interface SlideSection {
  label: string | null;
  /** The text drawn; list items one a line. */
  text: string;
  /** A list's items, when the section is a list. */
  items?: readonly string[];
  role: Role;
}

/** One slide's content, numbered within the carousel. */
export interface RegulasiSlide {
  kind: SlideKind;
  number: number;
  total: number;
  heading: string;
  /** "Pergub Nomor 5 Tahun 2025". */
  reference: string;
  title: string;
  siteName: string;
  sections: SlideSection[];
}

const present = (text: string | null | undefined): text is string => typeof text === 'string' && text.trim() !== '';

function reasonList(reasons: RegulasiExplainerData['reasons']): string[] {
  if (!reasons) return [];
  const list = typeof reasons === 'string' ? reasons.split(/\r?\n/) : [...reasons];
  return list.map((reason) => reason.replace(/^\s*(?:[-•*]|\d+[.)])\s+/, '').trim()).filter((reason) => reason !== '');
}

export function regulationReference(data: Pick<RegulasiExplainerData, 'typeName' | 'number' | 'year'>): string {
  return `${data.typeName.trim()} Nomor ${String(data.number).trim()} Tahun ${String(data.year).trim()}`;
}

/** The slides the explainer's data makes, in order and numbered (at most `MAX_SLIDES`). */
export function planRegulasiSlides(data: RegulasiExplainerData): RegulasiSlide[] {
  const reference = regulationReference(data);
  const planned: { kind: SlideKind; heading: string; sections: SlideSection[] }[] = [];
  planned.push({
    kind: 'apa', heading: 'Apa itu?', sections: [
      { label: null, text: reference, role: 'reference' },
      { label: null, text: data.title, role: 'title' },
      ...(present(data.summary) ? [{ label: null, text: data.summary, role: 'body' as const }] : []),
    ],
  });
  const reasons = reasonList(data.reasons);
  if (present(data.purpose) || reasons.length > 0) {
    planned.push({
      kind: 'mengapa', heading: 'Mengapa?', sections: [
        ...(present(data.purpose) ? [{ label: 'Tujuan', text: data.purpose, role: 'body' as const }] : []),
        ...(reasons.length > 0 ? [{ label: 'Alasan', text: reasons.map((reason) => `• ${reason}`).join('\n'), items: reasons, role: 'body' as const }] : []),
      ],
    });
  }
  if (present(data.affected)) {
    planned.push({ kind: 'siapa', heading: 'Siapa yang terdampak?', sections: [{ label: null, text: data.affected, role: 'body' }] });
  }
  const effective = data.effectiveDate instanceof Date || present(data.effectiveDate) ? formatDate(data.effectiveDate) : null;
  if (effective || present(data.changes)) {
    planned.push({
      kind: 'kapan', heading: 'Mulai kapan?', sections: [
        ...(effective ? [{ label: 'Berlaku mulai', text: effective, role: 'date' as const }] : []),
        ...(present(data.changes) ? [{ label: 'Yang berubah', text: data.changes, role: 'body' as const }] : []),
      ],
    });
  }
  for (const item of data.faq ?? []) {
    if (planned.length >= MAX_SLIDES) break;
    if (!present(item.question) || !present(item.answer)) continue;
    planned.push({
      kind: 'faq', heading: 'Tanya jawab', sections: [
        { label: 'Tanya', text: item.question, role: 'question' },
        { label: 'Jawab', text: item.answer, role: 'body' },
      ],
    });
  }
  return planned.map((slide, i) => ({
    ...slide, number: i + 1, total: planned.length, reference, title: data.title.trim(), siteName: data.siteName,
  }));
}

const PAD_X = 72;
const STRIP = 16;
const PAD_TOP = 56;
const PAD_BOTTOM = 52;
const WIDTH = SLIDE_SIZE.width - 2 * PAD_X;
const HEADER = 56;
const HEADING = 112;
const FOOTER = 132;
const GAP_HEADER = 40;
const GAP_HEADING = 28;
const GAP_FOOTER = 24;
/** The content's box: whatever the strip, paddings, header, heading, footer and gaps leave. */
export const CONTENT_BOX = {
  width: WIDTH,
  height: SLIDE_SIZE.height - STRIP - PAD_TOP - HEADER - GAP_HEADER - HEADING - GAP_HEADING - GAP_FOOTER - FOOTER - PAD_BOTTOM,
};
const LABEL_SIZE = 26;
const LABEL_HEIGHT = Math.ceil(LABEL_SIZE * 1.2) + 8;
const SECTION_GAP = 32;
const MUTED = '#475569';

const ROLE_SPECS: Record<Role, Omit<TextSpec, 'width' | 'maxHeight'> & { share?: number }> = {
  reference: { sizes: [36, 32, 30, 28, 26], weight: 700, lineHeight: 1.2, maxLines: 2 },
  title: { sizes: [58, 52, 48, 44, 40, 36, 32], weight: 800, lineHeight: 1.15, letterSpacing: -0.5, share: 0.45 },
  body: { sizes: [40, 38, 36, 34, 32, 30, 28, 26], weight: 400, lineHeight: 1.35, share: 0.6 },
  date: { sizes: [76, 68, 60, 52, 44], weight: 800, lineHeight: 1.1, maxLines: 2 },
  question: { sizes: [52, 48, 44, 40, 36, 32, 30], weight: 700, lineHeight: 1.2, share: 0.4 },
};

/** The smallest room a section needs: its label and two lines at its smallest size. */
function minimumHeight(section: SlideSection): number {
  const spec = ROLE_SPECS[section.role];
  return (section.label ? LABEL_HEIGHT : 0) + Math.ceil(2 * spec.sizes[spec.sizes.length - 1]! * (spec.lineHeight ?? 1.25));
}

/** The sections fitted one after another into the content box, each leaving room for those after it. */
async function contentBlock(sections: readonly SlideSection[]): Promise<Element> {
  let left = CONTENT_BOX.height;
  const drawn: Element[] = [];
  for (const [i, section] of sections.entries()) {
    const later = sections.slice(i + 1);
    const reserve = later.reduce((sum, next) => sum + SECTION_GAP + minimumHeight(next), 0);
    const { share, ...spec } = ROLE_SPECS[section.role];
    const label = section.label ? LABEL_HEIGHT : 0;
    let room = left - reserve - label;
    if (later.length > 0 && share) room = Math.min(room, Math.floor(CONTENT_BOX.height * share));
    const textSpec: TextSpec = { ...spec, width: WIDTH, maxHeight: Math.max(room, 0) };
    const fitted = await fitText(section.text, textSpec);
    const colour = section.role === 'reference' ? REGULATION_COLOUR : section.role === 'body' ? '#1e293b' : INK;
    drawn.push(el('div', { display: 'flex', flexDirection: 'column', width: WIDTH, flexShrink: 0, marginTop: i === 0 ? 0 : SECTION_GAP },
      section.label
        ? el('div', { display: 'flex', height: LABEL_HEIGHT, fontSize: LABEL_SIZE, lineHeight: 1.2, fontWeight: 700, letterSpacing: 1.5, color: REGULATION_COLOUR }, section.label.toLocaleUpperCase('id-ID'))
        : null,
      textBox(textSpec, fitted, { color: colour })));
    left -= (i === 0 ? 0 : SECTION_GAP) + label + fitted.height;
  }
  return el('div', { display: 'flex', flexDirection: 'column', width: WIDTH, height: CONTENT_BOX.height, flexShrink: 0 }, ...drawn);
}

async function slideTree(slide: RegulasiSlide): Promise<Element> {
  const numberWidth = 150;
  const kicker = await fitText('PENJELASAN REGULASI', { width: WIDTH - numberWidth - 24, maxHeight: HEADER, sizes: [26, 24, 22], weight: 700, letterSpacing: 1.5, maxLines: 1 });
  const numberSpec: TextSpec = { width: numberWidth - 32, maxHeight: HEADER, sizes: [30, 26, 22], weight: 800, lineHeight: 1.2, maxLines: 1 };
  const number = await fitText(`${slide.number}/${slide.total}`, numberSpec);
  const headingSpec: TextSpec = { width: WIDTH, maxHeight: HEADING, sizes: [92, 84, 76, 68, 60], weight: 800, lineHeight: 1.15, letterSpacing: -1, maxLines: 1 };
  const heading = await fitText(slide.heading, headingSpec);
  const referenceSpec: TextSpec = { width: WIDTH, maxHeight: 72, sizes: [26, 24, 22], weight: 600, lineHeight: 1.25, maxLines: 2 };
  const reference = await fitText(`${slide.reference} tentang ${slide.title}`, referenceSpec);
  const siteSpec: TextSpec = { width: WIDTH, maxHeight: 40, sizes: [26, 24, 22], weight: 700, lineHeight: 1.2, maxLines: 1 };
  const site = await fitText(slide.siteName, siteSpec);
  return el('div', {
    display: 'flex', flexDirection: 'column', width: SLIDE_SIZE.width, height: SLIDE_SIZE.height, boxSizing: 'border-box', position: 'relative',
    padding: `${STRIP + PAD_TOP}px ${PAD_X}px ${PAD_BOTTOM}px`, background: WHITE, fontFamily: 'Inter',
  },
  el('div', { position: 'absolute', top: 0, left: 0, width: SLIDE_SIZE.width, height: STRIP, background: REGULATION_COLOUR }),
  el('div', { display: 'flex', justifyContent: 'space-between', alignItems: 'center', width: WIDTH, height: HEADER, flexShrink: 0 },
    textBox({ width: WIDTH - numberWidth - 24, maxHeight: HEADER, sizes: [26, 24, 22], weight: 700, letterSpacing: 1.5 }, kicker, { color: MUTED }),
    el('div', { display: 'flex', alignItems: 'center', justifyContent: 'center', width: numberWidth, height: HEADER, borderRadius: HEADER / 2, background: REGULATION_COLOUR, flexShrink: 0 },
      textBox(numberSpec, number, { color: textOn(REGULATION_COLOUR), justifyContent: 'center', textAlign: 'center' }))),
  el('div', { display: 'flex', alignItems: 'center', width: WIDTH, height: HEADING, marginTop: GAP_HEADER, flexShrink: 0 }, textBox(headingSpec, heading, { color: INK })),
  el('div', { display: 'flex', width: WIDTH, marginTop: GAP_HEADING, flexShrink: 0 }, await contentBlock(slide.sections)),
  el('div', {
    display: 'flex', flexDirection: 'column', justifyContent: 'flex-end', width: WIDTH, height: FOOTER, marginTop: GAP_FOOTER, flexShrink: 0,
    borderTop: '2px solid #e2e8f0', paddingBottom: 0, boxSizing: 'border-box',
  },
  textBox(referenceSpec, reference, { color: MUTED }),
  textBox(siteSpec, site, { color: INK, marginTop: 8 })));
}

/** One slide as SVG (text as paths), for checks of where things are drawn. */
export async function regulasiSlideSvg(slide: RegulasiSlide, options: SvgOptions = {}): Promise<string> {
  return toSvg(await slideTree(slide), SLIDE_SIZE, options);
}

/** The carousel: one 1080×1350 PNG per slide, each with its alt text. */
export async function renderRegulasiSlides(data: RegulasiExplainerData): Promise<(RenderedImage & { slide: RegulasiSlide })[]> {
  const out: (RenderedImage & { slide: RegulasiSlide })[] = [];
  for (const slide of planRegulasiSlides(data)) {
    out.push({ png: await toPng(await regulasiSlideSvg(slide)), alt: altForRegulasiSlide(slide), ...SLIDE_SIZE, slide });
  }
  return out;
}
