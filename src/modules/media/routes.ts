/**
 * HTTP routes of the media library: upload (multipart), list, read, describe, delete under
 * /api/v1, and the public file route `/media/files/<key>` that networks fetch images from.
 */
import { rmSync } from 'node:fs';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors/errors.ts';
import { originOf, requireAuth } from '../../http/authenticate.ts';
import { errorResponse, errorResponses, idParams, noContent, uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import type { AuthContext } from '../auth/auth-context.ts';
import { unitPath, unitsBelow } from '../units/queries.ts';
import { largestLimit, mediaLimits, type MediaLimits } from './limits.ts';
import { deleteMedia, updateMediaAlt } from './manage-media.ts';
import { canManageMedia, canViewMedia } from './policies.ts';
import { MEDIA_FILES_PATH, mediaFilesBase, mediaKinds, mediaSchema, presentMedia } from './presenters.ts';
import { cursorPattern, findMedia, listMedia } from './queries.ts';
import { multipartLimits, readUploadForm, UPLOAD_FILE_FIELD } from './read-upload.ts';
import { isMediaKey, isTemporaryMediaRoot, mediaRoot, mediaStorageFor, mimeOfKey, type ByteRange, type MediaStorage } from './storage.ts';
import { uploadMedia } from './upload-media.ts';

export interface MediaRouteOptions {
  services: Services;
  /** Defaults to the configured media folder. */
  storage?: MediaStorage | undefined;
  /** Defaults to mediaLimits (tests lower them). */
  limits?: MediaLimits | undefined;
}

const altText = z.string().trim().max(1500);
const uploadFields = z.strictObject({ unitId: uuid, alt: altText.optional() });

/** The upload form, for the OpenAPI document (the handler reads the multipart stream itself). */
const uploadFormDoc = z.object({
  unitId: z.uuid().describe('The unit the file belongs to'),
  alt: z.string().max(1500).optional().describe('Alt text: what the picture shows, for people who cannot see it'),
  [UPLOAD_FILE_FIELD]: z.string().meta({ format: 'binary' }).describe('One photo (JPEG, PNG, WebP, AVIF, HEIC; ≤ 20 MB), GIF (≤ 15 MB) or video (MP4, MOV, WebM; ≤ 500 MB). The type is read from the content, not the name.'),
});

const listQuery = z.strictObject({
  unitId: uuid.optional(),
  kind: z.enum(mediaKinds).optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(cursorPattern, 'cursor tidak valid (invalid cursor)').optional(),
});

/**
 * The upload body is a stream the handler reads itself, not a parsed object: its schema is for the
 * OpenAPI document only. Query and path parameters are validated as everywhere else.
 */
const documentedBodyOnly: FastifySchemaCompiler<z.ZodType> = (route) => (route.httpPart === 'body' ? () => ({ value: undefined }) : validatorCompiler(route));

function fieldsOrThrow(fields: Record<string, string>): z.infer<typeof uploadFields> {
  const parsed = uploadFields.safeParse(fields);
  if (parsed.success) return parsed.data;
  throw new AppError('validation.invalid', { details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'body', message: i.message })) } });
}

async function unitPathFor(services: Services, auth: AuthContext, unitId: string, manage: boolean): Promise<string[]> {
  const path = await unitPath(services.db, unitId);
  if (!canViewMedia(auth, path)) throw new AppError('not_found');
  if (manage && !canManageMedia(auth, path)) throw new AppError('forbidden');
  return path;
}

