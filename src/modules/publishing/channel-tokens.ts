/**
 * Keeping a channel's token alive: renewed before it expires (a few minutes ahead of any call, and
 * by the daily refresh job well ahead of long-lived tokens running out), and once more when the
 * network answers 401 anyway. When renewal fails the channel "needs reconnecting" and its unit's
 * admins are told; other channels carry on.
 *
 * Only one process renews a channel at a time (a lease on the channel row): X, TikTok and others
 * rotate refresh tokens, revoking the old one on use, so two workers refreshing together would
 * leave the second holding a dead token and disconnect a healthy channel. A process that finds the
 * lease taken waits for the new token instead of asking for one itself.
 */
import { sql, type Kysely } from 'kysely';
import type { ChannelRow, DB } from '../../db/schema.ts';
import { notify } from '../notifications/notify.ts';
import type { Network } from '../networks/limits.ts';
import { unitPath } from '../units/queries.ts';
import { ConnectorError, type Connector, type ConnectorChannel, type Credentials } from './connector.ts';
import { decryptCredentials, encryptCredentials } from './credentials.ts';
import type { Keyring } from './keyring.ts';

/** Renew when a token has less than this left before a call. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** How long a renewing process holds the channel; longer than any refresh call may take. */
const LEASE_MS = 45_000;
const LEASE_POLL_MS = 250;

export interface TokenDeps {
  db: Kysely<DB>;
  keyring: Keyring;
  now?: () => Date;
}

export function expiresAtOf(credentials: Credentials): Date | null {
  const value = credentials.expiresAt;
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function connectorChannel(row: ChannelRow): ConnectorChannel {
  return { id: row.id, network: row.network as Network, handle: row.handle, externalAccountId: row.external_account_id, baseUrl: row.base_url ?? '' };
}

/** The columns that store credentials: encrypted, with their expiry (which the refresh job reads). */
export function credentialColumns(keyring: Keyring, channelId: string, credentials: Credentials, now: Date) {
  return {
    credentials_enc: encryptCredentials(keyring, channelId, credentials),
    token_expires_at: expiresAtOf(credentials),
    token_refreshed_at: now,
    updated_at: now,
  };
}

/** Keeps credentials a connector renewed on its own (Bluesky's session) without taking the lease. */
export async function saveCredentials(deps: TokenDeps, channelId: string, credentials: Credentials): Promise<void> {
  const now = deps.now?.() ?? new Date();
  await deps.db.updateTable('channels').set(credentialColumns(deps.keyring, channelId, credentials, now)).where('id', '=', channelId).execute();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Credentials fit for a call now. Renews them when they expire within `marginMs`, or always with
 * `force` (after a 401): then `stale` is the token that was refused, and a token renewed meanwhile by
 * another process is used rather than renewing again. Throws the connector's error when renewal fails.
 */
export async function freshCredentials(
  deps: TokenDeps,
  channel: ChannelRow,
  connector: Connector,
  options: { signal: AbortSignal; force?: boolean; stale?: Credentials; marginMs?: number },
): Promise<Credentials> {
  const now = () => deps.now?.() ?? new Date();
  const current = decryptCredentials(deps.keyring, channel);
  const margin = options.marginMs ?? REFRESH_MARGIN_MS;
  const dueFor = (credentials: Credentials): boolean => {
    if (options.force) return credentials.accessToken === undefined || credentials.accessToken === options.stale?.accessToken;
    const expires = expiresAtOf(credentials);
    return expires !== null && expires.getTime() - now().getTime() < margin;
  };
  if (!connector.refresh || !dueFor(current)) return current;

  const deadline = Date.now() + LEASE_MS + 5_000;
  for (;;) {
    const leased = await sql<{ credentials_enc: string | null }>`
      update channels set refresh_lease_until = now() + make_interval(secs => ${LEASE_MS / 1000})
      where id = ${channel.id} and (refresh_lease_until is null or refresh_lease_until < now())
      returning credentials_enc`.execute(deps.db);
    const row = leased.rows[0];
    if (row) {
      const latest = decryptCredentials(deps.keyring, { id: channel.id, credentials_enc: row.credentials_enc });
      let released = false;
      try {
        if (!dueFor(latest)) return latest;
        const renewed = await connector.refresh({ channel: connectorChannel(channel), credentials: latest, signal: options.signal }).catch((error: unknown) => {
          // A refused renewal (revoked, expired refresh token) means signing in again, whatever the network called it.
          if (error instanceof ConnectorError && (error.kind === 'permanent' || error.kind === 'auth')) {
            throw new ConnectorError('auth', 'refresh_failed', error.reason, { status: error.status, cause: error });
          }
          throw error;
        });
        // Saving the token and giving the lease back is one write: nobody sees one without the other.
        await deps.db.updateTable('channels')
          .set({ ...credentialColumns(deps.keyring, channel.id, renewed, now()), refresh_lease_until: null })
          .where('id', '=', channel.id).execute();
        released = true;
        return renewed;
      } finally {
        if (!released) await deps.db.updateTable('channels').set({ refresh_lease_until: null }).where('id', '=', channel.id).execute();
      }
    }
    // Someone else is renewing: wait for their token.
    await sleep(LEASE_POLL_MS);
    const reread = await deps.db.selectFrom('channels').select(['id', 'credentials_enc']).where('id', '=', channel.id).executeTakeFirst();
    if (reread) {
      const latest = decryptCredentials(deps.keyring, reread);
      if (!dueFor(latest)) return latest;
    }
    if (options.signal.aborted || Date.now() > deadline) {
      throw new ConnectorError('transient', 'refresh_busy', {
        id: 'Token akun sedang diperbarui oleh proses lain; akan dicoba lagi.',
        en: 'The account token is being renewed by another process; will try again.',
      });
    }
  }
}

/** Marks a channel "needs reconnecting" once and tells its unit's admins (and those above). */
export async function markNeedsReconnect(db: Kysely<DB>, channel: Pick<ChannelRow, 'id' | 'unit_id' | 'name' | 'handle'>, why: { id: string; en: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('channels').select('connection').where('id', '=', channel.id).forUpdate().executeTakeFirstOrThrow();
    if (current.connection === 'needs_reconnect') return;
    await trx.updateTable('channels').set({ connection: 'needs_reconnect', connection_reason: why.id, connection_reason_en: why.en, updated_at: new Date() }).where('id', '=', channel.id).execute();
    const admins = await trx.selectFrom('memberships').select('user_id').where('unit_id', 'in', await unitPath(trx, channel.unit_id)).where('role', '=', 'admin').execute();
    await notify(trx, admins.map((a) => a.user_id), { kind: 'channel_needs_reconnect', postId: null, actorId: null, excerpt: `${channel.name} (${channel.handle})` });
  });
}
