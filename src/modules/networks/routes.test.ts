import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, loginFresh, startTestServer, type TestServer } from '../../../test/server.ts';

describe('network rules over HTTP', () => {
  let server: TestServer;
  let client: Client;
  before(async () => {
    server = await startTestServer({ demo: false });
    client = await loginFresh(server.app, server.firstAdmin.email, server.firstAdmin.password);
  });
  after(() => server.close());

  test('lists every network with its rules', async () => {
    const items = (await client.get('/api/v1/networks')).json().items as { id: string; limits: { maxLength?: number } }[];
    assert.equal(items.length, 11);
    assert.ok(items.some((n) => n.id === 'x'));
  });

  test('checks a draft against several networks at once, in both languages', async () => {
    const text = `Pemprov Kaltim membuka pendaftaran beasiswa. ${'Info lengkap di portal. '.repeat(12)}https://kaltimprov.go.id/beasiswa`;
    const response = await client.post('/api/v1/networks/validate', { networks: ['x', 'mastodon', 'facebook'], post: { text, media: [] } });
    assert.equal(response.statusCode, 200);
    const body = response.json() as { ok: boolean; results: { network: string; ok: boolean; issues: { rule: string; message: { id: string } }[] }[] };
    assert.equal(body.ok, false);
    const x = body.results.find((r) => r.network === 'x')!;
    assert.equal(x.ok, false);
    assert.equal(x.issues[0]!.rule, 'text.too_long');
    assert.match(x.issues[0]!.message.id, /Teks untuk X terlalu panjang/);
    assert.equal(body.results.find((r) => r.network === 'facebook')!.ok, true);
  });

  test('bad input names the field; signing in is required', async () => {
    const bad = await client.post('/api/v1/networks/validate', { networks: ['myspace'], post: { text: 'halo', media: [] } });
    assert.equal(bad.statusCode, 400);
    assert.match(JSON.stringify(bad.json().error.details.issues), /networks/);
    const anonymous = await new Client(server.app).post('/api/v1/networks/validate', { networks: ['x'], post: { text: 'halo', media: [] } });
    assert.equal(anonymous.statusCode, 401);
  });
});
