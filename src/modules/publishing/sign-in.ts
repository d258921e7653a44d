/**
 * Connecting a channel by signing in at the network (OAuth 2 authorization code, with PKCE S256
 * where the network supports it):
 *
 * 1. `startSignIn` keeps a random `state` with the PKCE verifier, the channel and the person for ten
 *    minutes and gives the network's consent-page address.
 * 2. The network sends the person back to `/api/v1/oauth/callback?code&state`; `finishSignIn`
 *    checks that the state is this person's and unexpired, exchanges the code (and, where the network
 *    has one, for a long-lived token), learns the account, and stores the credentials encrypted.
 * 3. When the sign-in gives several publishing accounts (the Facebook Pages a person manages, the
 *    LinkedIn pages they administer), the grant is kept encrypted with the state and the person picks
 *    one with `chooseSignInAccount`.
 *
 * A state is used once: finishing deletes it (or, with choices pending, marks it by storing the
 * grant), so a replayed callback does nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ChannelRow, DB } from '../../db/schema.ts';
import { AppError, forbidden, invalidField } from '../../errors/errors.ts';
import type { AuditActor } from '../audit/record.ts';
import type { Network } from '../networks/limits.ts';
import { ConnectorError, type Connector, type OAuthClient, type OAuthGrant } from './connector.ts';
import { connectChannel } from './connect-channel.ts';
import type { Keyring } from './keyring.ts';

const STATE_TTL_MS = 10 * 60_000;

/** The app Siar signs in as: configured per network, or the sandbox's (which accepts any). */
export function oauthClientFor(
  network: Network,
  options: { sandbox: boolean; redirectUri: string; configured: Partial<Record<string, { clientId: string; clientSecret?: string | undefined }>> | undefined },
): OAuthClient | null {
  if (options.sandbox) return { clientId: 'siar-sandbox', clientSecret: 'siar-sandbox-secret', redirectUri: options.redirectUri };
  const app = options.configured?.[network];
  if (!app) return null;
  return { clientId: app.clientId, clientSecret: app.clientSecret ?? null, redirectUri: options.redirectUri };
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function startSignIn(options: {
  db: Kysely<DB>;
  connector: Connector;
  channel: ChannelRow;
  userId: string;
  baseUrl: string;
  sandbox: boolean;
  client: OAuthClient;
}): Promise<{ authorizeUrl: string; state: string; expiresAt: Date }> {
  const flow = options.connector.oauth;
  if (!flow) throw invalidField('network', 'jaringan ini tidak memakai masuk dengan OAuth; tempelkan token atau sandi aplikasi (this network does not sign in with OAuth; paste a token or app password)');
  const state = randomBytes(24).toString('base64url');
  const { verifier, challenge } = pkcePair();
  const expiresAt = new Date(Date.now() + STATE_TTL_MS);
  // Old, unfinished sign-ins are cleared on the way.
  await options.db.deleteFrom('oauth_states').where('expires_at', '<', new Date()).execute();
  await options.db.insertInto('oauth_states').values({
    state, channel_id: options.channel.id, user_id: options.userId, code_verifier: verifier,
    base_url: options.baseUrl, sandbox: options.sandbox, redirect_uri: options.client.redirectUri, expires_at: expiresAt,
  }).execute();
  const authorizeUrl = flow.authorizeUrl({ baseUrl: options.baseUrl, client: options.client, state, codeChallenge: challenge });
  return { authorizeUrl, state, expiresAt };
}

export type SignInOutcome =
  | { kind: 'connected'; channel: ChannelRow }
  | { kind: 'choose'; channelId: string; state: string; accounts: { externalAccountId: string; handle: string; name: string }[] };

/** A sign-in state that belongs to this person and has not expired (else a clear error). */
async function takeState(db: Kysely<DB>, state: string, userId: string) {
  // States are base64url; anything else (a mangled or hostile address) is simply unknown.
  const row = /^[A-Za-z0-9_-]{1,200}$/.test(state) ? await db.selectFrom('oauth_states').selectAll().where('state', '=', state).executeTakeFirst() : undefined;
  if (!row || row.expires_at.getTime() < Date.now()) {
    throw new AppError('validation.invalid', { details: { issues: [{ path: 'state', message: 'proses masuk sudah kedaluwarsa atau tidak dikenal; mulai lagi dari halaman kanal (the sign-in expired or is unknown; start again from the channel page)' }] } });
  }
  if (row.user_id !== userId) throw forbidden();
  return row;
}

export async function finishSignIn(options: {
  db: Kysely<DB>;
  keyring: Keyring;
  connectorFor: (network: Network) => Connector | undefined;
  loadConnector: (connector: Connector) => Promise<Connector>;
  state: string;
  code: string | undefined;
  error: string | undefined;
  userId: string;
  client: (network: Network, row: { sandbox: boolean; redirect_uri: string }) => OAuthClient | null;
  origin: AuditActor;
}): Promise<SignInOutcome> {
  const { db } = options;
  const row = await takeState(db, options.state, options.userId);
  if (row.grant_enc) throw invalidField('state', 'akun sudah diizinkan; pilih akun yang akan dihubungkan (already signed in; choose the account to connect)');
  // From here the state is spent, whatever happens: a replayed callback must not be exchanged twice.
  await db.deleteFrom('oauth_states').where('state', '=', row.state).execute();
  if (options.error || !options.code) {
    throw invalidField('code', options.error === 'access_denied'
      ? 'izin ditolak di halaman jaringan; kanal tidak dihubungkan (permission was denied at the network; the channel was not connected)'
      : `jaringan tidak memberi izin (${options.error ?? 'tanpa kode'}) (the network did not grant access)`);
  }
  const channel = await db.selectFrom('channels').selectAll().where('id', '=', row.channel_id).executeTakeFirstOrThrow();
  const network = channel.network as Network;
  const lazyConnector = options.connectorFor(network);
  if (!lazyConnector) throw invalidField('network', 'Siar belum bisa menerbitkan ke jaringan ini (no connector for this network yet)');
  const connector = await options.loadConnector(lazyConnector);
  const client = options.client(network, row);
  if (!connector.oauth || !client) throw invalidField('network', 'aplikasi jaringan ini belum dikonfigurasi (SIAR_OAUTH_CLIENTS) (no app is configured for this network)');
  let grant: OAuthGrant;
  try {
    grant = await connector.oauth.exchangeCode({ baseUrl: row.base_url, client, code: options.code, codeVerifier: row.code_verifier, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    if (error instanceof ConnectorError) {
      throw new AppError('validation.invalid', { details: { issues: [{ path: 'code', message: `${error.reason.id} (${error.reason.en})` }] }, cause: error });
    }
    throw error;
  }
  const accounts = grant.accounts ?? [];
  if (accounts.length > 1) {
    // The person picks; the grant waits, encrypted, bound to this state.
    await db.insertInto('oauth_states').values({
      ...row, grant_enc: options.keyring.encrypt(JSON.stringify(grant), `oauth:${row.state}`), expires_at: new Date(Date.now() + STATE_TTL_MS),
    }).execute();
    return { kind: 'choose', channelId: channel.id, state: row.state, accounts: accounts.map(({ externalAccountId, handle, name }) => ({ externalAccountId, handle, name })) };
  }
  const only = accounts[0];
  const connected = await connectChannel({
    db, keyring: options.keyring, connectorFor: () => connector, channel,
    input: { baseUrl: row.base_url, credentials: only?.credentials ?? grant.credentials, sandbox: row.sandbox, ...(only ? { externalAccountId: only.externalAccountId } : {}) },
    origin: options.origin,
  });
  return { kind: 'connected', channel: connected };
}

export async function pendingSignIn(db: Kysely<DB>, keyring: Keyring, state: string, userId: string) {
  const row = await takeState(db, state, userId);
  if (!row.grant_enc) throw invalidField('state', 'tidak ada pilihan akun untuk proses masuk ini (this sign-in has no accounts to choose from)');
  const grant = JSON.parse(keyring.decrypt(row.grant_enc, `oauth:${row.state}`)) as OAuthGrant;
  return { row, grant };
}

export async function chooseSignInAccount(options: {
  db: Kysely<DB>;
  keyring: Keyring;
  connectorFor: (network: Network) => Connector | undefined;
  state: string;
  userId: string;
  externalAccountId: string;
  origin: AuditActor;
}): Promise<ChannelRow> {
  const { row, grant } = await pendingSignIn(options.db, options.keyring, options.state, options.userId);
  const account = (grant.accounts ?? []).find((a) => a.externalAccountId === options.externalAccountId);
  if (!account) throw invalidField('externalAccountId', 'akun ini tidak ada di antara pilihan (this account is not among the choices)');
  const channel = await options.db.selectFrom('channels').selectAll().where('id', '=', row.channel_id).executeTakeFirstOrThrow();
  const connected = await connectChannel({ db: options.db, keyring: options.keyring, connectorFor: options.connectorFor, channel, input: { baseUrl: row.base_url, credentials: account.credentials, sandbox: row.sandbox, externalAccountId: account.externalAccountId }, origin: options.origin });
  await options.db.deleteFrom('oauth_states').where('state', '=', row.state).execute();
  return connected;
}
