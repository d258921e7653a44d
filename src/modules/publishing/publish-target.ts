/**
 * Publishing one target (a variant going to one channel), exactly once:
 *
 * 1. Take a rate-limit token for the account (and the network app), or come back when one is due.
 * 2. Claim the target in a transaction (claim.ts): it must still be due and not ended; the attempt
 *    is recorded as started *before* anything is sent. A target already "publishing" from a worker
 *    that vanished, or whose last attempt ended uncertain, is looked up rather than sent again.
 * 3. Call the network through its connector, with a time limit.
 * 4. Write the outcome: published (with links), failed with a reason a person understands, retry
 *    later (transient: 429, 5xx, network down — exponential backoff with jitter, honouring
 *    Retry-After), or uncertain (timeout, connection lost: look it up, never blind-retry).
 *    Expired credentials are refreshed once; if that fails the channel needs reconnecting, its
 *    unit's admins are told, and other channels carry on.
 *
 * Steps 1, 2 and 4 are database work that the targets a process publishes side by side share:
 * group commit gathers them into batches (a burst of 10,000 targets costs a few hundred
 * transactions, not tens of thousands), while each target still succeeds or fails on its own.
 */
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { Kysely } from 'kysely';
import type { ChannelRow, DB, PostStatus, PostTargetRow } from '../../db/schema.ts';
import type { MediaStorage } from '../media/storage.ts';
import type { Network } from '../networks/limits.ts';
import { MAX_ATTEMPTS, retryDelayMs } from './backoff.ts';
import { ConnectorError, type Connector, type ConnectorChannel, type Credentials, type OutgoingMedia, type PublishRequest, type PublishResult } from './connector.ts';
import { freshCredentials, markNeedsReconnect, saveCredentials } from './channel-tokens.ts';
import { claimTargets, type ClaimAnswer, type Claimed, type ClaimRequest } from './claim.ts';
import { GroupCommit } from '../../db/group-commit.ts';
import type { Keyring } from './keyring.ts';
import { recordTargetEnds, type TargetEnd, type TargetEndRecord } from './outcome.ts';
import { blockBucket, bucketsFor, correctBucket, takeTokensMany } from './rate-limit.ts';

/** A "publishing" target older than this with no outcome belongs to a worker that is gone. */
export const STALE_ATTEMPT_MS = 90_000;
export const CALL_TIMEOUT_MS = 30_000;
/** A network's answer saying this few publishes are left corrects the account's bucket. */
export const LOW_WINDOW = 5;

/** The deadline of one publish: the engine's, or longer where the connector needs it (video, containers). */
export function callTimeoutFor(deps: Pick<EngineDeps, 'callTimeoutMs'>, connector: Pick<Connector, 'callTimeoutMs'> | undefined): number {
  return Math.max(deps.callTimeoutMs ?? CALL_TIMEOUT_MS, connector?.callTimeoutMs ?? 0);
}

/**
 * When a "publishing" target is taken over: the configured stale time, which exceeds the call
 * limit; a connector with a longer limit keeps the same margin after its own.
 */
export function staleFor(deps: Pick<EngineDeps, 'callTimeoutMs' | 'staleMs'>, connector: Pick<Connector, 'callTimeoutMs'> | undefined): number {
  const stale = deps.staleMs ?? STALE_ATTEMPT_MS;
  const call = deps.callTimeoutMs ?? CALL_TIMEOUT_MS;
  return Math.max(stale, callTimeoutFor(deps, connector) + Math.max(1_000, stale - call));
}

export interface EngineDeps {
  db: Kysely<DB>;
  keyring: Keyring;
  storage: MediaStorage;
  /** Start of public media URLs (`https://…/media/files/`). */
  filesBase: string;
  connectorFor: (network: Network) => Connector | undefined;
  /** Asks for this target to be tried again at a time (a pg-boss job in production). */
  requeue: (targetId: string, at: Date, reason: string) => Promise<void>;
  now?: () => Date;
  worker?: string;
  callTimeoutMs?: number;
  /** Tests shorten the waits; production uses the defaults. */
  retryBaseMs?: number;
  lookupDelayMs?: number;
  /** After this long a "publishing" target with no outcome is taken over (default STALE_ATTEMPT_MS). */
  staleMs?: number;
}

