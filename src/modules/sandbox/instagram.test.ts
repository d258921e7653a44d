import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { startSandbox } from './index.ts';
import type { Sandbox, SandboxAccount } from './index.ts';

let sandbox: Sandbox;
let account: SandboxAccount;
let images: Server;
let imageRoot = '';
let clock = Date.now();
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 9)]);
const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

before(async () => {
  images = createServer((request, response) => {
    if (request.url === '/foto.jpg') response.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
    else if (request.url === '/foto.png') response.writeHead(200, { 'content-type': 'image/png' }).end(png);
    else response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  const address = images.address();
  imageRoot = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  sandbox = await startSandbox({ now: () => clock, citizens: { intervalMs: 3_600_000, random: () => 0 } });
  account = sandbox.createAccount('instagram', { handle: 'humaskaltim', displayName: 'Humas Kaltim' });
});
after(async () => {
  await sandbox.close();
  await new Promise((resolve) => images.close(resolve));
});

interface GraphErrorBody {
  error: { message: string; code: number; error_subcode?: number; error_user_title?: string };
}

async function graph<T = Record<string, unknown>>(path: string, form?: Record<string, string>, options: { method?: string; token?: string; base?: string } = {}): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await fetch(`${options.base ?? sandbox.urls.instagram}${path}`, {
    method: options.method ?? (form ? 'POST' : 'GET'),
    headers: { authorization: `Bearer ${options.token ?? account.credentials.accessToken}` },
    ...(form ? { body: new URLSearchParams(form) } : {}),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as T };
}

const me = () => `/v23.0/${account.externalAccountId}`;

/** Creates a container, lets it finish processing (1 s by default) and publishes it. */
async function publishImage(caption: string): Promise<string> {
  const container = await graph<{ id: string }>(`${me()}/media`, { image_url: `${imageRoot}/foto.jpg`, caption });
  clock += 1500;
  const published = await graph<{ id: string }>(`${me()}/media_publish`, { creation_id: container.body.id });
  assert.equal(published.status, 200, JSON.stringify(published.body));
  return published.body.id;
}

test('Instagram Login: consent page, code bound to client and redirect, long-lived token, refresh after 24 h', async () => {
  const query = new URLSearchParams({ client_id: 'siar-ig', redirect_uri: 'https://siar.example/oauth/instagram', response_type: 'code', scope: 'instagram_business_basic,instagram_business_content_publish,instagram_business_manage_comments', state: 'st-9' });
  const consent = await fetch(`${sandbox.urls.instagram}/oauth/authorize?${query}`);
  const html = await consent.text();
  assert.match(html, /Izinkan/);
  assert.match(html, /Tolak/);
  assert.match(html, /@humaskaltim/);
  const allow = await fetch(`${sandbox.urls.instagram}/oauth/authorize`, { method: 'POST', body: new URLSearchParams({ ...Object.fromEntries(query), decision: 'allow' }), redirect: 'manual' });
  assert.equal(allow.status, 302);
  const location = allow.headers.get('location') ?? '';
  assert.ok(location.endsWith('#_'), 'Instagram appends #_ to the redirect');
  const code = new URL(location).searchParams.get('code') ?? '';
  assert.equal(new URL(location).searchParams.get('state'), 'st-9');

  const exchange = (overrides: Record<string, string> = {}) =>
    fetch(`${sandbox.urls.instagram}/oauth/access_token`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: 'siar-ig', client_secret: 'rahasia', grant_type: 'authorization_code', redirect_uri: 'https://siar.example/oauth/instagram', code, ...overrides }),
    });
  const wrongClient = await exchange({ client_id: 'other-app' });
  assert.equal(wrongClient.status, 400);
  assert.deepEqual(await wrongClient.json(), { error_type: 'OAuthException', code: 400, error_message: 'Invalid platform app' });
  const ok = await exchange();
  const raw = await ok.text();
  // user_id is a bare number in the JSON text, exactly the professional account id.
  assert.match(raw, new RegExp(`"user_id":${account.externalAccountId}[,}]`));
  const short = JSON.parse(raw) as { access_token: string; permissions: string[] };
  assert.ok(short.permissions.includes('instagram_business_content_publish'));
  const reused = await exchange();
  assert.equal(((await reused.json()) as { error_message: string }).error_message, 'This authorization code has been used');

  const long = await graph<{ access_token: string; token_type: string; expires_in: number }>(`/access_token?grant_type=ig_exchange_token&client_secret=rahasia&access_token=${short.access_token}`, undefined, { token: 'none' });
  assert.deepEqual([long.body.token_type, long.body.expires_in], ['bearer', 60 * 86_400]);
  const tooEarly = await graph<GraphErrorBody>(`/refresh_access_token?grant_type=ig_refresh_token&access_token=${long.body.access_token}`, undefined, { token: 'none' });
  assert.equal(tooEarly.body.error.code, 100);
  clock += 25 * 3600_000;
  const refreshed = await graph<{ access_token: string; expires_in: number }>(`/refresh_access_token?grant_type=ig_refresh_token&access_token=${long.body.access_token}`, undefined, { token: 'none' });
  assert.equal(refreshed.body.expires_in, 60 * 86_400);
  const profile = await graph<{ id: string; user_id: string; username: string }>('/v23.0/me?fields=user_id,username,name,profile_picture_url', undefined, { token: refreshed.body.access_token });
  assert.equal(profile.body.user_id, account.externalAccountId);
  assert.equal(profile.body.username, 'humaskaltim');
  assert.notEqual(profile.body.id, account.externalAccountId, 'id is the app-scoped id, user_id the professional account');

  // The short-lived token lives one hour (25 h have passed).
  const expired = await graph<GraphErrorBody>('/v23.0/me', undefined, { token: short.access_token });
  assert.deepEqual([expired.status, expired.body.error.code, expired.body.error.error_subcode], [400, 190, 463]);
});

