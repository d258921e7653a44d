/**
 * Importing kinerja from an agency's CSV or XLSX file, in three steps:
 *
 * 1. upload (`createImport`): the file is read, its table found and stored with the import; the
 *    answer has the columns (merged header lines joined), a suggested mapping, and a preview of
 *    the first rows under it with their errors;
 * 2. preview (`previewImport`): the same for a mapping the person changed;
 * 3. confirm (`confirmImport`): every row is validated first. Any error: nothing is written and
 *    the errors are returned (row as numbered in the file, field). No error: one transaction
 *    upserts goals and indicators by their natural key (unit, year, goal, indicator name
 *    normalised), writes a history row for each one created or changed (with the import's id),
 *    and one audit entry for the import. Re-importing the same file changes nothing.
 *
 * An import never deletes: indicators missing from the file stay as they are (counted as
 * `notInFile`).
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { announcePortalChange } from '../portal/articles.ts';
import { computeCapaian, type Capaian, type CapaianSettings } from './capaian.ts';
import { normaliseDecimal, sameDecimal } from './decimal.ts';
import { changedFields, diffOf, type IndicatorSnapshot } from './history.ts';
import { findLayout, NoHeaderError, suggestMapping, type Column, type TableLayout } from './layout.ts';
import { detectNumberFormat } from './numbers.ts';
import { readRows, type ImportMapping, type IndicatorRecord, type RowError } from './read-rows.ts';
import { cellText, detectFileKind, readTable, UnreadableFileError, type FileKind } from './read-table.ts';

/** Errors listed in an answer; the total is always given. */
export const MAX_LISTED_ERRORS = 100;
export const PREVIEW_ROWS = 20;

export interface AnalysedFile {
  kind: FileKind;
  layout: TableLayout;
  numberFormat: ReturnType<typeof detectNumberFormat>;
}

const unreadableReasons: Record<UnreadableFileError['reason'], { id: string; en: string }> = {
  old_excel: { id: 'berkas Excel lama (.xls)', en: 'an old Excel file (.xls)' },
  not_a_table: { id: 'isinya bukan teks atau spreadsheet', en: 'it is neither text nor a spreadsheet' },
  too_many_rows: { id: 'lebih dari 100.000 baris', en: 'more than 100,000 rows' },
  corrupt: { id: 'berkas rusak atau formatnya salah', en: 'the file is damaged or malformed' },
};

export async function analyseFile(content: Uint8Array): Promise<AnalysedFile> {
  // PGlite hands bytea back as a plain Uint8Array, node-postgres as a Buffer.
  const data = Buffer.isBuffer(content) ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  try {
    const kind = detectFileKind(data);
    const rows = await readTable(data, kind, (sheet) => {
      try {
        findLayout(sheet);
        return true;
      } catch {
        return false;
      }
    });
    const layout = findLayout(rows);
    const numberTexts = (function* () {
      for (const row of layout.dataRows) for (const cell of row.cells) if (typeof cell === 'string' && /^[\s\d.,%+−-]+$/.test(cell) && /\d/.test(cell)) yield cell;
    })();
    return { kind, layout, numberFormat: detectNumberFormat(numberTexts) };
  } catch (error) {
    if (error instanceof NoHeaderError) throw new AppError('kinerja.no_header');
    if (error instanceof UnreadableFileError) {
      if (error.reason === 'old_excel' || error.reason === 'not_a_table') throw new AppError('kinerja.unsupported_file', { details: { reason: error.reason } });
      const reason = unreadableReasons[error.reason];
      throw new AppError('kinerja.unreadable_file', { params: { reason: reason.id, reasonEn: reason.en }, details: { reason: error.reason }, cause: error });
    }
    throw error;
  }
}

export function defaultMapping(file: AnalysedFile, year: number | null): ImportMapping {
  return { columns: suggestMapping(file.layout.columns, year), year, numberFormat: file.numberFormat.format, defaultPolarity: 'higher' };
}

