// Owns: every rule about the post's words — length (in each network's unit),
// byte limits, links/hashtags/mentions, title, forbidden and escaped characters,
// and hostile input (control characters, lone surrogates). Driven by limits data.
import type { Network, NetworkLimits } from '../limits.ts';
import { codePoints, countHashtags, countLinks, countMentions, measure, utf8Bytes } from '../measure.ts';
import { fmtEn, fmtId, makeIssue, UNIT_WORDS } from '../messages.ts';
import type { Counter, Issue, Post } from '../types.ts';

/** Extra note on how the count works, so staff understand an unexpected number. */
function countingHint(network: Network, limits: NetworkLimits): { id: string; en: string } {
  if (network === 'x' || network === 'mastodon') {
    const n = network === 'x' ? 23 : (limits.charsPerUrl ?? 23);
    return { id: ` (tautan dihitung ${n})`, en: ` (links count as ${n})` };
  }
  if (network === 'threads') return { id: ' (emoji dihitung sesuai ukuran byte-nya)', en: ' (emoji count as their UTF-8 bytes)' };
  if (network === 'youtube') return { id: ' (huruf khusus dan emoji memakai lebih dari 1 byte)', en: ' (accented letters and emoji take more than 1 byte)' };
  return { id: '', en: '' };
}

// C0/C1 control characters other than tab, newline and carriage return.
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function charsIn(text: string, set: string): string[] {
  const found = new Set<string>();
  for (const ch of text) if (set.includes(ch)) found.add(ch);
  return [...found];
}

