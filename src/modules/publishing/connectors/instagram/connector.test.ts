// Instagram connector against the in-process sandbox, which really fetches each image_url from a local web server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../../sandbox/index.ts';
import type { Sandbox, SandboxAccount } from '../../../sandbox/index.ts';
import { createInstagramConnector } from './connector.ts';
import { failureOf, requestFor } from '../test-support.ts';
import { approveConsent, losingFetch, publishLikeEngine, startImageHost } from '../graph/testing.ts';
import type { ImageHost } from '../graph/testing.ts';

let sandbox: Sandbox;
let host: ImageHost;
const connector = createInstagramConnector({ requestTimeoutMs: 1_500, containerPollMs: 20, containerTimeoutMs: 5_000, throttleFallbackMs: 1_000 });

before(async () => {
  sandbox = await startSandbox();
  host = await startImageHost();
});
after(async () => {
  await sandbox.close();
  await host.close();
});

const account = (handle: string): SandboxAccount => sandbox.createAccount('instagram', { handle, displayName: `Humas ${handle}` });
const live = (humas: SandboxAccount) => sandbox.posts(humas.id).filter((p) => !p.deleted);

test('one JPEG with caption and alt text, pulled from its URL, and the first comment as a comment', async () => {
  const humas = account('humaspaser');
  const request = requestFor('instagram', humas, {
    parts: ['Peresmian jembatan Long Ikis. #Paser'],
    media: [host.media('jembatan.jpg', 'Bupati menggunting pita')],
    firstComment: 'Info lengkap: paserkab.go.id',
  });
  const result = await connector.publish(request);
  assert.ok((host.hits.get('/jembatan.jpg') ?? 0) >= 1, 'Instagram fetched the image itself');
  const post = live(humas).find((p) => p.id === result.externalId);
  assert.ok(post);
  assert.equal(post.text, request.parts[0]);
  assert.deepEqual(post.media.map((m) => [m.mime, m.alt]), [['image/jpeg', 'Bupati menggunting pita']]);
  assert.equal(result.parts.length, 2);
  assert.equal(sandbox.stats(humas.id).created >= 1, true);
});

test('a carousel of three images is one post', async () => {
  const humas = account('humasberau');
  const request = requestFor('instagram', humas, {
    parts: ['Dokumentasi Festival Derawan.'],
    media: [host.media('a.jpg', 'Penari'), host.media('b.jpg', 'Perahu hias'), host.media('c.jpg', 'Penonton')],
  });
  const result = await connector.publish(request);
  const post = live(humas).find((p) => p.id === result.externalId);
  assert.equal(post?.media.length, 3);
  assert.deepEqual(post?.media.map((m) => m.alt), ['Penari', 'Perahu hias', 'Penonton']);
});

test('media Instagram cannot take: PNG is refused before anything is sent, an unreachable URL by Instagram', async () => {
  const humas = account('humaskutim');
  const png = await failureOf(connector.publish(requestFor('instagram', humas, { media: [host.media('logo.png', 'Logo')] })));
  assert.equal(png.kind, 'permanent');
  assert.equal(png.code, 'media_unsupported');
  assert.equal(sandbox.stats(humas.id).requests, 0);
  const missing = await failureOf(connector.publish(requestFor('instagram', humas, { media: [host.media('missing.jpg', 'Hilang')] })));
  assert.equal(missing.kind, 'permanent');
  assert.equal(missing.code, 'media_rejected');
  assert.match(missing.reason.id, /gambar|media/);
  assert.equal(live(humas).length, 0);
});

