/**
 * X API v2 media upload as twitter-api-v2's `v2.uploadMedia` and `v2.createMediaMetadata` use it: the one-shot
 * `POST /2/media/upload` (also with the older INIT/APPEND/FINALIZE commands), the chunked initialize / append /
 * finalize endpoints, STATUS polling for videos, and alt text through `POST /2/media/metadata`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { StoredMedia } from './store.ts';
import type { SandboxAccount } from './types.ts';
import { readBody, sniffMime, str } from './http.ts';
import { guard, xEndpoints } from './x-auth.ts';
import { invalidRequest, xSnowflake, xState } from './x-state.ts';
import type { XContext, XUpload } from './x-state.ts';
import { mediaKeyOf } from './x-present.ts';

const expiresAfterSeconds = 86_400;
const imageTypes = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/bmp', 'image/tiff', 'image/pjpeg']);
const videoTypes = new Set(['video/mp4', 'video/quicktime', 'video/webm', 'video/mp2t']);

function categoryFor(mime: string, declared: string | undefined): string {
  if (declared) return declared;
  if (mime === 'image/gif') return 'tweet_gif';
  return mime.startsWith('video/') ? 'tweet_video' : 'tweet_image';
}

/** The size a category allows, or a reason the type is refused. */
function checkUpload(ctx: XContext, mime: string, category: string, bytes: number): string | undefined {
  const isGif = mime === 'image/gif';
  const isVideo = videoTypes.has(mime);
  if (!isGif && !isVideo && !imageTypes.has(mime)) return `media_type ${mime} is not supported.`;
  const max = isVideo ? 512 * 1024 * 1024 : isGif ? 15 * 1024 * 1024 : ctx.store.limits.xMaxImageBytes;
  if (bytes > max) return `File size exceeds ${max} bytes.`;
  if (category.startsWith('dm_')) return `media_category ${category} cannot be attached to a post.`;
  return undefined;
}

function mediaResponse(media: StoredMedia, withProcessing: boolean): Record<string, unknown> {
  const data: Record<string, unknown> = {
    id: media.id,
    media_key: mediaKeyOf(media),
    size: media.bytes,
    expires_after_secs: expiresAfterSeconds,
  };
  if (withProcessing) data.processing_info = { state: 'pending', check_after_secs: 1 };
  return { data };
}

function keepMedia(ctx: XContext, account: SandboxAccount, id: string, data: Buffer, declaredMime: string | undefined): StoredMedia {
  const mime = sniffMime(data, declaredMime);
  return ctx.store.addMedia({ id, accountId: account.id, mime, alt: '', bytes: data.length, data });
}

function decodeMedia(fields: Record<string, unknown>, files: { field: string; data: Buffer; mime: string }[]): { data: Buffer; mime?: string } | undefined {
  const file = files.find((f) => f.field === 'media');
  if (file) return { data: file.data, mime: file.mime === 'application/octet-stream' ? undefined : file.mime };
  const encoded = str(fields.media_data) ?? (typeof fields.media === 'string' ? fields.media : undefined);
  return encoded ? { data: Buffer.from(encoded, 'base64') } : undefined;
}

function finalize(ctx: XContext, reply: FastifyReply, account: SandboxAccount, id: string, upload: XUpload | undefined): FastifyReply | Record<string, unknown> {
  if (!upload || upload.accountId !== account.id || upload.expiresAt <= ctx.store.now()) {
    return invalidRequest(reply, [{ message: `Invalid media_id: ${id}.`, parameters: { id: [id] } }]);
  }
  const indices = [...upload.segments.keys()].sort((a, b) => a - b);
  const data = Buffer.concat(indices.map((i) => upload.segments.get(i) ?? Buffer.alloc(0)));
  if (data.length !== upload.totalBytes) {
    return invalidRequest(reply, [{ message: `File size mismatch: expected ${upload.totalBytes} bytes, received ${data.length}.` }]);
  }
  upload.finalized = true;
  xState(ctx.store).uploads.delete(id);
  const media = keepMedia(ctx, account, id, data, upload.mime);
  return mediaResponse(media, media.mime.startsWith('video/') || upload.category === 'tweet_gif');
}

function initialize(ctx: XContext, reply: FastifyReply, account: SandboxAccount, fields: Record<string, unknown>): FastifyReply | Record<string, unknown> {
  const mime = str(fields.media_type) ?? '';
  const totalBytes = Number(str(fields.total_bytes) ?? NaN);
  if (!mime || !Number.isInteger(totalBytes) || totalBytes <= 0) {
    return invalidRequest(reply, [{ message: 'media_type and total_bytes are required.', parameters: { media_type: [mime], total_bytes: [String(str(fields.total_bytes) ?? '')] } }]);
  }
  const category = categoryFor(mime, str(fields.media_category));
  const refused = checkUpload(ctx, mime, category, totalBytes);
  if (refused) return invalidRequest(reply, [{ message: refused }]);
  const id = xSnowflake(ctx.store.now());
  xState(ctx.store).uploads.set(id, {
    accountId: account.id,
    mime,
    category,
    totalBytes,
    segments: new Map(),
    finalized: false,
    expiresAt: ctx.store.now() + expiresAfterSeconds * 1000,
  });
  const prefix = mime === 'image/gif' ? '16' : mime.startsWith('video/') ? '7' : '3';
  return { data: { id, media_key: `${prefix}_${id}`, expires_after_secs: expiresAfterSeconds } };
}

