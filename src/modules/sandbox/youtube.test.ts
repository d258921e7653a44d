import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startSandbox } from './index.ts';
import type { Sandbox, SandboxAccount } from './index.ts';

let sandbox: Sandbox;
let account: SandboxAccount;
let clock = Date.parse('2026-03-02T03:00:00Z');
/** A small fake MP4: an ftyp box at offset 4, then filler bytes. */
const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(12), Buffer.alloc(2000, 7)]);

before(async () => {
  sandbox = await startSandbox({ now: () => clock, limits: { youtubeProcessingMs: 60_000, youtubeQuotaUnitsPerDay: 1_000_000 }, citizens: { intervalMs: 3_600_000, random: () => 0 } });
  account = sandbox.createAccount('youtube', { handle: 'humaskaltim', displayName: 'Humas Kaltim' });
});
after(() => sandbox.close());

type Json = Record<string, any>;

async function call(path: string, options: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== '') headers.authorization = `Bearer ${options.token ?? account.credentials.accessToken}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json; charset=UTF-8';
  const response = await fetch(`${sandbox.urls.youtube}${path}`, { method: options.method ?? 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Json), headers: response.headers };
}

/** videos.insert the way a client does it: open a resumable session, then PUT the bytes in one go. */
async function upload(metadata: Json, bytes: Buffer = mp4, token?: string): Promise<{ status: number; body: Json }> {
  const session = await call('/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status', {
    method: 'POST', token, body: metadata, headers: { 'x-upload-content-length': String(bytes.length), 'x-upload-content-type': 'video/mp4' },
  });
  if (session.status !== 200) return session;
  const location = session.headers.get('location') ?? '';
  const put = await fetch(location, { method: 'PUT', headers: { 'content-type': 'video/mp4' }, body: new Uint8Array(bytes) });
  return { status: put.status, body: (await put.json()) as Json };
}

const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

async function consent(query: Record<string, string>, decision: 'allow' | 'deny', accountId: string): Promise<URL> {
  const form = new URLSearchParams({ ...query, decision, account: accountId });
  const answer = await fetch(`${sandbox.urls.youtube}/o/oauth2/v2/auth`, { method: 'POST', body: form, redirect: 'manual' });
  assert.equal(answer.status, 302);
  return new URL(answer.headers.get('location') ?? '');
}

async function token(form: Record<string, string>): Promise<{ status: number; body: Json }> {
  const answer = await fetch(`${sandbox.urls.youtube}/token`, { method: 'POST', body: new URLSearchParams(form) });
  return { status: answer.status, body: (await answer.json()) as Json };
}

test('Google OAuth: consent page, code with PKCE, single use, refresh without rotation', async () => {
  sandbox.createAccount('youtube', { handle: 'dinaskesehatan', displayName: 'Dinas Kesehatan' });
  const query = {
    client_id: 'siar.apps.googleusercontent.com', redirect_uri: 'http://127.0.0.1:9/oauth/youtube', response_type: 'code',
    scope: 'https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.force-ssl https://www.googleapis.com/auth/youtube.readonly',
    access_type: 'offline', prompt: 'consent', state: 'st-1', code_challenge: challengeOf('verifier-benar-'.repeat(4)), code_challenge_method: 'S256',
  };
  const page = await fetch(`${sandbox.urls.youtube}/o/oauth2/v2/auth?${new URLSearchParams(query)}`);
  const html = await page.text();
  assert.equal(page.status, 200);
  assert.match(html, /Izinkan/);
  assert.match(html, /Tolak/);
  assert.match(html, /Humas Kaltim/);
  assert.match(html, /Dinas Kesehatan/);

  const denied = await consent(query, 'deny', account.id);
  assert.equal(denied.searchParams.get('error'), 'access_denied');
  assert.equal(denied.searchParams.get('state'), 'st-1');

  const first = await consent(query, 'allow', account.id);
  assert.equal(first.searchParams.get('state'), 'st-1');
  const exchange = { client_id: query.client_id, client_secret: 'rahasia', redirect_uri: query.redirect_uri, grant_type: 'authorization_code' };
  const wrong = await token({ ...exchange, code: first.searchParams.get('code') ?? '', code_verifier: 'verifier-salah-'.repeat(4) });
  assert.deepEqual([wrong.status, wrong.body.error, wrong.body.error_description], [400, 'invalid_grant', 'Invalid code verifier.']);

  const second = await consent(query, 'allow', account.id);
  const code = second.searchParams.get('code') ?? '';
  const granted = await token({ ...exchange, code, code_verifier: 'verifier-benar-'.repeat(4) });
  assert.equal(granted.status, 200);
  assert.equal(granted.body.expires_in, 3599);
  assert.equal(granted.body.token_type, 'Bearer');
  assert.match(granted.body.access_token, /^ya29\./);
  assert.ok(granted.body.refresh_token);
  const reused = await token({ ...exchange, code, code_verifier: 'verifier-benar-'.repeat(4) });
  assert.deepEqual([reused.status, reused.body.error], [400, 'invalid_grant']);

  const me = await call('/youtube/v3/channels?part=snippet,contentDetails&mine=true', { token: granted.body.access_token });
  assert.equal(me.body.items[0].id, account.externalAccountId);
  assert.equal(me.body.items[0].contentDetails.relatedPlaylists.uploads, 'UU' + account.externalAccountId.slice(2));

  const refreshed = await token({ client_id: query.client_id, client_secret: 'rahasia', grant_type: 'refresh_token', refresh_token: granted.body.refresh_token });
  assert.equal(refreshed.status, 200);
  assert.equal(refreshed.body.refresh_token, undefined, 'Google keeps the refresh token');
  assert.notEqual(refreshed.body.access_token, granted.body.access_token);
  const again = await token({ client_id: query.client_id, client_secret: 'rahasia', grant_type: 'refresh_token', refresh_token: granted.body.refresh_token });
  assert.equal(again.status, 200, 'the same refresh token keeps working');
  const bogus = await token({ client_id: query.client_id, grant_type: 'refresh_token', refresh_token: '1//nope' });
  assert.deepEqual([bogus.status, bogus.body.error, bogus.body.error_description], [400, 'invalid_grant', 'Token has been expired or revoked.']);

  // A token that was granted youtube.upload only may not comment.
  const narrow = { ...query, scope: 'https://www.googleapis.com/auth/youtube.upload', access_type: 'online', code_challenge: challengeOf('v'.repeat(50)) };
  const narrowCode = (await consent(narrow, 'allow', account.id)).searchParams.get('code') ?? '';
  const narrowToken = await token({ ...exchange, code: narrowCode, code_verifier: 'v'.repeat(50) });
  assert.equal(narrowToken.body.refresh_token, undefined, 'no refresh token without access_type=offline');
  const refused = await call('/youtube/v3/commentThreads?part=snippet', { method: 'POST', token: narrowToken.body.access_token, body: { snippet: { videoId: 'x', topLevelComment: { snippet: { textOriginal: 'hai' } } } } });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.errors[0].reason, 'insufficientPermissions');
});

test('videos.insert (resumable): uploaded, then processed; read back, recent uploads, statistics', async () => {
  const before = sandbox.stats(account.id).created;
  const uploaded = await upload({
    snippet: { title: 'Peresmian Jembatan Mahakam', description: 'Gubernur meresmikan jembatan. https://kaltimprov.go.id', tags: ['kaltim', 'jembatan'], categoryId: '25' },
    status: { privacyStatus: 'public', selfDeclaredMadeForKids: false },
  });
  assert.equal(uploaded.status, 201);
  const id = uploaded.body.id as string;
  assert.match(id, /^[A-Za-z0-9_-]{11}$/);
  assert.equal(uploaded.body.status.uploadStatus, 'uploaded');
  assert.equal(uploaded.body.snippet.title, 'Peresmian Jembatan Mahakam');
  assert.equal(sandbox.stats(account.id).created, before + 1);
  assert.deepEqual(sandbox.posts(account.id)[0]?.media, [{ mime: 'video/mp4', alt: '', bytes: mp4.length }]);
  assert.equal(sandbox.posts(account.id)[0]?.url, `${sandbox.urls.web}/youtube/humaskaltim#post-${id}`);
  const page = await (await fetch(`${sandbox.urls.web}/youtube/humaskaltim`)).text();
  assert.match(page, new RegExp(`id="post-${id}"[^>]*>\\s*<div class="title"><strong>Peresmian Jembatan Mahakam</strong>`));

  let read = await call(`/youtube/v3/videos?part=snippet,statistics,status,processingDetails&id=${id}`);
  assert.equal(read.body.items[0].status.uploadStatus, 'uploaded');
  assert.equal(read.body.items[0].processingDetails.processingStatus, 'processing');
  clock += 61_000;
  read = await call(`/youtube/v3/videos?part=snippet,statistics,status,processingDetails&id=${id}`);
  assert.equal(read.body.items[0].status.uploadStatus, 'processed');
  assert.deepEqual(read.body.items[0].statistics, { viewCount: '0', likeCount: '0', favoriteCount: '0', commentCount: '0' });
  assert.deepEqual(read.body.items[0].snippet.tags, ['kaltim', 'jembatan']);

  clock += 1000;
  const second = await upload({ snippet: { title: 'Rapat Koordinasi' }, status: { privacyStatus: 'unlisted' } });
  const uploads = 'UU' + account.externalAccountId.slice(2);
  const recent = await call(`/youtube/v3/playlistItems?part=snippet,contentDetails&playlistId=${uploads}&maxResults=1`);
  assert.equal(recent.body.items[0].contentDetails.videoId, second.body.id, 'newest first');
  assert.ok(recent.body.nextPageToken);
  const older = await call(`/youtube/v3/playlistItems?part=snippet,contentDetails&playlistId=${uploads}&maxResults=1&pageToken=${recent.body.nextPageToken}`);
  assert.equal(older.body.items[0].contentDetails.videoId, id);
  assert.equal(older.body.items[0].snippet.publishedAt, read.body.items[0].snippet.publishedAt);
});

