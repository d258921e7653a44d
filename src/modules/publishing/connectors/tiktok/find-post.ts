/**
 * Recognising our own post on a TikTok account after an uncertain outcome: the posts listed by
 * /v2/video/list/ (newest first) created since the first attempt whose caption is exactly ours.
 *
 * What the list cannot show: TikTok lists only public posts, and a public post only after its
 * moderation (usually within a minute). So a post that is not found may still exist when it was
 * posted privately, or very recently; the connector decides what "not found" means (connector.ts).
 */
import { api, sameText, VIDEO_FIELDS } from './api.ts';
import type { ListedVideo, TikTokClient } from './api.ts';

/** TikTok's and our clocks differ a little; a post stamped this much before the first attempt still counts. */
const CLOCK_SKEW_MS = 2 * 60_000;
const MAX_PAGES = 3;

export async function findOwnPost(client: TikTokClient, caption: string, since: Date, signal: AbortSignal): Promise<ListedVideo | null> {
  const from = since.getTime() - CLOCK_SKEW_MS;
  const candidates: ListedVideo[] = [];
  let cursor: number | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data = await api<{ videos?: ListedVideo[]; cursor?: number; has_more?: boolean }>(client, 'POST', '/v2/video/list/', {
      query: { fields: VIDEO_FIELDS },
      json: { max_count: 20, ...(cursor !== undefined ? { cursor } : {}) },
      signal,
    });
    const videos = data.videos ?? [];
    let older = false;
    for (const video of videos) {
      const at = (video.create_time ?? 0) * 1000;
      if (video.create_time !== undefined && at < from) {
        older = true;
        continue;
      }
      candidates.push(video);
    }
    if (older || !data.has_more || videos.length === 0 || data.cursor === undefined) break;
    cursor = data.cursor;
  }
  // Oldest first: should a double exist (made outside Siar), the first one we made is ours.
  candidates.sort((a, b) => (a.create_time ?? 0) - (b.create_time ?? 0));
  return candidates.find((v) => v.id && (sameText(v.video_description ?? '', caption) || sameText(v.title ?? '', caption))) ?? null;
}
