// Owns: turning the one master post into a variant per network — which parts of
// the post go in, in what order, shortened or split into a thread so that the
// result passes that network's text rules (measured exactly as networks/ does).
// The variant text stays human-readable: LinkedIn escaping and the like happen at publish time.
import { limitsFor, NETWORKS } from '../networks/limits.ts';
import type { LimitOverrides, Network, NetworkLimits } from '../networks/limits.ts';
import { blueskyMeasure, codePoints, countHashtags, countLinks, countMentions, measure, utf8Bytes } from '../networks/measure.ts';
import type { MediaItem } from '../networks/types.ts';
import { HASHTAG_HABITS, hashtagsFor } from './hashtags.ts';
import { cleanPlainText } from './rich-text.ts';
import { sentences, shortenToFit } from './shorten.ts';
import { MAX_THREAD_PARTS, splitThread } from './thread.ts';
import { tagLinks, withUtm } from './utm.ts';

export type MasterPost = {
  title: string;
  /** Plain-text body (htmlToPlainText of the stored HTML). */
  bodyText: string;
  summary: string;
  portalUrl?: string | null | undefined;
  tags: string[];
  rubricSlug?: string | null | undefined;
  media: MediaItem[];
};

export type AdaptOptions = {
  /** Default: true where the network has threads (x, bluesky, threads, mastodon). */
  thread?: boolean | undefined;
  /** The channel's limit overrides (e.g. a Mastodon instance with 1,000 characters). */
  overrides?: LimitOverrides | undefined;
  campaign?: string | undefined;
  /** UTM-tag links to the portal. Default true. */
  utm?: boolean | undefined;
  /**
   * The platform's own short link to the post's article for this network, used when the master has
   * no portal link of its own. Placed as given: the redirect behind it adds the UTM tags and counts
   * the click, so the text stays short.
   */
  shortLink?: string | undefined;
};

/** What adapt did, for the editor to see. `code` is stable; `id`/`en` are for people. */
export type AdaptNote = { code: string; id: string; en: string };

export type AdaptedVariant = {
  network: Network;
  /** The post text (for a thread: the first part, equal to parts[0]). */
  text: string;
  /** The whole thread when the text was split, else null. */
  parts: string[] | null;
  /** YouTube video title; null elsewhere. */
  title: string | null;
  /** Hashtags actually placed in the text. */
  hashtags: string[];
  /** Reserved for a network habit of posting something as the first comment; none uses it yet. */
  firstComment: string | null;
  notes: AdaptNote[];
};

export const THREAD_NETWORKS: readonly Network[] = ['x', 'bluesky', 'threads', 'mastodon'];
const SHORT_NETWORKS = new Set<Network>(THREAD_NETWORKS);
/** TikTok captions are read over a playing video: keep the words before the hashtags short. */
const TIKTOK_CAPTION_CHARS = 300;

