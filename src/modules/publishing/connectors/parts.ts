/**
 * What a target sends, the same for every network that threads: its parts in order, then its
 * first comment as the last reply (networks without a separate comment call treat it as one).
 */
import type { PublishRequest } from '../connector.ts';

export function outgoingTexts(request: Pick<PublishRequest, 'parts' | 'firstComment'>): string[] {
  const texts = request.parts.filter((p) => p.trim() !== '');
  if (request.firstComment && request.firstComment.trim() !== '') texts.push(request.firstComment);
  return texts;
}