test('Instagram: image_url is really fetched (JPEG only), IN_PROGRESS then FINISHED, carousel, quota', async () => {
  const refused = await graph<GraphErrorBody>(`${me()}/media`, { image_url: `${imageRoot}/hilang.jpg`, caption: 'x' });
  assert.deepEqual([refused.status, refused.body.error.code, refused.body.error.error_subcode], [400, 9004, 2207052]);
  const notJpeg = await graph<GraphErrorBody>(`${me()}/media`, { image_url: `${imageRoot}/foto.png`, caption: 'x' });
  assert.equal(notJpeg.body.error.code, 36001);

  const container = await graph<{ id: string }>(`${me()}/media`, { image_url: `${imageRoot}/foto.jpg`, caption: 'Peresmian jembatan #Kaltim', alt_text: 'Gubernur menggunting pita' });
  const status = await graph<{ status_code: string; status: string }>(`/v23.0/${container.body.id}?fields=status_code,status`);
  assert.equal(status.body.status_code, 'IN_PROGRESS');
  const early = await graph<GraphErrorBody>(`${me()}/media_publish`, { creation_id: container.body.id });
  assert.deepEqual([early.body.error.code, early.body.error.error_subcode], [9007, 2207027]);
  clock += 1500;
  assert.equal((await graph<{ status_code: string }>(`/v23.0/${container.body.id}?fields=status_code`)).body.status_code, 'FINISHED');
  const single = await graph<{ id: string }>(`${me()}/media_publish`, { creation_id: container.body.id });
  assert.equal((await graph<{ status_code: string }>(`/v23.0/${container.body.id}?fields=status_code`)).body.status_code, 'PUBLISHED');

  const children = [];
  for (let i = 0; i < 2; i++) children.push((await graph<{ id: string }>(`${me()}/media`, { image_url: `${imageRoot}/foto.jpg`, is_carousel_item: 'true' })).body.id);
  const carousel = await graph<{ id: string }>(`${me()}/media`, { media_type: 'CAROUSEL', children: children.join(','), caption: 'Album' });
  clock += 1500;
  const album = await graph<{ id: string }>(`${me()}/media_publish`, { creation_id: carousel.body.id });
  const read = await graph<{ media_type: string; children: { data: { id: string }[] }; permalink: string; like_count: number; comments_count: number }>(`/v23.0/${album.body.id}?fields=id,caption,media_type,children,permalink,like_count,comments_count,timestamp`);
  assert.equal(read.body.media_type, 'CAROUSEL_ALBUM');
  assert.equal(read.body.children.data.length, 2);
  assert.equal(read.body.permalink, `${sandbox.urls.web}/instagram/humaskaltim#post-${album.body.id}`);

  const recent = await graph<{ data: { id: string; timestamp: string; caption: string }[] }>(`${me()}/media?fields=id,caption,timestamp,permalink,like_count,comments_count`);
  assert.deepEqual(recent.body.data.map((m) => m.id), [album.body.id, single.body.id]);
  const limit = await graph<{ data: { quota_usage: number; config: { quota_total: number; quota_duration: number } }[] }>(`${me()}/content_publishing_limit?fields=quota_usage,config`);
  assert.deepEqual(limit.body.data, [{ quota_usage: 2, config: { quota_total: 100, quota_duration: 86_400 } }]);
  assert.deepEqual(sandbox.posts(account.id)[1]?.media, [{ mime: 'image/jpeg', alt: 'Gubernur menggunting pita', bytes: jpeg.length }]);
  assert.equal(sandbox.stats(account.id).created, 2);
});

