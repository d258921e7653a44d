import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import type { ITwitterApiClientPlugin } from 'twitter-api-v2';
import { startSandbox } from './index.ts';
import type { Sandbox, SandboxAccount } from './index.ts';

let sandbox: Sandbox;
let account: SandboxAccount;
let clock = Date.parse('2026-11-28T02:00:00Z');
const agent = new http.Agent({ keepAlive: false });
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2217bc60000000049454e44ae426082', 'hex');

before(async () => {
  sandbox = await startSandbox({ now: () => clock });
  account = sandbox.createAccount('x', { handle: 'humaskaltim', displayName: 'Humas Kaltim' });
});
after(() => sandbox.close());

/**
 * twitter-api-v2 1.29 hard-codes https://api.x.com (and the token URL), `cloneWithPrefix` throws and `setPrefix` is
 * protected, so its plugin hook points every request at the sandbox; the library always calls https.request, so an
 * http.Agent lets it speak plain http.
 */
function settings(base = sandbox.urls.x) {
  const toSandbox: ITwitterApiClientPlugin = {
    onBeforeRequestConfig: ({ params }) => {
      params.url = params.url.replace(/^https:\/\/(api\.)?x\.com/, base);
    },
  };
  return { httpAgent: agent, plugins: [toSandbox] };
}

function api(accessToken = account.credentials.accessToken ?? '', base = sandbox.urls.x): TwitterApi {
  return new TwitterApi(accessToken, settings(base));
}

function oauthClient(): TwitterApi {
  return new TwitterApi({ clientId: 'siar-client', clientSecret: 'rahasia' }, settings());
}

function apiError(status: number, check: (e: ApiResponseError) => boolean = () => true) {
  return (e: unknown) => e instanceof ApiResponseError && e.code === status && check(e);
}

