/**
 * Live notifications in one process. Several web processes share one PostgreSQL, so delivery goes
 * through the database: notify() NOTIFYs 'siar_notifications' on commit, and each process holds ONE
 * listener (a dedicated connection on a PostgreSQL server, PGlite's own listen on the embedded one)
 * that fans new notifications out to the open streams of the people concerned in this process.
 *
 * The same listener hears 'siar_auth', where every change of sign-in rights is announced (logout,
 * logout everywhere, password change, disabled account, revoked token): the streams of that person
 * are checked against the database and those whose session or token is gone are closed, whichever
 * process handled the logout.
 *
 * Other modules may hear further channels on the same connection (`hear`): the portal's render
 * cache hears 'siar_portal'.
 */
import type { Kysely } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { AUTH_CHANNEL } from '../auth/auth-context.ts';
import { NOTIFICATIONS_CHANNEL, type ChannelMessage } from './notify.ts';
import { presentNotification, type NotificationRow, type NotificationView } from './presenters.ts';
import { notificationsByIds, unreadCount, unreadCounts } from './queries.ts';

/** One open stream (an SSE connection, stream.ts) as the hub sees it. */
export interface LiveStream {
  readonly userId: string;
  /** How the person signed in: the session digest or the API token id (AuthContext.credentialId). */
  readonly credential: { via: 'session' | 'token'; id: string };
  deliver(items: NotificationView[]): void;
  unread(count: number): void;
  heartbeat(): void;
  /** Sends what was created since this stream last heard, after the listener was away. */
  catchUp(): Promise<void>;
  close(): void;
}

export interface HubOptions {
  database: Database;
  /** A comment line on every stream this often, so proxies and browsers keep the connection. */
  heartbeatMs?: number;
  /** Sessions can also just expire (sliding expiry, no NOTIFY): every stream is re-checked this often. */
  recheckMs?: number;
  /** Called with the ids of every new notification heard (e-mail queueing); failures are logged. */
  onCreated?: (notificationIds: string[]) => Promise<unknown>;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

const MAX_STREAMS_PER_USER = 10;
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Hears one channel's payloads; after the listener was away it is called with '*' (anything may have changed). */
export type ChannelListener = (payload: string) => void;

const channelMessage = z.union([
  z.strictObject({ n: z.array(z.tuple([z.string(), z.string()])).max(1000) }),
  z.strictObject({ r: z.string() }),
]);

export class NotificationHub {
  readonly #db: Kysely<DB>;
  readonly #database: Database;
  readonly #options: HubOptions;
  readonly #streams = new Map<string, Set<LiveStream>>();
  /** Messages are handled one after another, so a person's events arrive in commit order. */
  #chain: Promise<void> = Promise.resolve();
  readonly #side = new Set<Promise<unknown>>();
  #unlisten: (() => Promise<void>) | undefined;
  readonly #heard = new Map<string, Set<ChannelListener>>();
  /** LISTENs on one more channel with the open listener (set once started). */
  #listenMore: ((channel: string) => Promise<void>) | undefined;
  #timers: NodeJS.Timeout[] = [];
  #stopped = false;

  constructor(options: HubOptions) {
    this.#options = options;
    this.#database = options.database;
    this.#db = options.database.db;
  }

  async start(): Promise<void> {
    this.#unlisten = this.#database.pglite ? await this.#listenEmbedded() : await this.#listenOnServer(this.#database.connectionString!);
    const heartbeat = setInterval(() => this.#each((s) => s.heartbeat()), this.#options.heartbeatMs ?? 25_000);
    const recheck = setInterval(() => this.#enqueue(() => this.#recheck()), this.#options.recheckMs ?? 5 * 60_000);
    heartbeat.unref();
    recheck.unref();
    this.#timers = [heartbeat, recheck];
  }

  /** Closes every stream (so an HTTP server can stop without waiting on them) and stops listening. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.closeAll();
    await this.#unlisten?.().catch(() => undefined);
    this.#unlisten = undefined;
    await this.#chain;
    await Promise.allSettled([...this.#side]);
  }

  /**
   * Calls `listener` with the payload of every NOTIFY on `channel` heard by this process's one
   * listener; returns the function that stops it. Listeners run synchronously and must not throw.
   */
  async hear(channel: string, listener: ChannelListener): Promise<() => void> {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`not a channel name: ${channel}`);
    let listeners = this.#heard.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.#heard.set(channel, listeners);
      if (channel !== NOTIFICATIONS_CHANNEL && channel !== AUTH_CHANNEL) await this.#listenMore?.(channel);
    }
    listeners.add(listener);
    return () => {
      this.#heard.get(channel)?.delete(listener);
    };
  }

