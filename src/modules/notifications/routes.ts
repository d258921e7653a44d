/** A person's notifications: newest first, marking them read, and the live stream of new ones. */
import { z } from 'zod';
import { requireAuth } from '../../http/authenticate.ts';
import { errorResponses, uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { AppError } from '../../errors/errors.ts';
import type { Services } from '../../services.ts';
import { announce } from './notify.ts';
import { notificationSchema, presentNotification } from './presenters.ts';
import { listForUser, unreadCount } from './queries.ts';
import { openStream } from './stream.ts';

export async function notificationRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db } = services;

  app.get('/notifications', {
    schema: { tags: ['notifications'], summary: 'The caller’s notifications, newest first', querystring: z.strictObject({ unread: z.enum(['true', 'false']).optional() }), response: { 200: z.object({ items: z.array(notificationSchema), unread: z.number() }), ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const rows = await listForUser(db, auth.user.id, { unreadOnly: request.query.unread === 'true' });
    return { items: rows.map(presentNotification), unread: await unreadCount(db, auth.user.id) };
  });

  app.get('/notifications/stream', {
    // A HEAD would be answered with a stream that never ends.
    exposeHeadRoute: false,
    schema: {
      tags: ['notifications'],
      summary: 'New notifications as they happen (server-sent events)',
      description: 'A `text/event-stream` (send `Accept: text/event-stream`, as EventSource does): first an `unread` event (`{"unread": n}`), then a `notification` event (the list item shape, with `id:` set to the notification id) for each new notification, followed by a fresh `unread`. A comment line every 25 seconds keeps the connection open. On reconnect, send `Last-Event-ID` to receive what came after that notification. The stream ends when the session ends.',
      querystring: z.strictObject({}),
      response: { 200: z.string().describe('text/event-stream'), ...errorResponses },
    },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    // A stream never ends: only for a client that asked for one (not a page load or a JSON client).
    if (!/\btext\/event-stream\b/i.test(request.headers.accept ?? '')) {
      throw new AppError('request.bad', { details: { issues: [{ path: 'accept', message: 'kirim Accept: text/event-stream (send Accept: text/event-stream)' }] } });
    }
    const hub = services.notifications;
    if (!hub) throw new AppError('unavailable');
    await openStream({ request, reply, hub, db, auth });
    return reply;
  });

  // Streams still open when the server stops would keep it from closing: end them first.
  app.addHook('preClose', (done) => {
    services.notifications?.closeAll();
    done();
  });

  app.post('/notifications/read', {
    schema: { tags: ['notifications'], summary: 'Mark notifications read (all when no ids are given)', body: z.strictObject({ ids: z.array(uuid).max(200).optional() }).nullish(), response: { 200: z.object({ updated: z.number() }), ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const ids = request.body?.ids;
    const updated = await db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('notifications').set({ read_at: new Date() })
        .where('user_id', '=', auth.user.id).where('read_at', 'is', null)
        .$if(ids !== undefined, (q) => q.where('id', 'in', ids!.length > 0 ? ids! : ['00000000-0000-0000-0000-000000000000']))
        .executeTakeFirst();
      // The person's other tabs and devices update their count.
      if (result.numUpdatedRows > 0n) await announce(trx, { r: auth.user.id });
      return Number(result.numUpdatedRows);
    });
    return { updated };
  });
}
