/**
 * Recording a regulation, editing it (optimistic locking on `version`) and removing it. Each change
 * and its audit entry are one transaction. The slug is made once, at creation, and never changes.
 */
import type { Kysely } from 'kysely';
import type { AuditActor } from '../audit/record.ts';
import { recordAudit } from '../audit/record.ts';
import type { DB, RegulationType } from '../../db/schema.ts';
import { AppError, invalidField } from '../../errors/errors.ts';
import { cleanPlainText } from '../compose/rich-text.ts';
import { announcePortalChange } from '../portal/articles.ts';
import { slugify } from '../units/slug.ts';
import { unitPath } from '../units/queries.ts';
import { regulationName } from './explanation.ts';
import { regulationById, type FaqEntry, type RegulationRecord } from './queries.ts';
import { regionalTypes, typeNames, type CreateRegulationInput, type UpdateRegulationInput } from './schemas.ts';

const isUniqueViolation = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
const constraintOf = (error: unknown): string => String((error as { constraint?: string }).constraint ?? '');

/** Plain text as stored: cleaned, spaces in a number collapsed ("188.44 / K.12" → "188.44/K.12"). */
const cleanNumber = (s: string): string => cleanPlainText(s).replace(/\s*\/\s*/g, '/').replace(/\s+/g, ' ');
const cleanFaq = (faq: readonly FaqEntry[]): FaqEntry[] => faq.map((f) => ({ question: cleanPlainText(f.question), answer: cleanPlainText(f.answer) }));

/** The government that issues regional regulations for a unit: the nearest province, regency or city at or above it. */
async function regionOf(db: Kysely<DB>, unitId: string): Promise<string | undefined> {
  const path = await unitPath(db, unitId);
  if (path.length === 0) return undefined;
  const kinds = new Map((await db.selectFrom('units').select(['id', 'kind']).where('id', 'in', path).execute()).map((u) => [u.id, u.kind]));
  return path.find((id) => ['province', 'regency', 'city'].includes(kinds.get(id) ?? '')) ?? path.at(-1);
}

/** Another record of the same regulation, where the uniqueness rule (see the migration) applies. */
async function findDuplicate(db: Kysely<DB>, r: { id?: string; unitId: string; regionId: string; type: RegulationType; number: string; year: number }) {
  const regional = regionalTypes.includes(r.type);
  return db.selectFrom('regulations as r').innerJoin('units as u', 'u.id', 'r.unit_id')
    .select(['r.id', 'r.slug', 'u.name as unit_name'])
    .where('r.type', '=', r.type).where('r.year', '=', r.year)
    .where((eb) => eb(eb.fn('lower', ['r.number']), '=', r.number.toLowerCase()))
    .where(regional ? 'r.region_unit_id' : 'r.unit_id', '=', regional ? r.regionId : r.unitId)
    .$if(r.id !== undefined, (q) => q.where('r.id', '!=', r.id!))
    .executeTakeFirst();
}

function duplicateError(r: { type: RegulationType; number: string; year: number }, existing: { id: string; slug: string; unit_name: string }): AppError {
  return new AppError('regulation.duplicate', {
    params: { regulation: regulationName(r), unit: existing.unit_name },
    details: { existing: { id: existing.id, slug: existing.slug, unit: existing.unit_name }, issues: [{ path: 'number', message: 'sudah dicatat (already recorded)' }] },
  });
}

function assertDates(enactedOn: string | null, inForceOn: string | null): void {
  if (enactedOn && inForceOn && inForceOn < enactedOn) {
    throw invalidField('inForceOn', 'tanggal berlaku tidak boleh sebelum tanggal ditetapkan (cannot be before the date enacted)');
  }
}

