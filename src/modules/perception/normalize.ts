// normalize.ts — owns turning raw social-media text into a clean token list:
// sanitising hostile input (lone surrogates, control chars, HTML, huge
// inputs), lower-casing, URL/mention/hashtag handling, elongation
// ("bagusss"), numbers, emoji/emoticons as sentiment tokens, and
// expansion of common Indonesian chat abbreviations.

/** Inputs longer than this are cut: the first few KB carry the signal and
 *  this bounds the work done on a 100 KB paste. */
export const MAX_CHARS = 4000;

/** Special tokens produced by the normaliser (kept outside the a-z space). */
export const TOK_URL = '_url_';
export const TOK_USER = '_user_';
export const TOK_NUM = '_num_';
export const TOK_EMO_POS = '_emopos_';
export const TOK_EMO_NEG = '_emoneg_';
export const TOK_EMOJI = '_emoji_';
/** Clause boundary (from . , ! ? ; :) — limits negation scope and bigrams. */
export const TOK_BOUNDARY = '|';

// Chat abbreviations and spelling variants seen in Indonesian comments
// (NusaX-ind itself contains gak/ga/enggak/nggak, udah, gue, aja, km).
// We map to the standard form so they share weights with the formal text
// the model is trained on. Kept short on purpose; "aja" is NOT mapped to
// "saja" because in Javanese/Buginese it means "don't" (a negator).
const ABBREV: Record<string, string> = {
  gak: 'tidak', ga: 'tidak', gk: 'tidak', nggak: 'tidak', enggak: 'tidak',
  engga: 'tidak', ngga: 'tidak', ndak: 'tidak', tdk: 'tidak', tak: 'tidak',
  kagak: 'tidak',
  yg: 'yang', bgt: 'banget', bngt: 'banget', dgn: 'dengan', utk: 'untuk',
  krn: 'karena', karna: 'karena', sdh: 'sudah', udh: 'sudah', udah: 'sudah',
  blm: 'belum', jg: 'juga', tp: 'tapi', tpi: 'tapi', dr: 'dari', sm: 'sama',
  org: 'orang', bkn: 'bukan', emg: 'memang', emang: 'memang', gmn: 'bagaimana',
  gimana: 'bagaimana', klo: 'kalau', kalo: 'kalau', sy: 'saya',
  dpt: 'dapat', bs: 'bisa', lg: 'lagi', skrg: 'sekarang',
  trs: 'terus', pd: 'pada', sj: 'saja', dll: 'dan lain lain', mantul: 'mantap',
  jln: 'jalan', pemkot: 'pemerintah kota', pemkab: 'pemerintah kabupaten',
};

const POS_EMOJI = new Set([
  '😀', '😃', '😄', '😁', '😆', '😊', '🙂', '😍', '🥰', '😘', '👍', '👏', '🙏', '❤', '💕',
  '💖', '💯', '🔥', '✨', '🎉', '😎', '🤩', '😇', '🥳', '💪', '👌', '♥', '😂', '🤣', '☺',
]);
const NEG_EMOJI = new Set([
  '😠', '😡', '🤬', '😞', '😔', '😢', '😭', '😩', '😫', '👎', '💔', '😤', '😒', '🙄',
  '😣', '😖', '😿', '🤮', '🤢', '😑', '😐', '😕', '🙁', '☹', '😰', '😱',
]);

