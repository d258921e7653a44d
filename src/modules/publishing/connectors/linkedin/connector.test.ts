// LinkedIn connector against the in-process sandbox: what reaches the server (escaped commentary,
// images with alt text, follow-up parts as comments), exactly-once after lost answers, how each
// fault is reported, edits, comments and counts, and signing in with the Page choice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../../sandbox/index.ts';
import type { Sandbox, SandboxAccount } from '../../../sandbox/index.ts';
import { createLinkedInConnector } from './connector.ts';
import { failureOf, image, requestFor } from '../test-support.ts';

let sandbox: Sandbox;
const connector = createLinkedInConnector({ requestTimeoutMs: 1_500 });

before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

const account = (handle: string): SandboxAccount => sandbox.createAccount('linkedin', { handle, displayName: `Humas ${handle}` });
const postsOf = (humas: SandboxAccount) => [...sandbox.posts(humas.id)].reverse();

test('publishes a post whose reserved characters show as typed, with images and alt text, and removes it', async () => {
  const humas = account('humaspaser');
  const text = 'Rapat koordinasi (terbuka untuk umum) #Paser — info: humas_paser@paserkab.go.id [tautan di bio]';
  const request = requestFor('linkedin', humas, { parts: [text], media: [image('Bupati membuka rapat'), image('Peserta rapat di aula')] });
  const result = await connector.publish(request);
  const [post] = sandbox.posts(humas.id);
  assert.equal(post?.id, result.externalId);
  // Escaped on the way out, the post keeps every character instead of being cut at "(".
  assert.equal(post?.text, text);
  assert.deepEqual(post?.media.map((m) => m.alt), ['Bupati membuka rapat', 'Peserta rapat di aula']);
  assert.equal(result.url, `https://www.linkedin.com/feed/update/${result.externalId}/`);
  await connector.remove({ channel: request.channel, credentials: request.credentials, parts: result.parts, signal: request.signal });
  assert.equal(sandbox.posts(humas.id).find((p) => p.id === result.externalId)?.deleted, true);
  await connector.remove({ channel: request.channel, credentials: request.credentials, parts: result.parts, signal: request.signal });
});

test('parts after the first and the first comment go out as the author\'s comments, in order', async () => {
  const humas = account('humasberau');
  const request = requestFor('linkedin', humas, { parts: ['Bagian satu', 'Bagian dua'], firstComment: 'Info lengkap di portal.' });
  const result = await connector.publish(request);
  assert.equal(result.parts.length, 3);
  const posts = postsOf(humas);
  assert.deepEqual(posts.map((p) => p.text), ['Bagian satu', 'Bagian dua', 'Info lengkap di portal.']);
  assert.equal(posts[1]?.replyTo, result.externalId);
  assert.equal(posts[2]?.replyTo, result.externalId);
});

test('verify reads the account as its author URN', async () => {
  const humas = account('humaskutim');
  const request = requestFor('linkedin', humas);
  const me = await connector.verify({ channel: request.channel, credentials: request.credentials, signal: request.signal });
  assert.equal(me.externalAccountId, humas.externalAccountId.startsWith('urn:li:') ? humas.externalAccountId : me.externalAccountId);
  assert.match(me.externalAccountId, /^urn:li:(person|organization):/);
  assert.ok(me.name.length > 0);
});

test('a lost answer is uncertain; the look-up finds the post and no second one is made', async () => {
  const humas = account('humasbontang');
  const request = requestFor('linkedin', humas, { parts: ['Jadwal vaksinasi (gratis) pekan ini.'] });
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.equal(failure.kind, 'uncertain');
  assert.equal(sandbox.stats(humas.id).created, 1);
  const found = await connector.findPublished({ ...request, attempt: 2 });
  assert.equal(found?.externalId, sandbox.posts(humas.id)[0]?.id);
  const again = await connector.publish({ ...request, attempt: 2 });
  assert.equal(again.externalId, found?.externalId);
  assert.equal(sandbox.stats(humas.id).created, 1);
});

