// Facebook Page connector against the in-process sandbox: what reaches the Page, and how each fault is reported.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../../sandbox/index.ts';
import type { Sandbox, SandboxAccount } from '../../../sandbox/index.ts';
import { createFacebookConnector } from './connector.ts';
import { failureOf, image, requestFor } from '../test-support.ts';
import { approveConsent, publishLikeEngine } from '../graph/testing.ts';

let sandbox: Sandbox;
const connector = createFacebookConnector({ requestTimeoutMs: 1_000, throttleFallbackMs: 1_000 });

before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

const account = (handle: string): SandboxAccount => sandbox.createAccount('facebook', { handle, displayName: `Humas ${handle}` });
const live = (humas: SandboxAccount) => sandbox.posts(humas.id).filter((p) => !p.deleted);

test('a post with two photos and their alt text, the first comment under it, then removed', async () => {
  const humas = account('humaspaser');
  const request = requestFor('facebook', humas, {
    parts: ['Peresmian jembatan Long Ikis. https://paserkab.go.id/berita/1'],
    media: [image('Bupati menggunting pita'), image('Warga menyeberangi jembatan')],
    firstComment: 'Info lengkap di portal.',
  });
  const result = await connector.publish(request);
  assert.equal(result.parts.length, 2);
  const post = sandbox.posts(humas.id).find((p) => p.id === result.externalId || result.externalId.endsWith(p.id));
  assert.ok(post, 'the post is on the Page');
  assert.equal(post.text, request.parts[0]);
  assert.deepEqual(post.media.map((m) => m.alt), ['Bupati menggunting pita', 'Warga menyeberangi jembatan']);
  assert.ok(result.url);
  const comment = sandbox.posts(humas.id).find((p) => p.text === 'Info lengkap di portal.');
  assert.ok(comment, 'the first comment is on the Page');
  assert.ok(comment.replyTo !== null, 'the first comment answers the post');
  assert.equal(sandbox.stats(humas.id).created >= 1, true);

  await connector.remove({ channel: request.channel, credentials: request.credentials, parts: result.parts, signal: request.signal });
  assert.equal(live(humas).length, 0);
  // A repeated remove of a post already gone is not an error.
  await connector.remove({ channel: request.channel, credentials: request.credentials, parts: result.parts, signal: request.signal });
});

test('edit changes the text people see', async () => {
  const humas = account('humasberau');
  const request = requestFor('facebook', humas, { parts: ['Jadwal posyandu: Senin.'] });
  const result = await connector.publish(request);
  await connector.edit!({ channel: request.channel, credentials: request.credentials, signal: request.signal, parts: result.parts, texts: ['Jadwal posyandu: Selasa.'], title: null });
  assert.equal(live(humas)[0]?.text, 'Jadwal posyandu: Selasa.');
});

test('verify reads the Page', async () => {
  const humas = account('humaskutim');
  const request = requestFor('facebook', humas);
  const me = await connector.verify({ channel: request.channel, credentials: request.credentials, signal: request.signal });
  assert.equal(me.externalAccountId, humas.externalAccountId);
  assert.ok(me.name);
});

test('a lost answer is uncertain; the look-up finds the post and nothing is posted twice', async () => {
  const humas = account('humasbontang');
  const request = requestFor('facebook', humas, { parts: ['Jadwal vaksinasi pekan ini.'], firstComment: 'Daftar di puskesmas terdekat.' });
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.equal(failure.kind, 'uncertain');
  const run = await publishLikeEngine(connector, { ...request, attempt: 2 });
  assert.equal(live(humas).filter((p) => p.text === 'Jadwal vaksinasi pekan ini.').length, 1);
  assert.equal(live(humas).filter((p) => p.text === 'Daftar di puskesmas terdekat.').length, 1);
  assert.equal(run.result.parts.length, 2);
});