export type RunResult =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'deferred'; until: Date; reason: string }
  | { outcome: TargetEnd['kind'] };

const reason = (id: string, en: string) => ({ id, en });

interface StartRequest extends Omit<ClaimRequest, 'staleMs'> {
  /** The stale time for the target's network (it depends on the connector). */
  staleFor: (network: Network) => number;
}

/**
 * The database work of publishing, gathered across the targets a process publishes side by side
 * (group-commit.ts): starting (rate-limit tokens, then the claim) and recording outcomes each take a
 * few statements per batch instead of per target. One pair per database handle.
 */
interface Batches {
  start: GroupCommit<StartRequest, ClaimAnswer>;
  end: GroupCommit<TargetEndRecord, { postStatus: PostStatus }>;
}

const batchesByDb = new WeakMap<Kysely<DB>, Batches>();

function batchesFor(db: Kysely<DB>): Batches {
  let batches = batchesByDb.get(db);
  if (!batches) {
    batches = {
      start: new GroupCommit((requests) => startTargets(db, requests), { maxBatch: 200, parallel: 2 }),
      end: new GroupCommit((records) => recordTargetEnds(db, records), { maxBatch: 200, parallel: 2 }),
    };
    batchesByDb.set(db, batches);
  }
  return batches;
}

/** Takes the rate-limit tokens of a batch of targets, then claims those that got them. */
async function startTargets(db: Kysely<DB>, requests: readonly StartRequest[]): Promise<ClaimAnswer[]> {
  const peeked = new Map((await db.selectFrom('post_targets').innerJoin('channels', 'channels.id', 'post_targets.channel_id')
    .select(['post_targets.id', 'post_targets.status', 'post_targets.channel_id', 'channels.network'])
    .where('post_targets.id', 'in', [...new Set(requests.map((r) => r.targetId))]).execute()).map((row) => [row.id, row]));
  const answers: (ClaimAnswer | undefined)[] = requests.map((request) => {
    const peek = peeked.get(request.targetId);
    if (!peek) return { skip: 'target gone' };
    if (peek.status === 'published' || peek.status === 'failed' || peek.status === 'cancelled') return { skip: `target ${peek.status}` };
    return undefined;
  });
  const open = requests.flatMap((request, i) => (answers[i] ? [] : [{ request, i, peek: peeked.get(request.targetId)! }]));
  const waits = await takeTokensMany(db, open.map(({ peek }) => bucketsFor(peek.network as Network, peek.channel_id)));
  const claimable = open.filter((entry, k) => {
    if (waits[k]! === 0) return true;
    answers[entry.i] = { wait: new Date(entry.request.now.getTime() + waits[k]!), why: 'rate limit' };
    return false;
  });
  if (claimable.length > 0) {
    const claimed = await claimTargets(db, claimable.map(({ request, peek }) => ({
      targetId: request.targetId, now: request.now, worker: request.worker, staleMs: request.staleFor(peek.network as Network),
    })));
    claimable.forEach((entry, k) => { answers[entry.i] = claimed[k]; });
  }
  return answers as ClaimAnswer[];
}

