/**
 * Public shapes of the network sandbox: simulated accounts, the posts they published, and the faults a test or a
 * trainer can inject. Nothing here is shared with the publishing connectors on purpose: the sandbox speaks only the
 * networks' public HTTP APIs.
 */
export const SANDBOX_NETWORKS = ['mastodon', 'bluesky', 'telegram', 'x', 'facebook', 'instagram', 'threads', 'linkedin', 'youtube', 'tiktok'] as const;
export type SandboxNetwork = (typeof SANDBOX_NETWORKS)[number];

export const SANDBOX_NETWORK_NAMES: Record<SandboxNetwork, string> = {
  mastodon: 'Mastodon', bluesky: 'Bluesky', telegram: 'Telegram', x: 'X', facebook: 'Facebook',
  instagram: 'Instagram', threads: 'Threads', linkedin: 'LinkedIn', youtube: 'YouTube', tiktok: 'TikTok',
};

export interface SandboxAccount {
  id: string;
  network: SandboxNetwork;
  handle: string;
  displayName: string;
  baseUrl: string;
  credentials: Record<string, string>;
  externalAccountId: string;
  /** A simulated citizen (replies to and likes the government's posts), not an account Siar publishes to. */
  citizen?: boolean;
}

export interface SandboxMedia {
  mime: string;
  alt: string;
  bytes: number;
}

export interface SandboxPost {
  id: string;
  accountId: string;
  text: string;
  createdAt: string;
  replyTo: string | null;
  media: SandboxMedia[];
  url: string;
  deleted: boolean;
}

export type Fault =
  | { kind: 'rate_limit'; retryAfterSeconds: number; times?: number }
  | { kind: 'server_error'; times?: number }
  | { kind: 'timeout'; ms: number; times?: number }
  /** A slow network: the request is handled normally after a delay. */
  | { kind: 'slow'; ms: number; times?: number }
  | { kind: 'lost_response'; times?: number }
  | { kind: 'expired_token'; times?: number }
  | { kind: 'daily_cap'; times?: number }
  /** Instagram/Threads: the next media container ends in status ERROR instead of FINISHED. */
  | { kind: 'container_error'; times?: number };

export type FaultScope = 'publish' | 'any';

export interface SandboxStats {
  created: number;
  requests: number;
  rejected: number;
}

export interface RateWindow {
  limit: number;
  windowSeconds: number;
}

