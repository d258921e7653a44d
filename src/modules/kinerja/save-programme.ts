/**
 * Programmes with a quantitative target ("367 nutrition service units") and their progress over
 * the year ("120 operating on 30 June"): create, edit (with the version it was made on), and
 * record progress at a date (one value per date; recording the same date again replaces it).
 * Every change writes a history row and an audit entry in its transaction.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { announcePortalChange } from '../portal/articles.ts';
import { normaliseDecimal, sameDecimal } from './decimal.ts';
import { nameKey } from './read-rows.ts';
import { versionConflict } from './save-indicator.ts';

export interface ProgrammeFields {
  name: string;
  satuan: string;
  target: string | null;
  responsibleUnit: string | null;
  notes: string | null;
}

const nameTaken = () => new AppError('conflict', { details: { field: 'name', reason: 'Program dengan nama ini sudah ada untuk unit dan tahun ini (a programme with this name already exists for this unit and year)' } });

export async function createProgramme(db: Kysely<DB>, input: { unitId: string; year: number; fields: ProgrammeFields; actor: AuditActor }): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const key = nameKey(input.fields.name);
    const clash = await trx.selectFrom('kinerja_programmes').select('id').where('unit_id', '=', input.unitId).where('year', '=', input.year).where('name_key', '=', key).executeTakeFirst();
    if (clash) throw nameTaken();
    const f = input.fields;
    const row = await trx
      .insertInto('kinerja_programmes')
      .values({ unit_id: input.unitId, year: input.year, name: f.name, name_key: key, satuan: f.satuan, target: f.target, responsible_unit: f.responsibleUnit, notes: f.notes, updated_by: input.actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const after = { ...f, year: input.year };
    await trx.insertInto('kinerja_history').values({ unit_id: input.unitId, entity_type: 'programme', entity_id: row.id, action: 'create', source: 'edit', import_id: null, changed_by: input.actor.userId, before: null, after: JSON.stringify(after) }).execute();
    await recordAudit(trx, input.actor, { action: 'kinerja.programme.create', entityType: 'kinerja_programme', entityId: row.id, unitId: input.unitId, after });
    await announcePortalChange(trx, `kinerja:${input.unitId}`);
    return row.id;
  });
}

export async function updateProgramme(db: Kysely<DB>, input: { id: string; version: number; changes: Partial<ProgrammeFields>; actor: AuditActor }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('kinerja_programmes').selectAll().where('id', '=', input.id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('not_found');
    if (row.version !== input.version) throw versionConflict(row.version);
    const before: ProgrammeFields = { name: row.name, satuan: row.satuan, target: row.target === null ? null : normaliseDecimal(row.target), responsibleUnit: row.responsible_unit, notes: row.notes };
    const after: ProgrammeFields = { ...before, ...input.changes };
    const fields = (Object.keys(before) as (keyof ProgrammeFields)[]).filter((k) => (k === 'target' ? !sameDecimal(before.target, after.target) : before[k] !== after[k]));
    if (fields.length === 0) return;
    const key = nameKey(after.name);
    if (key !== row.name_key) {
      const clash = await trx.selectFrom('kinerja_programmes').select('id').where('unit_id', '=', row.unit_id).where('year', '=', row.year).where('name_key', '=', key).executeTakeFirst();
      if (clash) throw nameTaken();
    }
    await trx
      .updateTable('kinerja_programmes')
      .set({ name: after.name, name_key: key, satuan: after.satuan, target: after.target, responsible_unit: after.responsibleUnit, notes: after.notes, version: row.version + 1, updated_at: new Date(), updated_by: input.actor.userId })
      .where('id', '=', row.id)
      .execute();
    const b = Object.fromEntries(fields.map((f) => [f, before[f]]));
    const a = Object.fromEntries(fields.map((f) => [f, after[f]]));
    await trx.insertInto('kinerja_history').values({ unit_id: row.unit_id, entity_type: 'programme', entity_id: row.id, action: 'update', source: 'edit', import_id: null, changed_by: input.actor.userId, before: JSON.stringify(b), after: JSON.stringify(a) }).execute();
    await recordAudit(trx, input.actor, { action: 'kinerja.programme.update', entityType: 'kinerja_programme', entityId: row.id, unitId: row.unit_id, before: b, after: a });
    await announcePortalChange(trx, `kinerja:${row.unit_id}`);
  });
}

export async function recordProgress(db: Kysely<DB>, input: { programmeId: string; asOf: string; value: string; note: string | null; actor: AuditActor }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const programme = await trx.selectFrom('kinerja_programmes').select(['id', 'unit_id']).where('id', '=', input.programmeId).forUpdate().executeTakeFirst();
    if (!programme) throw new AppError('not_found');
    const previous = await trx
      .selectFrom('kinerja_programme_progress')
      .select(['value', 'note'])
      .where('programme_id', '=', programme.id)
      .where(sql<boolean>`as_of = ${input.asOf}::date`)
      .executeTakeFirst();
    const value = normaliseDecimal(input.value);
    if (previous && sameDecimal(previous.value, value) && previous.note === input.note) return;
    await trx
      .insertInto('kinerja_programme_progress')
      .values({ programme_id: programme.id, as_of: input.asOf, value, note: input.note, recorded_by: input.actor.userId })
      .onConflict((oc) => oc.columns(['programme_id', 'as_of']).doUpdateSet({ value, note: input.note, recorded_by: input.actor.userId, recorded_at: new Date() }))
      .execute();
    const before = previous ? { asOf: input.asOf, value: normaliseDecimal(previous.value), note: previous.note } : null;
    const after = { asOf: input.asOf, value, note: input.note };
    await trx.insertInto('kinerja_history').values({ unit_id: programme.unit_id, entity_type: 'programme', entity_id: programme.id, action: 'progress', source: 'edit', import_id: null, changed_by: input.actor.userId, before: before && JSON.stringify(before), after: JSON.stringify(after) }).execute();
    await recordAudit(trx, input.actor, { action: 'kinerja.programme.progress', entityType: 'kinerja_programme', entityId: programme.id, unitId: programme.unit_id, before, after });
    await announcePortalChange(trx, `kinerja:${programme.unit_id}`);
  });
}
