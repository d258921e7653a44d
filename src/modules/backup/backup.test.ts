import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { createBackend, migratedTemplate, postgresSkipReason } from '../../../test/backends.ts';
import { openDatabase } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { verifyAuditChain } from '../audit/verify.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import { restoreBackup, writeBackup } from './backup.ts';

const pgSkip = await postgresSkipReason();
const dir = mkdtempSync(path.join(tmpdir(), 'siar-backup-'));

async function embedded() {
  const database = await openDatabase({ dataDir: 'memory://', loadDataDir: await migratedTemplate() });
  await migrate(database);
  return database;
}

describe('backup and restore', () => {
  test('a backup of the embedded database restores into the PostgreSQL server and back, audit chain intact', { skip: pgSkip }, async () => {
    const source = await embedded();
    await seedDemo(source.db);
    const file = path.join(dir, 'siar.backup.gz');
    const counts = await writeBackup(source.db, file);
    assert.equal(counts.units, 18);
    assert.ok((counts.audit_log ?? 0) > 18);
    // The portal, performance results and regulations travel too (the demo has each).
    for (const table of ['articles', 'short_links', 'kinerja_indicators', 'kinerja_history', 'kinerja_programme_progress', 'regulations', 'regulation_posts']) {
      assert.ok((counts[table] ?? 0) > 0, table);
    }

    const backend = await createBackend('postgres');
    const server = await openDatabase({ databaseUrl: backend.databaseUrl!, dataDir: 'unused' });
    try {
      await migrate(server);
      const restored = await restoreBackup(server.db, file);
      assert.deepEqual(restored.counts, counts);
      assert.equal(restored.audit.ok, true);
      assert.equal(restored.audit.checked, counts.audit_log);
      // Calendar dates and generated search vectors come back as they were.
      const dates = async (db: typeof source.db) => (await db.selectFrom('regulations').select(['slug', sql<string>`in_force_on::text`.as('in_force')]).orderBy('slug').execute());
      assert.deepEqual(await dates(server.db), await dates(source.db));
      const found = await server.db.selectFrom('articles').select('post_id').where(sql<boolean>`search @@ websearch_to_tsquery('indonesian', 'banjir')`).execute();
      assert.ok(found.length > 0, 'restored articles are searchable');
      const names = (await server.db.selectFrom('units').select('name').orderBy('name').execute()).map((r) => r.name);
      assert.deepEqual(names, (await source.db.selectFrom('units').select('name').orderBy('name').execute()).map((r) => r.name));

      // …and back from the server into a fresh embedded database.
      const again = path.join(dir, 'again.backup.gz');
      await writeBackup(server.db, again);
      const target = await embedded();
      const back = await restoreBackup(target.db, again);
      assert.equal(back.audit.ok, true);
      assert.deepEqual(back.counts, counts);
      await target.close();
    } finally {
      await server.close();
      await backend.drop();
      await source.close();
    }
  });

  test('restore refuses a database that has data, unless forced', async () => {
    const source = await embedded();
    await seedDemo(source.db);
    const file = path.join(dir, 'force.backup.gz');
    await writeBackup(source.db, file);
    await assert.rejects(restoreBackup(source.db, file), (e: Error & { code?: string }) => e.code === 'backup.not_empty');
    const forced = await restoreBackup(source.db, file, { force: true });
    assert.equal(forced.audit.ok, true);
    await source.close();
  });

  test('a damaged file changes nothing', async () => {
    const source = await embedded();
    await seedDemo(source.db);
    const file = path.join(dir, 'damaged.backup.gz');
    await writeBackup(source.db, file);
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    // Drop the last rows: the header's counts no longer match.
    writeFileSync(file, gzipSync(`${lines.slice(0, -3).join('\n')}\n`));
    const target = await embedded();
    await assert.rejects(restoreBackup(target.db, file), (e: Error & { code?: string }) => e.code === 'backup.invalid_file');
    assert.equal((await target.db.selectFrom('units').select('id').execute()).length, 0, 'nothing half-restored');
    writeFileSync(file, 'not gzip at all');
    await assert.rejects(restoreBackup(target.db, file));
    assert.equal((await target.db.selectFrom('users').select('id').execute()).length, 0);
    assert.equal((await verifyAuditChain(target.db)).checked, 0);
    await target.close();
    await source.close();
  });
});