async function freeSlug(db: Kysely<DB>, base: string): Promise<string> {
  const taken = new Set((await db.selectFrom('regulations').select('slug').where('slug', 'like', `${base}%`).execute()).map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

const auditShape = (r: RegulationRecord) => ({
  slug: r.slug, type: r.type, number: r.number, year: r.year, title: r.title, status: r.status, enactedOn: r.enacted_on, inForceOn: r.in_force_on,
  jdihUrl: r.jdih_url, purpose: r.purpose, reasons: r.reasons, affected: r.affected, changes: r.changes, starts: r.starts, faq: r.faq, version: r.version,
});

export async function createRegulation(db: Kysely<DB>, input: CreateRegulationInput, actor: AuditActor): Promise<RegulationRecord> {
  const regionId = await regionOf(db, input.unitId);
  if (!regionId) throw new AppError('not_found');
  const number = cleanNumber(input.number);
  const title = cleanPlainText(input.title);
  assertDates(input.enactedOn, input.inForceOn);
  const existing = await findDuplicate(db, { unitId: input.unitId, regionId, type: input.type, number, year: input.year });
  if (existing) throw duplicateError({ ...input, number }, existing);
  const base = slugify(`${typeNames[input.type]} ${number} ${input.year} ${title}`).replace(/-+$/, '');
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const { id } = await trx.insertInto('regulations').values({
          unit_id: input.unitId,
          region_unit_id: regionId,
          type: input.type,
          number,
          year: input.year,
          title,
          slug: await freeSlug(trx, base),
          enacted_on: input.enactedOn,
          in_force_on: input.inForceOn,
          status: input.status,
          jdih_url: input.jdihUrl,
          purpose: cleanPlainText(input.purpose),
          reasons: cleanPlainText(input.reasons),
          affected: cleanPlainText(input.affected),
          changes: cleanPlainText(input.changes),
          starts: cleanPlainText(input.starts),
          faq: JSON.stringify(cleanFaq(input.faq)),
          created_by: actor.userId,
        }).returning('id').executeTakeFirstOrThrow();
        const created = (await regulationById(trx, id))!;
        await recordAudit(trx, actor, { action: 'regulation.create', entityType: 'regulation', entityId: id, unitId: input.unitId, after: auditShape(created) });
        // The portal's regulation pages show it from the next request (delivered on commit).
        await announcePortalChange(trx, id);
        return created;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Someone recorded the same regulation, or took the slug, a moment earlier.
      const again = await findDuplicate(db, { unitId: input.unitId, regionId, type: input.type, number, year: input.year });
      if (again) throw duplicateError({ ...input, number }, again);
      if (attempt >= 2 || !constraintOf(error).includes('slug')) throw error;
    }
  }
}

export function versionConflict(current: number): AppError {
  return new AppError('regulation.version_conflict', { params: { current }, details: { currentVersion: current } });
}

export async function updateRegulation(db: Kysely<DB>, id: string, input: UpdateRegulationInput, actor: AuditActor): Promise<RegulationRecord> {
  try {
    return await db.transaction().execute(async (trx) => {
      const locked = await trx.selectFrom('regulations').select(['id', 'version']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!locked) throw new AppError('not_found');
      if (locked.version !== input.version) throw versionConflict(locked.version);
      const before = (await regulationById(trx, id))!;
      const type = input.type ?? before.type;
      const number = input.number !== undefined ? cleanNumber(input.number) : before.number;
      const year = input.year ?? before.year;
      assertDates(input.enactedOn !== undefined ? input.enactedOn : before.enacted_on, input.inForceOn !== undefined ? input.inForceOn : before.in_force_on);
      if (type !== before.type || number !== before.number || year !== before.year) {
        const existing = await findDuplicate(trx, { id, unitId: before.unit_id, regionId: before.region_unit_id, type, number, year });
        if (existing) throw duplicateError({ type, number, year }, existing);
      }
      const text = (value: string | undefined) => (value !== undefined ? cleanPlainText(value) : undefined);
      await trx.updateTable('regulations').set({
        type, number, year,
        ...(input.title !== undefined ? { title: cleanPlainText(input.title) } : {}),
        ...(input.enactedOn !== undefined ? { enacted_on: input.enactedOn } : {}),
        ...(input.inForceOn !== undefined ? { in_force_on: input.inForceOn } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.jdihUrl !== undefined ? { jdih_url: input.jdihUrl } : {}),
        ...(input.purpose !== undefined ? { purpose: text(input.purpose) } : {}),
        ...(input.reasons !== undefined ? { reasons: text(input.reasons) } : {}),
        ...(input.affected !== undefined ? { affected: text(input.affected) } : {}),
        ...(input.changes !== undefined ? { changes: text(input.changes) } : {}),
        ...(input.starts !== undefined ? { starts: text(input.starts) } : {}),
        ...(input.faq !== undefined ? { faq: JSON.stringify(cleanFaq(input.faq)) } : {}),
        version: before.version + 1,
        updated_at: new Date(),
      }).where('id', '=', id).execute();
      const after = (await regulationById(trx, id))!;
      await recordAudit(trx, actor, { action: 'regulation.update', entityType: 'regulation', entityId: id, unitId: before.unit_id, before: auditShape(before), after: auditShape(after) });
      await announcePortalChange(trx, id);
      return after;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const current = await regulationById(db, id);
    if (!current) throw error;
    const existing = await findDuplicate(db, { id, unitId: current.unit_id, regionId: current.region_unit_id, type: input.type ?? current.type, number: input.number !== undefined ? cleanNumber(input.number) : current.number, year: input.year ?? current.year });
    if (existing) throw duplicateError({ type: input.type ?? current.type, number: input.number ?? current.number, year: input.year ?? current.year }, existing);
    throw error;
  }
}

/** Removes the record and its links to posts (the posts stay). */
export async function deleteRegulation(db: Kysely<DB>, id: string, actor: AuditActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await regulationById(trx, id);
    if (!before) throw new AppError('not_found');
    await trx.deleteFrom('regulations').where('id', '=', id).execute();
    await recordAudit(trx, actor, { action: 'regulation.delete', entityType: 'regulation', entityId: id, unitId: before.unit_id, before: auditShape(before) });
    await announcePortalChange(trx, id);
  });
}
