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
  /** E-mail a copy of each notification (0004). */
  notify_email: Generated<boolean>;
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


type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A jsonb column written as JSON text and read back parsed. */
type JsonDefault = ColumnType<unknown, string | undefined, string>;

export type NetworkId = 'facebook' | 'instagram' | 'threads' | 'x' | 'tiktok' | 'youtube' | 'linkedin' | 'telegram' | 'mastodon' | 'bluesky' | 'webhook';
export type PostStatus =
  | 'draft' | 'in_review' | 'changes_requested' | 'approved' | 'scheduled'
  | 'publishing' | 'published' | 'partly_published' | 'failed' | 'cancelled';
export type MediaKindColumn = 'image' | 'video' | 'gif';

export interface RubricsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  description: string | null;
  position: Generated<number>;
  archived: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface ChannelsTable {
  id: Generated<string>;
  unit_id: string;
  network: NetworkId;
  name: string;
  handle: string;
  avatar_url: string | null;
  limit_overrides: JsonDefault;
  disabled: Generated<boolean>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  base_url: string | null;
  external_account_id: string | null;
  credentials_enc: string | null;
  token_expires_at: NullableTimestamp;
  connection: Generated<'unconnected' | 'connected' | 'needs_reconnect'>;
  connection_reason: string | null;
  connected_at: NullableTimestamp;
  sandbox: Generated<boolean>;
  connection_reason_en: string | null;
  token_refreshed_at: NullableTimestamp;
  refresh_lease_until: NullableTimestamp;
}

export interface OAuthStatesTable {
  state: string;
  channel_id: string;
  user_id: string;
  code_verifier: string;
  base_url: string;
  sandbox: Generated<boolean>;
  redirect_uri: string;
  grant_enc: string | null;
  created_at: DefaultTimestamp;
  expires_at: Timestamp;
}

export interface MediaTable {
  id: Generated<string>;
  unit_id: string;
  uploaded_by: string | null;
  kind: MediaKindColumn;
  mime: string;
  /** bigint: read back as a string by some drivers; use Number(). */
  bytes: ColumnType<string | number, number, number>;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  sha256: string;
  original_name: string | null;
  storage_key: string;
  thumbnail_key: string | null;
  renditions: JsonDefault;
  alt: Generated<string>;
  created_at: DefaultTimestamp;
}

export interface ApprovalPoliciesTable {
  unit_id: string;
  tier_unit_ids: Generated<string[]>;
  serta_merta_direct_role: Role | null;
  crowding_per_hour: Generated<number>;
  updated_at: DefaultTimestamp;
}

