/** An independent Mastodon client (Debian's python3-mastodon, Mastodon.py) posting to and reading from the sandbox. */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { startSandbox } from './index.ts';
import type { Sandbox } from './index.ts';

const python = '/usr/bin/python3';
const run = promisify(execFile);
const available = existsSync(python) && (await run(python, ['-c', 'import mastodon']).then(() => true, () => false));

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

const script = `
import json, sys
from mastodon import Mastodon
api = Mastodon(access_token=sys.argv[2], api_base_url=sys.argv[1], ratelimit_method='throw')
me = api.account_verify_credentials()
media = api.media_post(b'\\x89PNG\\r\\n\\x1a\\n' + b'0' * 64, mime_type='image/png', description='Foto kegiatan')
first = api.status_post('Dari Mastodon.py https://kaltimprov.go.id', media_ids=[media], idempotency_key='py-1')
again = api.status_post('Dari Mastodon.py https://kaltimprov.go.id', media_ids=[media], idempotency_key='py-1')
reply = api.status_post('Balasan', in_reply_to_id=first)
back = api.status(first['id'])
timeline = api.account_statuses(me['id'], limit=10)
context = api.status_context(first['id'])
api.status_delete(reply['id'])
print(json.dumps({'me': me['username'], 'first': str(first['id']), 'again': str(again['id']), 'alt': back['media_attachments'][0]['description'],
  'timeline': [str(s['id']) for s in timeline], 'descendants': [str(s['id']) for s in context['descendants']], 'version': api.retrieve_mastodon_version()}))
`;

test('Mastodon.py posts with media and Idempotency-Key, reads back and deletes', { skip: available ? false : 'python3-mastodon is not installed (apt-get install -y python3-mastodon)' }, async () => {
  const account = sandbox.createAccount('mastodon', { handle: 'humaspy', displayName: 'Humas Py' });
  const { stdout } = await run(python, ['-c', script, sandbox.urls.mastodon, account.credentials.accessToken ?? '']);
  const result = JSON.parse(stdout) as { me: string; first: string; again: string; alt: string; timeline: string[]; descendants: string[]; version: string };
  assert.equal(result.me, 'humaspy');
  assert.equal(result.first, result.again);
  assert.equal(result.alt, 'Foto kegiatan');
  assert.equal(result.timeline.length, 2);
  assert.equal(result.descendants.length, 1);
  const posts = sandbox.posts(account.id);
  assert.equal(posts.length, 2);
  assert.equal(posts[0]?.deleted, true);
  assert.equal(posts[1]?.text, 'Dari Mastodon.py https://kaltimprov.go.id');
  assert.equal(posts[1]?.media[0]?.alt, 'Foto kegiatan');
  assert.equal(sandbox.stats(account.id).created, 2);
});
