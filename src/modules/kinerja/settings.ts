/**
 * Category bands and the capaian maximum. A unit's settings apply to it and every unit below it; the
 * nearest unit up the tree with settings wins (so settings on the top unit are the deployment's),
 * and Siar's defaults apply where no unit has any.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { announcePortalChange } from '../portal/articles.ts';
import { defaultCapaianSettings, type Band, type CapaianSettings } from './capaian.ts';
import { normaliseDecimal } from './decimal.ts';

export const bandSchema = z.strictObject({
  key: z.string().trim().regex(/^[a-z0-9_]{1,40}$/, 'huruf kecil, angka, _ (lowercase letters, digits, _)'),
  label: z.string().trim().min(1).max(60),
  labelEn: z.string().trim().min(1).max(60),
  min: z.number().min(0).max(1000),
});

export const bandsSchema = z
  .array(bandSchema)
  .min(2)
  .max(10)
  .refine((bands) => new Set(bands.map((b) => b.key)).size === bands.length, 'kunci kategori harus unik (band keys must be unique)')
  .refine((bands) => new Set(bands.map((b) => b.min)).size === bands.length, 'batas bawah kategori harus berbeda (band minimums must differ)')
  .refine((bands) => bands.some((b) => b.min === 0), 'satu kategori harus mulai dari 0 (one band must start at 0)');

export interface ResolvedSettings extends CapaianSettings {
  /** The unit whose settings apply; null for Siar's defaults. */
  fromUnitId: string | null;
}

/** Settings for the unit whose path (unit id, then ancestors) is given. */
export async function settingsFor(db: Kysely<DB>, unitPath: readonly string[]): Promise<ResolvedSettings> {
  if (unitPath.length === 0) return { ...defaultCapaianSettings, fromUnitId: null };
  const rows = await db.selectFrom('kinerja_settings').select(['unit_id', 'bands', 'max_capaian']).where('unit_id', 'in', [...unitPath]).execute();
  for (const unitId of unitPath) {
    const row = rows.find((r) => r.unit_id === unitId);
    if (row) {
      const bands = [...(row.bands as Band[])].sort((a, b) => b.min - a.min);
      return { bands, maxCapaian: row.max_capaian === null ? null : normaliseDecimal(row.max_capaian), fromUnitId: unitId };
    }
  }
  return { ...defaultCapaianSettings, fromUnitId: null };
}

export interface SaveSettingsInput {
  unitId: string;
  /** null: remove the unit's own settings (the ones above it, or the defaults, apply again). */
  settings: { bands: Band[]; maxCapaian: string | null } | null;
  actor: AuditActor;
}

export async function saveSettings(db: Kysely<DB>, input: SaveSettingsInput): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('kinerja_settings').select(['bands', 'max_capaian']).where('unit_id', '=', input.unitId).forUpdate().executeTakeFirst();
    if (input.settings === null) {
      await trx.deleteFrom('kinerja_settings').where('unit_id', '=', input.unitId).execute();
    } else {
      const values = { bands: JSON.stringify(input.settings.bands), max_capaian: input.settings.maxCapaian, updated_by: input.actor.userId, updated_at: new Date() };
      await trx.insertInto('kinerja_settings').values({ unit_id: input.unitId, ...values }).onConflict((oc) => oc.column('unit_id').doUpdateSet(values)).execute();
    }
    await recordAudit(trx, input.actor, {
      action: 'kinerja.settings',
      entityType: 'unit',
      entityId: input.unitId,
      unitId: input.unitId,
      before: before ? { bands: before.bands, maxCapaian: before.max_capaian } : null,
      after: input.settings,
    });
    await announcePortalChange(trx, `kinerja:${input.unitId}`);
  });
}
