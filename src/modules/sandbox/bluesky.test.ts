import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { AtpAgent, RichText } from '@atproto/api';
import { startSandbox } from './index.ts';
import type { Sandbox, SandboxAccount } from './index.ts';

let sandbox: Sandbox;
let account: SandboxAccount;
let clock = Date.now();
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);

before(async () => {
  sandbox = await startSandbox({ now: () => clock, limits: { blueskyCreateSession: { limit: 4, windowSeconds: 300 } } });
  account = sandbox.createAccount('bluesky', { handle: 'humaskaltim', displayName: 'Humas Kaltim' });
});
after(() => sandbox.close());

async function login(): Promise<AtpAgent> {
  const agent = new AtpAgent({ service: sandbox.urls.bluesky });
  await agent.login({ identifier: account.handle, password: account.credentials.appPassword ?? '' });
  return agent;
}

test('AtpAgent: login, post with facets, thread, image with alt, read back, delete', async () => {
  const agent = await login();
  assert.equal(agent.session?.did, account.externalAccountId);
  assert.equal((await agent.resolveHandle({ handle: account.handle })).data.did, account.externalAccountId);
  const rt = new RichText({ text: 'Rilis pers https://kaltimprov.go.id/berita #Kaltim' });
  await rt.detectFacets(agent);
  const upload = await agent.uploadBlob(jpeg, { encoding: 'image/jpeg' });
  const root = await agent.post({
    text: rt.text,
    facets: rt.facets,
    embed: { $type: 'app.bsky.embed.images', images: [{ image: upload.data.blob, alt: 'Peresmian jembatan' }] },
  });
  const replyRef = { root: { uri: root.uri, cid: root.cid }, parent: { uri: root.uri, cid: root.cid } };
  const second = await agent.post({ text: 'Bagian 2', reply: replyRef });
  const thread = await agent.getPostThread({ uri: root.uri });
  const view = thread.data.thread as { post: { embed?: { images?: { alt: string }[] } }; replies?: { post: { uri: string } }[] };
  assert.equal(view.replies?.[0]?.post.uri, second.uri);
  assert.equal(view.post.embed?.images?.[0]?.alt, 'Peresmian jembatan');
  const feed = await agent.getAuthorFeed({ actor: account.handle });
  assert.deepEqual(feed.data.feed.map((f) => f.post.uri), [second.uri, root.uri]);
  const record = await agent.com.atproto.repo.getRecord({ repo: account.externalAccountId, collection: 'app.bsky.feed.post', rkey: root.uri.split('/').pop() ?? '' });
  assert.equal((record.data.value as { text: string }).text, rt.text);
  const listed = await agent.com.atproto.repo.listRecords({ repo: account.externalAccountId, collection: 'app.bsky.feed.post' });
  assert.equal(listed.data.records.length, 2);
  assert.deepEqual(sandbox.posts(account.id)[1]?.media, [{ mime: 'image/jpeg', alt: 'Peresmian jembatan', bytes: jpeg.length }]);
  assert.equal(sandbox.posts(account.id)[0]?.replyTo, root.uri);
  await agent.deletePost(second.uri);
  await assert.rejects(agent.getPostThread({ uri: second.uri }), (e: Error & { error?: string }) => e.error === 'NotFound');
  assert.equal(sandbox.posts(account.id)[0]?.deleted, true);
});

test('AtpAgent: over 300 graphemes is refused with InvalidRequest', async () => {
  const agent = await login();
  await assert.rejects(agent.post({ text: 'é'.repeat(301) }), (e: Error & { status?: number; error?: string }) => e.status === 400 && e.error === 'InvalidRequest');
  // 300 graphemes of 2 UTF-16 units each (2,400 bytes) is within both limits.
  await agent.post({ text: '👍🏽'.repeat(300) });
});

test('AtpAgent: putRecord with the same rkey replaces; createRecord with a used rkey fails with 500', async () => {
  const agent = await login();
  const before = sandbox.stats(account.id).created;
  const rkey = '3lsiarpost222';
  const repo = account.externalAccountId;
  const record = { text: 'Satu kali', createdAt: new Date().toISOString() };
  await agent.app.bsky.feed.post.put({ repo, rkey }, record);
  await agent.app.bsky.feed.post.put({ repo, rkey }, { ...record, text: 'Satu kali (ulang)' });
  assert.equal(sandbox.stats(account.id).created, before + 1);
  assert.equal(sandbox.posts(account.id)[0]?.text, 'Satu kali (ulang)');
  await assert.rejects(agent.app.bsky.feed.post.create({ repo, rkey }, record), (e: Error & { status?: number }) => e.status === 500);
  assert.equal(sandbox.stats(account.id).created, before + 1);
});

