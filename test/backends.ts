/**
 * Runs the same integration tests on both backends: the embedded PGlite and a PostgreSQL server.
 * Each use of the server gets a database of its own, created for it and dropped afterwards.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { dumpEmbedded, openDatabase } from '../src/db/database.ts';
import { listMigrations, migrate } from '../src/db/migrate.ts';
import { requirePostgres, testPostgresUrl } from './settings.ts';

export type BackendName = 'pglite' | 'postgres';

export interface TestBackend {
  name: BackendName;
  /** undefined means the embedded database in memory. */
  databaseUrl: string | undefined;
  /** For the embedded database: a migrated template to start from (initdb takes seconds). */
  template: Blob | undefined;
  drop(): Promise<void>;
}

let template: Promise<Blob> | undefined;

/**
 * An embedded database with every migration applied, saved once per set of migrations in the
 * temp folder and shared by all test files.
 */
export function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const key = createHash('sha256').update(listMigrations().map((m) => m.checksum).join()).digest('hex').slice(0, 16);
    const file = path.join(tmpdir(), `siar-test-template-${key}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrate(database);
    const blob = await dumpEmbedded(database);
    await database.close();
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
    renameSync(partial, file);
    return blob;
  })();
  return template;
}

let serverAvailable: Promise<boolean> | undefined;

export function postgresAvailable(): Promise<boolean> {
  serverAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: testPostgresUrl, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (error) {
      if (requirePostgres) throw new Error(`PostgreSQL server required for tests but not reachable at ${testPostgresUrl}: ${(error as Error).message}`);
      return false;
    }
  })();
  return serverAvailable;
}

/** Why the PostgreSQL variant of a test is skipped, or false when it runs. */
export async function postgresSkipReason(): Promise<string | false> {
  return (await postgresAvailable()) ? false : `PostgreSQL server not reachable at ${testPostgresUrl} (set SIAR_TEST_PG_URL); CI runs this`;
}

export async function createBackend(name: BackendName): Promise<TestBackend> {
  if (name === 'pglite') return { name, databaseUrl: undefined, template: await migratedTemplate(), drop: async () => undefined };
  const dbName = `siar_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(testPostgresUrl);
  url.pathname = `/${dbName}`;
  return {
    name,
    databaseUrl: url.toString(),
    template: undefined,
    async drop() {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      await client.query(`drop database if exists ${dbName} with (force)`);
      await client.end();
    },
  };
}

export const backendNames: BackendName[] = ['pglite', 'postgres'];
