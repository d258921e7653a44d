// YouTube connector against the in-process sandbox: upload, first comment, exactly-once, faults, reads, edits, sign-in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../../sandbox/index.ts';
import type { Fault, Sandbox, SandboxAccount } from '../../../sandbox/index.ts';
import type { OutgoingMedia, PublishRequest } from '../../connector.ts';
import { createYouTubeConnector } from './connector.ts';
import type { YouTubePublishResult } from './connector.ts';
import { failureOf, image, requestFor } from '../test-support.ts';

let sandbox: Sandbox;
const options = { requestTimeoutMs: 500, processingWaitMs: 300, processingPollMs: 100 };
const connector = createYouTubeConnector(options);

before(async () => {
  // The quota is the project's, shared by every channel of the sandbox: generous here, small in its own test.
  sandbox = await startSandbox({ limits: { youtubeQuotaUnitsPerDay: 1_000_000, youtubeProcessingMs: 0 } });
});
after(() => sandbox.close());

let counter = 0;
const account = (): SandboxAccount => {
  counter += 1;
  return sandbox.createAccount('youtube', { handle: `humasyt${counter}`, displayName: `Humas YouTube ${counter}` });
};

/** An MP4 header (ftyp box) and padding: enough to be taken for a video. */
const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(4), Buffer.from('mp42isom'), Buffer.alloc(4000, 1)]);
const video = (): OutgoingMedia => ({ url: 'https://portal.example/video.mp4', read: async () => mp4, mime: 'video/mp4', alt: '', width: 1920, height: 1080 });

let unique = 0;
const videoRequest = (humas: SandboxAccount, overrides: Partial<PublishRequest> = {}): PublishRequest => {
  unique += 1;
  return requestFor('youtube', humas, { title: `Peresmian Jembatan Mahakam ${unique}`, parts: [`Video kegiatan peresmian nomor ${unique}.`], media: [video()], ...overrides });
};

const context = (request: PublishRequest) => ({ channel: request.channel, credentials: request.credentials, signal: request.signal });

test('uploads the video with title and description, adds the first comment, and reads it all back', async () => {
  const humas = account();
  const request = videoRequest(humas, {
    title: `Jembatan <Mahakam> ${'panjang '.repeat(20)}`,
    parts: ['Warga Samarinda hadir <b>ramai</b>.'],
    firstComment: 'Tonton juga siaran langsungnya.',
  });
  const result = await connector.publish(request) as YouTubePublishResult;
  assert.equal(result.parts.length, 2);
  assert.equal(result.notice, undefined);
  assert.equal(result.url, `https://www.youtube.com/watch?v=${result.externalId}`);

  const posts = sandbox.posts(humas.id);
  const uploaded = posts.find((p) => p.id === result.externalId);
  assert.equal(uploaded?.text, 'Warga Samarinda hadir bramai/b.', 'the description, without < and >');
  assert.deepEqual(uploaded?.media.map((m) => [m.mime, m.bytes]), [['video/mp4', mp4.byteLength]]);
  const comment = posts.find((p) => p.replyTo === result.externalId);
  assert.equal(comment?.text, 'Tonton juga siaran langsungnya.');

  const comments = await connector.fetchComments!({ ...context(request), post: result.parts[0]! });
  assert.deepEqual(comments.map((c) => [c.text, c.own, c.inReplyTo]), [['Tonton juga siaran langsungnya.', true, result.externalId]]);
  const metrics = await connector.fetchMetrics!({ ...context(request), post: result.parts[0]! });
  assert.equal(metrics.replies, 1);
  assert.equal(typeof metrics.views, 'number');
});

test('the title is the post title cut to 100 characters, without < and >', async () => {
  const humas = account();
  const title = `Jembatan <Mahakam> ${'panjang '.repeat(20)}`;
  const request = videoRequest(humas, { title });
  const result = await connector.publish(request);
  const found = await connector.findPublished(request);
  assert.equal(found?.externalId, result.externalId, 'looked up by exactly the title and description sent');
  const other = await connector.findPublished({ ...request, title: `Lain ${title}` });
  assert.equal(other, null, 'a different title is a different video');
});

