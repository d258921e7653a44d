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
const EMOJI_RE = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;

/**
 * Threads: "emoji count as their UTF-8 bytes". Our reading: the text is split
 * into graphemes; a grapheme containing an emoji code point (pictographic or a
 * flag's regional indicator) counts its full UTF-8 byte length — so the skin-tone
 * modifiers, ZWJs and variation selectors of an emoji sequence are paid for too —
 * and every other grapheme counts one per code point.
 */
export function threadsLength(text: string): number {
  let n = 0;
  for (const { segment } of graphemeSegmenter.segment(text)) {
    n += EMOJI_RE.test(segment) ? utf8Bytes(segment) : codePoints(segment);
  }
  return n;
}

// Mastodon only links URLs with an explicit scheme, so bare domains count literally.
const SCHEME_URL_RE = /https?:\/\/[^\s<>"'`]+/giu;

export function schemeUrls(text: string): string[] {
  return text.match(SCHEME_URL_RE) ?? [];
}

// Mastodon counts a remote mention "@user@instance.tld" as just "@user".
const REMOTE_MENTION_RE = /(?<![\p{L}\p{N}_\/])@[A-Za-z0-9_]+(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/gu;

/** Mastodon: code points, each http(s) URL counted as `charsPerUrl`, remote mentions without their domain. */
export function mastodonLength(text: string, charsPerUrl: number): number {
  let n = codePoints(text);
  for (const url of schemeUrls(text)) n += charsPerUrl - codePoints(url);
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
      return new RichText({ text }).graphemeLength;
    default:
      return limits.unit === 'bytes' ? utf8Bytes(text) : codePoints(text);
  }
}
