/**
 * Owns: how easy a plain-language explanation is for an Indonesian reader. Pure: text in, a score,
 * a label and issues with their positions out (used live in the editor and by the API).
 *
 * The score is Flesch's reading ease (R. Flesch, "A new readability yardstick", Journal of Applied
 * Psychology 32(3), 1948):
 *
 *     RE = 206.835 − 1.015 × ASL − 84.6 × ASW
 *
 * with ASL the average words per sentence and ASW the average syllables per word. Indonesian words
 * are longer in syllables than English ones (agglutinated affixes: "diberlakukan" has five), so the
 * English constants push any Indonesian text towards 0. As the Spanish (Fernández Huerta, 1959) and
 * Italian (Flesch–Vacca, 1972) adaptations do, we keep Flesch's shape and rescale the syllable term:
 * ASW is multiplied by SYLLABLE_SCALE = 1.5 / 2.5, the ratio of Flesch's English average (about
 * 1.5 syllables a word) to what this counter measures on plain Indonesian government prose (2.4 to
 * 2.5; see readability.test.ts). The sentence term is Flesch's own. This is an approximation made
 * for Siar, not a validated Indonesian formula: it ranks texts (shorter sentences and shorter words
 * score higher) and the thresholds (≥ 60 Mudah, 40–59 Sedang, < 40 Sulit) were set on sample
 * explanations; the issues (long sentences, legal wording, passive-heavy sentences) say what to fix.
 *
 * Syllables are counted from vowels, which Indonesian spelling writes one per syllable, with the
 * diphthongs ai, au, oi and ei counted once at the end of a word (pantai, pulau, survei); spelled
 * acronyms (DPRD, OPD) count a syllable per letter, numbers two.
 */
import { sentenceEnds, urlSpans } from '../compose/shorten.ts';
import { jargonPatterns } from './jargon.ts';

/** Sentences longer than this are flagged. */
export const LONG_SENTENCE_WORDS = 25;
/** Flesch's constants. */
export const FLESCH_BASE = 206.835;
export const FLESCH_SENTENCE_WEIGHT = 1.015;
export const FLESCH_SYLLABLE_WEIGHT = 84.6;
/** English syllables per word ÷ Indonesian syllables per word (see the header). */
export const SYLLABLE_SCALE = 1.5 / 2.5;
export const EASY_FROM = 60;
export const MEDIUM_FROM = 40;
/** A sentence with this many passive verbs (di-…) is flagged. */
export const PASSIVE_PER_SENTENCE = 2;

export type ReadabilityLabel = 'Mudah' | 'Sedang' | 'Sulit';
export type ReadabilityIssueKind = 'long_sentence' | 'jargon' | 'passive';

export interface ReadabilityIssue {
  kind: ReadabilityIssueKind;
  /** The text flagged, exactly as in the input (text.slice(start, end)). */
  text: string;
  start: number;
  end: number;
  /** What to write instead (Indonesian), or what to do. */
  suggestion: string;
  message: { id: string; en: string };
  measured?: number;
}

export interface SentenceStat {
  start: number;
  end: number;
  words: number;
}

export interface Readability {
  /** 0–100, higher is easier; null when there are no words yet. */
  score: number | null;
  label: ReadabilityLabel | null;
  stats: {
    sentences: number;
    words: number;
    syllables: number;
    wordsPerSentence: number;
    syllablesPerWord: number;
    longestSentence: number;
    longSentences: number;
    passiveVerbs: number;
  };
  sentences: SentenceStat[];
  issues: ReadabilityIssue[];
}

const WORD_RE = /\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{M}\p{N}]+(?:[-'’][\p{L}\p{M}\p{N}]+)*/gu;
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'é', 'è']);
const FINAL_DIPHTHONGS = new Set(['ai', 'au', 'oi', 'ei']);