test('a post without a video, or with more than one medium, is refused before anything is sent', async () => {
  const humas = account();
  const noVideo = await failureOf(connector.publish(videoRequest(humas, { media: [image('Foto')] })));
  assert.equal(noVideo.kind, 'permanent');
  assert.equal(noVideo.code, 'video_required');
  assert.match(noVideo.reason.id, /video/);
  const none = await failureOf(connector.publish(videoRequest(humas, { media: [] })));
  assert.equal(none.code, 'video_required');
  const two = await failureOf(connector.publish(videoRequest(humas, { media: [video(), video()] })));
  assert.equal(two.code, 'media_rejected');
  assert.equal(sandbox.stats(humas.id).created, 0);
});

test('a lost answer when opening the upload session leaves nothing behind: transient, and the retry uploads once', async () => {
  const humas = account();
  const request = videoRequest(humas);
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.equal(failure.kind, 'transient', 'an upload session alone is nothing anyone sees');
  assert.equal(sandbox.stats(humas.id).created, 0);
  await connector.publish({ ...request, attempt: 2 });
  assert.equal(sandbox.stats(humas.id).created, 1);
});

/**
 * A connector whose fetch arms a fault the moment the upload session opens (so it strikes the PUT
 * with the bytes); with `networkDownAfter`, the request after that PUT (the question to the
 * session) fails as if the connection dropped.
 */
function armedConnector(humas: SandboxAccount, onOpen: Fault, networkDownAfter = false) {
  let bytesSent = false;
  const arming = (async (input: string | URL | Request, init?: RequestInit) => {
    if (bytesSent && networkDownAfter) throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    bytesSent = init?.method === 'PUT' && init.body !== undefined;
    const response = await fetch(input, init);
    if (init?.method === 'POST' && String(input).includes('/upload/youtube/v3/videos') && response.ok) sandbox.injectFault(humas.id, onOpen);
    return response;
  }) as typeof fetch;
  return createYouTubeConnector({ ...options, fetch: arming });
}

test('a lost answer to the upload itself is settled by the upload session: one video, no lookup needed', async () => {
  const humas = account();
  const request = videoRequest(humas);
  const result = await armedConnector(humas, { kind: 'lost_response', times: 1 }).publish(request);
  assert.equal(sandbox.stats(humas.id).created, 1);
  assert.equal(result.externalId, sandbox.posts(humas.id)[0]!.id);
  const again = await connector.publish({ ...request, attempt: 2 });
  assert.equal(sandbox.stats(humas.id).created, 1, 'a retry finds the upload instead of sending it again');
  assert.equal(again.externalId, result.externalId);
});

test('when the session cannot answer either, the outcome is uncertain and findPublished finds the one video', async () => {
  const humas = account();
  const request = videoRequest(humas);
  const failure = await failureOf(armedConnector(humas, { kind: 'lost_response', times: 1 }, true).publish(request));
  assert.equal(failure.kind, 'uncertain');
  assert.equal(sandbox.stats(humas.id).created, 1);
  // Engine-style: look the post up; found, so nothing is sent again.
  const found = await connector.findPublished(request);
  assert.equal(found?.externalId, sandbox.posts(humas.id)[0]!.id);
  assert.equal(sandbox.stats(humas.id).created, 1);
});

test('a file YouTube cannot process is refused for good, with the reason', async () => {
  const humas = account();
  const garbage: OutgoingMedia = { ...video(), read: async () => Buffer.alloc(3000, 1) };
  const failure = await failureOf(connector.publish(videoRequest(humas, { media: [garbage] })));
  assert.equal(failure.kind, 'permanent');
  assert.equal(failure.code, 'media_rejected');
  assert.match(failure.reason.id, /YouTube menolak video/);
});

