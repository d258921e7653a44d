/**
 * Factories for integration tests: a unit, a person with a role there who calls the API by token,
 * and one who signs in with a known password (the browser journeys).
 */
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

export interface PersonInput {
  unitId: string;
  role: Role;
  name: string;
  /** `orangN.role@uji.go.id` when not given. */
  email?: string;
  /** A one-time password when not given. */
  password?: string;
}

/** A user with one role on one unit who has already changed their password (none is forced). */
async function signedUpUser(server: TestServer, input: PersonInput): Promise<{ id: string; email: string }> {
  const db = server.siar.services.db;
  counter += 1;
  const email = input.email ?? `orang${counter}.${input.role}@uji.go.id`;
  const { user } = await createUser(db, { email, name: input.name, unitId: input.unitId, role: input.role, ...(input.password ? { password: input.password } : {}) }, systemActor('test'));
  await db.updateTable('users').set({ must_change_password: false }).where('id', '=', user.id).execute();
  return { id: user.id, email: user.email };
}

/** A signed-up person (password already changed) with one role on one unit, calling with an API token. */
export async function makePerson(server: TestServer, unitId: string, role: Role, name?: string): Promise<Person> {
  const label = name ?? `Orang ${role} ${counter + 1}`;
  const { id } = await signedUpUser(server, { unitId, role, name: label });
  const client = new Client(server.app);
  client.token = (await createToken(server.siar.services.db, { userId: id, name: 'test' }, systemActor('test'))).secret;
  return { id, name: label, client };
}

export interface PasswordUser {
  id: string;
  email: string;
  name: string;
}

/** A person who signs in (in the browser) with `password`, not asked to change it, with one role on one unit. */
export async function makePasswordUser(server: TestServer, input: PersonInput & { password: string }): Promise<PasswordUser> {
  const { id, email } = await signedUpUser(server, input);
  return { id, email, name: input.name };
}
