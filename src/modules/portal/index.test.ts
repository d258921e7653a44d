/**
 * Addresses with a NUL character (`%00`) in their path or query: PostgreSQL text cannot hold one, so
 * every portal route answers them with the portal's not-found page before reading anything.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ demo: false, listen: false });
});
after(() => server.close());

test('a NUL anywhere in a portal address gets the not-found page, never a server error', async () => {
  for (const url of ['/widget?unit=%00', '/widget/data.json?unit=%00', '/kinerja/%00/2025', '/regulasi?q=%00', '/regulasi?unit=%00', '/rubrik/%00', '/tag/a%00b', '/unit/%00', '/berita/%00', '/cari?unit=%00', '/feed.xml?x=%00']) {
    const answer = await server.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
    assert.equal(answer.statusCode, 404, url);
    assert.match(answer.headers['content-type'] as string, /text\/html/, url);
    assert.match(answer.body, /<html lang="id"/, url);
  }
  // The API keeps its own answers.
  assert.notEqual((await server.app.inject({ method: 'GET', url: '/api/v1/units?x=%00' })).headers['content-type'], 'text/html; charset=utf-8');
});
