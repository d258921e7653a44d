/**
 * TikTok's Open API v2 as Siar uses it: an authorised JSON call, the failure mapping every call goes
 * through (`call`), the creator's posting options (`creator_info/query`, which TikTok requires
 * before every post) and the shapes read back.
 */
import { ConnectorError } from '../../connector.ts';
import type { Credentials } from '../../connector.ts';
import { assertNotCancelled } from '../failure.ts';
import type { Exchange } from '../failure.ts';
import { tiktokFailure } from './errors.ts';
import { exchange, urlOf } from './http.ts';
import type { HttpClient } from './http.ts';

export interface TikTokClient {
  http: HttpClient;
  baseUrl: string;
  accessToken: string;
}

export function clientFor(http: HttpClient, baseUrl: string, credentials: Credentials): TikTokClient {
  const { accessToken } = credentials;
  if (!accessToken) {
    throw new ConnectorError('auth', 'missing_credentials', {
      id: 'Token akses TikTok belum tersimpan untuk kanal ini. Sambungkan ulang kanal.',
      en: 'No TikTok access token is stored for this channel. Reconnect the channel.',
    });
  }
  return { http, baseUrl, accessToken };
}

/** Runs one step and maps whatever it throws; `write` marks a step whose loss could duplicate a post. */
export async function call<T>(exchangeKind: Exchange, signal: AbortSignal, run: () => Promise<T>): Promise<T> {
  assertNotCancelled(signal);
  try {
    return await run();
  } catch (error) {
    throw tiktokFailure(error, exchangeKind, signal);
  }
}

/** `data` of an API answer. POST bodies are always JSON (`{}` when there is nothing to say). */
export async function api<T>(client: TikTokClient, method: 'GET' | 'POST', path: string, options: { query?: Record<string, string | number | undefined>; json?: unknown; signal: AbortSignal }): Promise<T> {
  const answer = await exchange(client.http, {
    method,
    url: urlOf(client.baseUrl, path, options.query),
    signal: options.signal,
    headers: { authorization: `Bearer ${client.accessToken}` },
    ...(method === 'POST' ? { json: options.json ?? {} } : {}),
  });
  return ((answer.body as { data?: T } | undefined)?.data ?? {}) as T;
}

export type PrivacyLevel = 'PUBLIC_TO_EVERYONE' | 'FOLLOWER_OF_CREATOR' | 'MUTUAL_FOLLOW_FRIENDS' | 'SELF_ONLY';

/** Most public first: followers reach more people than mutual friends. */
const PRIVACY_ORDER: readonly PrivacyLevel[] = ['PUBLIC_TO_EVERYONE', 'FOLLOWER_OF_CREATOR', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'];

export interface CreatorInfo {
  creator_username?: string;
  creator_nickname?: string;
  creator_avatar_url?: string;
  privacy_level_options?: string[];
  comment_disabled?: boolean;
  duet_disabled?: boolean;
  stitch_disabled?: boolean;
  max_video_post_duration_sec?: number;
}

export function creatorInfo(client: TikTokClient, signal: AbortSignal): Promise<CreatorInfo> {
  return api<CreatorInfo>(client, 'POST', '/v2/post/publish/creator_info/query/', { signal });
}

/** PUBLIC_TO_EVERYONE when TikTok offers it to this creator, else the most public option offered. */
export function choosePrivacy(options: readonly string[] | undefined): PrivacyLevel {
  const chosen = PRIVACY_ORDER.find((level) => options?.includes(level));
  if (!chosen) {
    throw new ConnectorError('permanent', 'no_privacy_option', {
      id: 'TikTok tidak menawarkan pilihan privasi apa pun untuk akun ini, sehingga tidak bisa memposting. Periksa akun di aplikasi TikTok.',
      en: 'TikTok offers no privacy option for this account, so it cannot post. Check the account in the TikTok app.',
    });
  }
  return chosen;
}

const AUDIENCE: Record<PrivacyLevel, { id: string; en: string }> = {
  PUBLIC_TO_EVERYONE: { id: 'semua orang', en: 'everyone' },
  FOLLOWER_OF_CREATOR: { id: 'pengikut saja', en: 'followers only' },
  MUTUAL_FOLLOW_FRIENDS: { id: 'teman (saling mengikuti) saja', en: 'friends (mutual followers) only' },
  SELF_ONLY: { id: 'hanya pemilik akun (privat)', en: 'the account owner only (private)' },
};

/** What a person should know when the post is not public. */
export function privacyNotice(level: PrivacyLevel): { id: string; en: string } | undefined {
  if (level === 'PUBLIC_TO_EVERYONE') return undefined;
  const audience = AUDIENCE[level];
  const why = level === 'SELF_ONLY'
    ? { id: ' Ini terjadi bila akun TikTok disetel privat atau aplikasi Siar belum lolos audit TikTok (aplikasi yang belum diaudit hanya boleh memposting secara privat).', en: ' This happens when the TikTok account is private or Siar\'s app has not passed TikTok\'s audit (an unaudited app may only post privately).' }
    : { id: ' Akun TikTok ini disetel privat.', en: ' This TikTok account is set to private.' };
  return {
    id: `TikTok tidak mengizinkan postingan publik untuk akun ini: postingan hanya terlihat oleh ${audience.id}.${why.id} Ubah privasinya di aplikasi TikTok bila perlu.`,
    en: `TikTok does not allow public posts for this account: the post is visible to ${audience.en}.${why.en} Change its privacy in the TikTok app if needed.`,
  };
}

export interface ListedVideo {
  id?: string;
  title?: string;
  video_description?: string;
  create_time?: number;
  share_url?: string;
  like_count?: number;
  comment_count?: number;
  share_count?: number;
  view_count?: number;
}

export const VIDEO_FIELDS = 'id,title,video_description,create_time,share_url,like_count,comment_count,share_count,view_count';

export interface PostStatus {
  status?: string;
  fail_reason?: string;
  /** TikTok's own spelling. */
  publicaly_available_post_id?: (string | number)[];
  uploaded_bytes?: number;
  downloaded_bytes?: number;
}

export function fetchStatus(client: TikTokClient, publishId: string, signal: AbortSignal): Promise<PostStatus> {
  return api<PostStatus>(client, 'POST', '/v2/post/publish/status/fetch/', { json: { publish_id: publishId }, signal });
}

/** TikTok's post ids are numbers; anything else we stored is the publish id of a post still without one. */
export function isPostId(id: string): boolean {
  return /^\d+$/.test(id);
}

export function postUrl(username: string | undefined, postId: string, kind: 'video' | 'photo'): string | null {
  return username ? `https://www.tiktok.com/@${encodeURIComponent(username)}/${kind}/${postId}` : null;
}

/** Equal for our purpose: the same characters after NFC, ignoring how whitespace was laid out. */
export function sameText(a: string, b: string): boolean {
  const norm = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}