/** Words of the text with their offsets, links left out. */
export function wordSpans(text: string): { word: string; start: number; end: number }[] {
  const links = urlSpans(text);
  const out: { word: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const start = m.index;
    if (links.some(([a, b]) => start >= a && start < b)) continue;
    out.push({ word: m[0], start, end: start + m[0].length });
  }
  return out;
}

function vowelSyllables(part: string): number {
  const w = part.toLocaleLowerCase('id-ID').normalize('NFC');
  let count = 0;
  for (const c of w) if (VOWELS.has(c)) count++;
  if (w.length >= 3 && FINAL_DIPHTHONGS.has(w.slice(-2)) && !VOWELS.has(w.at(-3) ?? '')) count--;
  return Math.max(1, count);
}

/** Syllables of one word, as a reader says it (an approximation, see the header). */
export function syllables(word: string): number {
  if (/^\p{N}/u.test(word)) return 2;
  const letters = word.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 2 && letters.length <= 6 && letters === letters.toLocaleUpperCase('id-ID') && letters !== letters.toLocaleLowerCase('id-ID')) {
    return letters.length;
  }
  // Reduplication ("anak-anak") is read in full.
  return word.split(/[-'’]/u).filter((p) => p !== '').reduce((n, p) => n + vowelSyllables(p), 0);
}

// Words beginning with di- that are not passive verbs (the prefix is part of the root).
const NOT_PASSIVE = [
  'dia', 'diam', 'dian', 'diare', 'diaspora', 'didik', 'diesel', 'diet', 'digit', 'digital', 'dikte', 'diksi', 'diktator', 'dilema',
  'dimensi', 'dinamika', 'dinamis', 'dinas', 'dinasti', 'dinding', 'dingin', 'dini', 'dinar', 'diorama', 'diploma', 'diplomasi',
  'direksi', 'direktorat', 'direktur', 'dirgahayu', 'diri', 'disabilitas', 'disiplin', 'diskon', 'diskusi', 'disertasi', 'distribusi',
  'distrik', 'diversifikasi', 'dividen', 'diagnosis', 'diagram', 'dialog', 'dialek',
];

/** A passive verb: di- + root ("ditetapkan", "dicabut"), not a word whose root begins with di. */
export function isPassiveVerb(word: string): boolean {
  const w = word.toLocaleLowerCase('id-ID');
  if (!/^di\p{L}{3,}$/u.test(w)) return false;
  return !NOT_PASSIVE.some((root) => w === root || (w.startsWith(root) && /^(nya|lah|kah|an|kan|i)?$/u.test(w.slice(root.length))));
}

/** Sentence spans [start, end) with surrounding whitespace trimmed, using compose's splitter. */
export function sentenceSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let from = 0;
  for (const to of sentenceEnds(text)) {
    let start = from;
    let end = to;
    while (start < end && /\s/u.test(text[start] ?? '')) start++;
    while (end > start && /\s/u.test(text[end - 1] ?? '')) end--;
    if (end > start) spans.push({ start, end });
    from = to;
  }
  return spans;
}

export function labelFor(score: number): ReadabilityLabel {
  return score >= EASY_FROM ? 'Mudah' : score >= MEDIUM_FROM ? 'Sedang' : 'Sulit';
}

/** Flesch's reading ease with the Indonesian syllable scale, clamped to 0–100. */
export function readingEase(wordsPerSentence: number, syllablesPerWord: number): number {
  const raw = FLESCH_BASE - FLESCH_SENTENCE_WEIGHT * wordsPerSentence - FLESCH_SYLLABLE_WEIGHT * SYLLABLE_SCALE * syllablesPerWord;
  return Math.min(100, Math.max(0, Math.round(raw)));
}