test('AtpAgent: expired access JWT is refreshed transparently; ExpiredToken as the PDS answers it', async () => {
  const agent = await login();
  const oldToken = agent.session?.accessJwt ?? '';
  clock += 61 * 60 * 1000;
  const raw = await fetch(`${sandbox.urls.bluesky}/xrpc/com.atproto.server.getSession`, { headers: { authorization: `Bearer ${oldToken}` } });
  assert.equal(raw.status, 400);
  assert.equal(((await raw.json()) as { error: string }).error, 'ExpiredToken');
  await agent.post({ text: 'Setelah token kedaluwarsa' });
  assert.notEqual(agent.session?.accessJwt, oldToken);
});

test('AtpAgent: injected faults as the client sees them', async () => {
  const agent = await login();
  sandbox.injectFault(account.id, { kind: 'rate_limit', retryAfterSeconds: 20, times: 1 });
  await assert.rejects(agent.post({ text: 'x' }), (e: Error & { status?: number; error?: string; headers?: Record<string, string> }) =>
    e.status === 429 && e.error === 'RateLimitExceeded' && e.headers?.['ratelimit-remaining'] === '0');
  sandbox.injectFault(account.id, { kind: 'server_error', times: 1 });
  await assert.rejects(agent.post({ text: 'x' }), (e: Error & { status?: number }) => e.status === 500);
  sandbox.injectFault(account.id, { kind: 'daily_cap', times: 1 });
  await assert.rejects(agent.post({ text: 'x' }), (e: Error & { status?: number }) => e.status === 429);
  // Expired token once: the agent refreshes and retries, the post goes out once.
  const created = sandbox.stats(account.id).created;
  sandbox.injectFault(account.id, { kind: 'expired_token', times: 1 });
  await agent.post({ text: 'sesudah refresh' });
  assert.equal(sandbox.stats(account.id).created, created + 1);
  sandbox.injectFault(account.id, { kind: 'timeout', ms: 2000, times: 1 });
  const beforeTimeout = sandbox.stats(account.id).created;
  await assert.rejects(
    agent.com.atproto.repo.createRecord(
      { repo: account.externalAccountId, collection: 'app.bsky.feed.post', record: { text: 'lambat', createdAt: new Date().toISOString() } },
      { signal: AbortSignal.timeout(300) },
    ),
    (e: Error) => /abort|timeout/i.test(`${e.name} ${e.message} ${String(e.cause)}`),
  );
  assert.equal(sandbox.stats(account.id).created, beforeTimeout);
  sandbox.clearFaults(account.id);
  sandbox.injectFault(account.id, { kind: 'lost_response', times: 1 });
  await assert.rejects(agent.post({ text: 'hilang di jalan' }));
  assert.equal(sandbox.posts(account.id)[0]?.text, 'hilang di jalan');
});

test('createSession is limited per account with ratelimit-* headers', async () => {
  const call = () => fetch(`${sandbox.urls.bluesky}/xrpc/com.atproto.server.createSession`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: 'someone.bsky.sandbox', password: 'nope' }),
  });
  let last = await call();
  for (let i = 0; i < 4; i++) last = await call();
  assert.equal(last.status, 429);
  assert.equal(last.headers.get('ratelimit-limit'), '4');
  assert.equal(last.headers.get('ratelimit-remaining'), '0');
  assert.equal(last.headers.get('ratelimit-policy'), '4;w=300');
  assert.ok(Number(last.headers.get('ratelimit-reset')) > Date.now() / 1000 - 1000);
  assert.deepEqual(await last.json(), { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' });
});

