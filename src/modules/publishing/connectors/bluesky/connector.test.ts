// Bluesky connector against the in-process sandbox: records, facets, threads, exactly-once and fault mapping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AtpAgent } from '@atproto/api';
import { startSandbox } from '../../../sandbox/index.ts';
import type { Sandbox, SandboxAccount } from '../../../sandbox/index.ts';
import { createBlueskyConnector } from './connector.ts';
import { postRecordKey } from './tid.ts';
import { failureOf, image, requestFor } from '../test-support.ts';

let sandbox: Sandbox;
const connector = createBlueskyConnector({ requestTimeoutMs: 400 });

before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

const account = (handle: string): SandboxAccount => sandbox.createAccount('bluesky', { handle, displayName: `Humas ${handle}` });

async function recordOf(uri: string): Promise<Record<string, unknown>> {
  const [, , repo, collection, rkey] = uri.split('/');
  const { data } = await new AtpAgent({ service: sandbox.urls.bluesky }).com.atproto.repo.getRecord({ repo: repo!, collection: collection!, rkey: rkey! });
  return data.value as Record<string, unknown>;
}

test('publishes with facets at byte offsets, an image with alt, our record key and createdAt', async () => {
  const humas = account('humaskaltim');
  const text = 'Jembatan baru di Kutai — info https://kaltimprov.go.id/berita #Kaltim';
  const request = requestFor('bluesky', humas, { parts: [text], media: [image('Jembatan Kutai dari udara')] });
  const result = await connector.publish(request);
  assert.equal(result.externalId, `at://${humas.externalAccountId}/app.bsky.feed.post/${postRecordKey(request.targetId, request.firstAttemptAt, 0)}`);
  const record = await recordOf(result.externalId);
  assert.equal(record.createdAt, request.firstAttemptAt.toISOString());
  const facets = record.facets as { index: { byteStart: number; byteEnd: number }; features: { $type: string; uri?: string; tag?: string }[] }[];
  const bytes = Buffer.from(text, 'utf8');
  const link = facets.find((f) => f.features[0]?.$type === 'app.bsky.richtext.facet#link');
  assert.equal(bytes.subarray(link!.index.byteStart, link!.index.byteEnd).toString('utf8'), 'https://kaltimprov.go.id/berita');
  const tag = facets.find((f) => f.features[0]?.$type === 'app.bsky.richtext.facet#tag');
  assert.equal(bytes.subarray(tag!.index.byteStart, tag!.index.byteEnd).toString('utf8'), '#Kaltim');
  const [post] = sandbox.posts(humas.id);
  assert.equal(post?.text, text);
  assert.deepEqual(post?.media.map((m) => m.alt), ['Jembatan Kutai dari udara']);
  // Logging in once is remembered for the engine to store.
  assert.ok(result.refreshedCredentials?.accessJwt);
  assert.equal(result.refreshedCredentials?.did, humas.externalAccountId);
});

test('a thread carries root and parent references; remove deletes every part', async () => {
  const humas = account('humassamarinda');
  const request = requestFor('bluesky', humas, { parts: ['Satu 1/3', 'Dua 2/3', 'Tiga 3/3'] });
  const result = await connector.publish(request);
  assert.equal(result.parts.length, 3);
  const third = await recordOf(result.parts[2]!.externalId);
  const reply = third.reply as { root: { uri: string }; parent: { uri: string } };
  assert.equal(reply.root.uri, result.parts[0]!.externalId);
  assert.equal(reply.parent.uri, result.parts[1]!.externalId);
  const posts = [...sandbox.posts(humas.id)].reverse();
  assert.deepEqual(posts.map((p) => p.text), request.parts);
  await connector.remove({ channel: request.channel, credentials: result.refreshedCredentials ?? request.credentials, parts: result.parts, signal: request.signal });
  assert.ok(sandbox.posts(humas.id).every((p) => p.deleted));
});

test('a cached session is reused without logging in, and verify reads the profile', async () => {
  const humas = account('humasbalikpapan');
  const first = await connector.publish(requestFor('bluesky', humas));
  const cached = first.refreshedCredentials!;
  const second = await connector.publish(requestFor('bluesky', humas, { credentials: cached, parts: ['Kedua'] }));
  assert.equal(second.refreshedCredentials, undefined);
  const me = await connector.verify({ channel: requestFor('bluesky', humas).channel, credentials: cached, signal: new AbortController().signal });
  assert.equal(me.externalAccountId, humas.externalAccountId);
  assert.equal(me.handle, humas.handle);
});

