import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from './index.ts';
import type { Sandbox, SandboxAccount } from './index.ts';
import { escapeLittleText, readLittleText } from './linkedin-text.ts';

let sandbox: Sandbox;
let page: SandboxAccount;
let clock = Date.parse('2026-11-28T02:00:00Z');
const version = '202610';
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2217bc60000000049454e44ae426082', 'hex');

before(async () => {
  sandbox = await startSandbox({ now: () => clock });
  page = sandbox.createAccount('linkedin', { handle: 'humas-kaltim', displayName: 'Humas Provinsi Kaltim' });
});
after(() => sandbox.close());

interface Call {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  version?: string | null;
  base?: string;
  signal?: AbortSignal;
}

async function li(path: string, call: Call = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${call.token ?? page.credentials.accessToken}`, 'x-restli-protocol-version': '2.0.0', ...call.headers };
  if (call.version !== null) headers['linkedin-version'] = call.version ?? version;
  let body: string | undefined;
  if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${call.base ?? sandbox.urls.linkedin}${path}`, { method: call.method ?? 'GET', headers, body, ...(call.signal ? { signal: call.signal } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const urn = (value: string) => encodeURIComponent(value);
const org = () => page.externalAccountId;

function postBody(commentary: string, extra: Record<string, unknown> = {}, author = org()): Record<string, unknown> {
  return {
    author,
    commentary,
    visibility: 'PUBLIC',
    distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
    lifecycleState: 'PUBLISHED',
    isReshareDisabledByAuthor: false,
    ...extra,
  };
}

async function publish(commentary: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await li('/rest/posts', { method: 'POST', body: postBody(commentary, extra) });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.headers.get('x-restli-id') ?? '';
}

async function uploadImage(owner = org(), data = png): Promise<string> {
  const init = await li('/rest/images?action=initializeUpload', { method: 'POST', body: { initializeUploadRequest: { owner } } });
  assert.equal(init.status, 200, JSON.stringify(init.body));
  const value = init.body.value as { uploadUrl: string; image: string };
  const waiting = await li(`/rest/images/${urn(value.image)}`);
  assert.equal(waiting.body.status, 'WAITING_UPLOAD');
  const put = await fetch(value.uploadUrl, { method: 'PUT', headers: { authorization: `Bearer ${page.credentials.accessToken}`, 'content-type': 'application/octet-stream' }, body: data });
  assert.equal(put.status, 201);
  return value.image;
}

async function consent(query: Record<string, string>, decision: 'izinkan' | 'tolak', base = sandbox.urls.linkedin, who = page): Promise<URL> {
  const url = `${base}/oauth/v2/authorization?${new URLSearchParams(query)}`;
  const html = await (await fetch(url)).text();
  assert.match(html, />Izinkan</);
  assert.match(html, />Tolak</);
  assert.ok(html.includes(`value="${who.id}"`));
  const form = new URLSearchParams({ ...query, account: who.id, keputusan: decision });
  const answer = await fetch(`${base}/oauth/v2/authorization`, { method: 'POST', body: form, redirect: 'manual' });
  assert.equal(answer.status, 302);
  return new URL(answer.headers.get('location') ?? '');
}

async function exchange(form: Record<string, string>, base = sandbox.urls.linkedin): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/oauth/v2/accessToken`, { method: 'POST', body: new URLSearchParams(form) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const authorize = { response_type: 'code', client_id: 'siar-li', redirect_uri: 'https://siar.example/cb/linkedin', state: 'negara-7', scope: 'openid profile email w_member_social w_organization_social r_organization_social rw_organization_admin' };

test('consent page, code exchange with client secret, single-use code, userinfo and the Pages the member runs', async () => {
  const citizen = sandbox.createAccount('linkedin', { handle: 'warga-biasa', displayName: 'Warga Biasa', citizen: true } as { handle: string; displayName: string });
  const html = await (await fetch(`${sandbox.urls.linkedin}/oauth/v2/authorization?${new URLSearchParams(authorize)}`)).text();
  assert.ok(html.includes('Humas Provinsi Kaltim') && !html.includes(citizen.id));

  const denied = await consent(authorize, 'tolak');
  assert.equal(denied.searchParams.get('error'), 'user_cancelled_authorize');
  assert.equal(denied.searchParams.get('state'), 'negara-7');

  const back = await consent(authorize, 'izinkan');
  assert.equal(back.searchParams.get('state'), 'negara-7');
  const code = back.searchParams.get('code') ?? '';
  const form = { grant_type: 'authorization_code', code, client_id: 'siar-li', client_secret: 'rahasia', redirect_uri: authorize.redirect_uri };
  assert.deepEqual(await exchange({ ...form, client_secret: '' }), { status: 400, body: { error: 'invalid_request', error_description: 'A required parameter "client_secret" is missing' } });
  const token = await exchange(form);
  assert.equal(token.status, 200);
  assert.equal(token.body.expires_in, 5_184_000);
  assert.equal(token.body.refresh_token, undefined, 'refresh tokens are for approved partners only');
  const again = await exchange(form);
  assert.equal(again.status, 400);
  assert.match(String(again.body.error_description), /^Unable to retrieve access token: appid\/redirect uri\/code verifier does not match authorization code/);
  assert.equal((await exchange({ ...form, code: 'AQbukan-kode' })).body.error_description, 'Unable to retrieve access token: authorization code not found');
  const wrongRedirect = await consent(authorize, 'izinkan');
  assert.equal((await exchange({ ...form, code: wrongRedirect.searchParams.get('code') ?? '', redirect_uri: 'https://lain.example/cb' })).status, 400);

  const accessToken = String(token.body.access_token);
  const me = await li('/v2/userinfo', { token: accessToken, version: null });
  assert.equal(`urn:li:person:${String(me.body.sub)}`, page.credentials.memberUrn);
  const acls = await li('/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED&projection=(elements*(*,organization~(localizedName)))', { token: accessToken });
  const acl = (acls.body.elements as { organization: string; role: string; 'organization~': { localizedName: string } }[])[0];
  assert.equal(acl?.organization, org());
  assert.equal(acl?.role, 'ADMINISTRATOR');
  assert.equal(acl?.['organization~'].localizedName, 'Humas Provinsi Kaltim');
  const organization = await li(`/rest/organizations/${org().split(':').pop()}`, { token: accessToken });
  assert.deepEqual([organization.body.localizedName, organization.body.vanityName], ['Humas Provinsi Kaltim', 'humas-kaltim']);
});

test('programmatic refresh (approved partner): the refresh token stays, its lifetime does not restart', async () => {
  let partnerClock = Date.parse('2026-11-01T00:00:00Z');
  const partner = await startSandbox({ now: () => partnerClock, limits: { linkedinRefreshTokens: true } });
  try {
    const unit = partner.createAccount('linkedin', { handle: 'diskominfo', displayName: 'Diskominfo' });
    const back = await consent(authorize, 'izinkan', partner.urls.linkedin, unit);
    const first = await exchange({ grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', client_id: 'siar-li', client_secret: 'rahasia', redirect_uri: authorize.redirect_uri }, partner.urls.linkedin);
    assert.equal(first.body.refresh_token_expires_in, 365 * 86_400);
    partnerClock += 59 * 86_400_000;
    const second = await exchange({ grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token), client_id: 'siar-li', client_secret: 'rahasia' }, partner.urls.linkedin);
    assert.equal(second.status, 200);
    assert.notEqual(second.body.access_token, first.body.access_token);
    assert.equal(second.body.refresh_token, first.body.refresh_token);
    assert.equal(second.body.refresh_token_expires_in, 306 * 86_400);
    const bogus = await exchange({ grant_type: 'refresh_token', refresh_token: 'AQpalsu', client_id: 'siar-li', client_secret: 'rahasia' }, partner.urls.linkedin);
    assert.deepEqual([bogus.status, bogus.body.error], [400, 'invalid_request']);
  } finally {
    await partner.close();
  }
});

test('versioned API: LinkedIn-Version is required and must be an active version', async () => {
  const missing = await li(`/rest/organizations/${org().split(':').pop()}`, { version: null });
  assert.deepEqual([missing.status, missing.body.code], [400, 'VERSION_MISSING']);
  const old = await li(`/rest/organizations/${org().split(':').pop()}`, { version: '202301' });
  assert.deepEqual(old.body, { status: 426, code: 'NONEXISTENT_VERSION', message: 'Requested version 202301 is not active' });
});

test('posts with an image and alt text, several images, an article card; read back', async () => {
  const image = await uploadImage();
  const available = await li(`/rest/images/${urn(image)}`);
  assert.deepEqual([available.body.status, available.body.owner], ['AVAILABLE', org()]);
  const id = await publish('Peresmian jembatan hari ini', { content: { media: { id: image, altText: 'Gubernur menggunting pita' } } });
  assert.match(id, /^urn:li:share:\d{19}$/);
  const read = await li(`/rest/posts/${urn(id)}`);
  assert.equal(read.body.author, org());
  assert.equal(read.body.commentary, 'Peresmian jembatan hari ini');
  assert.deepEqual(read.body.content, { media: { id: image, altText: 'Gubernur menggunting pita' } });
  assert.equal(typeof read.body.createdAt, 'number');
  assert.deepEqual(sandbox.posts(page.id)[0]?.media, [{ mime: 'image/png', alt: 'Gubernur menggunting pita', bytes: png.length }]);
  assert.match(sandbox.posts(page.id)[0]?.url ?? '', /\/linkedin\/humas-kaltim#post-urn:li:share:\d+$/);
  const permalink = await fetch(`${sandbox.urls.linkedin}/feed/update/${id}/`, { redirect: 'manual' });
  assert.equal(permalink.headers.get('location'), sandbox.posts(page.id)[0]?.url);

  const [a, b] = [await uploadImage(), await uploadImage()];
  await publish('Galeri kegiatan', { content: { multiImage: { images: [{ id: a, altText: 'Satu' }, { id: b, altText: 'Dua' }] } } });
  assert.deepEqual(sandbox.posts(page.id)[0]?.media.map((m) => m.alt), ['Satu', 'Dua']);
  const thumb = await uploadImage();
  await publish('Baca rilisnya', { content: { article: { source: 'https://kaltimprov.go.id/berita/1', title: 'Rilis', description: 'Ringkasan', thumbnail: thumb } } });

  // An image the member uploaded as themself cannot go into the Page's post.
  const personal = await uploadImage(page.credentials.memberUrn);
  const refused = await li('/rest/posts', { method: 'POST', body: postBody('Foto pribadi', { content: { media: { id: personal } } }) });
  assert.equal(refused.status, 422);
  const missing = await li('/rest/posts', { method: 'POST', body: { author: org(), commentary: 'x', lifecycleState: 'PUBLISHED', distribution: { feedDistribution: 'MAIN_FEED' } } });
  assert.deepEqual([missing.status, missing.body.message], [422, 'ERROR :: /visibility :: field is required but not found and has no default value\n']);
  const stranger = await li('/rest/posts', { method: 'POST', body: postBody('Bukan Halaman saya', {}, 'urn:li:organization:1') });
  assert.deepEqual([stranger.status, stranger.body.code], [403, 'ACCESS_DENIED']);
});

test('little text: an unescaped reserved character cuts the post short; escaped text stays whole', async () => {
  assert.deepEqual(readLittleText('Rapat (koordinasi) @[Diskominfo](urn:li:organization:7) {hashtag|\\#|Kaltim}'), { stored: 'Rapat ', text: 'Rapat ' });
  assert.equal(readLittleText(`${escapeLittleText('Rapat (koordinasi) #Kaltim')} @[Diskominfo](urn:li:organization:7) {hashtag|\\#|Kaltim}`).text, 'Rapat (koordinasi) #Kaltim Diskominfo #Kaltim');

  const cut = await publish('Jadwal vaksinasi (gratis) di puskesmas');
  assert.equal((await li(`/rest/posts/${urn(cut)}`)).body.commentary, 'Jadwal vaksinasi ');
  assert.equal(sandbox.posts(page.id)[0]?.text, 'Jadwal vaksinasi ');
  const whole = await publish(escapeLittleText('Jadwal imunisasi (gratis) #SehatKaltim'));
  assert.equal(sandbox.posts(page.id)[0]?.text, 'Jadwal imunisasi (gratis) #SehatKaltim');
  assert.equal((await li(`/rest/posts/${urn(whole)}`)).body.commentary, escapeLittleText('Jadwal imunisasi (gratis) #SehatKaltim'));
  const long = await li('/rest/posts', { method: 'POST', body: postBody('a'.repeat(3001)) });
  assert.equal(long.status, 422);
});

test('LinkedIn refuses the same commentary twice from one author: 422 naming the first post', async () => {
  const first = await publish('Pelayanan SIM keliling hari Minggu');
  const again = await li('/rest/posts', { method: 'POST', body: postBody('Pelayanan SIM keliling hari Minggu') });
  assert.deepEqual(again.body, { status: 422, code: 'DUPLICATE_POST', message: `Content is a duplicate of ${first}` });
  // As the member (not the Page) it is another author.
  assert.equal((await li('/rest/posts', { method: 'POST', body: postBody('Pelayanan SIM keliling hari Minggu', {}, page.credentials.memberUrn) })).status, 201);
});

test('recent posts by author, newest first, with paging; edit the commentary; delete', async () => {
  clock += 60_000;
  const older = await publish('Kabar pertama');
  clock += 60_000;
  const newer = await publish('Kabar kedua');
  const list = await li(`/rest/posts?author=${urn(org())}&q=author&count=2&sortBy=LAST_MODIFIED`);
  const elements = list.body.elements as { id: string; commentary: string; createdAt: number }[];
  assert.deepEqual(elements.map((e) => e.id), [newer, older]);
  assert.equal(elements[0]?.createdAt, clock);
  const paging = list.body.paging as { count: number; links: { rel: string }[] };
  assert.equal(paging.links[0]?.rel, 'next');

  const noMethod = await li(`/rest/posts/${urn(older)}`, { method: 'POST', body: { patch: { $set: { commentary: 'x' } } } });
  assert.equal(noMethod.status, 400);
  clock += 60_000;
  const edited = await li(`/rest/posts/${urn(older)}`, { method: 'POST', headers: { 'x-restli-method': 'PARTIAL_UPDATE' }, body: { patch: { $set: { commentary: 'Kabar pertama (diperbarui)' } } } });
  assert.equal(edited.status, 204);
  const read = await li(`/rest/posts/${urn(older)}`);
  assert.equal(read.body.commentary, 'Kabar pertama ');
  assert.deepEqual(read.body.lifecycleStateInfo, { isEditedByAuthor: true });
  const resorted = await li(`/rest/posts?author=${urn(org())}&q=author&count=1&sortBy=LAST_MODIFIED`);
  assert.equal((resorted.body.elements as { id: string }[])[0]?.id, older);

  assert.equal((await li(`/rest/posts/${urn(newer)}`, { method: 'DELETE', headers: { 'x-restli-method': 'DELETE' } })).status, 204);
  assert.equal((await li(`/rest/posts/${urn(newer)}`)).status, 404);
  assert.equal((await li(`/rest/posts/${urn(newer)}`, { method: 'DELETE' })).status, 204);
  assert.equal(sandbox.posts(page.id).find((p) => p.id === newer)?.deleted, true);
});

test('citizens comment and like; the Page answers a comment; counts in socialActions', async () => {
  const fixed = Date.parse('2026-11-28T05:00:00Z');
  const lively = await startSandbox({ now: () => fixed, citizens: { intervalMs: 3_600_000, random: () => 0 } });
  try {
    const humas = lively.createAccount('linkedin', { handle: 'humas-samarinda', displayName: 'Humas Samarinda' });
    const call = (path: string, extra: Call = {}) => li(path, { base: lively.urls.linkedin, token: humas.credentials.accessToken, ...extra });
    const created = await call('/rest/posts', { method: 'POST', body: postBody('Festival Mahakam dibuka malam ini.', {}, humas.externalAccountId) });
    const post = created.headers.get('x-restli-id') ?? '';
    const step = lively.citizensStep();
    assert.ok(step.replies >= 1 && step.likes >= 1);
    const comments = await call(`/rest/socialActions/${urn(post)}/comments`);
    const first = (comments.body.elements as { commentUrn: string; actor: string; message: { text: string }; object: string }[])[0];
    assert.match(first?.actor ?? '', /^urn:li:person:/);
    assert.equal(lively.accounts().find((a) => a.externalAccountId === first?.actor)?.handle, 'rinasamarinda');
    assert.match(first?.commentUrn ?? '', /^urn:li:comment:\(urn:li:activity:\d+,\d+\)$/);

    const answer = await call(`/rest/socialActions/${urn(post)}/comments`, {
      method: 'POST',
      body: { actor: humas.externalAccountId, object: first?.object, message: { text: 'Terima kasih, sampai jumpa!' }, parentComment: first?.commentUrn },
    });
    assert.equal(answer.status, 201);
    assert.equal(answer.body.parentComment, first?.commentUrn);
    assert.equal(answer.body.agent, humas.credentials.memberUrn);
    const nested = await call(`/rest/socialActions/${urn(first?.commentUrn ?? '')}/comments`);
    assert.deepEqual((nested.body.elements as { message: { text: string } }[]).map((c) => c.message.text), ['Terima kasih, sampai jumpa!']);

    const summary = await call(`/rest/socialActions/${urn(post)}`);
    assert.equal((summary.body.likesSummary as { totalLikes: number }).totalLikes, 1);
    assert.deepEqual(
      [(summary.body.commentsSummary as { totalFirstLevelComments: number }).totalFirstLevelComments, (summary.body.commentsSummary as { aggregatedTotalComments: number }).aggregatedTotalComments],
      [1, 2],
    );
    // Comments are not posts: the author's recent posts still hold just the one.
    const recent = await call(`/rest/posts?author=${urn(humas.externalAccountId)}&q=author`);
    assert.deepEqual((recent.body.elements as { id: string }[]).map((e) => e.id), [post]);
  } finally {
    await lively.close();
  }
});

test('tokens: expired after 60 days and revoked, in LinkedIn words; a restored account keeps working', async () => {
  const restored = await startSandbox({ now: () => clock });
  try {
    const again = restored.restoreAccount('linkedin', { handle: page.handle, displayName: page.displayName, restore: { id: page.id, credentials: page.credentials, externalAccountId: page.externalAccountId } });
    assert.equal(again.externalAccountId, page.externalAccountId);
    const ok = await li(`/rest/posts?author=${urn(org())}&q=author`, { base: restored.urls.linkedin });
    assert.equal(ok.status, 200);
  } finally {
    await restored.close();
  }
  const revoke = sandbox.createAccount('linkedin', { handle: 'dicabut', displayName: 'Dicabut' });
  await fetch(`${sandbox.urls.linkedin}/oauth/v2/revoke`, { method: 'POST', body: new URLSearchParams({ token: revoke.credentials.accessToken ?? '', client_id: 'siar-li', client_secret: 'rahasia' }) });
  assert.deepEqual((await li('/v2/userinfo', { token: revoke.credentials.accessToken, version: null })).body, {
    status: 401, serviceErrorCode: 65601, code: 'REVOKED_ACCESS_TOKEN', message: 'The token used in the request has been revoked by the user',
  });
  const expiring = sandbox.createAccount('linkedin', { handle: 'kedaluwarsa', displayName: 'Kedaluwarsa' });
  clock += 60 * 86_400_000 + 1000;
  assert.deepEqual((await li('/v2/userinfo', { token: expiring.credentials.accessToken, version: null })).body, {
    status: 401, serviceErrorCode: 65602, code: 'EXPIRED_ACCESS_TOKEN', message: 'The token used in the request has expired',
  });
  assert.equal((await li('/v2/userinfo', { token: 'AQpalsu', version: null })).body.code, 'INVALID_ACCESS_TOKEN');
});

test('injected faults as LinkedIn shows them; reads are untouched by default', async () => {
  const unit = sandbox.createAccount('linkedin', { handle: 'gangguan', displayName: 'Gangguan' });
  const call = (text: string, signal?: AbortSignal) => li('/rest/posts', { method: 'POST', token: unit.credentials.accessToken, body: postBody(text, {}, unit.externalAccountId), ...(signal ? { signal } : {}) });
  sandbox.injectFault(unit.id, { kind: 'rate_limit', retryAfterSeconds: 45, times: 1 });
  const limited = await call('a');
  assert.deepEqual([limited.status, limited.headers.get('retry-after'), limited.body.serviceErrorCode], [429, '45', 101]);
  sandbox.injectFault(unit.id, { kind: 'daily_cap', times: 1 });
  const capped = await call('b');
  assert.deepEqual([capped.status, capped.headers.get('retry-after'), capped.body.message], [429, null, 'Resource level throttle MEMBER DAY limit for calls to this resource is reached.']);
  sandbox.injectFault(unit.id, { kind: 'server_error', times: 1 });
  assert.equal((await call('c')).status, 500);
  sandbox.injectFault(unit.id, { kind: 'expired_token', times: 1 });
  assert.equal((await call('d')).body.code, 'EXPIRED_ACCESS_TOKEN');
  sandbox.injectFault(unit.id, { kind: 'server_error', times: 1 });
  assert.equal((await li('/v2/userinfo', { token: unit.credentials.accessToken, version: null })).status, 200);
  sandbox.clearFaults(unit.id);

  sandbox.injectFault(unit.id, { kind: 'timeout', ms: 2000, times: 1 });
  await assert.rejects(call('lambat', AbortSignal.timeout(300)), (e: Error) => /abort|timeout/i.test(`${e.name} ${e.message}`));
  assert.equal(sandbox.stats(unit.id).created, 0);
  sandbox.injectFault(unit.id, { kind: 'lost_response', times: 1 });
  await assert.rejects(call('hilang di jalan'));
  assert.equal(sandbox.stats(unit.id).created, 1);
  assert.equal(sandbox.posts(unit.id)[0]?.text, 'hilang di jalan');
  sandbox.injectFault(unit.id, { kind: 'slow', ms: 200, times: 1 });
  const start = Date.now();
  assert.equal((await call('pelan tapi sampai')).status, 201);
  assert.ok(Date.now() - start >= 200);
});

test('default limit: the 151st post of a member in one UTC day is throttled until midnight', async () => {
  let busyClock = Date.parse('2026-11-28T23:00:00Z');
  const busy = await startSandbox({ now: () => busyClock });
  try {
    const unit = busy.createAccount('linkedin', { handle: 'sibuk', displayName: 'Sibuk' });
    const call = (text: string) => li('/rest/posts', { base: busy.urls.linkedin, method: 'POST', token: unit.credentials.accessToken, body: postBody(text, {}, unit.externalAccountId) });
    for (let i = 1; i <= 150; i++) assert.equal((await call(`Kabar nomor ${i}`)).status, 201);
    const refused = await call('Kabar nomor 151');
    assert.deepEqual(refused.body, { status: 429, serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS', message: 'Resource level throttle MEMBER DAY limit for calls to this resource is reached.' });
    assert.equal(busy.stats(unit.id).created, 150);
    busyClock = Date.parse('2026-11-29T00:00:01Z');
    assert.equal((await call('Kabar hari baru')).status, 201);
  } finally {
    await busy.close();
  }
});
