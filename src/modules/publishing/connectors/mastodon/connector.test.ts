// Mastodon connector against the in-process sandbox: what reaches the server, and how each fault is reported.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../../sandbox/index.ts';
import type { Sandbox, SandboxAccount } from '../../../sandbox/index.ts';
import { createRestAPIClient } from 'masto';
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

/** A citizen answering through Mastodon's own API, as any app would. */
function citizenOf(citizen: SandboxAccount) {
  return createRestAPIClient({ url: citizen.baseUrl, accessToken: citizen.credentials.accessToken! });
}

test('capabilities are read from the instance itself', async () => {
  const roomy = await startSandbox({ limits: { mastodonMaxCharacters: 1_000, mastodonMaxMediaAttachments: 6 } });
  try {
    const humas = roomy.createAccount('mastodon', { handle: 'humaslimit', displayName: 'Humas' });
    const request = requestFor('mastodon', humas);
    const caps = await connector.capabilities!({ channel: request.channel, credentials: request.credentials, signal: request.signal });
    assert.equal(caps.maxCharacters, 1_000);
    assert.equal(caps.maxMedia, 6);
    assert.ok(caps.mediaKinds.includes('image'));
    assert.equal(caps.canEdit, true);
    assert.equal(caps.canReadComments, true);
    assert.equal(caps.canReply, true);
    assert.equal(caps.postsRemaining, null);
    // Mastodon is any instance: there is no single production root.
    assert.equal(connector.defaultBaseUrl, undefined);
  } finally {
    await roomy.close();
  }
});

test('comments under every part of a thread are read back; our reply mentions the citizen and is made once', async () => {
  const humas = account('humaskaltara');
  const rina = account('rinasamarinda');
  const request = requestFor('mastodon', humas, { parts: ['Jadwal pasar murah 1/2', 'Lokasi: halaman kantor bupati 2/2'] });
  const published = await connector.publish(request);
  const [first, second] = published.parts;
  const citizen = citizenOf(rina);
  const onFirst = await citizen.v1.statuses.create({ status: 'Jam berapa mulainya?', inReplyToId: first!.externalId });
  const onSecond = await citizen.v1.statuses.create({ status: 'Apakah bawa KTP?', inReplyToId: second!.externalId });
  const reading = { channel: request.channel, credentials: request.credentials, signal: request.signal };

  const comments = await connector.fetchComments!({ ...reading, post: first!, parts: published.parts });
  assert.deepEqual(comments.map((c) => [c.externalId, c.inReplyTo, c.text, c.own]), [
    [onFirst.id, first!.externalId, 'Jam berapa mulainya?', false],
    [onSecond.id, second!.externalId, 'Apakah bawa KTP?', false],
  ]);
  assert.match(comments[0]!.author.handle, /^@rinasamarinda@/);
  assert.equal(comments[0]!.author.externalId, rina.externalAccountId);

  // The clock moves on before we answer (the `since` read below tells the two apart by time).
  await new Promise((resolve) => setTimeout(resolve, 5));
  const answer = { ...reading, inReplyTo: onSecond.id, text: 'Ya, bawa KTP asli.', replyKey: 'reply-ktp-1' };
  const ours = await connector.reply!(answer);
  const again = await connector.reply!(answer);
  assert.equal(again.externalId, ours.externalId);
  const mine = sandbox.posts(humas.id).find((p) => p.id === ours.externalId);
  assert.equal(mine?.replyTo, onSecond.id);
  assert.equal(mine?.text, '@rinasamarinda Ya, bawa KTP asli.');
  assert.equal(sandbox.stats(humas.id).created, 3);

  const after = await connector.fetchComments!({ ...reading, post: first!, parts: published.parts });
  assert.deepEqual(after.map((c) => c.own), [false, false, true]);
  assert.equal(after[2]?.inReplyTo, onSecond.id);
  // Only what came after a moment: the reply we just wrote.
  const newer = await connector.fetchComments!({ ...reading, post: first!, parts: published.parts, since: new Date(Date.parse(onSecond.createdAt)) });
  assert.deepEqual(newer.map((c) => c.externalId), [ours.externalId]);

  const metrics = await connector.fetchMetrics!({ ...reading, post: first! });
  // Part 2 of the thread and Rina's question answer part 1.
  assert.equal(metrics.replies, 2);
  assert.equal(metrics.views, null);
  assert.equal(typeof metrics.likes, 'number');
});