export interface SandboxLimits {
  /** Mastodon: every authenticated request, per account (default 300 / 5 min). */
  mastodonRequests: RateWindow;
  /** Mastodon: media uploads per account (default 30 / 30 min). */
  mastodonMediaUploads: RateWindow;
  mastodonMaxCharacters: number;
  mastodonMaxMediaAttachments: number;
  /** How long a Mastodon Idempotency-Key is remembered (default 1 hour). */
  mastodonIdempotencySeconds: number;
  /** Bluesky: createSession per account (default 30 / 5 min). */
  blueskyCreateSession: RateWindow;
  /** Bluesky: write points per account; a created record costs 3 (default 5,000 / hour). */
  blueskyWritePoints: RateWindow;
  blueskyAccessTokenSeconds: number;
  blueskyRefreshTokenSeconds: number;
  blueskyMaxGraphemes: number;
  blueskyMaxBytes: number;
  blueskyMaxImageBytes: number;
  /** Telegram: messages per channel (default 20 / minute). */
  telegramMessagesPerChat: RateWindow;
  /** YouTube: Google access token lifetime (default 3,600 s; the token endpoint says expires_in 3599). */
  youtubeAccessTokenSeconds: number;
  /** YouTube: Data API quota units per Google Cloud project per day, reset at midnight Pacific time (default 10,000). */
  youtubeQuotaUnitsPerDay: number;
  /** YouTube: units one videos.insert costs (default 1,600; list calls cost 1, writes 50). */
  youtubeUploadQuotaCost: number;
  /** YouTube: how long an uploaded video stays `uploaded` before it is `processed` (default 3 s; tests use 0). */
  youtubeProcessingMs: number;
  /** TikTok: access token lifetime (default 24 h; a newer page says 2 h). */
  tiktokAccessTokenSeconds: number;
  /** TikTok: refresh token lifetime (default 365 days; a newer page says 180). Refresh tokens rotate. */
  tiktokRefreshTokenSeconds: number;
  /** TikTok: post init (video, photo, inbox) per access token (default 6 / minute). */
  tiktokPostInitPerToken: RateWindow;
  /** TikTok: creator_info/query per access token (default 20 / minute). */
  tiktokCreatorInfoPerToken: RateWindow;
  /** TikTok: status/fetch per access token (default 30 / minute). */
  tiktokStatusPerToken: RateWindow;
  /** TikTok: user/info, video/list and video/query, each (default 600 / minute). */
  tiktokDisplayPerToken: RateWindow;
  /** TikTok: direct posts per creator per day before spam_risk_too_many_posts (default 15, TikTok does not publish the figure). */
  tiktokPostsPerDay: RateWindow;
  /** TikTok: how long a publish stays PROCESSING_* once all bytes are in (default 3 s; tests use 0). */
  tiktokProcessingMs: number;
  /** TikTok: an audited API client may post publicly; an unaudited one only SELF_ONLY (default audited). */
  tiktokAuditedClient: boolean;
  /** X: POST /2/tweets per user (default 100 / 15 min). */
  xTweetsPerUser: RateWindow;
  /** X: POST /2/tweets per app, counted per client_id (default 10,000 / 24 h). */
  xTweetsPerApp: RateWindow;
  /** X: OAuth 2.0 user access token lifetime (default 2 hours). */
  xAccessTokenSeconds: number;
  /** X: an authorization code must be exchanged within this many seconds (default 30). */
  xAuthorizationCodeSeconds: number;
  /** X: weighted characters per post, counted by twitter-text (default 280). */
  xMaxWeightedLength: number;
  /** X: largest image upload (default 5 MB; GIFs 15 MB, videos 512 MB). */
  xMaxImageBytes: number;
  /** X: identical text from the same account within this window is refused as duplicate content (default 24 h). */
  xDuplicateWindowSeconds: number;
  /** LinkedIn: POST /rest/posts per member per day, reset at midnight UTC (default 150). */
  linkedinPostsPerMember: RateWindow;
  /** LinkedIn: access token lifetime (default 60 days). */
  linkedinAccessTokenSeconds: number;
  /** LinkedIn: programmatic refresh token lifetime, not extended by refreshing (default 365 days). */
  linkedinRefreshTokenSeconds: number;
  /** LinkedIn gives programmatic refresh tokens to approved partners only (default off). */
  linkedinRefreshTokens: boolean;
  /** LinkedIn: characters of post commentary (default 3,000). */
  linkedinMaxCharacters: number;
  /** Facebook: calls with a Page token, per Page (Business Use Case limit, default 4,800 / 24 h). */
  facebookPageCalls: RateWindow;
  /** Facebook: calls with a user token (Platform limit, default 200 / hour). */
  facebookUserCalls: RateWindow;
  /** Facebook: short-lived user token from the code exchange (default 1 hour). */
  facebookShortTokenSeconds: number;
  /** Facebook: long-lived user token from fb_exchange_token (default 60 days; Page tokens derived from it never expire). */
  facebookLongTokenSeconds: number;
  /** Instagram: API calls per account (Business Use Case limit, default 4,800 / 24 h). */
  instagramCalls: RateWindow;
  /** Instagram: posts published through the API per rolling 24 h (default 100). */
  instagramPostsPerDay: number;
  /** Instagram: media containers created per rolling 24 h (default 400). */
  instagramContainersPerDay: number;
  instagramShortTokenSeconds: number;
  instagramTokenSeconds: number;
  /** Instagram: how long a container stays IN_PROGRESS before FINISHED (default 1 s; tests use 0). */
  instagramContainerProcessingMs: number;
  /** Threads: API calls per account (4,800 × at least 10 impressions, default 48,000 / 24 h). */
  threadsCalls: RateWindow;
  /** Threads: posts per rolling 24 h (default 250) and replies per rolling 24 h (default 1,000). */
  threadsPostsPerDay: number;
  threadsRepliesPerDay: number;
  threadsShortTokenSeconds: number;
  threadsTokenSeconds: number;
  /** Threads: how long a container stays IN_PROGRESS before FINISHED (default 1 s; tests use 0). */
  threadsContainerProcessingMs: number;
}

