/**
 * `siar backup` and `siar restore`: one gzip'd JSON-lines file holding every table Siar owns, that
 * restores into the embedded database or a PostgreSQL server alike. Sessions and login throttling
 * are left out (people sign in again after a restore); the job queue is transient. Uploaded media
 * files live in the media folder and are backed up with the file system, beside this file.
 *
 * A restore is one transaction into an empty (or, with force, emptied) database: it either lands
 * whole or changes nothing. The audit chain is copied as it was, and verified after loading.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import { AppError } from '../../errors/errors.ts';
import type { DB } from '../../db/schema.ts';
import { listMigrations } from '../../db/migrate.ts';
import { verifyAuditChain, type VerifyResult } from '../audit/verify.ts';

const FORMAT = 'siar-backup';
const VERSION = 1;

/** Tables in the order a restore must insert them (parents first). */
const TABLES = [
  'units', 'users', 'memberships', 'api_tokens', 'rubrics', 'sensitive_terms', 'channels', 'media', 'approval_policies',
  'posts', 'post_media', 'post_variants', 'post_targets', 'publish_attempts', 'post_versions', 'post_approvals', 'post_comments', 'notifications',
  'articles', 'short_links', 'link_clicks', 'portal_feedback',
  'kinerja_imports', 'kinerja_goals', 'kinerja_indicators', 'kinerja_programmes', 'kinerja_programme_progress', 'kinerja_history', 'kinerja_settings',
  'regulations', 'regulation_posts',
  'audit_log',
] as const;
type Table = (typeof TABLES)[number];
const JSON_COLUMNS: Partial<Record<Table, string[]>> = {
  audit_log: ['before', 'after'], channels: ['limit_overrides'], media: ['renditions'], posts: ['serta_merta'], post_versions: ['snapshot'], post_targets: ['error_reason', 'parts', 'notice'],
  articles: ['serta_merta'], kinerja_imports: ['mapping', 'summary'], kinerja_history: ['before', 'after'], kinerja_settings: ['bands'], regulations: ['faq'],
};
/** Calendar dates, written as their text (YYYY-MM-DD) so no time zone can move them a day. */
const DATE_COLUMNS: Partial<Record<Table, string[]>> = {
  link_clicks: ['day'], kinerja_programme_progress: ['as_of'], regulations: ['enacted_on', 'in_force_on'],
};
/** Binary columns, written as base64. */
const BYTEA_COLUMNS: Partial<Record<Table, string[]>> = { kinerja_imports: ['content'] };
/** Columns the database computes (generated), left out of a restore. */
const GENERATED_COLUMNS: Partial<Record<Table, string[]>> = { articles: ['search', 'search_head'] };
const ORDER: Record<Table, string> = {
  units: 'created_at', users: 'created_at', memberships: 'created_at', api_tokens: 'created_at', rubrics: 'position', sensitive_terms: 'created_at',
  channels: 'created_at', media: 'created_at', approval_policies: 'unit_id', posts: 'created_at', post_media: 'post_id', post_variants: 'post_id',
  post_targets: 'post_id', publish_attempts: 'started_at', post_versions: 'created_at', post_approvals: 'created_at', post_comments: 'created_at', notifications: 'created_at',
  articles: 'created_at', short_links: 'created_at', link_clicks: 'day', portal_feedback: 'created_at',
  kinerja_imports: 'created_at', kinerja_goals: 'created_at', kinerja_indicators: 'created_at', kinerja_programmes: 'created_at', kinerja_programme_progress: 'as_of',
  kinerja_history: 'changed_at', kinerja_settings: 'unit_id', regulations: 'created_at', regulation_posts: 'created_at',
  audit_log: 'seq',
};

interface Header {
  format: typeof FORMAT;
  version: number;
  createdAt: string;
  migrations: string[];
  counts: Record<string, number>;
}

export async function writeBackup(db: Kysely<DB>, file: string): Promise<Record<string, number>> {
  const migrations = (await db.selectFrom('siar_migrations').select('name').orderBy('name').execute()).map((r) => r.name);
  const partial = `${file}.partial`;
  // One repeatable-read snapshot, so counts and rows agree; rows are streamed into the file as
  // they are read (the audit log page by page), never all held in memory.
  const counts = await db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
    const counted: Record<string, number> = {};
    for (const table of TABLES) {
      const row = await trx.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      counted[table] = Number(row.n);
    }
    const header: Header = { format: FORMAT, version: VERSION, createdAt: new Date().toISOString(), migrations, counts: counted };
    async function* lines(): AsyncGenerator<string> {
      yield `${JSON.stringify(header)}\n`;
      for (const table of TABLES) {
        if (table === 'audit_log') {
          for (let after = 0; ; ) {
            const page = await trx.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(1000).execute();
            for (const row of page) yield `${JSON.stringify({ t: table, r: row })}\n`;
            if (page.length < 1000) break;
            after = page.at(-1)!.seq;
          }
          continue;
        }
        const dates = DATE_COLUMNS[table] ?? [];
        const rows = (await trx.selectFrom(table).selectAll()
          .select(dates.map((column) => sql<string>`${sql.ref(column)}::text`.as(column)) as never)
          .orderBy(`${table}.${ORDER[table]}` as never).execute()) as Record<string, unknown>[];
        for (const row of table === 'units' ? parentsFirst(rows) : rows) {
          for (const column of BYTEA_COLUMNS[table] ?? []) if (row[column] instanceof Uint8Array) row[column] = Buffer.from(row[column] as Uint8Array).toString('base64');
          yield `${JSON.stringify({ t: table, r: row })}\n`;
        }
      }
    }
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(partial));
    return counted;
  }).catch(async (error: unknown) => {
    await rm(partial, { force: true });
    throw error;
  });
  // Renamed only when complete: a failed backup never leaves a truncated file under the real name.
  await rename(partial, file);
  return counts;
}

