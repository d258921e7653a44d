-- Regulation explainers (regulasi): a record of each regulation a unit explains to citizens, its
-- plain-language explanation (purpose, reasons, who is affected, what changes, from when, FAQ) and
-- the posts that talk about it.

create table regulations (
  id uuid primary key default gen_random_uuid(),
  -- The unit responsible for the explanation; its editors write it.
  unit_id uuid not null references units (id) on delete restrict,
  -- The government that issues a regional regulation: the nearest province, regency or city at or
  -- above unit_id. A Perda, Pergub, Perbup or Perwali number is unique within it (see the indexes).
  region_unit_id uuid not null references units (id) on delete restrict,
  type text not null check (type in ('perda', 'pergub', 'perbup', 'perwali', 'keputusan', 'surat_edaran')),
  -- As written on the document ("3", "188.44/K.123/2024"); spaces collapsed by the application.
  number text not null check (length(btrim(number)) between 1 and 80),
  year integer not null check (year between 1945 and 2100),
  title text not null check (length(btrim(title)) between 3 and 500),
  -- Given once from type, number, year and title; never changes, so shared links keep working.
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  enacted_on date,
  in_force_on date,
  status text not null default 'berlaku' check (status in ('berlaku', 'dicabut', 'diubah', 'rancangan')),
  -- The official document on JDIH (the legal documentation network); https only.
  jdih_url text check (jdih_url ~ '^https://[^\s]+$'),
  -- The explanation in plain language. Purpose and reasons must be filled before a linked post
  -- can go to review; the others are encouraged.
  purpose text not null default '',
  reasons text not null default '',
  affected text not null default '',
  changes text not null default '',
  starts text not null default '',
  -- [{ "question": "...", "answer": "..." }, ...] in the order shown.
  faq jsonb not null default '[]' check (jsonb_typeof(faq) = 'array'),
  -- Optimistic locking: every change bumps it; a save names the version it started from.
  version integer not null default 1,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- One record per real regulation. A Perda, Pergub, Perbup or Perwali is numbered by the government
-- that issues it, so two units of one province cannot both record Pergub 5/2024 (they link their
-- posts to the one record). Decrees and circulars (Keputusan, Surat Edaran) are also issued by
-- agency heads, each numbering their own, so those are unique per unit.
create unique index regulations_regional_number_idx on regulations (region_unit_id, type, lower(number), year)
  where type in ('perda', 'pergub', 'perbup', 'perwali');
create unique index regulations_unit_number_idx on regulations (unit_id, type, lower(number), year)
  where type in ('keputusan', 'surat_edaran');
-- Lists: newest regulations first, within a set of units (the filters narrow this range).
create index regulations_unit_year_idx on regulations (unit_id, year desc, created_at desc);

-- Which posts explain or mention which regulation.
create table regulation_posts (
  regulation_id uuid not null references regulations (id) on delete cascade,
  post_id uuid not null references posts (id) on delete cascade,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (regulation_id, post_id)
);
-- Submission looks up a post's regulations.
create index regulation_posts_post_idx on regulation_posts (post_id);
