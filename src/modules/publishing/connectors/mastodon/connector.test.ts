// Mastodon connector against the in-process sandbox: what reaches the server, and how each fault is reported.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../../sandbox/index.ts';
import type { Sandbox, SandboxAccount } from '../../../sandbox/index.ts';
import { createMastodonConnector } from './connector.ts';
import { failureOf, image, requestFor } from '../test-support.ts';

let sandbox: Sandbox;
const connector = createMastodonConnector({ requestTimeoutMs: 400, mediaPollMs: 20 });

before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

const account = (handle: string): SandboxAccount => sandbox.createAccount('mastodon', { handle, displayName: `Humas ${handle}` });

test('publishes a status with an image and its alt text, and removes it', async () => {
  const humas = account('humaspaser');
  const request = requestFor('mastodon', humas, { parts: ['Peresmian jembatan Long Ikis. https://paserkab.go.id/berita/1 #Paser'], media: [image('Bupati menggunting pita di jembatan')] });
  const result = await connector.publish(request);
  const [post] = sandbox.posts(humas.id);
  assert.equal(post?.id, result.externalId);
  assert.equal(post?.text, request.parts[0]);
  assert.deepEqual(post?.media.map((m) => m.alt), ['Bupati menggunting pita di jembatan']);
  assert.equal(result.parts.length, 1);
  assert.ok(result.url);
  await connector.remove({ channel: request.channel, credentials: request.credentials, parts: result.parts, signal: request.signal });
  assert.equal(sandbox.posts(humas.id)[0]?.deleted, true);
  // A repeated remove of a status already gone is not an error.
  await connector.remove({ channel: request.channel, credentials: request.credentials, parts: result.parts, signal: request.signal });
});

test('a thread goes out as replies in order, the first comment last', async () => {
  const humas = account('humasberau');
  const request = requestFor('mastodon', humas, { parts: ['Bagian satu 1/3', 'Bagian dua 2/3', 'Bagian tiga 3/3'], firstComment: 'Info lengkap di portal.' });
  const result = await connector.publish(request);
  assert.equal(result.parts.length, 4);
  const posts = [...sandbox.posts(humas.id)].reverse();
  assert.deepEqual(posts.map((p) => p.text), [...request.parts, 'Info lengkap di portal.']);
  assert.equal(posts[0]?.replyTo, null);
  for (let i = 1; i < posts.length; i++) assert.equal(posts[i]?.replyTo, posts[i - 1]?.id);
});

test('verify reads the account', async () => {
  const humas = account('humaskutim');
  const request = requestFor('mastodon', humas);
  const me = await connector.verify({ channel: request.channel, credentials: request.credentials, signal: request.signal });
  assert.equal(me.externalAccountId, humas.externalAccountId);
  assert.match(me.handle, /^@humaskutim@/);
});

test('a lost answer is uncertain, and the retry with the same target makes no second status', async () => {
  const humas = account('humasbontang');
  const request = requestFor('mastodon', humas, { parts: ['Jadwal vaksinasi pekan ini.'] });
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.equal(failure.kind, 'uncertain');
  assert.equal(sandbox.stats(humas.id).created, 1);
  const found = await connector.findPublished({ ...request, attempt: 2 });
  assert.equal(found?.externalId, sandbox.posts(humas.id)[0]?.id);
  const again = await connector.publish({ ...request, attempt: 2 });
  assert.equal(again.externalId, found?.externalId);
  assert.equal(sandbox.stats(humas.id).created, 1);
  assert.equal(sandbox.posts(humas.id).length, 1);
});

test('a half-made thread is completed on retry, never restarted', async () => {
  const humas = account('humassamarinda');
  const request = requestFor('mastodon', humas, { parts: ['Satu 1/3', 'Dua 2/3', 'Tiga 3/3'] });
  // The first attempt got only part 1 out (here: it was the only part asked for), then failed.
  const first = await connector.publish({ ...request, parts: ['Satu 1/3'] });
  assert.equal(sandbox.stats(humas.id).created, 1);
  const result = await connector.publish({ ...request, attempt: 2 });
  assert.equal(result.parts.length, 3);
  assert.equal(result.externalId, first.externalId);
  assert.equal(sandbox.stats(humas.id).created, 3);
  const posts = [...sandbox.posts(humas.id)].reverse();
  assert.deepEqual(posts.map((p) => p.text), request.parts);
});

