-- Foundation: units, people, access, sessions, API tokens, login throttling and the audit chain.

create table units (
  id uuid primary key default gen_random_uuid(),
  parent_id uuid references units (id) on delete restrict,
  kind text not null check (kind in ('province', 'regency', 'city', 'agency', 'bureau')),
  name text not null check (length(name) between 2 and 200),
  short_name text,
  slug text not null unique,
  timezone text not null default 'Asia/Makassar',
  logo_url text,
  contact_email text,
  contact_phone text,
  contact_address text,
  contact_website text,
  require_two_factor boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index units_parent_idx on units (parent_id);

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  name text not null,
  password_hash text not null,
  must_change_password boolean not null default true,
  password_changed_at timestamptz,
  locale text not null default 'id' check (locale in ('id', 'en')),
  totp_secret text,
  totp_pending_secret text,
  totp_enabled boolean not null default false,
  disabled boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- Emails are compared without regard to case: one person, one account.
create unique index users_email_idx on users (lower(email));

create table memberships (
  user_id uuid not null references users (id) on delete cascade,
  unit_id uuid not null references units (id) on delete cascade,
  role text not null check (role in ('admin', 'approver', 'editor', 'viewer')),
  created_at timestamptz not null default now(),
  primary key (user_id, unit_id)
);
create index memberships_unit_idx on memberships (unit_id);

-- A session row is keyed by the SHA-256 of the cookie's secret, so a leaked table opens no session.
create table sessions (
  id text primary key,
  user_id uuid not null references users (id) on delete cascade,
  csrf_token text not null,
  ip text,
  user_agent text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expiry_idx on sessions (expires_at);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  name text not null,
  prefix text not null,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_user_idx on api_tokens (user_id);

-- Failed logins per account and per client address, shared by every process.
create table login_throttle (
  key text primary key,
  failures integer not null default 0,
  window_started_at timestamptz not null default now(),
  locked_until timestamptz
);

-- The audit log: append-only, each row carrying the hash of the one before it.
create table audit_log (
  seq bigint primary key,
  id uuid not null unique default gen_random_uuid(),
  at timestamptz not null,
  actor_id uuid,
  actor_label text,
  action text not null,
  entity_type text not null,
  entity_id text,
  unit_id uuid,
  ip text,
  user_agent text,
  request_id text,
  before jsonb,
  after jsonb,
  prev_hash text not null,
  hash text not null
);
create index audit_log_unit_idx on audit_log (unit_id, seq desc);
create index audit_log_actor_idx on audit_log (actor_id, seq desc);
create index audit_log_action_idx on audit_log (action, seq desc);
create index audit_log_at_idx on audit_log (at);

-- Rows are never changed or removed. A restore (siar restore) sets siar.restoring for its own
-- transaction to load a backup into an empty table; the hash chain still proves what was loaded.
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  if current_setting('siar.restoring', true) = 'on' then
    return coalesce(new, old);
  end if;
  raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();
