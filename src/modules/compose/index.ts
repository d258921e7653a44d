// Owns: the public surface of the compose module (rich text, shortening,
// threads, UTM, hashtags, per-network adaptation and quality hints).
export { sanitizeBody, htmlToPlainText, cleanPlainText } from './rich-text.ts';
export { sentences, sentenceEnds, shortenToFit } from './shorten.ts';
export { splitThread, MAX_THREAD_PARTS } from './thread.ts';
export type { SplitOptions } from './thread.ts';
export { withUtm, tagLinks } from './utm.ts';
export type { UtmParams } from './utm.ts';
export { toHashtag, hashtagsFor, HASHTAG_HABITS } from './hashtags.ts';
export type { HashtagHabit } from './hashtags.ts';
export { adaptVariant, adaptAll, THREAD_NETWORKS } from './adapt.ts';
export type { AdaptedVariant, AdaptNote, AdaptOptions, MasterPost } from './adapt.ts';
export { qualityHints, isMostlyUppercase, LONG_SENTENCE_WORDS, ACRONYM_MAX_LETTERS } from './hints.ts';
export type { Hint, HintInput, SensitiveTerm } from './hints.ts';
