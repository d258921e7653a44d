import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { startSandbox } from './index.ts';
import type { Sandbox, SandboxAccount } from './index.ts';
import { threadsLength } from './threads.ts';

let sandbox: Sandbox;
let account: SandboxAccount;
let images: Server;
let imageRoot = '';
let clock = Date.now();
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 4)]);
const gif = Buffer.from('GIF89a0000000000', 'latin1');

before(async () => {
  images = createServer((request, response) => {
    if (request.url === '/foto.jpg') response.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
    else if (request.url === '/animasi.gif') response.writeHead(200, { 'content-type': 'image/gif' }).end(gif);
    else response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  const address = images.address();
  imageRoot = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  sandbox = await startSandbox({ now: () => clock, citizens: { intervalMs: 3_600_000, random: () => 0 } });
  account = sandbox.createAccount('threads', { handle: 'humaskaltim', displayName: 'Humas Kaltim' });
});
after(async () => {
  await sandbox.close();
  await new Promise((resolve) => images.close(resolve));
});

interface GraphErrorBody {
  error: { message: string; code: number; error_subcode?: number; error_user_title?: string };
}

async function graph<T = Record<string, unknown>>(path: string, form?: Record<string, string>, options: { method?: string; token?: string; base?: string } = {}): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await fetch(`${options.base ?? sandbox.urls.threads}${path}`, {
    method: options.method ?? (form ? 'POST' : 'GET'),
    headers: { authorization: `Bearer ${options.token ?? account.credentials.accessToken}` },
    ...(form ? { body: new URLSearchParams(form) } : {}),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as T };
}

const me = () => `/v1.0/${account.externalAccountId}`;

/** Container, wait out processing (1 s by default), publish. */
async function post(fields: Record<string, string>): Promise<string> {
  const container = await graph<{ id: string } & GraphErrorBody>(`${me()}/threads`, fields);
  assert.equal(container.status, 200, JSON.stringify(container.body));
  clock += 1500;
  const published = await graph<{ id: string }>(`${me()}/threads_publish`, { creation_id: container.body.id });
  assert.equal(published.status, 200, JSON.stringify(published.body));
  return published.body.id;
}

test('Threads: consent page, code exchange, long-lived token, refresh once a day old', async () => {
  const query = new URLSearchParams({ client_id: 'siar-th', redirect_uri: 'https://siar.example/oauth/threads', scope: 'threads_basic,threads_content_publish,threads_manage_replies,threads_read_replies,threads_manage_insights', response_type: 'code', state: 'xyz' });
  const html = await (await fetch(`${sandbox.urls.threads}/oauth/authorize?${query}`)).text();
  assert.match(html, /Izinkan/);
  assert.match(html, /Tolak/);
  const deny = await fetch(`${sandbox.urls.threads}/oauth/authorize`, { method: 'POST', body: new URLSearchParams({ ...Object.fromEntries(query), decision: 'deny' }), redirect: 'manual' });
  assert.equal(new URL(deny.headers.get('location') ?? '').searchParams.get('error'), 'access_denied');
  const allow = await fetch(`${sandbox.urls.threads}/oauth/authorize`, { method: 'POST', body: new URLSearchParams({ ...Object.fromEntries(query), decision: 'allow', account: account.id }), redirect: 'manual' });
  const code = new URL(allow.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const exchange = (overrides: Record<string, string> = {}) =>
    fetch(`${sandbox.urls.threads}/oauth/access_token`, { method: 'POST', body: new URLSearchParams({ client_id: 'siar-th', client_secret: 's', grant_type: 'authorization_code', redirect_uri: 'https://siar.example/oauth/threads', code, ...overrides }) });
  const wrongRedirect = (await (await exchange({ redirect_uri: 'https://siar.example/lain' })).json()) as GraphErrorBody;
  assert.equal(wrongRedirect.error.error_subcode, 36008);
  const raw = await (await exchange()).text();
  assert.match(raw, new RegExp(`"user_id":${account.externalAccountId}}`));
  const short = JSON.parse(raw) as { access_token: string };
  assert.equal(((await (await exchange()).json()) as GraphErrorBody).error.error_subcode, 36009);

  const long = await graph<{ access_token: string; expires_in: number }>(`/access_token?grant_type=th_exchange_token&client_secret=s&access_token=${short.access_token}`);
  assert.equal(long.body.expires_in, 60 * 86_400);
  assert.equal((await graph<GraphErrorBody>(`/refresh_access_token?grant_type=th_refresh_token&access_token=${long.body.access_token}`)).status, 400);
  clock += 25 * 3600_000;
  const refreshed = await graph<{ access_token: string }>(`/refresh_access_token?grant_type=th_refresh_token&access_token=${long.body.access_token}`);
  const profile = await graph<{ id: string; username: string }>('/v1.0/me?fields=id,username,name,threads_profile_picture_url', undefined, { token: refreshed.body.access_token });
  assert.deepEqual([profile.body.id, profile.body.username], [account.externalAccountId, 'humaskaltim']);
  assert.equal((await graph<GraphErrorBody>('/v1.0/me', undefined, { token: short.access_token })).body.error.error_subcode, 463);
});

test('Threads: text, image fetched from a URL, carousel, a three-part thread of replies, read back', async () => {
  const container = await graph<{ id: string }>(`${me()}/threads`, { media_type: 'TEXT', text: 'Bagian 1: jadwal pemadaman listrik' });
  const early = await graph<GraphErrorBody>(`${me()}/threads_publish`, { creation_id: container.body.id });
  assert.deepEqual([early.body.error.code, early.body.error.error_subcode, early.body.error.error_user_title], [24, 4279009, 'Media Not Found']);
  assert.equal((await graph<{ status: string }>(`/v1.0/${container.body.id}?fields=status,error_message`)).body.status, 'IN_PROGRESS');
  clock += 1500;
  const first = (await graph<{ id: string }>(`${me()}/threads_publish`, { creation_id: container.body.id })).body.id;
  const second = await post({ media_type: 'TEXT', text: 'Bagian 2: wilayah Samarinda', reply_to_id: first });
  const third = await post({ media_type: 'IMAGE', image_url: `${imageRoot}/foto.jpg`, text: 'Bagian 3: peta', alt_text: 'Peta wilayah', reply_to_id: second });
  const items = [];
  for (let i = 0; i < 2; i++) items.push((await graph<{ id: string }>(`${me()}/threads`, { media_type: 'IMAGE', image_url: `${imageRoot}/foto.jpg`, is_carousel_item: 'true' })).body.id);
  const carousel = await post({ media_type: 'CAROUSEL', children: items.join(','), text: 'Galeri' });

  const refused = await graph<GraphErrorBody>(`${me()}/threads`, { media_type: 'IMAGE', image_url: `${imageRoot}/hilang.jpg` });
  assert.deepEqual([refused.body.error.code, refused.body.error.error_subcode], [9004, 2207052]);
  assert.equal((await graph<GraphErrorBody>(`${me()}/threads`, { media_type: 'IMAGE', image_url: `${imageRoot}/animasi.gif` })).body.error.code, 36001);
  assert.equal((await graph(`${me()}/threads`, { media_type: 'TEXT', text: `${'a'.repeat(496)}👍` })).status, 200);
  assert.equal((await graph(`${me()}/threads`, { media_type: 'TEXT', text: `${'a'.repeat(497)}👍` })).status, 400);
  assert.equal(threadsLength('Halo 👍'), 9);
  const links = Array.from({ length: 6 }, (_, i) => `https://kaltimprov.go.id/${i}`).join(' ');
  assert.equal((await graph<GraphErrorBody>(`${me()}/threads`, { media_type: 'TEXT', text: links })).body.error.error_user_title, 'Too many links');

  const timeline = await graph<{ data: { id: string; text: string; timestamp: string; permalink: string }[] }>(`${me()}/threads?fields=id,text,timestamp,permalink`);
  assert.deepEqual(timeline.body.data.map((p) => p.id), [carousel, first]);
  assert.match(timeline.body.data[1]?.timestamp ?? '', /\+0000$/);
  assert.equal(timeline.body.data[1]?.permalink, `${sandbox.urls.web}/threads/humaskaltim#post-${first}`);
  const replies = await graph<{ data: { id: string }[] }>(`${me()}/replies?fields=id,text`);
  assert.deepEqual(replies.body.data.map((p) => p.id), [third, second]);
  const conversation = await graph<{ data: { id: string }[] }>(`/v1.0/${first}/conversation?fields=id,text&reverse=false`);
  assert.deepEqual(conversation.body.data.map((p) => p.id), [second, third]);
  const part3 = await graph<{ media_type: string; is_reply: boolean; root_post: { id: string }; replied_to: { id: string }; alt_text: string }>(`/v1.0/${third}?fields=media_type,is_reply,root_post,replied_to,alt_text`);
  assert.deepEqual([part3.body.media_type, part3.body.is_reply, part3.body.root_post.id, part3.body.replied_to.id, part3.body.alt_text], ['IMAGE', true, first, second, 'Peta wilayah']);
  assert.equal((await graph<{ media_type: string }>(`/v1.0/${carousel}?fields=media_type,children`)).body.media_type, 'CAROUSEL_ALBUM');
  const posts = sandbox.posts(account.id);
  assert.equal(posts.find((p) => p.id === third)?.replyTo, second);
  assert.deepEqual(posts.find((p) => p.id === third)?.media, [{ mime: 'image/jpeg', alt: 'Peta wilayah', bytes: jpeg.length }]);
  const limit = await graph<{ data: { quota_usage: number; config: { quota_total: number }; reply_quota_usage: number; reply_config: { quota_total: number } }[] }>(`${me()}/threads_publishing_limit?fields=quota_usage,config,reply_quota_usage,reply_config`);
  assert.deepEqual(limit.body.data[0], { quota_usage: 2, config: { quota_total: 250, quota_duration: 86_400 }, reply_quota_usage: 2, reply_config: { quota_total: 1000, quota_duration: 86_400 } });
});

test('Threads: a citizen replies, the account answers, insights count them; delete', async () => {
  const root = await post({ media_type: 'TEXT', text: 'Pendaftaran beasiswa dibuka' });
  sandbox.citizensStep();
  const replies = await graph<{ data: { id: string; username: string; text: string }[] }>(`/v1.0/${root}/replies?fields=id,text,username,timestamp`);
  assert.equal(replies.body.data.length, 1);
  const citizen = replies.body.data[0]!;
  assert.notEqual(citizen.username, 'humaskaltim');
  const answer = await post({ media_type: 'TEXT', text: 'Silakan cek laman resmi.', reply_to_id: citizen.id });
  const conversation = await graph<{ data: { id: string }[] }>(`/v1.0/${root}/conversation?fields=id&reverse=false`);
  assert.deepEqual(conversation.body.data.map((p) => p.id), [citizen.id, answer]);
  const insights = await graph<{ data: { name: string; values: { value: number }[] }[] }>(`/v1.0/${root}/insights?metric=views,likes,replies,reposts,quotes`);
  assert.deepEqual(Object.fromEntries(insights.body.data.map((m) => [m.name, m.values[0]?.value])), { views: 0, likes: 1, replies: 1, reposts: 0, quotes: 0 });

  assert.deepEqual((await graph(`/v1.0/${root}`, undefined, { method: 'DELETE' })).body, { success: true, deleted_id: root });
  assert.equal((await graph<GraphErrorBody>(`/v1.0/${root}?fields=id,text`)).body.error.error_subcode, 33);
  assert.equal(sandbox.posts(account.id).find((p) => p.id === root)?.deleted, true);
  const html = await (await fetch(`${sandbox.urls.web}/threads/humaskaltim`)).text();
  assert.match(html, /Silakan cek laman resmi/);
});

test('Threads: injected faults and container_error', async () => {
  sandbox.injectFault(account.id, { kind: 'container_error', times: 1 });
  const broken = await graph<{ id: string }>(`${me()}/threads`, { media_type: 'TEXT', text: 'gagal diproses' });
  clock += 1500;
  assert.deepEqual((await graph(`/v1.0/${broken.body.id}?fields=status,error_message`)).body, { status: 'ERROR', error_message: 'UNKNOWN', id: broken.body.id });
  assert.equal((await graph<GraphErrorBody>(`${me()}/threads_publish`, { creation_id: broken.body.id })).body.error.error_subcode, 4279009);

  const container = await graph<{ id: string }>(`${me()}/threads`, { media_type: 'TEXT', text: 'hilang di jalan' });
  clock += 1500;
  const publish = () => graph<GraphErrorBody>(`${me()}/threads_publish`, { creation_id: container.body.id });
  sandbox.injectFault(account.id, { kind: 'rate_limit', retryAfterSeconds: 60, times: 1 });
  const limited = await publish();
  assert.deepEqual([limited.status, limited.body.error.code], [400, 4]);
  // The fault was used up by the publish; reads were never affected.
  assert.equal((await graph(`${me()}?fields=id`)).status, 200);
  sandbox.injectFault(account.id, { kind: 'server_error', times: 1 });
  assert.equal((await publish()).status, 500);
  sandbox.injectFault(account.id, { kind: 'daily_cap', times: 1 });
  assert.deepEqual([(await publish()).body.error.code], [9]);
  sandbox.injectFault(account.id, { kind: 'expired_token', times: 1 });
  assert.equal((await publish()).body.error.code, 190);
  const created = sandbox.stats(account.id).created;
  sandbox.injectFault(account.id, { kind: 'timeout', ms: 2000, times: 1 });
  await assert.rejects(fetch(`${sandbox.urls.threads}${me()}/threads_publish`, { method: 'POST', headers: { authorization: `Bearer ${account.credentials.accessToken}` }, body: new URLSearchParams({ creation_id: container.body.id }), signal: AbortSignal.timeout(300) }));
  assert.equal(sandbox.stats(account.id).created, created);
  sandbox.injectFault(account.id, { kind: 'lost_response', times: 1 });
  await assert.rejects(publish());
  assert.equal(sandbox.stats(account.id).created, created + 1);
  assert.equal(sandbox.posts(account.id)[0]?.text, 'hilang di jalan');
  assert.equal((await publish()).body.error.error_subcode, 4279009, 'a published container cannot be published twice');
  sandbox.injectFault(account.id, { kind: 'slow', ms: 200, times: 1 });
  const start = Date.now();
  await post({ media_type: 'TEXT', text: 'pelan-pelan' });
  assert.ok(Date.now() - start >= 200);

  clock += 61 * 86_400_000;
  assert.equal((await graph<GraphErrorBody>('/v1.0/me')).body.error.error_subcode, 463);
});

test('Threads: rolling post and reply quotas, and the call limit, answered as Threads does', async () => {
  const limited = await startSandbox({ limits: { threadsPostsPerDay: 1, threadsRepliesPerDay: 1, threadsContainerProcessingMs: 0, threadsCalls: { limit: 10, windowSeconds: 86_400 } } });
  try {
    const th = limited.createAccount('threads', { handle: 'kuota', displayName: 'Kuota' });
    const call = (path: string, form?: Record<string, string>) => graph<GraphErrorBody & { id: string }>(path, form, { token: th.credentials.accessToken, base: limited.urls.threads });
    const base = `/v1.0/${th.externalAccountId}`;
    const publishText = async (text: string, replyTo?: string) => {
      const container = await call(`${base}/threads`, { media_type: 'TEXT', text, ...(replyTo ? { reply_to_id: replyTo } : {}) });
      return call(`${base}/threads_publish`, { creation_id: container.body.id });
    };
    const first = await publishText('satu');
    assert.equal(first.status, 200);
    const second = await publishText('dua');
    assert.deepEqual([second.status, second.body.error.code, second.body.error.error_subcode], [400, 9, 2207042]);
    assert.equal((await publishText('balasan', first.body.id)).status, 200);
    assert.equal((await publishText('balasan lagi', first.body.id)).body.error.error_user_title, 'Max. replies reached');
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 10 && last?.status !== 400; i++) last = await call(`${base}?fields=id`);
    assert.deepEqual([last?.status, last?.body.error.code], [400, 4]);
    assert.ok(JSON.parse(last?.headers.get('x-app-usage') ?? '{}').call_count >= 100);
  } finally {
    await limited.close();
  }
});
