/**
 * Connecting a channel with credentials a person pastes (a Telegram bot token, a Bluesky app
 * password, a Mastodon access token) or that a sign-in at the network gave (sign-in.ts): the
 * connector checks them against the network and learns the account; only then are they stored,
 * encrypted, with their expiry.
 */
import type { Kysely } from 'kysely';
import type { ChannelRow, DB } from '../../db/schema.ts';
import { AppError, invalidField } from '../../errors/errors.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import type { Network } from '../networks/limits.ts';
import { ConnectorError, type Connector, type Credentials } from './connector.ts';
import { credentialColumns } from './channel-tokens.ts';
import type { Keyring } from './keyring.ts';

export interface ConnectInput {
  baseUrl: string;
  credentials: Credentials;
  sandbox?: boolean;
  /** The account chosen after a sign-in that gave several (a LinkedIn page rather than the member). */
  externalAccountId?: string;
}

export async function connectChannel(options: {
  db: Kysely<DB>;
  keyring: Keyring;
  connectorFor: (network: Network) => Connector | undefined;
  channel: ChannelRow;
  input: ConnectInput;
  origin: AuditActor;
}): Promise<ChannelRow> {
  const { db, channel, input } = options;
  const connector = options.connectorFor(channel.network as Network);
  if (!connector) throw invalidField('network', 'Siar belum bisa menerbitkan ke jaringan ini (no connector for this network yet)');
  let account: Awaited<ReturnType<Connector['verify']>>;
  try {
    account = await connector.verify({
      channel: { id: channel.id, network: channel.network as Network, handle: channel.handle, externalAccountId: input.externalAccountId ?? null, baseUrl: input.baseUrl },
      credentials: input.credentials,
      signal: AbortSignal.timeout(20_000),
    });
  } catch (error) {
    if (error instanceof ConnectorError) {
      throw new AppError('validation.invalid', { details: { issues: [{ path: 'credentials', message: `${error.reason.id} (${error.reason.en})` }] }, cause: error });
    }
    throw invalidField('baseUrl', `jaringan tidak bisa dihubungi (the network could not be reached): ${(error as Error).message}`);
  }
  return db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable('channels').set({
      base_url: input.baseUrl,
      external_account_id: account.externalAccountId,
      ...credentialColumns(options.keyring, channel.id, input.credentials, new Date()),
      connection: 'connected',
      connection_reason: null,
      connection_reason_en: null,
      connected_at: new Date(),
      sandbox: input.sandbox ?? false,
      // A practice account's avatar lives on the sandbox, which may not be reachable from people's browsers.
      avatar_url: channel.avatar_url ?? (input.sandbox ? null : account.avatarUrl),
      updated_at: new Date(),
    }).where('id', '=', channel.id).returningAll().executeTakeFirstOrThrow();
    // Which account was connected, never the secret.
    await recordAudit(trx, options.origin, { action: 'channel.connect', entityType: 'channel', entityId: channel.id, unitId: channel.unit_id, after: { network: channel.network, account: account.handle, externalAccountId: account.externalAccountId, baseUrl: input.baseUrl } });
    return updated;
  });
}

export async function disconnectChannel(db: Kysely<DB>, channel: ChannelRow, origin: AuditActor): Promise<ChannelRow> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable('channels').set({ credentials_enc: null, token_expires_at: null, connection: 'unconnected', connection_reason: null, connection_reason_en: null, updated_at: new Date() })
      .where('id', '=', channel.id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, origin, { action: 'channel.disconnect', entityType: 'channel', entityId: channel.id, unitId: channel.unit_id, before: { network: channel.network, handle: channel.handle } });
    return updated;
  });
}
