// Telegram connector against the in-process sandbox: messages, photos, albums, threads, and what cannot be verified.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../../sandbox/index.ts';
import type { Sandbox, SandboxAccount } from '../../../sandbox/index.ts';
import { createTelegramConnector, parseExternalId, ThreadIncompleteError } from './connector.ts';
import { failureOf, image, requestFor } from '../test-support.ts';

let sandbox: Sandbox;
const connector = createTelegramConnector({ requestTimeoutMs: 400, partSpacingMs: 0 });

before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

const account = (handle: string): SandboxAccount => sandbox.createAccount('telegram', { handle, displayName: `Humas ${handle}` });

test('a text message, a photo with its caption, an album of three; remove deletes them', async () => {
  const humas = account('humaskaltim');
  const text = await connector.publish(requestFor('telegram', humas, { parts: ['Rilis: https://kaltimprov.go.id/berita'] }));
  const photo = await connector.publish(requestFor('telegram', humas, { parts: ['Peresmian jembatan'], media: [image('Jembatan')] }));
  const album = await connector.publish(requestFor('telegram', humas, { parts: ['Galeri kegiatan'], media: [image('Satu'), image('Dua'), image('Tiga')] }));
  const posts = [...sandbox.posts(humas.id)].reverse();
  assert.deepEqual(posts.map((p) => [p.text, p.media.length]), [['Rilis: https://kaltimprov.go.id/berita', 0], ['Peresmian jembatan', 1], ['Galeri kegiatan', 3]]);
  assert.equal(parseExternalId(album.externalId).messageIds.length, 3);
  assert.match(text.url ?? '', /^https:\/\/t\.me\/humaskaltim\/\d+$/);
  const request = requestFor('telegram', humas);
  for (const result of [text, photo, album]) await connector.remove({ channel: request.channel, credentials: request.credentials, parts: result.parts, signal: request.signal });
  assert.ok(sandbox.posts(humas.id).every((p) => p.deleted));
  // Removing again finds nothing to delete and is not an error.
  await connector.remove({ channel: request.channel, credentials: request.credentials, parts: text.parts, signal: request.signal });
});

test('a thread becomes consecutive messages, each replying to the previous', async () => {
  const humas = account('humasberau');
  const request = requestFor('telegram', humas, { parts: ['Satu 1/3', 'Dua 2/3', 'Tiga 3/3'], firstComment: 'Selengkapnya di portal.' });
  const result = await connector.publish(request);
  assert.equal(result.parts.length, 4);
  const posts = [...sandbox.posts(humas.id)].reverse();
  assert.deepEqual(posts.map((p) => p.text), [...request.parts, 'Selengkapnya di portal.']);
  assert.equal(posts[0]?.replyTo, null);
  for (let i = 1; i < posts.length; i++) assert.equal(posts[i]?.replyTo, posts[i - 1]?.id);
});

test('flood control in the middle of a thread is waited out in place', async () => {
  const tight = await startSandbox({ limits: { telegramMessagesPerChat: { limit: 2, windowSeconds: 1 } } });
  try {
    const humas = tight.createAccount('telegram', { handle: 'humasflood', displayName: 'Humas' });
    const result = await connector.publish(requestFor('telegram', humas, { parts: ['Satu', 'Dua', 'Tiga'] }));
    assert.equal(result.parts.length, 3);
    assert.equal(tight.stats(humas.id).created, 3);
  } finally {
    await tight.close();
  }
});

test('a thread that breaks after its first message is permanent, naming what went out', async () => {
  const humas = account('humaskukar');
  let calls = 0;
  // After the first message is sent, the server starts failing.
  const breaking = createTelegramConnector({
    partSpacingMs: 0,
    fetch: async (input, init) => {
      calls += 1;
      if (calls === 2) sandbox.injectFault(humas.id, { kind: 'server_error' });
      return fetch(input, init);
    },
  });
  const failure = await failureOf(breaking.publish(requestFor('telegram', humas, { parts: ['Satu', 'Dua', 'Tiga'] })));
  sandbox.clearFaults(humas.id);
  assert.ok(failure instanceof ThreadIncompleteError);
  assert.equal(failure.kind, 'permanent');
  assert.equal(failure.code, 'thread_incomplete');
  assert.equal(failure.published.length, 1);
  assert.equal(sandbox.stats(humas.id).created, 1);
});

test('a lost answer is uncertain and cannot be verified', async () => {
  const humas = account('humasbontang');
  const request = requestFor('telegram', humas);
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.equal(failure.kind, 'uncertain');
  assert.equal(sandbox.stats(humas.id).created, 1);
  assert.equal(connector.idempotent, false);
  assert.equal((connector as { verifiable?: boolean }).verifiable, false);
  assert.equal(await connector.findPublished(request), null);
});