export async function mediaRoutes(app: App, { services, storage: given, limits = mediaLimits }: MediaRouteOptions): Promise<void> {
  const { db, config } = services;
  const storage = given ?? mediaStorageFor(config);
  const filesBase = mediaFilesBase(config);
  const root = mediaRoot(config);
  // A throw-away folder (in-memory database) goes with the server; removed synchronously, as a
  // test process may end as soon as the server has closed.
  if (!given && isTemporaryMediaRoot(config)) app.addHook('onClose', async () => rmSync(root, { recursive: true, force: true }));

  // Scoped to these routes: nowhere else in the API accepts multipart bodies.
  await app.register(multipart, { limits: multipartLimits(limits) });

  app.post('/media', {
    schema: {
      tags: ['media'],
      summary: 'Upload a photo, GIF or video to a unit’s media library (multipart/form-data; editors and up)',
      description: `Send \`unitId\`, optional \`alt\`, then one \`${UPLOAD_FILE_FIELD}\`. Photos are turned upright and stripped of all metadata (EXIF, GPS, XMP, IPTC). The same file uploaded again to the same unit returns the existing item (200). Largest accepted upload: ${largestLimit(limits)} bytes.`,
      consumes: ['multipart/form-data'],
      body: uploadFormDoc,
      response: { 200: mediaSchema, 201: mediaSchema, ...errorResponses, 413: errorResponse, 415: errorResponse },
    },
    // Fastify types a route's compiler by the route's own schema; the one above is the Zod compiler's.
    validatorCompiler: documentedBodyOnly as never,
  }, async (request, reply) => {
    const auth = requireAuth(request);
    if (!request.isMultipart()) throw new AppError('request.unsupported_media_type', { details: { expected: 'multipart/form-data' } });
    let authorizedUnit: string | null = null;
    const authorize = async (fields: Record<string, string>): Promise<void> => {
      const { unitId } = fieldsOrThrow(fields);
      if (authorizedUnit === unitId) return;
      await unitPathFor(services, auth, unitId, true);
      authorizedUnit = unitId;
    };
    const form = await readUploadForm(request, reply, {
      limits,
      // When the fields come before the file (as documented), the caller's rights are checked before the file is read.
      beforeFile: async (fields) => (uploadFields.shape.unitId.safeParse(fields.unitId).success ? authorize(fields) : undefined),
    });
    await authorize(form.fields);
    const { unitId, alt } = fieldsOrThrow(form.fields);
    if (!form.file) throw new AppError('media.missing_file');
    const { media, created } = await uploadMedia({ db, storage, unitId, uploader: originOf(request), originalName: form.file.filename, data: form.file.data, alt, limits });
    return reply.status(created ? 201 : 200).send(presentMedia(media, filesBase));
  });

  app.get('/media', {
    schema: {
      tags: ['media'],
      summary: 'Media of the units the caller can see (a unit and everything below it), newest first',
      querystring: listQuery,
      response: { 200: z.object({ items: z.array(mediaSchema), nextCursor: z.string().nullable() }), ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const { unitId, kind, q, limit, cursor } = request.query;
    if (unitId) await unitPathFor(services, auth, unitId, false);
    const roots = unitId ? [unitId] : auth.memberships.map((m) => m.unitId);
    const units = await unitsBelow(db, roots);
    const page = await listMedia(db, { unitIds: units.map((u) => u.id), kind, q, limit, cursor });
    return { items: page.rows.map((row) => presentMedia(row, filesBase)), nextCursor: page.nextCursor };
  });

  app.get('/media/:id', {
    schema: { tags: ['media'], summary: 'One media item', params: idParams, response: { 200: mediaSchema, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const media = await findMedia(db, request.params.id);
    if (!media) throw new AppError('not_found');
    await unitPathFor(services, auth, media.unit_id, false);
    return presentMedia(media, filesBase);
  });

  app.patch('/media/:id', {
    schema: { tags: ['media'], summary: 'Change a media item’s alt text (editors and up)', params: idParams, body: z.strictObject({ alt: altText }), response: { 200: mediaSchema, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const media = await findMedia(db, request.params.id);
    if (!media) throw new AppError('not_found');
    await unitPathFor(services, auth, media.unit_id, true);
    return presentMedia(await updateMediaAlt(db, media.id, request.body.alt, originOf(request)), filesBase);
  });

  app.delete('/media/:id', {
    schema: { tags: ['media'], summary: 'Delete a media item and its files (editors and up; refused while a post uses it)', params: idParams, response: { 204: noContent, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const media = await findMedia(db, request.params.id);
    if (!media) throw new AppError('not_found');
    await unitPathFor(services, auth, media.unit_id, true);
    await deleteMedia(db, storage, media.id, originOf(request));
    return reply.status(204).send(null);
  });
}

/** `bytes=start-end`, `bytes=start-` or `bytes=-suffix`; anything else (several ranges, nonsense) is ignored. */
export function parseRange(header: string | undefined, size: number): ByteRange | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || size === 0 || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : null;
}

/**
 * Headers that make a stored file safe to serve from Siar's own origin: the browser must take the
 * type as given, never run anything in it, and may cache it forever (keys never change content).
 * Other sites (the unit's portal) may embed the files, hence the cross-origin resource policy.
 */
function fileHeaders(reply: FastifyReply, mime: string): FastifyReply {
  return reply.headers({
    'content-type': mime,
    'x-content-type-options': 'nosniff',
    'cache-control': 'public, max-age=31536000, immutable',
    'content-disposition': 'inline',
    'content-security-policy': "default-src 'none'; sandbox",
    'cross-origin-resource-policy': 'cross-origin',
    'accept-ranges': 'bytes',
  });
}

export async function publicMediaRoutes(app: App, { services, storage: given }: Omit<MediaRouteOptions, 'limits'>): Promise<void> {
  const storage = given ?? mediaStorageFor(services.config);

  app.get(`${MEDIA_FILES_PATH}*`, {
    config: { auth: 'none' },
    schema: {
      tags: ['media'],
      summary: 'A stored media file (public, no sign-in): the stable URL networks fetch from',
      description: 'Answers 200 with the file, or 206 with part of it for a `Range: bytes=…` request. Served with its stored type, `nosniff`, a one-year immutable cache and a CSP that runs nothing.',
      security: [],
      params: z.object({ '*': z.string().max(200) }),
    },
  }, async (request, reply) => {
    const key = request.params['*'];
    const mime = isMediaKey(key) ? mimeOfKey(key) : null;
    const found = mime ? await storage.stat(key) : null;
    if (!mime || !found) throw new AppError('not_found');
    fileHeaders(reply, mime);
    const range = parseRange(request.headers.range, found.bytes);
    if (range) {
      return reply
        .status(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${found.bytes}`)
        .header('content-length', range.end - range.start + 1)
        .send(storage.read(key, range));
    }
    return reply.header('content-length', found.bytes).send(storage.read(key));
  });
}
