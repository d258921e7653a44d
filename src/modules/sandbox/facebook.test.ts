import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { startSandbox } from './index.ts';
import type { Sandbox, SandboxAccount } from './index.ts';

let sandbox: Sandbox;
let page: SandboxAccount;
let images: Server;
let imageRoot = '';
let clock = Date.now();
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(400, 3)]);

before(async () => {
  images = createServer((request, response) => {
    if (request.url === '/foto.jpg') response.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
    else response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  const address = images.address();
  imageRoot = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  sandbox = await startSandbox({ now: () => clock, citizens: { intervalMs: 3_600_000, random: () => 0 } });
  page = sandbox.createAccount('facebook', { handle: 'humaskaltim', displayName: 'Humas Kaltim' });
});
after(async () => {
  await sandbox.close();
  await new Promise((resolve) => images.close(resolve));
});

interface GraphErrorBody {
  error: { message: string; type: string; code: number; error_subcode?: number; fbtrace_id: string };
}

async function graph<T = Record<string, unknown>>(path: string, options: { method?: string; token?: string; form?: Record<string, string>; body?: FormData } = {}): Promise<{ status: number; headers: Headers; body: T }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const init: RequestInit = { method: options.method ?? (options.form || options.body ? 'POST' : 'GET'), headers };
  if (options.form) init.body = new URLSearchParams(options.form);
  if (options.body) init.body = options.body;
  const response = await fetch(`${sandbox.urls.facebook}${path}`, init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as T };
}

const token = () => page.credentials.accessToken ?? '';

test('Facebook Login: consent page, code with PKCE, long-lived token, Pages with their own tokens', async () => {
  const verifier = 'verifier-' + 'x'.repeat(40);
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({
    client_id: 'siar-app',
    redirect_uri: 'https://siar.example/oauth/facebook',
    state: 'abc123',
    response_type: 'code',
    scope: 'pages_show_list,pages_manage_posts,pages_read_engagement,pages_manage_engagement',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const consent = await fetch(`${sandbox.urls.facebook}/v23.0/dialog/oauth?${query}`);
  const html = await consent.text();
  assert.equal(consent.status, 200);
  assert.match(html, /Izinkan/);
  assert.match(html, /Tolak/);
  assert.match(html, /Humas Kaltim/);

  const denied = await fetch(`${sandbox.urls.facebook}/v23.0/dialog/oauth`, { method: 'POST', body: new URLSearchParams({ ...Object.fromEntries(query), decision: 'deny' }), redirect: 'manual' });
  assert.equal(denied.status, 302);
  const deniedUrl = new URL(denied.headers.get('location') ?? '');
  assert.equal(deniedUrl.searchParams.get('error'), 'access_denied');
  assert.equal(deniedUrl.searchParams.get('state'), 'abc123');

  const allowed = await fetch(`${sandbox.urls.facebook}/v23.0/dialog/oauth`, { method: 'POST', body: new URLSearchParams({ ...Object.fromEntries(query), decision: 'allow', account: page.id }), redirect: 'manual' });
  const location = new URL(allowed.headers.get('location') ?? '');
  assert.equal(location.origin + location.pathname, 'https://siar.example/oauth/facebook');
  assert.equal(location.searchParams.get('state'), 'abc123');
  const code = location.searchParams.get('code') ?? '';

  const exchange = (extra: Record<string, string>) =>
    graph<{ access_token: string; token_type: string; expires_in: number } & GraphErrorBody>(`/v23.0/oauth/access_token?${new URLSearchParams({ client_id: 'siar-app', client_secret: 's', redirect_uri: 'https://siar.example/oauth/facebook', code, ...extra })}`);
  const wrongVerifier = await exchange({ code_verifier: 'not-the-verifier' });
  assert.equal(wrongVerifier.status, 400);
  assert.equal(wrongVerifier.body.error.code, 100);
  const wrongRedirect = await exchange({ code_verifier: verifier, redirect_uri: 'https://elsewhere.example/cb' });
  assert.equal(wrongRedirect.body.error.error_subcode, 36008);
  const short = await exchange({ code_verifier: verifier });
  assert.equal(short.status, 200);
  assert.equal(short.body.token_type, 'bearer');
  assert.equal(short.body.expires_in, 3600);
  const reused = await exchange({ code_verifier: verifier });
  assert.equal(reused.body.error.error_subcode, 36009);

  const long = await graph<{ access_token: string; expires_in: number }>(`/v23.0/oauth/access_token?${new URLSearchParams({ grant_type: 'fb_exchange_token', client_id: 'siar-app', client_secret: 's', fb_exchange_token: short.body.access_token })}`);
  assert.equal(long.body.expires_in, 60 * 86_400);
  const me = await graph<{ id: string; name: string }>('/v23.0/me', { token: long.body.access_token });
  assert.ok(/^\d+$/.test(me.body.id));
  const accounts = await graph<{ data: { id: string; name: string; access_token: string; category: string; tasks: string[] }[] }>('/v23.0/me/accounts', { token: long.body.access_token });
  assert.deepEqual(accounts.body.data.map((p) => p.id), [page.externalAccountId]);
  assert.equal(accounts.body.data[0]?.access_token, token());
  assert.ok(accounts.body.data[0]?.tasks.includes('CREATE_CONTENT'));
  const debug = await graph<{ data: { type: string; expires_at: number; is_valid: boolean } }>(`/debug_token?input_token=${encodeURIComponent(token())}`, { token: long.body.access_token });
  assert.deepEqual([debug.body.data.type, debug.body.data.expires_at, debug.body.data.is_valid], ['PAGE', 0, true]);

  // The short-lived user token expires after an hour; the Page token does not.
  clock += 2 * 3600_000;
  const expired = await graph<GraphErrorBody>('/v23.0/me/accounts', { token: short.body.access_token });
  assert.equal(expired.status, 400);
  assert.equal(expired.body.error.code, 190);
  assert.equal(expired.body.error.error_subcode, 463);
  assert.match(expired.body.error.message, /Session has expired/);
  assert.equal((await graph('/v23.0/me', { token: token() })).status, 200);
});

test('Pages: text, photo fetched from a URL, multi-photo, multipart upload; read back; recent posts', async () => {
  const text = await graph<{ id: string }>(`/v23.0/${page.externalAccountId}/feed`, { token: token(), form: { message: 'Rilis pers: jembatan Mahakam dibuka https://kaltimprov.go.id' } });
  assert.match(text.body.id, new RegExp(`^${page.externalAccountId}_\\d+$`));
  const duplicate = await graph<GraphErrorBody>(`/v23.0/${page.externalAccountId}/feed`, { token: token(), form: { message: 'Rilis pers: jembatan Mahakam dibuka https://kaltimprov.go.id' } });
  assert.equal(duplicate.body.error.code, 506);

  const photo = await graph<{ id: string; post_id: string }>(`/v23.0/${page.externalAccountId}/photos`, { token: token(), form: { url: `${imageRoot}/foto.jpg`, caption: 'Peresmian', alt_text_custom: 'Gubernur menggunting pita' } });
  assert.ok(photo.body.post_id.startsWith(`${page.externalAccountId}_`));
  const missing = await graph<GraphErrorBody>(`/v23.0/${page.externalAccountId}/photos`, { token: token(), form: { url: `${imageRoot}/hilang.jpg` } });
  assert.equal(missing.body.error.code, 324);

  const first = await graph<{ id: string }>(`/v23.0/${page.externalAccountId}/photos`, { token: token(), form: { url: `${imageRoot}/foto.jpg`, published: 'false' } });
  const form = new FormData();
  form.append('published', 'false');
  form.append('source', new Blob([jpeg], { type: 'image/jpeg' }), 'b.jpg');
  const second = await graph<{ id: string }>(`/v23.0/${page.externalAccountId}/photos`, { token: token(), body: form });
  const album = await graph<{ id: string }>(`/v23.0/${page.externalAccountId}/feed`, {
    token: token(),
    form: { message: 'Album kegiatan', 'attached_media[0]': JSON.stringify({ media_fbid: first.body.id }), 'attached_media[1]': JSON.stringify({ media_fbid: second.body.id }) },
  });
  const read = await graph<{ message: string; attachments: { data: { subattachments: { data: unknown[] } }[] }; reactions: { summary: { total_count: number } }; comments: { summary: { total_count: number } }; shares?: unknown; permalink_url: string }>(
    `/v23.0/${album.body.id}?fields=message,permalink_url,attachments,reactions.summary(total_count).limit(0),comments.summary(true).limit(0),shares`,
    { token: token() },
  );
  assert.equal(read.body.message, 'Album kegiatan');
  assert.equal(read.body.attachments.data[0]?.subattachments.data.length, 2);
  assert.equal(read.body.reactions.summary.total_count, 0);
  assert.equal(read.body.shares, undefined);
  assert.equal(read.body.permalink_url, `${sandbox.urls.web}/facebook/humaskaltim#post-${album.body.id}`);
  const unknownField = await graph<GraphErrorBody>(`/v23.0/${album.body.id}?fields=nonsense`, { token: token() });
  assert.match(unknownField.body.error.message, /nonexisting field \(nonsense\)/);

  const recent = await graph<{ data: { id: string; created_time: string; message?: string }[] }>(`/v23.0/${page.externalAccountId}/published_posts?fields=id,message,created_time,permalink_url&limit=2`, { token: token() });
  assert.deepEqual(recent.body.data.map((p) => p.id), [album.body.id, photo.body.post_id]);
  assert.match(recent.body.data[0]?.created_time ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);

  const posts = sandbox.posts(page.id);
  assert.deepEqual(posts[0]?.media.map((m) => m.bytes), [jpeg.length, jpeg.length]);
  assert.deepEqual(posts[1]?.media, [{ mime: 'image/jpeg', alt: 'Gubernur menggunting pita', bytes: jpeg.length }]);
});

test('Pages: first comment, citizen comment, reply to it, counts, edit and delete', async () => {
  const post = await graph<{ id: string }>(`/v23.0/${page.externalAccountId}/feed`, { token: token(), form: { message: 'Jadwal vaksinasi pekan ini' } });
  const firstComment = await graph<{ id: string }>(`/v23.0/${post.body.id}/comments`, { token: token(), form: { message: 'Info lengkap: https://kaltimprov.go.id/vaksin' } });
  assert.match(firstComment.body.id, /^\d+_\d+$/);
  sandbox.citizensStep();
  const comments = await graph<{ data: { id: string; message: string; from: { id: string; name: string } }[]; summary: { total_count: number } }>(
    `/v23.0/${post.body.id}/comments?fields=id,message,from,created_time,like_count&summary=true`,
    { token: token() },
  );
  assert.equal(comments.body.data.length, 2);
  const citizen = comments.body.data[1]!;
  assert.notEqual(citizen.from.id, page.externalAccountId);
  assert.equal(comments.body.summary.total_count, 2);
  const answer = await graph<{ id: string }>(`/v23.0/${citizen.id}/comments`, { token: token(), form: { message: 'Terima kasih, Bapak/Ibu.' } });
  const stream = await graph<{ data: { id: string; parent?: { id: string } }[] }>(`/v23.0/${post.body.id}/comments?filter=stream&fields=id,message,parent`, { token: token() });
  assert.equal(stream.body.data.find((c) => c.id === answer.body.id)?.parent?.id, citizen.id);
  const counts = await graph<{ reactions: { summary: { total_count: number } }; comments: { summary: { total_count: number } } }>(`/v23.0/${post.body.id}?fields=reactions.summary(total_count),comments.summary(true)`, { token: token() });
  assert.equal(counts.body.reactions.summary.total_count, 1);
  assert.equal(counts.body.comments.summary.total_count, 2);

  assert.deepEqual((await graph(`/v23.0/${post.body.id}`, { token: token(), form: { message: 'Jadwal vaksinasi pekan ini (diperbarui)' } })).body, { success: true });
  assert.equal(sandbox.posts(page.id).find((p) => p.id === post.body.id)?.text, 'Jadwal vaksinasi pekan ini (diperbarui)');
  assert.deepEqual((await graph(`/v23.0/${post.body.id}`, { method: 'DELETE', token: token() })).body, { success: true });
  const gone = await graph<GraphErrorBody>(`/v23.0/${post.body.id}`, { token: token() });
  assert.equal(gone.body.error.code, 100);
  assert.equal(gone.body.error.error_subcode, 33);
  assert.equal(sandbox.posts(page.id).find((p) => p.id === post.body.id)?.deleted, true);
  const html = await (await fetch(`${sandbox.urls.web}/facebook/humaskaltim`)).text();
  assert.match(html, /Info lengkap/);
  // Citizens exist now, but the consent page offers only the government's Pages.
  const consent = await (await fetch(`${sandbox.urls.facebook}/v23.0/dialog/oauth?client_id=a&redirect_uri=https://siar.example/cb`)).text();
  assert.match(consent, /Humas Kaltim/);
  assert.doesNotMatch(consent, /Samarinda/);
});

test('Pages: a user token cannot publish; another Page token cannot either', async () => {
  const other = sandbox.createAccount('facebook', { handle: 'diskominfo', displayName: 'Diskominfo' });
  const asUser = await graph<GraphErrorBody>(`/v23.0/${page.externalAccountId}/feed`, { token: page.credentials.userAccessToken, form: { message: 'x' } });
  assert.equal(asUser.body.error.code, 200);
  const asOther = await graph<GraphErrorBody>(`/v23.0/${page.externalAccountId}/feed`, { token: other.credentials.accessToken, form: { message: 'x' } });
  assert.equal(asOther.body.error.code, 200);
  const restored = await startSandbox();
  try {
    const back = restored.restoreAccount('facebook', { handle: page.handle, displayName: page.displayName, restore: { id: page.id, credentials: page.credentials, externalAccountId: page.externalAccountId } });
    const response = await fetch(`${restored.urls.facebook}/v23.0/${back.externalAccountId}/feed`, { method: 'POST', headers: { authorization: `Bearer ${page.credentials.accessToken}` }, body: new URLSearchParams({ message: 'Setelah dipulihkan' }) });
    assert.equal(response.status, 200);
    assert.equal(restored.posts(page.id)[0]?.text, 'Setelah dipulihkan');
  } finally {
    await restored.close();
  }
});

test('Pages: injected faults as Facebook shows them', async () => {
  const feed = `/v23.0/${page.externalAccountId}/feed`;
  sandbox.injectFault(page.id, { kind: 'rate_limit', retryAfterSeconds: 300, times: 1 });
  const limited = await graph<GraphErrorBody>(feed, { token: token(), form: { message: 'a' } });
  assert.equal(limited.status, 400);
  assert.equal(limited.body.error.code, 80001);
  const usage = JSON.parse(limited.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { type: string; estimated_time_to_regain_access: number }[]>;
  assert.deepEqual([usage[page.externalAccountId]?.[0]?.type, usage[page.externalAccountId]?.[0]?.estimated_time_to_regain_access], ['pages', 5]);
  sandbox.injectFault(page.id, { kind: 'server_error', times: 1 });
  const broken = await graph<GraphErrorBody>(feed, { token: token(), form: { message: 'b' } });
  assert.deepEqual([broken.status, broken.body.error.code], [500, 2]);
  sandbox.injectFault(page.id, { kind: 'expired_token', times: 1 });
  const expired = await graph<GraphErrorBody>(feed, { token: token(), form: { message: 'c' } });
  assert.deepEqual([expired.body.error.code, expired.body.error.error_subcode], [190, 463]);
  sandbox.injectFault(page.id, { kind: 'daily_cap', times: 1 });
  const capped = await graph<GraphErrorBody>(feed, { token: token(), form: { message: 'd' } });
  assert.deepEqual([capped.body.error.code, capped.body.error.error_subcode], [368, 1390008]);
  const created = sandbox.stats(page.id).created;
  sandbox.injectFault(page.id, { kind: 'timeout', ms: 2000, times: 1 });
  await assert.rejects(fetch(`${sandbox.urls.facebook}${feed}`, { method: 'POST', headers: { authorization: `Bearer ${token()}` }, body: new URLSearchParams({ message: 'lambat' }), signal: AbortSignal.timeout(300) }));
  assert.equal(sandbox.stats(page.id).created, created);
  sandbox.injectFault(page.id, { kind: 'lost_response', times: 1 });
  await assert.rejects(graph(feed, { token: token(), form: { message: 'hilang di jalan' } }));
  assert.equal(sandbox.stats(page.id).created, created + 1);
  assert.equal(sandbox.posts(page.id)[0]?.text, 'hilang di jalan');
  sandbox.injectFault(page.id, { kind: 'slow', ms: 200, times: 1 });
  const start = Date.now();
  assert.equal((await graph(feed, { token: token(), form: { message: 'pelan' } })).status, 200);
  assert.ok(Date.now() - start >= 200);
  // Reads are not publishing requests: the default scope leaves them alone.
  sandbox.injectFault(page.id, { kind: 'server_error', times: 1 });
  assert.equal((await graph(`/v23.0/${page.externalAccountId}`, { token: token() })).status, 200);
  sandbox.clearFaults(page.id);
});

test('Pages: the Business Use Case call limit answers (#80001) with HTTP 400, never 429', async () => {
  const limited = await startSandbox({ limits: { facebookPageCalls: { limit: 3, windowSeconds: 86_400 } } });
  try {
    const account = limited.createAccount('facebook', { handle: 'batas', displayName: 'Batas' });
    const call = () => fetch(`${limited.urls.facebook}/v23.0/me?access_token=${encodeURIComponent(account.credentials.accessToken ?? '')}`);
    const answers = [await call(), await call(), await call(), await call()];
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 400]);
    const refused = (await answers[3]!.json()) as GraphErrorBody;
    assert.equal(refused.error.code, 80001);
    const usage = JSON.parse(answers[2]!.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { call_count: number }[]>;
    assert.equal(usage[account.externalAccountId]?.[0]?.call_count, 100);
  } finally {
    await limited.close();
  }
});
