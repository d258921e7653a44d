import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRestAPIClient } from 'masto';
import { AtpAgent } from '@atproto/api';
import { Api } from 'grammy';
import { startSandbox, type Sandbox } from './index.ts';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

test('a slow network answers late but normally, on every network', async () => {
  const mastodon = sandbox.createAccount('mastodon', { handle: 'lambat', displayName: 'Lambat' });
  const bluesky = sandbox.createAccount('bluesky', { handle: 'lambat', displayName: 'Lambat' });
  const telegram = sandbox.createAccount('telegram', { handle: 'lambat', displayName: 'Lambat' });
  for (const account of [mastodon, bluesky, telegram]) sandbox.injectFault(account.id, { kind: 'slow', ms: 300, times: 1 });

  let start = Date.now();
  await createRestAPIClient({ url: mastodon.baseUrl, accessToken: mastodon.credentials.accessToken! }).v1.statuses.create({ status: 'pelan-pelan' });
  assert.ok(Date.now() - start >= 300);

  const agent = new AtpAgent({ service: bluesky.baseUrl });
  await agent.login({ identifier: bluesky.credentials.identifier!, password: bluesky.credentials.appPassword! });
  start = Date.now();
  await agent.post({ text: 'pelan-pelan', createdAt: new Date().toISOString() });
  assert.ok(Date.now() - start >= 300);

  start = Date.now();
  await new Api(telegram.credentials.botToken!, { apiRoot: telegram.baseUrl }).sendMessage(telegram.credentials.chatId!, 'pelan-pelan');
  assert.ok(Date.now() - start >= 300);

  for (const account of [mastodon, bluesky, telegram]) {
    assert.deepEqual(sandbox.posts(account.id).map((p) => p.text), ['pelan-pelan']);
    assert.equal(sandbox.stats(account.id).created, 1);
  }
});