test('a lost answer, repeated with the same target, never makes a second post', async () => {
  const humas = account('humasbontang');
  const request = requestFor('bluesky', humas, { parts: ['Jadwal posyandu', 'Bagian dua'] });
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.equal(failure.kind, 'uncertain');
  assert.equal(sandbox.stats(humas.id).created, 1);
  const found = await connector.findPublished(request);
  assert.equal(found, null, 'only part 1 exists: not yet published as a whole');
  const again = await connector.publish({ ...request, attempt: 2 });
  const third = await connector.publish({ ...request, attempt: 3 });
  assert.deepEqual(third.parts, again.parts);
  assert.equal(sandbox.stats(humas.id).created, 2);
  assert.equal((await connector.findPublished(request))?.externalId, again.externalId);
});

test('an expired access token is refreshed once inside the call; if it stays refused, auth', async () => {
  const humas = account('humaskubar');
  const cached = (await connector.publish(requestFor('bluesky', humas))).refreshedCredentials!;
  sandbox.injectFault(humas.id, { kind: 'expired_token', times: 1 });
  const result = await connector.publish(requestFor('bluesky', humas, { credentials: cached, parts: ['Setelah token kedaluwarsa'] }));
  assert.ok(result.refreshedCredentials);
  assert.notEqual(result.refreshedCredentials.accessJwt, cached.accessJwt);

  sandbox.injectFault(humas.id, { kind: 'expired_token' });
  const failure = await failureOf(connector.publish(requestFor('bluesky', humas, { credentials: result.refreshedCredentials, parts: ['Lagi'] })));
  assert.equal(failure.kind, 'auth');
  sandbox.clearFaults(humas.id);
  // The engine's `refresh` then gets a fresh session.
  const renewed = await connector.refresh!({ channel: requestFor('bluesky', humas).channel, credentials: { ...result.refreshedCredentials, refreshJwt: 'revoked' }, signal: new AbortController().signal });
  assert.ok(renewed.accessJwt);
});

test('faults map to the engine\'s kinds', async () => {
  const humas = account('humaspaser');
  const credentials = (await connector.publish(requestFor('bluesky', humas))).refreshedCredentials!;
  const publish = (text: string) => connector.publish(requestFor('bluesky', humas, { credentials, parts: [text] }));
  const created = sandbox.stats(humas.id).created;

  sandbox.injectFault(humas.id, { kind: 'rate_limit', retryAfterSeconds: 30, times: 1 });
  const limited = await failureOf(publish('Satu'));
  assert.equal(limited.kind, 'transient');
  assert.equal(limited.code, 'rate_limited');
  assert.ok(limited.retryAfterMs !== undefined && limited.retryAfterMs > 28_000 && limited.retryAfterMs <= 30_000, String(limited.retryAfterMs));

  sandbox.injectFault(humas.id, { kind: 'server_error', times: 1 });
  const broken = await failureOf(publish('Dua'));
  assert.equal(broken.kind, 'transient');
  assert.equal(broken.status, 500);

  sandbox.injectFault(humas.id, { kind: 'timeout', ms: 2_000, times: 1 });
  const slow = await failureOf(publish('Tiga'));
  assert.equal(slow.kind, 'uncertain');
  assert.equal(slow.code, 'timeout');

  sandbox.injectFault(humas.id, { kind: 'daily_cap', times: 1 });
  const capped = await failureOf(publish('Empat'));
  assert.equal(capped.kind, 'permanent');
  assert.equal(capped.code, 'daily_cap');

  const long = await failureOf(publish('kata '.repeat(80)));
  assert.equal(long.kind, 'permanent');
  assert.equal(long.code, 'text_too_long');
  assert.equal(sandbox.stats(humas.id).created, created);
});

/** A citizen answering through Bluesky's own API, as any app would. */
async function citizenOf(citizen: SandboxAccount): Promise<AtpAgent> {
  const agent = new AtpAgent({ service: citizen.baseUrl });
  await agent.login({ identifier: citizen.credentials.identifier!, password: citizen.credentials.appPassword! });
  return agent;
}