test('Instagram: first comment, citizen comment, reply, insights; media cannot be deleted', async () => {
  const id = await publishImage('Jadwal layanan SIM keliling');
  const first = await graph<{ id: string }>(`/v23.0/${id}/comments`, { message: 'Lokasi lengkap di tautan bio' });
  sandbox.citizensStep();
  const comments = await graph<{ data: { id: string; text: string; username: string }[] }>(`/v23.0/${id}/comments?fields=id,text,timestamp,username,from,like_count,replies`);
  assert.equal(comments.body.data[0]?.id, first.body.id);
  const citizen = comments.body.data.find((c) => c.username !== 'humaskaltim');
  assert.ok(citizen, 'a simulated citizen commented');
  const answer = await graph<{ id: string }>(`/v23.0/${citizen.id}/replies`, { message: 'Terima kasih sudah bertanya.' });
  const replies = await graph<{ data: { id: string; text: string }[] }>(`/v23.0/${citizen.id}/replies?fields=id,text,username`);
  assert.deepEqual(replies.body.data.map((r) => r.id), [answer.body.id]);
  const insights = await graph<{ data: { name: string; values: { value: number }[] }[] }>(`/v23.0/${id}/insights?metric=views,likes,comments,shares,saved`);
  assert.deepEqual(Object.fromEntries(insights.body.data.map((m) => [m.name, m.values[0]?.value])), { views: 0, likes: 1, comments: 3, shares: 0, saved: 0 });
  const counts = await graph<{ like_count: number; comments_count: number }>(`/v23.0/${id}?fields=like_count,comments_count`);
  assert.deepEqual([counts.body.like_count, counts.body.comments_count], [1, 3]);

  const removal = await graph<GraphErrorBody>(`/v23.0/${id}`, undefined, { method: 'DELETE' });
  assert.deepEqual([removal.status, removal.body.error.code, removal.body.error.error_subcode], [400, 100, 33]);
  assert.match(removal.body.error.message, /Unsupported delete request/);
  assert.deepEqual((await graph(`/v23.0/${first.body.id}`, undefined, { method: 'DELETE' })).body, { success: true });
});

