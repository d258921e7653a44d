// TikTok connector against the in-process sandbox: video and photo posts, privacy, exactly-once, faults, sign-in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox } from '../../../sandbox/index.ts';
import type { Sandbox, SandboxAccount } from '../../../sandbox/index.ts';
import type { OutgoingMedia, PublishRequest } from '../../connector.ts';
import { createTikTokConnector } from './connector.ts';
import type { TikTokConnectorOptions, TikTokPublishResult } from './connector.ts';
import { failureOf, image, jpeg, requestFor } from '../test-support.ts';

let sandbox: Sandbox;
/** Siar's public media, from which TikTok pulls photos. */
let media: Server;
let mediaBase: string;
const options: TikTokConnectorOptions = { requestTimeoutMs: 500, statusWaitMs: 1_000, statusPollMs: 50, moderationWindowMs: 0 };
const connector = createTikTokConnector(options);

before(async () => {
  sandbox = await startSandbox({ limits: { tiktokProcessingMs: 0, tiktokPostInitPerToken: { limit: 1_000, windowSeconds: 60 } } });
  media = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': jpeg.byteLength });
    response.end(jpeg);
  });
  await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
  mediaBase = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
});
after(async () => {
  await sandbox.close();
  await new Promise((resolve) => media.close(resolve));
});

let counter = 0;
const account = (): SandboxAccount => {
  counter += 1;
  return sandbox.createAccount('tiktok', { handle: `humastt${counter}`, displayName: `Humas TikTok ${counter}` });
};

const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(4), Buffer.from('mp42isom'), Buffer.alloc(4000, 1)]);
const video = (): OutgoingMedia => ({ url: 'https://portal.example/video.mp4', read: async () => mp4, mime: 'video/mp4', alt: '', width: 1080, height: 1920 });
const photo = (name: string): OutgoingMedia => ({ ...image(`Foto ${name}`), url: `${mediaBase}/${name}.jpg` });

let unique = 0;
const postRequest = (humas: SandboxAccount, overrides: Partial<PublishRequest> = {}): PublishRequest => {
  unique += 1;
  return requestFor('tiktok', humas, { parts: [`Kegiatan Pemprov nomor ${unique} #Kaltim`], media: [video()], ...overrides });
};
const context = (request: PublishRequest) => ({ channel: request.channel, credentials: request.credentials, signal: request.signal });

/** A fetch that answers creator_info as TikTok does for a private account (no public option). */
const privateAccountFetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const response = await fetch(input, init);
  if (!String(input).includes('/v2/post/publish/creator_info/query/')) return response;
  const body = await response.json() as { data: Record<string, unknown> };
  body.data.privacy_level_options = ['MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'];
  return new Response(JSON.stringify(body), { status: response.status, headers: { 'content-type': 'application/json' } });
}) as typeof fetch;

test('posts a video publicly with its caption, and reads it back', async () => {
  const humas = account();
  const request = postRequest(humas, { firstComment: 'Komentar yang TikTok tidak bisa terima' });
  const result = await connector.publish(request) as TikTokPublishResult;
  assert.equal(result.notice, undefined, 'public when TikTok offers it');
  assert.match(result.externalId, /^\d+$/);
  assert.equal(result.url, `https://www.tiktok.com/@${humas.handle}/video/${result.externalId}`);
  const [post] = sandbox.posts(humas.id);
  assert.equal(post?.id, result.externalId);
  assert.equal(post?.text, request.parts[0]);
  assert.deepEqual(post?.media.map((m) => [m.mime, m.bytes]), [['video/mp4', mp4.byteLength]]);
  assert.equal(sandbox.stats(humas.id).created, 1, 'the first comment is left out: TikTok has no comment API');

  const metrics = await connector.fetchMetrics!({ ...context(request), post: result.parts[0]! });
  assert.equal(metrics.likes, 0);
  assert.equal(metrics.quotes, null);
  const found = await connector.findPublished(request);
  assert.equal(found?.externalId, result.externalId);
});