test('a first comment that fails after the video is up does not fail the post: a notice says so', async () => {
  const humas = account();
  const dropComments = (async (input: string | URL | Request, init?: RequestInit) => {
    if (init?.method === 'POST' && String(input).includes('/youtube/v3/commentThreads')) {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    }
    return fetch(input, init);
  }) as typeof fetch;
  const request = videoRequest(humas, { firstComment: 'Komentar yang hilang' });
  const result = await createYouTubeConnector({ ...options, fetch: dropComments }).publish(request) as YouTubePublishResult;
  assert.equal(result.parts.length, 1);
  assert.match(result.notice?.id ?? '', /komentar pertama tidak terkirim/);
  assert.match(result.notice?.id ?? '', /periksa/i, 'a lost answer may have posted it: the person checks first');
  assert.equal(sandbox.stats(humas.id).created, 1);
  // A later lookup finds the video and completes the missing comment, once.
  const found = await connector.findPublished(request);
  assert.equal(found?.externalId, result.externalId);
  assert.equal(found?.parts.length, 2);
  assert.equal((await connector.findPublished(request))?.parts[1]?.externalId, found?.parts[1]?.externalId);
  assert.equal(sandbox.stats(humas.id).created, 2);
});

test('a timeout with nothing created: findPublished answers null, and the retry uploads once', async () => {
  const humas = account();
  const request = videoRequest(humas);
  sandbox.injectFault(humas.id, { kind: 'timeout', ms: 1_500, times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.ok(failure.kind === 'uncertain' || failure.kind === 'transient', failure.kind);
  assert.equal(sandbox.stats(humas.id).created, 0);
  assert.equal(await connector.findPublished(request), null);
  await connector.publish({ ...request, attempt: 2 });
  assert.equal(sandbox.stats(humas.id).created, 1);
});

test('faults map to the engine\'s kinds: auth, rate limit, server error, daily cap', async () => {
  const humas = account();
  const request = videoRequest(humas);

  sandbox.injectFault(humas.id, { kind: 'expired_token', times: 1 });
  const expired = await failureOf(connector.publish(request));
  assert.equal(expired.kind, 'auth');

  sandbox.injectFault(humas.id, { kind: 'rate_limit', retryAfterSeconds: 30, times: 1 });
  const limited = await failureOf(connector.publish(videoRequest(humas)));
  assert.equal(limited.kind, 'transient');
  assert.equal(limited.code, 'rate_limited');
  assert.ok(limited.retryAfterMs !== undefined && limited.retryAfterMs > 25_000 && limited.retryAfterMs <= 30_000, String(limited.retryAfterMs));

  sandbox.injectFault(humas.id, { kind: 'server_error', times: 1 });
  const broken = await failureOf(connector.publish(videoRequest(humas)));
  assert.equal(broken.kind, 'transient');

  sandbox.injectFault(humas.id, { kind: 'daily_cap', times: 1 });
  const capped = await failureOf(connector.publish(videoRequest(humas)));
  assert.equal(capped.kind, 'permanent');
  assert.equal(capped.code, 'daily_cap');
  assert.equal(sandbox.stats(humas.id).created, 0);
});

test('the project\'s daily quota runs out after a few uploads: permanent daily_cap', async () => {
  // Two uploads' worth of units (1,600 each) and a little for the reads around them.
  const local = await startSandbox({ limits: { youtubeQuotaUnitsPerDay: 3_500, youtubeProcessingMs: 0 } });
  try {
    const humas = local.createAccount('youtube', { handle: 'humaskuota', displayName: 'Humas Kuota' });
    await connector.publish(videoRequest(humas));
    await connector.publish(videoRequest(humas));
    const capped = await failureOf(connector.publish(videoRequest(humas)));
    assert.equal(capped.kind, 'permanent');
    assert.equal(capped.code, 'daily_cap');
    assert.match(capped.reason.id, /kuota harian/);
    assert.equal(local.stats(humas.id).created, 2);
  } finally {
    await local.close();
  }
});

test('refresh gets a new access token and keeps the refresh token (Google does not rotate it)', async () => {
  const humas = account();
  const request = videoRequest(humas);
  sandbox.injectFault(humas.id, { kind: 'expired_token', times: 1 });
  assert.equal((await failureOf(connector.publish(request))).kind, 'auth');
  const renewed = await connector.refresh!(context(request));
  assert.notEqual(renewed.accessToken, request.credentials.accessToken);
  assert.equal(renewed.refreshToken, request.credentials.refreshToken);
  assert.ok(Date.parse(renewed.expiresAt!) > Date.now());
  await connector.publish({ ...request, credentials: renewed });
  assert.equal(sandbox.stats(humas.id).created, 1);
});

test('an access token past its expiry is refreshed before the upload, and the new one is returned', async () => {
  const humas = account();
  const request = videoRequest(humas, { credentials: { ...humas.credentials, expiresAt: new Date(Date.now() - 1_000).toISOString() } });
  const result = await connector.publish(request);
  assert.ok(result.refreshedCredentials?.accessToken);
  assert.notEqual(result.refreshedCredentials.accessToken, humas.credentials.accessToken);
});

test('edit changes title and description; reply answers a comment; remove deletes the video', async () => {
  const humas = account();
  const request = videoRequest(humas, { firstComment: 'Komentar awal' });
  const result = await connector.publish(request);
  await connector.edit!({ ...context(request), parts: result.parts.slice(0, 1), texts: ['Deskripsi yang diperbaiki.'], title: 'Judul baru' });
  const edited = sandbox.posts(humas.id).find((p) => p.id === result.externalId);
  assert.equal(edited?.text, 'Deskripsi yang diperbaiki.');
  assert.ok(await connector.findPublished({ ...request, title: 'Judul baru', parts: ['Deskripsi yang diperbaiki.'], firstComment: null }));

  const answer = await connector.reply!({ ...context(request), inReplyTo: result.parts[1]!.externalId, text: 'Terima kasih <3', replyKey: 'r1' });
  const comments = await connector.fetchComments!({ ...context(request), post: result.parts[0]! });
  const reply = comments.find((c) => c.externalId === answer.externalId);
  assert.equal(reply?.text, 'Terima kasih 3');
  assert.equal(reply?.inReplyTo, result.parts[1]!.externalId);

  await connector.remove({ ...context(request), parts: result.parts });
  assert.ok(sandbox.posts(humas.id).find((p) => p.id === result.externalId)?.deleted);
  // Removing again is not an error: the video is already gone.
  await connector.remove({ ...context(request), parts: result.parts });
});

test('verify reads the channel; capabilities say what YouTube allows', async () => {
  const humas = account();
  const request = videoRequest(humas);
  const me = await connector.verify(context(request));
  assert.equal(me.externalAccountId, humas.externalAccountId);
  assert.equal(me.name, humas.displayName);
  const can = await connector.capabilities!(context(request));
  assert.deepEqual(can.mediaKinds, ['video']);
  assert.equal(can.canReply, true);
});

test('sign-in: consent page with PKCE on the sandbox, code exchanged for tokens that work', async () => {
  const humas = account();
  const client = { clientId: 'siar-test.apps.googleusercontent.com', clientSecret: 'rahasia', redirectUri: 'http://localhost:3000/oauth/youtube' };
  // RFC 7636's example pair.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
  const consent = connector.oauth!.authorizeUrl({ baseUrl: humas.baseUrl, client, state: 'negara', codeChallenge: challenge });
  assert.ok(consent.startsWith(`${humas.baseUrl}/o/oauth2/v2/auth?`));
  const production = connector.oauth!.authorizeUrl({ baseUrl: 'https://www.googleapis.com', client, state: 'negara', codeChallenge: challenge });
  assert.ok(production.startsWith('https://accounts.google.com/o/oauth2/v2/auth?'));
  assert.match(production, /access_type=offline/);

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
  const me = await connector.verify({ channel: requestFor('youtube', humas).channel, credentials: grant.credentials, signal: new AbortController().signal });
  assert.equal(me.externalAccountId, humas.externalAccountId);

  const wrong = await failureOf(connector.oauth!.exchangeCode({ baseUrl: humas.baseUrl, client, code: back.searchParams.get('code')!, codeVerifier: verifier, signal: new AbortController().signal }));
  assert.equal(wrong.kind, 'auth', 'a code is good once');
});
