import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { startSandbox } from './index.ts';
import type { Sandbox, SandboxAccount } from './index.ts';

let sandbox: Sandbox;
let account: SandboxAccount;
let media: Server;
let mediaUrl = '';
let clock = Date.parse('2026-03-02T03:00:00Z');
const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(12), Buffer.alloc(3000, 9)]);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 3)]);
const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(100, 1)]);
const files: Record<string, Buffer> = { '/video.mp4': mp4, '/a.jpg': jpeg, '/b.jpg': jpeg, '/c.png': png, '/teks.mp4': Buffer.from('bukan video, hanya teks biasa') };

before(async () => {
  media = createServer((request, response) => {
    const file = files[request.url ?? ''];
    if (!file) return void response.writeHead(404).end('not found');
    response.writeHead(200, { 'content-length': file.length }).end(file);
  });
  await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
  const address = media.address();
  mediaUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  sandbox = await startSandbox({
    now: () => clock,
    limits: { tiktokProcessingMs: 60_000, tiktokPostsPerDay: { limit: 1000, windowSeconds: 86_400 } },
    citizens: { intervalMs: 3_600_000, random: () => 0 },
  });
  account = sandbox.createAccount('tiktok', { handle: 'humaskaltim', displayName: 'Humas Kaltim' });
});
after(async () => {
  await sandbox.close();
  await new Promise((resolve) => media.close(resolve));
});

type Json = Record<string, any>;

/** Each test starts in a fresh minute, so the per-token windows (6 inits, 30 status reads) start over. */
function nextMinute(): void {
  clock = (Math.floor(clock / 60_000) + 1) * 60_000;
}

