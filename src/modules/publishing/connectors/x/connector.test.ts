// X connector against the in-process sandbox: what reaches the server, exactly-once after lost
// answers, how each fault is reported, replies and counts, and signing in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { startSandbox } from '../../../sandbox/index.ts';
import type { Sandbox, SandboxAccount } from '../../../sandbox/index.ts';
import { createXConnector } from './connector.ts';
import { failureOf, image, requestFor } from '../test-support.ts';

let sandbox: Sandbox;
const connector = createXConnector({ requestTimeoutMs: 400 });

before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

const account = (handle: string): SandboxAccount => sandbox.createAccount('x', { handle, displayName: `Humas ${handle}` });
/** Oldest first (the sandbox lists newest first). */
const postsOf = (humas: SandboxAccount) => [...sandbox.posts(humas.id)].reverse();

test('publishes a post with an image and its alt text, and removes it', async () => {
  const humas = account('humaspaser');
  const request = requestFor('x', humas, { parts: ['Peresmian jembatan Long Ikis. https://paserkab.go.id/berita/1 #Paser'], media: [image('Bupati menggunting pita di jembatan')] });
  const result = await connector.publish(request);
  const [post] = sandbox.posts(humas.id);
  assert.equal(post?.id, result.externalId);
  assert.equal(post?.text, request.parts[0]);
  assert.deepEqual(post?.media.map((m) => m.alt), ['Bupati menggunting pita di jembatan']);
  // A practice account's link goes to the sandbox, which sends X permalinks on to the account's page.
  assert.equal(result.url, `${sandbox.urls.x}/humaspaser/status/${result.externalId}`);
  const page = await fetch(result.url!, { redirect: 'manual' });
  assert.match(page.headers.get('location') ?? '', new RegExp(`/x/humaspaser#post-${result.externalId}$`));
  await connector.remove({ channel: request.channel, credentials: request.credentials, parts: result.parts, signal: request.signal });
  assert.equal(sandbox.posts(humas.id)[0]?.deleted, true);
  // A repeated remove of a post already gone is not an error.
  await connector.remove({ channel: request.channel, credentials: request.credentials, parts: result.parts, signal: request.signal });
});

test('a thread goes out as a reply chain in order, the first comment last', async () => {
  const humas = account('humasberau');
  const request = requestFor('x', humas, { parts: ['Bagian satu 1/3', 'Bagian dua 2/3', 'Bagian tiga 3/3'], firstComment: 'Info lengkap di portal.' });
  const result = await connector.publish(request);
  assert.equal(result.parts.length, 4);
  const posts = postsOf(humas);
  assert.deepEqual(posts.map((p) => p.text), [...request.parts, 'Info lengkap di portal.']);
  assert.equal(posts[0]?.replyTo, null);
  for (let i = 1; i < posts.length; i++) assert.equal(posts[i]?.replyTo, posts[i - 1]?.id);
  assert.deepEqual(result.parts.map((p) => p.externalId), posts.map((p) => p.id));
});

test('a part over 280 weighted characters is refused before anything is sent', async () => {
  const humas = account('humaspenajam');
  // 150 CJK characters weigh 300.
  const failure = await failureOf(connector.publish(requestFor('x', humas, { parts: ['Pendek', '日'.repeat(150)] })));
  assert.equal(failure.kind, 'permanent');
  assert.equal(failure.code, 'text_too_long');
  assert.match(failure.reason.id, /bagian 2\): 300 dari 280/);
  assert.equal(sandbox.stats(humas.id).created, 0);
});

test('verify reads the account', async () => {
  const humas = account('humaskutim');
  const request = requestFor('x', humas);
  const me = await connector.verify({ channel: request.channel, credentials: request.credentials, signal: request.signal });
  assert.equal(me.externalAccountId, humas.externalAccountId);
  assert.equal(me.handle, '@humaskutim');
  assert.equal(me.name, 'Humas humaskutim');
});

test('a lost answer is uncertain; the look-up finds the post and no second one is made', async () => {
  const humas = account('humasbontang');
  const request = requestFor('x', humas, { parts: ['Jadwal vaksinasi pekan ini & lokasinya: https://bontangkota.go.id/vaksin'] });
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.equal(failure.kind, 'uncertain');
  assert.equal(sandbox.stats(humas.id).created, 1);
  // The engine's sequence after an uncertain outcome: look up, and only publish if nothing is there.
  const found = await connector.findPublished({ ...request, attempt: 2 });
  assert.equal(found?.externalId, sandbox.posts(humas.id)[0]?.id);
  const again = await connector.publish({ ...request, attempt: 2 });
  assert.equal(again.externalId, found?.externalId);
  assert.equal(sandbox.stats(humas.id).created, 1);
});

