// Owns: how each network measures text length, plus the small text extractors
// (links, hashtags, mentions) the rules count. Pure and exception-free for any
// string, including lone surrogates, so a later thread splitter can reuse `measure`.
import twitter from 'twitter-text';
import { RichText } from '@atproto/api';
import type { Network, NetworkLimits } from './limits.ts';

const encoder = new TextEncoder();

/** UTF-8 byte length. A lone surrogate is encoded as U+FFFD (3 bytes), which is what a network receives. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** Unicode code points; a lone surrogate counts as one. */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const graphemeSegmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });

// Printable ASCII, tab and LF each form a grapheme of their own unless a mark, ZWJ or the like
// follows — and those are never ASCII. So only the stretches of other characters (widened by one
// character on each side, where such a mark could attach) go through Intl.Segmenter, which costs
// ~0.25 µs per character; the rest counts 1 each. Same result as segmenting the whole text.
const SEGMENTED_RUN_RE = /[^\t\n\x20-\x7E]+/gu;

/** Sums `cost` over the text's grapheme clusters; a plain ASCII character costs 1. */
function sumOverGraphemes(text: string, cost: (segment: string) => number): number {
  let n = 0;
  let counted = 0; // text before this index is already summed
  let from = -1;
  let to = -1; // the current window [from, to), not yet summed
  const flush = () => {
    n += from - counted;
    for (const { segment } of graphemeSegmenter.segment(text.slice(from, to))) n += cost(segment);
    counted = to;
  };
  for (const m of text.matchAll(SEGMENTED_RUN_RE)) {
    const start = Math.max(0, m.index - 1);
    const end = Math.min(text.length, m.index + m[0].length + 1);
    if (from >= 0 && start <= to) {
      to = end;
      continue;
    }
    if (from >= 0) flush();
    from = start;
    to = end;
  }
  if (from >= 0) flush();
  return n + text.length - counted;
}

const one = (): number => 1;

/** Extended grapheme clusters (what a reader sees as one character: 👨‍👩‍👧‍👦, 🇮🇩, e + U+0301). */
export function graphemes(text: string): number {
  return sumOverGraphemes(text, one);
}
const EMOJI_RE = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;
const threadsCost = (segment: string): number => (EMOJI_RE.test(segment) ? utf8Bytes(segment) : codePoints(segment));

/**
 * Threads: "emoji count as their UTF-8 bytes". Our reading: the text is split
 * into graphemes; a grapheme containing an emoji code point (pictographic or a
 * flag's regional indicator) counts its full UTF-8 byte length — so the skin-tone
 * modifiers, ZWJs and variation selectors of an emoji sequence are paid for too —
 * and every other grapheme counts one per code point.
 */
export function threadsLength(text: string): number {
  return sumOverGraphemes(text, threadsCost);
}

// Mastodon only links URLs with an explicit scheme, so bare domains count literally.
const SCHEME_URL_RE = /https?:\/\/[^\s<>"'`]+/giu;
// Mastodon's URL regex (config/initializers/twitter_regex.rb, valid_url_path_ending_chars) never
// ends a URL on these, so in "…/berita/123." or "(lihat …/123)" the last character is plain text.
const URL_NON_ENDING = "!*';:=,.$%[]~&|@?(";

function trimUrlEnd(url: string): string {
  let end = url.length;
  while (end > 0) {
    const ch = url[end - 1] as string;
    if (ch === ')') {
      // A closing parenthesis stays only when it balances one inside the URL (…/Samarinda_(kota)).
      const head = url.slice(0, end);
      if (head.split('(').length >= head.split(')').length) break;
    } else if (!URL_NON_ENDING.includes(ch)) {
      break;
    }
    end--;
  }
  return url.slice(0, end);
}

export function schemeUrls(text: string): string[] {
  return (text.match(SCHEME_URL_RE) ?? []).map(trimUrlEnd).filter((url) => !/^https?:\/\/$/iu.test(url));
}

// Mastodon counts a remote mention "@user@instance.tld" as just "@user".
const REMOTE_MENTION_RE = /(?<![\p{L}\p{N}_\/])@[A-Za-z0-9_]+(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/gu;

/**
 * Mastodon: grapheme clusters (the server's StatusLengthValidator counts
 * `each_grapheme_cluster`, so 👨‍👩‍👧‍👦 is 1, not 7), each http(s) URL counted as
 * `charsPerUrl`, remote mentions without their domain.
 */
export function mastodonLength(text: string, charsPerUrl: number): number {
  let n = graphemes(text);
  for (const url of schemeUrls(text)) n += charsPerUrl - graphemes(url);
  for (const m of text.replace(SCHEME_URL_RE, ' ').matchAll(REMOTE_MENTION_RE)) n -= codePoints(m[1] ?? '');
  return n;
}

/** Links as the apps autolink them (twitter-text also catches bare domains like "kominfo.go.id"). */
export function countLinks(text: string): number {
  return twitter.extractUrls(text).length;
}

const HASHTAG_RE = /(?<![\p{L}\p{N}_&])[#＃][\p{L}\p{M}\p{N}_]*[\p{L}\p{M}_][\p{L}\p{M}\p{N}_]*/gu;
const MENTION_RE = /(?<![\p{L}\p{N}_.@])@[A-Za-z0-9._]{1,30}/gu;

export function countHashtags(text: string): number {
  return text.match(HASHTAG_RE)?.length ?? 0;
}

export function countMentions(text: string): number {
  return text.match(MENTION_RE)?.length ?? 0;
}

/** Bluesky's own counters from RichText (also detects facets: links, mentions, tags). */
export function blueskyMeasure(text: string): { graphemes: number; bytes: number; facets: number } {
  const rt = new RichText({ text });
  rt.detectFacetsWithoutResolution();
  return { graphemes: rt.graphemeLength, bytes: rt.length, facets: rt.facets?.length ?? 0 };
}

/**
 * Length of `text` on `network`, in `limits.unit`. This is the number compared
 * with `limits.maxText` (Bluesky's byte limit is checked separately via blueskyMeasure).
 */
export function measure(network: Network, text: string, limits: NetworkLimits): number {
  switch (network) {
    case 'x':
      // twitter-text weighs CJK/emoji as 2 and every URL as 23 (its own config).
      return twitter.parseTweet(text).weightedLength;
    case 'threads':
      return threadsLength(text);
    case 'mastodon':
      return mastodonLength(text, limits.charsPerUrl ?? 23);
    case 'bluesky':
      // Same count as RichText#graphemeLength, which is Intl.Segmenter on Node, without building a RichText.
      return graphemes(text);
    default:
      return limits.unit === 'bytes' ? utf8Bytes(text) : codePoints(text);
  }
}
