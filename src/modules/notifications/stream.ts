/**
 * One server-sent-events connection: `unread` (the count) first, then a `notification` event (the
 * list endpoint's shape, `id:` = the notification id) for each new one, a comment heartbeat, and on
 * reconnect (`Last-Event-ID`) whatever came after the last one the browser saw.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AuthContext } from '../auth/auth-context.ts';
import type { LiveStream, NotificationHub } from './live.ts';
import { presentNotification, type NotificationView } from './presenters.ts';
import { createdAtOf, notificationsSince, unreadCount } from './queries.ts';

/** How long a browser waits before reconnecting after the stream ends (EventSource `retry:`). */
const RETRY_MS = 5_000;
/** A client this far behind is not reading; it is closed (and reconnects with Last-Event-ID). */
const MAX_BUFFERED_BYTES = 512 * 1024;
/** Ids remembered per stream so replays and live delivery never send one twice. */
const REMEMBERED_IDS = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class SseStream implements LiveStream {
  readonly userId: string;
  readonly credential: { via: 'session' | 'token'; id: string };
  readonly #db: Kysely<DB>;
  readonly #res: FastifyReply['raw'];
  readonly #sent = new Set<string>();
  /** Created-at of the newest notification sent (or when the stream opened): catch-up starts here. */
  #since: Date;
  /** Until the opening replay is done, live events wait here (so none is lost or sent twice). */
  #pending: NotificationView[] | null = [];
  #closed = false;
  onClose: () => void = () => undefined;

  constructor(db: Kysely<DB>, res: FastifyReply['raw'], auth: AuthContext, opened: Date) {
    this.#db = db;
    this.#res = res;
    this.userId = auth.user.id;
    this.credential = { via: auth.via, id: auth.credentialId };
    this.#since = opened;
  }

  deliver(items: NotificationView[]): void {
    if (this.#pending) {
      this.#pending.push(...items);
      return;
    }
    for (const item of items) this.#send(item);
  }

  unread(count: number): void {
    // While opening, the count sent when the replay is done is fresher.
    if (!this.#pending) this.#write(`event: unread\ndata: ${JSON.stringify({ unread: count })}\n\n`);
  }

  heartbeat(): void {
    this.#write(': ping\n\n');
  }

  async catchUp(): Promise<void> {
    if (this.#closed) return;
    const rows = await notificationsSince(this.#db, this.userId, this.#since);
    const fresh = rows.map(presentNotification).filter((n) => !this.#sent.has(n.id));
    if (fresh.length === 0) return;
    for (const item of fresh) this.#send(item);
    this.unread(await unreadCount(this.#db, this.userId));
  }

  /** The opening: replay after `lastEventId`, send what arrived meanwhile, then the unread count. */
  async open(lastEventId: string | undefined): Promise<void> {
    this.#write(`retry: ${RETRY_MS}\n\n`);
    if (lastEventId) {
      const after = await createdAtOf(this.#db, this.userId, lastEventId);
      if (after) {
        this.#sent.add(lastEventId);
        for (const row of await notificationsSince(this.#db, this.userId, after)) this.#send(presentNotification(row));
      }
    }
    const waiting = this.#pending ?? [];
    this.#pending = null;
    for (const item of waiting) this.#send(item);
    this.unread(await unreadCount(this.#db, this.userId));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onClose();
    if (!this.#res.writableEnded) this.#res.end();
  }

  #send(item: NotificationView): void {
    if (this.#sent.has(item.id)) return;
    this.#sent.add(item.id);
    if (this.#sent.size > REMEMBERED_IDS) this.#sent.delete(this.#sent.values().next().value!);
    const created = new Date(item.createdAt);
    if (created > this.#since) this.#since = created;
    this.#write(`id: ${item.id}\nevent: notification\ndata: ${JSON.stringify(item)}\n\n`);
  }

  #write(frame: string): void {
    if (this.#closed || this.#res.writableEnded || this.#res.destroyed) return;
    if (this.#res.writableLength > MAX_BUFFERED_BYTES) {
      this.close();
      return;
    }
    this.#res.write(frame);
  }
}

/** The id the browser last saw: the Last-Event-ID header EventSource sends on reconnect. */
export function lastEventIdOf(request: FastifyRequest): string | undefined {
  const header = request.headers['last-event-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && UUID.test(value.trim()) ? value.trim() : undefined;
}

/**
 * Takes the response over (Fastify no longer sends it) and keeps it open until the person leaves,
 * signs out, or the server stops. Authentication already happened in the onRequest hook.
 */
export async function openStream(options: { request: FastifyRequest; reply: FastifyReply; hub: NotificationHub; db: Kysely<DB>; auth: AuthContext }): Promise<void> {
  const { request, reply, hub, db, auth } = options;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string | number | string[]>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    // nginx and similar proxies would otherwise hold events back in their buffers.
    'x-accel-buffering': 'no',
  });
  request.raw.socket?.setNoDelay(true);
  const stream = new SseStream(db, res, auth, new Date());
  // Registered before the opening queries, so nothing committed meanwhile slips past.
  const remove = hub.add(stream);
  stream.onClose = remove;
  res.on('close', () => stream.close());
  try {
    await stream.open(lastEventIdOf(request));
  } catch (error) {
    request.log.warn({ err: error }, 'notification stream failed to open');
    stream.close();
  }
}
