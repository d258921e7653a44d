/**
 * Live notifications over server-sent events, on both databases: a notification made by another
 * request (and, on PostgreSQL, by another Siar process) reaches the open stream; Last-Event-ID
 * replays what was missed; reading updates the count; logout ends the stream; and a server with an
 * open stream still stops promptly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { makePasswordUser, makePerson, makeUnit, topUnitId, type Person } from '../../../test/people.ts';
import { Client, startTestServer, STRONG_PASSWORDS, type TestServer } from '../../../test/server.ts';
import { startSiar } from '../../app.ts';
import { loadConfig } from '../../config/config.ts';
import { NotificationHub } from './live.ts';
import { SseReader } from './test-sse.ts';

interface Item { id: string; kind: string; postId: string | null; postTitle: string | null; actor: { id: string; name: string } | null; excerpt: string | null; read: boolean; createdAt: string }

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]);
}

for (const backend of backendNames) {
  describe(`live notifications (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let agency: string;
    let editor: Person;
    let approver: { id: string; email: string; name: string };
    let approverClient: Client;
    let postId: string;
    const readers: SseReader[] = [];

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      agency = await makeUnit(server, await topUnitId(server), 'agency', 'Dinas Kominfo Uji');
      editor = await makePerson(server, agency, 'editor', 'Rina Penulis');
      approver = await makePasswordUser(server, { unitId: agency, role: 'approver', name: 'Sari Penyetuju', password: STRONG_PASSWORDS[1]! });
      approverClient = new Client(server.app);
      assert.equal((await approverClient.login(approver.email, STRONG_PASSWORDS[1]!)).statusCode, 200);
      const post = await editor.client.post('/api/v1/posts', { unitId: agency, title: 'Jembatan Mahakam IV dibuka', bodyHtml: '<p>Jembatan Mahakam IV resmi dibuka hari ini.</p>' });
      assert.equal(post.statusCode, 201, post.body);
      postId = post.json().id;
    });
    after(async () => {
      for (const reader of readers) reader.close();
      await server.close();
    });

    const open = async (headers: Record<string, string> = {}, client = approverClient) => {
      const reader = await SseReader.open(`${server.url}/api/v1/notifications/stream`, { cookie: client.session!.cookie, ...headers });
      readers.push(reader);
      return reader;
    };
    const mention = async (body: string) => {
      const response = await editor.client.post(`/api/v1/posts/${postId}/comments`, { body, mentions: [approver.id] });
      assert.equal(response.statusCode, 201, response.body);
    };

    test('the stream opens with the unread count, then receives a notification made by another request', async () => {
      const reader = await open();
      assert.equal(reader.status, 200);
      assert.match(reader.contentType ?? '', /^text\/event-stream/);
      assert.deepEqual(await reader.nth('unread', 0), { unread: 0 });

      await mention('Mohon dicek angka anggarannya sebelum tayang.');
      const item = await reader.nth<Item>('notification', 0);
      assert.equal(item.kind, 'mentioned');
      assert.equal(item.postId, postId);
      assert.equal(item.postTitle, 'Jembatan Mahakam IV dibuka');
      assert.deepEqual(item.actor, { id: editor.id, name: 'Rina Penulis' });
      assert.equal(item.excerpt, 'Mohon dicek angka anggarannya sebelum tayang.');
      assert.equal(item.read, false);
      assert.deepEqual(await reader.nth('unread', 1), { unread: 1 });

      // The same shape and id as the list the bell fetches, and the event id is the notification id.
      const list = (await approverClient.get('/api/v1/notifications')).json();
      assert.deepEqual(list.items[0], item);
      assert.equal(reader.events.find((e) => e.event === 'notification')?.id, item.id);

      // Reading it (in another tab) brings the count down on this stream too.
      assert.equal((await approverClient.post('/api/v1/notifications/read', { ids: [item.id] })).statusCode, 200);
      assert.deepEqual(await reader.nth('unread', 2), { unread: 0 });
      reader.close();
    });

    test('no stream without signing in, nor for a client that did not ask for one', async () => {
      const response = await fetch(`${server.url}/api/v1/notifications/stream`, { headers: { accept: 'text/event-stream' } });
      assert.equal(response.status, 401);
      assert.equal((await response.json()).error.code, 'auth.required');
      // A page load or a JSON client would otherwise wait forever.
      const plain = await approverClient.get('/api/v1/notifications/stream');
      assert.equal(plain.statusCode, 400);
      assert.equal(plain.json().error.code, 'request.bad');
    });

    test('Last-Event-ID replays what came after that notification, oldest first, and nothing before it', async () => {
      const first = await open();
      await first.nth('unread', 0);
      await mention('Catatan pertama.');
      const seen = await first.nth<Item>('notification', 0);
      first.close();
      await first.done;

      // While the browser was away.
      await mention('Catatan kedua.');
      await mention('Catatan ketiga.');

      const again = await open({ 'last-event-id': seen.id });
      const replayed = await again.until(() => {
        const items = again.of('notification') as Item[];
        return items.length >= 2 ? items : undefined;
      });
      assert.deepEqual(replayed.map((n) => n.excerpt), ['Catatan kedua.', 'Catatan ketiga.']);
      const count = await again.nth<{ unread: number }>('unread', 0);
      const expected = (await approverClient.get('/api/v1/notifications?unread=true')).json().unread;
      assert.equal(count.unread, expected);
      // Still live after the replay.
      await mention('Catatan keempat.');
      assert.equal((await again.nth<Item>('notification', 2)).excerpt, 'Catatan keempat.');
      assert.equal(again.of('notification').length, 3, 'nothing sent twice');
      again.close();
    });

    test('logging out ends the stream, and it cannot be opened again with that session', async () => {
      const person = await makePasswordUser(server, { unitId: agency, role: 'editor', name: 'Budi Keluar', password: STRONG_PASSWORDS[2]! });
      const client = new Client(server.app);
      assert.equal((await client.login(person.email, STRONG_PASSWORDS[2]!)).statusCode, 200);
      const cookie = client.session!.cookie;
      const reader = await open({}, client);
      await reader.nth('unread', 0);
      assert.equal((await client.post('/api/v1/auth/logout')).statusCode, 204);
      await within(reader.done, 5_000, 'the stream ending after logout');
      assert.equal(reader.ended, true);
      const retry = await fetch(`${server.url}/api/v1/notifications/stream`, { headers: { cookie, accept: 'text/event-stream' } });
      assert.equal(retry.status, 401);
    });

    test('a comment line keeps the connection alive, and a session that simply expired is closed', async () => {
      // A hub of its own with short intervals, in place of the process's for this test.
      const services = server.siar.services;
      const usual = services.notifications;
      const quick = new NotificationHub({ database: services.database, heartbeatMs: 50, recheckMs: 200 });
      await quick.start();
      services.notifications = quick;
      try {
        const person = await makePasswordUser(server, { unitId: agency, role: 'viewer', name: 'Wati Lama', password: STRONG_PASSWORDS[3]! });
        const client = new Client(server.app);
        assert.equal((await client.login(person.email, STRONG_PASSWORDS[3]!)).statusCode, 200);
        const reader = await open({}, client);
        await reader.nth('unread', 0);
        await reader.until(() => reader.comments >= 3 || undefined, 5_000, 'heartbeats');
        assert.equal(reader.ended, false);
        // Sliding expiry ends a session without any announcement.
        await services.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', person.id).execute();
        await within(reader.done, 5_000, 'the stream of an expired session ending');
      } finally {
        services.notifications = usual;
        await quick.stop();
      }
    });

    if (backend === 'postgres') {
      test('a notification made in another Siar process on the same database reaches this stream', async () => {
        const config = loadConfig({ env: {}, overrides: { dataDir: 'memory://', databaseUrl: server.backend.databaseUrl, port: 0, demo: false, sandbox: false, logLevel: 'silent', logRequests: 'none' } });
        const other = await startSiar(config, { jobs: false, listen: false });
        try {
          const otherEditor = new Client(other.app!);
          otherEditor.token = editor.client.token;
          const reader = await open();
          await reader.nth('unread', 0);
          const response = await otherEditor.post(`/api/v1/posts/${postId}/comments`, { body: 'Dari proses lain.', mentions: [approver.id] });
          assert.equal(response.statusCode, 201, response.body);
          assert.equal((await reader.nth<Item>('notification', 0)).excerpt, 'Dari proses lain.');
          reader.close();
        } finally {
          await other.stop();
        }
      });

      test('after the listener loses its connection it reconnects and sends what was missed', async () => {
        const reader = await open();
        await reader.nth('unread', 0);
        const admin = await import('pg');
        const client = new admin.default.Client({ connectionString: server.backend.databaseUrl });
        await client.connect();
        try {
          const killed = await client.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'siar-notifications' and datname = current_database()`);
          assert.equal(killed.rowCount, 1, 'one listener connection in this process');
        } finally {
          await client.end();
        }
        await mention('Selagi pendengar terputus.');
        assert.equal((await reader.nth<Item>('notification', 0, 15_000)).excerpt, 'Selagi pendengar terputus.');
        reader.close();
      });
    }

    test('a server with an open stream stops promptly, ending the stream', async () => {
      const own = await startTestServer({ backend, demo: false });
      const person = await makePasswordUser(own, { unitId: await topUnitId(own), role: 'viewer', name: 'Dewi Menunggu', password: STRONG_PASSWORDS[3]! });
      const client = new Client(own.app);
      assert.equal((await client.login(person.email, STRONG_PASSWORDS[3]!)).statusCode, 200);
      const reader = await SseReader.open(`${own.url}/api/v1/notifications/stream`, { cookie: client.session!.cookie });
      readers.push(reader);
      await reader.nth('unread', 0);
      assert.equal(own.siar.services.notifications?.size, 1);
      await within(own.close(), 5_000, 'stopping Siar with an open stream');
      await within(reader.done, 2_000, 'the stream ending');
    });
  });
}
