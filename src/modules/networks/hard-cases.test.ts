// Tests: hard text on all ten networks, table-driven. Emoji sequences, CJK, combining marks,
// URLs with and without a scheme, each network's exact limit and one over (strings built from
// the limits data), Telegram captions, Bluesky bytes, Threads emoji bytes, Instagram tags and
// mentions, very long Indonesian words and lone surrogates. Each row names the network, the
// input, the rule ids expected and, where it means something, the measured length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS, NETWORKS } from './limits.ts';
import type { LimitOverrides, Network, NetworkLimits } from './limits.ts';
import type { MediaItem, ValidationResult } from './types.ts';
import { validatePost } from './validate.ts';

const jpeg: MediaItem = { kind: 'image', mime: 'image/jpeg', bytes: 800_000, width: 1080, height: 1080, alt: 'Foto kegiatan' };
const mp4: MediaItem = { kind: 'video', mime: 'video/mp4', bytes: 20_000_000 };

/** The least each network needs besides text, so a row exercises only the text rules. */
const BASE: Record<Network, { media: MediaItem[]; title?: string }> = {
  facebook: { media: [] },
  instagram: { media: [jpeg] },
  threads: { media: [] },
  x: { media: [] },
  tiktok: { media: [mp4] },
  youtube: { media: [mp4], title: 'Siaran pers Diskominfo' },
  linkedin: { media: [] },
  telegram: { media: [] },
  mastodon: { media: [] },
  bluesky: { media: [] },
  webhook: { media: [] },
};

type Row = {
  name: string;
  network: Network;
  text: string;
  /** Replaces the network's BASE media (Telegram: decides caption or message). */
  media?: MediaItem[];
  overrides?: LimitOverrides;
  ok: boolean;
  /** Every issue's rule id, in the order reported. */
  rules: string[];
  /** counters[0]: the text length in the network's own unit, and the limit it was held to. */
  used?: number;
  limit?: number;
  /** Bluesky's second counter: UTF-8 bytes. */
  bytes?: number;
  /** issue.measured by rule id. */
  measured?: Record<string, number>;
};

const rows: Row[] = [];
const L = (n: Network): NetworkLimits => DEFAULT_LIMITS[n];

// ---------------------------------------------------------------------------------------------
// 1. Hard samples on every network. Counts worked out by hand from the Unicode data:
//    cp = code points (Facebook, Instagram, TikTok, LinkedIn, Telegram), bytes = UTF-8 (YouTube),
//    x = twitter-text weighted (NFC first; CJK, emoji and everything above U+10FF weigh 2, URL 23),
//    threads = code points but emoji graphemes at their UTF-8 bytes,
//    mastodon = grapheme clusters, only http(s) URLs count 23,
//    graphemes = Bluesky (plus its byte counter).
type Counts = { cp: number; bytes: number; x: number; threads: number; mastodon: number; graphemes: number };

function expectedUsed(network: Network, c: Counts): number {
  switch (network) {
    case 'x': return c.x;
    case 'threads': return c.threads;
    case 'mastodon': return c.mastodon;
    case 'bluesky': return c.graphemes;
    case 'youtube': return c.bytes;
    default: return c.cp;
  }
}

const SCHEME_URL = 'https://kaltimprov.go.id/berita/2026/11/28/gubernur-resmikan-jembatan-mahakam-iv'; // 80
const BARE_URL = 'kaltimprov.go.id/berita/2026/11/28/gubernur-resmikan-jembatan-mahakam-iv'; // 72
const WWW_URL = 'www.kaltimprov.go.id/berita/2026/11/28/gubernur-resmikan'; // 56
const FAMILY = '👨‍👩‍👧‍👦'; // man ZWJ woman ZWJ girl ZWJ boy: 7 code points, 25 bytes, 1 grapheme
const PRIDE = '🏳️‍🌈'; // white flag, VS16, ZWJ, rainbow: 4 code points, 14 bytes
const LONG_WORD = 'mempertanggungjawabkannya';

