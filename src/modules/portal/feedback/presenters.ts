/** The public shape of a feedback message in the moderation API. */
import { z } from 'zod';
import type { Config } from '../../../config/config.ts';
import { portalBase, portalPaths } from '../urls.ts';
import type { FeedbackRow } from './moderation.ts';

export const feedbackSchema = z.object({
  id: z.string(),
  kind: z.enum(['question', 'complaint', 'suggestion']),
  status: z.enum(['new', 'answered', 'closed', 'spam']),
  message: z.string(),
  name: z.string().nullable(),
  contact: z.string().nullable(),
  note: z.string().nullable(),
  article: z.object({ postId: z.string(), slug: z.string(), title: z.string(), url: z.string() }),
  unit: z.object({ id: z.string(), name: z.string() }),
  handledBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  handledAt: z.string().nullable(),
  createdAt: z.string(),
  /** Whether the caller may change its status. */
  canModerate: z.boolean(),
});
export type FeedbackView = z.infer<typeof feedbackSchema>;

export function presentFeedback(config: Pick<Config, 'publicUrl' | 'host' | 'port'>, row: FeedbackRow, canModerate: boolean): FeedbackView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    message: row.message,
    name: row.name,
    contact: row.contact,
    note: row.note,
    article: { postId: row.post_id, slug: row.slug, title: row.title, url: portalBase(config) + portalPaths.article(row.slug) },
    unit: { id: row.unit_id, name: row.unit_name },
    handledBy: row.handled_by ? { id: row.handled_by, name: row.handler_name ?? '' } : null,
    handledAt: row.handled_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    canModerate,
  };
}
