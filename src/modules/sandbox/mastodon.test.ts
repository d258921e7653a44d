import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRestAPIClient, createOAuthAPIClient } from 'masto';
import { startSandbox } from './index.ts';
import type { Sandbox, SandboxAccount } from './index.ts';

let sandbox: Sandbox;
let account: SandboxAccount;
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2217bc60000000049454e44ae426082', 'hex');

before(async () => {
  sandbox = await startSandbox({ limits: { mastodonMediaUploads: { limit: 3, windowSeconds: 1800 } } });
  account = sandbox.createAccount('mastodon', { handle: 'humaskaltim', displayName: 'Humas Kaltim' });
});
after(() => sandbox.close());

function client(accessToken = account.credentials.accessToken ?? '', timeout?: number) {
  return createRestAPIClient({ url: sandbox.urls.mastodon, accessToken, ...(timeout ? { timeout } : {}) });
}

test('masto: OAuth code exchange, verify credentials and instance configuration', async () => {
  const oauth = createOAuthAPIClient({ url: sandbox.urls.mastodon });
  const token = await oauth.token.create({ grantType: 'authorization_code', code: account.credentials.authorizationCode ?? '', clientId: 'x', clientSecret: 'y', redirectUri: 'urn:ietf:wg:oauth:2.0:oob' });
  const me = await client(token.accessToken).v1.accounts.verifyCredentials();
  assert.equal(me.username, 'humaskaltim');
  assert.equal(me.id, account.externalAccountId);
  const instance = await client().v2.instance.fetch();
  assert.equal(instance.configuration.statuses.maxCharacters, 500);
  assert.equal(instance.configuration.statuses.charactersReservedPerUrl, 23);
  await assert.rejects(client('wrong').v1.accounts.verifyCredentials(), (e: Error & { statusCode?: number }) => e.statusCode === 401 && e.message === 'The access token is invalid');
});

test('masto: status, two-part thread, image with alt text, read back, delete', async () => {
  const api = client();
  const media = await api.v2.media.create({ file: new Blob([png], { type: 'image/png' }), description: 'Gubernur meresmikan jembatan', skipPolling: true });
  assert.ok(media.url);
  const fetched = await api.v1.media.$select(media.id).fetch();
  assert.equal(fetched.description, 'Gubernur meresmikan jembatan');
  const first = await api.v1.statuses.create({ status: 'Bagian 1 https://kaltimprov.go.id/berita', mediaIds: [media.id], visibility: 'public' });
  const second = await api.v1.statuses.create({ status: 'Bagian 2', inReplyToId: first.id });
  assert.equal(second.inReplyToId, first.id);
  assert.equal(first.mediaAttachments[0]?.description, 'Gubernur meresmikan jembatan');
  assert.match(first.content, /<a href="https:\/\/kaltimprov.go.id\/berita"/);
  const context = await api.v1.statuses.$select(first.id).context.fetch();
  assert.deepEqual(context.descendants.map((s) => s.id), [second.id]);
  const timeline = await api.v1.accounts.$select(account.externalAccountId).statuses.list({ limit: 1 });
  assert.equal(timeline[0]?.id, second.id);
  const posts = sandbox.posts(account.id);
  assert.equal(posts[0]?.replyTo, first.id);
  assert.deepEqual(posts[1]?.media, [{ mime: 'image/png', alt: 'Gubernur meresmikan jembatan', bytes: png.length }]);
  const deleted = await api.v1.statuses.$select(second.id).remove();
  assert.equal((deleted as { text?: string }).text, 'Bagian 2');
  await assert.rejects(api.v1.statuses.$select(second.id).fetch(), (e: Error & { statusCode?: number }) => e.statusCode === 404);
  assert.equal(sandbox.posts(account.id)[0]?.deleted, true);
});

test('masto: validation errors for over-long and empty text', async () => {
  const api = client();
  await assert.rejects(api.v1.statuses.create({ status: 'a'.repeat(501) }), (e: Error & { statusCode?: number }) => e.statusCode === 422 && /character limit of 500/.test(e.message));
  await api.v1.statuses.create({ status: `${'a'.repeat(476)} https://example.com/${'x'.repeat(200)}` });
  await assert.rejects(api.v1.statuses.create({ status: '   ' }), (e: Error & { statusCode?: number }) => e.statusCode === 422);
});

