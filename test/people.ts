/** Factories for integration tests: a unit, and a person with a role there who calls the API by token. */
import type { Role } from '../src/db/schema.ts';
import { systemActor } from '../src/modules/audit/record.ts';
import { createToken } from '../src/modules/tokens/tokens.ts';
import { createUnit } from '../src/modules/units/save-unit.ts';
import { createUser } from '../src/modules/users/manage-users.ts';
import { Client, type TestServer } from './server.ts';

let counter = 0;

export async function topUnitId(server: TestServer): Promise<string> {
  const top = await server.siar.services.db.selectFrom('units').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
  return top.id;
}

export async function makeUnit(server: TestServer, parentId: string, kind: 'regency' | 'city' | 'agency' | 'bureau', name: string): Promise<string> {
  return (await createUnit(server.siar.services.db, { parentId, kind, name }, systemActor('test'))).id;
}

export interface Person {
  id: string;
  name: string;
  client: Client;
}

/** A signed-up person (password already changed) with one role on one unit, calling with an API token. */
export async function makePerson(server: TestServer, unitId: string, role: Role, name?: string): Promise<Person> {
  const db = server.siar.services.db;
  counter += 1;
  const label = name ?? `Orang ${role} ${counter}`;
  const { user } = await createUser(db, { email: `orang${counter}.${role}@uji.go.id`, name: label, unitId, role }, systemActor('test'));
  await db.updateTable('users').set({ must_change_password: false }).where('id', '=', user.id).execute();
  const client = new Client(server.app);
  client.token = (await createToken(db, { userId: user.id, name: 'test' }, systemActor('test'))).secret;
  return { id: user.id, name: label, client };
}
