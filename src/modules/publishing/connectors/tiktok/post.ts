/**
 * Sending one TikTok post (Direct Post): a video uploaded from Siar in chunks (FILE_UPLOAD), or up to
 * 35 photos TikTok pulls from Siar's public media URLs (PULL_FROM_URL); then following the post's
 * status until TikTok says it is published.
 *
 * Exactly once: the init is the write (for photos it alone makes the post). A lost answer to the
 * last chunk is settled with the publish id we hold: status/fetch says how many bytes TikTok has,
 * and only a chunk it lacks is sent again.
 *
 * TikTok publishes asynchronously (processing, then moderation for public posts, which "usually
 * finishes within a minute, sometimes hours"). Once TikTok holds the whole post it is made: if it
 * is still processing when our wait ends, the post counts as published under its publish id, and
 * the post id is read later (fetchMetrics resolves it).
 */
import { ConnectorError } from '../../connector.ts';
import type { OutgoingMedia } from '../../connector.ts';
import { pause } from '../failure.ts';
import { api, call, fetchStatus } from './api.ts';
import type { PostStatus, PrivacyLevel, TikTokClient } from './api.ts';
import { namedFailure } from './errors.ts';
import { exchange } from './http.ts';

const MiB = 1024 * 1024;
const MIN_CHUNK = 5 * MiB;
const MAX_CHUNK = 64 * MiB;
const MAX_CHUNKS = 1000;
export const MAX_PHOTOS = 35;
/** Photo post titles are cut by TikTok at 90 UTF-16 units; the caption goes in the description. */
const MAX_PHOTO_TITLE = 90;

/**
 * TikTok's chunk rules: a file under 5 MB goes whole; otherwise chunks of 5–64 MB, their count
 * the size divided by the chunk size rounded down (the last chunk takes the rest), at most 1,000.
 */
export function chunkPlan(size: number, preferred = 10 * MiB): { chunkSize: number; count: number } {
  const wanted = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, preferred));
  if (size <= wanted) return { chunkSize: size, count: 1 };
  const chunkSize = Math.max(wanted, Math.ceil(size / MAX_CHUNKS));
  return { chunkSize, count: Math.floor(size / chunkSize) };
}

/** Byte ranges of each chunk, inclusive, the last one reaching the end of the file. */
export function chunkRanges(size: number, plan: { chunkSize: number; count: number }): { first: number; last: number }[] {
  return Array.from({ length: plan.count }, (_, index) => ({
    first: index * plan.chunkSize,
    last: index === plan.count - 1 ? size - 1 : (index + 1) * plan.chunkSize - 1,
  }));
}

export interface PostSettings {
  caption: string;
  title: string | null;
  privacy: PrivacyLevel;
  disableComment: boolean;
  disableDuet: boolean;
  disableStitch: boolean;
}

export async function sendVideo(client: TikTokClient, video: OutgoingMedia, settings: PostSettings, options: { chunkSize: number; uploadHttp: TikTokClient['http']; signal: AbortSignal }): Promise<string> {
  const { signal } = options;
  const bytes = await video.read();
  const size = bytes.byteLength;
  const plan = chunkPlan(size, options.chunkSize);
  const init = await call('write', signal, () => api<{ publish_id?: string; upload_url?: string }>(client, 'POST', '/v2/post/publish/video/init/', {
    json: {
      post_info: {
        title: settings.caption,
        privacy_level: settings.privacy,
        disable_comment: settings.disableComment,
        disable_duet: settings.disableDuet,
        disable_stitch: settings.disableStitch,
      },
      source_info: { source: 'FILE_UPLOAD', video_size: size, chunk_size: plan.chunkSize, total_chunk_count: plan.count },
    },
    signal,
  }));
  const publishId = init.publish_id;
  const uploadUrl = init.upload_url;
  if (!publishId || !uploadUrl) {
    // Without an upload address nothing can reach TikTok, so nothing was posted.
    throw new ConnectorError('transient', 'unreadable_response', {
      id: 'TikTok tidak memberi alamat unggah; akan dicoba lagi.',
      en: 'TikTok gave no upload address; will try again.',
    });
  }
  const target = new URL(uploadUrl, client.baseUrl).toString();
  const ranges = chunkRanges(size, plan);
  const putChunk = (index: number) => {
    const { first, last } = ranges[index]!;
    // Only the last chunk can complete the post; losing an earlier one's answer duplicates nothing.
    return call(index === ranges.length - 1 ? 'write' : 'read', signal, () => exchange(options.uploadHttp, {
      method: 'PUT',
      url: target,
      signal,
      headers: { 'content-type': video.mime, 'content-range': `bytes ${first}-${last}/${size}` },
      bytes: bytes.subarray(first, last + 1),
    }));
  };
  for (let index = 0; index < ranges.length - 1; index++) await putChunk(index);
  try {
    await putChunk(ranges.length - 1);
  } catch (error) {
    if (!(error instanceof ConnectorError) || (error.kind !== 'uncertain' && !(error.kind === 'transient' && (error.status ?? 0) >= 500))) throw error;
    const state = await call('read', signal, () => fetchStatus(client, publishId, signal)).catch(() => undefined);
    if (!state) throw error;
    const stillUploading = state.status === 'PROCESSING_UPLOAD' && (state.uploaded_bytes ?? 0) < size;
    if (!stillUploading) return publishId;
    await putChunk(ranges.length - 1);
  }
  return publishId;
}

