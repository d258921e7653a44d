/**
 * Throws a corpus of malformed requests at every route in the OpenAPI document, signed in as a top
 * administrator (so validation, not authentication, is what answers) and signed out. No client
 * mistake may produce a 5xx; every answer must be the uniform error body.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, loginFresh, startTestServer, type TestServer } from '../../test/server.ts';

interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  hasBody: boolean;
  /** Actions that take no input accept no body at all, which is not a mistake. */
  bodyOptional: boolean;
}

const badIds = ['not-a-uuid', '1', "1' or '1'='1", '%00', 'x'.repeat(300), '00000000-0000-0000-0000-00000000000g', '%E2%80%AE'];
const badBodies: { label: string; payload: string; contentType: string }[] = [
  { label: 'truncated JSON', payload: '{"name": "Dinas', contentType: 'application/json' },
  { label: 'not JSON at all', payload: 'name=Dinas', contentType: 'application/json' },
  { label: 'empty body', payload: '', contentType: 'application/json' },
  { label: 'JSON null', payload: 'null', contentType: 'application/json' },
  { label: 'JSON array', payload: '[1,2,3]', contentType: 'application/json' },
  { label: 'JSON string', payload: '"halo"', contentType: 'application/json' },
  { label: 'unknown field', payload: '{"bukanField": true}', contentType: 'application/json' },
  { label: 'wrong types everywhere', payload: JSON.stringify({ email: 5, name: [], unitId: {}, role: 7, parentId: 12, kind: true, password: null, code: 123456, currentPassword: 1, newPassword: false, disabled: 'ya', expiresInDays: 'lama', requireTwoFactor: 'ya', timezone: 5 }), contentType: 'application/json' },
  { label: 'deep nesting', payload: `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`, contentType: 'application/json' },
  { label: 'prototype pollution', payload: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}', contentType: 'application/json' },
  { label: 'form encoded', payload: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
  { label: 'plain text', payload: 'halo', contentType: 'text/plain' },
  { label: 'oversized', payload: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }), contentType: 'application/json' },
  { label: 'invalid UTF-8', payload: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('latin1'), contentType: 'application/json' },
];
const badQueries = ['?unitId=bukan-uuid', '?limit=-5', '?limit=abc', '?cursor=0', '?from=kemarin', '?tidakDikenal=1', '?unitId=%00', '?unitId[]=a&unitId[]=b'];

function assertClientError(response: { statusCode: number; body: string }, what: string): void {
  assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${what} → ${response.statusCode} ${response.body.slice(0, 300)}`);
  const body = JSON.parse(response.body) as { error?: { code?: unknown; message?: unknown } };
  assert.equal(typeof body.error?.code, 'string', `${what}: error.code missing in ${response.body.slice(0, 200)}`);
  assert.equal(typeof body.error?.message, 'string', `${what}: error.message missing`);
}

describe('malformed requests never cause a server error', () => {
  let server: TestServer;
  let admin: Client;
  let operations: Operation[];

  before(async () => {
    server = await startTestServer();
    admin = await loginFresh(server.app, server.firstAdmin.email, server.firstAdmin.password);
    const spec = (await server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { requestBody?: { required?: boolean } }>>;
    };
    operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase() as Operation['method'], path, hasBody: op.requestBody !== undefined, bodyOptional: op.requestBody?.required !== true })),
    );
  });
  after(() => server.close());

  test('the OpenAPI document lists the API', () => {
    assert.ok(operations.length >= 20, `only ${operations.length} operations documented`);
    assert.ok(operations.some((o) => o.method === 'POST' && o.path === '/api/v1/units'));
  });

  test('bad ids in the path', async () => {
    for (const op of operations.filter((o) => o.path.includes('{'))) {
      for (const id of badIds) {
        const url = op.path.replace(/\{[^}]+\}/g, id);
        const response = await admin.request(op.method, url, op.hasBody ? {} : undefined);
        assertClientError(response, `${op.method} ${url}`);
      }
    }
  });

  test('bad bodies', async () => {
    const id = '6b1a3c1e-7d1f-4a52-9a42-2d6a3b0c9e11';
    for (const op of operations.filter((o) => o.method !== 'GET')) {
      const url = op.path.replace(/\{[^}]+\}/g, id);
      for (const body of badBodies) {
        if (op.bodyOptional && (body.label === 'empty body' || body.label === 'JSON null')) continue;
        for (const client of [admin, new Client(server.app)]) {
          const headers: Record<string, string> = { 'content-type': body.contentType };
          if (client.session) {
            headers.cookie = client.session.cookie;
            headers['x-csrf-token'] = client.session.csrf;
          }
          const response = await server.app.inject({ method: op.method, url, headers, payload: body.payload });
          assertClientError(response, `${op.method} ${url} with ${body.label}`);
        }
      }
    }
  });

  test('bad query strings', async () => {
    for (const op of operations.filter((o) => o.method === 'GET')) {
      const url = op.path.replace(/\{[^}]+\}/g, '6b1a3c1e-7d1f-4a52-9a42-2d6a3b0c9e11');
      for (const query of badQueries) {
        const response = await admin.get(`${url}${query}`);
        assert.ok(response.statusCode < 500, `GET ${url}${query} → ${response.statusCode} ${response.body.slice(0, 300)}`);
        if (response.statusCode >= 400) assertClientError(response, `GET ${url}${query}`);
      }
    }
  });

  test('validation errors name the field', async () => {
    const response = await admin.post('/api/v1/users', { email: 'bukan-email', name: 'A', unitId: 'x', role: 'raja' });
    assert.equal(response.statusCode, 400);
    const issues = response.json().error.details.issues as { path: string }[];
    assert.deepEqual(issues.map((i) => i.path).sort(), ['email', 'name', 'role', 'unitId']);
    const unknown = await admin.post('/api/v1/tokens', { name: 'ok', bonus: 1 });
    assert.equal(unknown.statusCode, 400);
    assert.match(JSON.stringify(unknown.json().error.details.issues), /bonus/);
  });

  test('unknown routes answer 404 in the same error shape', async () => {
    for (const url of ['/api/v1/tidak-ada', '/api/v2/units', '/api/v1/units/../../etc/passwd']) {
      const response = await admin.get(url);
      assert.equal(response.statusCode, 404, url);
      assertClientError(response, url);
    }
  });
});
