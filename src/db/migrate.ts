/**
 * Applies the committed SQL migrations (src/db/migrations/NNNN_name.sql) in name order, each in its
 * own transaction, recording a checksum so an edited, already-applied file is reported rather than
 * silently skipped. A session-level advisory lock lets several processes start at once safely.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.ts';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK_KEY = 7_310_001;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      return { name: file.replace(/\.sql$/, ''), sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

export class MigrationChecksumError extends Error {}

export async function migrate(database: Database, migrations = listMigrations()): Promise<string[]> {
  return database.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${LOCK_KEY})`.execute(conn);
    try {
      // Inside the lock: two processes racing on `create table if not exists` can both try to
      // create it, and one fails on PostgreSQL's catalogue.
      await sql`create table if not exists siar_migrations (
        name text primary key, checksum text not null, applied_at timestamptz not null default now())`.execute(conn);
      const applied = new Map((await conn.selectFrom('siar_migrations').selectAll().execute()).map((row) => [row.name, row.checksum]));
      const done: string[] = [];
      for (const migration of migrations) {
        const checksum = applied.get(migration.name);
        if (checksum !== undefined) {
          if (checksum !== migration.checksum) {
            throw new MigrationChecksumError(`Migration ${migration.name} was changed after it was applied; add a new migration instead.`);
          }
          continue;
        }
        await conn.transaction().execute(async (trx) => {
          await sql.raw(migration.sql).execute(trx);
          await trx.insertInto('siar_migrations').values({ name: migration.name, checksum: migration.checksum }).execute();
        });
        done.push(migration.name);
      }
      return done;
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_KEY})`.execute(conn);
    }
  });
}