async function api(path: string, body?: unknown, token = account.credentials.accessToken): Promise<{ status: number; body: Json; raw: string }> {
  const response = await fetch(`${sandbox.urls.tiktok}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json; charset=UTF-8' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const raw = await response.text();
  return { status: response.status, body: JSON.parse(raw) as Json, raw };
}

const directPost = (source: Json, privacy = 'PUBLIC_TO_EVERYONE', title = 'Peresmian jembatan #kaltim') =>
  api('/v2/post/publish/video/init/', { post_info: { title, privacy_level: privacy, disable_comment: false, disable_duet: false, disable_stitch: false }, source_info: source });

const status = (publishId: string) => api('/v2/post/publish/status/fetch/', { publish_id: publishId });

async function waitFor(publishId: string, done: (data: Json) => boolean): Promise<Json> {
  for (let i = 0; i < 40; i += 1) {
    const answer = await status(publishId);
    if (done(answer.body.data)) return answer.body.data;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`publish ${publishId} did not get there`);
}

async function putWhole(uploadUrl: string, bytes: Buffer): Promise<number> {
  const response = await fetch(uploadUrl, { method: 'PUT', headers: { 'content-type': 'video/mp4', 'content-range': `bytes 0-${bytes.length - 1}/${bytes.length}` }, body: new Uint8Array(bytes) });
  return response.status;
}

test('Login Kit: consent page, code with PKCE, single use, refresh tokens rotate', async () => {
  const query = {
    client_key: 'siarclientkey', scope: 'user.info.basic,video.publish,video.upload,video.list', response_type: 'code',
    redirect_uri: 'http://127.0.0.1:9/oauth/tiktok/', state: 'st-9', code_challenge: createHash('sha256').update('v'.repeat(60)).digest('hex'), code_challenge_method: 'S256',
  };
  const page = await fetch(`${sandbox.urls.tiktok}/v2/auth/authorize/?${new URLSearchParams(query)}`);
  const html = await page.text();
  assert.equal(page.status, 200);
  assert.match(html, /Izinkan/);
  assert.match(html, /Tolak/);
  assert.match(html, /Humas Kaltim/);
  const decide = async (decision: string, extra: Record<string, string> = {}) => {
    const answer = await fetch(`${sandbox.urls.tiktok}/v2/auth/authorize/`, { method: 'POST', body: new URLSearchParams({ ...query, ...extra, decision, account: account.id }), redirect: 'manual' });
    assert.equal(answer.status, 302);
    return new URL(answer.headers.get('location') ?? '');
  };
  const denied = await decide('deny');
  assert.deepEqual([denied.searchParams.get('error'), denied.searchParams.get('state')], ['access_denied', 'st-9']);
  const exchange = (code: string, verifier: string) => fetch(`${sandbox.urls.tiktok}/v2/oauth/token/`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_key: query.client_key, client_secret: 'rahasia', code, grant_type: 'authorization_code', redirect_uri: query.redirect_uri, code_verifier: verifier }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));

  const first = await decide('allow');
  assert.equal(first.searchParams.get('state'), 'st-9');
  assert.match(first.searchParams.get('code') ?? '', /\*0!/, 'codes carry characters that need URL decoding');
  const wrong = await exchange(first.searchParams.get('code') ?? '', 'w'.repeat(60));
  assert.deepEqual([wrong.status, wrong.body.error, wrong.body.error_description], [400, 'invalid_request', 'Code verifier or code challenge is invalid.']);
  assert.ok(wrong.body.log_id);

  const second = await decide('allow');
  const code = second.searchParams.get('code') ?? '';
  const granted = await exchange(code, 'v'.repeat(60));
  assert.equal(granted.status, 200);
  assert.equal(granted.body.open_id, account.externalAccountId);
  assert.equal(granted.body.expires_in, 86_400);
  assert.equal(granted.body.refresh_expires_in, 365 * 86_400);
  assert.equal(granted.body.scope, 'user.info.basic,video.publish,video.upload,video.list');
  assert.equal(granted.body.token_type, 'Bearer');
  assert.equal((await exchange(code, 'v'.repeat(60))).body.error, 'invalid_grant', 'a code works once');
  // A base64url challenge (RFC 7636) is taken too.
  const rfc = await decide('allow', { code_challenge: createHash('sha256').update('r'.repeat(50)).digest('base64url') });
  assert.equal((await exchange(rfc.searchParams.get('code') ?? '', 'r'.repeat(50))).status, 200);

  const refresh = (token: string) => fetch(`${sandbox.urls.tiktok}/v2/oauth/token/`, {
    method: 'POST', body: new URLSearchParams({ client_key: query.client_key, client_secret: 'rahasia', grant_type: 'refresh_token', refresh_token: token }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));
  const rotated = await refresh(granted.body.refresh_token);
  assert.equal(rotated.status, 200);
  assert.notEqual(rotated.body.refresh_token, granted.body.refresh_token);
  const old = await refresh(granted.body.refresh_token);
  assert.deepEqual([old.status, old.body.error], [400, 'invalid_grant'], 'the used refresh token stops working');
  const me = await api('/v2/user/info/?fields=open_id,union_id,avatar_url,display_name,username', undefined, rotated.body.access_token);
  assert.deepEqual([me.body.data.user.open_id, me.body.data.user.display_name, me.body.data.user.username, me.body.error.code], [account.externalAccountId, 'Humas Kaltim', 'humaskaltim', 'ok']);
  assert.equal(me.body.data.user.follower_count, undefined, 'only the fields asked for');
});

test('direct post with FILE_UPLOAD: processing, then PUBLISH_COMPLETE; list, counts and a citizen comment', async () => {
  nextMinute();
  const creator = await api('/v2/post/publish/creator_info/query/', {});
  assert.deepEqual(creator.body.data.privacy_level_options, ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY']);
  assert.equal(creator.body.data.creator_username, 'humaskaltim');
  const before = sandbox.stats(account.id).created;
  const init = await directPost({ source: 'FILE_UPLOAD', video_size: mp4.length, chunk_size: mp4.length, total_chunk_count: 1 });
  assert.equal(init.status, 200);
  const { publish_id: publishId, upload_url: uploadUrl } = init.body.data;
  assert.match(publishId, /^v_pub_file~v2-1\.\d+$/);
  assert.equal((await status(publishId)).body.data.status, 'PROCESSING_UPLOAD');
  assert.equal(await putWhole(uploadUrl, mp4), 201);
  let data = (await status(publishId)).body.data;
  assert.deepEqual([data.status, data.uploaded_bytes], ['PROCESSING_UPLOAD', mp4.length]);
  assert.equal(sandbox.stats(account.id).created, before, 'no post while processing');
  clock += 60_000;
  const answer = await status(publishId);
  data = answer.body.data;
  assert.equal(data.status, 'PUBLISH_COMPLETE');
  const post = sandbox.posts(account.id)[0]!;
  assert.equal(sandbox.stats(account.id).created, before + 1);
  assert.equal(post.text, 'Peresmian jembatan #kaltim');
  assert.deepEqual(post.media, [{ mime: 'video/mp4', alt: '', bytes: mp4.length }]);
  // The post id is an int64 written as a JSON number, more digits than a JS number holds exactly.
  assert.match(answer.raw, new RegExp(`"publicaly_available_post_id":\\[${post.id}\\]`));
  assert.match(post.id, /^\d{19}$/);

  sandbox.citizensStep();
  const listed = await api('/v2/video/list/?fields=id,title,video_description,create_time,share_url,like_count,comment_count,share_count,view_count', { max_count: 20 });
  const video = listed.body.data.videos[0];
  assert.equal(video.id, post.id);
  assert.equal(video.share_url, post.url);
  assert.equal(video.create_time, Math.floor(Date.parse(post.createdAt) / 1000));
  assert.equal(video.comment_count, 1);
  assert.equal(video.like_count, 1);
  const queried = await api('/v2/video/query/?fields=id,like_count,comment_count', { filters: { video_ids: [post.id] } });
  assert.deepEqual(queried.body.data.videos, [{ id: post.id, like_count: 1, comment_count: 1 }]);
  const html = await (await fetch(post.url.replace(/#.*$/, ''))).text();
  assert.match(html, new RegExp(`id="post-${post.id}"`));
});

test('chunked FILE_UPLOAD follows the media transfer rules', async () => {
  nextMinute();
  const MB = 1024 * 1024;
  const big = Buffer.concat([mp4, Buffer.alloc(11 * MB - mp4.length, 5)]);
  const refused = await directPost({ source: 'FILE_UPLOAD', video_size: big.length, chunk_size: 5 * MB, total_chunk_count: 3 });
  assert.deepEqual([refused.status, refused.body.error.code], [400, 'invalid_params']);
  const small = await directPost({ source: 'FILE_UPLOAD', video_size: mp4.length, chunk_size: 1000, total_chunk_count: 4 });
  assert.equal(small.body.error.code, 'invalid_params', 'a video under 5 MB goes whole');
  const init = await directPost({ source: 'FILE_UPLOAD', video_size: big.length, chunk_size: 5 * MB, total_chunk_count: 2 });
  const url = init.body.data.upload_url as string;
  const put = (first: number, last: number) => fetch(url, {
    method: 'PUT', headers: { 'content-type': 'video/mp4', 'content-range': `bytes ${first}-${last}/${big.length}` }, body: new Uint8Array(big.subarray(first, last + 1)),
  });
  assert.equal((await put(5 * MB, big.length - 1)).status, 416, 'chunks go in order');
  assert.equal((await put(0, 5 * MB - 1)).status, 206);
  assert.equal((await put(5 * MB, big.length - 1)).status, 201, 'the last chunk takes the trailing bytes');
  clock += 60_000;
  assert.equal((await status(init.body.data.publish_id)).body.data.status, 'PUBLISH_COMPLETE');
  assert.equal(sandbox.posts(account.id)[0]?.media[0]?.bytes, big.length);
});

test('PULL_FROM_URL really fetches the video; a missing file or non-video bytes fail', async () => {
  nextMinute();
  const init = await directPost({ source: 'PULL_FROM_URL', video_url: `${mediaUrl}/video.mp4` }, 'MUTUAL_FOLLOW_FRIENDS', 'Dari URL');
  assert.equal(init.status, 200);
  assert.equal(init.body.data.upload_url, undefined);
  const publishId = init.body.data.publish_id as string;
  const downloading = await waitFor(publishId, (d) => d.downloaded_bytes === mp4.length);
  assert.equal(downloading.status, 'PROCESSING_DOWNLOAD');
  clock += 60_000;
  assert.equal((await status(publishId)).body.data.status, 'PUBLISH_COMPLETE');
  assert.equal(sandbox.posts(account.id)[0]?.text, 'Dari URL');

  const missing = await directPost({ source: 'PULL_FROM_URL', video_url: `${mediaUrl}/tidak-ada.mp4` });
  assert.deepEqual(await waitFor(missing.body.data.publish_id, (d) => d.status === 'FAILED').then((d) => d.fail_reason), 'video_pull_failed');
  const text = await directPost({ source: 'PULL_FROM_URL', video_url: `${mediaUrl}/teks.mp4` });
  assert.deepEqual(await waitFor(text.body.data.publish_id, (d) => d.status === 'FAILED').then((d) => d.fail_reason), 'file_format_check_failed');
  const notUrl = await directPost({ source: 'PULL_FROM_URL', video_url: 'ftp://contoh/video.mp4' });
  assert.equal(notUrl.body.error.code, 'invalid_params');
});

test('photo posts: 1-35 JPEG/WebP images pulled from URLs, never PNG', async () => {
  nextMinute();
  const photo = (images: string[], extra: Json = {}) => api('/v2/post/publish/content/init/', {
    post_info: { title: 'Galeri', description: 'Kunjungan kerja ke Berau', privacy_level: 'PUBLIC_TO_EVERYONE', disable_comment: false, auto_add_music: true },
    source_info: { source: 'PULL_FROM_URL', photo_cover_index: 0, photo_images: images },
    post_mode: 'DIRECT_POST', media_type: 'PHOTO', ...extra,
  });
  const init = await photo([`${mediaUrl}/a.jpg`, `${mediaUrl}/b.jpg`]);
  assert.match(init.body.data.publish_id, /^p_pub_url~v2\./);
  await waitFor(init.body.data.publish_id, (d) => d.downloaded_bytes === 2 * jpeg.length);
  clock += 60_000;
  assert.equal((await status(init.body.data.publish_id)).body.data.status, 'PUBLISH_COMPLETE');
  const post = sandbox.posts(account.id)[0]!;
  assert.deepEqual([post.text, post.media.length, post.media[0]?.mime], ['Kunjungan kerja ke Berau', 2, 'image/jpeg']);
  const pngPost = await photo([`${mediaUrl}/c.png`]);
  assert.equal(await waitFor(pngPost.body.data.publish_id, (d) => d.status === 'FAILED').then((d) => d.fail_reason), 'file_format_check_failed');
  const tooMany = await photo(Array.from({ length: 36 }, () => `${mediaUrl}/a.jpg`));
  assert.deepEqual([tooMany.status, tooMany.body.error.code], [400, 'invalid_params']);
  const video = await photo([`${mediaUrl}/a.jpg`], { media_type: 'VIDEO' });
  assert.equal(video.body.error.code, 'invalid_params', 'content/init takes photos only');
});

test('privacy: SELF_ONLY posts publish without a public id and stay out of video/list; inbox uploads make no post', async () => {
  nextMinute();
  const before = sandbox.stats(account.id).created;
  const init = await directPost({ source: 'FILE_UPLOAD', video_size: mp4.length, chunk_size: mp4.length, total_chunk_count: 1 }, 'SELF_ONLY', 'Pribadi');
  await putWhole(init.body.data.upload_url, mp4);
  clock += 60_000;
  const done = await status(init.body.data.publish_id);
  assert.equal(done.body.data.status, 'PUBLISH_COMPLETE');
  assert.deepEqual(done.body.data.publicaly_available_post_id, []);
  assert.equal(sandbox.stats(account.id).created, before + 1);
  const listed = await api('/v2/video/list/?fields=id,title', { max_count: 20 });
  assert.ok(!listed.body.data.videos.some((v: Json) => v.title === 'Pribadi'));
  const mismatch = await directPost({ source: 'PULL_FROM_URL', video_url: `${mediaUrl}/video.mp4` }, 'FOLLOWER_OF_CREATOR');
  assert.deepEqual([mismatch.status, mismatch.body.error.code], [403, 'privacy_level_option_mismatch']);

  const inbox = await api('/v2/post/publish/inbox/video/init/', { source_info: { source: 'FILE_UPLOAD', video_size: mp4.length, chunk_size: mp4.length, total_chunk_count: 1 } });
  await putWhole(inbox.body.data.upload_url, mp4);
  clock += 60_000;
  assert.equal((await status(inbox.body.data.publish_id)).body.data.status, 'SEND_TO_USER_INBOX');
  assert.equal(sandbox.stats(account.id).created, before + 1);
});

test('an unaudited client may only post SELF_ONLY', async () => {
  const other = await startSandbox({ limits: { tiktokAuditedClient: false, tiktokProcessingMs: 0 } });
  try {
    const creator = other.createAccount('tiktok', { handle: 'diskominfo', displayName: 'Diskominfo' });
    const init = (privacy: string) => fetch(`${other.urls.tiktok}/v2/post/publish/video/init/`, {
      method: 'POST', headers: { authorization: `Bearer ${creator.credentials.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ post_info: { title: 'x', privacy_level: privacy }, source_info: { source: 'FILE_UPLOAD', video_size: 100, chunk_size: 100, total_chunk_count: 1 } }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));
    const refused = await init('PUBLIC_TO_EVERYONE');
    assert.deepEqual([refused.status, refused.body.error.code], [403, 'unaudited_client_can_only_post_to_private_accounts']);
    assert.equal((await init('SELF_ONLY')).status, 200);
  } finally {
    await other.close();
  }
});