test('posts photos pulled from Siar\'s public media URLs, with the title and the caption as description', async () => {
  const humas = account();
  const request = postRequest(humas, { title: 'Galeri peresmian', parts: ['Foto-foto peresmian jembatan.'], media: [photo('satu'), photo('dua')] });
  const result = await connector.publish(request);
  const [post] = sandbox.posts(humas.id);
  assert.equal(post?.id, result.externalId);
  assert.match(post?.text ?? '', /Foto-foto peresmian jembatan\./);
  assert.equal(post?.media.length, 2);
  assert.equal(result.url, `https://www.tiktok.com/@${humas.handle}/photo/${result.externalId}`);
});

test('media rules are checked before anything is sent: none, mixed, or a missing file', async () => {
  const humas = account();
  assert.equal((await failureOf(connector.publish(postRequest(humas, { media: [] })))).code, 'media_required');
  assert.equal((await failureOf(connector.publish(postRequest(humas, { media: [video(), photo('x')] })))).code, 'media_rejected');
  const unreachable = await failureOf(connector.publish(postRequest(humas, { media: [{ ...photo('x'), url: 'http://127.0.0.1:1/hilang.jpg' }] })));
  assert.equal(unreachable.code, 'media_unreachable', 'TikTok could not pull the photo: worth another try');
  assert.equal(sandbox.stats(humas.id).created, 0);
});

test('an account without a public option posts with the most public one, and the result says so', async () => {
  const humas = account();
  const privately = createTikTokConnector({ ...options, fetch: privateAccountFetch });
  const request = postRequest(humas);
  const result = await privately.publish(request) as TikTokPublishResult;
  assert.match(result.notice?.id ?? '', /teman \(saling mengikuti\) saja/);
  assert.equal(sandbox.stats(humas.id).created, 1);
  // Such a post never shows in TikTok's list: a lost one cannot be ruled out, so no blind resend.
  const elsewhere = await failureOf(privately.findPublished(postRequest(humas, { parts: ['Tidak pernah dikirim'] })));
  assert.equal(elsewhere.kind, 'permanent');
  assert.equal(elsewhere.code, 'uncertain_unverifiable');
  assert.match(elsewhere.reason.id, /aplikasi TikTok/);
});

test('an unaudited app posting to a public account is refused with the reason', async () => {
  const local = await startSandbox({ limits: { tiktokProcessingMs: 0, tiktokAuditedClient: false } });
  try {
    const humas = local.createAccount('tiktok', { handle: 'humasaudit', displayName: 'Humas Audit' });
    const refused = await failureOf(connector.publish(postRequest(humas)));
    assert.equal(refused.kind, 'permanent');
    assert.equal(refused.code, 'private_only');
    assert.match(refused.reason.id, /belum lolos audit/);
  } finally {
    await local.close();
  }
});

test('a lost answer to a photo post\'s init: uncertain, found by its caption, never posted twice', async () => {
  const humas = account();
  const request = postRequest(humas, { parts: ['Foto gotong royong.'], media: [photo('gotong')] });
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.equal(failure.kind, 'uncertain');
  // TikTok pulls the photos and posts afterwards: engine-style, "not yet visible" is asked again
  // later instead of being read as "not posted".
  const patient = createTikTokConnector({ ...options, moderationWindowMs: 30_000 });
  let found: Awaited<ReturnType<typeof patient.findPublished>> = null;
  for (let tries = 0; tries < 50 && !found; tries++) {
    found = await patient.findPublished(request).catch(async (error: unknown) => {
      assert.equal((error as { code?: string }).code, 'not_yet_visible');
      await new Promise((resolve) => setTimeout(resolve, 50));
      return null;
    });
  }
  assert.equal(found?.externalId, sandbox.posts(humas.id)[0]!.id);
  const again = await connector.publish({ ...request, attempt: 2 });
  assert.equal(again.externalId, found?.externalId);
  assert.equal(sandbox.stats(humas.id).created, 1);
});

test('a lost answer to a video\'s init: uncertain; nothing was posted (no bytes went), so the lookup says null and the resend posts once', async () => {
  const humas = account();
  const request = postRequest(humas);
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.equal(failure.kind, 'uncertain');
  assert.equal(await connector.findPublished(request), null);
  await connector.publish({ ...request, attempt: 2 });
  assert.equal(sandbox.stats(humas.id).created, 1);
});