test('chunked resumable upload answers 308 with Range until the last byte; status query', async () => {
  const session = await call('/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status', {
    method: 'POST', body: { snippet: { title: 'Bertahap' }, status: { privacyStatus: 'private' } }, headers: { 'x-upload-content-length': String(mp4.length) },
  });
  const location = session.headers.get('location') ?? '';
  const half = 1000;
  const part1 = await fetch(location, { method: 'PUT', headers: { 'content-range': `bytes 0-${half - 1}/${mp4.length}` }, body: new Uint8Array(mp4.subarray(0, half)) });
  assert.equal(part1.status, 308);
  assert.equal(part1.headers.get('range'), `bytes=0-${half - 1}`);
  const asked = await fetch(location, { method: 'PUT', headers: { 'content-range': `bytes */${mp4.length}` } });
  assert.equal(asked.status, 308);
  assert.equal(asked.headers.get('range'), `bytes=0-${half - 1}`);
  const part2 = await fetch(location, { method: 'PUT', headers: { 'content-range': `bytes ${half}-${mp4.length - 1}/${mp4.length}` }, body: new Uint8Array(mp4.subarray(half)) });
  assert.equal(part2.status, 201);
  const video = (await part2.json()) as Json;
  assert.equal(video.status.privacyStatus, 'private');
  const done = await fetch(location, { method: 'PUT', headers: { 'content-range': `bytes */${mp4.length}` } });
  assert.equal(done.status, 200);
  assert.equal(((await done.json()) as Json).id, video.id);
  assert.equal(sandbox.posts(account.id)[0]?.media[0]?.bytes, mp4.length);
});

