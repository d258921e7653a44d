// Owns: sentence splitting that knows Indonesian government abbreviations, and
// shortening a text to whatever a caller's `fits` check accepts — at a sentence
// boundary when possible, else at a word boundary with an ellipsis. Never cuts
// inside a URL, hashtag, mention or grapheme (emoji ZWJ sequence, surrogate pair).

/**
 * Words that end with a period without ending the sentence (compared lower-case,
 * without the final period). Titles, degrees, address parts and the usual
 * Latin/Indonesian shorthands of official letters and press releases.
 */
const ABBREVIATIONS = new Set([
  // titles and forms of address
  'dr', 'drs', 'dra', 'prof', 'h', 'hj', 'ir', 'kh', 'bpk', 'bp', 'sdr', 'sdri', 'yth', 'ny', 'nn', 'tn',
  'kol', 'letkol', 'mayjen', 'brigjen', 'irjen', 'kombes', 'akbp', 'kompol', 'jend', 'ipda', 'iptu', 'aiptu',
  // degrees
  's.h', 's.e', 's.t', 's.pd', 's.kom', 's.sos', 's.ip', 's.ag', 's.kep', 's.ked', 's.farm', 's.psi', 's.ak', 's.hut', 's.p',
  'm.si', 'm.h', 'm.m', 'm.pd', 'm.kes', 'm.ap', 'm.t', 'm.sc', 'm.ag', 'm.kn', 'm.ak', 'm.e', 'ph.d', 'a.md', 'sp', 'lc', 'mba',
  // addresses and administrative units
  'jl', 'jln', 'gg', 'kab', 'kec', 'kel', 'prov', 'ds', 'kp', 'rt', 'rw', 'no', 'blok', 'kav',
  // money, dates and common shorthands
  'rp', 'tgl', 'thn', 'th', 'hlm', 'dll', 'dsb', 'dst', 'dkk', 'spt', 'yg', 'dgn', 'tsb', 'ttd', 'ket', 'vol', 'pt', 'cv', 'tbk',
  'a.n', 'u.p', 'u.b', 's.d', 'd.a', 'an', 'up', 'sd', 'vs', 'etc', 'e.g', 'i.e', 'approx', 'min', 'maks', 'max',
]);

// Initials such as "A." or "H.M." are abbreviations too.
const INITIALS_RE = /^(?:\p{L}\.)*\p{L}$/u;

// http(s) or www. links; trailing punctuation is trimmed off each match below.
const URL_RE = /(?:https?:\/\/|www\.)[^\s<>"'`]+/giu;
const TRAILING_PUNCT_RE = /[.,;:!?…)\]}"'”’»]+$/u;

/** Spans [start, end) of links, so no boundary or cut is placed inside one. */
export function urlSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const m of text.matchAll(URL_RE)) {
    const url = m[0].replace(TRAILING_PUNCT_RE, '');
    if (url.length > 0) spans.push([m.index, m.index + url.length]);
  }
  return spans;
}

function inSpan(spans: [number, number][], i: number): boolean {
  return spans.some(([a, b]) => i >= a && i < b);
}