  #tellHeard(channel: string, payload: string): void {
    for (const listener of [...(this.#heard.get(channel) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        this.#log(`notification listener: a listener of ${channel} failed`, error);
      }
    }
  }

  /** Registers a stream; returns the function that unregisters it. */
  add(stream: LiveStream): () => void {
    if (this.#stopped) {
      stream.close();
      return () => undefined;
    }
    let mine = this.#streams.get(stream.userId);
    if (!mine) {
      mine = new Set();
      this.#streams.set(stream.userId, mine);
    }
    // Tabs left open pile up; the oldest goes first.
    if (mine.size >= MAX_STREAMS_PER_USER) {
      const oldest = mine.values().next().value;
      if (oldest) this.#drop(oldest);
    }
    mine.add(stream);
    return () => this.#forget(stream);
  }

  closeAll(): void {
    this.#each((s) => this.#drop(s));
  }

  /** Open streams in this process, for tests and metrics. */
  get size(): number {
    let n = 0;
    for (const set of this.#streams.values()) n += set.size;
    return n;
  }

  #drop(stream: LiveStream): void {
    this.#forget(stream);
    stream.close();
  }

  #forget(stream: LiveStream): void {
    const mine = this.#streams.get(stream.userId);
    if (!mine) return;
    mine.delete(stream);
    if (mine.size === 0) this.#streams.delete(stream.userId);
  }

  #each(fn: (stream: LiveStream) => void): void {
    for (const set of [...this.#streams.values()]) for (const stream of [...set]) fn(stream);
  }

  #enqueue(task: () => Promise<void>): void {
    this.#chain = this.#chain.then(task).catch((error: unknown) => this.#log('notification listener: handling failed', error));
  }

