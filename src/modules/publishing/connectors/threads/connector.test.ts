// Threads connector against the in-process sandbox: threads as reply chains, containers, and each fault.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../../sandbox/index.ts';
import type { Sandbox, SandboxAccount } from '../../../sandbox/index.ts';
import { createThreadsConnector } from './connector.ts';
import { failureOf, requestFor } from '../test-support.ts';
import { approveConsent, losingFetch, publishLikeEngine, startImageHost } from '../graph/testing.ts';
import type { ImageHost } from '../graph/testing.ts';

let sandbox: Sandbox;
let host: ImageHost;
const connector = createThreadsConnector({ requestTimeoutMs: 1_500, containerPollMs: 20, containerTimeoutMs: 5_000, throttleFallbackMs: 1_000 });

before(async () => {
  sandbox = await startSandbox();
  host = await startImageHost();
});
after(async () => {
  await sandbox.close();
  await host.close();
});

const account = (handle: string): SandboxAccount => sandbox.createAccount('threads', { handle, displayName: `Humas ${handle}` });
const live = (humas: SandboxAccount) => sandbox.posts(humas.id).filter((p) => !p.deleted);
/** Oldest first. */
const chain = (humas: SandboxAccount) => [...live(humas)].reverse();

test('a thread goes out as replies in order, the first comment last, and is removed whole', async () => {
  const humas = account('humaspaser');
  const request = requestFor('threads', humas, { parts: ['Bagian satu 1/3', 'Bagian dua 2/3', 'Bagian tiga 3/3'], firstComment: 'Info lengkap di portal.' });
  const result = await connector.publish(request);
  assert.equal(result.parts.length, 4);
  const posts = chain(humas);
  assert.deepEqual(posts.map((p) => p.text), [...request.parts, 'Info lengkap di portal.']);
  assert.equal(posts[0]?.replyTo, null);
  for (let i = 1; i < posts.length; i++) assert.equal(posts[i]?.replyTo, posts[i - 1]?.id);
  assert.equal(result.externalId, posts[0]?.id);

  await connector.remove({ channel: request.channel, credentials: request.credentials, parts: result.parts, signal: request.signal });
  assert.equal(live(humas).length, 0);
  await connector.remove({ channel: request.channel, credentials: request.credentials, parts: result.parts, signal: request.signal });
});

test('an image post with alt text, pulled from its URL', async () => {
  const humas = account('humasberau');
  const request = requestFor('threads', humas, { parts: ['Festival Derawan.'], media: [host.media('derawan.jpg', 'Perahu hias di dermaga')] });
  const result = await connector.publish(request);
  assert.ok((host.hits.get('/derawan.jpg') ?? 0) >= 1);
  const post = live(humas).find((p) => p.id === result.externalId);
  assert.deepEqual(post?.media.map((m) => m.alt), ['Perahu hias di dermaga']);
});

test('a lost threads_publish answer is uncertain; the look-up finds it and the rest of the thread follows once', async () => {
  const humas = account('humasbontang');
  const request = requestFor('threads', humas, { parts: ['Jadwal vaksinasi pekan ini.', 'Bawa KTP.'] });
  const losing = createThreadsConnector({ requestTimeoutMs: 1_500, containerPollMs: 20, fetch: losingFetch('/threads_publish') });
  const failure = await failureOf(losing.publish(request));
  assert.equal(failure.kind, 'uncertain');
  assert.equal(sandbox.stats(humas.id).created, 1);
  const run = await publishLikeEngine(connector, { ...request, attempt: 2 });
  assert.deepEqual(chain(humas).map((p) => p.text), request.parts);
  assert.equal(sandbox.stats(humas.id).created, 2);
  assert.equal(run.result.parts.length, 2);
});

test('a lost container answer is harmless: the retry makes one post', async () => {
  const humas = account('humasbontang2');
  const request = requestFor('threads', humas, { parts: ['Pasar murah Sabtu ini.'] });
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const run = await publishLikeEngine(connector, request);
  assert.deepEqual(run.failures, ['transient']);
  assert.equal(sandbox.stats(humas.id).created, 1);
});

test('a half-made thread is completed on retry, never restarted; findPublished counts only a whole thread', async () => {
  const humas = account('humassamarinda');
  const request = requestFor('threads', humas, { parts: ['Satu 1/3', 'Dua 2/3', 'Tiga 3/3'] });
  const first = await connector.publish({ ...request, parts: ['Satu 1/3'] });
  assert.equal(await connector.findPublished({ ...request, attempt: 2 }), null);
  const result = await connector.publish({ ...request, attempt: 2 });
  assert.equal(result.externalId, first.externalId);
  assert.equal(sandbox.stats(humas.id).created, 3);
  assert.deepEqual(chain(humas).map((p) => p.text), request.parts);
  const found = await connector.findPublished({ ...request, attempt: 3 });
  assert.deepEqual(found?.parts.map((p) => p.externalId), result.parts.map((p) => p.externalId));
});

