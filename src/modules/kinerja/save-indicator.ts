/**
 * Editing one indicator in the admin app. An edit names the version it was made on; a newer one
 * answers 409 with the current version, so two people never overwrite each other silently. The
 * change, its history row and its audit entry are written in one transaction; an edit that
 * changes nothing writes nothing.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { announcePortalChange } from '../portal/articles.ts';
import { normaliseDecimal, sameDecimal } from './decimal.ts';
import { changedFields, diffOf, type IndicatorSnapshot } from './history.ts';
import { nameKey } from './read-rows.ts';

export type IndicatorChanges = Partial<IndicatorSnapshot>;

export function versionConflict(current: number): AppError {
  return new AppError('kinerja.version_conflict', { params: { current }, details: { currentVersion: current } });
}

async function lockIndicator(trx: Kysely<DB>, id: string, version: number) {
  const row = await trx.selectFrom('kinerja_indicators').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw new AppError('not_found');
  if (row.version !== version) throw versionConflict(row.version);
  return row;
}

export async function updateIndicator(db: Kysely<DB>, input: { id: string; version: number; changes: IndicatorChanges; actor: AuditActor }): Promise<{ changed: string[] }> {
  return db.transaction().execute(async (trx) => {
    const row = await lockIndicator(trx, input.id, input.version);
    const before: IndicatorSnapshot = {
      name: row.name, satuan: row.satuan, target: row.target === null ? null : normaliseDecimal(row.target), realisasi: row.realisasi === null ? null : normaliseDecimal(row.realisasi),
      polarity: row.polarity, responsibleUnit: row.responsible_unit, dataSource: row.data_source, notes: row.notes,
    };
    const after: IndicatorSnapshot = { ...before, ...input.changes };
    if (after.target !== null) after.target = normaliseDecimal(after.target);
    if (after.realisasi !== null) after.realisasi = normaliseDecimal(after.realisasi);
    const fields = changedFields(before, after, sameDecimal);
    if (fields.length === 0) return { changed: [] };
    const key = nameKey(after.name);
    if (key !== row.name_key) {
      const clash = await trx.selectFrom('kinerja_indicators').select('id').where('goal_id', '=', row.goal_id).where('name_key', '=', key).where('id', '!=', row.id).executeTakeFirst();
      if (clash) throw new AppError('conflict', { details: { field: 'name', reason: 'Indikator dengan nama ini sudah ada pada sasaran yang sama (an indicator with this name already exists under the same goal)' } });
    }
    await trx
      .updateTable('kinerja_indicators')
      .set({
        name: after.name, name_key: key, satuan: after.satuan, target: after.target, realisasi: after.realisasi, polarity: after.polarity,
        responsible_unit: after.responsibleUnit, data_source: after.dataSource, notes: after.notes,
        version: row.version + 1, updated_at: new Date(), updated_by: input.actor.userId,
      })
      .where('id', '=', row.id)
      .execute();
    const diff = diffOf(before, after, fields);
    await trx.insertInto('kinerja_history').values({
      unit_id: row.unit_id, entity_type: 'indicator', entity_id: row.id, action: 'update', source: 'edit', import_id: null, changed_by: input.actor.userId,
      before: JSON.stringify(diff.before), after: JSON.stringify(diff.after),
    }).execute();
    await recordAudit(trx, input.actor, { action: 'kinerja.indicator.update', entityType: 'kinerja_indicator', entityId: row.id, unitId: row.unit_id, before: diff.before, after: diff.after });
    await announcePortalChange(trx, `kinerja:${row.unit_id}`);
    return { changed: fields };
  });
}

/** Removes an indicator (history and audit keep what it was). */
export async function deleteIndicator(db: Kysely<DB>, input: { id: string; version: number; actor: AuditActor }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await lockIndicator(trx, input.id, input.version);
    await trx.deleteFrom('kinerja_indicators').where('id', '=', row.id).execute();
    const before = { name: row.name, year: row.year, goalId: row.goal_id, satuan: row.satuan, target: row.target, realisasi: row.realisasi, polarity: row.polarity };
    await trx.insertInto('kinerja_history').values({
      unit_id: row.unit_id, entity_type: 'indicator', entity_id: row.id, action: 'delete', source: 'edit', import_id: null, changed_by: input.actor.userId,
      before: JSON.stringify(before), after: null,
    }).execute();
    await recordAudit(trx, input.actor, { action: 'kinerja.indicator.delete', entityType: 'kinerja_indicator', entityId: row.id, unitId: row.unit_id, before });
    await announcePortalChange(trx, `kinerja:${row.unit_id}`);
  });
}
