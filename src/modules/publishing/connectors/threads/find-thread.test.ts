// Recognising our own thread: the first part among recent posts, each next part as our reply to the one before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findThread } from './find-thread.ts';
import type { ThreadsPost } from './find-thread.ts';

const since = new Date('2026-01-05T03:00:00Z');
const at = (minutes: number) => new Date(since.getTime() + minutes * 60_000).toISOString().replace('.000Z', '+0000');

function profile(posts: ThreadsPost[], replies: Record<string, ThreadsPost[]>) {
  return {
    since,
    firstKind: 'TEXT_POST' as const,
    listPosts: async () => ({ data: posts }),
    listReplies: async (id: string) => replies[id] ?? [],
    ownUsername: async () => 'humas',
  };
}

test('finds the whole chain, ignoring older posts and strangers\' replies with the same words', async () => {
  const found = await findThread({
    texts: ['Satu', 'Dua'],
    ...profile(
      [{ id: 'old', text: 'Satu', timestamp: at(-60) }, { id: 'p1', text: 'Satu', timestamp: at(1) }],
      { p1: [{ id: 'x', text: 'Dua', username: 'warga', timestamp: at(2) }, { id: 'p2', text: 'Dua', username: 'humas', timestamp: at(2) }] },
    ),
  });
  assert.deepEqual(found.map((p) => p.externalId), ['p1', 'p2']);
});

test('answers the prefix that is there, and nothing when the first part is missing', async () => {
  const partial = await findThread({ texts: ['Satu', 'Dua', 'Tiga'], ...profile([{ id: 'p1', text: 'Satu', timestamp: at(1) }], {}) });
  assert.deepEqual(partial.map((p) => p.externalId), ['p1']);
  assert.deepEqual(await findThread({ texts: ['Satu'], ...profile([{ id: 'p9', text: 'Lain', timestamp: at(1) }], {}) }), []);
});