export function checkText(network: Network, post: Post, limits: NetworkLimits): { issues: Issue[]; counters: Counter[] } {
  const issues: Issue[] = [];
  const counters: Counter[] = [];
  const text = post.text;
  const unit = UNIT_WORDS[limits.unit];
  const hint = countingHint(network, limits);

  if (text.trim() === '' && post.media.length === 0) {
    issues.push(makeIssue('error', network, 'post.empty', 0, 1, (n) => ({
      id: `Postingan untuk ${n} kosong: isi teks atau lampirkan media.`,
      en: `The ${n} post is empty: add text or attach media.`,
    })));
  }

  // Telegram: with media the text becomes a caption with a smaller limit.
  const withMedia = post.media.length > 0 && limits.maxTextWithMedia !== undefined;
  const max = withMedia ? (limits.maxTextWithMedia ?? limits.maxText) : limits.maxText;
  const used = measure(network, text, limits);
  counters.push({ used, limit: max, unit: limits.unit });
  if (used > max) {
    const what = withMedia ? { id: 'Keterangan (caption) media', en: 'Media caption' } : { id: 'Teks', en: 'Text' };
    issues.push(makeIssue('error', network, withMedia ? 'caption.too_long' : 'text.too_long', used, max, (n) => ({
      id: `${what.id} untuk ${n} terlalu panjang: ${fmtId(used)} dari ${fmtId(max)} ${unit.id}${hint.id}.`,
      en: `${what.en} for ${n} is too long: ${fmtEn(used)} of ${fmtEn(max)} ${unit.en}${hint.en}.`,
    })));
  } else if (limits.warnTextAbove !== undefined && used > limits.warnTextAbove) {
    const warnAt = limits.warnTextAbove;
    issues.push(makeIssue('warning', network, 'text.may_be_truncated', used, warnAt, (n) => ({
      id: `Teks untuk ${n} ${fmtId(used)} ${unit.id}; sebagian aplikasi memotong setelah ${fmtId(warnAt)} ${unit.id}.`,
      en: `Text for ${n} is ${fmtEn(used)} ${unit.en}; some apps cut it after ${fmtEn(warnAt)}.`,
    })));
  }

  if (network === 'bluesky' || limits.maxBytes !== undefined) {
    const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
    // RichText's length is the same UTF-8 byte count; building one (and detecting facets) is not needed here.
    const bytes = utf8Bytes(text);
    if (Number.isFinite(maxBytes)) counters.push({ used: bytes, limit: maxBytes, unit: 'bytes' });
    if (bytes > maxBytes) {
      issues.push(makeIssue('error', network, 'text.too_many_bytes', bytes, maxBytes, (n) => ({
        id: `Teks untuk ${n} terlalu besar: ${fmtId(bytes)} dari ${fmtId(maxBytes)} byte (huruf khusus dan emoji memakai beberapa byte).`,
        en: `Text for ${n} is too large: ${fmtEn(bytes)} of ${fmtEn(maxBytes)} bytes (accented letters and emoji take several bytes).`,
      })));
    }
  }

  const counted: [number | undefined, string, (t: string) => number, { id: string; en: string }][] = [
    [limits.maxLinks, 'text.too_many_links', countLinks, { id: 'tautan', en: 'links' }],
    [limits.maxHashtags, 'text.too_many_hashtags', countHashtags, { id: 'tagar', en: 'hashtags' }],
    [limits.maxMentions, 'text.too_many_mentions', countMentions, { id: 'sebutan (@akun)', en: '@mentions' }],
  ];
  for (const [limit, rule, count, word] of counted) {
    if (limit === undefined) continue;
    const found = count(text);
    if (found > limit) {
      issues.push(makeIssue('error', network, rule, found, limit, (n) => ({
        id: `Terlalu banyak ${word.id} untuk ${n}: ${fmtId(found)}, maksimal ${fmtId(limit)}.`,
        en: `Too many ${word.en} for ${n}: ${fmtEn(found)}, at most ${fmtEn(limit)}.`,
      })));
    }
  }

  if (limits.forbiddenChars) {
    const bad = charsIn(text, limits.forbiddenChars);
    if (bad.length > 0) {
      const list = bad.join(' ');
      issues.push(makeIssue('error', network, 'text.forbidden_chars', list, limits.forbiddenChars, (n) => ({
        id: `Teks untuk ${n} tidak boleh memuat tanda ${list}. Hapus atau ganti tanda tersebut.`,
        en: `Text for ${n} must not contain ${list}. Remove or replace them.`,
      })));
    }
  }

  if (limits.escapedChars) {
    const esc = charsIn(text, limits.escapedChars);
    if (esc.length > 0) {
      const list = esc.join(' ');
      issues.push(makeIssue('warning', network, 'text.will_be_escaped', list, limits.escapedChars, (n) => ({
        id: `Tanda ${list} akan otomatis di-escape untuk ${n} agar tampil apa adanya.`,
        en: `The characters ${list} will be escaped automatically for ${n} so they show as typed.`,
      })));
    }
  }

  const controls = text.match(CONTROL_RE)?.length ?? 0;
  if (controls > 0) {
    issues.push(makeIssue('warning', network, 'text.control_chars', controls, 0, (n) => ({
      id: `Teks untuk ${n} memuat ${fmtId(controls)} karakter kontrol tak terlihat; sebaiknya dihapus.`,
      en: `Text for ${n} contains ${fmtEn(controls)} invisible control characters; better remove them.`,
    })));
  }
  const lone = text.match(LONE_SURROGATE_RE)?.length ?? 0;
  if (lone > 0) {
    issues.push(makeIssue('warning', network, 'text.invalid_unicode', lone, 0, (n) => ({
      id: `Teks untuk ${n} memuat ${fmtId(lone)} karakter rusak yang akan tampil sebagai �.`,
      en: `Text for ${n} contains ${fmtEn(lone)} broken characters that will show as �.`,
    })));
  }

  if (limits.requireTitle || limits.maxTitle !== undefined) checkTitle(network, post, limits, issues, counters);
  return { issues, counters };
}

function checkTitle(network: Network, post: Post, limits: NetworkLimits, issues: Issue[], counters: Counter[]): void {
  const title = post.title ?? '';
  const used = codePoints(title);
  if (limits.maxTitle !== undefined) counters.push({ used, limit: limits.maxTitle, unit: 'chars' });
  if (limits.requireTitle && title.trim() === '') {
    issues.push(makeIssue('error', network, 'title.required', 0, 1, (n) => ({
      id: `Judul wajib diisi untuk ${n}.`,
      en: `A title is required for ${n}.`,
    })));
  }
  const max = limits.maxTitle;
  if (max !== undefined && used > max) {
    issues.push(makeIssue('error', network, 'title.too_long', used, max, (n) => ({
      id: `Judul untuk ${n} terlalu panjang: ${fmtId(used)} dari ${fmtId(max)} karakter.`,
      en: `Title for ${n} is too long: ${fmtEn(used)} of ${fmtEn(max)} characters.`,
    })));
  }
  if (limits.forbiddenChars) {
    const bad = charsIn(title, limits.forbiddenChars);
    if (bad.length > 0) {
      const list = bad.join(' ');
      issues.push(makeIssue('error', network, 'title.forbidden_chars', list, limits.forbiddenChars, (n) => ({
        id: `Judul untuk ${n} tidak boleh memuat tanda ${list}.`,
        en: `Title for ${n} must not contain ${list}.`,
      })));
    }
  }
}
