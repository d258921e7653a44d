// Owns: the public surface of the regulasi module (regulation records, their plain-language
// explanation, readability scoring and the explanation rule for linked posts). The portal's
// regulation page and index read through these.
export { listRegulations, regulationById, regulationBySlug, regulationsOfPost, relatedPosts } from './queries.ts';
export type { FaqEntry, RegulationFilters, RegulationRecord, RelatedPost } from './queries.ts';
export { assertRegulationsExplained, missingExplanation, regulationName } from './explanation.ts';
export { readability, LONG_SENTENCE_WORDS } from './readability.ts';
export type { Readability, ReadabilityIssue, ReadabilityLabel } from './readability.ts';
export { presentRegulation, presentRelatedPost } from './presenters.ts';
export { regulationTypes, regulationStatuses, typeLongNames, typeNames } from './schemas.ts';