test('a lost answer to the video\'s last chunk is settled by the post\'s status: one post, no resend', async () => {
  const humas = account();
  let chunks = 0;
  // The chunk reaches TikTok, then the connection drops before its answer arrives.
  const losing = (async (input: string | URL | Request, init?: RequestInit) => {
    const response = await fetch(input, init);
    if (init?.method === 'PUT') {
      chunks += 1;
      await response.arrayBuffer();
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    }
    return response;
  }) as typeof fetch;
  const request = postRequest(humas);
  const result = await createTikTokConnector({ ...options, fetch: losing }).publish(request);
  assert.equal(chunks, 1, 'the status showed every byte arrived: the chunk is not sent again');
  assert.equal(sandbox.stats(humas.id).created, 1);
  assert.equal(result.externalId, sandbox.posts(humas.id)[0]!.id);
});

test('a timeout with nothing created: findPublished answers null', async () => {
  const humas = account();
  const request = postRequest(humas);
  sandbox.injectFault(humas.id, { kind: 'timeout', ms: 1_500, times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.ok(failure.kind === 'uncertain' || failure.kind === 'transient', failure.kind);
  assert.equal(sandbox.stats(humas.id).created, 0);
  assert.equal(await connector.findPublished(request), null);
});

test('while a public post may still be in moderation, "not found" is not believed yet', async () => {
  const humas = account();
  const patient = createTikTokConnector({ ...options, moderationWindowMs: 60_000 });
  const waiting = await failureOf(patient.findPublished(postRequest(humas)));
  assert.equal(waiting.kind, 'transient');
  assert.equal(waiting.code, 'not_yet_visible');
  assert.ok(waiting.retryAfterMs! > 0);
});

test('faults map to the engine\'s kinds: auth, rate limit, server error, daily cap', async () => {
  const humas = account();
  sandbox.injectFault(humas.id, { kind: 'expired_token', times: 1 });
  assert.equal((await failureOf(connector.publish(postRequest(humas)))).kind, 'auth');

  sandbox.injectFault(humas.id, { kind: 'rate_limit', retryAfterSeconds: 30, times: 1 });
  const limited = await failureOf(connector.publish(postRequest(humas)));
  assert.equal(limited.kind, 'transient');
  assert.equal(limited.code, 'rate_limited');
  assert.ok(limited.retryAfterMs !== undefined && limited.retryAfterMs > 25_000 && limited.retryAfterMs <= 60_000, String(limited.retryAfterMs));

  sandbox.injectFault(humas.id, { kind: 'server_error', times: 1 });
  assert.equal((await failureOf(connector.publish(postRequest(humas)))).kind, 'transient');

  sandbox.injectFault(humas.id, { kind: 'daily_cap', times: 1 });
  const capped = await failureOf(connector.publish(postRequest(humas)));
  assert.equal(capped.kind, 'permanent');
  assert.equal(capped.code, 'daily_cap');
  assert.equal(sandbox.stats(humas.id).created, 0);
});

test('the daily post cap (spam_risk_too_many_posts) is a permanent daily_cap', async () => {
  const local = await startSandbox({ limits: { tiktokProcessingMs: 0, tiktokPostsPerDay: { limit: 2, windowSeconds: 86_400 } } });
  try {
    const humas = local.createAccount('tiktok', { handle: 'humascap', displayName: 'Humas Cap' });
    await connector.publish(postRequest(humas));
    await connector.publish(postRequest(humas));
    const capped = await failureOf(connector.publish(postRequest(humas)));
    assert.equal(capped.kind, 'permanent');
    assert.equal(capped.code, 'daily_cap');
    assert.match(capped.reason.id, /batas jumlah postingan harian/);
    assert.equal(local.stats(humas.id).created, 2);
  } finally {
    await local.close();
  }
});

test('refresh rotates the refresh token; the old one stops working', async () => {
  const humas = account();
  // Credentials from Siar's sign-in carry the app's client key and secret (the sandbox accepts any).
  const request = postRequest(humas, { credentials: { ...humas.credentials, clientId: 'siar-client-key', clientSecret: 'rahasia' } });
  const renewed = await connector.refresh!(context(request));
  assert.notEqual(renewed.accessToken, humas.credentials.accessToken);
  assert.notEqual(renewed.refreshToken, humas.credentials.refreshToken);
  assert.equal(renewed.clientId, 'siar-client-key');
  assert.ok(Date.parse(renewed.expiresAt!) > Date.now());
  await connector.publish({ ...request, credentials: renewed });
  assert.equal(sandbox.stats(humas.id).created, 1);
  const stale = await failureOf(connector.refresh!(context(request)));
  assert.equal(stale.kind, 'auth');
  // Pasted credentials without the client key: TikTok cannot refresh them; reconnecting is the way.
  const withoutApp = Object.fromEntries(Object.entries(humas.credentials).filter(([key]) => key !== 'clientId' && key !== 'clientSecret'));
  const pasted = await failureOf(connector.refresh!(context(postRequest(humas, { credentials: { ...withoutApp, refreshToken: renewed.refreshToken! } }))));
  assert.equal(pasted.kind, 'auth');
});

test('no delete and no comments API: capabilities say so, remove and reply give advice', async () => {
  const humas = account();
  const request = postRequest(humas);
  const can = await connector.capabilities!(context(request));
  assert.equal(can.canDelete, false);
  assert.equal(can.canReadComments, false);
  assert.equal(can.canReply, false);
  assert.equal(can.canEdit, false);
  assert.deepEqual(can.mediaKinds, ['image', 'video']);
  const removal = await failureOf(connector.remove({ ...context(request), parts: [{ externalId: '7300000000000000001', url: null }] }));
  assert.equal(removal.kind, 'permanent');
  assert.match(removal.reason.id, /aplikasi TikTok/);
  const answer = await failureOf(connector.reply!({ ...context(request), inReplyTo: '7300000000000000001', text: 'Terima kasih', replyKey: 'k' }));
  assert.equal(answer.kind, 'permanent');
  assert.match(answer.reason.en, /TikTok app/);
});

test('verify reads the account; sign-in: consent with PKCE, code exchanged for tokens that work', async () => {
  const humas = account();
  const me = await connector.verify(context(postRequest(humas)));
  assert.equal(me.externalAccountId, humas.externalAccountId);
  assert.equal(me.handle, `@${humas.handle}`);

  const client = { clientId: 'siar-client-key', clientSecret: 'rahasia', redirectUri: 'http://localhost:3000/oauth/tiktok' };
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
  const consent = connector.oauth!.authorizeUrl({ baseUrl: humas.baseUrl, client, state: 'negara', codeChallenge: challenge });
  assert.ok(consent.startsWith(`${humas.baseUrl}/v2/auth/authorize/?`));
  assert.ok(connector.oauth!.authorizeUrl({ baseUrl: 'https://open.tiktokapis.com', client, state: 's', codeChallenge: challenge }).startsWith('https://www.tiktok.com/v2/auth/authorize/?client_key=siar-client-key'));

  const page = await (await fetch(consent)).text();
  const fields = new URLSearchParams();
  for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(name!, value!.replace(/&amp;/g, '&'));
  const chosen = new RegExp(`name="account" value="([^"]+)"[^>]*> ${humas.displayName} `).exec(page);
  fields.set('account', chosen?.[1] ?? humas.id);
  fields.set('decision', 'allow');
  const approved = await fetch(consent, { method: 'POST', body: fields, redirect: 'manual' });
  const back = new URL(approved.headers.get('location') ?? '');
  assert.equal(back.searchParams.get('state'), 'negara');
  const grant = await connector.oauth!.exchangeCode({ baseUrl: humas.baseUrl, client, code: back.searchParams.get('code')!, codeVerifier: verifier, signal: new AbortController().signal });
  assert.ok(grant.credentials.accessToken && grant.credentials.refreshToken && grant.credentials.expiresAt);
  assert.equal(grant.credentials.clientId, client.clientId);
  const again = await connector.verify({ channel: requestFor('tiktok', humas).channel, credentials: grant.credentials, signal: new AbortController().signal });
  assert.equal(again.externalAccountId, humas.externalAccountId);
  // The refresh uses the client key and secret kept with the credentials.
  const renewed = await connector.refresh!({ channel: requestFor('tiktok', humas).channel, credentials: grant.credentials, signal: new AbortController().signal });
  assert.notEqual(renewed.refreshToken, grant.credentials.refreshToken);
});