/** Walks the consent page like a person: picks the account and presses Izinkan or Tolak. */
async function consent(url: string, decision: 'izinkan' | 'tolak', who = account): Promise<URL> {
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, />Izinkan</);
  assert.match(html, />Tolak</);
  assert.ok(html.includes(`value="${who.id}"`), 'the account is offered');
  const form = new URLSearchParams(new URL(url).searchParams);
  form.set('account', who.id);
  form.set('keputusan', decision);
  const answer = await fetch(`${sandbox.urls.x}/i/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  assert.equal(answer.status, 302);
  return new URL(answer.headers.get('location') ?? '');
}

const scope = ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write'];

test('twitter-api-v2: PKCE consent, code exchange, single-use code, PKCE mismatch, rotating refresh', async () => {
  const citizen = sandbox.createAccount('x', { handle: 'wargabiasa', displayName: 'Warga', citizen: true } as { handle: string; displayName: string });
  const oauth = oauthClient();
  const link = oauth.generateOAuth2AuthLink('https://siar.example/cb/x', { scope });
  const consentUrl = link.url.replace('https://x.com', sandbox.urls.x);
  const html = await (await fetch(consentUrl)).text();
  assert.ok(html.includes('Humas Kaltim'));
  assert.equal(citizen.citizen, true);
  assert.ok(!html.includes(citizen.id), 'citizens are not offered');

  const denied = await consent(consentUrl, 'tolak');
  assert.equal(denied.searchParams.get('error'), 'access_denied');
  assert.equal(denied.searchParams.get('state'), link.state);

  const back = await consent(consentUrl, 'izinkan');
  assert.equal(back.origin + back.pathname, 'https://siar.example/cb/x');
  assert.equal(back.searchParams.get('state'), link.state);
  const code = back.searchParams.get('code') ?? '';
  const login = await oauth.loginWithOAuth2({ code, codeVerifier: link.codeVerifier, redirectUri: 'https://siar.example/cb/x' });
  assert.equal(login.expiresIn, 7200);
  assert.deepEqual(login.scope, scope);
  assert.ok(login.refreshToken);
  const me = await api(login.accessToken).v2.me({ 'user.fields': ['profile_image_url'] });
  assert.equal(me.data.username, 'humaskaltim');
  assert.equal(me.data.id, account.externalAccountId);
  assert.match(me.data.profile_image_url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/profile_images\//);

  await assert.rejects(
    oauth.loginWithOAuth2({ code, codeVerifier: link.codeVerifier, redirectUri: 'https://siar.example/cb/x' }),
    apiError(400, (e) => e.data.error === 'invalid_request' && (e.data as { error_description?: string }).error_description === 'Value passed for the authorization code was invalid.'),
  );
  const other = await consent(consentUrl, 'izinkan');
  await assert.rejects(
    oauth.loginWithOAuth2({ code: other.searchParams.get('code') ?? '', codeVerifier: 'salah-verifier-yang-panjangnya-cukup-untuk-pkce-1234567890', redirectUri: 'https://siar.example/cb/x' }),
    apiError(400),
  );
  // An authorization code lives 30 seconds.
  const late = await consent(consentUrl, 'izinkan');
  clock += 31_000;
  await assert.rejects(oauth.loginWithOAuth2({ code: late.searchParams.get('code') ?? '', codeVerifier: link.codeVerifier, redirectUri: 'https://siar.example/cb/x' }), apiError(400));

  const refreshed = await oauth.refreshOAuth2Token(login.refreshToken ?? '');
  assert.notEqual(refreshed.accessToken, login.accessToken);
  assert.notEqual(refreshed.refreshToken, login.refreshToken);
  await assert.rejects(
    oauth.refreshOAuth2Token(login.refreshToken ?? ''),
    apiError(400, (e) => (e.data as { error_description?: string }).error_description === 'Value passed for the token was invalid.'),
  );
  assert.equal((await api(refreshed.accessToken).v2.me()).data.id, account.externalAccountId);
});

test('twitter-api-v2: image with alt text, chunked upload, post, thread, read back as X renders it', async () => {
  const client = api();
  const mediaId = await client.v2.uploadMedia(png, { media_type: 'image/png' });
  await client.v2.createMediaMetadata(mediaId, { alt_text: { text: 'Gubernur meresmikan jembatan' } });
  // A bigger file in three chunks (one-shot and chunked uploads both exist on v2).
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2500, 9)]);
  const chunked = await client.v2.uploadMedia(photo, { media_type: 'image/jpeg' }, 1000);

  const first = await client.v2.tweet({ text: 'Jembatan & jalan baru: https://kaltimprov.go.id/berita', media: { media_ids: [mediaId, chunked] } });
  // X answers with the text it stores: & escaped, links wrapped as t.co, a trailing link to the media.
  assert.match(first.data.text, /^Jembatan &amp; jalan baru: https:\/\/t\.co\/\w{10} https:\/\/t\.co\/\w{10}$/);
  const second = await client.v2.reply('Bagian 2 dari 2', first.data.id);

  const read = await client.v2.singleTweet(first.data.id, {
    'tweet.fields': ['created_at', 'public_metrics', 'conversation_id', 'author_id', 'entities', 'attachments'],
    expansions: ['attachments.media_keys'],
    'media.fields': ['alt_text', 'url'],
  });
  assert.equal(read.data.author_id, account.externalAccountId);
  assert.equal(read.data.created_at, new Date(clock).toISOString());
  assert.equal(read.data.public_metrics?.reply_count, 1);
  assert.equal(read.data.entities?.urls?.[0]?.expanded_url, 'https://kaltimprov.go.id/berita');
  assert.deepEqual(read.includes?.media?.map((m) => m.alt_text), ['Gubernur meresmikan jembatan', undefined]);

  const reply = await client.v2.singleTweet(second.data.id, { 'tweet.fields': ['conversation_id', 'in_reply_to_user_id', 'referenced_tweets'] });
  assert.equal(reply.data.conversation_id, first.data.id);
  assert.equal(reply.data.in_reply_to_user_id, account.externalAccountId);
  assert.deepEqual(reply.data.referenced_tweets, [{ type: 'replied_to', id: first.data.id }]);

  const posts = sandbox.posts(account.id);
  assert.equal(posts[0]?.replyTo, first.data.id);
  assert.deepEqual(posts[1]?.media, [
    { mime: 'image/png', alt: 'Gubernur meresmikan jembatan', bytes: png.length },
    { mime: 'image/jpeg', alt: '', bytes: photo.length },
  ]);
  assert.match(posts[1]?.url ?? '', new RegExp(`/x/humaskaltim#post-${first.data.id}$`));
  const permalink = await fetch(`${sandbox.urls.x}/humaskaltim/status/${first.data.id}`, { redirect: 'manual' });
  assert.equal(permalink.headers.get('location'), posts[1]?.url);

  // A GIF goes through processing (finalize answers processing_info, STATUS says succeeded) and travels alone.
  const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(64, 1)]);
  const gifId = await client.v2.uploadMedia(gif, { media_type: 'image/gif' });
  await assert.rejects(client.v2.tweet({ text: 'GIF dan foto', media: { media_ids: [gifId, mediaId] } }), apiError(400));
  await client.v2.tweet({ text: 'Hanya GIF', media: { media_ids: [gifId] } });

  const both = await client.v2.tweets([first.data.id, '1'], { 'tweet.fields': ['public_metrics'] });
  assert.deepEqual(both.data.map((t) => t.id), [first.data.id]);
  assert.equal(both.errors?.[0]?.title, 'Not Found Error');
});

