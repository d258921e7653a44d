-- Publishing: connected channels (encrypted credentials), the outcome and attempts of each target,
-- and rate-limit buckets shared by every worker process.

alter table channels
  add column base_url text,
  add column external_account_id text,
  -- AES-256-GCM, "v1:<key id>:<iv>:<tag>:<ciphertext>", bound to the channel id.
  add column credentials_enc text,
  add column token_expires_at timestamptz,
  add column connection text not null default 'unconnected' check (connection in ('unconnected', 'connected', 'needs_reconnect')),
  add column connection_reason text,
  add column connected_at timestamptz,
  -- A practice account on Siar's sandbox rather than the real network.
  add column sandbox boolean not null default false;

alter table post_targets
  add column attempts integer not null default 0,
  add column first_attempt_at timestamptz,
  add column attempt_started_at timestamptz,
  add column next_attempt_at timestamptz,
  -- The last attempt may have reached the network: look it up before any retry.
  add column uncertain boolean not null default false,
  add column error_code text,
  add column error_reason jsonb,
  add column parts jsonb not null default '[]',
  add column updated_at timestamptz not null default now();
create index post_targets_status_idx on post_targets (status, next_attempt_at);

-- Every call to a network, kept for the post page and for investigating.
create table publish_attempts (
  id uuid primary key default gen_random_uuid(),
  target_id uuid not null references post_targets (id) on delete cascade,
  attempt integer not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  outcome text check (outcome in ('published', 'transient', 'uncertain', 'auth', 'permanent', 'found', 'not_found')),
  code text,
  detail text,
  worker text
);
create index publish_attempts_target_idx on publish_attempts (target_id, started_at);

-- Token buckets: one per account and one per network (the app's own limit). A worker takes a
-- token in one UPDATE; when the bucket is empty it learns when the next token comes.
create table rate_buckets (
  key text primary key,
  capacity double precision not null,
  refill_per_second double precision not null,
  tokens double precision not null,
  updated_at timestamptz not null default now(),
  -- Set from a network's 429 / rate-limit headers: nothing is sent before it.
  blocked_until timestamptz
);