export interface PostsTable {
  id: Generated<string>;
  unit_id: string;
  author_id: string;
  rubric_id: string | null;
  title: string;
  body_html: Generated<string>;
  body_text: Generated<string>;
  summary: Generated<string>;
  language: Generated<string>;
  tags: Generated<string[]>;
  portal_url: string | null;
  networks: Generated<string[]>;
  urgent: Generated<boolean>;
  serta_merta: Json;
  status: Generated<PostStatus>;
  review_round: Generated<number>;
  needs_post_review: Generated<boolean>;
  scheduled_at: NullableTimestamp;
  version: Generated<number>;
  submitted_at: NullableTimestamp;
  approved_at: NullableTimestamp;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface PostMediaTable {
  post_id: string;
  media_id: string;
  position: number;
  alt: string;
  caption: Generated<string | null>;
}

export interface PostVariantsTable {
  post_id: string;
  network: NetworkId;
  text: Generated<string>;
  title: string | null;
  media_ids: Generated<string[]>;
  parts: Generated<string[]>;
  thread: Generated<boolean>;
  first_comment: string | null;
  hashtags: Generated<string[]>;
  customized: Generated<boolean>;
}

export interface PostTargetsTable {
  id: Generated<string>;
  post_id: string;
  channel_id: string;
  network: NetworkId;
  status: Generated<'pending' | 'publishing' | 'published' | 'failed' | 'cancelled'>;
  external_id: string | null;
  external_url: string | null;
  error: string | null;
  published_at: NullableTimestamp;
  attempts: Generated<number>;
  first_attempt_at: NullableTimestamp;
  attempt_started_at: NullableTimestamp;
  next_attempt_at: NullableTimestamp;
  uncertain: Generated<boolean>;
  error_code: string | null;
  error_reason: Json;
  notice: Json;
  parts: JsonDefault;
  updated_at: DefaultTimestamp;
  removed_at: NullableTimestamp;
  edited_at: NullableTimestamp;
}

export interface PublishAttemptsTable {
  id: Generated<string>;
  target_id: string;
  attempt: number;
  started_at: DefaultTimestamp;
  finished_at: NullableTimestamp;
  outcome: 'published' | 'transient' | 'uncertain' | 'auth' | 'permanent' | 'found' | 'not_found' | null;
  code: string | null;
  detail: string | null;
  worker: string | null;
}

export interface RateBucketsTable {
  key: string;
  capacity: number;
  refill_per_second: number;
  tokens: number;
  updated_at: DefaultTimestamp;
  blocked_until: NullableTimestamp;
}

export interface PostVersionsTable {
  post_id: string;
  version: number;
  author_id: string | null;
  action: string;
  snapshot: ColumnType<unknown, string, string>;
  created_at: DefaultTimestamp;
}

export interface PostApprovalsTable {
  id: Generated<string>;
  post_id: string;
  round: number;
  tier: number;
  approver_id: string;
  decision: 'approved' | 'changes_requested' | 'reviewed_after';
  note: string | null;
  created_at: DefaultTimestamp;
}

export interface PostCommentsTable {
  id: Generated<string>;
  post_id: string;
  author_id: string;
  body: string;
  mentions: Generated<string[]>;
  created_at: DefaultTimestamp;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  post_id: string | null;
  actor_id: string | null;
  excerpt: string | null;
  read_at: NullableTimestamp;
  created_at: DefaultTimestamp;
  /** When its e-mail job was queued (0004); null: not (yet). */
  mail_queued_at: NullableTimestamp;
}

export interface SensitiveTermsTable {
  id: Generated<string>;
  unit_id: string | null;
  term: string;
  category: 'sara' | 'hate' | 'unverified' | 'other';
  created_at: DefaultTimestamp;
}

export interface ArticlesTable {
  post_id: string;
  slug: string;
  unit_id: string;
  rubric_id: string | null;
  title: string;
  lead: Generated<string>;
  body_html: Generated<string>;
  body_text: Generated<string>;
  tags: Generated<string[]>;
  language: Generated<string>;
  author_initials: Generated<string>;
  urgent: Generated<boolean>;
  serta_merta: ColumnType<unknown, string | null | undefined, string | null>;
  live: Generated<boolean>;
  published_at: NullableTimestamp;
  corrected_at: NullableTimestamp;
  correction_note: string | null;
  withdrawn_at: NullableTimestamp;
  withdrawn_reason: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  /** Generated by the database (full-text search; the headline's for ranking); never written. */
  search: ColumnType<string, never, never>;
  search_head: ColumnType<string, never, never>;
}

export interface ShortLinksTable {
  code: string;
  post_id: string;
  network: string;
  created_at: DefaultTimestamp;
}

export interface LinkClicksTable {
  code: string;
  day: ColumnType<string, string, string>;
  clicks: Generated<number>;
}

export type FeedbackKind = 'question' | 'complaint' | 'suggestion';
export type FeedbackStatus = 'new' | 'answered' | 'closed' | 'spam';

export interface PortalFeedbackTable {
  id: Generated<string>;
  post_id: string;
  unit_id: string;
  kind: FeedbackKind;
  name: string | null;
  contact: string | null;
  message: string;
  status: Generated<FeedbackStatus>;
  note: string | null;
  handled_by: string | null;
  handled_at: NullableTimestamp;
  created_at: DefaultTimestamp;
}

export interface PortalPowSpentTable {
  challenge: string;
  expires_at: ColumnType<Date, Date | string, Date | string>;
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
  rubrics: RubricsTable;
  channels: ChannelsTable;
  oauth_states: OAuthStatesTable;
  media: MediaTable;
  approval_policies: ApprovalPoliciesTable;
  posts: PostsTable;
  post_media: PostMediaTable;
  post_variants: PostVariantsTable;
  post_targets: PostTargetsTable;
  post_versions: PostVersionsTable;
  post_approvals: PostApprovalsTable;
  post_comments: PostCommentsTable;
  notifications: NotificationsTable;
  sensitive_terms: SensitiveTermsTable;
  publish_attempts: PublishAttemptsTable;
  rate_buckets: RateBucketsTable;
  articles: ArticlesTable;
  short_links: ShortLinksTable;
  link_clicks: LinkClicksTable;
  portal_feedback: PortalFeedbackTable;
  portal_pow_spent: PortalPowSpentTable;
  kinerja_imports: KinerjaImportsTable;
  kinerja_goals: KinerjaGoalsTable;
  kinerja_indicators: KinerjaIndicatorsTable;
  kinerja_programmes: KinerjaProgrammesTable;
  kinerja_programme_progress: KinerjaProgrammeProgressTable;
  kinerja_history: KinerjaHistoryTable;
  kinerja_settings: KinerjaSettingsTable;
  regulations: RegulationsTable;
  regulation_posts: RegulationPostsTable;
}

export type UnitRow = Selectable<UnitsTable>;
export type NewUnit = Insertable<UnitsTable>;
export type UnitUpdate = Updateable<UnitsTable>;
export type UserRow = Selectable<UsersTable>;
export type MembershipRow = Selectable<MembershipsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type ChannelRow = Selectable<ChannelsTable>;
export type MediaRow = Selectable<MediaTable>;
export type PostRow = Selectable<PostsTable>;
export type PostVariantRow = Selectable<PostVariantsTable>;
export type PostTargetRow = Selectable<PostTargetsTable>;
export type PostMediaRow = Selectable<PostMediaTable>;
export type RubricRow = Selectable<RubricsTable>;

export type RegulationType = 'perda' | 'pergub' | 'perbup' | 'perwali' | 'keputusan' | 'surat_edaran';
export type RegulationStatus = 'berlaku' | 'dicabut' | 'diubah' | 'rancangan';
/** A calendar date as 'YYYY-MM-DD'. Always select it as text (`::text`): the drivers parse `date` differently. */
type DateText = ColumnType<string | null, string | null | undefined, string | null>;

/** A regulation and its plain-language explanation (0008). */
export interface RegulationsTable {
  id: Generated<string>;
  unit_id: string;
  region_unit_id: string;
  type: RegulationType;
  number: string;
  year: number;
  title: string;
  slug: string;
  enacted_on: DateText;
  in_force_on: DateText;
  status: Generated<RegulationStatus>;
  jdih_url: string | null;
  purpose: Generated<string>;
  reasons: Generated<string>;
  affected: Generated<string>;
  changes: Generated<string>;
  starts: Generated<string>;
  faq: ColumnType<unknown, string | undefined, string>;
  version: Generated<number>;
  created_by: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface RegulationPostsTable {
  regulation_id: string;
  post_id: string;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

/* ---- Kinerja (0007): numeric columns are read as decimal strings on both backends ---- */

type Numeric = ColumnType<string, string, string>;
type NullableNumeric = ColumnType<string | null, string | null | undefined, string | null>;

export interface KinerjaImportsTable {
  id: Generated<string>;
  unit_id: string;
  uploaded_by: string | null;
  file_name: string | null;
  file_kind: 'csv' | 'xlsx';
  bytes: number;
  sha256: string;
  content: Buffer | null;
  year: number | null;
  status: Generated<'pending' | 'applied'>;
  mapping: Json;
  summary: Json;
  created_at: DefaultTimestamp;
  applied_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  applied_by: string | null;
}

export interface KinerjaGoalsTable {
  id: Generated<string>;
  unit_id: string;
  year: number;
  name: string;
  name_key: string;
  position: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface KinerjaIndicatorsTable {
  id: Generated<string>;
  goal_id: string;
  unit_id: string;
  year: number;
  name: string;
  name_key: string;
  satuan: Generated<string>;
  target: NullableNumeric;
  realisasi: NullableNumeric;
  polarity: Generated<'higher' | 'lower'>;
  responsible_unit: string | null;
  data_source: string | null;
  notes: string | null;
  position: Generated<number>;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  updated_by: string | null;
}

export interface KinerjaProgrammesTable {
  id: Generated<string>;
  unit_id: string;
  year: number;
  name: string;
  name_key: string;
  satuan: Generated<string>;
  target: NullableNumeric;
  responsible_unit: string | null;
  notes: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  updated_by: string | null;
}

export interface KinerjaProgrammeProgressTable {
  programme_id: string;
  /** A calendar date, read as 'YYYY-MM-DD' (selected with to_char). */
  as_of: ColumnType<Date, string, string>;
  value: Numeric;
  note: string | null;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface KinerjaHistoryTable {
  id: Generated<string>;
  unit_id: string;
  entity_type: 'goal' | 'indicator' | 'programme';
  entity_id: string;
  action: 'create' | 'update' | 'delete' | 'progress';
  source: 'import' | 'edit';
  import_id: string | null;
  changed_by: string | null;
  changed_at: DefaultTimestamp;
  before: Json;
  after: Json;
}

export interface KinerjaSettingsTable {
  unit_id: string;
  bands: ColumnType<unknown, string, string>;
  max_capaian: NullableNumeric;
  updated_at: DefaultTimestamp;
  updated_by: string | null;
}