// Compiled once: each call runs these on short strings, so keep them simple.
const RE_HTML_TAG = /<\/?[a-zA-Z][^<>]{0,500}>/g;
const RE_ENTITY = /&(amp|lt|gt|quot|apos|nbsp|#39|#x27);/g;
const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'", '#x27': "'" };
// eslint-disable-next-line no-control-regex
const RE_CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g;
const RE_URL = /\b(?:https?:\/\/|www\.)\S+/gi;
const RE_MENTION = /(^|[^\w])@\w{1,50}/g;
const RE_HASHTAG = /#(\w+)/g;
const RE_EMO_POS = /(?:^|\s)(?:[:;=]-?[)\]dDpP]|\^_?\^|<3)(?=\s|$)/g;
const RE_EMO_NEG = /(?:^|\s)(?:[:;=]'?-?[(\[/\\]|>:\(|T_T)(?=\s|$)/g;
const RE_PICTO = /\p{Extended_Pictographic}/gu;
const RE_ELONG = /(\p{L})\1{2,}/gu;
// Chat reduplication: "hati2" = "hati-hati".
const RE_REDUP = /(\p{L}{2,})2(?!\p{N})/gu;
const RE_TOKEN = /[\p{L}\p{M}]+(?:'[\p{L}]+)?|\p{N}+(?:[.,]\p{N}+)*|_[a-z]+_|[.,!?;:]/gu;

/** Make any JS string safe to process: well-formed UTF-16, no control
 *  characters, no HTML markup, bounded length. Never throws. */
export function sanitize(input: unknown): string {
  let s = typeof input === 'string' ? input : input == null ? '' : String(input);
  if (s.length > MAX_CHARS) s = s.slice(0, MAX_CHARS);
  // toWellFormed replaces lone surrogates (including one left by slicing).
  s = s.toWellFormed();
  if (s.indexOf('<') !== -1) s = s.replace(RE_HTML_TAG, ' ');
  if (s.indexOf('&') !== -1) s = s.replace(RE_ENTITY, (_m, e: string) => ENTITY[e] ?? ' ');
  return s.replace(RE_CONTROL, ' ');
}

/** Map one emoji code point to a polarity token. */
function emojiToken(e: string): string {
  if (POS_EMOJI.has(e)) return ` ${TOK_EMO_POS} `;
  if (NEG_EMOJI.has(e)) return ` ${TOK_EMO_NEG} `;
  return ` ${TOK_EMOJI} `;
}

/**
 * Normalise text to tokens. Clause punctuation becomes TOK_BOUNDARY so
 * downstream features can stop negation scope / bigrams at clause ends.
 */
export function normalizeTokens(input: unknown): string[] {
  let s = sanitize(input);
  if (s.indexOf('/') !== -1 || s.indexOf('www') !== -1) s = s.replace(RE_URL, ` ${TOK_URL} `);
  if (s.indexOf('@') !== -1) s = s.replace(RE_MENTION, `$1 ${TOK_USER} `);
  if (s.indexOf('#') !== -1) s = s.replace(RE_HASHTAG, ' $1 ');
  // Emoticons before lower-casing (":D" vs ":d") and before tokenising.
  s = s.replace(RE_EMO_POS, ` ${TOK_EMO_POS} `).replace(RE_EMO_NEG, ` ${TOK_EMO_NEG} `);
  s = s.replace(RE_PICTO, emojiToken);
  s = s.toLowerCase().replace(RE_ELONG, '$1');
  if (s.indexOf('2') !== -1) s = s.replace(RE_REDUP, '$1 $1');
  const out: string[] = [];
  const matches = s.match(RE_TOKEN);
  if (matches === null) return out;
  for (const m of matches) {
    const c = m.charCodeAt(0);
    if (m.length === 1 && (c === 46 || c === 44 || c === 33 || c === 63 || c === 59 || c === 58)) {
      if (out.length > 0 && out[out.length - 1] !== TOK_BOUNDARY) out.push(TOK_BOUNDARY);
      continue;
    }
    if (c >= 48 && c <= 57) { out.push(TOK_NUM); continue; }
    const ab = ABBREV[m];
    if (ab !== undefined) {
      if (ab.indexOf(' ') === -1) out.push(ab); else for (const p of ab.split(' ')) out.push(p);
      continue;
    }
    out.push(m);
  }
  if (out[out.length - 1] === TOK_BOUNDARY) out.pop();
  return out;
}

/** Convenience: normalised text as a single space-joined string. */
export function normalizeText(input: unknown): string {
  return normalizeTokens(input).join(' ');
}