const NOTE = {
  utm: (n: string) => ({ code: 'link.utm', id: `Tautan portal diberi penanda UTM (utm_source=${n}).`, en: `Portal link tagged with UTM (utm_source=${n}).` }),
  shortLink: () => ({ code: 'link.short', id: 'Tautan pendek ke artikel di portal: klik dari jaringan ini dihitung.', en: 'Short link to the article on the portal: clicks from this network are counted.' }),
  noPortal: () => ({ code: 'link.none', id: 'Tidak ada tautan portal untuk ditambahkan.', en: 'No portal link to add.' }),
  linkInBio: () => ({ code: 'link.in_bio', id: 'Tautan tidak bisa diklik di keterangan Instagram: ditambahkan baris "Selengkapnya: tautan di bio".', en: 'Links are not clickable in Instagram captions: added "Selengkapnya: tautan di bio".' }),
  noLinkTikTok: () => ({ code: 'link.not_clickable', id: 'Tautan tidak bisa diklik di keterangan TikTok, jadi tidak dicantumkan.', en: 'Links are not clickable in TikTok captions, so none was added.' }),
  linkDropped: () => ({ code: 'link.dropped', id: 'Tautan portal tidak muat dan dihilangkan.', en: 'The portal link did not fit and was left out.' }),
  fullBody: () => ({ code: 'text.full_body', id: 'Isi berita dimuat lengkap.', en: 'The full body fits.' }),
  summary: () => ({ code: 'text.summary', id: 'Memakai ringkasan karena isi lengkap terlalu panjang.', en: 'Used the summary because the full body is too long.' }),
  sentence: () => ({ code: 'text.shortened_sentence', id: 'Teks dipendekkan di akhir kalimat.', en: 'Shortened at a sentence boundary.' }),
  word: () => ({ code: 'text.shortened_word', id: 'Kalimat pertama pun terlalu panjang: teks dipotong di batas kata dan diberi "…".', en: 'Even the first sentence was too long: cut at a word boundary with "…".' }),
  bodyDropped: () => ({ code: 'text.body_dropped', id: 'Isi tidak muat: hanya judul dan tautan yang dipakai.', en: 'No room for the body: only the title and link are used.' }),
  titleShort: () => ({ code: 'title.shortened', id: 'Judul dipendekkan agar muat.', en: 'The title was shortened to fit.' }),
  thread: (k: number) => ({ code: 'thread.split', id: `Dipecah menjadi utas ${k} bagian; tautan ada di bagian pertama.`, en: `Split into a ${k}-part thread; the link is in the first part.` }),
  threadMax: (k: number) => ({ code: 'thread.max', id: `Utas dibatasi ${k} bagian; sisa teks dipendekkan.`, en: `Thread capped at ${k} parts; the rest was shortened.` }),
  tagsTrimmed: (k: number, of: number) => ({ code: 'hashtags.trimmed', id: `Memakai ${k} dari ${of} tagar (kebiasaan di jaringan ini).`, en: `Used ${k} of ${of} hashtags (this network's habit).` }),
  tagsDropped: () => ({ code: 'hashtags.dropped', id: 'Tagar dihilangkan agar teks muat.', en: 'Hashtags were left out so the text fits.' }),
  caption: (max: number) => ({ code: 'text.caption_limit', id: `Ada media: batas keterangan ${max.toLocaleString('id-ID')} karakter dipakai.`, en: `With media the caption limit of ${max.toLocaleString('en-US')} characters applies.` }),
  forbidden: (chars: string) => ({ code: 'text.forbidden_replaced', id: `Tanda ${chars} diganti karena ditolak jaringan ini.`, en: `The characters ${chars} were replaced because this network rejects them.` }),
} satisfies Record<string, (...args: never[]) => AdaptNote>;

// Lookalikes for characters a network rejects (YouTube: < >); anything else rejected is removed.
const LOOKALIKES: Record<string, string> = { '<': '‹', '>': '›' };

function stripForbidden(text: string, forbidden: string | undefined): string {
  if (!forbidden) return text;
  let out = '';
  for (const ch of text) out += forbidden.includes(ch) ? (LOOKALIKES[ch] ?? '') : ch;
  return out;
}

/** Mirrors the text rules of networks/rules/text.ts: length, bytes, links, hashtags, mentions. */
function makeFits(network: Network, limits: NetworkLimits, hasMedia: boolean): (s: string) => boolean {
  const max = hasMedia && limits.maxTextWithMedia !== undefined ? limits.maxTextWithMedia : limits.maxText;
  return (s) => {
    if (measure(network, s, limits) > max) return false;
    if (network === 'bluesky' || limits.maxBytes !== undefined) {
      const bytes = network === 'bluesky' ? blueskyMeasure(s).bytes : utf8Bytes(s);
      if (bytes > (limits.maxBytes ?? Number.POSITIVE_INFINITY)) return false;
    }
    if (limits.maxLinks !== undefined && countLinks(s) > limits.maxLinks) return false;
    if (limits.maxHashtags !== undefined && countHashtags(s) > limits.maxHashtags) return false;
    if (limits.maxMentions !== undefined && countMentions(s) > limits.maxMentions) return false;
    return true;
  };
}