function parentsFirst(units: Record<string, unknown>[]): Record<string, unknown>[] {
  const done = new Set<unknown>([null]);
  const out: Record<string, unknown>[] = [];
  let rest = units;
  while (rest.length > 0) {
    const ready = rest.filter((u) => done.has(u.parent_id));
    if (ready.length === 0) throw new Error('unit hierarchy has a cycle');
    for (const u of ready) {
      out.push(u);
      done.add(u.id);
    }
    rest = rest.filter((u) => !done.has(u.id));
  }
  return out;
}

async function* readLines(file: string): AsyncGenerator<string> {
  const input = createReadStream(file).pipe(createGunzip());
  for await (const line of createInterface({ input, crlfDelay: Infinity })) if (line.trim()) yield line;
}

export interface RestoreResult {
  counts: Record<string, number>;
  audit: VerifyResult;
}

export async function restoreBackup(db: Kysely<DB>, file: string, options: { force?: boolean } = {}): Promise<RestoreResult> {
  const lines = readLines(file);
  let header: Header;
  try {
    const first = await lines.next();
    header = JSON.parse(first.done ? 'null' : first.value) as Header;
  } catch (error) {
    throw new AppError('backup.invalid_file', { details: { reason: (error as Error).message }, cause: error });
  }
  if (header?.format !== FORMAT || header.version !== VERSION) throw new AppError('backup.invalid_file', { details: { reason: 'not a Siar backup (version 1)' } });
  const known = new Set(listMigrations().map((m) => m.name));
  const unknown = header.migrations.filter((m) => !known.has(m));
  if (unknown.length > 0) throw new AppError('backup.invalid_file', { details: { reason: `made by a newer Siar (migrations ${unknown.join(', ')}); upgrade first` } });

  const counts: Record<string, number> = Object.fromEntries(TABLES.map((t) => [t, 0]));
  await db.transaction().execute(async (trx) => {
    await sql`select set_config('siar.restoring', 'on', true)`.execute(trx);
    const existing = await trx.selectFrom('units').select('id').limit(1).executeTakeFirst();
    const existingUser = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if ((existing || existingUser) && !options.force) throw new AppError('backup.not_empty');
    // Also clears what migrations put in an empty database (default rubrics, sensitive terms):
    // the backup carries its own.
    await trx.deleteFrom('sessions').execute();
    await trx.deleteFrom('login_throttle').execute();
    for (const table of [...TABLES].reverse()) await trx.deleteFrom(table).execute();
    let batchTable: Table | null = null;
    let batchRows: Record<string, unknown>[] = [];
    const flush = async () => {
      if (batchTable && batchRows.length > 0) await trx.insertInto(batchTable).values(batchRows as never).execute();
      batchRows = [];
    };
    for await (const line of lines) {
      let entry: { t: Table; r: Record<string, unknown> };
      try {
        entry = JSON.parse(line) as { t: Table; r: Record<string, unknown> };
      } catch (error) {
        throw new AppError('backup.invalid_file', { details: { reason: `corrupt line: ${(error as Error).message}` } });
      }
      if (!TABLES.includes(entry.t)) throw new AppError('backup.invalid_file', { details: { reason: `unknown table ${String(entry.t)}` } });
      if (batchTable !== entry.t || batchRows.length >= 200) {
        await flush();
        batchTable = entry.t;
      }
      const row = { ...entry.r };
      for (const column of JSON_COLUMNS[entry.t] ?? []) row[column] = row[column] === null || row[column] === undefined ? null : JSON.stringify(row[column]);
      for (const column of BYTEA_COLUMNS[entry.t] ?? []) if (typeof row[column] === 'string') row[column] = Buffer.from(row[column] as string, 'base64');
      for (const column of GENERATED_COLUMNS[entry.t] ?? []) delete row[column];
      batchRows.push(row);
      counts[entry.t] = (counts[entry.t] ?? 0) + 1;
    }
    await flush();
    for (const [table, expected] of Object.entries(header.counts)) {
      if ((counts[table] ?? 0) !== expected) throw new AppError('backup.invalid_file', { details: { reason: `${table}: ${counts[table] ?? 0} rows, header says ${expected}` } });
    }
  });
  return { counts, audit: await verifyAuditChain(db) };
}
