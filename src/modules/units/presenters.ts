/** The public shape of a unit. */
import { z } from 'zod';
import type { UnitRow } from '../../db/schema.ts';

export const unitKinds = ['province', 'regency', 'city', 'agency', 'bureau'] as const;

export const unitSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  kind: z.enum(unitKinds),
  name: z.string(),
  shortName: z.string().nullable(),
  slug: z.string(),
  timezone: z.string(),
  logoUrl: z.string().nullable(),
  contact: z.object({ email: z.string().nullable(), phone: z.string().nullable(), address: z.string().nullable(), website: z.string().nullable() }),
  requireTwoFactor: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type UnitView = z.infer<typeof unitSchema>;

export function presentUnit(unit: UnitRow): UnitView {
  return {
    id: unit.id,
    parentId: unit.parent_id,
    kind: unit.kind,
    name: unit.name,
    shortName: unit.short_name,
    slug: unit.slug,
    timezone: unit.timezone,
    logoUrl: unit.logo_url,
    contact: { email: unit.contact_email, phone: unit.contact_phone, address: unit.contact_address, website: unit.contact_website },
    requireTwoFactor: unit.require_two_factor,
    createdAt: new Date(unit.created_at).toISOString(),
    updatedAt: new Date(unit.updated_at).toISOString(),
  };
}