test('after the idempotency key expired, a retry looks first and makes no second status', async () => {
  const humas = account('humasppu');
  const quick = createMastodonConnector({ keyLifetimeMs: 0, requestTimeoutMs: 2_000 });
  const request = requestFor('mastodon', humas, { parts: ['Pengumuman seleksi CPNS.', 'Bagian dua.'], firstAttemptAt: new Date(Date.now() - 1_000) });
  await quick.publish(request);
  // The sandbox would still honour the key; a different-looking key proves the look-up, not the key, saved us.
  const again = await quick.publish({ ...request, attempt: 2, targetId: `${request.targetId}-renamed` });
  assert.equal(again.parts.length, 2);
  assert.equal(sandbox.stats(humas.id).created, 2);
});

test('faults map to the engine\'s kinds', async () => {
  const humas = account('humaskukar');
  const publish = (text: string) => connector.publish(requestFor('mastodon', humas, { parts: [text] }));

  sandbox.injectFault(humas.id, { kind: 'rate_limit', retryAfterSeconds: 42, times: 1 });
  const limited = await failureOf(publish('Satu'));
  assert.equal(limited.kind, 'transient');
  assert.equal(limited.code, 'rate_limited');
  assert.ok(limited.retryAfterMs !== undefined && limited.retryAfterMs > 40_000 && limited.retryAfterMs <= 42_000, String(limited.retryAfterMs));

  sandbox.injectFault(humas.id, { kind: 'server_error', times: 1 });
  const broken = await failureOf(publish('Dua'));
  assert.equal(broken.kind, 'transient');
  assert.equal(broken.status, 500);

  sandbox.injectFault(humas.id, { kind: 'timeout', ms: 2_000, times: 1 });
  const slow = await failureOf(publish('Tiga'));
  assert.equal(slow.kind, 'uncertain');
  assert.equal(slow.code, 'timeout');

  sandbox.injectFault(humas.id, { kind: 'expired_token', times: 1 });
  const refused = await failureOf(publish('Empat'));
  assert.equal(refused.kind, 'auth');

  assert.equal(sandbox.stats(humas.id).created, 0);
  const long = await failureOf(publish('x'.repeat(600)));
  assert.equal(long.kind, 'permanent');
  assert.equal(long.code, 'text_too_long');
  assert.equal(long.reason.id, 'Mastodon menolak teks: terlalu panjang untuk server ini.');
});

test('the engine\'s signal: cancelled before sending is transient, cancelled in flight is uncertain', async () => {
  const humas = account('humasmahulu');
  const cancelled = new AbortController();
  cancelled.abort();
  const before = await failureOf(connector.publish(requestFor('mastodon', humas, { signal: cancelled.signal })));
  assert.equal(before.kind, 'transient');
  assert.equal(before.code, 'aborted');

  const slowConnector = createMastodonConnector({ requestTimeoutMs: 5_000 });
  sandbox.injectFault(humas.id, { kind: 'timeout', ms: 2_000, times: 1 });
  const inFlight = await failureOf(slowConnector.publish(requestFor('mastodon', humas, { signal: AbortSignal.timeout(200) })));
  assert.equal(inFlight.kind, 'uncertain');
  assert.equal(inFlight.code, 'aborted');
});

test('a posting cap that lasts hours is permanent', async () => {
  // Mastodon's posting throttle resets every 3 hours: pin the sandbox clock just after a reset.
  const capped = await startSandbox({ now: () => Date.UTC(2026, 0, 5, 0, 1) });
  try {
    const humas = capped.createAccount('mastodon', { handle: 'humascap', displayName: 'Humas' });
    capped.injectFault(humas.id, { kind: 'daily_cap' });
    const failure = await failureOf(connector.publish(requestFor('mastodon', humas)));
    assert.equal(failure.kind, 'permanent');
    assert.equal(failure.code, 'daily_cap');
  } finally {
    await capped.close();
  }
});
