/** A person's notifications: newest first, and marking them read. */
import { z } from 'zod';
import { requireAuth } from '../../http/authenticate.ts';
import { errorResponses, uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';

const notificationSchema = z.object({
  id: z.string(), kind: z.string(), postId: z.string().nullable(), postTitle: z.string().nullable(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(), excerpt: z.string().nullable(), read: z.boolean(), createdAt: z.string(),
});

export async function notificationRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db } = services;

  app.get('/notifications', {
    schema: { tags: ['notifications'], summary: 'The caller’s notifications, newest first', querystring: z.strictObject({ unread: z.enum(['true', 'false']).optional() }), response: { 200: z.object({ items: z.array(notificationSchema), unread: z.number() }), ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const rows = await db.selectFrom('notifications')
      .leftJoin('posts', 'posts.id', 'notifications.post_id')
      .leftJoin('users', 'users.id', 'notifications.actor_id')
      .select(['notifications.id', 'notifications.kind', 'notifications.post_id', 'posts.title', 'users.id as actor_id', 'users.name as actor_name', 'notifications.excerpt', 'notifications.read_at', 'notifications.created_at'])
      .where('notifications.user_id', '=', auth.user.id)
      .$if(request.query.unread === 'true', (q) => q.where('notifications.read_at', 'is', null))
      .orderBy('notifications.created_at', 'desc').limit(100).execute();
    const unread = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', auth.user.id).where('read_at', 'is', null).executeTakeFirstOrThrow();
    return {
      items: rows.map((r) => ({
        id: r.id, kind: r.kind, postId: r.post_id, postTitle: r.title, actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '' } : null,
        excerpt: r.excerpt, read: r.read_at !== null, createdAt: r.created_at.toISOString(),
      })),
      unread: Number(unread.n),
    };
  });

  app.post('/notifications/read', {
    schema: { tags: ['notifications'], summary: 'Mark notifications read (all when no ids are given)', body: z.strictObject({ ids: z.array(uuid).max(200).optional() }).nullish(), response: { 200: z.object({ updated: z.number() }), ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const ids = request.body?.ids;
    const result = await db.updateTable('notifications').set({ read_at: new Date() })
      .where('user_id', '=', auth.user.id).where('read_at', 'is', null)
      .$if(ids !== undefined, (q) => q.where('id', 'in', ids!.length > 0 ? ids! : ['00000000-0000-0000-0000-000000000000']))
      .executeTakeFirst();
    return { updated: Number(result.numUpdatedRows) };
  });
}