async function outgoingMedia(deps: EngineDeps, target: PostTargetRow, mediaIds: string[], network: Network): Promise<OutgoingMedia[]> {
  if (mediaIds.length === 0) return [];
  const rows = await deps.db.selectFrom('media').innerJoin('post_media', 'post_media.media_id', 'media.id')
    .select(['media.id', 'media.storage_key', 'media.mime', 'media.width', 'media.height', 'media.renditions', 'post_media.alt'])
    .where('post_media.post_id', '=', target.post_id).where('media.id', 'in', mediaIds).execute();
  return mediaIds.map((id) => rows.find((r) => r.id === id)).filter((r) => r !== undefined).map((row) => {
    const renditions = (typeof row.renditions === 'string' ? JSON.parse(row.renditions) : row.renditions) as Record<string, { key: string; mime: string; width: number; height: number } | undefined>;
    const own = renditions[network];
    const key = own?.key ?? row.storage_key;
    return {
      url: deps.filesBase + key,
      read: async () => buffer(deps.storage.read(key) as Readable),
      mime: own?.mime ?? row.mime,
      alt: row.alt,
      width: own?.width ?? row.width,
      height: own?.height ?? row.height,
    };
  });
}

function channelOf(row: ChannelRow): ConnectorChannel {
  return { id: row.id, network: row.network as Network, handle: row.handle, externalAccountId: row.external_account_id, baseUrl: row.base_url ?? '' };
}

