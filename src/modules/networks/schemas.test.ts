// Tests: untrusted input is parsed into clear errors, never an exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overridesSchema, postSchema, safeValidate } from './schemas.ts';

test('valid request is validated for each network', () => {
  const r = safeValidate({ networks: ['x', 'mastodon'], post: { text: 'Halo' }, overrides: { mastodon: { maxText: 1000 } } });
  assert.equal(r.ok, true);
  if (r.ok) assert.deepEqual(r.results.map((x) => [x.network, x.ok]), [['x', true], ['mastodon', true]]);
});

test('invalid input gives readable errors with paths', () => {
  const garbage: unknown[] = [null, undefined, 42, 'x', [], {}, { networks: [], post: { text: 'a' } },
    { networks: ['myspace'], post: { text: 'a' } },
    { networks: ['x'], post: { text: 5 } },
    { networks: ['x'], post: { text: 'a', media: [{ kind: 'image', mime: 'image/jpeg', bytes: -1 }] } },
    { networks: ['x'], post: { text: 'a' }, overrides: { x: { maxText: 'big' } } },
    { networks: ['x'], post: { text: 'a' }, overrides: { x: { unknownKey: 1 } } },
    { networks: ['x'], post: { text: 'a'.repeat(200_001) } }];
  for (const input of garbage) {
    const r = safeValidate(input);
    assert.equal(r.ok, false, JSON.stringify(input)?.slice(0, 80));
    if (!r.ok) {
      assert.ok(r.errors.length > 0);
      for (const e of r.errors) assert.ok(typeof e.path === 'string' && e.message.length > 0);
    }
  }
  const neg = safeValidate({ networks: ['x'], post: { text: 'a', media: [{ kind: 'image', mime: 'image/jpeg', bytes: -1 }] } });
  assert.ok(!neg.ok && neg.errors.some((e) => e.path === 'post.media.0.bytes'));
});

test('schemas: media defaults to [] and overrides are strict', () => {
  assert.deepEqual(postSchema.parse({ text: '' }), { text: '', media: [] });
  assert.equal(overridesSchema.safeParse({ maxText: 1000, charsPerUrl: 23 }).success, true);
  assert.equal(overridesSchema.safeParse({ maxText: 0 }).success, false);
});

test('a 100 KB hostile text is accepted as input and reported, not refused', () => {
  const r = safeValidate({ networks: ['bluesky', 'telegram'], post: { text: '\uD800\u0000'.repeat(50_000) } });
  assert.equal(r.ok, true);
  if (r.ok) assert.ok(r.results.every((x) => !x.ok));
});
