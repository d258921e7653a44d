import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBackend, postgresSkipReason, type BackendName, type TestBackend } from '../../../test/backends.ts';
import { openDatabase, type Database } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { blockBucket, takeTokens, takeTokensMany, type BucketSpec } from './rate-limit.ts';

const pgSkip = await postgresSkipReason();
const bucket = (key: string, capacity: number, refillPerSecond = 0.001): BucketSpec => ({ key, capacity, refillPerSecond });

for (const name of ['pglite', 'postgres'] as BackendName[]) {
  describe(`rate limits for a batch of targets (${name})`, { skip: name === 'postgres' ? pgSkip : false }, () => {
    let backend: TestBackend;
    let database: Database;
    before(async () => {
      backend = await createBackend(name);
      database = await openDatabase({ databaseUrl: backend.databaseUrl, dataDir: 'memory://', loadDataDir: backend.template });
      // The embedded template is migrated already; a fresh PostgreSQL database is not.
      if (name === 'postgres') await migrate(database);
    });
    after(async () => {
      await database.close();
      await backend.drop();
    });

    test('a bucket gives what it holds, in order; the ones further back in its line wait longer', async () => {
      const account = bucket('account:batch-a', 2, 1);
      const waits = await takeTokensMany(database.db, [[account], [account], [account], [account]]);
      assert.deepEqual(waits.slice(0, 2), [0, 0]);
      assert.ok(waits[2]! > 0 && waits[3]! > waits[2]!, `later refusals wait longer: ${waits.join(', ')}`);
      assert.ok(waits[3]! <= 2100, 'about two tokens at one a second');
    });

    test('each request gets a token from every bucket or none: a token another bucket refused goes back', async () => {
      const app = bucket('app:batch-b', 1);
      const first = bucket('account:batch-b1', 5);
      const second = bucket('account:batch-b2', 5);
      assert.deepEqual((await takeTokensMany(database.db, [[first, app], [second, app]])).map((w) => w === 0), [true, false]);
      // The second account's token was given back: it still holds 5 (the app bucket is empty).
      const waits = await takeTokensMany(database.db, [[second], [second], [second], [second], [second], [second]]);
      assert.deepEqual(waits.map((w) => w === 0), [true, true, true, true, true, false]);
    });

    test('a blocked bucket answers with the block, and so does the one-request form', async () => {
      const account = bucket('account:batch-c', 10);
      assert.equal(await takeTokens(database.db, [account]), 0);
      await blockBucket(database.db, account.key, 30_000);
      const [wait] = await takeTokensMany(database.db, [[account]]);
      assert.ok(wait! > 25_000 && wait! <= 30_000, `waits for the block: ${wait}`);
      assert.ok((await takeTokens(database.db, [account])) > 25_000);
    });
  });
}