/** Runs one connector call under the time limit; an abort by the limit counts as an uncertain outcome. */
async function withTimeout<T>(ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('timeout')), ms);
  try {
    return await call(controller.signal);
  } catch (error) {
    if (controller.signal.aborted && !(error instanceof ConnectorError && error.kind !== 'uncertain')) {
      throw new ConnectorError('uncertain', 'timeout', reason('Jaringan tidak menjawab tepat waktu; Siar memeriksa apakah postingan sudah tayang sebelum mencoba lagi.', 'The network did not answer in time; Siar checks whether the post went out before trying again.'), { cause: error });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

export async function publishTarget(deps: EngineDeps, targetId: string): Promise<RunResult> {
  const now = deps.now?.() ?? new Date();
  const worker = deps.worker ?? `pid:${process.pid}`;
  const batches = batchesFor(deps.db);
  const claimed = await batches.start.run({ targetId, now, worker, staleFor: (network) => staleFor(deps, deps.connectorFor(network)) });
  if ('skip' in claimed) return { outcome: 'skipped', reason: claimed.skip };
  if ('wait' in claimed) {
    await deps.requeue(targetId, claimed.wait, claimed.why);
    return { outcome: 'deferred', until: claimed.wait, reason: claimed.why };
  }
  const end = await attempt(deps, claimed, claimed.channel.network as Network, now);
  await batches.end.run({ targetId, attemptId: claimed.attemptId, end, now: deps.now?.() ?? new Date() });
  if (end.kind === 'retry') await deps.requeue(targetId, end.at, end.code);
  // An uncertain outcome is looked up shortly, by a run of its own.
  if (end.kind === 'uncertain') await deps.requeue(targetId, new Date(now.getTime() + (deps.lookupDelayMs ?? 5_000)), 'look up');
  return { outcome: end.kind };
}

async function attempt(deps: EngineDeps, claimed: Claimed, network: Network, now: Date): Promise<TargetEnd> {
  const { target, channel } = claimed;
  const connector = deps.connectorFor(network);
  if (!connector) return { kind: 'failed', code: 'no_connector', reason: reason(`Siar belum bisa menerbitkan ke ${network}.`, `Siar cannot publish to ${network} yet.`) };
  if (channel.connection !== 'connected' || !channel.credentials_enc) {
    return { kind: 'failed', code: 'channel_not_connected', reason: reason('Akun ini belum terhubung atau perlu dihubungkan ulang. Hubungkan akun, lalu coba lagi.', 'This account is not connected or needs reconnecting. Connect it, then try again.') };
  }
  const { variant } = claimed;
  if (!variant) return { kind: 'failed', code: 'variant_missing', reason: reason(`Postingan ini tidak punya versi untuk ${network}; sunting postingan dan jadwalkan lagi.`, `This post has no version for ${network}; edit the post and schedule it again.`) };
  let credentials: Credentials = {};
  const parts = variant.parts.length > 1 ? variant.parts : [variant.text];
  const request = (signal: AbortSignal): PublishRequest => ({
    channel: channelOf(channel),
    credentials,
    targetId: target.id,
    attempt: claimed.attempt,
    parts,
    title: variant.title,
    media: [],
    firstComment: variant.first_comment,
    firstAttemptAt: claimed.firstAttemptAt,
    signal,
  });
  const media = await outgoingMedia(deps, target, variant.media_ids, network);
  const timeout = callTimeoutFor(deps, connector);
  const text = parts.join('\n\n');

  const publishOnce = async (): Promise<PublishResult> => withTimeout(timeout, (signal) => connector.publish({ ...request(signal), credentials, media }));
  try {
    credentials = await withTimeout(timeout, (signal) => freshCredentials(deps, channel, connector, { signal }));
    if (claimed.verify && !connector.idempotent) {
      const found = await withTimeout(timeout, (signal) => connector.findPublished({ ...request(signal), credentials, media }));
      if (found) return { kind: 'published', result: found, text, found: true };
      if (connector.verifiable === false) {
        return {
          kind: 'failed',
          code: 'uncertain_unverifiable',
          reason: reason('Postingan mungkin sudah terkirim, tetapi jaringan ini tidak bisa diperiksa. Periksa kanal sebelum mengirim ulang.', 'The post may have gone out, but this network cannot be checked. Look at the channel before sending again.'),
        };
      }
    }
    let result: PublishResult;
    try {
      result = await publishOnce();
    } catch (error) {
      if (!(error instanceof ConnectorError) || error.kind !== 'auth' || !connector.refresh) throw error;
      // Refused credentials: renew once (or take the token another process just renewed), send again.
      const refused = credentials;
      credentials = await withTimeout(timeout, (signal) => freshCredentials(deps, channel, connector, { signal, force: true, stale: refused }));
      result = await publishOnce();
    }
    if (result.refreshedCredentials) await saveCredentials(deps, channel.id, result.refreshedCredentials);
    // Only a window running low is worth a write: in a burst within the limits nothing is spent on it.
    if (result.rateWindow && result.rateWindow.remaining <= LOW_WINDOW) await correctBucket(deps.db, `account:${channel.id}`, result.rateWindow);
    return { kind: 'published', result, text };
  } catch (error) {
    return failureEnd(deps, error, claimed, channel, now);
  }
}

async function failureEnd(deps: EngineDeps, error: unknown, claimed: Claimed, channel: ChannelRow, now: Date): Promise<TargetEnd> {
  if (!(error instanceof ConnectorError)) {
    // Not the network's answer (a bug, the storage): the call may or may not have happened.
    return { kind: 'uncertain', code: 'unexpected', reason: reason('Terjadi kesalahan tak terduga saat menerbitkan; Siar memeriksa sebelum mencoba lagi.', 'Something unexpected happened while publishing; Siar checks before trying again.') };
  }
  switch (error.kind) {
    case 'permanent':
      return { kind: 'failed', code: error.code, reason: error.reason };
    case 'uncertain':
      return { kind: 'uncertain', code: error.code, reason: error.reason };
    case 'auth': {
      await markNeedsReconnect(deps.db, channel, error.reason);
      return { kind: 'failed', code: 'needs_reconnect', reason: reason(`Akun ${channel.handle} perlu dihubungkan ulang (${error.reason.id}). Setelah itu, coba terbitkan lagi.`, `The account ${channel.handle} needs reconnecting (${error.reason.en}). Then try publishing again.`) };
    }
    case 'transient': {
      if (error.retryAfterMs !== undefined) await blockBucket(deps.db, `account:${channel.id}`, error.retryAfterMs);
      if (claimed.attempt >= MAX_ATTEMPTS) {
        return { kind: 'failed', code: error.code, reason: reason(`Gagal setelah ${claimed.attempt} percobaan: ${error.reason.id}`, `Failed after ${claimed.attempt} attempts: ${error.reason.en}`) };
      }
      return { kind: 'retry', at: new Date(now.getTime() + retryDelayMs(claimed.attempt, error.retryAfterMs, Math.random, deps.retryBaseMs)), code: error.code, reason: error.reason };
    }
  }
}