test('a lost media_publish answer is uncertain; the look-up finds the post and nothing is posted twice', async () => {
  const humas = account('humasbontang');
  const request = requestFor('instagram', humas, { parts: ['Jadwal vaksinasi pekan ini.'], media: [host.media('vaksin.jpg', 'Petugas menyuntik warga')], firstComment: 'Daftar di puskesmas.' });
  const losing = createInstagramConnector({ requestTimeoutMs: 1_500, containerPollMs: 20, fetch: losingFetch('/media_publish') });
  const failure = await failureOf(losing.publish(request));
  assert.equal(failure.kind, 'uncertain');
  assert.equal(sandbox.stats(humas.id).created, 1);
  // The engine looks first: the post is there, its first comment is not yet, so the look-up says
  // "not whole" and publishing again only adds the comment.
  assert.equal(await connector.findPublished({ ...request, attempt: 2 }), null);
  const run = await publishLikeEngine(connector, { ...request, attempt: 2 });
  // One post and one comment, each made once.
  assert.equal(sandbox.stats(humas.id).created, 2);
  assert.equal(live(humas).filter((p) => p.replyTo === null).length, 1);
  assert.equal(live(humas).filter((p) => p.text === 'Daftar di puskesmas.').length, 1);
  assert.equal(run.result.externalId, live(humas).find((p) => p.replyTo === null)?.id);
  assert.equal(run.result.parts.length, 2);
  const found = await connector.findPublished({ ...request, attempt: 3 });
  assert.deepEqual(found?.parts.map((p) => p.externalId), run.result.parts.map((p) => p.externalId));
});

test('a lost container answer is harmless: the retry makes a new container and one post', async () => {
  const humas = account('humasbalikpapan2');
  const request = requestFor('instagram', humas, { parts: ['Pasar murah Sabtu ini.'], media: [host.media('pasar.jpg', 'Pasar')] });
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const run = await publishLikeEngine(connector, request);
  assert.deepEqual(run.failures, ['transient']);
  assert.equal(sandbox.stats(humas.id).created, 1);
  assert.equal(live(humas).length, 1);
});

test('findPublished answers null when nothing was made', async () => {
  const humas = account('humassamarinda');
  const request = requestFor('instagram', humas, { parts: ['Belum terbit.'], media: [host.media('x.jpg', 'X')] });
  assert.equal(await connector.findPublished(request), null);
});

test('faults map to the engine\'s kinds; a used-up quota is a daily cap', async () => {
  const humas = account('humaskukar');
  const publish = (text: string) => connector.publish(requestFor('instagram', humas, { parts: [text], media: [host.media(`${text}.jpg`, text)] }));

  sandbox.injectFault(humas.id, { kind: 'rate_limit', retryAfterSeconds: 42, times: 1 });
  const limited = await failureOf(publish('satu'));
  assert.equal(limited.kind, 'transient');
  assert.ok(limited.retryAfterMs !== undefined && limited.retryAfterMs > 0);

  sandbox.injectFault(humas.id, { kind: 'expired_token', times: 1 });
  assert.equal((await failureOf(publish('dua'))).kind, 'auth');

  sandbox.injectFault(humas.id, { kind: 'daily_cap', times: 1 });
  const capped = await failureOf(publish('tiga'));
  assert.equal(capped.kind, 'permanent');
  assert.equal(capped.code, 'daily_cap');
  assert.equal(live(humas).length, 0);
});

test('capabilities read the live quota; remove says to delete in the app', async () => {
  const humas = account('humasppu');
  const request = requestFor('instagram', humas, { parts: ['Kuota.'], media: [host.media('kuota.jpg', 'Kuota')] });
  const ask = { channel: request.channel, credentials: request.credentials, signal: request.signal };
  const before = await connector.capabilities!(ask);
  assert.equal(before.canDelete, false);
  assert.equal(typeof before.postsRemaining, 'number');
  const result = await connector.publish(request);
  const afterwards = await connector.capabilities!(ask);
  assert.equal(afterwards.postsRemaining, before.postsRemaining! - 1);
  const refused = await failureOf(connector.remove({ ...ask, parts: result.parts }));
  assert.equal(refused.code, 'delete_unsupported');
  assert.match(refused.reason.id, /aplikasi Instagram/);
});