const SAMPLES: { name: string; text: string; c: Counts; rules?: Partial<Record<Network, string[]>>; allRules?: string[] }[] = [
  { name: 'family ZWJ sequence', text: FAMILY, c: { cp: 7, bytes: 25, x: 2, threads: 25, mastodon: 1, graphemes: 1 } },
  { name: 'rainbow flag ZWJ sequence', text: PRIDE, c: { cp: 4, bytes: 14, x: 2, threads: 14, mastodon: 1, graphemes: 1 } },
  { name: 'thumbs up, medium skin tone', text: '👍🏽', c: { cp: 2, bytes: 8, x: 2, threads: 8, mastodon: 1, graphemes: 1 } },
  { name: 'flag of Indonesia (regional indicators)', text: '🇮🇩', c: { cp: 2, bytes: 8, x: 2, threads: 8, mastodon: 1, graphemes: 1 } },
  { name: 'Chinese 中文', text: '中文', c: { cp: 2, bytes: 6, x: 4, threads: 2, mastodon: 2, graphemes: 2 } },
  { name: 'Japanese 日本語', text: '日本語', c: { cp: 3, bytes: 9, x: 6, threads: 3, mastodon: 3, graphemes: 3 } },
  { name: 'e + combining acute (NFD)', text: 'e\u0301', c: { cp: 2, bytes: 3, x: 1, threads: 2, mastodon: 1, graphemes: 1 } },
  { name: 'Javanese script ꦗꦮ', text: 'ꦗꦮ', c: { cp: 2, bytes: 6, x: 4, threads: 2, mastodon: 2, graphemes: 2 } },
  { name: 'Javanese ka + vowel sign wulu', text: 'ꦏꦶ', c: { cp: 2, bytes: 6, x: 4, threads: 2, mastodon: 1, graphemes: 1 } },
  { name: 'Vietnamese stacked marks, decomposed', text: 'Vie\u0323\u0302t', c: { cp: 6, bytes: 8, x: 5, threads: 6, mastodon: 4, graphemes: 4 } },
  { name: 'Vietnamese precomposed ệ', text: 'Vi\u1EC7t', c: { cp: 4, bytes: 6, x: 5, threads: 4, mastodon: 4, graphemes: 4 } },
  { name: 'URL with scheme', text: SCHEME_URL, c: { cp: 80, bytes: 80, x: 23, threads: 80, mastodon: 23, graphemes: 80 } },
  { name: 'URL without scheme', text: BARE_URL, c: { cp: 72, bytes: 72, x: 23, threads: 72, mastodon: 72, graphemes: 72 } },
  { name: 'www. URL without scheme', text: WWW_URL, c: { cp: 56, bytes: 56, x: 23, threads: 56, mastodon: 56, graphemes: 56 } },
  // The sentence's full stop is not part of the link on X or Mastodon, so it is counted.
  { name: 'URL ending a sentence', text: 'Selengkapnya: https://kaltimprov.go.id/berita/123.', c: { cp: 50, bytes: 50, x: 38, threads: 50, mastodon: 38, graphemes: 50 } },
  {
    name: 'URL inside parentheses', text: '(lihat https://kaltimprov.go.id/berita/123)',
    c: { cp: 43, bytes: 43, x: 31, threads: 43, mastodon: 31, graphemes: 43 },
    rules: { linkedin: ['text.will_be_escaped'] },
  },
  { name: 'long Indonesian word', text: LONG_WORD, c: { cp: 25, bytes: 25, x: 25, threads: 25, mastodon: 25, graphemes: 25 } },
  { name: 'Indonesian sentence with emoji', text: 'Banjir surut 👍🏽 di Samarinda 🇮🇩', c: { cp: 31, bytes: 43, x: 31, threads: 43, mastodon: 29, graphemes: 29 } },
  // A lone surrogate goes out as U+FFFD (3 bytes; weight 2 on X) and is only warned about.
  { name: 'lone high surrogate', text: 'Halo \uD800 dunia', c: { cp: 12, bytes: 14, x: 13, threads: 12, mastodon: 12, graphemes: 12 }, allRules: ['text.invalid_unicode'] },
];