test('metadata YouTube refuses: long or bracketed title, description over 5,000 bytes, past publishAt', async () => {
  const before = sandbox.stats(account.id).created;
  const long = await upload({ snippet: { title: 'x'.repeat(101) } });
  assert.deepEqual([long.status, long.body.error.errors[0].reason], [400, 'invalidTitle']);
  const bracket = await upload({ snippet: { title: 'Rilis <b>penting</b>' } });
  assert.equal(bracket.body.error.errors[0].reason, 'invalidTitle');
  const description = await upload({ snippet: { title: 'Ok', description: 'é'.repeat(2501) } });
  assert.equal(description.body.error.errors[0].reason, 'invalidDescription');
  const schedule = await upload({ snippet: { title: 'Ok' }, status: { privacyStatus: 'public', publishAt: new Date(clock + 120_000).toISOString() } });
  assert.equal(schedule.body.error.errors[0].reason, 'invalidPublishAt', 'publishAt needs a private video');
  assert.equal(sandbox.stats(account.id).created, before);
  const scheduled = await upload({ snippet: { title: 'Terjadwal' }, status: { privacyStatus: 'private', publishAt: new Date(clock + 120_000).toISOString() } });
  assert.equal(scheduled.body.status.privacyStatus, 'private');
  clock += 120_001;
  const later = await call(`/youtube/v3/videos?part=status&id=${scheduled.body.id}`);
  assert.equal(later.body.items[0].status.privacyStatus, 'public');
  // Bytes that are no video are accepted, then fail in processing.
  const junk = await upload({ snippet: { title: 'Bukan video' } }, Buffer.from('ini bukan video sama sekali'));
  clock += 61_000;
  const failed = await call(`/youtube/v3/videos?part=status&id=${junk.body.id}`);
  assert.deepEqual([failed.body.items[0].status.uploadStatus, failed.body.items[0].status.failureReason], ['failed', 'invalidFile']);
});

