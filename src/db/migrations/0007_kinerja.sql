-- Kinerja: performance results as agencies report them under SAKIP. Per unit and year, strategic
-- goals (sasaran strategis) with their key indicators (IKU): target and realisasi as exact
-- decimals; capaian is computed by Siar when read (kinerja/capaian.ts), never stored. Programmes
-- with a quantitative target record progress over the year. Every change keeps a history row.

-- Imports first: history rows point at the import that made them.
create table kinerja_imports (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references units (id) on delete cascade,
  uploaded_by uuid references users (id) on delete set null,
  file_name text,
  file_kind text not null check (file_kind in ('csv', 'xlsx')),
  bytes integer not null check (bytes > 0),
  sha256 text not null,
  -- The uploaded file, kept until it is applied (the confirm step reads it again with the mapping).
  content bytea,
  year integer check (year between 2000 and 2100),
  status text not null default 'pending' check (status in ('pending', 'applied')),
  mapping jsonb,
  -- Counts once applied: created, updated, unchanged.
  summary jsonb,
  created_at timestamptz not null default now(),
  applied_at timestamptz,
  applied_by uuid references users (id) on delete set null
);
create index kinerja_imports_unit_idx on kinerja_imports (unit_id, created_at desc);

-- The natural key of a goal is (unit, year, name normalised): re-importing a file finds the same rows.
create table kinerja_goals (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references units (id) on delete cascade,
  year integer not null check (year between 2000 and 2100),
  name text not null check (length(name) between 1 and 500),
  name_key text not null,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (unit_id, year, name_key)
);

-- An indicator's natural key is (goal, name normalised), so (unit, year, goal, indicator) overall.
create table kinerja_indicators (
  id uuid primary key default gen_random_uuid(),
  goal_id uuid not null references kinerja_goals (id) on delete cascade,
  -- Copied from the goal for the listing index below.
  unit_id uuid not null references units (id) on delete cascade,
  year integer not null check (year between 2000 and 2100),
  name text not null check (length(name) between 1 and 500),
  name_key text not null,
  satuan text not null default '',
  target numeric,
  realisasi numeric,
  polarity text not null default 'higher' check (polarity in ('higher', 'lower')),
  responsible_unit text,
  data_source text,
  notes text,
  position integer not null default 0,
  -- Optimistic locking: an edit names the version it was made on.
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id) on delete set null,
  unique (goal_id, name_key)
);
create index kinerja_indicators_unit_year_idx on kinerja_indicators (unit_id, year, position);

create table kinerja_programmes (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references units (id) on delete cascade,
  year integer not null check (year between 2000 and 2100),
  name text not null check (length(name) between 1 and 500),
  name_key text not null,
  satuan text not null default '',
  target numeric,
  responsible_unit text,
  notes text,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id) on delete set null,
  unique (unit_id, year, name_key)
);

-- Progress of a programme at a date ("120 of 367 units operating on 30 June"); one value per date.
create table kinerja_programme_progress (
  programme_id uuid not null references kinerja_programmes (id) on delete cascade,
  as_of date not null,
  value numeric not null,
  note text,
  recorded_by uuid references users (id) on delete set null,
  recorded_at timestamptz not null default now(),
  primary key (programme_id, as_of)
);

-- Every change to a goal, indicator or programme: who, when, the values before and after, and the
-- import that made it when it came from a file.
create table kinerja_history (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references units (id) on delete cascade,
  entity_type text not null check (entity_type in ('goal', 'indicator', 'programme')),
  entity_id uuid not null,
  action text not null check (action in ('create', 'update', 'delete', 'progress')),
  source text not null check (source in ('import', 'edit')),
  import_id uuid references kinerja_imports (id) on delete set null,
  changed_by uuid references users (id) on delete set null,
  changed_at timestamptz not null default now(),
  before jsonb,
  after jsonb
);
create index kinerja_history_entity_idx on kinerja_history (entity_id, changed_at desc);
create index kinerja_history_unit_idx on kinerja_history (unit_id, changed_at desc);

-- Category bands and the capaian maximum of a unit and everything below it; the nearest unit up
-- the tree with settings wins, Siar's defaults (capaian.ts) when none has any.
create table kinerja_settings (
  unit_id uuid primary key references units (id) on delete cascade,
  bands jsonb not null,
  max_capaian numeric check (max_capaian > 0),
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id) on delete set null
);
