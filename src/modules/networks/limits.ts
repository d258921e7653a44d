// Owns: the per-network content limits as plain DATA (defaults) and how a
// per-channel override is merged onto them. No logic beyond merging lives here,
// so a limit change is a one-line data edit (or a channel override, e.g. a
// Mastodon instance that allows 1,000 characters).

export const NETWORKS = [
  'facebook', 'instagram', 'threads', 'x', 'tiktok',
  'youtube', 'linkedin', 'telegram', 'mastodon', 'bluesky', 'webhook',
] as const;
export type Network = (typeof NETWORKS)[number];
export type Unit = 'chars' | 'weighted' | 'graphemes' | 'bytes';
export type MediaKind = 'image' | 'video' | 'gif';

export const NETWORK_NAMES: Record<Network, string> = {
  facebook: 'Facebook', instagram: 'Instagram', threads: 'Threads', x: 'X',
  tiktok: 'TikTok', youtube: 'YouTube', linkedin: 'LinkedIn', telegram: 'Telegram',
  mastodon: 'Mastodon', bluesky: 'Bluesky', webhook: 'Webhook',
};

export type NetworkLimits = {
  /** How maxText is measured; see measure.ts for each network's reading. */
  unit: Unit;
  maxText: number;
  /** Telegram: a caption under media has its own, smaller limit. */
  maxTextWithMedia?: number | undefined;
  /** TikTok: warn (not fail) above this, some clients truncate there. */
  warnTextAbove?: number | undefined;
  /** Bluesky: second, byte-based limit on the same text. */
  maxBytes?: number | undefined;
  /** Mastodon: every URL counts as this many characters. (X uses twitter-text's own 23.) */
  charsPerUrl?: number | undefined;
  maxLinks?: number | undefined;
  maxHashtags?: number | undefined;
  maxMentions?: number | undefined;
  minMedia: number;
  maxMedia?: number | undefined;
  maxImages?: number | undefined;
  maxVideos?: number | undefined;
  maxGifs?: number | undefined;
  /** False when a post may carry only one kind (X, TikTok, Bluesky). */
  allowMixedMedia: boolean;
  /** Accepted MIME types per kind; an empty list means the kind is not supported. */
  mimes: Record<MediaKind, readonly string[]>;
  maxBytesByKind: Partial<Record<MediaKind, number>>;
  /** Image width/height ratio bounds (Instagram 4:5 .. 1.91:1). */
  minAspect?: number | undefined;
  maxAspect?: number | undefined;
  requireVideo?: boolean | undefined;
  requireTitle?: boolean | undefined;
  maxTitle?: number | undefined;
  /** Characters the network rejects in title and text (YouTube: < >). */
  forbiddenChars?: string | undefined;
  /** Characters we will escape before sending (LinkedIn "little text"). */
  escapedChars?: string | undefined;
  altTextExpected?: boolean | undefined;
};

export type LimitOverrides = Partial<Omit<NetworkLimits, 'unit' | 'mimes' | 'maxBytesByKind'>> & {
  mimes?: Partial<Record<MediaKind, readonly string[]>> | undefined;
  maxBytesByKind?: Partial<Record<MediaKind, number>> | undefined;
};

// Binary megabytes: Mastodon's defaults are exactly 16 MiB / 99 MiB, and the
// other networks' "MB" are treated the same way. Bluesky's is an exact byte count.
const MiB = 1024 * 1024;
const JPEG = 'image/jpeg';
const PNG = 'image/png';
const WEBP = 'image/webp';
const GIF = 'image/gif';
const MP4 = 'video/mp4';
const MOV = 'video/quicktime';
const WEBM = 'video/webm';

