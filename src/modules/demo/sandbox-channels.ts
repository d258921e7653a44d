/**
 * Practice accounts: channels connected to Siar's network sandbox instead of the real networks.
 * The demo's channels are connected to it on the first start; on every start the sandbox (which
 * keeps nothing across restarts) gets back the accounts Siar's channels hold, with the same
 * identities and credentials, at its current address.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { credentialColumns } from '../publishing/channel-tokens.ts';
import { decryptCredentials } from '../publishing/credentials.ts';
import type { Keyring } from '../publishing/keyring.ts';
import type { Sandbox, SandboxNetwork } from '../sandbox/index.ts';

/** The networks this sandbox simulates (its server has an address). */
const simulated = (sandbox: Sandbox): string[] => Object.entries(sandbox.urls).filter(([name, url]) => name !== 'web' && url !== '').map(([name]) => name);

/** The account name on the sandbox: "@diskominfo@sosial.example" → "diskominfo", "@info_kaltim" → "info_kaltim". */
const accountName = (handle: string): string => handle.replace(/^@/, '').split('@')[0]!;

/** Networks whose sandbox gives the account a handle of its own form (Bluesky adds its domain). */
const OWN_HANDLE = new Set(['bluesky']);

/** Re-creates the sandbox accounts of every sandbox channel; returns how many. */
export async function restoreSandboxChannels(db: Kysely<DB>, keyring: Keyring, sandbox: Sandbox): Promise<number> {
  const channels = await db.selectFrom('channels').selectAll().where('sandbox', '=', true).where('credentials_enc', 'is not', null).execute();
  let restored = 0;
  for (const channel of channels) {
    if (!simulated(sandbox).includes(channel.network) || !channel.external_account_id) continue;
    const network = channel.network as SandboxNetwork;
    sandbox.restoreAccount(network, {
      handle: OWN_HANDLE.has(network) ? channel.handle : accountName(channel.handle),
      displayName: channel.name,
      restore: { id: channel.id, credentials: decryptCredentials(keyring, channel), externalAccountId: channel.external_account_id },
    });
    await db.updateTable('channels').set({ base_url: sandbox.urls[network] }).where('id', '=', channel.id).execute();
    restored += 1;
  }
  return restored;
}

/** Connects the channels that are not connected yet (the demo's) to new sandbox accounts. */
export async function connectDemoChannels(db: Kysely<DB>, keyring: Keyring, sandbox: Sandbox): Promise<number> {
  const networks = simulated(sandbox);
  if (networks.length === 0) return 0;
  const channels = await db.selectFrom('channels').selectAll().where('connection', '=', 'unconnected').where('network', 'in', networks as never[]).execute();
  for (const channel of channels) {
    const network = channel.network as SandboxNetwork;
    const account = sandbox.createAccount(network, { handle: accountName(channel.handle), displayName: channel.name });
    await db.updateTable('channels').set({
      handle: OWN_HANDLE.has(network) ? account.handle : channel.handle,
      base_url: account.baseUrl,
      external_account_id: account.externalAccountId,
      ...credentialColumns(keyring, channel.id, account.credentials, new Date()),
      connection: 'connected',
      connected_at: new Date(),
      sandbox: true,
    }).where('id', '=', channel.id).execute();
  }
  return channels.length;
}