function assemble(sections: readonly (string | null | undefined)[]): string {
  return sections.map((s) => (s ?? '').trim()).filter((s) => s !== '').join('\n\n');
}

type Draft = {
  head: string;
  /** The preferred main text (the body, or the lead for short networks). */
  main: string;
  /** A shorter alternative tried before shortening (the summary). */
  alt: string;
  /** Sections after the main text (link line); hashtags are added by `tagsSection`. */
  link: string;
  tags: string[];
  placement: 'block' | 'line';
};

function tailSections(d: Draft, tags: string[]): string[] {
  const line = tags.join(' ');
  if (d.placement === 'line' && d.link !== '' && line !== '') return [`${d.link}\n${line}`];
  return [d.link, line];
}

type Fitted = { text: string; tags: string[]; notes: AdaptNote[] };

/**
 * Degrades a draft step by step until it fits: full main text; the summary;
 * the main text (or summary) shortened; the same without hashtags; title and
 * link only; a shortened title with the link; the link alone; whatever fits.
 */
function fitDraft(d: Draft, fits: (s: string) => boolean): Fitted {
  const compose = (main: string, tags: string[], head = d.head, link = d.link): string =>
    assemble([head, main, ...tailSections({ ...d, link }, tags)]);

  const full = compose(d.main, d.tags);
  if (d.main !== '' && fits(full)) return { text: full, tags: d.tags, notes: [] };
  if (d.alt !== '' && d.alt !== d.main && fits(compose(d.alt, d.tags))) {
    return { text: compose(d.alt, d.tags), tags: d.tags, notes: [NOTE.summary()] };
  }
  const source = d.alt !== '' ? d.alt : d.main;
  const usedSummary = d.alt !== '' && d.alt !== d.main ? [NOTE.summary()] : [];
  // A whole sentence without hashtags beats a cut sentence with them.
  let wordCut: Fitted | null = null;
  for (const tags of d.tags.length > 0 ? [d.tags, []] : [[]]) {
    if (source === '') break;
    const cut = shortenToFit(source, (c) => fits(compose(c, tags)));
    if (cut === '') continue;
    const byWord = cut.length < source.length && cut.endsWith('…');
    const how = cut.length < source.length ? [byWord ? NOTE.word() : NOTE.sentence()] : [];
    const dropped = tags.length < d.tags.length ? [NOTE.tagsDropped()] : [];
    const fitted = { text: compose(cut, tags), tags, notes: [...usedSummary, ...how, ...dropped] };
    if (!byWord) return fitted;
    wordCut ??= fitted;
  }
  if (wordCut) return wordCut;
  const dropNotes = (tags: string[]): AdaptNote[] =>
    [...(source !== '' ? [NOTE.bodyDropped()] : []), ...(tags.length < d.tags.length ? [NOTE.tagsDropped()] : [])];
  for (const tags of [d.tags, []]) {
    if (fits(compose('', tags))) return { text: compose('', tags), tags, notes: dropNotes(tags) };
  }
  if (d.head !== '') {
    const head = shortenToFit(d.head, (c) => fits(compose('', [], c)));
    if (head !== '') return { text: compose('', [], head), tags: [], notes: [...dropNotes([]), NOTE.titleShort()] };
  }
  if (d.link !== '' && fits(d.link)) return { text: d.link, tags: [], notes: dropNotes([]) };
  const last = shortenToFit(full, fits);
  return { text: last, tags: [], notes: [NOTE.word(), ...(d.link !== '' ? [NOTE.linkDropped()] : [])] };
}

/** The link a variant carries: the post's own portal link (UTM-tagged here), else the platform's short link (tagged at its redirect). */
function portalLink(master: MasterPost, network: Network, options: AdaptOptions): { url: string; host: string; tagged: boolean; short: boolean } | null {
  const raw = (master.portalUrl ?? '').trim();
  if (raw === '') {
    const short = (options.shortLink ?? '').trim();
    if (short === '' || !URL.canParse(short)) return null;
    return { url: short, host: new URL(short).hostname, tagged: false, short: true };
  }
  if (!URL.canParse(raw)) return null;
  const u = new URL(raw);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  // Visits through another system that took our webhook are referrals, not social traffic.
  const url = options.utm === false ? raw : withUtm(raw, { source: network, medium: network === 'webhook' ? 'referral' : 'social', campaign: options.campaign });
  return { url, host: u.hostname, tagged: options.utm !== false, short: false };
}