test('edit needs title and categoryId; delete answers 204 and the video is gone', async () => {
  const video = await upload({ snippet: { title: 'Judul lama', description: 'Deskripsi lama', categoryId: '25' } });
  const id = video.body.id as string;
  const missing = await call('/youtube/v3/videos?part=snippet', { method: 'PUT', body: { id, snippet: { title: 'Judul baru' } } });
  assert.deepEqual([missing.status, missing.body.error.errors[0].reason], [400, 'invalidCategoryId']);
  const edited = await call('/youtube/v3/videos?part=snippet', { method: 'PUT', body: { id, snippet: { title: 'Judul baru', categoryId: '25' } } });
  assert.equal(edited.status, 200);
  assert.equal(edited.body.snippet.title, 'Judul baru');
  assert.equal(edited.body.snippet.description, '', 'an update replaces the whole snippet');
  assert.equal(sandbox.posts(account.id).find((p) => p.id === id)?.text, '');
  const removed = await call(`/youtube/v3/videos?id=${id}`, { method: 'DELETE' });
  assert.equal(removed.status, 204);
  assert.deepEqual((await call(`/youtube/v3/videos?part=snippet&id=${id}`)).body.items, []);
  assert.equal(sandbox.posts(account.id).find((p) => p.id === id)?.deleted, true);
  const twice = await call(`/youtube/v3/videos?id=${id}`, { method: 'DELETE' });
  assert.deepEqual([twice.status, twice.body.error.errors[0].reason], [404, 'videoNotFound']);
});

