/** The public shape of a person, as every API response shows it. */
import { z } from 'zod';
import type { Role, UserRow } from '../../db/schema.ts';

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  locale: z.enum(['id', 'en']),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  totpRequired: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.string(),
  memberships: z.array(z.object({ unitId: z.string(), role: z.string() })).optional(),
});
export type UserView = z.infer<typeof userSchema>;

type UserLike = Pick<UserRow, 'id' | 'email' | 'name' | 'locale' | 'must_change_password' | 'totp_enabled' | 'disabled' | 'created_at'>;

export function presentUser(user: UserLike, options: { totpRequired?: boolean; memberships?: { unit_id: string; role: Role }[] } = {}): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    locale: user.locale,
    mustChangePassword: user.must_change_password,
    totpEnabled: user.totp_enabled,
    totpRequired: options.totpRequired ?? false,
    disabled: user.disabled,
    createdAt: user.created_at.toISOString(),
    ...(options.memberships ? { memberships: options.memberships.map((m) => ({ unitId: m.unit_id, role: m.role })) } : {}),
  };
}
