/**
 * The YouTube Data API as Siar uses it: an authorised JSON call, the failure mapping every call
 * goes through (`call`), and the few resource shapes read back. Paths are the production paths,
 * appended to the channel's API root (Google's, or the sandbox serving the same paths).
 */
import { ConnectorError } from '../../connector.ts';
import type { Credentials } from '../../connector.ts';
import { assertNotCancelled } from '../failure.ts';
import type { Exchange } from '../failure.ts';
import { youtubeFailure } from './errors.ts';
import { exchange, urlOf } from './http.ts';
import type { Answer, HttpClient } from './http.ts';

export interface YouTubeClient {
  http: HttpClient;
  baseUrl: string;
  accessToken: string;
}

export function clientFor(http: HttpClient, baseUrl: string, credentials: Credentials): YouTubeClient {
  const { accessToken } = credentials;
  if (!accessToken) {
    throw new ConnectorError('auth', 'missing_credentials', {
      id: 'Token akses YouTube belum tersimpan untuk kanal ini. Sambungkan ulang kanal.',
      en: 'No YouTube access token is stored for this channel. Reconnect the channel.',
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
    throw youtubeFailure(error, exchangeKind, signal);
  }
}

type Query = Record<string, string | number | boolean | undefined>;

export async function api<T>(client: YouTubeClient, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: { query?: Query; json?: unknown; signal: AbortSignal }): Promise<T> {
  const answer = await exchange(client.http, {
    method,
    url: urlOf(client.baseUrl, path, options.query),
    signal: options.signal,
    headers: { authorization: `Bearer ${client.accessToken}` },
    ...(options.json !== undefined ? { json: options.json } : {}),
  });
  return answer.body as T;
}

/** A raw exchange against an absolute URL (the upload session), authorised. */
export function authorised(client: YouTubeClient, request: Omit<Parameters<typeof exchange>[1], 'headers'> & { headers?: Record<string, string> }): Promise<Answer> {
  return exchange(client.http, { ...request, headers: { authorization: `Bearer ${client.accessToken}`, ...request.headers } });
}

export interface VideoResource {
  id: string;
  snippet?: { title?: string; description?: string; channelId?: string; categoryId?: string; publishedAt?: string; tags?: string[]; defaultLanguage?: string };
  status?: { uploadStatus?: string; privacyStatus?: string; failureReason?: string; rejectionReason?: string };
  statistics?: { viewCount?: string; likeCount?: string; commentCount?: string };
}

export interface ListAnswer<T> {
  items?: T[];
  nextPageToken?: string;
}

export interface ChannelResource {
  id: string;
  snippet?: { title?: string; customUrl?: string; thumbnails?: Record<string, { url?: string }> };
  contentDetails?: { relatedPlaylists?: { uploads?: string } };
}

export interface PlaylistItemResource {
  snippet?: { title?: string; description?: string; publishedAt?: string; resourceId?: { videoId?: string } };
  contentDetails?: { videoId?: string; videoPublishedAt?: string };
}

export interface CommentResource {
  id: string;
  snippet?: {
    textOriginal?: string;
    textDisplay?: string;
    authorDisplayName?: string;
    authorProfileImageUrl?: string;
    authorChannelUrl?: string;
    authorChannelId?: { value?: string };
    likeCount?: number;
    publishedAt?: string;
    parentId?: string;
    videoId?: string;
  };
}

export interface CommentThreadResource {
  id: string;
  snippet?: { videoId?: string; topLevelComment?: CommentResource; totalReplyCount?: number };
  replies?: { comments?: CommentResource[] };
}

export function videoUrl(videoId: string): string {
  return `https://www.youtube.com/watch?v=${encodeURIComponent(videoId)}`;
}

export function commentUrl(videoId: string, commentId: string): string {
  return `${videoUrl(videoId)}&lc=${encodeURIComponent(commentId)}`;
}

/** The signed-in channel (`mine=true`): its id, name, handle and uploads playlist. */
export async function myChannel(client: YouTubeClient, signal: AbortSignal): Promise<ChannelResource> {
  const answer = await api<ListAnswer<ChannelResource>>(client, 'GET', '/youtube/v3/channels', { query: { part: 'snippet,contentDetails', mine: true }, signal });
  const channel = answer.items?.[0];
  if (!channel) {
    throw new ConnectorError('auth', 'no_channel', {
      id: 'Akun Google yang tersambung belum punya kanal YouTube. Buat kanal di YouTube, atau sambungkan ulang dengan akun kanal yang benar.',
      en: 'The connected Google account has no YouTube channel. Create one on YouTube, or reconnect with the channel\'s account.',
    });
  }
  return channel;
}

/** Equal for our purpose: the same characters after NFC, ignoring how whitespace was laid out. */
export function sameText(a: string, b: string): boolean {
  const norm = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}
