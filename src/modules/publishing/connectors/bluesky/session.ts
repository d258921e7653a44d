/**
 * A Bluesky session for one connector call. Credentials hold the app password (`identifier`,
 * `appPassword`) and the cached session (`accessJwt`, `refreshJwt`, `did`, `handle`): a call
 * resumes the cached session without a network round trip, because `createSession` is limited
 * (30 per 5 minutes, 300 a day). When the access token has expired, the channel's session
 * refreshes it once by itself and repeats the request; if that fails too the call reports `auth`,
 * and the engine's `refresh` (refresh token first, app password second) gets a new session. A
 * changed session goes back to the engine as `refreshedCredentials`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent } from '@atproto/api';
import type { AtpSessionData } from '@atproto/api';
import { ConnectorError } from '../../connector.ts';
import type { ConnectorChannel, Credentials } from '../../connector.ts';
import { assertNotCancelled } from '../failure.ts';
import { blueskyFailure, isAuthFailure } from './errors.ts';

export interface SessionOptions {
  channel: ConnectorChannel;
  credentials: Credentials;
  signal: AbortSignal;
  requestTimeoutMs: number;
  /** Injected in tests; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch | undefined;
}

export interface SessionOutcome<T> {
  value: T;
  /** Present when the session differs from the cached one (refreshed or a new login). */
  refreshedCredentials: Credentials | undefined;
}

/** Every request of the call carries the engine's signal and a per-request deadline. */
export function deadlineFetch(signal: AbortSignal, timeoutMs: number, base: typeof globalThis.fetch = globalThis.fetch): typeof globalThis.fetch {
  return (input, init) => {
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
    if (input instanceof Request && !init) {
      return base(new Request(input, { signal: AbortSignal.any([input.signal, deadline]) }));
    }
    return base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline });
  };
}

/**
 * One agent for every channel. Building an @atproto/api agent compiles every lexicon schema (about
 * 5 ms of CPU, and 2 ms more for its CredentialSession), which dominated a burst to many Bluesky
 * accounts; one Agent is built once, and each call's channel session reaches it through
 * AsyncLocalStorage, as do the call's signal, deadline and fetch, so calls of many channels run side
 * by side on it. The Agent takes any session manager (the library's own design, as for OAuth);
 * ours is ChannelSession below.
 */
interface CallContext {
  session: ChannelSession;
  signal: AbortSignal;
  timeoutMs: number;
  fetch: typeof globalThis.fetch | undefined;
}

const callContext = new AsyncLocalStorage<CallContext>();

function currentCall(): CallContext {
  const call = callContext.getStore();
  if (!call) throw new Error('a Bluesky request outside a connector call');
  return call;
}

let shared: Agent | undefined;

function sharedAgent(): Agent {
  shared ??= new Agent({
    get did() {
      return callContext.getStore()?.session.data?.did;
    },
    fetchHandler: (url, init) => currentCall().session.fetchHandler(url, init),
  });
  return shared;
}

const SESSION_PATHS = ['/xrpc/com.atproto.server.createSession', '/xrpc/com.atproto.server.refreshSession'];

/**
 * A channel's session with its PDS, as @atproto/api's CredentialSession keeps it: every request
 * carries the access token; when the PDS answers that it expired, the refresh token renews it once
 * (one renewal at a time per channel) and the request is sent again.
 */
export class ChannelSession {
  data: AtpSessionData | undefined;
  readonly #service: URL;
  #refreshing: Promise<void> | undefined;

  constructor(service: string) {
    this.#service = new URL(service);
  }

