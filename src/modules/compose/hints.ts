// Owns: advisory quality hints shown while writing a post. They never block
// publishing: 'advice' is a suggestion, 'second_look' asks a colleague to read
// again (e.g. a sensitive term). Messages are plain Indonesian first, then English.
import { sentences } from './shorten.ts';

export type HintInput = {
  title: string;
  bodyText: string;
  summary: string;
  portalUrl?: string | null | undefined;
  rubricSlug?: string | null | undefined;
  media: { alt?: string | null | undefined }[];
  /** Urgent information (e.g. a disaster warning): capitals are tolerated and the portal page may not exist yet. */
  urgent?: boolean | undefined;
  /** The platform's own portal gives the post its article and link, so a missing portal link is no gap. */
  portalProvided?: boolean | undefined;
};

export type SensitiveTerm = { term: string; category: string };

export type Hint = {
  rule: string;
  severity: 'advice' | 'second_look';
  message: { id: string; en: string };
  measured?: number | string;
  excerpt?: string;
};

/** Indonesian readers struggle past this many words in one sentence. */
export const LONG_SENTENCE_WORDS = 30;
/** All-caps words up to this many letters are treated as acronyms (OPD, DPRD, APBD, RSUD, BPBD). */
export const ACRONYM_MAX_LETTERS = 6;

const PURPOSE_WORDS = ['tujuan', 'bertujuan', 'tujuannya', 'agar', 'supaya', 'untuk', 'demi', 'guna', 'dimaksudkan', 'dalam rangka', 'sasaran', 'manfaat'];
const REASON_WORDS = ['alasan', 'karena', 'sebab', 'disebabkan', 'latar belakang', 'dilatarbelakangi', 'mengapa', 'dasar', 'berdasarkan', 'menimbang', 'mengingat', 'pertimbangan'];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Case-insensitive, whole-word (any script), spaces inside the term match any whitespace. */
function wordRegExp(term: string): RegExp {
  const pattern = term.trim().split(/\s+/u).map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{M}\\p{N}_])${pattern}(?![\\p{L}\\p{M}\\p{N}_])`, 'giu');
}

function excerptAround(text: string, index: number, length: number, radius = 40): string {
  const start = Math.max(0, index - radius);
  const end = Math.min(text.length, index + length + radius);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/gu, ' ').trim()}${end < text.length ? '…' : ''}`;
}

