import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loginFresh, startTestServer, type TestServer } from '../../test/server.ts';

describe('HTTP server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ demo: false });
  });
  after(() => server.close());

  test('security headers on every page and API answer', async () => {
    for (const url of ['/api/v1/me', '/api/v1/units', '/admin/', '/admin/units/anything', '/api/docs/', '/healthz', '/api/openapi.json', '/tidak-ada']) {
      const response = await server.app.inject({ method: 'GET', url });
      const csp = String(response.headers['content-security-policy'] ?? '');
      // Pages may load their own scripts and styles; API answers may load nothing at all.
      assert.match(csp, url.startsWith('/api/v1/') ? /^default-src 'none'/ : /default-src 'self'/, `${url}: ${csp}`);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.equal(response.headers['referrer-policy'], 'strict-origin-when-cross-origin', url);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', url);
    }
  });

  test('the admin app is served with a fallback for its own paths', async () => {
    const deep = await server.app.inject({ method: 'GET', url: '/admin/users/123' });
    assert.equal(deep.statusCode, 200);
    assert.match(deep.headers['content-type'] as string, /text\/html/);
    assert.match(deep.body, /<div id="root">/);
    const bare = await server.app.inject({ method: 'GET', url: '/admin' });
    assert.equal(bare.statusCode, 302);
    assert.equal(bare.headers.location, '/admin/');
    // The site's root is the public portal, not the admin app.
    const root = await server.app.inject({ method: 'GET', url: '/' });
    assert.equal(root.statusCode, 200);
    assert.match(root.body, /<html lang="id"/);
  });

  test('request ids are echoed, or made when missing or unsafe', async () => {
    const given = await server.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'humas-123' } });
    assert.equal(given.headers['x-request-id'], 'humas-123');
    const unsafe = await server.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'a b\nc' } });
    assert.match(unsafe.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
  });

  test('health, readiness and Prometheus metrics', async () => {
    assert.deepEqual((await server.app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
    assert.equal((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    await server.app.inject({ method: 'GET', url: '/api/v1/units/6b1a3c1e-7d1f-4a52-9a42-2d6a3b0c9e11' });
    const metrics = (await server.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /siar_http_requests_total\{method="GET",route="\/api\/v1\/units\/:id",status="401"\} 1/);
    assert.match(metrics, /siar_process_resident_memory_bytes/);
  });

  test('the OpenAPI 3.1 document describes the API with schemas, and the docs page loads', async () => {
    const spec = (await server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.equal(spec.openapi, '3.1.0');
    const create = spec.paths['/api/v1/users'].post;
    assert.deepEqual(create.requestBody.content['application/json'].schema.required.sort(), ['email', 'name', 'role', 'unitId']);
    assert.ok(create.responses['201']);
    const docs = await server.app.inject({ method: 'GET', url: '/api/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });

  test('messages follow Accept-Language, Indonesian by default', async () => {
    const id = await server.app.inject({ method: 'GET', url: '/api/v1/me' });
    assert.equal(id.json().error.message, 'Silakan masuk terlebih dahulu.');
    const en = await server.app.inject({ method: 'GET', url: '/api/v1/me', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    assert.equal(en.json().error.message, 'Please log in first.');
  });

  test('sign-in cookies are Secure when Siar is served over https', async () => {
    const secure = await startTestServer({ demo: false, config: { publicUrl: 'https://siar.kaltimprov.go.id' } });
    try {
      const login = await secure.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: secure.firstAdmin.email, password: secure.firstAdmin.password } });
      const cookies = login.headers['set-cookie'] as string[];
      assert.ok(cookies.every((c) => /;\s*Secure/i.test(c)), cookies.join('\n'));
      assert.match(String(login.headers['strict-transport-security']), /max-age=31536000/);
    } finally {
      await secure.close();
    }
    const admin = await loginFresh(server.app, server.firstAdmin.email, server.firstAdmin.password);
    const plain = (await admin.get('/api/v1/me')).headers['strict-transport-security'];
    assert.equal(plain, undefined);
  });
});
