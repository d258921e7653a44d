/**
 * Uploading one video with YouTube's resumable upload protocol: open a session (POST with the
 * metadata), PUT the bytes to the session URI, and read back the video resource.
 *
 * Exactly once: opening a session creates nothing anyone sees, so only the PUT is a write. When
 * its answer is lost (or a server error follows it), the session itself is asked how far it got
 * (`PUT` with `Content-Range: bytes *\/size`, as Google's guide describes): a finished session
 * answers with the video it made, an unfinished one with 308 and the bytes it holds, and only the
 * missing bytes are sent again. Only when that question fails too does the upload end "uncertain",
 * and `findPublished` then looks in the channel's uploads.
 */
import { ConnectorError } from '../../connector.ts';
import { pause } from '../failure.ts';
import { authorised, api, call } from './api.ts';
import type { ListAnswer, VideoResource, YouTubeClient } from './api.ts';
import { urlOf } from './http.ts';

export interface VideoMetadata {
  title: string;
  description: string;
}

export interface UploadOptions {
  client: YouTubeClient;
  bytes: Uint8Array;
  mime: string;
  metadata: VideoMetadata;
  privacyStatus: 'public' | 'unlisted' | 'private';
  categoryId: string;
  language: string;
  signal: AbortSignal;
}

export async function uploadVideo(options: UploadOptions): Promise<VideoResource> {
  const { client, bytes, mime, metadata, signal } = options;
  const size = bytes.byteLength;
  const session = await call('read', signal, async () => {
    const answer = await authorised(client, {
      method: 'POST',
      url: urlOf(client.baseUrl, '/upload/youtube/v3/videos', { uploadType: 'resumable', part: 'snippet,status' }),
      signal,
      headers: { 'x-upload-content-length': String(size), 'x-upload-content-type': mime },
      json: {
        snippet: { title: metadata.title, description: metadata.description, categoryId: options.categoryId, defaultLanguage: options.language },
        status: { privacyStatus: options.privacyStatus, selfDeclaredMadeForKids: false, embeddable: true },
      },
    });
    const location = answer.headers.get('location');
    if (!location) {
      throw new ConnectorError('transient', 'unreadable_response', {
        id: 'YouTube tidak memberi alamat sesi unggah; akan dicoba lagi.',
        en: 'YouTube gave no upload session address; will try again.',
      });
    }
    return new URL(location, client.baseUrl).toString();
  });

  const put = (from: number) => call('write', signal, async () => {
    const answer = await authorised(client, {
      method: 'PUT',
      url: session,
      signal,
      headers: {
        'content-type': mime,
        ...(from > 0 ? { 'content-range': `bytes ${from}-${size - 1}/${size}` } : {}),
      },
      bytes: from > 0 ? bytes.subarray(from) : bytes,
    });
    return answer.body as VideoResource;
  });

  try {
    return await put(0);
  } catch (error) {
    if (!(error instanceof ConnectorError) || !mayHaveArrived(error)) throw error;
    const state = await sessionState(client, session, size, signal).catch(() => undefined);
    if (state === undefined) throw error;
    if ('video' in state) return state.video;
    if (state.received >= size) throw error;
    return put(state.received);
  }
}

/** A failure after the bytes may have reached Google: the session knows whether they did. */
function mayHaveArrived(error: ConnectorError): boolean {
  return error.kind === 'uncertain' || (error.kind === 'transient' && (error.status ?? 0) >= 500);
}

/** Asks an upload session how far it got (Google's "check the status of an interrupted upload"). */
async function sessionState(client: YouTubeClient, session: string, size: number, signal: AbortSignal): Promise<{ video: VideoResource } | { received: number }> {
  const answer = await call('read', signal, () => authorised(client, {
    method: 'PUT',
    url: session,
    signal,
    headers: { 'content-range': `bytes */${size}` },
    accept: [308],
  }));
  if (answer.status === 308) {
    // "Range: bytes=0-42" means bytes 0..42 arrived; no Range means none did.
    const match = /bytes=0-(\d+)/.exec(answer.headers.get('range') ?? '');
    return { received: match ? Number(match[1]) + 1 : 0 };
  }
  const video = answer.body as VideoResource | undefined;
  if (!video?.id) throw new Error('upload session answered without a video');
  return { video };
}

const REJECTIONS: Record<string, { id: string; en: string }> = {
  duplicate: { id: 'video yang sama persis sudah pernah diunggah ke kanal ini', en: 'the exact same video was already uploaded to this channel' },
  length: { id: 'durasi video melebihi batas kanal ini', en: 'the video is longer than this channel allows' },
  copyright: { id: 'pelanggaran hak cipta', en: 'a copyright infringement' },
  claim: { id: 'klaim hak cipta', en: 'a copyright claim' },
  termsOfUse: { id: 'melanggar ketentuan layanan YouTube', en: 'it breaks YouTube\'s terms of service' },
  inappropriate: { id: 'konten dianggap tidak pantas', en: 'the content was deemed inappropriate' },
  codec: { id: 'codec video tidak didukung', en: 'the video codec is not supported' },
  conversion: { id: 'video gagal dikonversi', en: 'the video could not be converted' },
  emptyFile: { id: 'berkas video kosong', en: 'the video file is empty' },
  invalidFile: { id: 'berkas bukan video yang sah', en: 'the file is not a valid video' },
  tooSmall: { id: 'berkas video terlalu kecil', en: 'the video file is too small' },
  uploadAborted: { id: 'unggahan terputus', en: 'the upload was aborted' },
};

/** YouTube's verdict on an uploaded video, read from its status; throws when it was refused. */
export function assertAccepted(video: VideoResource): void {
  const status = video.status?.uploadStatus;
  if (status !== 'rejected' && status !== 'failed') return;
  const why = video.status?.rejectionReason ?? video.status?.failureReason ?? status;
  const said = REJECTIONS[why] ?? { id: why, en: why };
  throw new ConnectorError('permanent', why === 'duplicate' ? 'duplicate_content' : 'media_rejected', {
    id: `YouTube menolak video setelah diunggah: ${said.id}.`,
    en: `YouTube refused the video after upload: ${said.en}.`,
  });
}

/**
 * Waits a little for YouTube to finish processing, only to catch a refusal (duplicate, bad file)
 * while the person is still looking. Any other trouble while waiting changes nothing: the video
 * is up, and a failure here must never turn a made post into a retry.
 */
export async function awaitProcessing(client: YouTubeClient, video: VideoResource, options: { waitMs: number; pollMs: number; now: () => number; signal: AbortSignal }): Promise<void> {
  assertAccepted(video);
  const deadline = options.now() + options.waitMs;
  let status = video.status?.uploadStatus;
  while ((status === undefined || status === 'uploaded') && options.now() + options.pollMs <= deadline) {
    let current: VideoResource | undefined;
    try {
      await pause(options.pollMs, options.signal);
      const answer = await api<ListAnswer<VideoResource>>(client, 'GET', '/youtube/v3/videos', { query: { part: 'status', id: video.id }, signal: options.signal });
      current = answer.items?.[0];
    } catch {
      return;
    }
    if (!current) return;
    assertAccepted(current);
    status = current.status?.uploadStatus;
  }
}