function clip(text: string, max = 160): string {
  const t = text.replace(/\s+/gu, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

function wordCount(sentence: string): number {
  return sentence.split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/**
 * True when a title or sentence is mostly capitals. All-caps words of up to six
 * letters count as acronyms and are ignored — except when the text has no
 * lower-case letter at all, where three or more words with 12+ letters is shouting
 * ("RAPAT DI KANTOR BUPATI") while "APBD 2027" or "DPRD DAN BPBD" is not.
 */
export function isMostlyUppercase(text: string): boolean {
  const words = text.split(/[^\p{L}\p{M}\p{N}]+/u).filter((w) => /\p{L}/u.test(w));
  const letters = (w: string): string[] => [...w].filter((c) => /\p{L}/u.test(c));
  const isUpperWord = (w: string): boolean => letters(w).every((c) => c === c.toLocaleUpperCase('id-ID') && c !== c.toLocaleLowerCase('id-ID'));
  if (!/\p{Ll}/u.test(text)) {
    const total = words.reduce((n, w) => n + letters(w).length, 0);
    const upper = words.filter(isUpperWord).length;
    if (upper >= 3 && total >= 12) return true;
  }
  let upper = 0;
  let all = 0;
  for (const w of words) {
    const ls = letters(w);
    if (isUpperWord(w) && ls.length <= ACRONYM_MAX_LETTERS) continue;
    for (const c of ls) {
      all++;
      if (c === c.toLocaleUpperCase('id-ID') && c !== c.toLocaleLowerCase('id-ID')) upper++;
    }
  }
  return all >= 8 && upper / all >= 0.7;
}

/** Advisory hints for a draft post. Pure; `sensitiveTerms` comes from the unit's configured list. */
export function qualityHints(input: HintInput, sensitiveTerms: readonly SensitiveTerm[] = []): Hint[] {
  const hints: Hint[] = [];
  const title = String(input.title ?? '');
  const summary = String(input.summary ?? '');
  const body = String(input.bodyText ?? '');
  const urgent = input.urgent === true;
  const media = Array.isArray(input.media) ? input.media : [];

  media.forEach((m, i) => {
    if ((m?.alt ?? '').trim() !== '') return;
    const n = i + 1;
    hints.push({
      rule: 'media.missing_alt', severity: 'advice', measured: n,
      message: {
        id: `Media ke-${n} belum punya teks alternatif (alt). Tuliskan singkat apa yang terlihat, agar pembaca tunanetra ikut memahami.`,
        en: `Media item ${n} has no alt text. Describe briefly what it shows so blind readers can follow.`,
      },
    });
  });

  if (!urgent && input.portalProvided !== true && (input.portalUrl ?? '').trim() === '') {
    hints.push({
      rule: 'link.missing_portal', severity: 'advice',
      message: {
        id: 'Belum ada tautan ke portal. Tambahkan tautan berita lengkap agar pembaca bisa membaca selengkapnya.',
        en: 'No link to the portal. Add the link to the full story so readers can read more.',
      },
    });
  }

  const allSentences = [...sentences(summary), ...sentences(body)];
  const long = allSentences.map((s) => ({ s, words: wordCount(s) })).filter((x) => x.words > LONG_SENTENCE_WORDS);
  if (long.length > 0) {
    const longest = long.reduce((a, b) => (b.words > a.words ? b : a));
    hints.push({
      rule: 'text.long_sentence', severity: 'advice', measured: longest.words, excerpt: clip(longest.s),
      message: {
        id: `${long.length} kalimat lebih dari ${LONG_SENTENCE_WORDS} kata; yang terpanjang ${longest.words} kata. Pecah menjadi kalimat pendek agar mudah dipahami.`,
        en: `${long.length} sentence(s) have more than ${LONG_SENTENCE_WORDS} words; the longest has ${longest.words}. Split them so they are easy to follow.`,
      },
    });
  }

  if (!urgent) {
    if (isMostlyUppercase(title)) {
      hints.push({
        rule: 'caps.title', severity: 'advice', excerpt: clip(title),
        message: {
          id: 'Judul ditulis dengan huruf kapital semua. Huruf kapital terkesan berteriak dan lebih sulit dibaca; pakai huruf biasa.',
          en: 'The title is in capitals. Capitals read as shouting and are harder to read; use normal case.',
        },
      });
    }
    const caps = allSentences.filter(isMostlyUppercase);
    const first = caps[0];
    if (first !== undefined) {
      hints.push({
        rule: 'caps.text', severity: 'advice', measured: caps.length, excerpt: clip(first),
        message: {
          id: `${caps.length} kalimat ditulis dengan huruf kapital semua. Pakai huruf biasa; singkatan seperti OPD atau DPRD tidak apa-apa.`,
          en: `${caps.length} sentence(s) are in capitals. Use normal case; acronyms such as OPD or DPRD are fine.`,
        },
      });
    }
  }

  if ((input.rubricSlug ?? '').trim().toLowerCase() === 'regulasi') {
    const all = [title, summary, body].join('\n');
    const has = (words: string[]): boolean => words.some((w) => wordRegExp(w).test(all));
    if (!has(PURPOSE_WORDS)) {
      hints.push({
        rule: 'regulation.missing_purpose', severity: 'advice',
        message: {
          id: 'Postingan regulasi ini belum menjelaskan tujuannya. Tambahkan untuk apa aturan ini dibuat (misalnya "bertujuan…", "agar…").',
          en: 'This regulation post does not explain its purpose. Say what the rule is for (e.g. "bertujuan…", "agar…").',
        },
      });
    }
    if (!has(REASON_WORDS)) {
      hints.push({
        rule: 'regulation.missing_reason', severity: 'advice',
        message: {
          id: 'Postingan regulasi ini belum menjelaskan alasannya. Tambahkan mengapa aturan ini diperlukan (misalnya "karena…", "latar belakang…", dasar hukumnya).',
          en: 'This regulation post does not explain its reasons. Say why the rule is needed (e.g. "karena…", the background, its legal basis).',
        },
      });
    }
  }

  const fields = [title, summary, body];
  const seen = new Set<string>();
  for (const { term, category } of sensitiveTerms) {
    const t = String(term ?? '').normalize('NFC').trim();
    const key = t.toLocaleLowerCase('id-ID');
    if (t === '' || seen.has(key)) continue;
    seen.add(key);
    const re = wordRegExp(t);
    let count = 0;
    let excerpt: string | undefined;
    for (const field of fields) {
      const text = field.normalize('NFC');
      for (const m of text.matchAll(re)) {
        count++;
        excerpt ??= excerptAround(text, m.index, m[0].length);
      }
    }
    if (count === 0) continue;
    hints.push({
      rule: 'sensitive.term', severity: 'second_look', measured: t, ...(excerpt !== undefined ? { excerpt } : {}),
      message: {
        id: `Kata "${t}" (kategori: ${category}) muncul ${count} kali. Minta rekan membaca ulang sebelum terbit.`,
        en: `The term "${t}" (category: ${category}) appears ${count} time(s). Ask a colleague for a second look before publishing.`,
      },
    });
  }
  return hints;
}