test('faults map to the engine\'s kinds', async () => {
  const humas = account('humaspaser');
  const publish = (text: string) => connector.publish(requestFor('telegram', humas, { parts: [text] }));

  sandbox.injectFault(humas.id, { kind: 'rate_limit', retryAfterSeconds: 12, times: 1 });
  const limited = await failureOf(publish('Satu'));
  assert.equal(limited.kind, 'transient');
  assert.equal(limited.retryAfterMs, 12_000);

  sandbox.injectFault(humas.id, { kind: 'server_error', times: 1 });
  const broken = await failureOf(publish('Dua'));
  assert.equal(broken.kind, 'transient');
  assert.equal(broken.status, 500);

  sandbox.injectFault(humas.id, { kind: 'timeout', ms: 2_000, times: 1 });
  const slow = await failureOf(publish('Tiga'));
  assert.equal(slow.kind, 'uncertain');
  assert.equal(slow.code, 'timeout');

  sandbox.injectFault(humas.id, { kind: 'expired_token', times: 1 });
  const refused = await failureOf(publish('Empat'));
  assert.equal(refused.kind, 'auth');

  const long = await failureOf(publish('x'.repeat(4_100)));
  assert.equal(long.kind, 'permanent');
  assert.equal(long.code, 'text_too_long');

  const wrongChat = await failureOf(connector.publish(requestFor('telegram', humas, { credentials: { ...humas.credentials, chatId: '@bukan_kanal_ini' } })));
  assert.equal(wrongChat.kind, 'auth');
  assert.equal(wrongChat.code, 'chat_not_found');
  assert.equal(sandbox.stats(humas.id).created, 0);
});

test('a flood wait of hours is a permanent cap; verify reads the channel', async () => {
  const capped = await startSandbox({ now: () => Date.UTC(2026, 0, 5, 0, 1) });
  try {
    const humas = capped.createAccount('telegram', { handle: 'humascap', displayName: 'Humas Cap' });
    capped.injectFault(humas.id, { kind: 'daily_cap' });
    const failure = await failureOf(connector.publish(requestFor('telegram', humas)));
    assert.equal(failure.kind, 'permanent');
    assert.equal(failure.code, 'daily_cap');
    const request = requestFor('telegram', humas);
    const me = await connector.verify({ channel: request.channel, credentials: request.credentials, signal: request.signal });
    assert.equal(me.handle, '@humascap');
  } finally {
    await capped.close();
  }
});

test('capabilities: Telegram\'s limits; a bot cannot read comments, reply or read counts', async () => {
  const humas = account('humascaps');
  const request = requestFor('telegram', humas);
  const caps = await connector.capabilities!({ channel: request.channel, credentials: request.credentials, signal: request.signal });
  assert.equal(caps.maxCharacters, 4_096);
  assert.equal(caps.maxMedia, 10);
  assert.equal(caps.canEdit, true);
  assert.deepEqual([caps.canReadComments, caps.canReply, caps.canReadMetrics], [false, false, false]);
  assert.deepEqual([connector.fetchComments, connector.reply, connector.fetchMetrics], [undefined, undefined, undefined]);
  assert.equal(connector.defaultBaseUrl, 'https://api.telegram.org');
});

test('an edit changes the text of every part of a thread; repeating it is harmless; it cannot add parts', async () => {
  const humas = account('humasedit');
  const request = requestFor('telegram', humas, { parts: ['Rapat paripurna Senin 1/2', 'Terbuka untuk umum 2/2'] });
  const published = await connector.publish(request);
  const editing = { channel: request.channel, credentials: request.credentials, signal: request.signal, parts: published.parts, title: null };
  const texts = ['Rapat paripurna Selasa 1/2', 'Terbuka untuk umum, gratis 2/2'];
  await connector.edit!({ ...editing, texts });
  assert.deepEqual([...sandbox.posts(humas.id)].reverse().map((p) => p.text), texts);
  // The same edit again: Telegram answers "not modified", which is success.
  await connector.edit!({ ...editing, texts });
  // Only the first part changes: the second is left as it is.
  await connector.edit!({ ...editing, texts: ['Rapat paripurna Rabu 1/2'] });
  assert.deepEqual([...sandbox.posts(humas.id)].reverse().map((p) => p.text), ['Rapat paripurna Rabu 1/2', texts[1]]);
  const grown = await failureOf(connector.edit!({ ...editing, texts: ['Satu', 'Dua', 'Tiga'] }));
  assert.equal(grown.code, 'edit_adds_parts');
  assert.equal(sandbox.stats(humas.id).created, 2);
});

test('an edit of a photo or an album changes its caption', async () => {
  const humas = account('humascaption');
  const photo = await connector.publish(requestFor('telegram', humas, { parts: ['Peresmian jembatan'], media: [image('Jembatan')] }));
  const album = await connector.publish(requestFor('telegram', humas, { parts: ['Galeri kegiatan'], media: [image('Satu'), image('Dua')] }));
  const request = requestFor('telegram', humas);
  const editing = { channel: request.channel, credentials: request.credentials, signal: request.signal, title: null };
  await connector.edit!({ ...editing, parts: photo.parts, texts: ['Peresmian jembatan Long Ikis'] });
  await connector.edit!({ ...editing, parts: album.parts, texts: ['Galeri kegiatan bupati'] });
  const posts = [...sandbox.posts(humas.id)].reverse();
  assert.deepEqual(posts.map((p) => [p.text, p.media.length]), [['Peresmian jembatan Long Ikis', 1], ['Galeri kegiatan bupati', 2]]);
});