export const defaultLimits: SandboxLimits = {
  mastodonRequests: { limit: 300, windowSeconds: 300 },
  mastodonMediaUploads: { limit: 30, windowSeconds: 1800 },
  mastodonMaxCharacters: 500,
  mastodonMaxMediaAttachments: 4,
  mastodonIdempotencySeconds: 3600,
  blueskyCreateSession: { limit: 30, windowSeconds: 300 },
  blueskyWritePoints: { limit: 5000, windowSeconds: 3600 },
  blueskyAccessTokenSeconds: 3600,
  blueskyRefreshTokenSeconds: 60 * 24 * 3600,
  blueskyMaxGraphemes: 300,
  blueskyMaxBytes: 3000,
  blueskyMaxImageBytes: 2_000_000,
  telegramMessagesPerChat: { limit: 20, windowSeconds: 60 },
  youtubeAccessTokenSeconds: 3600,
  youtubeQuotaUnitsPerDay: 10_000,
  youtubeUploadQuotaCost: 1600,
  youtubeProcessingMs: 3000,
  tiktokAccessTokenSeconds: 86_400,
  tiktokRefreshTokenSeconds: 365 * 86_400,
  tiktokPostInitPerToken: { limit: 6, windowSeconds: 60 },
  tiktokCreatorInfoPerToken: { limit: 20, windowSeconds: 60 },
  tiktokStatusPerToken: { limit: 30, windowSeconds: 60 },
  tiktokDisplayPerToken: { limit: 600, windowSeconds: 60 },
  tiktokPostsPerDay: { limit: 15, windowSeconds: 86_400 },
  tiktokProcessingMs: 3000,
  tiktokAuditedClient: true,
  xTweetsPerUser: { limit: 100, windowSeconds: 900 },
  xTweetsPerApp: { limit: 10_000, windowSeconds: 86_400 },
  xAccessTokenSeconds: 7200,
  xAuthorizationCodeSeconds: 30,
  xMaxWeightedLength: 280,
  xMaxImageBytes: 5 * 1024 * 1024,
  xDuplicateWindowSeconds: 86_400,
  linkedinPostsPerMember: { limit: 150, windowSeconds: 86_400 },
  linkedinAccessTokenSeconds: 60 * 24 * 3600,
  linkedinRefreshTokenSeconds: 365 * 24 * 3600,
  linkedinRefreshTokens: false,
  linkedinMaxCharacters: 3000,
  facebookPageCalls: { limit: 4800, windowSeconds: 86_400 },
  facebookUserCalls: { limit: 200, windowSeconds: 3600 },
  facebookShortTokenSeconds: 3600,
  facebookLongTokenSeconds: 60 * 24 * 3600,
  instagramCalls: { limit: 4800, windowSeconds: 86_400 },
  instagramPostsPerDay: 100,
  instagramContainersPerDay: 400,
  instagramShortTokenSeconds: 3600,
  instagramTokenSeconds: 60 * 24 * 3600,
  instagramContainerProcessingMs: 1000,
  threadsCalls: { limit: 48_000, windowSeconds: 86_400 },
  threadsPostsPerDay: 250,
  threadsRepliesPerDay: 1000,
  threadsShortTokenSeconds: 3600,
  threadsTokenSeconds: 60 * 24 * 3600,
  threadsContainerProcessingMs: 1000,
};

/** One port per simulated network (client libraries use root-relative paths), plus the web page. */
export type SandboxUrls = Record<SandboxNetwork | 'web', string>;

/** Port order when the sandbox takes a block of consecutive ports. */
export const SANDBOX_PORT_ORDER = ['mastodon', 'bluesky', 'telegram', 'web', 'x', 'facebook', 'instagram', 'threads', 'linkedin', 'youtube', 'tiktok'] as const satisfies readonly (SandboxNetwork | 'web')[];

export interface Sandbox {
  urls: SandboxUrls;
  createAccount(network: SandboxNetwork, options: { handle: string; displayName: string }): SandboxAccount;
  /**
   * Brings back an account with the identity and credentials it had (the sandbox keeps no state
   * across restarts; Siar re-creates its practice accounts from the channels it stored).
   */
  restoreAccount(network: SandboxNetwork, options: { handle: string; displayName: string; restore: RestoredAccount }): SandboxAccount;
  accounts(): SandboxAccount[];
  /** Newest first, including thread replies and deleted posts (flagged). */
  posts(accountId: string): SandboxPost[];
  /** Default scope: publishing endpoints only (status/record/message creation and media uploads). */
  injectFault(accountId: string, fault: Fault, onlyFor?: FaultScope): void;
  clearFaults(accountId: string): void;
  /** Counts of create calls that actually created a post, per account (for "published exactly once" checks). */
  stats(accountId: string): SandboxStats;
  /** Simulated citizens: one round of replies and likes now (they also act on their own with `citizens.intervalMs`). */
  citizensStep(): { replies: number; likes: number };
  close(): Promise<void>;
}

export interface StartSandboxOptions {
  host?: string;
  ports?: Partial<Record<SandboxNetwork | 'web', number>>;
  limits?: Partial<SandboxLimits>;
  /** Clock for token expiry and rate windows; tests swap it. */
  now?: () => number;
  /** Let simulated citizens reply and like on their own, one round every `intervalMs` (the demo); off by default. */
  citizens?: { intervalMs: number; random?: () => number };
}

/** What Siar kept of a sandbox account: enough to bring it back after a restart. */
export interface RestoredAccount {
  id: string;
  credentials: Record<string, string>;
  externalAccountId: string;
}
