// Owns: turning a post's tags into hashtags, and each network's hashtag habit
// (how many, and where they go) as data.
import type { Network } from '../networks/limits.ts';

/**
 * "hari jadi kaltim" → "#HariJadiKaltim", "APBD 2027" → "#APBD2027". Letters
 * (any script, with their marks) and digits are kept; words are joined in
 * CamelCase so screen readers read them as words. Returns '' when nothing is
 * left or the tag is only digits (networks do not link those).
 */
export function toHashtag(tag: string): string {
  const words = String(tag)
    .normalize('NFC')
    .replace(/['’`]/gu, '') // "Jum'at" → "Jumat", not "JumAt"
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((w) => w !== '');
  const body = words.map((w) => w.charAt(0).toLocaleUpperCase('id-ID') + w.slice(1)).join('');
  if (!/\p{L}/u.test(body)) return '';
  return `#${body}`;
}

export type HashtagHabit = {
  /** At most this many hashtags. */
  max: number;
  /** 'block': own paragraph after a blank line at the end; 'line': last line of the post. */
  placement: 'block' | 'line';
};

/**
 * Per-network habit. Sources (checked late 2026; habits, not hard limits — the
 * hard limits live in networks/limits.ts):
 * - instagram: Instagram allows 30, but its @creators account (2023–24) advises
 *   3–5 relevant tags; 8 is our ceiling for a gov account, as a block at the end.
 * - x: X Help Center "How to use hashtags" recommends no more than 2 per post.
 * - threads: Threads links a single topic tag per post (the first one).
 * - linkedin: LinkedIn's posting guidance suggests about 3 hashtags.
 * - facebook: Meta for Business: hashtags matter little on Facebook; keep 1–2.
 * - tiktok: TikTok Creator Academy suggests 3–5 in the caption; we use 4.
 * - youtube: YouTube Help: the first 3 hashtags of the description show above the title.
 * - mastodon: hashtags are Mastodon's only discovery (no algorithm); the docs ask for
 *   #CamelCase so screen readers read the words; a few at the end, 4.
 * - bluesky: tags are facets; Bluesky's guidance is a couple of relevant ones, 2.
 * - telegram: in a channel a hashtag is an in-channel search link; 2 is plenty.
 */
export const HASHTAG_HABITS: Record<Network, HashtagHabit> = {
  instagram: { max: 8, placement: 'block' },
  x: { max: 2, placement: 'line' },
  threads: { max: 1, placement: 'line' },
  linkedin: { max: 3, placement: 'block' },
  facebook: { max: 2, placement: 'block' },
  tiktok: { max: 4, placement: 'block' },
  youtube: { max: 3, placement: 'block' },
  mastodon: { max: 4, placement: 'line' },
  bluesky: { max: 2, placement: 'line' },
  telegram: { max: 2, placement: 'block' },
  // The receiving system gets the tags as data too; in the text they stay few, at the end.
  webhook: { max: 3, placement: 'block' },
};

/** The hashtags to use on `network`: converted, de-duplicated (case-insensitive), capped by the habit. */
export function hashtagsFor(network: Network, tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const tag of tags) {
    const h = toHashtag(tag);
    const key = h.toLocaleLowerCase('id-ID');
    if (h === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(h);
  }
  return out.slice(0, HASHTAG_HABITS[network].max);
}
