// Owns: splitting a text into a numbered thread (X, Bluesky, Threads, Mastodon)
// where every part, including its " 2/5" suffix, passes the caller's `fits`.
// Breaks at paragraphs first, then lines, sentences, words, and only as a last
// resort between graphemes of one huge word (never inside a link, hashtag or mention).
import { sentences, shortenToFit } from './shorten.ts';

export const MAX_THREAD_PARTS = 25;

export type SplitOptions = {
  /** Append " i/n" to each part when there is more than one. Default true. */
  numbering?: boolean | undefined;
  /**
   * Text appended to the first part (before its number), e.g. "\n\nhttps://… #Tag":
   * the link and hashtags then sit in the post people see first.
   */
  firstTail?: string | undefined;
  /** Default 25; the remainder after the last part is shortened into it. */
  maxParts?: number | undefined;
};

type Level = { split: (text: string) => string[]; sep: string };

const graphemeSegmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });
const PROTECTED_RE = /^[("'“‘«[]*(?:https?:\/\/|www\.|[#＃@])/iu;

const LEVELS: Level[] = [
  { split: (t) => t.split(/\n[ \t]*\n\s*/u), sep: '\n\n' },
  { split: (t) => t.split(/\n/u), sep: '\n' },
  { split: (t) => sentences(t), sep: ' ' },
  { split: (t) => t.split(/\s+/u), sep: ' ' },
  // Only reached for a single word longer than a whole part.
  { split: (t) => (PROTECTED_RE.test(t) ? [t] : Array.from(graphemeSegmenter.segment(t), (s) => s.segment)), sep: '' },
];

function suffix(numbering: boolean, i: number, n: number): string {
  return numbering && n > 1 ? ` ${i}/${n}` : '';
}

/**
 * Greedy packing; `fitsPart` knows the numbering width and the first part's tail.
 * Returns the parts without suffixes or tail.
 */
function pack(text: string, fitsPart: (part: string, index: number) => boolean): string[] {
  const parts: string[] = [];
  let current = '';

  const tryAdd = (piece: string, sep: string): boolean => {
    const candidate = current === '' ? piece : current + sep + piece;
    if (fitsPart(candidate, parts.length + 1)) {
      current = candidate;
      return true;
    }
    return false;
  };

  const place = (piece: string, level: number, sep: string): void => {
    if (piece.trim() === '') return;
    if (tryAdd(piece, sep)) return;
    if (current !== '' && fitsPart(piece, parts.length + 2)) {
      parts.push(current);
      current = piece;
      return;
    }
    const next = LEVELS[level + 1];
    if (!next) {
      // Unsplittable (a link longer than a part): start a new part with it if it fits alone, else drop it.
      if (current !== '') {
        parts.push(current);
        current = '';
      }
      if (fitsPart(piece, parts.length + 1)) {
        current = piece;
      } else if (parts.length === 0 && fitsPart(piece, 2)) {
        // Only the first part's tail is in the way: let part 1 be the tail alone.
        parts.push('');
        current = piece;
      }
      return;
    }
    const subs = next.split(piece).filter((s) => s.trim() !== '');
    subs.forEach((sub, k) => place(sub, level + 1, k === 0 ? sep : next.sep));
  };

  const top = LEVELS[0];
  if (top) top.split(text).forEach((p, k) => place(p, 0, k === 0 ? '' : top.sep));
  if (current !== '') parts.push(current);
  return parts;
}

/**
 * Splits `text` into thread parts that each fit. A text that fits as one post
 * (with `firstTail`) is returned as a single, unnumbered part. The numbering
 * needs the final count, so packing repeats until the count is stable. Past
 * `maxParts` the rest is shortened (sentence, then word boundary) into the last part.
 */
export function splitThread(
  text: string,
  fits: (part: string) => boolean,
  options: SplitOptions = { numbering: true },
): string[] {
  const safeFits = (c: string): boolean => {
    try {
      return fits(c);
    } catch {
      return false;
    }
  };
  const numbering = options.numbering ?? true;
  const tail = options.firstTail ?? '';
  const maxParts = Math.max(1, Math.min(options.maxParts ?? MAX_THREAD_PARTS, 1000));
  const body = String(text).trim();
  if (body === '') return tail.trim() !== '' && safeFits(tail.trim()) ? [tail.trim()] : [];
  if (safeFits(body + tail)) return [body + tail];

  const attempt = (total: number): string[] => {
    const fitsPart = (part: string, index: number): boolean =>
      safeFits(part + (index === 1 ? tail : '') + suffix(numbering, index, total));
    const parts = pack(body, fitsPart);
    if (parts.length <= maxParts) return parts;
    // Too many: keep the first maxParts-1 parts and shorten the rest into the last one.
    const kept = parts.slice(0, maxParts - 1);
    const rest = parts.slice(maxParts - 1).join('\n\n');
    const last = shortenToFit(rest, (c) => fitsPart(c, maxParts));
    return last === '' ? kept : [...kept, last];
  };

  let total = 2;
  let parts = attempt(total);
  for (let round = 0; round < 8 && parts.length !== total; round++) {
    total = Math.min(Math.max(parts.length, 2), maxParts);
    parts = attempt(total);
  }
  // Not settled (the count oscillates around a change of digits): pack for a
  // total at least as large as the result, so the real suffixes are no wider.
  while (parts.length > total) {
    total = parts.length;
    parts = attempt(total);
  }
  const n = parts.length;
  const out = parts.map((p, k) => (p + (k === 0 ? tail : '')).trim() + suffix(numbering, k + 1, n));
  // Last guard for a `fits` that is not length-based; unreachable for measure-based checks.
  return out.filter((p) => safeFits(p));
}