test('comments: a citizen comments, the channel replies in the thread, counts and likes show', async () => {
  clock += 1000;
  const video = await upload({ snippet: { title: 'Pengumuman CPNS', description: 'Info pendaftaran' } });
  const id = video.body.id as string;
  sandbox.citizensStep();
  const threads = await call(`/youtube/v3/commentThreads?part=snippet,replies&videoId=${id}`);
  assert.equal(threads.status, 200);
  const top = threads.body.items[0];
  assert.ok(top, 'the citizen comment is listed');
  const citizen = sandbox.accounts().find((a) => a.network === 'youtube' && a.citizen && a.externalAccountId === top.snippet.topLevelComment.snippet.authorChannelId.value);
  assert.ok(citizen, 'written by a simulated citizen');
  const answer = await call('/youtube/v3/comments?part=snippet', { method: 'POST', body: { snippet: { parentId: top.id, textOriginal: 'Terima kasih, pendaftaran dibuka 1 April.' } } });
  assert.equal(answer.status, 200);
  assert.equal(answer.body.snippet.parentId, top.id);
  assert.equal(answer.body.snippet.authorChannelId.value, account.externalAccountId);
  const own = await call('/youtube/v3/commentThreads?part=snippet', { method: 'POST', body: { snippet: { videoId: id, topLevelComment: { snippet: { textOriginal: 'Sematkan: info lengkap di situs.' } } } } });
  assert.equal(own.status, 200);
  const withReplies = await call(`/youtube/v3/commentThreads?part=snippet,replies&videoId=${id}`);
  const thread = withReplies.body.items.find((t: Json) => t.id === top.id);
  assert.equal(thread.snippet.totalReplyCount, 1);
  assert.equal(thread.replies.comments[0].snippet.textOriginal, 'Terima kasih, pendaftaran dibuka 1 April.');
  const stats = await call(`/youtube/v3/videos?part=statistics&id=${id}`);
  assert.equal(stats.body.items[0].statistics.commentCount, '3');
  assert.ok(Number(stats.body.items[0].statistics.likeCount) >= 1, 'the citizen liked it too');
  const html = await (await fetch(`${sandbox.urls.web}/youtube/${citizen.handle}`)).text();
  assert.match(html, /id="post-Ugx/);
  const consentPage = await (await fetch(`${sandbox.urls.youtube}/o/oauth2/v2/auth?client_id=a&redirect_uri=http://127.0.0.1:9/cb&response_type=code&scope=x`)).text();
  assert.match(consentPage, /Humas Kaltim/);
  assert.ok(!consentPage.includes(citizen.handle), 'citizens are not offered on the consent page');
  const empty = await call('/youtube/v3/comments?part=snippet', { method: 'POST', body: { snippet: { parentId: top.id, textOriginal: '  ' } } });
  assert.equal(empty.body.error.errors[0].reason, 'commentTextRequired');
});

test('expired access token answers 401 authError; refresh brings a working one; restore keeps credentials', async () => {
  const old = account.credentials.accessToken ?? '';
  const saved = Date.parse(account.credentials.expiresAt ?? '');
  clock = Math.max(clock, saved) + 1000;
  const expired = await call('/youtube/v3/channels?part=snippet&mine=true', { token: old });
  assert.equal(expired.status, 401);
  assert.equal(expired.body.error.errors[0].reason, 'authError');
  assert.match(expired.headers.get('www-authenticate') ?? '', /invalid_token/);
  const refreshed = await token({ client_id: account.credentials.clientId ?? '', grant_type: 'refresh_token', refresh_token: account.credentials.refreshToken ?? '' });
  const fresh = refreshed.body.access_token as string;
  assert.equal((await call('/youtube/v3/channels?part=snippet&mine=true', { token: fresh })).status, 200);

  const other = await startSandbox({ now: () => clock });
  try {
    const restored = other.restoreAccount('youtube', {
      handle: account.handle, displayName: account.displayName,
      restore: { id: account.id, externalAccountId: account.externalAccountId, credentials: { ...account.credentials, accessToken: fresh, expiresAt: new Date(clock + 3_000_000).toISOString() } },
    });
    assert.equal(restored.id, account.id);
    const me = await fetch(`${other.urls.youtube}/youtube/v3/channels?part=snippet&mine=true`, { headers: { authorization: `Bearer ${fresh}` } });
    assert.equal(((await me.json()) as Json).items[0].id, account.externalAccountId);
  } finally {
    await other.close();
  }
  account.credentials.accessToken = fresh;
});

test('injected faults as a YouTube client sees them', async () => {
  const created = () => sandbox.stats(account.id).created;
  const meta = { snippet: { title: 'Uji gangguan' } };
  sandbox.injectFault(account.id, { kind: 'rate_limit', retryAfterSeconds: 30, times: 1 });
  let answer = await upload(meta);
  assert.deepEqual([answer.status, answer.body.error.errors[0].reason], [429, 'rateLimitExceeded']);
  sandbox.injectFault(account.id, { kind: 'server_error', times: 1 });
  answer = await upload(meta);
  assert.deepEqual([answer.status, answer.body.error.errors[0].reason], [500, 'backendError']);
  sandbox.injectFault(account.id, { kind: 'expired_token', times: 1 });
  answer = await upload(meta);
  assert.deepEqual([answer.status, answer.body.error.errors[0].reason], [401, 'authError']);
  sandbox.injectFault(account.id, { kind: 'daily_cap', times: 1 });
  answer = await upload(meta);
  assert.deepEqual([answer.status, answer.body.error.errors[0].reason, answer.body.error.errors[0].domain], [403, 'quotaExceeded', 'youtube.quota']);

  const before = created();
  sandbox.injectFault(account.id, { kind: 'timeout', ms: 2000, times: 1 });
  await assert.rejects(fetch(`${sandbox.urls.youtube}/upload/youtube/v3/videos?uploadType=resumable&part=snippet`, {
    method: 'POST', headers: { authorization: `Bearer ${account.credentials.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(meta), signal: AbortSignal.timeout(300),
  }));
  sandbox.injectFault(account.id, { kind: 'slow', ms: 300, times: 1 });
  const start = Date.now();
  assert.equal((await upload(meta)).status, 201);
  assert.ok(Date.now() - start >= 300);
  assert.equal(created(), before + 1);

  // The response to the last byte is lost: the video exists, and the uploads playlist shows it.
  const session = await call('/upload/youtube/v3/videos?uploadType=resumable&part=snippet', { method: 'POST', body: { snippet: { title: 'Hilang di jalan' } } });
  sandbox.injectFault(account.id, { kind: 'lost_response', times: 1 });
  await assert.rejects(fetch(session.headers.get('location') ?? '', { method: 'PUT', body: new Uint8Array(mp4) }));
  assert.equal(created(), before + 2);
  const recent = await call(`/youtube/v3/playlistItems?part=snippet&playlistId=UU${account.externalAccountId.slice(2)}&maxResults=1`);
  assert.equal(recent.body.items[0].snippet.title, 'Hilang di jalan');

  // Reads are not publishing: the default scope leaves them alone, scope 'any' does not.
  sandbox.injectFault(account.id, { kind: 'server_error', times: 1 });
  assert.equal((await call('/youtube/v3/channels?part=snippet&mine=true')).status, 200);
  sandbox.clearFaults(account.id);
  sandbox.injectFault(account.id, { kind: 'server_error', times: 1 }, 'any');
  assert.equal((await call('/youtube/v3/channels?part=snippet&mine=true')).status, 500);
});

test('default quota: 10,000 units a day per project, videos.insert 1,600; quotaExceeded until midnight Pacific', async () => {
  let now = Date.parse('2026-03-02T20:00:00Z'); // 12:00 in Los Angeles
  const fresh = await startSandbox({ now: () => now });
  try {
    const channel = fresh.createAccount('youtube', { handle: 'diskominfo', displayName: 'Diskominfo' });
    const open = () => fetch(`${fresh.urls.youtube}/upload/youtube/v3/videos?uploadType=resumable&part=snippet`, {
      method: 'POST', headers: { authorization: `Bearer ${channel.credentials.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ snippet: { title: 'Kuota' } }),
    });
    for (let i = 0; i < 6; i += 1) assert.equal((await open()).status, 200, `upload ${i + 1} of 6 fits in 10,000 units`);
    const refused = await open();
    assert.equal(refused.status, 403);
    const body = (await refused.json()) as Json;
    assert.equal(body.error.errors[0].reason, 'quotaExceeded');
    assert.match(body.error.message, /exceeded your <a href="\/youtube\/v3\/getting-started#quota">quota<\/a>/);
    // 400 units are left for cheap reads.
    const read = await fetch(`${fresh.urls.youtube}/youtube/v3/channels?part=snippet&mine=true`, { headers: { authorization: `Bearer ${channel.credentials.accessToken}` } });
    assert.equal(read.status, 200);
    now = Date.parse('2026-03-03T08:00:01Z'); // just past midnight in Los Angeles
    const refreshed = await fetch(`${fresh.urls.youtube}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: channel.credentials.refreshToken ?? '' }) });
    const next = ((await refreshed.json()) as Json).access_token as string;
    const again = await fetch(`${fresh.urls.youtube}/upload/youtube/v3/videos?uploadType=resumable&part=snippet`, {
      method: 'POST', headers: { authorization: `Bearer ${next}`, 'content-type': 'application/json' }, body: JSON.stringify({ snippet: { title: 'Kuota' } }),
    });
    assert.equal(again.status, 200);
  } finally {
    await fresh.close();
  }
});
