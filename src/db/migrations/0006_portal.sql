-- The public portal: every post that goes out becomes an article at a stable address, short links
-- count clicks per network, and citizens send feedback under each article.

-- An article is the portal's copy of a post, kept in step with it by the post's workflow (one row
-- per post, written in the same transaction as the post's status). It is live from `published_at`
-- while `live` is true and it has not been withdrawn. The slug is given once, when the article is
-- first written, and never changes: a corrected title keeps the address that was shared.
create table articles (
  post_id uuid primary key references posts (id) on delete cascade,
  slug text not null unique,
  unit_id uuid not null references units (id),
  rubric_id uuid references rubrics (id),
  title text not null,
  lead text not null default '',
  body_html text not null default '',
  body_text text not null default '',
  tags text[] not null default '{}',
  language text not null default 'id',
  author_initials text not null default '',
  urgent boolean not null default false,
  -- The serta-merta facts (what happened, areas, what to do, help, contact) for the pinned banner.
  serta_merta jsonb,
  live boolean not null default false,
  published_at timestamptz,
  -- When the text last changed after it went live, and why (shown on the article).
  corrected_at timestamptz,
  correction_note text,
  withdrawn_at timestamptz,
  withdrawn_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Full-text search in Indonesian (stemming: "menginformasikan" finds "informasi"); tags are words
  -- as written.
  search tsvector generated always as (
    setweight(to_tsvector('indonesian'::regconfig, title), 'A') ||
    setweight(to_tsvector('indonesian'::regconfig, lead), 'B') ||
    setweight(to_tsvector('indonesian'::regconfig, body_text), 'C')
  ) stored
);
create index articles_live_idx on articles (published_at desc) where live and withdrawn_at is null;
create index articles_rubric_idx on articles (rubric_id, published_at desc) where live and withdrawn_at is null;
create index articles_unit_idx on articles (unit_id, published_at desc) where live and withdrawn_at is null;
create index articles_tags_idx on articles using gin (tags);
create index articles_search_idx on articles using gin (search);

-- Short links in social posts (/r/<code>): one per post and network, so clicks are counted per
-- network. Only a daily count is kept: no cookie, no address, nothing about the person.
create table short_links (
  code text primary key,
  post_id uuid not null references posts (id) on delete cascade,
  network text not null,
  created_at timestamptz not null default now(),
  unique (post_id, network)
);
create table link_clicks (
  code text not null references short_links (code) on delete cascade,
  day date not null,
  clicks integer not null default 0,
  primary key (code, day)
);

-- What citizens send under an article: a question, complaint or suggestion, name and contact
-- optional. It waits in a moderation queue of the article's unit.
create table portal_feedback (
  id uuid primary key default gen_random_uuid(),
  post_id uuid not null references posts (id) on delete cascade,
  unit_id uuid not null references units (id),
  kind text not null check (kind in ('question', 'complaint', 'suggestion')),
  name text,
  contact text,
  message text not null,
  status text not null default 'new' check (status in ('new', 'answered', 'closed', 'spam')),
  note text,
  handled_by uuid references users (id) on delete set null,
  handled_at timestamptz,
  created_at timestamptz not null default now()
);
create index portal_feedback_queue_idx on portal_feedback (unit_id, status, created_at desc);
create index portal_feedback_post_idx on portal_feedback (post_id);

-- Proof-of-work challenges already spent (a solved challenge is accepted once), kept until expiry.
create table portal_pow_spent (
  challenge text primary key,
  expires_at timestamptz not null
);
create index portal_pow_spent_expiry_idx on portal_pow_spent (expires_at);

-- Image captions beside the alt text (the portal shows them under the picture).
alter table post_media add column caption text;