test('a timeout with nothing created: the look-up finds nothing', async () => {
  const humas = account('humasmahulu');
  const request = requestFor('linkedin', humas, { parts: ['Info banjir Sungai Mahakam.'] });
  sandbox.injectFault(humas.id, { kind: 'timeout', ms: 4_000, times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.equal(failure.kind, 'uncertain');
  assert.equal(failure.code, 'timeout');
  assert.equal(sandbox.stats(humas.id).created, 0);
  assert.equal(await connector.findPublished({ ...request, attempt: 2 }), null);
});

test('a post whose comments were cut off is completed on retry, never posted twice', async () => {
  const humas = account('humassamarinda');
  const request = requestFor('linkedin', humas, { parts: ['Satu', 'Dua', 'Tiga'] });
  const first = await connector.publish({ ...request, parts: ['Satu', 'Dua'] });
  assert.equal(await connector.findPublished({ ...request, attempt: 2 }), null);
  const result = await connector.publish({ ...request, attempt: 2 });
  assert.equal(result.externalId, first.externalId);
  assert.deepEqual(result.parts.slice(0, 2).map((p) => p.externalId), first.parts.map((p) => p.externalId));
  assert.equal(result.parts.length, 3);
  assert.deepEqual(postsOf(humas).map((p) => p.text), ['Satu', 'Dua', 'Tiga']);
});

test('faults map to the engine\'s kinds', async () => {
  const humas = account('humaskukar');
  const publish = (text: string) => connector.publish(requestFor('linkedin', humas, { parts: [text] }));

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

  const long = await failureOf(publish('x'.repeat(3_001)));
  assert.equal(long.kind, 'permanent');
  assert.equal(long.code, 'text_too_long');
});

test('a daily posting cap is permanent', async () => {
  const humas = account('humascap');
  sandbox.injectFault(humas.id, { kind: 'daily_cap' });
  const failure = await failureOf(connector.publish(requestFor('linkedin', humas)));
  assert.equal(failure.kind, 'permanent');
  assert.equal(failure.code, 'daily_cap');
  sandbox.clearFaults(humas.id);
});

test('an edit changes the commentary, escaped like the original', async () => {
  const humas = account('humasppu');
  const request = requestFor('linkedin', humas, { parts: ['Jadwal pelayanan KTP (lama)'] });
  const result = await connector.publish(request);
  await connector.edit!({ channel: request.channel, credentials: request.credentials, signal: request.signal, parts: result.parts, texts: ['Jadwal pelayanan KTP (baru)'], title: null });
  assert.equal(sandbox.posts(humas.id)[0]?.text, 'Jadwal pelayanan KTP (baru)');
});

test('comments under the post are read back, our reply marked as ours, and counted', async () => {
  const humas = account('humastarakan');
  const request = requestFor('linkedin', humas, { parts: ['Jalan Yos Sudarso ditutup sementara.'] });
  const post = await connector.publish(request);
  const reply = await connector.reply!({ channel: request.channel, credentials: request.credentials, signal: request.signal, inReplyTo: post.externalId, text: 'Info lanjut menyusul.', replyKey: 'r1' });
  const comments = await connector.fetchComments!({ channel: request.channel, credentials: request.credentials, signal: request.signal, post: post.parts[0]!, parts: post.parts });
  const ours = comments.find((c) => c.externalId === reply.externalId);
  assert.equal(ours?.text, 'Info lanjut menyusul.');
  assert.equal(ours?.own, true);
  assert.equal(ours?.inReplyTo, post.externalId);
  const metrics = await connector.fetchMetrics!({ channel: request.channel, credentials: request.credentials, signal: request.signal, post: post.parts[0]! });
  assert.equal(metrics.replies, comments.length);
});

test('signing in lists the member and the Pages they administer as choices', async () => {
  const humas = account('humasmalinau');
  const app = { clientId: 'siar-test', clientSecret: 'rahasia', redirectUri: 'http://localhost:9/oauth/linkedin' };
  const url = new URL(connector.oauth!.authorizeUrl({ baseUrl: humas.baseUrl, client: app, state: 'keadaan-1', codeChallenge: 'tidak-dipakai' }));
  assert.equal(url.origin, humas.baseUrl);
  assert.equal(url.pathname, '/oauth/v2/authorization');
  assert.equal(url.searchParams.get('code_challenge'), null);
  const page = await (await fetch(url)).text();
  const form = new URLSearchParams(Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')])));
  const choice = new RegExp(`name="account" value="([^"]+)"[^>]*>[^<]*Humas humasmalinau`).exec(page)?.[1];
  assert.ok(choice, 'the consent page offers the account');
  form.set('account', choice);
  form.set('keputusan', 'izinkan');
  const consent = await fetch(new URL(url.pathname, humas.baseUrl), { method: 'POST', body: form, redirect: 'manual' });
  const back = new URL(consent.headers.get('location') ?? '');
  assert.equal(back.searchParams.get('state'), 'keadaan-1');
  const grant = await connector.oauth!.exchangeCode({ baseUrl: humas.baseUrl, client: app, code: back.searchParams.get('code') ?? '', codeVerifier: '', signal: AbortSignal.timeout(5_000) });
  assert.ok(grant.credentials.accessToken && grant.credentials.expiresAt);
  assert.ok(grant.accounts?.some((a) => a.externalAccountId === humas.externalAccountId || a.externalAccountId.endsWith(`:${humas.externalAccountId}`)), JSON.stringify(grant.accounts));
  assert.ok(grant.accounts?.some((a) => a.externalAccountId.startsWith('urn:li:person:')));
});

test('production URLs: consent and token on www.linkedin.com, API on api.linkedin.com', () => {
  const url = new URL(connector.oauth!.authorizeUrl({ baseUrl: 'https://api.linkedin.com', client: { clientId: 'abc', clientSecret: 's', redirectUri: 'https://siar.example/cb' }, state: 's', codeChallenge: 'c' }));
  assert.equal(`${url.origin}${url.pathname}`, 'https://www.linkedin.com/oauth/v2/authorization');
  assert.equal(connector.defaultBaseUrl, 'https://api.linkedin.com');
});

test('LinkedIn refuses the same text twice; a retry of the same target finds its post instead', async () => {
  const humas = account('humaskubar');
  const request = requestFor('linkedin', humas, { parts: ['Pengumuman seleksi PPPK tahap dua.'] });
  await connector.publish(request);
  const again = await failureOf(connector.publish(requestFor('linkedin', humas, { parts: request.parts })));
  assert.equal(again.kind, 'permanent');
  assert.equal(again.code, 'duplicate_content');
  assert.match(again.reason.id, /isi yang sama persis sudah pernah dikirim/);
  const retried = await connector.publish({ ...request, attempt: 2 });
  assert.equal(retried.externalId, sandbox.posts(humas.id)[0]?.id);
  assert.equal(sandbox.stats(humas.id).created, 1);
});
