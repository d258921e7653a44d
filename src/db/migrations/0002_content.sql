-- Content studio: rubrics, channels, media, posts with their per-network variants and targets,
-- versions, approvals, internal comments, mentions and per-unit approval policies.

-- Portal sections. Defaults are loaded here so every install (demo or not) has them.
create table rubrics (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null check (length(name) between 2 and 80),
  description text,
  position integer not null default 0,
  archived boolean not null default false,
  created_at timestamptz not null default now()
);
insert into rubrics (slug, name, description, position) values
  ('seputar-kaltim', 'Seputar Kaltim', 'Berita kegiatan pemerintah di Kalimantan Timur', 1),
  ('kinerja', 'Kinerja', 'Capaian kinerja: target dan realisasi', 2),
  ('regulasi', 'Regulasi', 'Penjelasan peraturan: tujuan dan alasannya', 3),
  ('sosok', 'Sosok', 'Profil orang-orang di balik layanan publik', 4),
  ('nusantara', 'Nusantara', 'Kabar dari daerah lain dan pemerintah pusat', 5),
  ('pengumuman', 'Pengumuman', 'Pengumuman resmi dan informasi serta-merta', 6);

-- A unit's account on one network. The Publishing issue adds credentials; here a channel carries
-- what the composer needs: who it posts as (name, handle, avatar) and its own rule overrides.
create table channels (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references units (id) on delete cascade,
  network text not null check (network in ('facebook', 'instagram', 'threads', 'x', 'tiktok', 'youtube', 'linkedin', 'telegram', 'mastodon', 'bluesky')),
  name text not null check (length(name) between 1 and 120),
  handle text not null check (length(handle) between 1 and 200),
  avatar_url text,
  limit_overrides jsonb not null default '{}',
  disabled boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (network, handle)
);
create index channels_unit_idx on channels (unit_id);

-- Uploaded files. The original is kept as re-encoded (metadata stripped); renditions per network
-- and the thumbnail are listed in `renditions`. Keys are paths in the storage (local disk by default).
create table media (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references units (id) on delete restrict,
  uploaded_by uuid references users (id) on delete set null,
  kind text not null check (kind in ('image', 'video', 'gif')),
  mime text not null,
  bytes bigint not null check (bytes > 0),
  width integer,
  height integer,
  duration_ms integer,
  sha256 text not null,
  original_name text,
  storage_key text not null unique,
  thumbnail_key text,
  renditions jsonb not null default '{}',
  alt text not null default '',
  created_at timestamptz not null default now()
);
create index media_unit_idx on media (unit_id, created_at desc);
create unique index media_unit_sha_idx on media (unit_id, sha256);

-- Who approves a unit's posts: 0 to 3 tiers, each naming the unit (this one or an ancestor) whose
-- approvers decide that tier. Units without a row use one tier approved at the unit itself.
create table approval_policies (
  unit_id uuid primary key references units (id) on delete cascade,
  tier_unit_ids uuid[] not null default '{}' check (cardinality(tier_unit_ids) <= 3),
  -- Serta-merta: the least role at the unit that may publish without an approver (null: nobody,
  -- one approval is always needed). Such a post is reviewed after the fact.
  serta_merta_direct_role text check (serta_merta_direct_role in ('editor', 'approver', 'admin')),
  -- Calendar crowding: more posts than this on one channel within an hour gives a warning.
  crowding_per_hour integer not null default 3 check (crowding_per_hour between 1 and 100),
  updated_at timestamptz not null default now()
);

