/**
 * Creating and changing units. Who may do it is decided by the caller (policies.ts); these check
 * what the hierarchy allows (a regency sits under a province, an agency under a province, regency
 * or city) and write the change with its audit entry in one transaction.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../../errors/errors.ts';
import type { DB, UnitRow } from '../../db/schema.ts';
import { allowedParents } from '../access/policies.ts';
import { announceAuthChange } from '../auth/auth-context.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { presentUnit } from './presenters.ts';
import type { CreateUnitInput, UpdateUnitInput } from './schemas.ts';
import { slugify } from './slug.ts';

async function freeSlug(trx: Kysely<DB>, name: string, parent: UnitRow | undefined): Promise<string> {
  const base = slugify(name);
  const candidates = [base, ...(parent ? [`${base}-${parent.slug}`.slice(0, 100)] : [])];
  for (let i = 2; candidates.length < 12; i += 1) candidates.push(`${base}-${i}`);
  const taken = new Set((await trx.selectFrom('units').select('slug').where('slug', 'in', candidates).execute()).map((r) => r.slug));
  const slug = candidates.find((c) => !taken.has(c));
  if (!slug) throw new AppError('unit.slug_taken');
  return slug;
}

export async function createUnit(db: Kysely<DB>, input: CreateUnitInput, origin: AuditActor): Promise<UnitRow> {
  return db.transaction().execute(async (trx) => {
    const parent = input.parentId ? await trx.selectFrom('units').selectAll().where('id', '=', input.parentId).executeTakeFirst() : undefined;
    if (input.parentId && !parent) throw new AppError('not_found');
    if (!allowedParents[input.kind]?.includes(parent?.kind ?? null)) {
      throw new AppError('unit.invalid_parent', { details: { issues: [{ path: 'parentId', message: `${input.kind} ↛ ${parent?.kind ?? 'none'}` }] } });
    }
    const sameName = await trx
      .selectFrom('units')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['name']), '=', input.name.toLowerCase()))
      .where((eb) => (parent ? eb('parent_id', '=', parent.id) : eb('parent_id', 'is', null)))
      .executeTakeFirst();
    if (sameName) throw new AppError('unit.slug_taken', { details: { issues: [{ path: 'name', message: 'already exists under this parent' }] } });
    const unit = await trx
      .insertInto('units')
      .values({
        parent_id: parent?.id ?? null,
        kind: input.kind,
        name: input.name,
        short_name: input.shortName ?? null,
        slug: await freeSlug(trx, input.name, parent),
        timezone: input.timezone ?? parent?.timezone ?? 'Asia/Makassar',
        logo_url: input.logoUrl ?? null,
        contact_email: input.contact?.email ?? null,
        contact_phone: input.contact?.phone ?? null,
        contact_address: input.contact?.address ?? null,
        contact_website: input.contact?.website ?? null,
        require_two_factor: input.requireTwoFactor ?? false,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, origin, { action: 'unit.create', entityType: 'unit', entityId: unit.id, unitId: unit.id, after: presentUnit(unit) });
    return unit;
  });
}

export async function updateUnit(db: Kysely<DB>, unitId: string, input: UpdateUnitInput, origin: AuditActor): Promise<UnitRow> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('units').selectAll().where('id', '=', unitId).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found');
    const contact = input.contact;
    const unit = await trx
      .updateTable('units')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.shortName !== undefined ? { short_name: input.shortName } : {}),
        ...(input.timezone !== undefined ? { timezone: input.timezone } : {}),
        ...(input.logoUrl !== undefined ? { logo_url: input.logoUrl } : {}),
        ...(contact?.email !== undefined ? { contact_email: contact.email } : {}),
        ...(contact?.phone !== undefined ? { contact_phone: contact.phone } : {}),
        ...(contact?.address !== undefined ? { contact_address: contact.address } : {}),
        ...(contact?.website !== undefined ? { contact_website: contact.website } : {}),
        ...(input.requireTwoFactor !== undefined ? { require_two_factor: input.requireTwoFactor } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', unitId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, origin, { action: 'unit.update', entityType: 'unit', entityId: unit.id, unitId: unit.id, before: presentUnit(before), after: presentUnit(unit) });
    // Names and the two-factor rule are part of everyone's cached sign-in context.
    await announceAuthChange(trx, null);
    return unit;
  });
}
