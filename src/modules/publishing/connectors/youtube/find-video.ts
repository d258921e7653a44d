/**
 * Recognising our own upload on a channel after an uncertain outcome: the videos in the channel's
 * uploads playlist added since the first attempt whose title and description are exactly the ones
 * we sent. The uploads playlist costs one quota unit a page (a search would cost a hundred), lists
 * private and unlisted videos to their owner, and is newest first.
 */
import { api, myChannel, sameText } from './api.ts';
import type { ListAnswer, PlaylistItemResource, YouTubeClient } from './api.ts';
import type { VideoMetadata } from './upload.ts';

/** Google's and our clocks differ a little; a video stamped this much before the first attempt still counts. */
const CLOCK_SKEW_MS = 2 * 60_000;
const MAX_PAGES = 3;

export async function findUploadedVideo(client: YouTubeClient, metadata: VideoMetadata, since: Date, signal: AbortSignal): Promise<string | null> {
  const channel = await myChannel(client, signal);
  const playlistId = channel.contentDetails?.relatedPlaylists?.uploads;
  if (!playlistId) return null;
  const from = since.getTime() - CLOCK_SKEW_MS;
  const candidates: { videoId: string; at: number; item: PlaylistItemResource }[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api<ListAnswer<PlaylistItemResource>>(client, 'GET', '/youtube/v3/playlistItems', {
      query: { part: 'snippet,contentDetails', playlistId, maxResults: 50, pageToken },
      signal,
    });
    const items = answer.items ?? [];
    let older = false;
    for (const item of items) {
      const videoId = item.contentDetails?.videoId ?? item.snippet?.resourceId?.videoId;
      const at = Date.parse(item.snippet?.publishedAt ?? item.contentDetails?.videoPublishedAt ?? '');
      if (!videoId) continue;
      if (Number.isFinite(at) && at < from) {
        older = true;
        continue;
      }
      candidates.push({ videoId, at: Number.isFinite(at) ? at : Number.MAX_SAFE_INTEGER, item });
    }
    pageToken = answer.nextPageToken;
    if (older || !pageToken || items.length === 0) break;
  }
  // Oldest first: should a double exist (made outside Siar), the first one we made is ours.
  candidates.sort((a, b) => a.at - b.at);
  const match = candidates.find(({ item }) => sameText(item.snippet?.title ?? '', metadata.title) && sameText(item.snippet?.description ?? '', metadata.description));
  return match?.videoId ?? null;
}
