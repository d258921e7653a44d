/** Row types of Siar's tables, as Kysely sees them. Kept in step with the SQL in migrations/. */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in by default. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | null, string | null>;

export type UnitKind = 'province' | 'regency' | 'city' | 'agency' | 'bureau';
export type Role = 'admin' | 'approver' | 'editor' | 'viewer';

export interface UnitsTable {
  id: Generated<string>;
  parent_id: string | null;
  kind: UnitKind;
  name: string;
  short_name: string | null;
  slug: string;
  timezone: Generated<string>;
  logo_url: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  contact_address: string | null;
  contact_website: string | null;
  require_two_factor: Generated<boolean>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  must_change_password: Generated<boolean>;
  password_changed_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  locale: Generated<'id' | 'en'>;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled: Generated<boolean>;
  disabled: Generated<boolean>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface MembershipsTable {
  user_id: string;
  unit_id: string;
  role: Role;
  created_at: DefaultTimestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: DefaultTimestamp;
  last_used_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  expires_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  revoked_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

export interface LoginThrottleTable {
  key: string;
  failures: Generated<number>;
  window_started_at: DefaultTimestamp;
  locked_until: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

export interface AuditLogTable {
  seq: number;
  id: Generated<string>;
  at: Timestamp;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  unit_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  before: Json;
  after: Json;
  prev_hash: string;
  hash: string;
}

export interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: DefaultTimestamp;
}

export interface DB {
  units: UnitsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  siar_migrations: SchemaMigrationsTable;
}

export type UnitRow = Selectable<UnitsTable>;
export type NewUnit = Insertable<UnitsTable>;
export type UnitUpdate = Updateable<UnitsTable>;
export type UserRow = Selectable<UsersTable>;
export type MembershipRow = Selectable<MembershipsTable>;
export type AuditRow = Selectable<AuditLogTable>;