test('a timeout with nothing made: the look-up finds nothing, and the retry posts once', async () => {
  const humas = account('humassamarinda');
  const request = requestFor('facebook', humas, { parts: ['Pengumuman libur nasional.'] });
  sandbox.injectFault(humas.id, { kind: 'timeout', ms: 3_000, times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.ok(failure.kind === 'uncertain' || failure.kind === 'transient', failure.kind);
  if (sandbox.stats(humas.id).created === 0) assert.equal(await connector.findPublished({ ...request, attempt: 2 }), null);
  await publishLikeEngine(connector, { ...request, attempt: 2 });
  assert.equal(live(humas).length, 1);
});

test('faults map to the engine\'s kinds', async () => {
  const humas = account('humaskukar');
  const publish = (text: string) => connector.publish(requestFor('facebook', humas, { parts: [text] }));

  sandbox.injectFault(humas.id, { kind: 'rate_limit', retryAfterSeconds: 42, times: 1 });
  const limited = await failureOf(publish('Satu'));
  assert.equal(limited.kind, 'transient');
  assert.equal(limited.code, 'rate_limited');
  assert.ok(limited.retryAfterMs !== undefined && limited.retryAfterMs > 0, String(limited.retryAfterMs));

  sandbox.injectFault(humas.id, { kind: 'server_error', times: 1 });
  assert.equal((await failureOf(publish('Dua'))).kind, 'transient');

  sandbox.injectFault(humas.id, { kind: 'expired_token', times: 1 });
  assert.equal((await failureOf(publish('Tiga'))).kind, 'auth');

  sandbox.injectFault(humas.id, { kind: 'daily_cap', times: 1 });
  const capped = await failureOf(publish('Empat'));
  assert.equal(capped.kind, 'permanent');
  assert.equal(capped.code, 'daily_cap');

  assert.equal(live(humas).length, 0);
});

test('replying is exactly once per text, and comments read back with ours marked', async () => {
  const humas = account('humasppu');
  const request = requestFor('facebook', humas, { parts: ['Lomba foto HUT kabupaten.'] });
  const result = await connector.publish(request);
  const ask = { channel: request.channel, credentials: request.credentials, signal: request.signal };
  const first = await connector.reply!({ ...ask, inReplyTo: result.externalId, text: 'Terima kasih, pendaftaran dibuka besok.', replyKey: 'r1' });
  const again = await connector.reply!({ ...ask, inReplyTo: result.externalId, text: 'Terima kasih, pendaftaran dibuka besok.', replyKey: 'r1' });
  assert.equal(again.externalId, first.externalId);
  const comments = await connector.fetchComments!({ ...ask, post: result.parts[0]! });
  const ours = comments.filter((c) => c.own);
  assert.equal(ours.length, 1);
  assert.equal(ours[0]?.text, 'Terima kasih, pendaftaran dibuka besok.');
  const metrics = await connector.fetchMetrics!({ ...ask, post: result.parts[0]! });
  assert.equal(typeof metrics.likes, 'number');
  assert.ok((metrics.replies ?? 0) >= 1);
});

test('sign-in: the consent page on the sandbox, then the Pages with their own tokens', async () => {
  const client = { clientId: 'siar-test', clientSecret: 'secret', redirectUri: 'https://siar.example/oauth/callback' };
  const production = new URL(connector.oauth!.authorizeUrl({ baseUrl: 'https://graph.facebook.com', client, state: 's1', codeChallenge: 'c' }));
  assert.equal(production.origin + production.pathname, 'https://www.facebook.com/v23.0/dialog/oauth');
  assert.equal(production.searchParams.get('scope'), 'pages_show_list,pages_manage_posts,pages_read_engagement,pages_manage_engagement');
  const humas = account('humasmahulu');
  const consent = new URL(connector.oauth!.authorizeUrl({ baseUrl: humas.baseUrl, client, state: 's2', codeChallenge: 'c' }));
  assert.equal(consent.pathname, '/v23.0/dialog/oauth');
  assert.equal(consent.origin, new URL(humas.baseUrl).origin);

  const { code, state } = await approveConsent(consent.toString(), humas.id);
  assert.equal(state, 's2');
  const grant = await connector.oauth!.exchangeCode({ baseUrl: humas.baseUrl, client, code, codeVerifier: 'v', signal: new AbortController().signal });
  assert.ok(grant.credentials.accessToken);
  assert.ok(grant.credentials.expiresAt && Date.parse(grant.credentials.expiresAt) > Date.now() + 30 * 24 * 3_600_000, 'the long-lived user token');
  const page = grant.accounts?.find((a) => a.externalAccountId === humas.externalAccountId);
  assert.ok(page, 'the Page is offered');
  // The Page token it carries publishes.
  const request = requestFor('facebook', humas, { credentials: page.credentials, parts: ['Tersambung lewat Facebook Login.'] });
  await connector.publish(request);
  assert.equal(live(humas)[0]?.text, 'Tersambung lewat Facebook Login.');
});