test('a lost answer to our reply is uncertain, and the retry with the same key makes no second reply', async () => {
  const humas = account('humaskubar2');
  const andi = account('andibontang');
  const request = requestFor('mastodon', humas, { parts: ['Pendaftaran beasiswa dibuka.'] });
  const published = await connector.publish(request);
  const question = await citizenOf(andi).v1.statuses.create({ status: 'Syaratnya apa saja?', inReplyToId: published.externalId });
  const answer = { channel: request.channel, credentials: request.credentials, signal: request.signal, inReplyTo: question.id, text: 'Syarat lengkap ada di portal.', replyKey: 'reply-beasiswa' };
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const failure = await failureOf(connector.reply!(answer));
  assert.equal(failure.kind, 'uncertain');
  const retried = await connector.reply!(answer);
  assert.equal(sandbox.stats(humas.id).created, 2);
  assert.equal(sandbox.posts(humas.id).filter((p) => p.replyTo === question.id).length, 1);
  assert.equal(sandbox.posts(humas.id)[0]?.id, retried.externalId);
});

test('likes from citizens show in the metrics', async () => {
  const lively = await startSandbox({ citizens: { intervalMs: 3_600_000, random: () => 0 } });
  try {
    const humas = lively.createAccount('mastodon', { handle: 'humaslikes', displayName: 'Humas' });
    const request = requestFor('mastodon', humas, { parts: ['Festival budaya akhir pekan ini.'] });
    const published = await connector.publish(request);
    const reading = { channel: request.channel, credentials: request.credentials, signal: request.signal, post: published.parts[0]! };
    assert.equal((await connector.fetchMetrics!(reading)).likes, 0);
    lively.citizensStep();
    const metrics = await connector.fetchMetrics!(reading);
    assert.ok(metrics.likes! > 0, `likes: ${metrics.likes}`);
    const comments = await connector.fetchComments!(reading);
    assert.equal(metrics.replies, comments.length);
  } finally {
    await lively.close();
  }
});

test('an edit changes every part\'s text and keeps the image; an edit cannot add parts', async () => {
  const humas = account('humasedit');
  const request = requestFor('mastodon', humas, { parts: ['Rapat paripurna Senin 1/2', 'Terbuka untuk umum 2/2'], media: [image('Gedung DPRD')] });
  const published = await connector.publish(request);
  const editing = { channel: request.channel, credentials: request.credentials, signal: request.signal, parts: published.parts, title: null };
  await connector.edit!({ ...editing, texts: ['Rapat paripurna Selasa 1/2', 'Terbuka untuk umum 2/2'] });
  const posts = [...sandbox.posts(humas.id)].reverse();
  assert.deepEqual(posts.map((p) => p.text), ['Rapat paripurna Selasa 1/2', 'Terbuka untuk umum 2/2']);
  assert.deepEqual(posts[0]?.media.map((m) => m.alt), ['Gedung DPRD']);
  // Repeating the same edit is harmless.
  await connector.edit!({ ...editing, texts: ['Rapat paripurna Selasa 1/2', 'Terbuka untuk umum 2/2'] });
  assert.equal(sandbox.posts(humas.id).length, 2);
  const grown = await failureOf(connector.edit!({ ...editing, texts: ['Satu', 'Dua', 'Tiga'] }));
  assert.equal(grown.kind, 'permanent');
  assert.equal(grown.code, 'edit_adds_parts');
  assert.equal(sandbox.posts(humas.id)[1]?.text, 'Rapat paripurna Selasa 1/2');
  const long = await failureOf(connector.edit!({ ...editing, texts: ['x'.repeat(600)] }));
  assert.equal(long.code, 'text_too_long');
});