/** The master post adapted to one network; every text (and thread part) passes that network's text rules. */
export function adaptVariant(master: MasterPost, network: Network, options: AdaptOptions = {}): AdaptedVariant {
  const limits = limitsFor(network, options.overrides);
  const media = Array.isArray(master.media) ? master.media : [];
  const hasMedia = media.length > 0;
  const fits = makeFits(network, limits, hasMedia);
  const notes: AdaptNote[] = [];
  const forbiddenSeen = new Set<string>();
  const clean = (s: string | null | undefined): string => {
    const c = cleanPlainText(s ?? '');
    for (const ch of limits.forbiddenChars ?? '') if (c.includes(ch)) forbiddenSeen.add(ch);
    return stripForbidden(c, limits.forbiddenChars);
  };

  const portal = portalLink(master, network, options);
  const utmOn = portal?.tagged === true;
  let title = clean(master.title);
  let summary = clean(master.summary);
  let body = clean(master.bodyText);
  const clickable = network !== 'instagram' && network !== 'tiktok';
  if (utmOn && portal && clickable) {
    const params = { source: network, medium: 'social', campaign: options.campaign };
    body = tagLinks(body, portal.host, params);
    summary = tagLinks(summary, portal.host, params);
  }
  if (forbiddenSeen.size > 0) notes.push(NOTE.forbidden([...forbiddenSeen].join(' ')));
  if (hasMedia && limits.maxTextWithMedia !== undefined) notes.push(NOTE.caption(limits.maxTextWithMedia));

  const allTags = hashtagsFor(network, master.tags ?? []);
  const available = new Set((master.tags ?? []).map((t) => t.trim().toLowerCase()).filter((t) => t !== '')).size;
  if (available > allTags.length && allTags.length === HASHTAG_HABITS[network].max) {
    notes.push(NOTE.tagsTrimmed(allTags.length, available));
  }
  const placement = HASHTAG_HABITS[network].placement;
  if (!portal) notes.push(NOTE.noPortal());
  else if (clickable && utmOn) notes.push(NOTE.utm(network));
  else if (clickable && portal.short) notes.push(NOTE.shortLink());

  const variant = (text: string, tags: string[], extra: AdaptNote[], parts: string[] | null = null, ytTitle: string | null = null): AdaptedVariant => ({
    network, text, parts, title: ytTitle, hashtags: tags, firstComment: null, notes: [...notes, ...extra],
  });

  if (SHORT_NETWORKS.has(network)) {
    const link = portal?.url ?? '';
    const thread = options.thread ?? true;
    const bodyDraft: Draft = { head: title, main: body, alt: '', link, tags: allTags, placement };
    const single = assemble([title, body, ...tailSections(bodyDraft, allTags)]);
    if (body !== '' && fits(single)) return variant(single, allTags, [NOTE.fullBody()]);
    if (thread && body !== '') {
      const threaded = splitIntoThread(title, body, link, allTags, fits);
      if (threaded && threaded.parts.length > 1) return variant(threaded.parts[0] ?? '', threaded.tags, threaded.notes, threaded.parts);
    }
    // One post: title + summary (or the first sentences of the body) + link.
    const lead = summary !== '' ? summary : body;
    const fitted = fitDraft({ head: title, main: lead, alt: '', link, tags: allTags, placement }, fits);
    return variant(fitted.text, fitted.tags, fitted.notes);
  }

  if (network === 'instagram') {
    const bio = portal ? 'Selengkapnya: tautan di bio' : '';
    if (portal) notes.push(NOTE.linkInBio());
    const fitted = fitDraft({ head: title, main: body, alt: summary, link: bio, tags: allTags, placement }, fits);
    return variant(fitted.text, fitted.tags, fitted.notes);
  }

  if (network === 'tiktok') {
    if (portal) notes.push(NOTE.noLinkTikTok());
    const lead = summary !== '' ? summary : body;
    const short = shortenToFit(lead, (c) => codePoints(c) <= TIKTOK_CAPTION_CHARS);
    const extra = short.length < lead.length ? [short.endsWith('…') ? NOTE.word() : NOTE.sentence()] : [];
    const fitted = fitDraft({ head: title, main: short, alt: '', link: '', tags: allTags, placement }, fits);
    return variant(fitted.text, fitted.tags, [...extra, ...fitted.notes]);
  }

  const linkLine = portal ? `Selengkapnya: ${portal.url}` : '';
  if (network === 'youtube') {
    // The title is its own field (≤ maxTitle characters); the text is the description.
    const maxTitle = limits.maxTitle ?? 100;
    const wanted = title !== '' ? title : (sentences(summary || body)[0] ?? '');
    const ytTitle = shortenToFit(wanted, (c) => codePoints(c) <= maxTitle);
    const titleNotes = ytTitle !== wanted ? [NOTE.titleShort()] : [];
    const fitted = fitDraft({ head: '', main: body, alt: summary, link: linkLine, tags: allTags, placement }, fits);
    return variant(fitted.text, fitted.tags, [...titleNotes, ...fitted.notes], null, ytTitle);
  }

  // Facebook, LinkedIn, Telegram: title, the body (or summary), "Selengkapnya: link", hashtags.
  const fitted = fitDraft({ head: title, main: body, alt: summary, link: linkLine, tags: allTags, placement }, fits);
  const full = fitted.notes.length === 0 && body !== '' ? [NOTE.fullBody()] : [];
  return variant(fitted.text, fitted.tags, [...full, ...fitted.notes]);
}