create table posts (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references units (id) on delete restrict,
  author_id uuid not null references users (id) on delete restrict,
  rubric_id uuid references rubrics (id) on delete set null,
  title text not null check (length(title) between 1 and 300),
  body_html text not null default '',
  body_text text not null default '',
  summary text not null default '',
  language text not null default 'id',
  tags text[] not null default '{}',
  portal_url text,
  -- The networks of its variants, kept here (by the code that writes variants) so the calendar
  -- lists and filters posts without a lookup per row.
  networks text[] not null default '{}',
  -- Serta-merta (urgent public information): the required structure lives in serta_merta.
  urgent boolean not null default false,
  serta_merta jsonb,
  status text not null default 'draft' check (status in (
    'draft', 'in_review', 'changes_requested', 'approved', 'scheduled',
    'publishing', 'published', 'partly_published', 'failed', 'cancelled')),
  -- Each submission starts a review round; approvals belong to a round.
  review_round integer not null default 0,
  -- Published by a designated role without an approver: an approver must still look afterwards.
  needs_post_review boolean not null default false,
  scheduled_at timestamptz,
  -- Optimistic locking: every change bumps it; a save names the version it started from.
  version integer not null default 1,
  submitted_at timestamptz,
  approved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- The calendar reads a time range, optionally for a set of units: both indexes serve it.
create index posts_scheduled_idx on posts (scheduled_at) where scheduled_at is not null;
create index posts_unit_scheduled_idx on posts (unit_id, scheduled_at);
create index posts_unit_updated_idx on posts (unit_id, updated_at desc);
create index posts_status_idx on posts (status, updated_at desc);

create table post_media (
  post_id uuid not null references posts (id) on delete cascade,
  media_id uuid not null references media (id) on delete restrict,
  position integer not null,
  alt text not null check (length(btrim(alt)) > 0),
  primary key (post_id, media_id)
);
create index post_media_media_idx on post_media (media_id);

-- A post as it goes to one network: text, chosen media and options, derived from the master and
-- editable. `customized` is false while the text still follows the master (re-adapted on save).
create table post_variants (
  post_id uuid not null references posts (id) on delete cascade,
  network text not null check (network in ('facebook', 'instagram', 'threads', 'x', 'tiktok', 'youtube', 'linkedin', 'telegram', 'mastodon', 'bluesky')),
  text text not null default '',
  title text,
  media_ids uuid[] not null default '{}',
  -- A thread (X, Bluesky, Threads, Mastodon): the posts in order; empty when it is one post.
  parts text[] not null default '{}',
  thread boolean not null default false,
  first_comment text,
  hashtags text[] not null default '{}',
  customized boolean not null default false,
  primary key (post_id, network)
);

-- One variant going to one channel. The Publishing issue fills in the outcome.
create table post_targets (
  id uuid primary key default gen_random_uuid(),
  post_id uuid not null references posts (id) on delete cascade,
  channel_id uuid not null references channels (id) on delete restrict,
  network text not null,
  status text not null default 'pending' check (status in ('pending', 'publishing', 'published', 'failed', 'cancelled')),
  external_id text,
  external_url text,
  error text,
  published_at timestamptz,
  unique (post_id, channel_id),
  foreign key (post_id, network) references post_variants (post_id, network) on delete cascade
);
create index post_targets_channel_idx on post_targets (channel_id);

-- Every saved state of a post, whole, with who saved it.
create table post_versions (
  post_id uuid not null references posts (id) on delete cascade,
  version integer not null,
  author_id uuid references users (id) on delete set null,
  action text not null,
  snapshot jsonb not null,
  created_at timestamptz not null default now(),
  primary key (post_id, version)
);

create table post_approvals (
  id uuid primary key default gen_random_uuid(),
  post_id uuid not null references posts (id) on delete cascade,
  round integer not null,
  tier integer not null check (tier between 1 and 3),
  approver_id uuid not null references users (id) on delete restrict,
  decision text not null check (decision in ('approved', 'changes_requested', 'reviewed_after')),
  note text,
  created_at timestamptz not null default now()
);
create index post_approvals_post_idx on post_approvals (post_id, round);
-- One decision per tier per round (two approvers racing on the same tier: one wins).
create unique index post_approvals_tier_idx on post_approvals (post_id, round, tier) where decision = 'approved';

create table post_comments (
  id uuid primary key default gen_random_uuid(),
  post_id uuid not null references posts (id) on delete cascade,
  author_id uuid not null references users (id) on delete restrict,
  body text not null check (length(body) between 1 and 5000),
  mentions uuid[] not null default '{}',
  created_at timestamptz not null default now()
);
create index post_comments_post_idx on post_comments (post_id, created_at);

-- What a person should look at: a mention, a post waiting for them, a decision on their post.
create table notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  kind text not null,
  post_id uuid references posts (id) on delete cascade,
  actor_id uuid references users (id) on delete set null,
  excerpt text,
  read_at timestamptz,
  created_at timestamptz not null default now()
);
create index notifications_user_idx on notifications (user_id, created_at desc);

-- Terms that ask for a second look before submission (SARA, hate speech, unverified claims).
-- unit_id null: applies everywhere; a unit adds its own.
create table sensitive_terms (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid references units (id) on delete cascade,
  term text not null check (length(term) between 2 and 100),
  category text not null check (category in ('sara', 'hate', 'unverified', 'other')),
  created_at timestamptz not null default now()
);
create unique index sensitive_terms_idx on sensitive_terms (coalesce(unit_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(term));
insert into sensitive_terms (term, category) values
  ('kafir', 'sara'), ('pribumi', 'sara'), ('antek asing', 'hate'), ('aseng', 'sara'),
  ('provokator', 'hate'), ('hoaks', 'unverified'), ('katanya', 'unverified'),
  ('belum dikonfirmasi', 'unverified'), ('dengar-dengar', 'unverified');
