import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupCommit } from './group-commit.ts';

test('pieces asked for together go in one batch; while a batch runs, the next ones gather', async () => {
  const batches: number[][] = [];
  let release: (() => void) | undefined;
  const group = new GroupCommit<number, string>(async (items) => {
    batches.push(items);
    if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    return items.map((n) => `#${n}`);
  }, { maxBatch: 100, parallel: 1 });
  const first = [1, 2, 3].map((n) => group.run(n));
  await new Promise((resolve) => setImmediate(resolve));
  // The first batch is running: these wait for it, then go together.
  const later = [4, 5, 6, 7].map((n) => group.run(n));
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(batches, [[1, 2, 3]]);
  release!();
  assert.deepEqual(await Promise.all([...first, ...later]), ['#1', '#2', '#3', '#4', '#5', '#6', '#7']);
  assert.deepEqual(batches, [[1, 2, 3], [4, 5, 6, 7]]);
});

test('batches are cut at maxBatch and at most `parallel` run at once', async () => {
  let running = 0;
  let most = 0;
  const sizes: number[] = [];
  const group = new GroupCommit<number, number>(async (items) => {
    running += 1;
    most = Math.max(most, running);
    sizes.push(items.length);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running -= 1;
    return items;
  }, { maxBatch: 4, parallel: 2 });
  const results = await Promise.all(Array.from({ length: 10 }, (_, n) => group.run(n)));
  assert.deepEqual(results, Array.from({ length: 10 }, (_, n) => n));
  assert.ok(sizes.every((size) => size <= 4));
  assert.equal(most, 2);
});

test('a failed batch is tried again piece by piece: only the bad piece fails', async () => {
  const group = new GroupCommit<number, number>(async (items) => {
    if (items.includes(13)) throw new Error(`bad piece in [${items.join(',')}]`);
    return items.map((n) => n * 2);
  }, { maxBatch: 10, parallel: 1 });
  const settled = await Promise.allSettled([11, 12, 13, 14].map((n) => group.run(n)));
  assert.deepEqual(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'rejected')), [22, 24, 'rejected', 28]);
  assert.match(String((settled[2] as PromiseRejectedResult).reason), /bad piece in \[13\]/);
});