/** Required fields the mapping leaves out, by name (Indonesian, English). */
export function mappingProblems(mapping: ImportMapping, columns: readonly Column[]): { id: string[]; en: string[]; fields: string[] } {
  const problems = { id: [] as string[], en: [] as string[], fields: [] as string[] };
  const need = (field: keyof ImportMapping['columns'], id: string, en: string) => {
    const index = mapping.columns[field];
    if (index === undefined || index >= columns.length) {
      problems.id.push(id);
      problems.en.push(en);
      problems.fields.push(`columns.${field}`);
    }
  };
  need('indicator', 'kolom Indikator', 'the Indicator column');
  need('goal', 'kolom Sasaran', 'the Goal column');
  need('target', 'kolom Target', 'the Target column');
  if (mapping.columns.year === undefined && mapping.year === null) {
    problems.id.push('kolom Tahun atau tahun untuk semua baris');
    problems.en.push('a Year column or one year for all rows');
    problems.fields.push('year');
  }
  for (const [field, index] of Object.entries(mapping.columns)) {
    if (index !== undefined && index >= columns.length && !problems.fields.includes(`columns.${field}`)) {
      problems.id.push(`kolom untuk ${field} tidak ada`);
      problems.en.push(`no such column for ${field}`);
      problems.fields.push(`columns.${field}`);
    }
  }
  const used = Object.values(mapping.columns).filter((i) => i !== undefined);
  if (new Set(used).size !== used.length) {
    problems.id.push('satu kolom dipetakan ke dua isian');
    problems.en.push('one column is mapped to two fields');
    problems.fields.push('columns');
  }
  return problems;
}

function assertMapping(mapping: ImportMapping, columns: readonly Column[]): void {
  const problems = mappingProblems(mapping, columns);
  if (problems.fields.length > 0) {
    throw new AppError('kinerja.mapping_incomplete', { params: { fields: problems.id.join(', '), fieldsEn: problems.en.join(', ') }, details: { fields: problems.fields } });
  }
}

export interface PreviewRow {
  row: number;
  cells: string[];
  record: (Omit<IndicatorRecord, 'goalKey' | 'nameKey' | 'row'> & { capaian: Capaian }) | null;
  errors: RowError[];
}

export interface ImportPreview {
  id: string;
  unitId: string;
  fileName: string | null;
  fileKind: FileKind;
  status: 'pending' | 'applied';
  headerRows: number[];
  columns: (Column & { samples: string[] })[];
  dataRows: number;
  numberFormatEvidence: { id: number; en: number };
  mapping: ImportMapping;
  mappingProblems: string[];
  rows: PreviewRow[];
  indicators: number;
  errorCount: number;
  errors: RowError[];
}

function buildPreview(base: { id: string; unitId: string; fileName: string | null; status: 'pending' | 'applied' }, file: AnalysedFile, mapping: ImportMapping, settings: CapaianSettings): ImportPreview {
  const { layout } = file;
  const problems = mappingProblems(mapping, layout.columns);
  const result = problems.fields.length === 0 ? readRows(layout.dataRows, layout.columns, mapping) : { records: [], errors: [], goalRows: 0 };
  const recordsByRow = new Map(result.records.map((r) => [r.row, r]));
  const rows = layout.dataRows.slice(0, PREVIEW_ROWS).map((row): PreviewRow => {
    const record = recordsByRow.get(row.number);
    const { goalKey: _g, nameKey: _n, row: _r, ...shown } = record ?? ({} as IndicatorRecord);
    return {
      row: row.number,
      cells: layout.columns.map((c) => cellText(row.cells[c.index])),
      record: record ? { ...shown, capaian: computeCapaian(record, settings) } : null,
      errors: result.errors.filter((e) => e.row === row.number),
    };
  });
  return {
    ...base,
    fileKind: file.kind,
    headerRows: layout.headerRows,
    columns: layout.columns.map((c) => ({ ...c, samples: layout.dataRows.slice(0, 3).map((r) => cellText(r.cells[c.index])) })),
    dataRows: layout.dataRows.length,
    numberFormatEvidence: { id: file.numberFormat.id, en: file.numberFormat.en },
    mapping,
    mappingProblems: problems.fields,
    rows,
    indicators: result.records.length,
    errorCount: result.errors.length,
    errors: result.errors.slice(0, MAX_LISTED_ERRORS),
  };
}

export interface CreateImportInput {
  unitId: string;
  year: number | null;
  fileName: string | null;
  data: Buffer;
  actor: AuditActor;
  settings: CapaianSettings;
}

