/**
 * notify() announces new notifications on 'siar_notifications' only when the transaction commits,
 * and splits a large fan-out into payloads PostgreSQL accepts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { migratedTemplate } from '../../../test/backends.ts';
import { openDatabase, type Database } from '../../db/database.ts';
import { NOTIFICATIONS_CHANNEL, notify, type ChannelMessage } from './notify.ts';

let database: Database;
let people: string[];
const heard: string[] = [];

before(async () => {
  database = await openDatabase({ dataDir: 'memory://', loadDataDir: await migratedTemplate() });
  const rows = await database.db.insertInto('users')
    .values(Array.from({ length: 200 }, (_, i) => ({ email: `orang${i}@uji.go.id`, name: `Orang ${i}`, password_hash: 'x' })))
    .returning('id').execute();
  people = rows.map((r) => r.id);
  await database.pglite!.listen(NOTIFICATIONS_CHANNEL, (payload) => heard.push(payload));
});
after(() => database.close());

const settle = () => new Promise((r) => setTimeout(r, 50));

test('nothing is announced for a rolled-back transaction, and a commit announces every recipient once', async () => {
  heard.length = 0;
  await assert.rejects(database.db.transaction().execute(async (trx) => {
    await notify(trx, people.slice(0, 3), { kind: 'approved', postId: null, actorId: null });
    throw new Error('the approval failed after all');
  }));
  await settle();
  assert.deepEqual(heard, []);
  assert.equal((await database.db.selectFrom('notifications').select('id').execute()).length, 0);

  await database.db.transaction().execute(async (trx) => {
    await notify(trx, [...people, people[0]!], { kind: 'review_requested', postId: null, actorId: people[1]! });
  });
  await settle();
  const messages = heard.map((p) => JSON.parse(p) as ChannelMessage);
  assert.ok(messages.length > 1, 'a 199-person fan-out is split');
  assert.ok(heard.every((p) => Buffer.byteLength(p) < 8000), 'each payload fits PostgreSQL’s limit');
  const pairs = messages.flatMap((m) => ('n' in m ? m.n : []));
  const stored = await database.db.selectFrom('notifications').select(['id', 'user_id']).execute();
  assert.equal(pairs.length, 199, 'everyone but the actor, once');
  assert.deepEqual(new Set(pairs.map(([userId, id]) => `${userId}/${id}`)), new Set(stored.map((r) => `${r.user_id}/${r.id}`)));
});