/**
 * Thread for short networks: title and body split into numbered parts, with the
 * link and hashtags at the end of the first part — the post people see first,
 * and the one whose link card the network builds. Returns null when even the
 * link cannot share a part with the start of the text.
 */
function splitIntoThread(
  title: string,
  body: string,
  link: string,
  tags: string[],
  fits: (s: string) => boolean,
): { parts: string[]; tags: string[]; notes: AdaptNote[] } | null {
  const text = assemble([title, body]);
  const placement: Draft['placement'] = tags.length > 0 ? 'line' : 'block';
  for (const useTags of tags.length > 0 ? [tags, []] : [[]]) {
    const tail = tailSections({ head: '', main: '', alt: '', link, tags: useTags, placement }, useTags);
    const tailText = assemble(tail);
    const firstTail = tailText === '' ? '' : `\n\n${tailText}`;
    // The first part must hold the tail, a few words and the widest number " 1/25".
    const firstWord = text.split(/\s/u)[0] ?? '';
    if (!fits(`${firstWord}${firstTail} 1/${MAX_THREAD_PARTS}`) && !fits(`${firstTail.trim()} 1/${MAX_THREAD_PARTS}`)) continue;
    const parts = splitThread(text, fits, { numbering: true, firstTail });
    if (parts.length === 0) continue;
    const notes = [NOTE.thread(parts.length)];
    if (parts.length >= MAX_THREAD_PARTS) notes.push(NOTE.threadMax(MAX_THREAD_PARTS));
    if (useTags.length < tags.length) notes.push(NOTE.tagsDropped());
    return { parts, tags: useTags, notes };
  }
  return null;
}

/** adaptVariant for each network; `overridesByNetwork` carries each channel's limits. */
export function adaptAll(
  master: MasterPost,
  networks: readonly Network[] = NETWORKS,
  options: Omit<AdaptOptions, 'overrides'> & { overridesByNetwork?: Partial<Record<Network, LimitOverrides>> | undefined } = {},
): AdaptedVariant[] {
  const { overridesByNetwork, ...rest } = options;
  return networks.map((n) => adaptVariant(master, n, { ...rest, overrides: overridesByNetwork?.[n] }));
}
