// Owns: the public surface of the networks module (per-network content rules).
export { DEFAULT_LIMITS, NETWORKS, NETWORK_NAMES, limitsFor } from './limits.ts';
export type { LimitOverrides, MediaKind, Network, NetworkLimits, Unit } from './limits.ts';
export { measure, utf8Bytes, codePoints, threadsLength, mastodonLength, blueskyMeasure } from './measure.ts';
export { validatePost, validateAll, escapeLinkedInText } from './validate.ts';
export { postSchema, mediaSchema, overridesSchema, validateRequestSchema, networkSchema, safeValidate } from './schemas.ts';
export type { SafeValidateResult, ValidateRequest } from './schemas.ts';
export type { Counter, Issue, MediaItem, Post, ValidationResult } from './types.ts';
