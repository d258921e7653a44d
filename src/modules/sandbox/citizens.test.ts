import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AtpAgent } from '@atproto/api';
import { startSandbox, type Sandbox } from './index.ts';
import { CITIZEN_PHRASES, CITIZENS } from './citizens.ts';

let sandbox: Sandbox;
let clock = Date.parse('2026-11-28T01:00:00Z');
// Deterministic: every chance taken (0 is below any positive chance), the first citizen and phrase picked.
let draw = 0;

before(async () => {
  sandbox = await startSandbox({ now: () => clock, citizens: { intervalMs: 3_600_000, random: () => draw } });
});
after(async () => sandbox.close());

async function mastodonPost(accessToken: string, status: string): Promise<string> {
  const response = await fetch(`${sandbox.urls.mastodon}/api/v1/statuses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { id: string }).id;
}

test('every language the listening side reads has positive, negative and neutral phrases', () => {
  for (const lang of ['ind', 'bjn', 'bug', 'jav'] as const) {
    const sentiments = new Set(CITIZEN_PHRASES.filter((p) => p.lang === lang).map((p) => p.sentiment));
    assert.deepEqual([...sentiments].sort(), ['negative', 'neutral', 'positive'], lang);
    assert.ok(CITIZENS.some((c) => c.lang === lang), `a citizen writes in ${lang}`);
  }
});

test('citizens reply to and like a fresh post; Mastodon shows them in the context and counts', async () => {
  const humas = sandbox.createAccount('mastodon', { handle: 'humas_kaltim', displayName: 'Humas Kaltim' });
  const id = await mastodonPost(humas.credentials.accessToken!, 'Jembatan Mahakam IV dibuka untuk umum hari ini.');
  const step = sandbox.citizensStep();
  assert.ok(step.replies >= 1 && step.likes >= 1, JSON.stringify(step));

  const context = (await (await fetch(`${sandbox.urls.mastodon}/api/v1/statuses/${id}/context`)).json()) as { descendants: { content: string; account: { acct: string } }[] };
  assert.equal(context.descendants.length, 1);
  const citizen = CITIZENS[0]!;
  assert.equal(context.descendants[0]!.account.acct.split('@')[0], citizen.handle);
  const phrase = CITIZEN_PHRASES.find((p) => p.lang === citizen.lang)!;
  assert.ok(context.descendants[0]!.content.includes(phrase.text.replace(/'/g, '&#39;')) || context.descendants[0]!.content.includes(phrase.text), context.descendants[0]!.content);

  const status = (await (await fetch(`${sandbox.urls.mastodon}/api/v1/statuses/${id}`)).json()) as { favourites_count: number; replies_count: number };
  assert.equal(status.favourites_count, 1);
  assert.equal(status.replies_count, 1);
  // Citizens are not practice accounts Siar publishes to, and their reply is not the government's post.
  assert.ok(sandbox.accounts().filter((a) => a.network === 'mastodon' && a.citizen).length === CITIZENS.length);
  assert.equal(sandbox.stats(humas.id).created, 1);

  // The account's page shows the conversation: the citizen's name and words under the post, and the like.
  const html = await (await fetch(`${sandbox.urls.web}/mastodon/humas_kaltim`)).text();
  assert.ok(html.indexOf('Jembatan Mahakam IV') < html.indexOf(citizen.displayName), 'the reply is under the post');
  assert.match(html, /1 suka/);
});

test('citizens on Bluesky reply with proper root and parent references, read back by getPostThread', async () => {
  const humas = sandbox.createAccount('bluesky', { handle: 'diskominfo', displayName: 'Diskominfo' });
  const agent = new AtpAgent({ service: sandbox.urls.bluesky });
  await agent.login({ identifier: humas.credentials.identifier!, password: humas.credentials.appPassword! });
  const posted = await agent.post({ text: 'Pendaftaran beasiswa Kaltim Tuntas dibuka.', createdAt: new Date(clock).toISOString() });
  sandbox.citizensStep();
  const thread = await agent.getPostThread({ uri: posted.uri });
  const replies = (thread.data.thread as { replies?: { post: { record: { text: string; reply?: { root: { uri: string } } }; author: { handle: string } } }[] }).replies ?? [];
  assert.equal(replies.length, 1);
  assert.equal(replies[0]!.post.record.reply?.root.uri, posted.uri);
  assert.match(replies[0]!.post.author.handle, /^rinasamarinda\./);
  const [view] = (await agent.getPosts({ uris: [posted.uri] })).data.posts;
  assert.equal(view?.likeCount, 1);
});

test('attention fades: a post from three days ago gets nothing, and replies stop at the cap', async () => {
  const humas = sandbox.createAccount('mastodon', { handle: 'humas_lama', displayName: 'Humas Lama' });
  const id = await mastodonPost(humas.credentials.accessToken!, 'Pengumuman lama.');
  clock += 3 * 86_400_000;
  draw = 0;
  const before = (await (await fetch(`${sandbox.urls.mastodon}/api/v1/statuses/${id}/context`)).json()) as { descendants: unknown[] };
  sandbox.citizensStep();
  const afterStep = (await (await fetch(`${sandbox.urls.mastodon}/api/v1/statuses/${id}/context`)).json()) as { descendants: unknown[] };
  assert.equal(afterStep.descendants.length, before.descendants.length);

  const fresh = await mastodonPost(humas.credentials.accessToken!, 'Pengumuman baru: jadwal vaksinasi.');
  for (let i = 0; i < 30; i += 1) sandbox.citizensStep();
  const context = (await (await fetch(`${sandbox.urls.mastodon}/api/v1/statuses/${fresh}/context`)).json()) as { descendants: unknown[] };
  assert.equal(context.descendants.length, 12);
});
