/**
 * What an operation needs from the running process, in one small object passed explicitly. Tests
 * build it around a throw-away database.
 */
import type { Kysely } from 'kysely';
import type { Config } from './config/config.ts';
import type { Database } from './db/database.ts';
import type { DB } from './db/schema.ts';
import type { AuthResolver } from './modules/auth/auth-context.ts';

export interface Services {
  config: Config;
  database: Database;
  db: Kysely<DB>;
  auth: AuthResolver;
}