test('refresh renews a token at least a day old; a younger one is refused as needing a reconnect', async () => {
  let clock = Date.UTC(2026, 0, 5, 0, 0);
  const timed = await startSandbox({ now: () => clock });
  try {
    const humas = timed.createAccount('instagram', { handle: 'humasrefresh', displayName: 'Humas' });
    const ask = { channel: requestFor('instagram', humas).channel, credentials: { ...humas.credentials }, signal: new AbortController().signal };
    const early = await failureOf(connector.refresh!(ask));
    assert.equal(early.kind, 'auth');
    assert.equal(early.code, 'refresh_refused');
    clock += 25 * 3_600_000;
    const renewed = await connector.refresh!(ask);
    assert.ok(renewed.accessToken);
    assert.ok(renewed.expiresAt && Date.parse(renewed.expiresAt) > Date.now() + 50 * 24 * 3_600_000);
    // The renewed token works.
    const me = await connector.verify({ ...ask, credentials: renewed });
    assert.equal(me.externalAccountId, humas.externalAccountId);
  } finally {
    await timed.close();
  }
});

test('replies and comments: ours is marked, a retried reply is not doubled', async () => {
  const humas = account('humasmahulu');
  const request = requestFor('instagram', humas, { parts: ['Lomba foto.'], media: [host.media('lomba.jpg', 'Lomba')], firstComment: 'Syarat di tautan bio.' });
  const result = await connector.publish(request);
  const ask = { channel: request.channel, credentials: request.credentials, signal: request.signal };
  const comments = await connector.fetchComments!({ ...ask, post: result.parts[0]! });
  assert.deepEqual(comments.filter((c) => c.own).map((c) => c.text), ['Syarat di tautan bio.']);
  const first = await connector.reply!({ ...ask, inReplyTo: result.parts[1]!.externalId, text: 'Terima kasih!', replyKey: 'k' });
  const again = await connector.reply!({ ...ask, inReplyTo: result.parts[1]!.externalId, text: 'Terima kasih!', replyKey: 'k' });
  assert.equal(again.externalId, first.externalId);
  const metrics = await connector.fetchMetrics!({ ...ask, post: result.parts[0]! });
  assert.ok((metrics.replies ?? 0) >= 1);
});

test('sign-in: instagram.com in production, the sandbox\'s own origin otherwise', async () => {
  const client = { clientId: 'siar-test', clientSecret: 'secret', redirectUri: 'https://siar.example/oauth/callback' };
  const production = new URL(connector.oauth!.authorizeUrl({ baseUrl: 'https://graph.instagram.com', client, state: 's', codeChallenge: 'c' }));
  assert.equal(production.origin + production.pathname, 'https://www.instagram.com/oauth/authorize');
  assert.equal(production.searchParams.get('response_type'), 'code');
  const humas = account('humasbalikpapan');
  const consent = new URL(connector.oauth!.authorizeUrl({ baseUrl: humas.baseUrl, client, state: 's', codeChallenge: 'c' }));
  assert.equal(consent.origin, new URL(humas.baseUrl).origin);
  assert.equal(consent.pathname, '/oauth/authorize');

  const { code, state } = await approveConsent(consent.toString(), humas.id);
  assert.equal(state, 's');
  const grant = await connector.oauth!.exchangeCode({ baseUrl: humas.baseUrl, client, code, codeVerifier: 'v', signal: new AbortController().signal });
  assert.ok(grant.credentials.accessToken);
  assert.ok(grant.credentials.expiresAt && Date.parse(grant.credentials.expiresAt) > Date.now() + 50 * 24 * 3_600_000, 'the long-lived token');
  const me = await connector.verify({ channel: requestFor('instagram', humas).channel, credentials: grant.credentials, signal: new AbortController().signal });
  assert.equal(me.externalAccountId, humas.externalAccountId);
});