test('faults map to the engine\'s kinds', async () => {
  const humas = account('humaskukar');
  const publish = (text: string) => connector.publish(requestFor('threads', humas, { parts: [text] }));

  sandbox.injectFault(humas.id, { kind: 'rate_limit', retryAfterSeconds: 42, times: 1 });
  const limited = await failureOf(publish('Satu'));
  assert.equal(limited.kind, 'transient');
  assert.ok(limited.retryAfterMs !== undefined && limited.retryAfterMs > 0);

  sandbox.injectFault(humas.id, { kind: 'server_error', times: 1 });
  assert.equal((await failureOf(publish('Dua'))).kind, 'transient');

  sandbox.injectFault(humas.id, { kind: 'expired_token', times: 1 });
  assert.equal((await failureOf(publish('Tiga'))).kind, 'auth');

  sandbox.injectFault(humas.id, { kind: 'daily_cap', times: 1 });
  const capped = await failureOf(publish('Empat'));
  assert.equal(capped.kind, 'permanent');
  assert.equal(capped.code, 'daily_cap');

  sandbox.injectFault(humas.id, { kind: 'timeout', ms: 3_000, times: 1 });
  const slow = await failureOf(publish('Lima'));
  assert.ok(slow.kind === 'uncertain' || slow.kind === 'transient', slow.kind);
  assert.equal(live(humas).length, 0);
});

test('capabilities read the live quota; verify reads the profile', async () => {
  const humas = account('humasppu');
  const request = requestFor('threads', humas);
  const ask = { channel: request.channel, credentials: request.credentials, signal: request.signal };
  const before = await connector.capabilities!(ask);
  assert.equal(typeof before.postsRemaining, 'number');
  await connector.publish(request);
  assert.equal((await connector.capabilities!(ask)).postsRemaining, before.postsRemaining! - 1);
  const me = await connector.verify(ask);
  assert.equal(me.externalAccountId, humas.externalAccountId);
  assert.equal(me.handle, `@${humas.handle.replace(/^@/, '')}`);
});

test('refresh renews a token at least a day old; a younger one is refused as needing a reconnect', async () => {
  // The sandbox's clock runs (containers finish in time), shifted ahead when the test says so.
  let ahead = 0;
  const timed = await startSandbox({ now: () => Date.now() + ahead });
  try {
    const humas = timed.createAccount('threads', { handle: 'humasrefresh', displayName: 'Humas' });
    const ask = { channel: requestFor('threads', humas).channel, credentials: { ...humas.credentials }, signal: new AbortController().signal };
    const early = await failureOf(connector.refresh!(ask));
    assert.equal(early.kind, 'auth');
    ahead += 25 * 3_600_000;
    const renewed = await connector.refresh!(ask);
    assert.ok(renewed.accessToken);
    assert.ok(renewed.expiresAt && Date.parse(renewed.expiresAt) > Date.now() + 50 * 24 * 3_600_000);
    const me = await connector.verify({ ...ask, credentials: renewed });
    assert.equal(me.externalAccountId, humas.externalAccountId);

    // Close to its end, the token is renewed on the way and handed back with the published post.
    const nearEnd = { ...renewed, expiresAt: new Date(Date.now() + 3 * 24 * 3_600_000).toISOString() };
    ahead += 25 * 3_600_000;
    const result = await connector.publish(requestFor('threads', humas, { credentials: nearEnd, parts: ['Token diperbarui sambil lalu.'] }));
    assert.ok(result.refreshedCredentials?.accessToken);
    assert.ok(Date.parse(result.refreshedCredentials.expiresAt!) > Date.now() + 50 * 24 * 3_600_000);
  } finally {
    await timed.close();
  }
});

test('a reply to the post is exactly once, and reads back as ours', async () => {
  const humas = account('humasmahulu');
  const request = requestFor('threads', humas, { parts: ['Lomba foto HUT kabupaten.'] });
  const result = await connector.publish(request);
  const ask = { channel: request.channel, credentials: request.credentials, signal: request.signal };
  const first = await connector.reply!({ ...ask, inReplyTo: result.externalId, text: 'Pendaftaran dibuka besok.', replyKey: 'k' });
  const again = await connector.reply!({ ...ask, inReplyTo: result.externalId, text: 'Pendaftaran dibuka besok.', replyKey: 'k' });
  assert.equal(again.externalId, first.externalId);
  const comments = await connector.fetchComments!({ ...ask, post: result.parts[0]!, parts: result.parts });
  assert.deepEqual(comments.filter((c) => c.own).map((c) => c.text), ['Pendaftaran dibuka besok.']);
  const metrics = await connector.fetchMetrics!({ ...ask, post: result.parts[0]! });
  assert.equal(typeof metrics.likes, 'number');
});

test('sign-in: threads.net in production, the sandbox\'s own origin otherwise', async () => {
  const client = { clientId: 'siar-test', clientSecret: 'secret', redirectUri: 'https://siar.example/oauth/callback' };
  const production = new URL(connector.oauth!.authorizeUrl({ baseUrl: 'https://graph.threads.net', client, state: 's', codeChallenge: 'c' }));
  assert.equal(production.origin + production.pathname, 'https://threads.net/oauth/authorize');
  assert.match(production.searchParams.get('scope') ?? '', /threads_content_publish/);
  const humas = account('humasbalikpapan');
  const consent = new URL(connector.oauth!.authorizeUrl({ baseUrl: humas.baseUrl, client, state: 's', codeChallenge: 'c' }));
  assert.equal(consent.origin, new URL(humas.baseUrl).origin);

  const { code, state } = await approveConsent(consent.toString(), humas.id);
  assert.equal(state, 's');
  const grant = await connector.oauth!.exchangeCode({ baseUrl: humas.baseUrl, client, code, codeVerifier: 'v', signal: new AbortController().signal });
  assert.ok(grant.credentials.accessToken);
  assert.ok(grant.credentials.expiresAt && Date.parse(grant.credentials.expiresAt) > Date.now() + 50 * 24 * 3_600_000, 'the long-lived token');
  const me = await connector.verify({ channel: requestFor('threads', humas).channel, credentials: grant.credentials, signal: new AbortController().signal });
  assert.equal(me.externalAccountId, humas.externalAccountId);
});
