/** The public shape of a notification: the list endpoint, the live stream and nothing else build it. */
import { z } from 'zod';

export const notificationSchema = z.object({
  id: z.string(), kind: z.string(), postId: z.string().nullable(), postTitle: z.string().nullable(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(), excerpt: z.string().nullable(), read: z.boolean(), createdAt: z.string(),
});
export type NotificationView = z.infer<typeof notificationSchema>;

/** A notification row joined with its post title and actor name (queries.ts selects it). */
export interface NotificationRow {
  id: string;
  user_id: string;
  kind: string;
  post_id: string | null;
  title: string | null;
  actor_id: string | null;
  actor_name: string | null;
  excerpt: string | null;
  read_at: Date | null;
  created_at: Date;
}

export function presentNotification(r: NotificationRow): NotificationView {
  return {
    id: r.id, kind: r.kind, postId: r.post_id, postTitle: r.title, actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '' } : null,
    excerpt: r.excerpt, read: r.read_at !== null, createdAt: r.created_at.toISOString(),
  };
}
