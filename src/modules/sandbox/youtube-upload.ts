/**
 * videos.insert through Google's resumable upload protocol: POST the metadata to /upload/youtube/v3/videos with
 * uploadType=resumable (answered 200 with a session URI in Location), then PUT the bytes there, whole or in chunks
 * with Content-Range (308 Resume Incomplete with a Range header until the last byte, then 201 with the video).
 * `Content-Range: bytes *\/N` asks how much has arrived. The video exists from the last byte on: `uploaded` at first,
 * `processed` once `youtubeProcessingMs` has passed.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StoredPost } from './store.ts';
import { bindAccount, sniffMime, str } from './http.ts';
import { admit, answerFault, googleError, scopeSets } from './youtube-guard.ts';
import type { YoutubeContext } from './youtube-guard.ts';
import {
  assignableCategories,
  descriptionProblem,
  newVideoId,
  partsOf,
  presentVideo,
  tagsProblem,
  titleProblem,
} from './youtube-present.ts';
import type { VideoExtra } from './youtube-present.ts';

interface VideoMetadata {
  title: string;
  description: string;
  tags: string[];
  categoryId: string;
  privacyStatus: string;
  publishAt: string | null;
  madeForKids: boolean;
  defaultLanguage: string | null;
}

interface UploadSession {
  accountId: string;
  parts: Set<string>;
  metadata: VideoMetadata;
  declaredType: string | undefined;
  chunks: Buffer[];
  received: number;
  videoId: string | null;
}

const sessions = new WeakMap<object, Map<string, UploadSession>>();

function sessionsOf(ctx: YoutubeContext): Map<string, UploadSession> {
  let map = sessions.get(ctx.store);
  if (!map) {
    map = new Map();
    sessions.set(ctx.store, map);
  }
  return map;
}

type Checked = { ok: true; metadata: VideoMetadata } | { ok: false; reason: string; message: string };

/** Validates a video resource's snippet and status as videos.insert and videos.update do. */
export function checkVideoMetadata(body: unknown, now: number, requireCategory: boolean): Checked {
  const resource = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const snippet = (resource.snippet && typeof resource.snippet === 'object' ? resource.snippet : {}) as Record<string, unknown>;
  const status = (resource.status && typeof resource.status === 'object' ? resource.status : {}) as Record<string, unknown>;
  const titleIssue = titleProblem(snippet.title);
  if (titleIssue) return { ok: false, reason: 'invalidTitle', message: titleIssue };
  const descriptionIssue = descriptionProblem(snippet.description);
  if (descriptionIssue) return { ok: false, reason: 'invalidDescription', message: descriptionIssue };
  const tagsIssue = tagsProblem(snippet.tags);
  if (tagsIssue) return { ok: false, reason: 'invalidTags', message: tagsIssue };
  const categoryId = str(snippet.categoryId);
  if ((categoryId === undefined && requireCategory) || (categoryId !== undefined && !assignableCategories.has(categoryId))) {
    return { ok: false, reason: 'invalidCategoryId', message: 'The <code>snippet.categoryId</code> property specifies an invalid category ID. Use the <code><a href="/youtube/v3/docs/videoCategories/list">videoCategories.list</a></code> method to retrieve supported categories.' };
  }
  const privacyStatus = str(status.privacyStatus) ?? 'public';
  if (!['public', 'unlisted', 'private'].includes(privacyStatus)) {
    return { ok: false, reason: 'invalidVideoMetadata', message: 'The request metadata is invalid.' };
  }
  const publishAt = str(status.publishAt) ?? null;
  if (publishAt !== null && (privacyStatus !== 'private' || Number.isNaN(Date.parse(publishAt)) || Date.parse(publishAt) <= now)) {
    return { ok: false, reason: 'invalidPublishAt', message: 'The request metadata specifies an invalid scheduled publishing time.' };
  }
  return {
    ok: true,
    metadata: {
      title: snippet.title as string,
      description: (snippet.description as string | undefined) ?? '',
      tags: (snippet.tags as string[] | undefined) ?? [],
      categoryId: categoryId ?? '22',
      privacyStatus,
      publishAt,
      madeForKids: status.selfDeclaredMadeForKids === true,
      defaultLanguage: str(snippet.defaultLanguage) ?? null,
    },
  };
}

/** Video containers YouTube can read: ISO BMFF (MP4/MOV), Matroska/WebM, AVI, FLV, MPEG-TS. */
function looksLikeVideo(data: Buffer): boolean {
  if (data.length < 12) return false;
  if (data.subarray(4, 8).toString('latin1') === 'ftyp') return true;
  if (data.readUInt32BE(0) === 0x1a45dfa3) return true;
  if (data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 11).toString('latin1') === 'AVI') return true;
  if (data.subarray(0, 3).toString('latin1') === 'FLV') return true;
  return data[0] === 0x47 && data.length > 188 && data[188] === 0x47;
}

