import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notModified, RenderCache, type RenderedPage } from './cache.ts';

function counter(body = 'page'): { render: () => Promise<RenderedPage>; count: () => number } {
  let n = 0;
  return { render: async () => ({ status: 200, body: `${body} ${++n}` }), count: () => n };
}

test('a page is rendered once, then served until its time runs out', async () => {
  let now = 1_000_000;
  const cache = new RenderCache({ ttlMs: 60_000, clock: () => now });
  const home = counter();
  assert.equal((await cache.get('/', home.render)).body, 'page 1');
  assert.equal((await cache.get('/', home.render)).body, 'page 1');
  now += 59_999;
  assert.equal((await cache.get('/', home.render)).body, 'page 1');
  now += 1;
  assert.equal((await cache.get('/', home.render)).body, 'page 2', 'relative times are never older than the TTL');
});

test('the least recently used page goes first when the cache is full', async () => {
  const cache = new RenderCache({ maxEntries: 2 });
  const a = counter('a');
  const b = counter('b');
  const c = counter('c');
  await cache.get('/a', a.render);
  await cache.get('/b', b.render);
  await cache.get('/a', a.render); // /a is now the most recent
  await cache.get('/c', c.render);
  assert.equal(cache.size, 2);
  await cache.get('/a', a.render);
  assert.equal(a.count(), 1, '/a stayed');
  await cache.get('/b', b.render);
  assert.equal(b.count(), 2, '/b was dropped and rendered again');
});

test('the byte bound holds too', async () => {
  const cache = new RenderCache({ maxBytes: 25 });
  await cache.get('/1', async () => ({ status: 200, body: 'x'.repeat(10) }));
  await cache.get('/2', async () => ({ status: 200, body: 'y'.repeat(10) }));
  await cache.get('/3', async () => ({ status: 200, body: 'z'.repeat(10) }));
  assert.equal(cache.size, 2);
});

test('clear() drops everything, and a render that started before it is not kept', async () => {
  const cache = new RenderCache();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const slow = cache.get('/', async () => {
    await gate;
    return { status: 200, body: 'before the change' };
  });
  await new Promise((resolve) => setImmediate(resolve));
  cache.clear();
  release();
  assert.equal((await slow).body, 'before the change');
  const after = await cache.get('/', async () => ({ status: 200, body: 'after the change' }));
  assert.equal(after.body, 'after the change');
});

test('concurrent requests for one page share one render', async () => {
  const cache = new RenderCache();
  const home = counter();
  const pages = await Promise.all([cache.get('/', home.render), cache.get('/', home.render), cache.get('/', home.render)]);
  assert.equal(home.count(), 1);
  assert.deepEqual(new Set(pages.map((p) => p.body)), new Set(['page 1']));
});

test('the cache empties itself when a scheduled article goes live', async () => {
  let now = Date.parse('2026-11-12T01:00:00Z');
  let due: number | null = Date.parse('2026-11-12T01:00:30Z');
  let asked = 0;
  const cache = new RenderCache({ clock: () => now, nextChange: async () => { asked += 1; return due === null ? null : new Date(due); } });
  const home = counter();
  await cache.get('/', home.render);
  now += 29_000;
  await cache.get('/', home.render);
  assert.equal(home.count(), 1);
  now += 1_000;
  due = null;
  assert.equal((await cache.get('/', home.render)).body, 'page 2', 'rendered again at the time the article went live');
  assert.equal(asked, 2, 'the next time is read once per generation of the cache');
});

test('not-found answers are not kept; withdrawn articles are', async () => {
  const cache = new RenderCache();
  await cache.get('/junk', async () => ({ status: 404, body: 'no' }));
  await cache.get('/berita/x', async () => ({ status: 410, body: 'gone' }));
  assert.equal(cache.size, 1);
});

test('switched off, every request renders', async () => {
  const cache = new RenderCache({ enabled: false });
  const home = counter();
  await cache.get('/', home.render);
  await cache.get('/', home.render);
  assert.equal(home.count(), 2);
  assert.equal(cache.size, 0);
});

test('conditional requests: the ETag first, else the modification time', async () => {
  const cache = new RenderCache({ clock: () => Date.parse('2026-11-12T01:00:00.700Z') });
  const page = await cache.get('/', async () => ({ status: 200, body: 'isi' }));
  assert.match(page.etag, /^"[\w-]{27}"$/);
  assert.equal(page.lastModified.toISOString(), '2026-11-12T01:00:00.000Z');
  assert.equal(notModified({ 'if-none-match': page.etag }, page), true);
  assert.equal(notModified({ 'if-none-match': `"other", W/${page.etag}` }, page), true);
  assert.equal(notModified({ 'if-none-match': '"other"', 'if-modified-since': page.lastModified.toUTCString() }, page), false, 'If-None-Match wins');
  assert.equal(notModified({ 'if-modified-since': page.lastModified.toUTCString() }, page), true);
  assert.equal(notModified({ 'if-modified-since': new Date(page.lastModified.getTime() - 1000).toUTCString() }, page), false);
  assert.equal(notModified({ 'if-modified-since': 'kemarin' }, page), false);
  assert.equal(notModified({}, page), false);
});