async function strongRef(uri: string): Promise<{ uri: string; cid: string }> {
  const { data } = await new AtpAgent({ service: sandbox.urls.bluesky }).app.bsky.feed.getPosts({ uris: [uri] });
  return { uri, cid: data.posts[0]!.cid };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('capabilities: Bluesky\'s limits, and no editing', async () => {
  const humas = account('humascaps');
  const request = requestFor('bluesky', humas);
  const caps = await connector.capabilities!({ channel: request.channel, credentials: request.credentials, signal: request.signal });
  assert.equal(caps.maxCharacters, 300);
  assert.equal(caps.maxMedia, 4);
  assert.equal(caps.canEdit, false);
  assert.equal(caps.canReadComments, true);
  assert.equal(caps.canReply, true);
  assert.equal(connector.edit, undefined);
  assert.equal(connector.defaultBaseUrl, 'https://bsky.social');
});

test('replies anywhere under a thread are read back, nested ones too; the thread\'s own parts are not comments', async () => {
  const humas = account('humaskaltara');
  const request = requestFor('bluesky', humas, { parts: ['Jadwal pasar murah 1/2', 'Lokasi: halaman kantor bupati 2/2'] });
  const published = await connector.publish(request);
  const credentials = published.refreshedCredentials!;
  const [first, second] = published.parts;
  const rinaAccount = account('rinasamarinda');
  const rina = await citizenOf(rinaAccount);
  const joko = await citizenOf(account('jokoberau'));
  const root = await strongRef(first!.externalId);
  const onSecond = await rina.post({ text: 'Apakah bawa KTP?', reply: { root, parent: await strongRef(second!.externalId) } });
  await pause(5);
  const onFirst = await joko.post({ text: 'Jam berapa mulainya?', reply: { root, parent: root } });
  await pause(5);
  const nested = await joko.post({ text: 'Saya juga mau tahu.', reply: { root, parent: onSecond } });

  const reading = { channel: request.channel, credentials, signal: request.signal };
  const comments = await connector.fetchComments!({ ...reading, post: first!, parts: published.parts });
  assert.deepEqual(comments.map((c) => [c.externalId, c.inReplyTo, c.text, c.own]), [
    [onSecond.uri, second!.externalId, 'Apakah bawa KTP?', false],
    [onFirst.uri, first!.externalId, 'Jam berapa mulainya?', false],
    [nested.uri, onSecond.uri, 'Saya juga mau tahu.', false],
  ]);
  assert.equal(comments[0]!.author.handle, rinaAccount.handle);
  assert.equal(comments[0]!.author.externalId, rinaAccount.externalAccountId);
  assert.match(comments[0]!.url ?? '', /\/post\//);

  const metrics = await connector.fetchMetrics!({ ...reading, post: first! });
  // Part 2 of the thread and Joko's question answer part 1 directly.
  assert.equal(metrics.replies, 2);
  assert.equal(metrics.views, null);
});

test('our reply carries root and parent, is made once, and a retry the next day finds it', async () => {
  const humas = account('humasbalas');
  const request = requestFor('bluesky', humas, { parts: ['Pendaftaran beasiswa dibuka 1/2', 'Syarat di portal 2/2'] });
  const published = await connector.publish(request);
  const credentials = published.refreshedCredentials!;
  const andi = await citizenOf(account('andibontang'));
  const question = await andi.post({ text: 'Syaratnya apa saja?', reply: { root: await strongRef(published.parts[0]!.externalId), parent: await strongRef(published.parts[1]!.externalId) } });
  const answer = { channel: request.channel, credentials, signal: request.signal, inReplyTo: question.uri, text: 'Syarat lengkap ada di portal.', replyKey: 'reply-beasiswa-1' };
  const created = sandbox.stats(humas.id).created;

  const ours = await connector.reply!(answer);
  const record = await recordOf(ours.externalId);
  const reply = record.reply as { root: { uri: string }; parent: { uri: string } };
  assert.equal(reply.root.uri, published.parts[0]!.externalId);
  assert.equal(reply.parent.uri, question.uri);
  assert.equal(record.text, 'Syarat lengkap ada di portal.');
  assert.equal(sandbox.stats(humas.id).created, created + 1);

  assert.equal((await connector.reply!(answer)).externalId, ours.externalId);
  const tomorrow = createBlueskyConnector({ requestTimeoutMs: 400, now: () => Date.now() + 24 * 60 * 60_000 });
  assert.equal((await tomorrow.reply!(answer)).externalId, ours.externalId);
  assert.equal(sandbox.stats(humas.id).created, created + 1);

  const comments = await connector.fetchComments!({ channel: request.channel, credentials, signal: request.signal, post: published.parts[0]!, parts: published.parts });
  assert.deepEqual(comments.map((c) => [c.externalId, c.own]), [[question.uri, false], [ours.externalId, true]]);
  // Only what came after a moment: our reply.
  const since = new Date(Date.parse(comments[1]!.createdAt) - 1);
  const newer = await connector.fetchComments!({ channel: request.channel, credentials, signal: request.signal, post: published.parts[0]!, parts: published.parts, since });
  assert.deepEqual(newer.map((c) => c.externalId), [ours.externalId]);
});

test('a lost answer to our reply is uncertain, and the retry makes no second reply', async () => {
  const humas = account('humasbalas2');
  const published = await connector.publish(requestFor('bluesky', humas, { parts: ['Festival budaya akhir pekan.'] }));
  const credentials = published.refreshedCredentials!;
  const besse = await citizenOf(account('bessepaser'));
  const root = await strongRef(published.externalId);
  const question = await besse.post({ text: 'Gratis kah?', reply: { root, parent: root } });
  const answer = { channel: requestFor('bluesky', humas).channel, credentials, signal: new AbortController().signal, inReplyTo: question.uri, text: 'Gratis untuk umum.', replyKey: 'reply-festival' };
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const failure = await failureOf(connector.reply!(answer));
  assert.equal(failure.kind, 'uncertain');
  const retried = await connector.reply!(answer);
  assert.equal(sandbox.posts(humas.id).filter((p) => !p.deleted && p.replyTo !== null).length, 1);
  assert.equal(sandbox.stats(humas.id).created, 2);
  assert.equal(retried.externalId, sandbox.posts(humas.id)[0]?.id);
});

test('a deleted post has no metrics or comments to read: permanent not_found', async () => {
  const humas = account('humashapus');
  const request = requestFor('bluesky', humas);
  const published = await connector.publish(request);
  const credentials = published.refreshedCredentials!;
  await connector.remove({ channel: request.channel, credentials, parts: published.parts, signal: request.signal });
  const reading = { channel: request.channel, credentials, signal: request.signal, post: published.parts[0]! };
  const metrics = await failureOf(connector.fetchMetrics!(reading));
  assert.equal(metrics.kind, 'permanent');
  assert.equal(metrics.code, 'not_found');
  assert.equal((await failureOf(connector.fetchComments!(reading))).code, 'not_found');
  const wrong = await failureOf(connector.reply!({ ...reading, inReplyTo: 'https://bsky.app/profile/x/post/y', text: 'Halo', replyKey: 'k' }));
  assert.equal(wrong.code, 'invalid_reference');
});

test('likes from citizens show in the metrics', async () => {
  const lively = await startSandbox({ citizens: { intervalMs: 3_600_000, random: () => 0 } });
  try {
    const humas = lively.createAccount('bluesky', { handle: 'humaslikes', displayName: 'Humas' });
    const request = requestFor('bluesky', humas, { parts: ['Festival budaya akhir pekan ini.'] });
    const published = await connector.publish(request);
    const reading = { channel: request.channel, credentials: published.refreshedCredentials!, signal: request.signal, post: published.parts[0]! };
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

test('a session whose refresh token expired too: the renewal is refused at once (auth), not left waiting on itself', async () => {
  let clock = Date.now();
  const own = await startSandbox({ now: () => clock });
  try {
    const humas = own.createAccount('bluesky', { handle: 'humasberau', displayName: 'Humas Berau' });
    const patient = createBlueskyConnector({ requestTimeoutMs: 20_000 });
    const cached = (await patient.publish(requestFor('bluesky', humas))).refreshedCredentials!;
    // Both tokens run out: the access token's refusal starts a renewal, which the PDS refuses as expired.
    clock += 400 * 24 * 3600 * 1000;
    const started = Date.now();
    const failure = await failureOf(patient.publish(requestFor('bluesky', humas, { credentials: cached, parts: ['Setelah lama tidak dipakai'] })));
    assert.equal(failure.kind, 'auth');
    assert.ok(Date.now() - started < 10_000, 'answered well before the request deadline');
  } finally {
    await own.close();
  }
});

test('the answer’s rate-limit headers tell how many posts the account has left in the window', async () => {
  const own = await startSandbox({ limits: { blueskyWritePoints: { limit: 15, windowSeconds: 3600 } } });
  try {
    const humas = own.createAccount('bluesky', { handle: 'humaskutim', displayName: 'Humas Kutim' });
    const first = await connector.publish(requestFor('bluesky', humas));
    // 15 points, 3 a record: 4 posts left after the first, and the window renews within the hour.
    assert.equal(first.rateWindow?.remaining, 4);
    assert.ok(first.rateWindow!.resetAt.getTime() > Date.now() && first.rateWindow!.resetAt.getTime() <= Date.now() + 3_601_000);
    const second = await connector.publish(requestFor('bluesky', humas, { credentials: first.refreshedCredentials!, parts: ['Kedua'] }));
    assert.equal(second.rateWindow?.remaining, 3);
  } finally {
    await own.close();
  }
});
