/**
 * Loads the East Kalimantan demo: units first (when there are none), then demo people (when they
 * are not there yet). Safe to run again; it adds only what is missing.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { systemActor } from '../audit/record.ts';
import { createUnit } from '../units/save-unit.ts';
import { createUser } from '../users/manage-users.ts';
import { kaltimPeople, kaltimUnits } from './kaltim.ts';
import { seedDemoContent } from './seed-content.ts';
import { seedPortalArticles } from './seed-portal.ts';
import { seedDemoKinerja } from './seed-kinerja.ts';
import { seedDemoRegulations } from './seed-regulasi.ts';

export interface SeedResult {
  unitsCreated: number;
  people: { email: string; name: string; unit: string; role: string; temporaryPassword: string }[];
  content?: { channels: number; posts: number };
}

export async function seedDemoUnits(db: Kysely<DB>): Promise<{ created: number; ids: Map<string, string> }> {
  const ids = new Map<string, string>();
  const existing = await db.selectFrom('units').select(['id', 'name']).execute();
  const byName = new Map(existing.map((u) => [u.name, u.id]));
  let created = 0;
  for (const unit of kaltimUnits) {
    const found = byName.get(unit.name);
    if (found) {
      ids.set(unit.key, found);
      continue;
    }
    const parentId = unit.parent ? ids.get(unit.parent) ?? null : null;
    const row = await createUnit(
      db,
      {
        parentId,
        kind: unit.kind,
        name: unit.name,
        shortName: unit.shortName,
        contact: { website: unit.website ?? null, email: unit.email ?? null, address: unit.address ?? null, phone: null },
      },
      systemActor('seed-demo'),
    );
    ids.set(unit.key, row.id);
    created += 1;
  }
  return { created, ids };
}

/** `portalBase`: where the portal is served, for the short links in the demo posts' variants. */
export async function seedDemo(db: Kysely<DB>, options: { portalBase?: string | undefined } = {}): Promise<SeedResult> {
  const { created, ids } = await seedDemoUnits(db);
  const people: SeedResult['people'] = [];
  for (const person of kaltimPeople) {
    const taken = await db.selectFrom('users').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', person.email)).executeTakeFirst();
    if (taken) continue;
    const unitId = ids.get(person.unit)!;
    const { temporaryPassword } = await createUser(db, { email: person.email, name: person.name, unitId, role: person.role }, systemActor('seed-demo'));
    const unitName = kaltimUnits.find((u) => u.key === person.unit)!.shortName;
    people.push({ email: person.email, name: person.name, unit: unitName, role: person.role, temporaryPassword });
  }
  const content = await seedDemoContent(db, new Date(), options);
  await seedPortalArticles(db);
  await seedDemoKinerja(db);
  await seedDemoRegulations(db);
  return { unitsCreated: created, people, content };
}