test('Instagram: injected faults, container_error, and an expired long-lived token', async () => {
  sandbox.injectFault(account.id, { kind: 'container_error', times: 1 });
  const broken = await graph<{ id: string }>(`${me()}/media`, { image_url: `${imageRoot}/foto.jpg`, caption: 'gagal' });
  clock += 1500;
  const status = await graph<{ status_code: string; status: string }>(`/v23.0/${broken.body.id}?fields=status_code,status`);
  assert.equal(status.body.status_code, 'ERROR');
  assert.match(status.body.status, /^Error:/);
  const publishBroken = await graph<GraphErrorBody>(`${me()}/media_publish`, { creation_id: broken.body.id });
  assert.equal(publishBroken.body.error.error_subcode, 2207032);

  const container = await graph<{ id: string }>(`${me()}/media`, { image_url: `${imageRoot}/foto.jpg`, caption: 'hilang di jalan' });
  clock += 1500;
  sandbox.injectFault(account.id, { kind: 'rate_limit', retryAfterSeconds: 600, times: 1 });
  const limited = await graph<GraphErrorBody>(`${me()}/media_publish`, { creation_id: container.body.id });
  assert.deepEqual([limited.status, limited.body.error.code], [400, 80002]);
  const usage = JSON.parse(limited.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { type: string; estimated_time_to_regain_access: number }[]>;
  assert.deepEqual([usage[account.externalAccountId]?.[0]?.type, usage[account.externalAccountId]?.[0]?.estimated_time_to_regain_access], ['instagram', 10]);
  sandbox.injectFault(account.id, { kind: 'server_error', times: 1 });
  assert.equal((await graph(`${me()}/media_publish`, { creation_id: container.body.id })).status, 500);
  sandbox.injectFault(account.id, { kind: 'daily_cap', times: 1 });
  const capped = await graph<GraphErrorBody>(`${me()}/media_publish`, { creation_id: container.body.id });
  assert.deepEqual([capped.body.error.code, capped.body.error.error_subcode], [9, 2207042]);
  sandbox.injectFault(account.id, { kind: 'expired_token', times: 1 });
  assert.equal((await graph<GraphErrorBody>(`${me()}/media_publish`, { creation_id: container.body.id })).body.error.error_subcode, 463);
  const created = sandbox.stats(account.id).created;
  sandbox.injectFault(account.id, { kind: 'timeout', ms: 2000, times: 1 });
  await assert.rejects(fetch(`${sandbox.urls.instagram}${me()}/media_publish`, { method: 'POST', headers: { authorization: `Bearer ${account.credentials.accessToken}` }, body: new URLSearchParams({ creation_id: container.body.id }), signal: AbortSignal.timeout(300) }));
  assert.equal(sandbox.stats(account.id).created, created);
  sandbox.injectFault(account.id, { kind: 'lost_response', times: 1 });
  await assert.rejects(graph(`${me()}/media_publish`, { creation_id: container.body.id }));
  assert.equal(sandbox.stats(account.id).created, created + 1);
  assert.equal(sandbox.posts(account.id)[0]?.text, 'hilang di jalan');
  // Publishing the same container again does not post twice.
  assert.equal((await graph(`${me()}/media_publish`, { creation_id: container.body.id })).status, 400);
  assert.equal(sandbox.stats(account.id).created, created + 1);

  clock += 61 * 86_400_000;
  const expired = await graph<GraphErrorBody>('/v23.0/me');
  assert.deepEqual([expired.body.error.code, expired.body.error.error_subcode], [190, 463]);
});

test('Instagram: the rolling 24-hour publishing quota and the call limit, answered as Instagram does', async () => {
  let now = Date.now();
  const limited = await startSandbox({ now: () => now, limits: { instagramPostsPerDay: 2, instagramContainerProcessingMs: 0, instagramCalls: { limit: 12, windowSeconds: 86_400 } } });
  try {
    const ig = limited.createAccount('instagram', { handle: 'kuota', displayName: 'Kuota' });
    const call = (path: string, form?: Record<string, string>) => graph<GraphErrorBody & { id: string; data: { quota_usage: number }[] }>(path, form, { token: ig.credentials.accessToken, base: limited.urls.instagram });
    const base = `/v23.0/${ig.externalAccountId}`;
    for (let i = 0; i < 2; i++) {
      const container = await call(`${base}/media`, { image_url: `${imageRoot}/foto.jpg`, caption: `kiriman ${i}` });
      assert.equal((await call(`${base}/media_publish`, { creation_id: container.body.id })).status, 200);
    }
    const third = await call(`${base}/media`, { image_url: `${imageRoot}/foto.jpg`, caption: 'ketiga' });
    const refused = await call(`${base}/media_publish`, { creation_id: third.body.id });
    assert.deepEqual([refused.status, refused.body.error.code, refused.body.error.error_subcode], [400, 9, 2207042]);
    assert.equal((await call(`${base}/content_publishing_limit?fields=quota_usage,config`)).body.data[0]?.quota_usage, 2);
    // Rolling window: 24 hours after the first post, the quota has room again.
    now += 86_400_000 + 1000;
    const fresh = await call(`${base}/media`, { image_url: `${imageRoot}/foto.jpg`, caption: 'besok' });
    assert.equal((await call(`${base}/media_publish`, { creation_id: fresh.body.id })).status, 200);
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 14 && last?.status !== 400; i++) last = await call(`${base}?fields=username`);
    assert.equal(last?.body.error.code, 80002);
  } finally {
    await limited.close();
  }
});
