/** Request schemas for units. */
import { z } from 'zod';
import { unitKinds } from './presenters.ts';

const validTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const timezone = z.string().trim().min(1).max(64).refine(validTimeZone, 'zona waktu tidak dikenal (unknown time zone), mis. Asia/Makassar');
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional().transform((v) => (v === '' ? null : v));
const httpUrl = z.url({ protocol: /^https?$/, error: 'harus alamat http(s) (must be an http(s) URL)' }).max(500);

export const contactSchema = z.strictObject({
  email: z.union([z.literal(''), z.email().max(254)]).nullable().optional().transform((v) => (v === '' ? null : v)),
  phone: optionalText(40),
  address: optionalText(300),
  website: z.union([z.literal(''), httpUrl]).nullable().optional().transform((v) => (v === '' ? null : v)),
});

export const createUnitBody = z.strictObject({
  parentId: z.uuid().nullable(),
  kind: z.enum(unitKinds),
  name: z.string().trim().min(2).max(200),
  shortName: optionalText(60),
  timezone: timezone.optional(),
  logoUrl: z.union([z.literal(''), httpUrl]).nullable().optional().transform((v) => (v === '' ? null : v)),
  contact: contactSchema.optional(),
  requireTwoFactor: z.boolean().optional(),
});
export interface UnitContactInput {
  email?: string | null | undefined;
  phone?: string | null | undefined;
  address?: string | null | undefined;
  website?: string | null | undefined;
}
export interface CreateUnitInput {
  parentId: string | null;
  kind: (typeof unitKinds)[number];
  name: string;
  shortName?: string | null | undefined;
  timezone?: string | undefined;
  logoUrl?: string | null | undefined;
  contact?: UnitContactInput | undefined;
  requireTwoFactor?: boolean | undefined;
}

export const updateUnitBody = createUnitBody.omit({ parentId: true, kind: true }).partial();
export type UpdateUnitInput = Partial<Omit<CreateUnitInput, 'parentId' | 'kind'>>;