test('injected faults as a TikTok client sees them', async () => {
  nextMinute();
  const source = { source: 'PULL_FROM_URL', video_url: `${mediaUrl}/video.mp4` };
  sandbox.injectFault(account.id, { kind: 'rate_limit', retryAfterSeconds: 30, times: 1 });
  let answer = await directPost(source);
  assert.deepEqual([answer.status, answer.body.error.code], [429, 'rate_limit_exceeded']);
  sandbox.injectFault(account.id, { kind: 'server_error', times: 1 });
  answer = await directPost(source);
  assert.deepEqual([answer.status, answer.body.error.code], [500, 'internal_error']);
  sandbox.injectFault(account.id, { kind: 'expired_token', times: 1 });
  answer = await directPost(source);
  assert.deepEqual([answer.status, answer.body.error.code], [401, 'access_token_invalid']);
  sandbox.injectFault(account.id, { kind: 'daily_cap', times: 1 });
  answer = await directPost(source);
  assert.deepEqual([answer.status, answer.body.error.code, answer.body.error.message], [403, 'spam_risk_too_many_posts', 'The daily post cap from the API is reached for the current user.']);
  sandbox.injectFault(account.id, { kind: 'timeout', ms: 2000, times: 1 });
  await assert.rejects(fetch(`${sandbox.urls.tiktok}/v2/post/publish/video/init/`, {
    method: 'POST', headers: { authorization: `Bearer ${account.credentials.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ post_info: { title: 'lambat', privacy_level: 'PUBLIC_TO_EVERYONE' }, source_info: source }), signal: AbortSignal.timeout(300),
  }));
  sandbox.injectFault(account.id, { kind: 'slow', ms: 300, times: 1 });
  const start = Date.now();
  assert.equal((await directPost({ source: 'FILE_UPLOAD', video_size: 10, chunk_size: 10, total_chunk_count: 1 })).status, 200);
  assert.ok(Date.now() - start >= 300);

  // The answer to a PULL_FROM_URL init is lost: TikTok publishes anyway; video/list finds it.
  nextMinute();
  const created = sandbox.stats(account.id).created;
  sandbox.injectFault(account.id, { kind: 'lost_response', times: 1 });
  await assert.rejects(directPost(source, 'PUBLIC_TO_EVERYONE', 'Hilang di jalan'));
  for (let i = 0; i < 40 && sandbox.stats(account.id).created === created; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    clock += 60_000;
    await api('/v2/user/info/?fields=open_id');
  }
  assert.equal(sandbox.stats(account.id).created, created + 1);
  const listed = await api('/v2/video/list/?fields=id,title,create_time', { max_count: 1 });
  assert.equal(listed.body.data.videos[0].title, 'Hilang di jalan');

  // Reads are not publishing: untouched by default, hit with scope 'any'.
  sandbox.injectFault(account.id, { kind: 'server_error', times: 1 });
  assert.equal((await api('/v2/user/info/?fields=open_id')).status, 200);
  sandbox.clearFaults(account.id);
  sandbox.injectFault(account.id, { kind: 'server_error', times: 1 }, 'any');
  assert.equal((await api('/v2/user/info/?fields=open_id')).status, 500);
});

test('default limits: 6 post inits a minute per token, then 429 rate_limit_exceeded; 15 direct posts a day', async () => {
  let now = Date.parse('2026-03-02T03:00:00Z');
  const fresh = await startSandbox({ now: () => now });
  try {
    const creator = fresh.createAccount('tiktok', { handle: 'bappeda', displayName: 'Bappeda' });
    const init = () => fetch(`${fresh.urls.tiktok}/v2/post/publish/video/init/`, {
      method: 'POST', headers: { authorization: `Bearer ${creator.credentials.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ post_info: { title: 'x', privacy_level: 'PUBLIC_TO_EVERYONE' }, source_info: { source: 'FILE_UPLOAD', video_size: 100, chunk_size: 100, total_chunk_count: 1 } }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));
    for (let i = 0; i < 6; i += 1) assert.equal((await init()).status, 200, `init ${i + 1} of 6`);
    const limited = await init();
    assert.deepEqual([limited.status, limited.body.error.code], [429, 'rate_limit_exceeded']);
    const posts = [];
    for (let minute = 1; minute <= 3; minute += 1) {
      now += 60_000;
      for (let i = 0; i < 6; i += 1) posts.push(await init());
    }
    // 6 + 18 inits tried: the first 15 of the day pass, then the creator's daily cap answers.
    assert.equal(posts.filter((p) => p.status === 200).length, 9);
    assert.deepEqual([posts[9]?.status, posts[9]?.body.error.code], [403, 'spam_risk_too_many_posts']);
  } finally {
    await fresh.close();
  }
});

test('expired access token answers access_token_invalid; refresh and restore keep the account working', async () => {
  const old = account.credentials.accessToken ?? '';
  clock = Date.parse(account.credentials.expiresAt ?? '') + 1000;
  const expired = await api('/v2/user/info/?fields=open_id', undefined, old);
  assert.deepEqual([expired.status, expired.body.error.code], [401, 'access_token_invalid']);
  const refreshed = await fetch(`${sandbox.urls.tiktok}/v2/oauth/token/`, {
    method: 'POST', body: new URLSearchParams({ client_key: 'k', client_secret: 's', grant_type: 'refresh_token', refresh_token: account.credentials.refreshToken ?? '' }),
  }).then((r) => r.json() as Promise<Json>);
  assert.equal((await api('/v2/user/info/?fields=open_id', undefined, refreshed.access_token)).status, 200);

  const other = await startSandbox({ now: () => clock });
  try {
    const restored = other.restoreAccount('tiktok', {
      handle: account.handle, displayName: account.displayName,
      restore: {
        id: account.id, externalAccountId: account.externalAccountId,
        credentials: { ...account.credentials, accessToken: refreshed.access_token, refreshToken: refreshed.refresh_token, expiresAt: new Date(clock + 86_400_000).toISOString() },
      },
    });
    assert.equal(restored.externalAccountId, account.externalAccountId);
    const me = await fetch(`${other.urls.tiktok}/v2/user/info/?fields=open_id`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    assert.equal(((await me.json()) as Json).data.user.open_id, account.externalAccountId);
    const rotated = await fetch(`${other.urls.tiktok}/v2/oauth/token/`, {
      method: 'POST', body: new URLSearchParams({ client_key: 'k', grant_type: 'refresh_token', refresh_token: refreshed.refresh_token }),
    });
    assert.equal(rotated.status, 200, 'the restored refresh token works');
  } finally {
    await other.close();
  }
});
