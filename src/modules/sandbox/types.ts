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
  | { kind: 'daily_cap'; times?: number };

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