export async function sendPhotos(client: TikTokClient, photos: OutgoingMedia[], settings: PostSettings, signal: AbortSignal): Promise<string> {
  const title = settings.title ? cutUtf16(settings.title, MAX_PHOTO_TITLE) : undefined;
  const init = await call('write', signal, () => api<{ publish_id?: string }>(client, 'POST', '/v2/post/publish/content/init/', {
    json: {
      post_info: {
        ...(title ? { title } : {}),
        description: settings.caption,
        privacy_level: settings.privacy,
        disable_comment: settings.disableComment,
      },
      source_info: { source: 'PULL_FROM_URL', photo_images: photos.map((p) => p.url), photo_cover_index: 0 },
      post_mode: 'DIRECT_POST',
      media_type: 'PHOTO',
    },
    signal,
  }));
  if (!init.publish_id) {
    throw new ConnectorError('uncertain', 'unreadable_response', {
      id: 'TikTok menerima postingan foto tanpa memberi nomor kiriman; postingan mungkin sudah dibuat.',
      en: 'TikTok took the photo post without a publish id; the post may have been made.',
    });
  }
  return init.publish_id;
}

/** Cut at a UTF-16 length without splitting a character. */
function cutUtf16(text: string, max: number): string {
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out.trim();
}

export type Settled = { postId: string | null; status: string };

/**
 * Follows status/fetch until TikTok has published the post or refused it, for at most `waitMs`.
 * A refusal throws; anything else (still processing, a status call that fails) leaves the post
 * as TikTok took it.
 */
export async function settle(client: TikTokClient, publishId: string, options: { waitMs: number; pollMs: number; now: () => number; signal: AbortSignal; public: boolean }): Promise<Settled> {
  const deadline = options.now() + options.waitMs;
  let last: PostStatus | undefined;
  for (let first = true; first || options.now() + options.pollMs <= deadline; first = false) {
    try {
      if (!first) await pause(options.pollMs, options.signal);
      last = await fetchStatus(client, publishId, options.signal);
    } catch {
      break;
    }
    if (last.status === 'FAILED') {
      const reason = last.fail_reason ?? 'unknown';
      throw namedFailure(reason, undefined, reason, last) ?? new ConnectorError('permanent', 'rejected', {
        id: `TikTok gagal menerbitkan postingan ini (alasan: ${reason}).`,
        en: `TikTok could not publish this post (reason: ${reason}).`,
      });
    }
    const ids = last.publicaly_available_post_id ?? [];
    if (last.status === 'PUBLISH_COMPLETE' && ids.length > 0) return { postId: String(ids[0]), status: last.status };
    // A post that is not public never gets a public post id; a public one may get it minutes later.
    if ((last.status === 'PUBLISH_COMPLETE' && !options.public) || last.status === 'SEND_TO_USER_INBOX') break;
  }
  return { postId: null, status: last?.status ?? 'UNKNOWN' };
}
