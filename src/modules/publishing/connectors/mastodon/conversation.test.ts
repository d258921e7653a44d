// What our replies say on Mastodon and how instance facts read: pure functions, no server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { mastodon } from 'masto';
import { replyText } from './conversation.ts';
import { capabilitiesOf, mediaKindsOf, supportsEdits } from './instance.ts';

const person = (acct: string, id = '7'): mastodon.v1.Account => ({ id, acct, username: acct.split('@')[0]! }) as mastodon.v1.Account;

test('a reply to someone else starts with their handle, unless the text already names them', () => {
  assert.equal(replyText('Terima kasih.', person('rina'), '1'), '@rina Terima kasih.');
  assert.equal(replyText('Terima kasih.', person('rina@kaltim.social'), '1'), '@rina@kaltim.social Terima kasih.');
  assert.equal(replyText('Halo @rina, terima kasih.', person('rina'), '1'), 'Halo @rina, terima kasih.');
  assert.equal(replyText('Sudah dijawab @Rina.', person('rina'), '1'), 'Sudah dijawab @Rina.');
  // A different person with a longer name, or the same name on another server, is not a mention of them.
  assert.equal(replyText('Lihat @rinawati.', person('rina'), '1'), '@rina Lihat @rinawati.');
  assert.equal(replyText('Lihat @rina@lain.social', person('rina'), '1'), '@rina Lihat @rina@lain.social');
  // Answering our own status (a thread part) needs no mention.
  assert.equal(replyText('Tambahan info.', person('humas', '1'), '1'), 'Tambahan info.');
});

test('edits exist from Mastodon 3.5; other software is judged by its compatible version', () => {
  assert.equal(supportsEdits('4.3.2'), true);
  assert.equal(supportsEdits('3.5.0'), true);
  assert.equal(supportsEdits('4.2.1+glitch'), true);
  assert.equal(supportsEdits('3.4.6'), false);
  assert.equal(supportsEdits('3.0.0 (compatible; Pleroma 2.5.0)'), false);
  assert.equal(supportsEdits('unknown'), false);
});

test('media kinds follow the MIME types the server accepts; missing facts fall back to Mastodon defaults', () => {
  assert.deepEqual(mediaKindsOf(['image/jpeg', 'image/png']), ['image']);
  assert.deepEqual(mediaKindsOf(['image/jpeg', 'image/gif', 'video/mp4']), ['image', 'video', 'gif']);
  const caps = capabilitiesOf({ version: '4.1.0', maxCharacters: undefined, maxMedia: undefined, mimeTypes: undefined });
  assert.equal(caps.maxCharacters, 500);
  assert.equal(caps.maxMedia, 4);
  assert.deepEqual(caps.mediaKinds, ['image', 'video', 'gif']);
});