// A run of terminal punctuation, optional closing quotes/brackets, then whitespace or the end.
const TERMINAL_RE = /([.?!…]+)(["'”’»)\]]*)(?=\s|$)/gu;

/** The word right before index `end` (the terminal punctuation), stripped of opening quotes/brackets. */
function wordBefore(text: string, end: number): string {
  let start = end;
  while (start > 0 && !/\s/u.test(text[start - 1] ?? '')) start--;
  return text.slice(start, end).replace(/^[("'“‘«[]+/u, '');
}

function isAbbreviation(word: string): boolean {
  const w = word.toLowerCase();
  return ABBREVIATIONS.has(w) || INITIALS_RE.test(word);
}

/**
 * End offsets (exclusive) of each sentence in `text`, in order; the last one is
 * text.length. A newline always ends a sentence (list items, headings, titles).
 */
export function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  const spans = urlSpans(text);
  for (const m of text.matchAll(TERMINAL_RE)) {
    const punct = m[1] ?? '';
    const at = m.index;
    if (inSpan(spans, at)) continue;
    const end = at + m[0].length;
    if (punct === '.') {
      if (isAbbreviation(wordBefore(text, at))) continue;
    }
    if (punct === '.' || punct.startsWith('…') || punct.startsWith('..')) {
      // A period followed by a lower-case word is an abbreviation we do not know, or "…" mid-sentence.
      const next = /\S/u.exec(text.slice(end))?.[0] ?? '';
      if (/\p{Ll}/u.test(next)) continue;
    }
    ends.push(end);
  }
  for (const m of text.matchAll(/\n/g)) ends.push(m.index);
  ends.push(text.length);
  return [...new Set(ends)].filter((e) => text.slice(0, e).trim() !== '').sort((a, b) => a - b);
}

/** The sentences of `text`, trimmed, without empty ones. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const end of sentenceEnds(text)) {
    const s = text.slice(start, end).trim();
    if (s !== '') out.push(s);
    start = end;
  }
  return out;
}

/** Largest index i in [0, n) with ok(i) true, assuming ok is true up to some point and false after; -1 if none. */
function lastTrue(n: number, ok: (i: number) => boolean): number {
  let lo = 0;
  let hi = n - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
const PROTECTED_WORD_RE = /^[("'“‘«[]*(?:https?:\/\/|www\.|[#＃@])/iu;

function endsWithUrl(text: string): boolean {
  const spans = urlSpans(text);
  const lastSpan = spans.at(-1);
  return lastSpan !== undefined && lastSpan[1] >= text.trimEnd().length;
}

function withEllipsis(prefix: string, ellipsis: string): string {
  const p = prefix.trimEnd().replace(/[\s,;:–—-]+$/u, '');
  if (p === '') return '';
  // Separate the ellipsis from a link so autolinkers do not take it into the URL.
  return endsWithUrl(p) ? `${p} ${ellipsis}` : `${p}${ellipsis}`;
}

/**
 * The longest prefix of `text` that `fits`: whole sentences when possible;
 * otherwise whole words plus `ellipsis`; otherwise (one huge word) whole
 * graphemes plus `ellipsis`, unless that word is a link, hashtag or mention,
 * which is never cut. Returns '' when nothing fits. `fits` is assumed monotone
 * (a shorter prefix fits whenever a longer one does).
 */
export function shortenToFit(text: string, fits: (candidate: string) => boolean, ellipsis = '…'): string {
  const safeFits = (c: string): boolean => {
    try {
      return fits(c);
    } catch {
      return false;
    }
  };
  const source = String(text).trim();
  if (safeFits(source)) return source;

  const ends = sentenceEnds(source).filter((e) => e < source.length);
  const bySentence = ends.map((e) => source.slice(0, e).trimEnd());
  const s = lastTrue(bySentence.length, (i) => safeFits(bySentence[i] ?? ''));
  if (s >= 0) return bySentence[s] ?? '';

  // Word boundaries: every whitespace run (links, hashtags, mentions and emoji contain none).
  const cuts: number[] = [];
  for (const m of source.matchAll(/\s+/gu)) if (m.index > 0) cuts.push(m.index);
  const byWord = cuts.map((c) => withEllipsis(source.slice(0, c), ellipsis)).filter((c) => c !== '');
  const w = lastTrue(byWord.length, (i) => safeFits(byWord[i] ?? ''));
  if (w >= 0) return byWord[w] ?? '';

  const firstWord = source.split(/\s/u)[0] ?? '';
  if (PROTECTED_WORD_RE.test(firstWord)) return '';
  const prefixes: string[] = [];
  let acc = '';
  for (const { segment } of graphemes.segment(firstWord)) {
    acc += segment;
    prefixes.push(acc);
  }
  prefixes.pop(); // the whole word was already tried
  const byGrapheme = prefixes.map((p) => withEllipsis(p, ellipsis)).filter((c) => c !== '');
  const g = lastTrue(byGrapheme.length, (i) => safeFits(byGrapheme[i] ?? ''));
  return g >= 0 ? (byGrapheme[g] ?? '') : '';
}
