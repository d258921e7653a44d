import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { Client, loginFresh, startTestServer, type TestServer } from '../../../test/server.ts';
import { canonicalJson } from './chain.ts';
import { recordAudit, recordAuditMany, systemActor } from './record.ts';
import { verifyAuditChain } from './verify.ts';

test('canonical JSON does not depend on key order', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } }), canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
});

for (const backend of backendNames) {
  describe(`audit log (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let admin: Client;
    before(async () => {
      server = await startTestServer({ backend });
      admin = await loginFresh(server.app, server.firstAdmin.email, server.firstAdmin.password);
    });
    after(() => server.close());

    test('every change is recorded with who, what, when, where and before/after', async () => {
      const unit = (await admin.get('/api/v1/units')).json().items.find((u: { name: string }) => u.name === 'Kota Bontang');
      const patched = await admin.request('PATCH', `/api/v1/units/${unit.id}`, { contact: { phone: '0548-21000' } }, { 'user-agent': 'uji-audit/1.0' });
      assert.equal(patched.statusCode, 200);
      const entries = (await admin.get(`/api/v1/audit?unitId=${unit.id}&action=unit.update`)).json().items;
      assert.equal(entries.length, 1);
      const [entry] = entries;
      assert.equal(entry.actor.email, server.firstAdmin.email);
      assert.equal(entry.userAgent, 'uji-audit/1.0');
      assert.ok(entry.ip);
      assert.equal(entry.before.contact.phone, null);
      assert.equal(entry.after.contact.phone, '0548-21000');
      assert.match(entry.hash, /^[0-9a-f]{64}$/);
    });

    test('filters and cursor pagination walk the whole log once', async () => {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { seq: number }[]; nextCursor: string | null } = (await admin.get(`/api/v1/audit?limit=7${cursor ? `&cursor=${cursor}` : ''}`)).json();
        seen.push(...page.items.map((e: { seq: number }) => e.seq));
        cursor = page.nextCursor;
      } while (cursor);
      const total = Number((await server.siar.services.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      assert.equal(seen.length, total);
      assert.deepEqual(seen, [...seen].sort((a, b) => b - a));
      const logins = (await admin.get('/api/v1/audit?action=user.login')).json().items;
      assert.ok(logins.length >= 1 && logins.every((e: { action: string }) => e.action === 'user.login'));
      const future = (await admin.get('/api/v1/audit?from=2999-01-01')).json().items;
      assert.deepEqual(future, []);
    });

    test('rows cannot be changed or deleted through SQL', async () => {
      const db = server.siar.services.db;
      await assert.rejects(sql`update audit_log set action = 'x' where seq = 1`.execute(db), /append-only/);
      await assert.rejects(sql`delete from audit_log where seq = 1`.execute(db), /append-only/);
      assert.equal((await verifyAuditChain(db)).ok, true);
    });

    test('entries appended as a batch (one taking of the lock) continue the chain in order, interleaved with single ones', async () => {
      const db = server.siar.services.db;
      const last = async () => (await db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow()).seq;
      const start = await last();
      await Promise.all([
        db.transaction().execute((trx) => recordAuditMany(trx, [1, 2, 3].map((n) => ({ actor: systemActor('uji'), event: { action: 'test.batch', entityType: 'test', after: { n } } })))),
        db.transaction().execute((trx) => recordAudit(trx, systemActor('uji'), { action: 'test.single', entityType: 'test' })),
        db.transaction().execute((trx) => recordAuditMany(trx, [4, 5].map((n) => ({ actor: systemActor('uji'), event: { action: 'test.batch', entityType: 'test', after: { n } } })))),
      ]);
      assert.equal(await last(), start + 6);
      const batch = await db.selectFrom('audit_log').select(['seq', 'after']).where('action', '=', 'test.batch').orderBy('seq').execute();
      const order = batch.map((row) => (typeof row.after === 'string' ? JSON.parse(row.after) : row.after).n as number);
      assert.ok(order.indexOf(1) < order.indexOf(2) && order.indexOf(2) < order.indexOf(3), 'a batch keeps its order');
      assert.equal((await verifyAuditChain(db)).ok, true);
    });

    test('tampering below the application is detected by verify', async () => {
      const db = server.siar.services.db;
      const before = await verifyAuditChain(db);
      assert.equal(before.ok, true);
      assert.ok(before.checked > 5);
      // Someone with database access switches the guard off and rewrites history.
      await db.transaction().execute(async (trx) => {
        await sql`select set_config('siar.restoring', 'on', true)`.execute(trx);
        await sql`update audit_log set after = '{"contact":{"phone":"0000"}}'::jsonb where seq = 3`.execute(trx);
      });
      const after = await verifyAuditChain(db);
      assert.equal(after.ok, false);
      assert.equal(after.firstBrokenSeq, 3);
      const api = (await admin.get('/api/v1/audit/verify')).json();
      assert.equal(api.ok, false);
      assert.equal(api.firstBrokenSeq, 3);
    });
  });
}