function jargonIssues(text: string): ReadabilityIssue[] {
  const found: ReadabilityIssue[] = [];
  for (const { entry, re } of jargonPatterns) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const flagged = m[0];
      found.push({
        kind: 'jargon',
        text: flagged,
        start: m.index,
        end: m.index + flagged.length,
        suggestion: entry.suggestion,
        message: entry.note ?? {
          id: `"${flagged}" adalah bahasa hukum. Tulis "${entry.suggestion}" agar mudah dipahami warga.`,
          en: `"${flagged}" is legal wording. Write "${entry.suggestion}" so citizens follow easily.`,
        },
      });
    }
  }
  // Longer phrases win where two overlap ("dicabut dan dinyatakan tidak berlaku" over "dinyatakan tidak berlaku").
  found.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const kept: ReadabilityIssue[] = [];
  for (const issue of found) {
    const last = kept.at(-1);
    if (last && issue.start < last.end) continue;
    kept.push(issue);
  }
  return kept;
}

/** Scores `text` and lists what makes it hard to read. */
export function readability(text: string): Readability {
  const words = wordSpans(text);
  const spans = sentenceSpans(text);
  const issues: ReadabilityIssue[] = [];
  const sentences: SentenceStat[] = [];
  let passiveVerbs = 0;
  let w = 0;
  for (const span of spans) {
    const inSentence: string[] = [];
    while (w < words.length && words[w]!.start < span.end) {
      if (words[w]!.start >= span.start) inSentence.push(words[w]!.word);
      w++;
    }
    if (inSentence.length === 0) continue;
    sentences.push({ start: span.start, end: span.end, words: inSentence.length });
    const sentence = text.slice(span.start, span.end);
    if (inSentence.length > LONG_SENTENCE_WORDS) {
      issues.push({
        kind: 'long_sentence', text: sentence, start: span.start, end: span.end, measured: inSentence.length,
        suggestion: 'Pecah menjadi dua atau tiga kalimat: satu gagasan dalam satu kalimat.',
        message: {
          id: `Kalimat ini ${inSentence.length} kata (lebih dari ${LONG_SENTENCE_WORDS}). Pecah menjadi kalimat yang lebih pendek.`,
          en: `This sentence has ${inSentence.length} words (more than ${LONG_SENTENCE_WORDS}). Split it into shorter sentences.`,
        },
      });
    }
    const passive = inSentence.filter(isPassiveVerb).length;
    passiveVerbs += passive;
    if (passive >= PASSIVE_PER_SENTENCE) {
      issues.push({
        kind: 'passive', text: sentence, start: span.start, end: span.end, measured: passive,
        suggestion: 'Sebut siapa yang berbuat: "Pemerintah menetapkan …", bukan "… ditetapkan oleh …".',
        message: {
          id: `Kalimat ini memakai ${passive} kata kerja pasif (di-…). Kalimat aktif yang menyebut pelakunya lebih mudah diikuti.`,
          en: `This sentence uses ${passive} passive verbs (di-…). An active sentence naming who acts is easier to follow.`,
        },
      });
    }
  }
  issues.push(...jargonIssues(text));
  issues.sort((a, b) => a.start - b.start || (a.kind === 'jargon' ? 1 : 0) - (b.kind === 'jargon' ? 1 : 0));

  const wordCount = sentences.reduce((n, s) => n + s.words, 0);
  const syllableCount = words.reduce((n, x) => n + syllables(x.word), 0);
  const wordsPerSentence = sentences.length > 0 ? wordCount / sentences.length : 0;
  const syllablesPerWord = words.length > 0 ? syllableCount / words.length : 0;
  const score = wordCount > 0 ? readingEase(wordsPerSentence, syllablesPerWord) : null;
  return {
    score,
    label: score === null ? null : labelFor(score),
    stats: {
      sentences: sentences.length,
      words: wordCount,
      syllables: syllableCount,
      wordsPerSentence: Math.round(wordsPerSentence * 10) / 10,
      syllablesPerWord: Math.round(syllablesPerWord * 100) / 100,
      longestSentence: sentences.reduce((n, s) => Math.max(n, s.words), 0),
      longSentences: issues.filter((i) => i.kind === 'long_sentence').length,
      passiveVerbs,
    },
    sentences,
    issues,
  };
}
