/**
 * Signing in at a network (OAuth 2 + PKCE) and keeping tokens fresh, with a scripted network: the
 * state ties the answer to the person and channel, is used once and expires; several accounts
 * (Facebook Pages) wait for the person's choice; the refresh job renews tokens a week ahead and
 * marks a channel "needs reconnecting" (telling its admins) when the network refuses.
 * The real networks' consent pages and token endpoints are exercised in each connector's tests
 * against the sandbox.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';
import { ConnectorError, type Connector, type OAuthGrant } from './connector.ts';
import { decryptCredentials, encryptCredentials } from './credentials.ts';
import { refreshExpiringTokens } from './refresh-tokens.ts';

class SignInNetwork implements Connector {
  readonly network = 'x' as const;
  readonly idempotent = false;
  readonly defaultBaseUrl = 'https://api.net.example';
  exchanges: { code: string; codeVerifier: string; redirectUri: string }[] = [];
  challenges = new Map<string, string>();
  grant: () => OAuthGrant = () => ({ credentials: { accessToken: 'akses-1', refreshToken: 'segar-1', expiresAt: new Date(Date.now() + 7_200_000).toISOString() } });
  refreshes = 0;
  refuseRefresh = false;

  readonly oauth = {
    pkce: true,
    scopes: ['tweet.write'],
    authorizeUrl: (input: { baseUrl: string; client: { clientId: string; redirectUri: string }; state: string; codeChallenge: string }) => {
      this.challenges.set(input.state, input.codeChallenge);
      return `${input.baseUrl}/authorize?${new URLSearchParams({ client_id: input.client.clientId, state: input.state, code_challenge: input.codeChallenge, redirect_uri: input.client.redirectUri })}`;
    },
    exchangeCode: async (input: { code: string; codeVerifier: string; client: { redirectUri: string } }) => {
      this.exchanges.push({ code: input.code, codeVerifier: input.codeVerifier, redirectUri: input.client.redirectUri });
      return this.grant();
    },
  };

  async publish(): Promise<never> {
    throw new Error('not in this test');
  }
  async findPublished() {
    return null;
  }
  async remove() {}
  async verify(request: { credentials: Record<string, string> }) {
    return { externalAccountId: `akun-${request.credentials.accessToken}`, handle: `@${request.credentials.accessToken}`, name: 'Humas', avatarUrl: null };
  }
  async refresh(request: { credentials: Record<string, string> }) {
    this.refreshes += 1;
    if (this.refuseRefresh) throw new ConnectorError('permanent', 'invalid_grant', { id: 'Izin aplikasi dicabut.', en: 'App access revoked.' });
    return { accessToken: `akses-r${this.refreshes}`, refreshToken: `${request.credentials.refreshToken}-r`, expiresAt: new Date(Date.now() + 60 * 86_400_000).toISOString() };
  }
}

describe('signing in at a network and keeping tokens fresh', () => {
  let server: TestServer;
  let unit: string;
  let admin: Person;
  let other: Person;
  const network = new SignInNetwork();

  before(async () => {
    server = await startTestServer({ demo: false, config: { oauthClients: { x: { clientId: 'siar-app', clientSecret: 'rahasia' } }, publicUrl: 'https://siar.kaltim.example' } });
    server.siar.services.connectors = (n) => (n === 'x' ? network : undefined);
    unit = await makeUnit(server, await topUnitId(server), 'agency', 'Dinas Masuk');
    admin = await makePerson(server, unit, 'admin', 'Admin Masuk');
    other = await makePerson(server, unit, 'admin', 'Admin Lain');
  });
  after(() => server.close());

  async function channel(handle: string): Promise<string> {
    const created = await admin.client.post('/api/v1/channels', { unitId: unit, network: 'x', name: `Akun ${handle}`, handle });
    assert.equal(created.statusCode, 201, created.body);
    return created.json().id;
  }

  async function start(channelId: string, who = admin): Promise<{ state: string; url: URL }> {
    const started = await who.client.post(`/api/v1/channels/${channelId}/sign-in`, {});
    assert.equal(started.statusCode, 200, started.body);
    const url = new URL(started.json().authorizeUrl);
    return { state: url.searchParams.get('state')!, url };
  }

  test('consent page with PKCE; the answer connects the channel with its token and expiry, stored encrypted', async () => {
    const id = await channel('@humasdinas');
    const { state, url } = await start(id);
    assert.equal(url.origin, 'https://api.net.example');
    assert.equal(url.searchParams.get('client_id'), 'siar-app');
    assert.equal(url.searchParams.get('redirect_uri'), 'https://siar.kaltim.example/api/v1/oauth/callback');

    const back = await admin.client.get(`/api/v1/oauth/callback?state=${state}&code=kode-1`);
    assert.equal(back.statusCode, 302);
    assert.equal(back.headers.location, `/admin/content-settings?signIn=connected&channel=${id}`);
    const exchange = network.exchanges.at(-1)!;
    assert.equal(exchange.code, 'kode-1');
    // The verifier sent with the code is the one whose S256 hash went to the consent page.
    assert.equal(createHash('sha256').update(exchange.codeVerifier).digest('base64url'), network.challenges.get(state));

    const row = await server.siar.services.db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.connection, 'connected');
    assert.equal(row.external_account_id, 'akun-akses-1');
    assert.doesNotMatch(row.credentials_enc!, /akses-1|segar-1/);
    assert.equal(decryptCredentials(server.siar.services.keyring, row).refreshToken, 'segar-1');
    assert.ok(row.token_expires_at && Math.abs(row.token_expires_at.getTime() - (Date.now() + 7_200_000)) < 60_000);

    // The same answer again (a reload, a replay) does nothing.
    const exchanges = network.exchanges.length;
    const replay = await admin.client.get(`/api/v1/oauth/callback?state=${state}&code=kode-1`);
    assert.match(replay.headers.location as string, /signIn=error/);
    assert.equal(network.exchanges.length, exchanges);
  });

  test('another person’s sign-in, a refusal at the network, an unknown state: nothing connected, a clear message', async () => {
    const id = await channel('@humasdua');
    const { state } = await start(id);
    const stolen = await other.client.get(`/api/v1/oauth/callback?state=${state}&code=kode-curian`);
    assert.match(stolen.headers.location as string, /signIn=error/);
    const denied = await start(id);
    const refused = await admin.client.get(`/api/v1/oauth/callback?state=${denied.state}&error=access_denied`);
    const message = new URL(refused.headers.location as string, 'http://x').searchParams.get('message')!;
    assert.match(message, /izin ditolak/);
    // Signed out meanwhile: to the sign-in page, which brings the person back to this same answer.
    const signedOut = await server.app.inject({ method: 'GET', url: `/api/v1/oauth/callback?state=${denied.state}&code=kode-2` });
    assert.equal(signedOut.statusCode, 302);
    const login = new URL(signedOut.headers.location as string, 'http://x');
    assert.equal(login.pathname, '/admin/login');
    assert.equal(login.searchParams.get('next'), `/api/v1/oauth/callback?state=${denied.state}&code=kode-2`);
    const unknown = await admin.client.get('/api/v1/oauth/callback?state=tidak-ada&code=x');
    assert.match(new URL(unknown.headers.location as string, 'http://x').searchParams.get('message')!, /kedaluwarsa atau tidak dikenal/);
    const row = await server.siar.services.db.selectFrom('channels').select('connection').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.connection, 'unconnected');
  });

  test('a sign-in that manages several pages: the person chooses, the chosen page’s own token is stored', async () => {
    const id = await channel('@humastiga');
    network.grant = () => ({
      credentials: { accessToken: 'pengguna' },
      accounts: [
        { externalAccountId: 'hal-1', handle: '@diskominfo', name: 'Diskominfo Kaltim', credentials: { accessToken: 'halaman-1' } },
        { externalAccountId: 'hal-2', handle: '@biro', name: 'Biro Adpim', credentials: { accessToken: 'halaman-2' } },
      ],
    });
    const { state } = await start(id);
    const back = await admin.client.get(`/api/v1/oauth/callback?state=${state}&code=kode-3`);
    assert.equal(back.headers.location, `/admin/content-settings?signIn=choose&channel=${id}&state=${state}`);
    const pending = await admin.client.get(`/api/v1/oauth/pending/${state}`);
    assert.deepEqual(pending.json().accounts.map((a: { name: string }) => a.name), ['Diskominfo Kaltim', 'Biro Adpim']);
    assert.doesNotMatch(pending.body, /halaman-/, 'tokens never leave the server');
    assert.equal((await other.client.get(`/api/v1/oauth/pending/${state}`)).statusCode, 403);
    assert.equal((await admin.client.post(`/api/v1/oauth/pending/${state}/choose`, { externalAccountId: 'hal-9' })).statusCode, 400);
    const chosen = await admin.client.post(`/api/v1/oauth/pending/${state}/choose`, { externalAccountId: 'hal-2' });
    assert.equal(chosen.statusCode, 200, chosen.body);
    const row = await server.siar.services.db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(decryptCredentials(server.siar.services.keyring, row).accessToken, 'halaman-2');
    assert.equal((await admin.client.get(`/api/v1/oauth/pending/${state}`)).statusCode, 400, 'the choice is made once');
    network.grant = () => ({ credentials: { accessToken: 'akses-1', refreshToken: 'segar-1', expiresAt: new Date(Date.now() + 7_200_000).toISOString() } });
  });

  test('the refresh job renews tokens with less than a week left, once a day; a refused renewal needs reconnecting and tells the admins', async () => {
    const db = server.siar.services.db;
    const keyring = server.siar.services.keyring;
    const connected = async (handle: string, expiresInMs: number, refreshedAgoMs: number | null) => {
      const id = await channel(handle);
      const expiresAt = new Date(Date.now() + expiresInMs);
      await db.updateTable('channels').set({
        connection: 'connected', base_url: 'https://api.net.example', token_expires_at: expiresAt,
        token_refreshed_at: refreshedAgoMs === null ? null : new Date(Date.now() - refreshedAgoMs),
        credentials_enc: encryptCredentials(keyring, id, { accessToken: `lama-${handle}`, refreshToken: 'rt', expiresAt: expiresAt.toISOString() }),
      }).where('id', '=', id).execute();
      return id;
    };
    const soon = await connected('@segera', 2 * 86_400_000, null);
    const later = await connected('@nanti', 30 * 86_400_000, null);
    const justDone = await connected('@barusaja', 2 * 86_400_000, 3_600_000);
    const before = network.refreshes;
    const summary = await refreshExpiringTokens({ db, keyring, connectorFor: () => network });
    assert.equal(network.refreshes - before, 1);
    assert.equal(summary.renewed, 1);
    const renewed = await db.selectFrom('channels').selectAll().where('id', '=', soon).executeTakeFirstOrThrow();
    assert.ok(renewed.token_expires_at!.getTime() > Date.now() + 50 * 86_400_000);
    assert.match(decryptCredentials(keyring, renewed).accessToken!, /^akses-r/);
    for (const id of [later, justDone]) {
      const row = await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.match(decryptCredentials(keyring, row).accessToken!, /^lama-/);
    }

    network.refuseRefresh = true;
    const revoked = await connected('@dicabut', 86_400_000, null);
    const result = await refreshExpiringTokens({ db, keyring, connectorFor: () => network });
    assert.equal(result.needsReconnect, 1);
    const row = await db.selectFrom('channels').selectAll().where('id', '=', revoked).executeTakeFirstOrThrow();
    assert.equal(row.connection, 'needs_reconnect');
    assert.equal(row.connection_reason_en, 'App access revoked.');
    const notes = (await admin.client.get('/api/v1/notifications')).json().items as { kind: string; excerpt: string }[];
    assert.ok(notes.some((n) => n.kind === 'channel_needs_reconnect' && n.excerpt.includes('@dicabut')));
    network.refuseRefresh = false;
  });
});
