/**
 * A Bluesky session for one connector call. Credentials hold the app password (`identifier`,
 * `appPassword`) and the cached session (`accessJwt`, `refreshJwt`, `did`, `handle`): a call
 * resumes the cached session without a network round trip, because `createSession` is limited
 * (30 per 5 minutes, 300 a day). When the access token has expired, @atproto/api's session manager
 * refreshes it once by itself and repeats the request; if that fails too the call reports `auth`,
 * and the engine's `refresh` (refresh token first, app password second) gets a new session. A
 * changed session goes back to the engine as `refreshedCredentials`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { AtpAgent } from '@atproto/api';
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
 * One agent per channel, kept: building an AtpAgent compiles every lexicon schema (about 5 ms of
 * CPU each time), which dominated publishing to many Bluesky accounts. Each call's signal and
 * deadline reach the agent's requests through AsyncLocalStorage, so calls of one channel running
 * side by side keep their own. At most AGENTS_KEPT agents (about 0.3 MB each), least recently used out.
 */
const AGENTS_KEPT = 256;
const agents = new Map<string, AtpAgent>();
const callContext = new AsyncLocalStorage<{ signal: AbortSignal; timeoutMs: number; fetch: typeof globalThis.fetch | undefined }>();

function agentFor(channel: ConnectorChannel, credentials: Credentials): AtpAgent {
  // The account too: a channel reconnected to another account must not reuse the old one's session.
  const key = `${channel.id}|${channel.baseUrl}|${credentials.identifier ?? credentials.did ?? channel.externalAccountId ?? ''}`;
  let agent = agents.get(key);
  if (agent) {
    agents.delete(key);
  } else {
    agent = new AtpAgent({
      service: channel.baseUrl,
      fetch: (input, init) => {
        const call = callContext.getStore();
        if (!call) throw new Error('a Bluesky request outside a connector call');
        return deadlineFetch(call.signal, call.timeoutMs, call.fetch)(input, init);
      },
    });
    if (agents.size >= AGENTS_KEPT) agents.delete(agents.keys().next().value!);
  }
  agents.set(key, agent);
  return agent;
}

/** Runs `work` with this call's signal, deadline and fetch reaching the channel's agent. */
function inCall<T>(options: SessionOptions, work: () => Promise<T>): Promise<T> {
  return callContext.run({ signal: options.signal, timeoutMs: options.requestTimeoutMs, fetch: options.fetch }, work);
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

/** Runs `work` with an agent holding the cached session, or a new one when none is cached. */
export async function withSession<T>(options: SessionOptions, work: (agent: AtpAgent, did: string) => Promise<T>): Promise<SessionOutcome<T>> {
  const { channel, credentials, signal } = options;
  assertNotCancelled(signal);
  const agent = agentFor(channel, credentials);
  const cached = cachedSession(channel, credentials);
  return inCall(options, async () => {
    if (cached) agent.sessionManager.session = { ...cached };
    else if (!agent.session) await loginWithAppPassword(agent, credentials, signal);

    // An expired access token is refreshed once by @atproto/api's session manager, inside this call.
    // If that fails too, the error is `auth`; the engine then calls `refresh` (refresh token, else app password).
    const value = await work(agent, agent.session?.did ?? cached?.did ?? '');
    const session = agent.session;
    const changed = session && (!cached || session.accessJwt !== cached.accessJwt || session.refreshJwt !== cached.refreshJwt);
    return { value, refreshedCredentials: changed ? sessionCredentials(credentials, session) : undefined };
  });
}

/** A new session (refresh token first, app password second) for the engine's `refresh`. */
export async function renewSession(options: SessionOptions): Promise<Credentials> {
  const { channel, credentials, signal } = options;
  assertNotCancelled(signal);
  const agent = agentFor(channel, credentials);
  const cached = cachedSession(channel, credentials);
  return inCall(options, () => renew(agent, cached, credentials, signal));
}

async function renew(agent: AtpAgent, cached: AtpSessionData | undefined, credentials: Credentials, signal: AbortSignal): Promise<Credentials> {
  if (cached) {
    agent.sessionManager.session = { ...cached };
    try {
      await agent.sessionManager.refreshSession();
      if (agent.session && agent.session.accessJwt !== cached.accessJwt) return sessionCredentials(credentials, agent.session);
    } catch (error) {
      if (!isAuthFailure(error)) throw blueskyFailure(error, 'read', signal);
    }
  }
  await loginWithAppPassword(agent, credentials, signal);
  return sessionCredentials(credentials, agent.session!);
}

/** A fresh session from the stored app password; without one the channel needs reconnecting. */
async function loginWithAppPassword(agent: AtpAgent, credentials: Credentials, signal: AbortSignal): Promise<void> {
  const { identifier, appPassword } = credentials;
  if (!identifier || !appPassword) {
    throw new ConnectorError('auth', 'missing_credentials', {
      id: 'Sesi Bluesky kedaluwarsa dan sandi aplikasi tidak tersimpan. Sambungkan ulang kanal.',
      en: 'The Bluesky session expired and no app password is stored. Reconnect the channel.',
    });
  }
  try {
    await agent.login({ identifier, password: appPassword });
  } catch (error) {
    throw blueskyFailure(error, 'read', signal);
  }
}
