/**
 * After publishing, on the sandbox with the real connectors: an approver corrects a post's text on
 * Mastodon (which allows edits) and takes a post down from Bluesky; editors may not; networks
 * without edits say so; each step is in the audit log with what was said before and after.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';
import { mediaStorageFor } from '../media/storage.ts';
import { startSandbox, type Sandbox, type SandboxAccount, type SandboxNetwork } from '../sandbox/index.ts';
import { connectorFor } from './connectors/index.ts';
import { publishTarget, type EngineDeps } from './publish-target.ts';

describe('after publishing: correcting and taking down on the network', () => {
  let server: TestServer;
  let sandbox: Sandbox;
  let unit: string;
  let editor: Person;
  let approver: Person;
  let admin: Person;
  let deps: EngineDeps;
  let counter = 0;

  before(async () => {
    server = await startTestServer({ demo: false });
    sandbox = await startSandbox();
    unit = await makeUnit(server, await topUnitId(server), 'agency', 'Dinas Koreksi');
    editor = await makePerson(server, unit, 'editor');
    approver = await makePerson(server, unit, 'approver');
    admin = await makePerson(server, unit, 'admin');
    await admin.client.put(`/api/v1/units/${unit}/approval-policy`, { tierUnitIds: [] });
    const services = server.siar.services;
    deps = { db: services.db, keyring: services.keyring, storage: mediaStorageFor(services.config), filesBase: '/media/files/', connectorFor, requeue: async () => {}, callTimeoutMs: 5_000 };
  });
  after(async () => {
    await sandbox.close();
    await server.close();
  });

  async function published(network: SandboxNetwork, text: string): Promise<{ postId: string; targetId: string; account: SandboxAccount }> {
    counter += 1;
    const account = sandbox.createAccount(network, { handle: `koreksi${counter}${network}`, displayName: `Akun ${counter}` });
    const channel = await admin.client.post('/api/v1/channels', { unitId: unit, network, name: account.displayName, handle: account.handle });
    assert.equal(channel.statusCode, 201, channel.body);
    const connect = await admin.client.post(`/api/v1/channels/${channel.json().id}/connect`, { baseUrl: account.baseUrl, credentials: account.credentials });
    assert.equal(connect.statusCode, 200, connect.body);
    const post = await editor.client.post('/api/v1/posts', { unitId: unit, title: `Pengumuman ${counter}`, bodyHtml: `<p>${text}</p>`, targets: [channel.json().id] });
    assert.equal(post.statusCode, 201, post.body);
    const db = server.siar.services.db;
    await db.updateTable('posts').set({ status: 'scheduled', scheduled_at: new Date(Date.now() - 1000) }).where('id', '=', post.json().id).execute();
    const target = await db.selectFrom('post_targets').select('id').where('post_id', '=', post.json().id).executeTakeFirstOrThrow();
    assert.deepEqual(await publishTarget(deps, target.id), { outcome: 'published' });
    return { postId: post.json().id, targetId: target.id, account };
  }

  const targetOf = async (who: Person, postId: string, targetId: string) => ((await who.client.get(`/api/v1/posts/${postId}`)).json().targets as { id: string; actions: string[]; removedAt: string | null; editedAt: string | null }[]).find((t) => t.id === targetId)!;

  test('an approver corrects the text on Mastodon: the network shows the new text, the audit log both', async () => {
    const { postId, targetId, account } = await published('mastodon', 'Pasar murah digelar Sabtu di Lapangan Kinibalu.');
    assert.deepEqual((await targetOf(editor, postId, targetId)).actions, [], 'an editor may not change a published post');
    assert.deepEqual((await targetOf(approver, postId, targetId)).actions, ['remove', 'edit']);
    assert.equal((await editor.client.post(`/api/v1/posts/${postId}/targets/${targetId}/edit`, { texts: ['Koreksi'] })).statusCode, 403);

    const tooLong = await approver.client.post(`/api/v1/posts/${postId}/targets/${targetId}/edit`, { texts: ['x'.repeat(600)] });
    assert.equal(tooLong.statusCode, 400);
    assert.equal(tooLong.json().error.details.issues[0].path, 'texts.0');

    const fixed = 'Koreksi: pasar murah digelar Minggu di Lapangan Kinibalu.';
    const edited = await approver.client.post(`/api/v1/posts/${postId}/targets/${targetId}/edit`, { texts: [fixed] });
    assert.equal(edited.statusCode, 204, edited.body);
    const [onNetwork] = sandbox.posts(account.id);
    assert.equal(onNetwork!.text, fixed);
    assert.ok((await targetOf(approver, postId, targetId)).editedAt);
    const audit = await server.siar.services.db.selectFrom('audit_log').select(['before', 'after']).where('entity_id', '=', postId).where('action', '=', 'post.target_edited').executeTakeFirstOrThrow();
    assert.match(JSON.stringify(audit.before), /digelar Sabtu/);
    assert.match(JSON.stringify(audit.after), /digelar Minggu/);
  });

  test('an approver takes a post down from Bluesky (which has no edits); done once, recorded', async () => {
    const { postId, targetId, account } = await published('bluesky', 'Jadwal vaksinasi anak di Puskesmas Temindung.');
    assert.deepEqual((await targetOf(approver, postId, targetId)).actions, ['remove'], 'Bluesky posts cannot be edited');
    const edit = await approver.client.post(`/api/v1/posts/${postId}/targets/${targetId}/edit`, { texts: ['Koreksi'] });
    assert.equal(edit.statusCode, 400);

    const removed = await approver.client.post(`/api/v1/posts/${postId}/targets/${targetId}/remove`, {});
    assert.equal(removed.statusCode, 204, removed.body);
    assert.ok(sandbox.posts(account.id).every((p) => p.deleted));
    const target = await targetOf(approver, postId, targetId);
    assert.ok(target.removedAt);
    assert.deepEqual(target.actions, []);
    assert.equal((await approver.client.post(`/api/v1/posts/${postId}/targets/${targetId}/remove`, {})).statusCode, 409, 'already taken down');
    const audit = await server.siar.services.db.selectFrom('audit_log').select('action').where('entity_id', '=', postId).where('action', '=', 'post.target_removed').execute();
    assert.equal(audit.length, 1);
  });

  test('the network refuses: a 502 with its reason, and nothing recorded as removed', async () => {
    const { postId, targetId, account } = await published('mastodon', 'Penutupan jalan sementara di Jalan Juanda.');
    sandbox.injectFault(account.id, { kind: 'server_error', times: 5 }, 'any');
    const removed = await approver.client.post(`/api/v1/posts/${postId}/targets/${targetId}/remove`, {});
    assert.equal(removed.statusCode, 502, removed.body);
    assert.match(removed.json().error.message, /Jaringan tidak menjalankan permintaan ini/);
    sandbox.clearFaults(account.id);
    assert.equal((await targetOf(approver, postId, targetId)).removedAt, null);
    assert.ok(sandbox.posts(account.id).some((p) => !p.deleted));
  });
});
