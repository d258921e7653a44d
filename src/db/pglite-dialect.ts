/**
 * A Kysely dialect for PGlite, the embedded PostgreSQL.
 *
 * PGlite has one connection that Kysely, pg-boss and our migrations all share. Its own
 * `transaction()` takes an exclusive lock that plain `query()` calls wait for, so a Kysely
 * transaction here is a PGlite transaction: pg-boss's polling can never slip a statement into the
 * middle of ours (which a plain `BEGIN` sent through `query()` would allow).
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

interface OpenTransaction {
  tx: Transaction;
  finish: (outcome: 'commit' | 'rollback') => void;
  done: Promise<void>;
}

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;
  transaction: OpenTransaction | undefined;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const runner = this.transaction?.tx ?? this.#pglite;
    if (compiled.parameters.length === 0) {
      // Without parameters the text may hold several statements (migrations, restores); like
      // node-postgres's simple protocol, answer with the last statement's result.
      const results = await runner.exec(compiled.sql);
      const last = results.at(-1);
      return {
        rows: (last?.rows ?? []) as R[],
        ...(last?.affectedRows !== undefined ? { numAffectedRows: BigInt(last.affectedRows) } : {}),
      };
    }
    const result = await runner.query<R>(compiled.sql, compiled.parameters as unknown[]);
    const affected = result.affectedRows;
    return {
      rows: result.rows,
      ...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on the embedded database');
  }
}

class PGliteDriver implements Driver {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PGliteConnection(this.#pglite);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const conn = connection as PGliteConnection;
    await new Promise<void>((started, failedToStart) => {
      let finish!: (outcome: 'commit' | 'rollback') => void;
      const decided = new Promise<'commit' | 'rollback'>((resolve) => {
        finish = resolve;
      });
      const done = this.#pglite
        .transaction(async (tx) => {
          conn.transaction = { tx, finish, done };
          started();
          if ((await decided) === 'rollback') await tx.rollback();
        })
        .then(() => undefined);
      done.catch(failedToStart);
    });
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#finish(connection as PGliteConnection, 'commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#finish(connection as PGliteConnection, 'rollback');
  }

  async #finish(conn: PGliteConnection, outcome: 'commit' | 'rollback'): Promise<void> {
    const open = conn.transaction;
    if (!open) return;
    conn.transaction = undefined;
    open.finish(outcome);
    await open.done;
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {}
}

export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  createDriver(): Driver {
    return new PGliteDriver(this.#pglite);
  }

  createQueryCompiler(): PostgresQueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): PostgresAdapter {
    return new PostgresAdapter();
  }

  createIntrospector(db: Kysely<unknown>): PostgresIntrospector {
    return new PostgresIntrospector(db);
  }
}