test('AtpAgent: a link card (app.bsky.embed.external) is checked as the PDS checks it, read back, and shown on the timeline', async () => {
  const owner = sandbox.createAccount('bluesky', { handle: 'humaskartu', displayName: 'Humas Kartu' });
  const agent = new AtpAgent({ service: sandbox.urls.bluesky });
  await agent.login({ identifier: owner.handle, password: owner.credentials.appPassword ?? '' });
  const repo = owner.externalAccountId;
  const thumb = (await agent.uploadBlob(jpeg, { encoding: 'image/jpeg' })).data.blob;
  const external = { uri: 'https://portal.example/r/Ab12Cd34', title: 'Jembatan Mahakam IV diresmikan', description: 'Dibuka untuk umum hari ini.' };
  const write = (embed: unknown) => agent.com.atproto.repo.createRecord({ repo, collection: 'app.bsky.feed.post', record: { $type: 'app.bsky.feed.post', text: 'Info https://portal.example/r/Ab12Cd34', createdAt: new Date(clock).toISOString(), embed } });
  const refused = async (embed: unknown, error: string, message: string) => {
    await assert.rejects(write(embed), (e: Error & { status?: number; error?: string }) => {
      assert.equal(e.status, 400);
      assert.equal(e.error, error);
      assert.equal(e.message, message);
      return true;
    });
  };
  const card = (fields: Record<string, unknown>) => ({ $type: 'app.bsky.embed.external', external: { ...external, ...fields } });

  // The texts are a current PDS's own (checked against @atproto/pds).
  await refused({ $type: 'app.bsky.embed.external' }, 'InvalidRequest', 'Invalid app.bsky.feed.post record: Missing required key "external" at $.record.embed');
  await refused(card({ title: undefined }), 'InvalidRequest', 'Invalid app.bsky.feed.post record: Missing required key "title" at $.record.embed.external');
  await refused(card({ description: 5 }), 'InvalidRequest', 'Invalid app.bsky.feed.post record: Expected string value type (got 5) at $.record.embed.external.description');
  await refused(card({ uri: 'bukan alamat' }), 'InvalidRequest', 'Invalid app.bsky.feed.post record: Invalid uri (got "bukan alamat") at $.record.embed.external.uri');
  await refused(card({ thumb: 'x' }), 'InvalidRequest', 'Invalid app.bsky.feed.post record: Expected blob value type (got "x") at $.record.embed.external.thumb');
  const text = (await agent.uploadBlob(Buffer.from('bukan gambar'), { encoding: 'text/plain' })).data.blob;
  await refused(card({ thumb: text }), 'InvalidRequest', 'Invalid app.bsky.feed.post record: Expected "image/*" (got "text/plain") at $.record.embed.external.thumb.mimeType');
  const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1_000_000, 7)]);
  const bigBlob = (await agent.uploadBlob(big, { encoding: 'image/jpeg' })).data.blob;
  await refused(card({ thumb: bigBlob }), 'InvalidRequest', `Invalid app.bsky.feed.post record: blob too big (maximum 1000000, got ${big.length}) at $.record.embed.external.thumb`);
  const unknown = { ...thumb.toJSON() as object, ref: { $link: 'bafkreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm' } };
  await refused(card({ thumb: unknown }), 'BlobNotFound', 'Could not find blob: bafkreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm');
  assert.equal(sandbox.stats(owner.id).created, 0);

  // Any http(s) or other URI is a uri; a card without a thumbnail is fine.
  await write(card({ uri: 'mailto:humas@kaltimprov.go.id' }));
  const posted = await write(card({ thumb }));
  const stored = await agent.com.atproto.repo.getRecord({ repo, collection: 'app.bsky.feed.post', rkey: posted.data.uri.split('/').pop()! });
  const value = stored.data.value as { embed: { external: { uri: string; thumb: { mimeType: string; size: number } } } };
  assert.equal(value.embed.external.uri, external.uri);
  assert.equal(value.embed.external.thumb.size, jpeg.length);
  const view = (await agent.getPosts({ uris: [posted.data.uri] })).data.posts[0]!.embed as { $type: string; external: { title: string; description: string; thumb?: string } };
  assert.equal(view.$type, 'app.bsky.embed.external#view');
  assert.equal(view.external.title, external.title);
  const served = Buffer.from(await (await fetch(view.external.thumb!)).arrayBuffer());
  assert.ok(served.equals(jpeg));
  // A card's thumbnail does not make the post one "with media".
  assert.deepEqual((await agent.getAuthorFeed({ actor: repo, filter: 'posts_with_media' })).data.feed, []);

  const page = await (await fetch(`${sandbox.urls.web}/bluesky/${encodeURIComponent(owner.handle)}`)).text();
  // The practice timeline draws the card as Bluesky does: a box under the text, linking where the card points.
  const drawn = /<a class="card" href="([^"]+)"[^>]*><img src="([^"]+)" alt=""><span><strong>([^<]+)<\/strong><\/span><span>([^<]+)<\/span><span class="host">([^<]+)<\/span><\/a>/.exec(page);
  assert.ok(drawn, 'a card box on the timeline page');
  assert.equal(drawn[1], 'https://portal.example/r/Ab12Cd34');
  assert.equal(drawn[3], 'Jembatan Mahakam IV diresmikan');
  assert.equal(drawn[4], 'Dibuka untuk umum hari ini.');
  assert.equal(drawn[5], 'portal.example');
  assert.ok(Buffer.from(await (await fetch(drawn[2]!.replaceAll('&amp;', '&'))).arrayBuffer()).equals(jpeg), 'the card image is the thumbnail blob');
  assert.doesNotMatch(page, /class="media"/, 'a card thumbnail is not a picture of the post');
});