test('masto: Idempotency-Key returns the same status, scoped per account', async () => {
  const other = sandbox.createAccount('mastodon', { handle: 'diskominfo', displayName: 'Diskominfo' });
  const api = client();
  const before = sandbox.stats(account.id).created;
  const headers = { 'Idempotency-Key': 'siar-post-42' };
  const a = await api.v1.statuses.create({ status: 'Sekali saja' }, { requestInit: { headers } });
  const b = await api.v1.statuses.create({ status: 'Sekali saja' }, { requestInit: { headers } });
  assert.equal(a.id, b.id);
  assert.equal(sandbox.stats(account.id).created, before + 1);
  const c = await client(other.credentials.accessToken).v1.statuses.create({ status: 'Sekali saja' }, { requestInit: { headers } });
  assert.notEqual(c.id, a.id);
});

test('masto: injected faults as the client sees them', async () => {
  const api = client(undefined, 500);
  sandbox.injectFault(account.id, { kind: 'rate_limit', retryAfterSeconds: 30, times: 1 });
  await assert.rejects(api.v1.statuses.create({ status: 'x' }), (e: Error & { statusCode?: number }) => e.statusCode === 429);
  sandbox.injectFault(account.id, { kind: 'server_error', times: 1 });
  await assert.rejects(api.v1.statuses.create({ status: 'x' }), (e: Error & { statusCode?: number }) => e.statusCode === 500);
  sandbox.injectFault(account.id, { kind: 'expired_token', times: 1 });
  await assert.rejects(api.v1.statuses.create({ status: 'x' }), (e: Error & { statusCode?: number }) => e.statusCode === 401);
  sandbox.injectFault(account.id, { kind: 'daily_cap', times: 1 });
  await assert.rejects(api.v1.statuses.create({ status: 'x' }), (e: Error & { statusCode?: number }) => e.statusCode === 429);
  const created = sandbox.stats(account.id).created;
  sandbox.injectFault(account.id, { kind: 'timeout', ms: 1500, times: 1 });
  await assert.rejects(api.v1.statuses.create({ status: 'timeout' }), (e: Error) => e.name === 'MastoTimeoutError' || /timed out/i.test(e.message));
  assert.equal(sandbox.stats(account.id).created, created);
  sandbox.injectFault(account.id, { kind: 'lost_response', times: 1 });
  await assert.rejects(api.v1.statuses.create({ status: 'hilang di jalan' }), (e: Error) => /fetch failed|socket|terminated/i.test(`${e.message} ${String(e.cause)}`));
  assert.equal(sandbox.stats(account.id).created, created + 1);
  assert.equal(sandbox.posts(account.id)[0]?.text, 'hilang di jalan');
  // Reads are not publishing endpoints: unaffected by default scope.
  sandbox.injectFault(account.id, { kind: 'server_error' });
  assert.equal((await api.v1.accounts.verifyCredentials()).username, 'humaskaltim');
  sandbox.clearFaults(account.id);
});

test('masto: rate limit headers and 429 beyond the media upload limit', async () => {
  const limited = sandbox.createAccount('mastodon', { handle: 'limited', displayName: 'L' });
  const url = `${sandbox.urls.mastodon}/api/v2/media`;
  const upload = () => {
    const form = new FormData();
    form.append('file', new Blob([png], { type: 'image/png' }), 'a.png');
    return fetch(url, { method: 'POST', body: form, headers: { authorization: `Bearer ${limited.credentials.accessToken}` } });
  };
  for (let i = 0; i < 3; i++) assert.equal((await upload()).status, 200);
  const refused = await upload();
  assert.equal(refused.status, 429);
  assert.deepEqual(await refused.json(), { error: 'Too many requests' });
  const ok = await fetch(`${sandbox.urls.mastodon}/api/v1/accounts/verify_credentials`, { headers: { authorization: `Bearer ${limited.credentials.accessToken}` } });
  assert.equal(ok.headers.get('x-ratelimit-limit'), '300');
  assert.ok(Number(ok.headers.get('x-ratelimit-remaining')) < 300);
  assert.ok(!Number.isNaN(Date.parse(ok.headers.get('x-ratelimit-reset') ?? '')));
});