test('twitter-api-v2: recent posts newest first since a time; max_results bounds', async () => {
  const client = api();
  clock += 1000;
  const since = new Date(clock).toISOString();
  const a = await client.v2.tweet('Pengumuman pagi');
  clock += 1000;
  const b = await client.v2.tweet('Pengumuman siang');
  const timeline = await client.v2.userTimeline(account.externalAccountId, { start_time: since, max_results: 5, 'tweet.fields': ['created_at'] });
  assert.deepEqual(timeline.tweets.map((t) => t.id), [b.data.id, a.data.id]);
  assert.equal(timeline.tweets[0]?.created_at, new Date(clock).toISOString());
  await assert.rejects(client.v2.userTimeline(account.externalAccountId, { max_results: 2 }), apiError(400, (e) => /not between 5 and 100/.test(JSON.stringify(e.data))));
});

test('X refuses duplicate content from the same account while the first post exists', async () => {
  const client = api();
  const original = await client.v2.tweet('Layanan KTP keliling hari Sabtu');
  await assert.rejects(
    client.v2.tweet('Layanan KTP keliling hari Sabtu'),
    apiError(403, (e) => JSON.stringify(e.data) === JSON.stringify({ title: 'Forbidden', detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', status: 403 })),
  );
  const other = sandbox.createAccount('x', { handle: 'diskominfo', displayName: 'Diskominfo' });
  await api(other.credentials.accessToken).v2.tweet('Layanan KTP keliling hari Sabtu');
  await client.v2.deleteTweet(original.data.id);
  await client.v2.tweet('Layanan KTP keliling hari Sabtu');
});

test('X counts weighted characters: 280 Latin fit, 141 CJK do not', async () => {
  const client = api();
  await client.v2.tweet('a'.repeat(280));
  await assert.rejects(client.v2.tweet('字'.repeat(141)), apiError(400, (e) => JSON.stringify(e.data).includes('Your Tweet text is too long')));
  await assert.rejects(client.v2.tweet({ text: 'x', media: { media_ids: ['123'] } }), apiError(400, (e) => JSON.stringify(e.data).includes('Your media IDs are invalid.')));
  await assert.rejects(client.v2.reply('balasan', '999'), apiError(403, (e) => (e.data as { detail?: string }).detail === 'You attempted to reply to a Tweet that is deleted or not visible to you.'));
});

test('delete: the post is gone from reads; deleting again still answers deleted', async () => {
  const client = api();
  const post = await client.v2.tweet('Akan dihapus');
  assert.deepEqual(await client.v2.deleteTweet(post.data.id), { data: { deleted: true } });
  const read = await client.v2.singleTweet(post.data.id);
  assert.equal(read.data, undefined);
  assert.equal(read.errors?.[0]?.detail, `Could not find tweet with id: [${post.data.id}].`);
  assert.equal(sandbox.posts(account.id).find((p) => p.id === post.data.id)?.deleted, true);
  assert.deepEqual(await client.v2.deleteTweet(post.data.id), { data: { deleted: true } });
  const other = sandbox.createAccount('x', { handle: 'orang_lain', displayName: 'Orang lain' });
  const theirs = await api(other.credentials.accessToken).v2.tweet('Punya orang lain');
  await assert.rejects(client.v2.deleteTweet(theirs.data.id), apiError(403));
});

test('an access token expires after two hours: 401 as X answers it, then the refresh token works', async () => {
  const expiring = sandbox.createAccount('x', { handle: 'kedaluwarsa', displayName: 'Kedaluwarsa' });
  clock += 2 * 3600_000 + 1000;
  const raw = await fetch(`${sandbox.urls.x}/2/users/me`, { headers: { authorization: `Bearer ${expiring.credentials.accessToken}` } });
  assert.equal(raw.status, 401);
  assert.deepEqual(await raw.json(), { title: 'Unauthorized', detail: 'Unauthorized', type: 'about:blank', status: 401 });
  const refreshed = await oauthClient().refreshOAuth2Token(expiring.credentials.refreshToken ?? '');
  assert.equal((await api(refreshed.accessToken).v2.me()).data.username, 'kedaluwarsa');
  account = sandbox.accounts().find((a) => a.id === account.id) ?? account;
  const mine = await oauthClient().refreshOAuth2Token(account.credentials.refreshToken ?? '');
  account.credentials.accessToken = mine.accessToken;
});

test('restored account: same id, same user id, same tokens keep working', async () => {
  const original = sandbox.createAccount('x', { handle: 'dipulihkan', displayName: 'Dipulihkan' });
  const other = await startSandbox({ now: () => clock });
  try {
    const restored = other.restoreAccount('x', { handle: 'dipulihkan', displayName: 'Dipulihkan', restore: { id: original.id, credentials: original.credentials, externalAccountId: original.externalAccountId } });
    assert.equal(restored.id, original.id);
    const client = api(original.credentials.accessToken, other.urls.x);
    assert.equal((await client.v2.me()).data.id, original.externalAccountId);
  } finally {
    await other.close();
  }
});

test('injected faults as X shows them; reads are untouched unless the fault is for any request', async () => {
  const client = api();
  sandbox.injectFault(account.id, { kind: 'rate_limit', retryAfterSeconds: 120, times: 1 });
  await assert.rejects(client.v2.tweet('kena batas'), apiError(429, (e) =>
    e.rateLimit?.remaining === 0 && e.rateLimit.reset === Math.ceil(clock / 1000) + 120 && e.headers['retry-after'] === undefined));
  sandbox.injectFault(account.id, { kind: 'daily_cap', times: 1 });
  await assert.rejects(client.v2.tweet('kuota harian'), apiError(429, (e) =>
    e.headers['x-app-limit-24hour-remaining'] === '0' && Number(e.headers['x-app-limit-24hour-reset']) * 1000 > clock + 60_000 && (e.rateLimit?.remaining ?? 0) > 0));
  sandbox.injectFault(account.id, { kind: 'server_error', times: 1 });
  await assert.rejects(client.v2.tweet('galat'), apiError(500));
  sandbox.injectFault(account.id, { kind: 'expired_token', times: 1 });
  await assert.rejects(client.v2.tweet('token'), apiError(401));
  sandbox.injectFault(account.id, { kind: 'server_error', times: 1 });
  assert.equal((await client.v2.me()).data.username, 'humaskaltim');
  sandbox.clearFaults(account.id);
  sandbox.injectFault(account.id, { kind: 'server_error', times: 1 }, 'any');
  await assert.rejects(client.v2.me(), apiError(500));

  const created = sandbox.stats(account.id).created;
  sandbox.injectFault(account.id, { kind: 'timeout', ms: 2000, times: 1 });
  await assert.rejects(
    fetch(`${sandbox.urls.x}/2/tweets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.credentials.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'lambat sekali' }),
      signal: AbortSignal.timeout(300),
    }),
    (e: Error) => /abort|timeout/i.test(`${e.name} ${e.message}`),
  );
  assert.equal(sandbox.stats(account.id).created, created);
  sandbox.injectFault(account.id, { kind: 'lost_response', times: 1 });
  await assert.rejects(client.v2.tweet('hilang di jalan'), (e: Error) => !(e instanceof ApiResponseError));
  assert.equal(sandbox.stats(account.id).created, created + 1);
  assert.equal(sandbox.posts(account.id)[0]?.text, 'hilang di jalan');
  sandbox.injectFault(account.id, { kind: 'slow', ms: 200, times: 1 });
  const start = Date.now();
  await client.v2.tweet('pelan tapi sampai');
  assert.ok(Date.now() - start >= 200);
});

test('default limits: the 101st post in 15 minutes gets 429 with x-rate-limit-*; the app cap is shared across accounts', async () => {
  const fixed = Date.parse('2026-11-28T03:00:10Z');
  const limited = await startSandbox({ now: () => fixed, limits: { xTweetsPerApp: { limit: 3, windowSeconds: 86_400 } } });
  try {
    const one = limited.createAccount('x', { handle: 'satu', displayName: 'Satu' });
    const two = limited.createAccount('x', { handle: 'dua', displayName: 'Dua' });
    const post = (who: SandboxAccount, text: string) => fetch(`${limited.urls.x}/2/tweets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${who.credentials.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    assert.equal((await post(one, 'a')).status, 201);
    assert.equal((await post(one, 'b')).status, 201);
    assert.equal((await post(two, 'c')).status, 201);
    const capped = await post(two, 'd');
    assert.equal(capped.status, 429);
    assert.equal(capped.headers.get('x-app-limit-24hour-remaining'), '0');
    assert.equal(capped.headers.get('x-app-limit-24hour-limit'), '3');
  } finally {
    await limited.close();
  }

  const defaults = await startSandbox({ now: () => fixed });
  try {
    const busy = defaults.createAccount('x', { handle: 'sibuk', displayName: 'Sibuk' });
    const post = (text: string) => fetch(`${defaults.urls.x}/2/tweets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${busy.credentials.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    let last: Response | undefined;
    for (let i = 1; i <= 100; i++) {
      last = await post(`Kabar nomor ${i}`);
      assert.equal(last.status, 201);
    }
    assert.equal(last?.headers.get('x-rate-limit-limit'), '100');
    assert.equal(last?.headers.get('x-rate-limit-remaining'), '0');
    const refused = await post('Kabar nomor 101');
    assert.equal(refused.status, 429);
    assert.deepEqual(await refused.json(), { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
    assert.equal(refused.headers.get('x-rate-limit-reset'), String(Date.parse('2026-11-28T03:15:00Z') / 1000));
    assert.equal(refused.headers.get('retry-after'), null);
    assert.equal(defaults.stats(busy.id).created, 100);
  } finally {
    await defaults.close();
  }
});

test('citizens reply and like: recent search by conversation_id finds the reply with its author', async () => {
  const fixed = Date.parse('2026-11-28T04:00:00Z');
  const lively = await startSandbox({ now: () => fixed, citizens: { intervalMs: 3_600_000, random: () => 0 } });
  try {
    const humas = lively.createAccount('x', { handle: 'humas_samarinda', displayName: 'Humas Samarinda' });
    const client = api(humas.credentials.accessToken, lively.urls.x);
    const post = await client.v2.tweet('Festival Mahakam dibuka malam ini.');
    const step = lively.citizensStep();
    assert.ok(step.replies >= 1 && step.likes >= 1);
    const found = await client.v2.search(`conversation_id:${post.data.id}`, {
      'tweet.fields': ['author_id', 'created_at', 'in_reply_to_user_id'],
      expansions: ['author_id'],
      'user.fields': ['username', 'name', 'profile_image_url'],
    });
    assert.equal(found.tweets.length, 1);
    const reply = found.tweets[0];
    const author = found.includes.users?.find((u) => u.id === reply?.author_id);
    assert.equal(author?.username, 'rinasamarinda');
    assert.equal(reply?.in_reply_to_user_id, humas.externalAccountId);
    const metrics = await client.v2.singleTweet(post.data.id, { 'tweet.fields': ['public_metrics'] });
    assert.equal(metrics.data.public_metrics?.like_count, 1);
    assert.equal(metrics.data.public_metrics?.reply_count, 1);
    // The government account answers the citizen: a reply in the same conversation.
    const answer = await client.v2.reply('Terima kasih, sampai jumpa di tepian!', reply?.id ?? '');
    const conversation = await client.v2.search(`conversation_id:${post.data.id}`);
    assert.deepEqual(conversation.tweets.map((t) => t.id), [answer.data.id, reply?.id]);
  } finally {
    await lively.close();
  }
});