for (const s of SAMPLES) {
  for (const network of NETWORKS) {
    rows.push({
      name: s.name, network, text: s.text, ok: true,
      rules: s.allRules ?? s.rules?.[network] ?? [],
      used: expectedUsed(network, s.c),
      ...(network === 'bluesky' ? { bytes: s.c.bytes } : {}),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Exactly at the limit and one over, built from the limits data: once with plain letters and
//    once with a filler that is hard for that network's unit.

/** `units` of the network's unit: as many fillers (each costing `cost`) as fit, the rest 'a'. */
const fill = (filler: string, cost: number, units: number): string => filler.repeat(Math.floor(units / cost)) + 'a'.repeat(units % cost);

const HARD_FILLER: Record<Network, { name: string; filler: string; cost: number }> = {
  facebook: { name: '👍🏽 (2 code points)', filler: '👍🏽', cost: 2 },
  instagram: { name: 'e + U+0301 (2 code points)', filler: 'e\u0301', cost: 2 },
  threads: { name: 'family emoji (25 bytes)', filler: FAMILY, cost: 25 },
  x: { name: '中 (weight 2)', filler: '中', cost: 2 },
  tiktok: { name: '🇮🇩 (2 code points)', filler: '🇮🇩', cost: 2 },
  youtube: { name: 'ệ (3 bytes)', filler: '\u1EC7', cost: 3 },
  linkedin: { name: '日 (1 code point)', filler: '日', cost: 1 },
  telegram: { name: 'rainbow flag (4 code points)', filler: PRIDE, cost: 4 },
  mastodon: { name: 'family emoji (1 grapheme)', filler: FAMILY, cost: 1 },
  bluesky: { name: 'Javanese ꦏꦶ (1 grapheme, 6 bytes)', filler: 'ꦏꦶ', cost: 1 },
  webhook: { name: '👍🏽 (2 code points)', filler: '👍🏽', cost: 2 },
};

for (const network of NETWORKS) {
  const max = L(network).maxText;
  const warnAt = L(network).warnTextAbove;
  const atLimitRules = warnAt !== undefined && max > warnAt ? ['text.may_be_truncated'] : [];
  const hard = HARD_FILLER[network];
  for (const [how, text] of [['letters', 'a'.repeat(max)], [hard.name, fill(hard.filler, hard.cost, max)]] as const) {
    rows.push({ name: `exactly ${max} with ${how}`, network, text, ok: true, rules: atLimitRules, used: max, limit: max });
    rows.push({
      name: `${max + 1} (one over) with ${how}`, network, text: `${text}a`, ok: false,
      rules: ['text.too_long'], used: max + 1, limit: max, measured: { 'text.too_long': max + 1 },
    });
  }
}

// X: every URL weighs 23, with or without a scheme. Mastodon: only scheme URLs do.
for (const [kind, url] of [['scheme', SCHEME_URL], ['bare', BARE_URL], ['www', WWW_URL]] as const) {
  const max = L('x').maxText;
  const urlWeight = L('x').charsPerUrl ?? 23;
  const pad = max - urlWeight - 1;
  rows.push({ name: `${max} with a ${kind} URL counted ${urlWeight}`, network: 'x', text: `${'a'.repeat(pad)} ${url}`, ok: true, rules: [], used: max });
  rows.push({
    name: `${max + 1} with a ${kind} URL counted ${urlWeight}`, network: 'x', text: `${'a'.repeat(pad + 1)} ${url}`, ok: false,
    rules: ['text.too_long'], used: max + 1, measured: { 'text.too_long': max + 1 },
  });
}
{
  const max = L('mastodon').maxText;
  const perUrl = L('mastodon').charsPerUrl ?? 23;
  const pad = max - perUrl - 1;
  rows.push({ name: `${max} with a scheme URL counted ${perUrl}`, network: 'mastodon', text: `${'a'.repeat(pad)} ${SCHEME_URL}`, ok: true, rules: [], used: max });
  rows.push({
    name: `${max + 1} with a scheme URL`, network: 'mastodon', text: `${'a'.repeat(pad + 1)} ${SCHEME_URL}`, ok: false,
    rules: ['text.too_long'], used: max + 1,
  });
  for (const [kind, url] of [['bare', BARE_URL], ['www', WWW_URL]] as const) {
    const used = pad + 1 + [...url].length;
    rows.push({
      name: `a ${kind} URL is not linked, so counts in full`, network: 'mastodon', text: `${'a'.repeat(pad)} ${url}`, ok: false,
      rules: ['text.too_long'], used, measured: { 'text.too_long': used },
    });
  }
  // An instance with a larger limit.
  rows.push({ name: 'instance override of 1,000 with family emoji', network: 'mastodon', text: FAMILY.repeat(1_000), overrides: { maxText: 1_000 }, ok: true, rules: [], used: 1_000, limit: 1_000 });
}

// ---------------------------------------------------------------------------------------------
// 3. Telegram: with media the text is a caption (1,024); without, a message (4,096).
{
  const cap = L('telegram').maxTextWithMedia ?? 0;
  const msg = L('telegram').maxText;
  rows.push(
    { name: `caption of exactly ${cap} with a photo`, network: 'telegram', text: 'a'.repeat(cap), media: [jpeg], ok: true, rules: [], used: cap, limit: cap },
    { name: `caption of ${cap + 1} with a photo`, network: 'telegram', text: 'a'.repeat(cap + 1), media: [jpeg], ok: false, rules: ['caption.too_long'], used: cap + 1, limit: cap, measured: { 'caption.too_long': cap + 1 } },
    { name: `caption of ${cap} rainbow-flag code points with a video`, network: 'telegram', text: fill(PRIDE, 4, cap), media: [{ ...mp4 }], ok: true, rules: [], used: cap, limit: cap },
    { name: `caption of ${cap + 1} code points with a video`, network: 'telegram', text: `${fill(PRIDE, 4, cap)}a`, media: [{ ...mp4 }], ok: false, rules: ['caption.too_long'], used: cap + 1, limit: cap },
    { name: `${cap + 1} without media is a message, not a caption`, network: 'telegram', text: 'a'.repeat(cap + 1), media: [], ok: true, rules: [], used: cap + 1, limit: msg },
    { name: `message of exactly ${msg} without media`, network: 'telegram', text: 'a'.repeat(msg), media: [], ok: true, rules: [], used: msg, limit: msg },
    { name: `message of ${msg + 1} without media`, network: 'telegram', text: 'a'.repeat(msg + 1), media: [], ok: false, rules: ['text.too_long'], used: msg + 1, limit: msg },
    { name: `${msg} with media is still held to the caption limit`, network: 'telegram', text: 'a'.repeat(msg), media: [jpeg], ok: false, rules: ['caption.too_long'], used: msg, limit: cap, measured: { 'caption.too_long': msg } },
  );
}

// 4. Bluesky: 300 graphemes AND 3,000 bytes, checked separately.
{
  const g = L('bluesky').maxText;
  const b = L('bluesky').maxBytes ?? 0;
  const families = Math.floor(b / 25);
  const rest = b % 25; // padded with 'a' so the text is exactly b bytes
  rows.push(
    { name: `${g} graphemes of Javanese (${g * 6} bytes)`, network: 'bluesky', text: 'ꦏꦶ'.repeat(g), ok: true, rules: [], used: g, bytes: g * 6 },
    { name: `exactly ${b} bytes of family emoji`, network: 'bluesky', text: fill(FAMILY, 25, b), ok: true, rules: [], used: families + rest, bytes: b },
    { name: `${b + 1} bytes, few graphemes`, network: 'bluesky', text: `${fill(FAMILY, 25, b)}a`, ok: false, rules: ['text.too_many_bytes'], used: families + rest + 1, bytes: b + 1, measured: { 'text.too_many_bytes': b + 1 } },
    { name: `${g + 1} family emoji: both limits`, network: 'bluesky', text: FAMILY.repeat(g + 1), ok: false, rules: ['text.too_long', 'text.too_many_bytes'], used: g + 1, bytes: (g + 1) * 25, measured: { 'text.too_long': g + 1, 'text.too_many_bytes': (g + 1) * 25 } },
  );
}

// 5. Threads: emoji count as their UTF-8 bytes.
{
  const max = L('threads').maxText;
  for (const [emoji, bytes] of [['😀', 4], ['👍🏽', 8], ['❤️', 6], ['🇮🇩', 8], [FAMILY, 25]] as const) {
    rows.push({ name: `${max - bytes} letters + ${emoji} (${bytes} bytes) = ${max}`, network: 'threads', text: `${'a'.repeat(max - bytes)}${emoji}`, ok: true, rules: [], used: max });
    rows.push({ name: `${max - bytes + 1} letters + ${emoji} = ${max + 1}`, network: 'threads', text: `${'a'.repeat(max - bytes + 1)}${emoji}`, ok: false, rules: ['text.too_long'], used: max + 1 });
  }
  const links = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? `https://kaltimprov.go.id/b/${i}` : `diskominfo${i}.kaltimprov.go.id`)).join(' ');
  const maxLinks = L('threads').maxLinks ?? 0;
  rows.push(
    { name: `${maxLinks} links, with and without scheme`, network: 'threads', text: links(maxLinks), ok: true, rules: [] },
    { name: `${maxLinks + 1} links, with and without scheme`, network: 'threads', text: links(maxLinks + 1), ok: false, rules: ['text.too_many_links'], measured: { 'text.too_many_links': maxLinks + 1 } },
  );
}

// 6. Instagram: hashtags and @mentions.
{
  const tags = (n: number) => `Peresmian Jembatan Mahakam IV 🇮🇩 ${Array.from({ length: n }, (_, i) => `#Samarinda${i}`).join(' ')}`;
  const mentions = (n: number) => `Terima kasih ${Array.from({ length: n }, (_, i) => `@humas.kaltim_${i}`).join(' ')}`;
  const maxTags = L('instagram').maxHashtags ?? 0;
  const maxMentions = L('instagram').maxMentions ?? 0;
  rows.push(
    { name: `${maxTags} hashtags`, network: 'instagram', text: tags(maxTags), ok: true, rules: [] },
    { name: `${maxTags + 1} hashtags`, network: 'instagram', text: tags(maxTags + 1), ok: false, rules: ['text.too_many_hashtags'], measured: { 'text.too_many_hashtags': maxTags + 1 } },
    { name: `${maxMentions} mentions`, network: 'instagram', text: mentions(maxMentions), ok: true, rules: [] },
    { name: `${maxMentions + 1} mentions`, network: 'instagram', text: mentions(maxMentions + 1), ok: false, rules: ['text.too_many_mentions'], measured: { 'text.too_many_mentions': maxMentions + 1 } },
    { name: 'an email address is not a mention', network: 'instagram', text: `${mentions(maxMentions)} humas@kaltimprov.go.id`, ok: true, rules: [] },
  );
}

// 7. A 300-character word (no break opportunity) on every network.
{
  const word = LONG_WORD.repeat(12);
  assert.equal(word.length, 300);
  for (const network of NETWORKS) {
    const max = L(network).maxText;
    rows.push({ name: 'one 300-character word', network, text: word, ok: 300 <= max, rules: 300 <= max ? [] : ['text.too_long'], used: 300 });
  }
}

// 8. Lone and broken surrogates: a warning with the count, never an exception.
for (const [name, text, count] of [
  ['lone low surrogate', 'Rapat \uDC00 koordinasi', 1],
  ['surrogates in the wrong order', 'Rapat \uDC00\uD83D koordinasi', 2],
  ['emoji cut in half at the end', `Terima kasih ${'😀'.slice(0, 1)}`, 1],
  ['many lone surrogates', '\uD800'.repeat(50), 50],
] as const) {
  for (const network of NETWORKS) {
    rows.push({ name, network, text, ok: true, rules: ['text.invalid_unicode'], measured: { 'text.invalid_unicode': count } });
  }
}

// ---------------------------------------------------------------------------------------------

function check(row: Row): void {
  const base = BASE[row.network];
  const r: ValidationResult = validatePost(row.network, { text: row.text, media: row.media ?? base.media, title: base.title }, row.overrides);
  assert.deepEqual(r.issues.map((i) => i.rule), row.rules);
  assert.equal(r.ok, row.ok);
  if (row.used !== undefined) assert.equal(r.counters[0]?.used, row.used, 'measured text length');
  if (row.limit !== undefined) assert.equal(r.counters[0]?.limit, row.limit, 'limit the text was held to');
  if (row.bytes !== undefined) assert.deepEqual(r.counters[1], { used: row.bytes, limit: L('bluesky').maxBytes, unit: 'bytes' });
  for (const [rule, value] of Object.entries(row.measured ?? {})) {
    assert.equal(r.issues.find((i) => i.rule === rule)?.measured, value, `${rule} measured`);
  }
  for (const c of r.counters) assert.ok(Number.isInteger(c.used) && c.used >= 0);
  for (const i of r.issues) assert.ok(i.message.id.length > 0 && i.message.en.length > 0);
}

for (const row of rows) {
  test(`${row.network}: ${row.name}`, () => check(row));
}

test('the hard cases cover all ten networks and outgoing webhooks', () => {
  assert.deepEqual(new Set(rows.map((r) => r.network)), new Set(NETWORKS));
  assert.equal(NETWORKS.length, 11);
});

// The rows above follow limits.ts; these literal figures (from PLATFORMS.md) make a wrong data edit fail.
test('limits data still matches the documented figures', () => {
  const documented: Record<Network, Partial<NetworkLimits>> = {
    facebook: { unit: 'chars', maxText: 63_206 },
    instagram: { unit: 'chars', maxText: 2_200, maxHashtags: 30, maxMentions: 20, maxMedia: 10 },
    threads: { unit: 'chars', maxText: 500, maxLinks: 5 },
    x: { unit: 'weighted', maxText: 280, charsPerUrl: 23, maxImages: 4 },
    tiktok: { unit: 'chars', maxText: 2_200, warnTextAbove: 2_000, maxImages: 35 },
    youtube: { unit: 'bytes', maxText: 5_000, maxTitle: 100, forbiddenChars: '<>' },
    linkedin: { unit: 'chars', maxText: 3_000 },
    telegram: { unit: 'chars', maxText: 4_096, maxTextWithMedia: 1_024, maxMedia: 10 },
    mastodon: { unit: 'chars', maxText: 500, charsPerUrl: 23, maxMedia: 4 },
    bluesky: { unit: 'graphemes', maxText: 300, maxBytes: 3_000, maxImages: 4 },
    webhook: { unit: 'chars', maxText: 100_000 },
  };
  assert.deepEqual(Object.keys(documented).sort(), [...NETWORKS].sort());
  for (const network of NETWORKS) {
    for (const [key, value] of Object.entries(documented[network])) {
      assert.equal(DEFAULT_LIMITS[network][key as keyof NetworkLimits], value, `${network}.${key}`);
    }
  }
});
