/**
 * What an operation needs from the running process, in one small object passed explicitly. Tests
 * build it around a throw-away database.
 */
import type { Kysely } from 'kysely';
import type { Config } from './config/config.ts';
import type { Database } from './db/database.ts';
import type { DB } from './db/schema.ts';
import type { AuthResolver } from './modules/auth/auth-context.ts';
import type { Keyring } from './modules/publishing/keyring.ts';
import type { Connector } from './modules/publishing/connector.ts';
import type { Network } from './modules/networks/limits.ts';
import type { NotificationHub } from './modules/notifications/live.ts';

/** Sends a background job (pg-boss); null until the queue has started, and in processes without one. */
export interface JobToSend {
  payload: unknown;
  startAfter?: Date;
  singletonKey?: string;
  priority?: number;
}

export interface JobSender {
  /** `id`: the job's own id; sending an id that is already queued (or recently done) does nothing. */
  send(name: string, payload: unknown, options?: { startAfter?: Date; singletonKey?: string; priority?: number; id?: string }): Promise<string | null>;
  /** Many jobs of one queue in as few statements as possible (the same rows as `send`). */
  sendMany?(name: string, jobs: readonly JobToSend[]): Promise<void>;
}

export interface Services {
  config: Config;
  database: Database;
  db: Kysely<DB>;
  auth: AuthResolver;
  /** Encrypts channel credentials at rest. */
  keyring: Keyring;
  jobs: JobSender | null;
  /** The URLs of the network sandbox this process runs, if any: channels pointing there are practice accounts. */
  sandboxUrls?: readonly string[];
  /** The sandbox's server for each network it simulates (signing in to a practice account). */
  sandboxNetworkUrls?: Partial<Record<string, string>>;
  /** Network connectors; tests swap in their own. Defaults to the registry in publishing/connectors. */
  connectors?: (network: Network) => Connector | undefined;
  /** Live notifications: this process's one listener and the open streams it feeds (absent until started). */
  notifications?: NotificationHub;
}