export async function createImport(db: Kysely<DB>, input: CreateImportInput): Promise<ImportPreview> {
  const file = await analyseFile(input.data);
  const mapping = defaultMapping(file, input.year);
  const row = await db
    .insertInto('kinerja_imports')
    .values({
      unit_id: input.unitId,
      uploaded_by: input.actor.userId,
      file_name: input.fileName,
      file_kind: file.kind,
      bytes: input.data.length,
      sha256: createHash('sha256').update(input.data).digest('hex'),
      content: input.data,
      year: input.year,
      mapping: JSON.stringify(mapping),
      summary: null,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  return buildPreview({ id: row.id, unitId: input.unitId, fileName: input.fileName, status: 'pending' }, file, mapping, input.settings);
}

async function loadImport(db: Kysely<DB>, id: string) {
  return db.selectFrom('kinerja_imports').select(['id', 'unit_id', 'file_name', 'status', 'content', 'mapping', 'year', 'summary', 'applied_at', 'created_at']).where('id', '=', id).executeTakeFirst();
}

export async function importUnit(db: Kysely<DB>, id: string): Promise<string | undefined> {
  return (await db.selectFrom('kinerja_imports').select('unit_id').where('id', '=', id).executeTakeFirst())?.unit_id;
}

export async function previewImport(db: Kysely<DB>, input: { importId: string; mapping: ImportMapping | null; settings: CapaianSettings }): Promise<ImportPreview> {
  const row = await loadImport(db, input.importId);
  if (!row) throw new AppError('not_found');
  if (row.status === 'applied' || !row.content) throw new AppError('kinerja.import_applied');
  const file = await analyseFile(row.content);
  const mapping = input.mapping ?? (row.mapping as ImportMapping | null) ?? defaultMapping(file, row.year);
  return buildPreview({ id: row.id, unitId: row.unit_id, fileName: row.file_name, status: row.status }, file, mapping, input.settings);
}

export interface ImportSummary {
  indicators: number;
  goalsCreated: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Indicators of the same unit and years that the file does not list (left as they were). */
  notInFile: number;
  years: number[];
}

const snapshotOf = (r: IndicatorRecord): IndicatorSnapshot => ({
  name: r.name, satuan: r.satuan, target: r.target, realisasi: r.realisasi, polarity: r.polarity, responsibleUnit: r.responsibleUnit, dataSource: r.dataSource, notes: r.notes,
});

interface ExistingIndicator extends IndicatorSnapshot {
  id: string;
  goalId: string;
}

const CHUNK = 1000;
function* chunks<T>(items: readonly T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

export async function confirmImport(db: Kysely<DB>, input: { importId: string; mapping: ImportMapping; actor: AuditActor }): Promise<ImportSummary> {
  const stored = await loadImport(db, input.importId);
  if (!stored) throw new AppError('not_found');
  if (stored.status === 'applied' || !stored.content) throw new AppError('kinerja.import_applied');
  const file = await analyseFile(stored.content);
  assertMapping(input.mapping, file.layout.columns);
  const { records, errors } = readRows(file.layout.dataRows, file.layout.columns, input.mapping);
  if (errors.length > 0) {
    throw new AppError('kinerja.import_invalid', { params: { count: errors.length }, details: { errorCount: errors.length, errors: errors.slice(0, MAX_LISTED_ERRORS) } });
  }
  const unitId = stored.unit_id;
  const years = [...new Set(records.map((r) => r.year))].sort();

  return db.transaction().execute(async (trx) => {
    // The row lock makes a double-click (or two people confirming) apply the import once.
    const locked = await trx.selectFrom('kinerja_imports').select('status').where('id', '=', input.importId).forUpdate().executeTakeFirstOrThrow();
    if (locked.status === 'applied') throw new AppError('kinerja.import_applied');
    // Imports of one unit run one at a time: two files creating the same new goal would otherwise collide.
    await sql`select pg_advisory_xact_lock(7310701, hashtext(${unitId}))`.execute(trx);

    const history: { entity_type: 'goal' | 'indicator'; entity_id: string; action: 'create' | 'update'; before: string | null; after: string }[] = [];

    // Goals: find or create by (unit, year, name key), in file order.
    const goalIds = new Map<string, string>();
    const existingGoals = years.length === 0 ? [] : await trx.selectFrom('kinerja_goals').select(['id', 'year', 'name_key', 'position']).where('unit_id', '=', unitId).where('year', 'in', years).execute();
    for (const g of existingGoals) goalIds.set(`${g.year}\u0000${g.name_key}`, g.id);
    const nextGoalPosition = new Map<number, number>();
    for (const g of existingGoals) nextGoalPosition.set(g.year, Math.max(nextGoalPosition.get(g.year) ?? 0, g.position + 1));
    const newGoals: { key: string; year: number; name: string; nameKey: string; position: number }[] = [];
    const newGoalKeys = new Set<string>();
    for (const r of records) {
      const key = `${r.year}\u0000${r.goalKey}`;
      if (goalIds.has(key) || newGoalKeys.has(key)) continue;
      newGoalKeys.add(key);
      const position = nextGoalPosition.get(r.year) ?? 0;
      nextGoalPosition.set(r.year, position + 1);
      newGoals.push({ key, year: r.year, name: r.goal, nameKey: r.goalKey, position });
    }
    for (const batch of chunks(newGoals)) {
      const inserted = await trx
        .insertInto('kinerja_goals')
        .values(batch.map((g) => ({ unit_id: unitId, year: g.year, name: g.name, name_key: g.nameKey, position: g.position })))
        .returning(['id', 'year', 'name_key', 'name'])
        .execute();
      for (const g of inserted) {
        goalIds.set(`${g.year}\u0000${g.name_key}`, g.id);
        history.push({ entity_type: 'goal', entity_id: g.id, action: 'create', before: null, after: JSON.stringify({ name: g.name, year: g.year }) });
      }
    }

    // Indicators of the unit in these years as they are now (kinerja_indicators_unit_year_idx).
    const existing = new Map<string, ExistingIndicator>();
    let notInFile = 0;
    const seen = new Set<string>();
    const current = years.length === 0 ? [] : await trx.selectFrom('kinerja_indicators').selectAll().where('unit_id', '=', unitId).where('year', 'in', years).execute();
    for (const row of current) {
      existing.set(`${row.goal_id}\u0000${row.name_key}`, {
        id: row.id, goalId: row.goal_id, name: row.name, satuan: row.satuan,
        target: row.target === null ? null : normaliseDecimal(row.target), realisasi: row.realisasi === null ? null : normaliseDecimal(row.realisasi),
        polarity: row.polarity, responsibleUnit: row.responsible_unit, dataSource: row.data_source, notes: row.notes,
      });
    }
    const nextPosition = new Map<string, number>();
    for (const row of current) nextPosition.set(row.goal_id, Math.max(nextPosition.get(row.goal_id) ?? 0, row.position + 1));

    const inserts: { record: IndicatorRecord; goalId: string; position: number }[] = [];
    const updates: { id: string; record: IndicatorRecord; before: IndicatorSnapshot; fields: (keyof IndicatorSnapshot)[] }[] = [];
    let unchanged = 0;
    for (const record of records) {
      const goalId = goalIds.get(`${record.year}\u0000${record.goalKey}`)!;
      const key = `${goalId}\u0000${record.nameKey}`;
      seen.add(key);
      const before = existing.get(key);
      if (!before) {
        const position = nextPosition.get(goalId) ?? 0;
        nextPosition.set(goalId, position + 1);
        inserts.push({ record, goalId, position });
        continue;
      }
      const fields = changedFields(before, snapshotOf(record), sameDecimal);
      if (fields.length === 0) unchanged += 1;
      else updates.push({ id: before.id, record, before, fields });
    }
    for (const key of existing.keys()) if (!seen.has(key)) notInFile += 1;

    // New indicators in batches: one INSERT … SELECT FROM unnest(arrays) per chunk keeps the
    // statement to a dozen parameters (thousands of bound values are slow on the embedded database).
    for (const batch of chunks(inserts, 5000)) {
      const column = <T>(pick: (r: IndicatorRecord) => T) => batch.map((i) => pick(i.record));
      const inserted = await sql<{ id: string; goal_id: string; name_key: string }>`
        insert into kinerja_indicators (goal_id, unit_id, year, name, name_key, satuan, target, realisasi, polarity, responsible_unit, data_source, notes, position, updated_by)
        select v.goal_id, ${unitId}, v.year, v.name, v.name_key, v.satuan, v.target, v.realisasi, v.polarity, v.responsible_unit, v.data_source, v.notes, v.position, ${input.actor.userId}
        from unnest(
          ${batch.map((i) => i.goalId)}::uuid[], ${column((r) => r.year)}::int[], ${column((r) => r.name)}::text[], ${column((r) => r.nameKey)}::text[],
          ${column((r) => r.satuan)}::text[], ${column((r) => r.target)}::numeric[], ${column((r) => r.realisasi)}::numeric[], ${column((r) => r.polarity)}::text[],
          ${column((r) => r.responsibleUnit)}::text[], ${column((r) => r.dataSource)}::text[], ${column((r) => r.notes)}::text[], ${batch.map((i) => i.position)}::int[]
        ) as v(goal_id, year, name, name_key, satuan, target, realisasi, polarity, responsible_unit, data_source, notes, position)
        returning id, goal_id, name_key`.execute(trx);
      const byKey = new Map(batch.map((i) => [`${i.goalId}\u0000${i.record.nameKey}`, i.record]));
      for (const row of inserted.rows) {
        history.push({ entity_type: 'indicator', entity_id: row.id, action: 'create', before: null, after: JSON.stringify(snapshotOf(byKey.get(`${row.goal_id}\u0000${row.name_key}`)!)) });
      }
    }

    // Changed indicators in batches, the same way: one UPDATE … FROM unnest(arrays) per chunk.
    for (const batch of chunks(updates, 5000)) {
      const column = <T>(pick: (r: IndicatorRecord) => T) => batch.map((u) => pick(u.record));
      await sql`
        update kinerja_indicators k set
          name = v.name, satuan = v.satuan, target = v.target, realisasi = v.realisasi, polarity = v.polarity,
          responsible_unit = v.responsible_unit, data_source = v.data_source, notes = v.notes,
          version = k.version + 1, updated_at = now(), updated_by = ${input.actor.userId}
        from unnest(
          ${batch.map((u) => u.id)}::uuid[], ${column((r) => r.name)}::text[], ${column((r) => r.satuan)}::text[],
          ${column((r) => r.target)}::numeric[], ${column((r) => r.realisasi)}::numeric[], ${column((r) => r.polarity)}::text[],
          ${column((r) => r.responsibleUnit)}::text[], ${column((r) => r.dataSource)}::text[], ${column((r) => r.notes)}::text[]
        ) as v(id, name, satuan, target, realisasi, polarity, responsible_unit, data_source, notes)
        where k.id = v.id`.execute(trx);
      for (const u of batch) {
        const diff = diffOf(u.before, snapshotOf(u.record), u.fields);
        history.push({ entity_type: 'indicator', entity_id: u.id, action: 'update', before: JSON.stringify(diff.before), after: JSON.stringify(diff.after) });
      }
    }

    for (const batch of chunks(history, 5000)) {
      await sql`
        insert into kinerja_history (unit_id, entity_type, entity_id, action, source, import_id, changed_by, before, after)
        select ${unitId}, v.entity_type, v.entity_id, v.action, 'import', ${input.importId}, ${input.actor.userId}, v.before::jsonb, v.after::jsonb
        from unnest(${batch.map((h) => h.entity_type)}::text[], ${batch.map((h) => h.entity_id)}::uuid[], ${batch.map((h) => h.action)}::text[],
          ${batch.map((h) => h.before)}::text[], ${batch.map((h) => h.after)}::text[]) as v(entity_type, entity_id, action, before, after)`.execute(trx);
    }

    const summary: ImportSummary = { indicators: records.length, goalsCreated: newGoals.length, created: inserts.length, updated: updates.length, unchanged, notInFile, years };
    await trx
      .updateTable('kinerja_imports')
      .set({ status: 'applied', content: null, mapping: JSON.stringify(input.mapping), summary: JSON.stringify(summary), applied_at: new Date(), applied_by: input.actor.userId })
      .where('id', '=', input.importId)
      .execute();
    await recordAudit(trx, input.actor, {
      action: 'kinerja.import',
      entityType: 'kinerja_import',
      entityId: input.importId,
      unitId,
      after: { fileName: stored.file_name, ...summary },
    });
    await announcePortalChange(trx, `kinerja:${unitId}`);
    return summary;
  });
}
