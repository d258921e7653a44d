/**
 * Opens Siar's database: the embedded PostgreSQL (PGlite, data in a folder) by default, or a
 * PostgreSQL server when a `postgres://` URL is configured. Both give the same typed Kysely handle,
 * a way to run multi-statement SQL (migrations, restores), and what pg-boss needs to share it.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';
import { PGliteDialect } from './pglite-dialect.ts';

export type Backend = 'pglite' | 'postgres';

export interface Database {
  readonly backend: Backend;
  readonly db: Kysely<DB>;
  /** Runs SQL that may hold several statements and no parameters. */
  exec(text: string): Promise<void>;
  /** The embedded instance, when that is the backend (pg-boss attaches to it). */
  readonly pglite: PGlite | undefined;
  readonly connectionString: string | undefined;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** PGlite data folder; `memory://` keeps everything in memory (tests). */
  dataDir: string;
  poolSize?: number;
  /** Start the embedded database from a saved data folder (a PGlite dump), e.g. a migrated template. */
  loadDataDir?: Blob | undefined;
  /** shared_buffers of the embedded database (default 32MB). */
  sharedBuffers?: string | undefined;
}

// int8 (bigint) and numeric come back as strings from node-postgres; the ids and counters Siar keeps
// in them fit in a JS number, so read them as numbers on both backends.
pg.types.setTypeParser(20, (value) => Number(value));

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openServer(options.databaseUrl, options.poolSize ?? 10);
  return openEmbedded(options.dataDir, options.loadDataDir, options.sharedBuffers ?? '32MB');
}

async function openEmbedded(dataDir: string, loadDataDir: Blob | undefined, sharedBuffers: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const inMemory = dataDir.startsWith('memory://');
  const pglite = new PGlite({
    // A snapshot can only be loaded into a fresh in-memory instance (no dataDir given).
    ...(inMemory && loadDataDir ? { loadDataDir } : { dataDir }),
    parsers: { 20: (value: string) => Number(value) },
    postgresqlconf: [`shared_buffers=${sharedBuffers}`],
  });
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    backend: 'pglite',
    db,
    pglite,
    connectionString: undefined,
    async exec(text) {
      await pglite.exec(text);
    },
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

async function openServer(connectionString: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle connection closed by the server (a restart, an administrator) is dropped from the pool
  // and replaced on next use; without a listener node-postgres would crash the process.
  pool.on('error', () => undefined);
  // Fail at start-up, with the server's own words, rather than on the first request.
  const client = await pool.connect();
  client.release();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    backend: 'postgres',
    db,
    pglite: undefined,
    connectionString,
    async exec(text) {
      await pool.query(text);
    },
    async close() {
      await db.destroy();
    },
  };
}

/** A snapshot of the embedded database's data folder, loadable with `loadDataDir`. */
export async function dumpEmbedded(database: Database): Promise<Blob> {
  if (!database.pglite) throw new Error('only the embedded database can be dumped this way');
  return database.pglite.dumpDataDir('none');
}

export async function ping(database: Database): Promise<void> {
  await sql`select 1`.execute(database.db);
}
