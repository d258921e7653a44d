import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { backendNames, createBackend, postgresSkipReason } from '../../test/backends.ts';
import { openDatabase } from './database.ts';
import { listMigrations, migrate, MigrationChecksumError } from './migrate.ts';

const pgSkip = await postgresSkipReason();

for (const name of backendNames) {
  describe(`migrations (${name})`, { skip: name === 'postgres' ? pgSkip : false }, () => {
    test('apply in order once, refuse an edited file, and roll back a failing one whole', async () => {
      const backend = await createBackend(name);
      // Start from scratch even on the embedded backend: no template here.
      const database = await openDatabase({ databaseUrl: backend.databaseUrl, dataDir: 'memory://' });
      try {
        const dir = mkdtempSync(path.join(tmpdir(), 'siar-migrations-'));
        writeFileSync(path.join(dir, '0001_a.sql'), 'create table a (id int primary key);');
        writeFileSync(path.join(dir, '0002_b.sql'), 'create table b (id int references a (id));\ninsert into a values (1);');
        assert.deepEqual(await migrate(database, listMigrations(dir)), ['0001_a', '0002_b']);
        assert.deepEqual(await migrate(database, listMigrations(dir)), []);

        writeFileSync(path.join(dir, '0002_b.sql'), 'create table b (id int);');
        await assert.rejects(migrate(database, listMigrations(dir)), MigrationChecksumError);
        writeFileSync(path.join(dir, '0002_b.sql'), 'create table b (id int references a (id));\ninsert into a values (1);');

        writeFileSync(path.join(dir, '0003_bad.sql'), 'create table c (id int);\ninsert into nowhere values (1);');
        await assert.rejects(migrate(database, listMigrations(dir)));
        const c = await sql<{ t: string | null }>`select to_regclass('c')::text as t`.execute(database.db);
        assert.equal(c.rows[0]?.t ?? null, null, 'the failing migration left nothing behind');
        const applied = await database.db.selectFrom('siar_migrations').select('name').orderBy('name').execute();
        assert.deepEqual(applied.map((r) => r.name), ['0001_a', '0002_b']);
      } finally {
        await database.close();
        await backend.drop();
      }
    });
  });
}

test('processes starting together on an empty PostgreSQL database migrate it once', { skip: pgSkip }, async () => {
  const backend = await createBackend('postgres');
  const databases = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: backend.databaseUrl, dataDir: 'unused' })));
  try {
    const applied = await Promise.all(databases.map((d) => migrate(d)));
    assert.deepEqual(applied.flat(), listMigrations().map((m) => m.name), 'each migration applied by exactly one process');
  } finally {
    for (const d of databases) await d.close();
    await backend.drop();
  }
});

test('the committed migrations are numbered without gaps', () => {
  const names = listMigrations().map((m) => m.name);
  names.forEach((n, i) => assert.equal(Number(n.slice(0, 4)), i + 1, n));
});