export const DEFAULT_LIMITS: Record<Network, NetworkLimits> = {
  facebook: {
    unit: 'chars', maxText: 63_206, minMedia: 0, allowMixedMedia: true,
    mimes: { image: [JPEG, PNG], video: [MP4, MOV], gif: [] }, maxBytesByKind: {},
  },
  instagram: {
    unit: 'chars', maxText: 2_200, maxHashtags: 30, maxMentions: 20,
    minMedia: 1, maxMedia: 10, allowMixedMedia: true,
    mimes: { image: [JPEG], video: [MP4, MOV], gif: [] }, maxBytesByKind: {},
    minAspect: 0.8, maxAspect: 1.91,
  },
  threads: {
    // 'chars' here means Threads' own count: emoji graphemes weigh their UTF-8 bytes.
    // maxMedia 20 is the Threads carousel ceiling.
    unit: 'chars', maxText: 500, maxLinks: 5, minMedia: 0, maxMedia: 20, allowMixedMedia: true,
    mimes: { image: [JPEG, PNG], video: [MP4, MOV], gif: [] }, maxBytesByKind: {},
  },
  x: {
    unit: 'weighted', maxText: 280, charsPerUrl: 23, minMedia: 0, maxMedia: 4,
    maxImages: 4, maxGifs: 1, maxVideos: 1, allowMixedMedia: false,
    mimes: { image: [JPEG, PNG, WEBP], video: [MP4, MOV], gif: [GIF] },
    maxBytesByKind: { image: 5 * MiB, gif: 15 * MiB },
  },
  tiktok: {
    unit: 'chars', maxText: 2_200, warnTextAbove: 2_000, minMedia: 1,
    maxImages: 35, maxVideos: 1, maxGifs: 0, allowMixedMedia: false,
    mimes: { image: [JPEG, WEBP], video: [MP4, MOV, WEBM], gif: [] }, maxBytesByKind: {},
  },
  youtube: {
    // The post text is the video description, limited in bytes.
    unit: 'bytes', maxText: 5_000, minMedia: 1, maxMedia: 1, maxVideos: 1,
    requireVideo: true, requireTitle: true, maxTitle: 100, forbiddenChars: '<>',
    allowMixedMedia: false,
    mimes: { image: [], video: [MP4, MOV, WEBM, 'video/x-msvideo', 'video/mpeg'], gif: [] },
    maxBytesByKind: {},
  },
  linkedin: {
    unit: 'chars', maxText: 3_000, minMedia: 0, allowMixedMedia: true,
    escapedChars: '\\|{}@[]()<>#*_~',
    mimes: { image: [JPEG, PNG, GIF], video: [MP4], gif: [GIF] }, maxBytesByKind: {},
  },
  telegram: {
    // maxMedia 10 = media group ceiling; a single item is sent alone, 2–10 as a group.
    unit: 'chars', maxText: 4_096, maxTextWithMedia: 1_024, minMedia: 0, maxMedia: 10,
    allowMixedMedia: true,
    mimes: { image: [JPEG, PNG, WEBP], video: [MP4, MOV, WEBM], gif: [GIF, MP4] },
    maxBytesByKind: { image: 10 * MiB, video: 50 * MiB, gif: 50 * MiB },
  },
  mastodon: {
    unit: 'chars', maxText: 500, charsPerUrl: 23, minMedia: 0, maxMedia: 4, allowMixedMedia: true,
    mimes: { image: [JPEG, PNG, WEBP, GIF], video: [MP4, MOV, WEBM], gif: [GIF] },
    maxBytesByKind: { image: 16 * MiB, gif: 16 * MiB, video: 99 * MiB },
  },
  bluesky: {
    unit: 'graphemes', maxText: 300, maxBytes: 3_000, minMedia: 0, maxMedia: 4,
    maxImages: 4, maxVideos: 1, maxGifs: 0, allowMixedMedia: false, altTextExpected: true,
    mimes: { image: [JPEG, PNG, WEBP], video: [MP4, MOV, WEBM], gif: [] },
    maxBytesByKind: { image: 2_000_000 },
  },
  // An outgoing webhook to another system (a PPID site, a regional portal, a chat bridge): the
  // whole master text, media as public links; the receiving system applies its own rules.
  webhook: {
    unit: 'chars', maxText: 100_000, minMedia: 0, allowMixedMedia: true,
    mimes: { image: [JPEG, PNG, WEBP, GIF], video: [MP4, MOV, WEBM], gif: [GIF] }, maxBytesByKind: {},
  },
};

/** Defaults for `network` with a channel's overrides applied (undefined fields are ignored). */
export function limitsFor(network: Network, overrides?: LimitOverrides): NetworkLimits {
  const base = DEFAULT_LIMITS[network];
  if (!overrides) return base;
  const merged: NetworkLimits = {
    ...base,
    mimes: { ...base.mimes },
    maxBytesByKind: { ...base.maxBytesByKind },
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined || key === 'mimes' || key === 'maxBytesByKind') continue;
    (merged as Record<string, unknown>)[key] = value;
  }
  for (const [kind, list] of Object.entries(overrides.mimes ?? {})) {
    if (list) merged.mimes[kind as MediaKind] = list;
  }
  for (const [kind, bytes] of Object.entries(overrides.maxBytesByKind ?? {})) {
    if (bytes !== undefined) merged.maxBytesByKind[kind as MediaKind] = bytes;
  }
  return merged;
}