  async fetchHandler(url: string, init: RequestInit): Promise<Response> {
    // The session's own calls (log in, renew) neither wait for a renewal (they are one) nor start
    // one: they carry their own credentials.
    const sessionCall = SESSION_PATHS.includes(new URL(url, this.#service).pathname);
    if (!sessionCall) await this.#refreshing;
    const call = currentCall();
    const send = () => {
      const headers = new Headers(init.headers);
      if (this.data && !headers.has('authorization') && !sessionCall) headers.set('authorization', `Bearer ${this.data.accessJwt}`);
      return deadlineFetch(call.signal, call.timeoutMs, call.fetch)(new URL(url, this.#service), { ...init, headers });
    };
    const response = await send();
    if (sessionCall || !this.data || !(await expiredToken(response))) return response;
    const before = this.data.accessJwt;
    await this.refresh();
    // A body that was a stream cannot be sent twice: the caller gets the first answer.
    if (!this.data || this.data.accessJwt === before || init.body instanceof ReadableStream) return response;
    return send();
  }

  /** Renews the tokens with the refresh token; a refused renewal ends the session (and throws). */
  refresh(): Promise<void> {
    this.#refreshing ??= (async () => {
      const current = this.data;
      if (!current) return;
      try {
        const { data } = await sharedAgent().com.atproto.server.refreshSession(undefined, { headers: { authorization: `Bearer ${current.refreshJwt}` } });
        this.data = { ...current, accessJwt: data.accessJwt, refreshJwt: data.refreshJwt, did: data.did, handle: data.handle, active: data.active ?? true };
      } catch (error) {
        if (isAuthFailure(error)) this.data = undefined;
        throw error;
      }
    })().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async login(identifier: string, password: string): Promise<void> {
    const { data } = await sharedAgent().com.atproto.server.createSession({ identifier, password });
    this.data = { accessJwt: data.accessJwt, refreshJwt: data.refreshJwt, did: data.did, handle: data.handle, active: data.active ?? true };
  }
}

/** Whether an answer is the PDS's "access token expired" (read from a copy of the body). */
async function expiredToken(response: Response): Promise<boolean> {
  if (response.status !== 400) return false;
  try {
    const body = (await response.clone().json()) as { error?: unknown };
    return body.error === 'ExpiredToken';
  } catch {
    return false;
  }
}

/** Sessions kept per channel and account (small objects), least recently used out. */
const SESSIONS_KEPT = 4096;
const sessions = new Map<string, ChannelSession>();

function sessionFor(channel: ConnectorChannel, credentials: Credentials): ChannelSession {
  // The account too: a channel reconnected to another account must not reuse the old one's session.
  const key = `${channel.id}|${channel.baseUrl}|${credentials.identifier ?? credentials.did ?? channel.externalAccountId ?? ''}`;
  let session = sessions.get(key);
  if (session) {
    sessions.delete(key);
  } else {
    session = new ChannelSession(channel.baseUrl);
    if (sessions.size >= SESSIONS_KEPT) sessions.delete(sessions.keys().next().value!);
  }
  sessions.set(key, session);
  return session;
}

/** Runs `work` with this call's session, signal, deadline and fetch reaching the shared agent. */
function inCall<T>(options: SessionOptions, session: ChannelSession, work: () => Promise<T>): Promise<T> {
  return callContext.run({ session, signal: options.signal, timeoutMs: options.requestTimeoutMs, fetch: options.fetch }, work);
}

function cachedSession(channel: ConnectorChannel, credentials: Credentials): AtpSessionData | undefined {
  const { accessJwt, refreshJwt } = credentials;
  const did = credentials.did ?? channel.externalAccountId ?? undefined;
  if (!accessJwt || !refreshJwt || !did) return undefined;
  return { accessJwt, refreshJwt, did, handle: credentials.handle ?? channel.handle.replace(/^@/, ''), active: true };
}

export function sessionCredentials(credentials: Credentials, session: AtpSessionData): Credentials {
  return { ...credentials, accessJwt: session.accessJwt, refreshJwt: session.refreshJwt, did: session.did, handle: session.handle };
}

/** Runs `work` with the shared agent speaking as the channel (its cached session, or a new login). */
export async function withSession<T>(options: SessionOptions, work: (agent: Agent, did: string, handle: string) => Promise<T>): Promise<SessionOutcome<T>> {
  const { channel, credentials, signal } = options;
  assertNotCancelled(signal);
  const session = sessionFor(channel, credentials);
  const cached = cachedSession(channel, credentials);
  return inCall(options, session, async () => {
    if (cached) session.data = { ...cached };
    else if (!session.data) await loginWithAppPassword(session, credentials, signal);

    // An expired access token is refreshed once by the session, inside this call. If that fails
    // too, the error is `auth`; the engine then calls `refresh` (refresh token, else app password).
    const value = await work(sharedAgent(), session.data?.did ?? cached?.did ?? '', session.data?.handle ?? cached?.handle ?? channel.handle);
    const now = session.data;
    const changed = now && (!cached || now.accessJwt !== cached.accessJwt || now.refreshJwt !== cached.refreshJwt);
    return { value, refreshedCredentials: changed ? sessionCredentials(credentials, now) : undefined };
  });
}

/** A new session (refresh token first, app password second) for the engine's `refresh`. */
export async function renewSession(options: SessionOptions): Promise<Credentials> {
  const { channel, credentials, signal } = options;
  assertNotCancelled(signal);
  const session = sessionFor(channel, credentials);
  const cached = cachedSession(channel, credentials);
  return inCall(options, session, () => renew(session, cached, credentials, signal));
}

async function renew(session: ChannelSession, cached: AtpSessionData | undefined, credentials: Credentials, signal: AbortSignal): Promise<Credentials> {
  if (cached) {
    session.data = { ...cached };
    try {
      await session.refresh();
      if (session.data && session.data.accessJwt !== cached.accessJwt) return sessionCredentials(credentials, session.data);
    } catch (error) {
      if (!isAuthFailure(error)) throw blueskyFailure(error, 'read', signal);
    }
  }
  await loginWithAppPassword(session, credentials, signal);
  return sessionCredentials(credentials, session.data!);
}

/** A fresh session from the stored app password; without one the channel needs reconnecting. */
async function loginWithAppPassword(session: ChannelSession, credentials: Credentials, signal: AbortSignal): Promise<void> {
  const { identifier, appPassword } = credentials;
  if (!identifier || !appPassword) {
    throw new ConnectorError('auth', 'missing_credentials', {
      id: 'Sesi Bluesky kedaluwarsa dan sandi aplikasi tidak tersimpan. Sambungkan ulang kanal.',
      en: 'The Bluesky session expired and no app password is stored. Reconnect the channel.',
    });
  }
  try {
    await session.login(identifier, appPassword);
  } catch (error) {
    throw blueskyFailure(error, 'read', signal);
  }
}