function append(ctx: XContext, reply: FastifyReply, account: SandboxAccount, id: string, fields: Record<string, unknown>, files: { field: string; data: Buffer; mime: string }[]): FastifyReply | Record<string, unknown> {
  const upload = xState(ctx.store).uploads.get(id);
  if (!upload || upload.accountId !== account.id) return invalidRequest(reply, [{ message: `Invalid media_id: ${id}.`, parameters: { id: [id] } }]);
  const index = Number(str(fields.segment_index) ?? NaN);
  if (!Number.isInteger(index) || index < 0 || index > 999) {
    return invalidRequest(reply, [{ message: 'segment_index must be an integer between 0 and 999.' }]);
  }
  const chunk = decodeMedia(fields, files);
  if (!chunk) return invalidRequest(reply, [{ message: 'media is required.', parameters: { media: [] } }]);
  upload.segments.set(index, chunk.data);
  return { data: { expires_at: Math.floor(upload.expiresAt / 1000) } };
}

export function registerXMedia(app: FastifyInstance, ctx: XContext): void {
  app.post('/2/media/upload', async (request, reply) => {
    // The guard is chosen by the command: the one-shot upload has its own limit, INIT/APPEND/FINALIZE theirs.
    const { fields, files } = await readBody(request);
    const command = (str(fields.command) ?? '').toUpperCase();
    const endpoint = command === 'INIT' ? xEndpoints.initialize : command === 'APPEND' ? xEndpoints.append : command === 'FINALIZE' ? xEndpoints.finalize : xEndpoints.upload;
    const admitted = await guard(ctx, request, reply, endpoint);
    if (!admitted) return reply;
    const { account } = admitted;
    const mediaId = str(fields.media_id) ?? '';
    if (command === 'INIT') return initialize(ctx, reply, account, fields);
    if (command === 'APPEND') return append(ctx, reply, account, mediaId, fields, files);
    if (command === 'FINALIZE') return finalize(ctx, reply, account, mediaId, xState(ctx.store).uploads.get(mediaId));
    const media = decodeMedia(fields, files);
    if (!media) return invalidRequest(reply, [{ message: 'media is required.', parameters: { media: [] } }]);
    const category = str(fields.media_category);
    if (!category) return invalidRequest(reply, [{ message: 'media_category is required.', parameters: { media_category: [] } }]);
    const mime = sniffMime(media.data, str(fields.media_type) ?? media.mime);
    const refused = checkUpload(ctx, mime, category, media.data.length);
    if (refused) return invalidRequest(reply, [{ message: refused }]);
    if (videoTypes.has(mime) || mime === 'image/gif') {
      return invalidRequest(reply, [{ message: 'Use the chunked upload (initialize, append, finalize) for GIFs and videos.' }]);
    }
    return mediaResponse(keepMedia(ctx, account, xSnowflake(ctx.store.now()), media.data, mime), false);
  });

  app.get('/2/media/upload', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, xEndpoints.uploadStatus);
    if (!admitted) return reply;
    const query = request.query as Record<string, unknown>;
    const id = str(query.media_id) ?? '';
    const media = ctx.store.media.get(id);
    if (!media || media.accountId !== admitted.account.id) return invalidRequest(reply, [{ message: `Invalid media_id: ${id}.`, parameters: { media_id: [id] } }]);
    const age = (ctx.store.now() - Date.parse(media.createdAt)) / 1000;
    return {
      data: {
        id: media.id,
        media_key: mediaKeyOf(media),
        expires_after_secs: Math.max(0, Math.floor(expiresAfterSeconds - age)),
        processing_info: { state: 'succeeded', progress_percent: 100 },
      },
    };
  });

  app.post('/2/media/upload/initialize', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, xEndpoints.initialize);
    if (!admitted) return reply;
    const { fields } = await readBody(request);
    return initialize(ctx, reply, admitted.account, fields);
  });

  app.post('/2/media/upload/:id/append', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, xEndpoints.append);
    if (!admitted) return reply;
    const { fields, files } = await readBody(request);
    return append(ctx, reply, admitted.account, (request.params as { id: string }).id, fields, files);
  });

  app.post('/2/media/upload/:id/finalize', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, xEndpoints.finalize);
    if (!admitted) return reply;
    const { id } = request.params as { id: string };
    return finalize(ctx, reply, admitted.account, id, xState(ctx.store).uploads.get(id));
  });

  app.post('/2/media/metadata', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, xEndpoints.metadata);
    if (!admitted) return reply;
    const body = (request.body ?? {}) as { id?: unknown; metadata?: { alt_text?: { text?: unknown } } };
    const id = str(body.id) ?? '';
    const media = ctx.store.media.get(id);
    if (!media || media.accountId !== admitted.account.id) return invalidRequest(reply, [{ message: `Invalid media id: ${id}.`, parameters: { id: [id] } }]);
    const alt = body.metadata?.alt_text?.text;
    if (alt !== undefined) {
      if (typeof alt !== 'string' || [...alt].length > 1000) {
        return invalidRequest(reply, [{ message: 'alt_text.text must be a string of at most 1000 characters.' }]);
      }
      media.alt = alt;
    }
    return { data: { id: media.id, associated_metadata: { alt_text: { text: media.alt } } } };
  });

  app.get('/media/:id', async (request, reply) => {
    const media = ctx.store.media.get((request.params as { id: string }).id);
    if (!media) return reply.code(404).type('text/plain').send('Not found');
    return reply.type(media.mime).send(media.data);
  });
}
