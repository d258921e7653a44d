// Owns: the public entry points validatePost / validateAll, plus the LinkedIn
// escaper (the text transform that the LinkedIn warning refers to).
import { limitsFor } from './limits.ts';
import type { LimitOverrides, Network } from './limits.ts';
import { checkMedia } from './rules/media.ts';
import { checkText } from './rules/text.ts';
import type { Post, ValidationResult } from './types.ts';

export function validatePost(network: Network, post: Post, overrides?: LimitOverrides): ValidationResult {
  const limits = limitsFor(network, overrides);
  const { issues, counters } = checkText(network, post, limits);
  issues.push(...checkMedia(network, post, limits));
  return { network, ok: !issues.some((i) => i.severity === 'error'), issues, counters };
}

export function validateAll(
  networks: readonly Network[],
  post: Post,
  overridesByNetwork?: Partial<Record<Network, LimitOverrides>>,
): ValidationResult[] {
  return networks.map((n) => validatePost(n, post, overridesByNetwork?.[n]));
}

const LINKEDIN_RESERVED = /[\\|{}@[\]()<>#*_~]/g;

/**
 * Escapes LinkedIn "little text" reserved characters with a backslash so they
 * are shown literally instead of being parsed as mentions/hashtags/markup.
 * Do not call twice on the same text (the backslashes would be escaped again).
 */
export function escapeLinkedInText(text: string): string {
  return text.replace(LINKEDIN_RESERVED, (ch) => `\\${ch}`);
}
