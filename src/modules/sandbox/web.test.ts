import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from './index.ts';
import type { Sandbox, SandboxAccount } from './index.ts';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

test('web: create an account over HTTP, publish, see the timeline escaped with replies indented', async () => {
  const created = await fetch(`${sandbox.urls.web}/_api/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ network: 'mastodon', handle: 'humas', displayName: 'Humas <Kota>' }),
  });
  assert.equal(created.status, 201);
  const account = await json<SandboxAccount>(created);
  const post = (body: Record<string, string>) =>
    fetch(`${sandbox.urls.mastodon}/api/v1/statuses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.credentials.accessToken}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    }).then((r) => json<{ id: string }>(r));
  const root = await post({ status: '<script>alert(1)</script> lihat https://kaltimprov.go.id' });
  await post({ status: 'Balasan', in_reply_to_id: root.id });
  const html = await (await fetch(`${sandbox.urls.web}/mastodon/humas`)).text();
  assert.ok(!html.includes('<script>alert(1)</script>'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('Humas &lt;Kota&gt;'));
  assert.match(html, /<a href="https:\/\/kaltimprov.go.id"/);
  assert.match(html, /class="reply"[^>]*>\s*<div class="text">Balasan/);
  assert.ok(html.indexOf('alert(1)') < html.indexOf('Balasan'));
  const index = await (await fetch(`${sandbox.urls.web}/`)).text();
  assert.ok(index.includes('/mastodon/humas'));
  const listed = await json<{ posts: { text: string }[]; stats: { created: number } }>(await fetch(`${sandbox.urls.web}/_api/accounts/${account.id}/posts`));
  assert.equal(listed.posts[0]?.text, 'Balasan');
  assert.equal(listed.stats.created, 2);
});

test('web: inject a fault over HTTP; invalid faults are refused', async () => {
  const account = sandbox.createAccount('telegram', { handle: 'kanal', displayName: 'Kanal' });
  const inject = (body: unknown) =>
    fetch(`${sandbox.urls.web}/_api/accounts/${account.id}/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal((await inject({ fault: { kind: 'meteor' } })).status, 400);
  assert.equal((await inject({ fault: { kind: 'server_error', times: 1 } })).status, 201);
  const answer = await fetch(`${sandbox.urls.telegram}/bot${account.credentials.botToken}/sendMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chat_id: account.credentials.chatId, text: 'halo' }),
  });
  assert.equal(answer.status, 500);
  assert.deepEqual(await answer.json(), { ok: false, error_code: 500, description: 'Internal Server Error' });
  assert.equal(sandbox.stats(account.id).rejected, 1);
});
