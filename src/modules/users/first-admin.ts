/**
 * A clean install has nobody who can sign in. The first start creates the first administrator of
 * the top unit (creating that unit if there is none) with a generated one-time password, which is
 * printed once and must be changed at first sign-in. There is never a fixed default password.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { systemActor } from '../audit/record.ts';
import { createUnit } from '../units/save-unit.ts';
import { createUser } from './manage-users.ts';

export const DEFAULT_TOP_UNIT = 'Pemerintah Provinsi Kalimantan Timur';

export async function ensureFirstAdmin(db: Kysely<DB>, email: string): Promise<{ email: string; temporaryPassword: string; unitName: string } | null> {
  const anyone = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (anyone) return null;
  let top = await db.selectFrom('units').select(['id', 'name']).where('parent_id', 'is', null).orderBy('created_at').limit(1).executeTakeFirst();
  if (!top) {
    const unit = await createUnit(db, { parentId: null, kind: 'province', name: DEFAULT_TOP_UNIT, shortName: 'Pemprov Kaltim' }, systemActor('setup'));
    top = { id: unit.id, name: unit.name };
  }
  const { temporaryPassword } = await createUser(db, { email, name: 'Administrator', unitId: top.id, role: 'admin' }, systemActor('setup'));
  return { email, temporaryPassword, unitName: top.name };
}