  #log(message: string, error: unknown): void {
    if (this.#stopped) return;
    const fields = { err: error instanceof Error ? error.message : String(error) };
    if (this.#options.log) this.#options.log(message, fields);
    else console.error(message, fields);
  }

  #received(channel: string, payload: string): void {
    if (this.#stopped) return;
    this.#tellHeard(channel, payload);
    if (channel !== AUTH_CHANNEL && channel !== NOTIFICATIONS_CHANNEL) return;
    if (channel === AUTH_CHANNEL) {
      const userId = payload === '*' || payload === '' ? undefined : payload;
      if (userId === undefined || this.#streams.has(userId)) this.#enqueue(() => this.#recheck(userId));
      return;
    }
    let message: ChannelMessage;
    try {
      const parsed = channelMessage.safeParse(JSON.parse(payload));
      if (!parsed.success) return;
      message = parsed.data;
    } catch {
      return;
    }
    if ('n' in message && this.#options.onCreated) {
      const side = this.#options.onCreated(message.n.map(([, id]) => id))
        .catch((error: unknown) => this.#log('notification listener: queueing e-mail failed', error))
        .finally(() => this.#side.delete(side));
      this.#side.add(side);
    }
    this.#enqueue(() => this.#fanOut(message));
  }

  async #fanOut(message: ChannelMessage): Promise<void> {
    if ('r' in message) {
      const streams = this.#streams.get(message.r);
      if (!streams) return;
      const count = await unreadCount(this.#db, message.r);
      for (const stream of [...(this.#streams.get(message.r) ?? [])]) stream.unread(count);
      return;
    }
    const here = message.n.filter(([userId]) => this.#streams.has(userId));
    if (here.length === 0) return;
    const rows = await notificationsByIds(this.#db, here.map(([, id]) => id));
    const byUser = new Map<string, NotificationRow[]>();
    for (const row of rows) byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row]);
    const counts = await unreadCounts(this.#db, [...byUser.keys()]);
    for (const [userId, mine] of byUser) {
      const views = mine.map(presentNotification);
      for (const stream of [...(this.#streams.get(userId) ?? [])]) {
        stream.deliver(views);
        stream.unread(counts.get(userId) ?? 0);
      }
    }
  }

  /** Closes the streams (of one person, or all) whose session or token is no longer valid. */
  async #recheck(userId?: string): Promise<void> {
    const streams: LiveStream[] = [];
    if (userId) streams.push(...(this.#streams.get(userId) ?? []));
    else this.#each((s) => streams.push(s));
    if (streams.length === 0) return;
    const valid = await validCredentials(this.#db, streams.map((s) => s.credential));
    for (const stream of streams) if (!valid.has(`${stream.credential.via}:${stream.credential.id}`)) this.#drop(stream);
  }

  /** After the listener was away: drop streams whose sign-in ended, then catch the rest up. */
  async #resync(): Promise<void> {
    for (const channel of this.#heard.keys()) this.#tellHeard(channel, '*');
    await this.#recheck();
    const streams: LiveStream[] = [];
    this.#each((s) => streams.push(s));
    for (const stream of streams) await stream.catchUp();
  }

  async #listenEmbedded(): Promise<() => Promise<void>> {
    const pglite = this.#database.pglite!;
    const offNotifications = await pglite.listen(NOTIFICATIONS_CHANNEL, (payload) => this.#received(NOTIFICATIONS_CHANNEL, payload));
    const offAuth = await pglite.listen(AUTH_CHANNEL, (payload) => this.#received(AUTH_CHANNEL, payload));
    const offMore: (() => Promise<void>)[] = [];
    this.#listenMore = async (channel) => {
      offMore.push(await pglite.listen(channel, (payload) => this.#received(channel, payload)));
    };
    for (const channel of this.#heard.keys()) if (channel !== NOTIFICATIONS_CHANNEL && channel !== AUTH_CHANNEL) await this.#listenMore(channel);
    return async () => {
      this.#listenMore = undefined;
      if (pglite.closed) return;
      await offNotifications();
      await offAuth();
      for (const off of offMore) await off();
    };
  }

  /**
   * A dedicated connection (LISTEN needs one session; a pooled connection would lose it). When it
   * drops, it is opened again with backoff, and streams are caught up on what they missed.
   */
  async #listenOnServer(connectionString: string): Promise<() => Promise<void>> {
    let client: pg.Client | undefined;
    let retry: NodeJS.Timeout | undefined;
    let delay = 500;
    const connect = async (): Promise<void> => {
      const candidate = new pg.Client({ connectionString, application_name: 'siar-notifications' });
      candidate.on('notification', (message) => this.#received(message.channel, message.payload ?? ''));
      candidate.on('error', () => lost(candidate));
      candidate.on('end', () => lost(candidate));
      try {
        await candidate.connect();
        const channels = new Set([NOTIFICATIONS_CHANNEL, AUTH_CHANNEL, ...this.#heard.keys()]);
        await candidate.query([...channels].map((channel) => `listen ${channel}`).join('; '));
      } catch (error) {
        await candidate.end().catch(() => undefined);
        throw error;
      }
      client = candidate;
    };
    const reconnectLater = () => {
      retry = setTimeout(() => {
        retry = undefined;
        if (this.#stopped) return;
        connect().then(() => {
          delay = 500;
          this.#enqueue(() => this.#resync());
        }, (error: unknown) => {
          this.#log('notification listener: reconnect failed', error);
          delay = Math.min(delay * 2, 30_000);
          reconnectLater();
        });
      }, delay);
      retry.unref();
    };
    const lost = (which: pg.Client) => {
      if (client !== which || this.#stopped) return;
      client = undefined;
      void which.end().catch(() => undefined);
      reconnectLater();
    };
    await connect();
    this.#listenMore = async (channel) => {
      // Without a connection now, the next one listens on every channel heard (connect above).
      await client?.query(`listen ${channel}`);
    };
    return async () => {
      this.#listenMore = undefined;
      if (retry) clearTimeout(retry);
      const open = client;
      client = undefined;
      await open?.end();
    };
  }
}

/** Which of these credentials still sign someone in (session not ended or expired, token not revoked, account enabled). */
async function validCredentials(db: Kysely<DB>, credentials: { via: 'session' | 'token'; id: string }[]): Promise<Set<string>> {
  const valid = new Set<string>();
  const now = new Date();
  const sessionIds = [...new Set(credentials.filter((c) => c.via === 'session').map((c) => c.id))];
  const tokenIds = [...new Set(credentials.filter((c) => c.via === 'token').map((c) => c.id))];
  if (sessionIds.length > 0) {
    const rows = await db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').select('sessions.id')
      .where('sessions.id', 'in', sessionIds).where('sessions.expires_at', '>', now).where('users.disabled', '=', false).execute();
    for (const row of rows) valid.add(`session:${row.id}`);
  }
  if (tokenIds.length > 0) {
    const rows = await db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id').select('api_tokens.id')
      .where('api_tokens.id', 'in', tokenIds).where('api_tokens.revoked_at', 'is', null)
      .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
      .where('users.disabled', '=', false).execute();
    for (const row of rows) valid.add(`token:${row.id}`);
  }
  return valid;
}
