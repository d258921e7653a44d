-- Signing in to networks (OAuth 2 with PKCE) and keeping tokens fresh.

alter table channels
  -- The English reason beside the Indonesian one, for people using Siar in English.
  add column connection_reason_en text,
  -- When the stored token was last renewed (a refresh or a new sign-in).
  add column token_refreshed_at timestamptz,
  -- One process at a time renews a channel's token: networks that rotate refresh tokens revoke the
  -- old one on use, so a second concurrent refresh would disconnect the channel.
  add column refresh_lease_until timestamptz;
create index channels_token_expiry_idx on channels (token_expires_at) where connection = 'connected';

-- A sign-in in progress: the PKCE verifier and the `state` that ties the network's answer to the
-- person and channel that asked. Kept ten minutes; a sign-in that offers several accounts (Facebook
-- Pages, LinkedIn pages) keeps the grant, encrypted, until the person chooses one.
create table oauth_states (
  state text primary key,
  channel_id uuid not null references channels (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  code_verifier text not null,
  base_url text not null,
  sandbox boolean not null default false,
  redirect_uri text not null,
  grant_enc text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index oauth_states_expiry_idx on oauth_states (expires_at);

-- After publishing: a post taken down from the network, or its text corrected there.
alter table post_targets
  add column removed_at timestamptz,
  add column edited_at timestamptz;

-- Outgoing webhooks: a channel (and a variant) of their own kind.
alter table channels drop constraint channels_network_check;
alter table channels add constraint channels_network_check
  check (network in ('facebook', 'instagram', 'threads', 'x', 'tiktok', 'youtube', 'linkedin', 'telegram', 'mastodon', 'bluesky', 'webhook'));
alter table post_variants drop constraint post_variants_network_check;
alter table post_variants add constraint post_variants_network_check
  check (network in ('facebook', 'instagram', 'threads', 'x', 'tiktok', 'youtube', 'linkedin', 'telegram', 'mastodon', 'bluesky', 'webhook'));