test('a timeout with nothing created: the look-up finds nothing, and the retry posts once', async () => {
  const humas = account('humasmahulu');
  const request = requestFor('x', humas, { parts: ['Info banjir Sungai Mahakam.'] });
  sandbox.injectFault(humas.id, { kind: 'timeout', ms: 2_000, times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.equal(failure.kind, 'uncertain');
  assert.equal(failure.code, 'timeout');
  assert.equal(sandbox.stats(humas.id).created, 0);
  assert.equal(await connector.findPublished({ ...request, attempt: 2 }), null);
  await connector.publish({ ...request, attempt: 2 });
  assert.equal(sandbox.stats(humas.id).created, 1);
});

test('a thread lost halfway is completed on retry, never restarted', async () => {
  const humas = account('humassamarinda');
  const request = requestFor('x', humas, { parts: ['Satu 1/3', 'Dua 2/3', 'Tiga 3/3'] });
  // The first attempt got part 1 out, then lost the answer for part 2 (which X did make).
  const first = await connector.publish({ ...request, parts: ['Satu 1/3'] });
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const lost = await failureOf(connector.publish({ ...request, parts: ['Satu 1/3', 'Dua 2/3'], attempt: 2 }));
  assert.equal(lost.kind, 'uncertain');
  assert.equal(sandbox.stats(humas.id).created, 2);
  // Not whole yet: the look-up says "not published", and the next publish sends only part 3.
  assert.equal(await connector.findPublished({ ...request, attempt: 3 }), null);
  const result = await connector.publish({ ...request, attempt: 3 });
  assert.equal(result.externalId, first.externalId);
  assert.equal(result.parts.length, 3);
  assert.equal(sandbox.stats(humas.id).created, 3);
  assert.deepEqual(postsOf(humas).map((p) => p.text), request.parts);
});

test('X refuses the same text twice; on a retry that refusal is checked against the account', async () => {
  const humas = account('humaskubar');
  const request = requestFor('x', humas, { parts: ['Pengumuman seleksi PPPK tahap dua.'] });
  await connector.publish(request);
  const again = await failureOf(connector.publish(requestFor('x', humas, { parts: request.parts })));
  assert.equal(again.kind, 'permanent');
  assert.equal(again.code, 'duplicate_content');
  assert.match(again.reason.id, /teks yang sama persis sudah pernah dikirim akun ini/);
  // A retry of the same target: the look-up finds the post (X would call it a duplicate).
  const retried = await connector.publish({ ...request, attempt: 2 });
  assert.equal(retried.externalId, sandbox.posts(humas.id)[0]?.id);
  assert.equal(sandbox.stats(humas.id).created, 1);
});

test('faults map to the engine\'s kinds', async () => {
  const humas = account('humaskukar');
  const publish = (text: string) => connector.publish(requestFor('x', humas, { parts: [text] }));

  sandbox.injectFault(humas.id, { kind: 'rate_limit', retryAfterSeconds: 42, times: 1 });
  const limited = await failureOf(publish('Satu'));
  assert.equal(limited.kind, 'transient');
  assert.equal(limited.code, 'rate_limited');
  assert.ok(limited.retryAfterMs !== undefined && limited.retryAfterMs > 40_000 && limited.retryAfterMs <= 43_000, String(limited.retryAfterMs));

  sandbox.injectFault(humas.id, { kind: 'server_error', times: 1 });
  const broken = await failureOf(publish('Dua'));
  assert.equal(broken.kind, 'transient');
  assert.equal(broken.status, 500);

  sandbox.injectFault(humas.id, { kind: 'expired_token', times: 1 });
  const refused = await failureOf(publish('Tiga'));
  assert.equal(refused.kind, 'auth');
  assert.equal(sandbox.stats(humas.id).created, 0);
});

test('a 24-hour posting cap is permanent', async () => {
  const humas = account('humascap');
  sandbox.injectFault(humas.id, { kind: 'daily_cap' });
  const failure = await failureOf(connector.publish(requestFor('x', humas)));
  assert.equal(failure.kind, 'permanent');
  assert.equal(failure.code, 'daily_cap');
  sandbox.clearFaults(humas.id);
});

test('the engine\'s signal: cancelled before sending is transient, cancelled in flight is uncertain', async () => {
  const humas = account('humasbulungan');
  const cancelled = new AbortController();
  cancelled.abort();
  const before = await failureOf(connector.publish(requestFor('x', humas, { signal: cancelled.signal })));
  assert.equal(before.kind, 'transient');
  assert.equal(before.code, 'aborted');

  const patient = createXConnector({ requestTimeoutMs: 5_000 });
  sandbox.injectFault(humas.id, { kind: 'timeout', ms: 2_000, times: 1 });
  const inFlight = await failureOf(patient.publish(requestFor('x', humas, { signal: AbortSignal.timeout(300) })));
  assert.equal(inFlight.kind, 'uncertain');
  assert.equal(inFlight.code, 'aborted');
});

test('a refresh returns a new access token and a rotated refresh token', async () => {
  const humas = account('humassangatta');
  const request = requestFor('x', humas);
  const renewed = await connector.refresh!({ channel: request.channel, credentials: request.credentials, signal: request.signal });
  assert.ok(renewed.accessToken && renewed.accessToken !== humas.credentials.accessToken);
  assert.ok(renewed.refreshToken && renewed.refreshToken !== humas.credentials.refreshToken);
  assert.ok(Date.parse(renewed.expiresAt!) > Date.now() + 60 * 60_000);
  const me = await connector.verify({ channel: request.channel, credentials: renewed, signal: request.signal });
  assert.equal(me.externalAccountId, humas.externalAccountId);
  // The old refresh token was spent: using it again means reconnecting.
  const spent = await failureOf(connector.refresh!({ channel: request.channel, credentials: request.credentials, signal: request.signal }));
  assert.equal(spent.kind, 'auth');
});

test('replies from others are read back, and our answer is marked as ours', async () => {
  const humas = account('humastarakan');
  const warga = account('wargatarakan');
  const request = requestFor('x', humas, { parts: ['Jalan Yos Sudarso ditutup sementara.'] });
  const post = await connector.publish(request);
  const question = await connector.reply!({ ...requestFor('x', warga), inReplyTo: post.externalId, text: 'Sampai kapan ditutupnya?', replyKey: 'r1' });
  const answer = await connector.reply!({ ...requestFor('x', humas), inReplyTo: question.externalId, text: 'Sampai Jumat sore.', replyKey: 'r2' });
  const comments = await connector.fetchComments!({ channel: request.channel, credentials: request.credentials, signal: request.signal, post: post.parts[0]!, parts: post.parts });
  assert.deepEqual(comments.map((c) => [c.text, c.inReplyTo, c.own]), [
    ['Sampai kapan ditutupnya?', post.externalId, false],
    ['Sampai Jumat sore.', question.externalId, true],
  ]);
  assert.equal(comments[0]?.author.handle, '@wargatarakan');
  assert.equal(comments[1]?.externalId, answer.externalId);
  const metrics = await connector.fetchMetrics!({ channel: request.channel, credentials: request.credentials, signal: request.signal, post: post.parts[0]! });
  assert.equal(metrics.replies, 1);
});

test('signing in: consent on the sandbox, code exchanged with the PKCE verifier', async () => {
  const humas = account('humasmalinau');
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const app = { clientId: 'siar-test', clientSecret: null, redirectUri: 'http://localhost:9/oauth/x' };
  const url = new URL(connector.oauth!.authorizeUrl({ baseUrl: humas.baseUrl, client: app, state: 'keadaan-1', codeChallenge: challenge }));
  assert.equal(url.origin, humas.baseUrl);
  assert.equal(url.pathname, '/i/oauth2/authorize');
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  assert.match(url.searchParams.get('scope') ?? '', /offline\.access/);
  // What the person does on the consent page: pick the account and allow.
  const page = await (await fetch(url)).text();
  const form = new URLSearchParams(Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')])));
  const choice = new RegExp(`name="account" value="([^"]+)"[^>]*>\\s*Humas humasmalinau`).exec(page)?.[1];
  assert.ok(choice, 'the consent page offers the account');
  form.set('account', choice);
  form.set('keputusan', 'izinkan');
  const consent = await fetch(new URL('/i/oauth2/authorize', humas.baseUrl), { method: 'POST', body: form, redirect: 'manual' });
  const back = new URL(consent.headers.get('location') ?? '');
  assert.equal(back.searchParams.get('state'), 'keadaan-1');
  const grant = await connector.oauth!.exchangeCode({ baseUrl: humas.baseUrl, client: app, code: back.searchParams.get('code') ?? '', codeVerifier: verifier, signal: AbortSignal.timeout(5_000) });
  assert.ok(grant.credentials.accessToken && grant.credentials.refreshToken && grant.credentials.expiresAt);
  assert.equal(grant.credentials.clientId, 'siar-test');
  const request = requestFor('x', humas);
  const me = await connector.verify({ channel: request.channel, credentials: grant.credentials, signal: request.signal });
  assert.equal(me.externalAccountId, humas.externalAccountId);
  // A wrong verifier is refused.
  const wrong = await failureOf(connector.oauth!.exchangeCode({ baseUrl: humas.baseUrl, client: app, code: back.searchParams.get('code') ?? '', codeVerifier: 'salah', signal: AbortSignal.timeout(5_000) }));
  assert.equal(wrong.kind, 'auth');
});

test('production URLs: consent on x.com, API on api.x.com', () => {
  const url = new URL(connector.oauth!.authorizeUrl({ baseUrl: 'https://api.x.com', client: { clientId: 'abc', clientSecret: null, redirectUri: 'https://siar.example/cb' }, state: 's', codeChallenge: 'c' }));
  assert.equal(`${url.origin}${url.pathname}`, 'https://x.com/i/oauth2/authorize');
  assert.equal(connector.defaultBaseUrl, 'https://api.x.com');
});

test('the answer’s x-rate-limit headers tell how many posts the account has left in its window', async () => {
  const humas = account('humasppu');
  const first = await connector.publish(requestFor('x', humas, { parts: ['Pelayanan KTP buka hari Sabtu di Penajam.'] }));
  // 100 posts per 15 minutes per user (the sandbox's default, X's published limit).
  assert.equal(first.rateWindow?.remaining, 99);
  assert.ok(first.rateWindow!.resetAt.getTime() > Date.now() && first.rateWindow!.resetAt.getTime() <= Date.now() + 901_000);
});