function finishUpload(ctx: YoutubeContext, session: UploadSession): StoredPost {
  const { store } = ctx;
  const data = Buffer.concat(session.chunks);
  session.chunks = [data];
  const account = store.account(session.accountId);
  const sniffed = sniffMime(data, session.declaredType);
  const media = store.addMedia({ accountId: session.accountId, mime: sniffed.startsWith('video/') ? sniffed : 'video/mp4', alt: '', bytes: data.length, data });
  const id = newVideoId();
  const { metadata } = session;
  const extra: VideoExtra = {
    kind: 'video',
    categoryId: metadata.categoryId,
    tags: metadata.tags,
    publishAt: metadata.publishAt,
    madeForKids: metadata.madeForKids,
    defaultLanguage: metadata.defaultLanguage,
    processedAt: store.now() + store.limits.youtubeProcessingMs,
    // YouTube accepts any bytes and fails them in processing.
    failure: data.length === 0 ? 'emptyFile' : looksLikeVideo(data) ? null : 'invalidFile',
  };
  session.videoId = id;
  return store.addPost({
    id,
    accountId: session.accountId,
    network: 'youtube',
    title: metadata.title,
    text: metadata.description,
    createdAt: new Date(store.now()).toISOString(),
    replyTo: null,
    media: [{ mime: media.mime, alt: '', bytes: media.bytes }],
    mediaIds: [media.id],
    visibility: metadata.privacyStatus,
    url: `${ctx.webUrl()}/youtube/${encodeURIComponent(account?.handle ?? '')}#post-${id}`,
    deleted: false,
    extra,
  });
}

function resumeIncomplete(reply: FastifyReply, session: UploadSession): FastifyReply {
  if (session.received > 0) reply.header('Range', `bytes=0-${session.received - 1}`);
  return reply.code(308).header('Content-Length', '0').send();
}

export function registerYoutubeUpload(app: FastifyInstance, ctx: YoutubeContext): void {
  const { store } = ctx;

  app.post('/upload/youtube/v3/videos', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const part = str(query.part);
    if (!part) {
      return googleError(reply, 400, 'required', 'Required parameter: part', { domain: 'global', location: 'part', locationType: 'parameter' });
    }
    const admitted = await admit(ctx, request, reply, { publish: true, cost: store.limits.youtubeUploadQuotaCost, scopes: scopeSets.upload });
    if (!admitted) return reply;
    if (str(query.uploadType) !== 'resumable') {
      return googleError(reply, 400, 'badRequest', 'The sandbox simulates videos.insert with uploadType=resumable only.', { domain: 'global' });
    }
    const declaredType = str(request.headers['x-upload-content-type']);
    if (declaredType !== undefined && !declaredType.startsWith('video/') && declaredType !== 'application/octet-stream') {
      return googleError(reply, 400, 'badContent', `Media type '${declaredType}' is not supported. Valid media types: [video/*, application/octet-stream]`, { domain: 'global' });
    }
    const checked = checkVideoMetadata(request.body, store.now(), false);
    if (!checked.ok) return googleError(reply, 400, checked.reason, checked.message, { domain: 'youtube.video' });
    const uploadId = 'AUc' + randomBytes(30).toString('base64url');
    sessionsOf(ctx).set(uploadId, {
      accountId: admitted.account.id,
      parts: partsOf(part),
      metadata: checked.metadata,
      declaredType,
      chunks: [],
      received: 0,
      videoId: null,
    });
    const location = `${ctx.baseUrl()}/upload/youtube/v3/videos?uploadType=resumable&part=${encodeURIComponent(part)}&upload_id=${uploadId}`;
    return reply.code(200).header('Location', location).header('X-GUploader-UploadID', uploadId).header('Content-Length', '0').send();
  });

  app.put('/upload/youtube/v3/videos', async (request: FastifyRequest, reply: FastifyReply) => {
    const uploadId = str((request.query as Record<string, unknown>).upload_id) ?? '';
    const session = sessionsOf(ctx).get(uploadId);
    if (!session) return googleError(reply, 404, 'notFound', 'Not Found', { domain: 'global' });
    bindAccount(store, request, session.accountId);
    const finished = session.videoId ? store.findPost('youtube', session.videoId) : undefined;
    if (finished) return reply.code(200).send(presentVideo(ctx, finished, session.parts, true));
    if (await answerFault(store, request, reply, store.takeFault(session.accountId, true))) return reply;
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const range = request.headers['content-range'];
    let total: number | null = null;
    if (typeof range === 'string') {
      const query = /^bytes \*\/(\d+|\*)$/.exec(range);
      const chunk = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(range);
      if (query) {
        // A status query: how much has the server got?
        if (query[1] === '*' || session.received < Number(query[1])) return resumeIncomplete(reply, session);
        total = Number(query[1]);
      } else if (chunk) {
        const start = Number(chunk[1]);
        const end = Number(chunk[2]);
        if (end < start || end - start + 1 !== body.length) {
          return googleError(reply, 400, 'badRequest', 'Failed to parse Content-Range header.', { domain: 'global' });
        }
        // A chunk that does not continue where the server stands is ignored; the Range header tells the client.
        if (start !== session.received) return resumeIncomplete(reply, session);
        session.chunks.push(body);
        session.received += body.length;
        total = chunk[3] === '*' ? null : Number(chunk[3]);
      } else {
        return googleError(reply, 400, 'badRequest', 'Failed to parse Content-Range header.', { domain: 'global' });
      }
    } else {
      session.chunks = [body];
      session.received = body.length;
      total = body.length;
    }
    if (total === null || session.received < total) return resumeIncomplete(reply, session);
    const post = finishUpload(ctx, session);
    return reply.code(201).send(presentVideo(ctx, post, session.parts, true));
  });
}
