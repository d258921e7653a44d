/**
 * HTTP routes of kinerja under /api/v1: the unit's report for a year, editing an indicator,
 * programmes and their progress, history, category-band settings, and the import (upload →
 * preview with a mapping → confirm).
 */
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, isAppError, invalidField } from '../../errors/errors.ts';
import { originOf, requireAuth } from '../../http/authenticate.ts';
import { requestLocale } from '../../http/locale.ts';
import { errorResponse, errorResponses, idParams, noContent, uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import type { AuthContext } from '../auth/auth-context.ts';
import { unitPath } from '../units/queries.ts';
import { confirmImport, createImport, importUnit, previewImport } from './import-kinerja.ts';
import { canEditKinerja, canManageKinerjaSettings, canViewKinerja } from './policies.ts';
import { presentHistory, presentImport, presentImportSummary, presentIndicator, presentReport, presentRowError, presentSettings } from './presenters.ts';
import { findIndicator, indicatorUnit, kinerjaReport, kinerjaYears, listHistory, listProgrammes, programmeUnit } from './queries.ts';
import type { RowError } from './read-rows.ts';
import { createProgramme, recordProgress, updateProgramme } from './save-programme.ts';
import { deleteIndicator, updateIndicator } from './save-indicator.ts';
import * as s from './schemas.ts';
import { saveSettings, settingsFor } from './settings.ts';
import { presentProgramme } from './presenters.ts';

/** Largest file accepted for import. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export interface KinerjaRouteOptions {
  services: Services;
  /** Defaults to MAX_IMPORT_BYTES (tests lower it). */
  maxImportBytes?: number | undefined;
}

const uploadFields = z.strictObject({ unitId: uuid, year: s.yearSchema.optional() });
const uploadFormDoc = z.object({
  unitId: z.uuid().describe('The unit the kinerja belongs to'),
  year: z.string().optional().describe('The year of every row when the file has no "Tahun" column'),
  file: z.string().meta({ format: 'binary' }).describe('One CSV (";" or "," separated, UTF-8 or Windows-1252) or XLSX file (first worksheet), at most 20 MB'),
});
const documentedBodyOnly: FastifySchemaCompiler<z.ZodType> = (route) => (route.httpPart === 'body' ? () => ({ value: undefined }) : validatorCompiler(route));
const deleteQuery = z.strictObject({ version: z.coerce.number().int().min(1) });

/** The unit's path when the caller may see it (404 otherwise) and, when asked, edit it (403 otherwise). */
async function authorize(services: Services, auth: AuthContext, unitId: string | undefined, need: 'view' | 'edit' | 'settings'): Promise<string[]> {
  if (!unitId) throw new AppError('not_found');
  const path = await unitPath(services.db, unitId);
  if (path.length === 0 || !canViewKinerja(auth, path)) throw new AppError('not_found');
  if (need === 'edit' && !canEditKinerja(auth, path)) throw new AppError('forbidden');
  if (need === 'settings' && !canManageKinerjaSettings(auth, path)) throw new AppError('forbidden');
  return path;
}

async function readImportForm(request: FastifyRequest, reply: FastifyReply, maxBytes: number): Promise<{ fields: Record<string, string>; file: { name: string | null; data: Buffer } | null }> {
  const fields: Record<string, string> = {};
  let file: { name: string | null; data: Buffer } | null = null;
  try {
    for await (const part of request.parts({ limits: { files: 1, fileSize: maxBytes, fields: 5, fieldSize: 1000, parts: 6 } })) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== 'file') throw invalidField(part.fieldname, 'berkas harus di kolom "file" (the file goes in "file")');
      file = { name: part.filename || null, data: await part.toBuffer() };
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      void reply.header('connection', 'close');
      throw new AppError('kinerja.file_too_large', { params: { limit: Math.round(maxBytes / 1024 / 1024) }, details: { limitBytes: maxBytes } });
    }
    if (code === 'FST_FILES_LIMIT') throw invalidField('file', 'satu berkas per impor (one file per import)');
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw invalidField('body', 'terlalu banyak kolom (too many fields)');
    throw new AppError('request.bad', { details: { reason: error instanceof Error ? error.message : 'malformed multipart body' }, cause: error });
  }
  return { fields, file };
}

export async function kinerjaRoutes(app: App, { services, maxImportBytes = MAX_IMPORT_BYTES }: KinerjaRouteOptions): Promise<void> {
  const { db } = services;
  await app.register(multipart, { limits: { files: 1, fileSize: maxImportBytes } });

  app.get('/kinerja', {
    schema: {
      tags: ['kinerja'],
      summary: 'A unit’s kinerja for a year: goals with their indicators (capaian computed), programmes, counts per band. Without a year: the latest year with data.',
      querystring: s.reportQuery,
      response: { 200: s.reportOut, ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const { unitId } = request.query;
    const path = await authorize(services, auth, unitId, 'view');
    const [years, settings] = await Promise.all([kinerjaYears(db, unitId), settingsFor(db, path)]);
    const year = request.query.year ?? years[0];
    const report = year === undefined ? null : await kinerjaReport(db, { unitId, year, settings });
    return presentReport(report, { unitId, years, settings }, requestLocale(request));
  });

  app.patch('/kinerja/indicators/:id', {
    schema: {
      tags: ['kinerja'],
      summary: 'Edit one indicator (editors and up). Send the version you edited; a newer one answers 409.',
      params: idParams,
      body: s.indicatorPatch,
      response: { 200: s.indicatorOut, ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const path = await authorize(services, auth, await indicatorUnit(db, request.params.id), 'edit');
    const { version, ...changes } = request.body;
    await updateIndicator(db, { id: request.params.id, version, changes, actor: originOf(request) });
    const indicator = await findIndicator(db, request.params.id, await settingsFor(db, path));
    if (!indicator) throw new AppError('not_found');
    return presentIndicator(indicator, requestLocale(request));
  });

  app.delete('/kinerja/indicators/:id', {
    schema: { tags: ['kinerja'], summary: 'Remove one indicator (editors and up); its history stays', params: idParams, querystring: deleteQuery, response: { 204: noContent, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    await authorize(services, auth, await indicatorUnit(db, request.params.id), 'edit');
    await deleteIndicator(db, { id: request.params.id, version: request.query.version, actor: originOf(request) });
    return reply.status(204).send(null);
  });

  app.get('/kinerja/indicators/:id/history', {
    schema: { tags: ['kinerja'], summary: 'Every change of one indicator, newest first', params: idParams, querystring: s.historyQuery, response: { 200: s.historyOut, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const unitId = (await indicatorUnit(db, request.params.id)) ?? (await db.selectFrom('kinerja_history').select('unit_id').where('entity_id', '=', request.params.id).executeTakeFirst())?.unit_id;
    await authorize(services, auth, unitId, 'view');
    const before = request.query.before ? new Date(request.query.before) : undefined;
    return presentHistory(await listHistory(db, { entityId: request.params.id }, { limit: request.query.limit, before }));
  });

  app.get('/kinerja/history', {
    schema: { tags: ['kinerja'], summary: 'Every kinerja change of a unit (imports and edits), newest first', querystring: s.unitHistoryQuery, response: { 200: s.historyOut, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    await authorize(services, auth, request.query.unitId, 'view');
    const before = request.query.before ? new Date(request.query.before) : undefined;
    return presentHistory(await listHistory(db, { unitId: request.query.unitId }, { limit: request.query.limit, before }));
  });

  app.post('/kinerja/programmes', {
    schema: { tags: ['kinerja'], summary: 'Add a programme with a quantitative target (editors and up)', body: s.programmeCreate, response: { 201: s.programmeOut, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const { unitId, year, ...fields } = request.body;
    await authorize(services, auth, unitId, 'edit');
    const id = await createProgramme(db, { unitId, year, fields, actor: originOf(request) });
    const [programme] = await listProgrammes(db, { ids: [id] });
    return reply.status(201).send(presentProgramme(programme!, requestLocale(request)));
  });

  app.patch('/kinerja/programmes/:id', {
    schema: { tags: ['kinerja'], summary: 'Edit a programme (editors and up), with the version you edited', params: idParams, body: s.programmePatch, response: { 200: s.programmeOut, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    await authorize(services, auth, await programmeUnit(db, request.params.id), 'edit');
    const { version, ...changes } = request.body;
    await updateProgramme(db, { id: request.params.id, version, changes, actor: originOf(request) });
    const [programme] = await listProgrammes(db, { ids: [request.params.id] });
    return presentProgramme(programme!, requestLocale(request));
  });

  app.post('/kinerja/programmes/:id/progress', {
    schema: { tags: ['kinerja'], summary: 'Record a programme’s progress at a date (the same date again replaces it)', params: idParams, body: s.progressBody, response: { 200: s.programmeOut, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    await authorize(services, auth, await programmeUnit(db, request.params.id), 'edit');
    await recordProgress(db, { programmeId: request.params.id, ...request.body, actor: originOf(request) });
    const [programme] = await listProgrammes(db, { ids: [request.params.id] });
    return presentProgramme(programme!, requestLocale(request));
  });

  app.get('/kinerja/programmes/:id/history', {
    schema: { tags: ['kinerja'], summary: 'Every change of one programme, newest first', params: idParams, querystring: s.historyQuery, response: { 200: s.historyOut, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    await authorize(services, auth, await programmeUnit(db, request.params.id), 'view');
    const before = request.query.before ? new Date(request.query.before) : undefined;
    return presentHistory(await listHistory(db, { entityId: request.params.id }, { limit: request.query.limit, before }));
  });

  app.get('/kinerja/settings', {
    schema: { tags: ['kinerja'], summary: 'The category bands and capaian maximum that apply to a unit (its own, a unit above it, or the defaults)', querystring: s.unitQuery, response: { 200: s.settingsOut, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const path = await authorize(services, auth, request.query.unitId, 'view');
    return presentSettings(await settingsFor(db, path));
  });

  app.put('/kinerja/settings', {
    schema: { tags: ['kinerja'], summary: 'Set a unit’s category bands and capaian maximum (admins); null removes them', body: s.settingsBody, response: { 200: s.settingsOut, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const path = await authorize(services, auth, request.body.unitId, 'settings');
    await saveSettings(db, { unitId: request.body.unitId, settings: request.body.settings, actor: originOf(request) });
    return presentSettings(await settingsFor(db, path));
  });

  app.post('/kinerja/imports', {
    schema: {
      tags: ['kinerja'],
      summary: 'Upload a CSV or XLSX file to import (multipart/form-data; editors and up). Answers the columns, a suggested mapping and a preview; nothing is imported yet.',
      consumes: ['multipart/form-data'],
      body: uploadFormDoc,
      response: { 201: s.importOut, ...errorResponses, 413: errorResponse, 415: errorResponse },
    },
    validatorCompiler: documentedBodyOnly as never,
  }, async (request, reply) => {
    const auth = requireAuth(request);
    if (!request.isMultipart()) throw new AppError('request.unsupported_media_type', { details: { expected: 'multipart/form-data' } });
    const form = await readImportForm(request, reply, maxImportBytes);
    const parsed = uploadFields.safeParse(form.fields);
    if (!parsed.success) throw new AppError('validation.invalid', { details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'body', message: i.message })) } });
    const path = await authorize(services, auth, parsed.data.unitId, 'edit');
    if (!form.file || form.file.data.length === 0) throw new AppError('kinerja.missing_file');
    const preview = await createImport(db, { unitId: parsed.data.unitId, year: parsed.data.year ?? null, fileName: form.file.name, data: form.file.data, actor: originOf(request), settings: await settingsFor(db, path) });
    return reply.status(201).send(presentImport(preview, requestLocale(request)));
  });

  app.post('/kinerja/imports/:id/preview', {
    schema: { tags: ['kinerja'], summary: 'Preview an uploaded file under a mapping: the first rows and every row error; nothing is written', params: idParams, body: s.mappingBody, response: { 200: s.importOut, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const path = await authorize(services, auth, await importUnit(db, request.params.id), 'edit');
    const preview = await previewImport(db, { importId: request.params.id, mapping: request.body.mapping, settings: await settingsFor(db, path) });
    return presentImport(preview, requestLocale(request));
  });

  app.post('/kinerja/imports/:id/confirm', {
    schema: {
      tags: ['kinerja'],
      summary: 'Import the file under a mapping. Every row is checked first; any error writes nothing (422 listing the rows and fields).',
      params: idParams,
      body: s.mappingBody,
      response: { 200: s.importSummaryOut, ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    await authorize(services, auth, await importUnit(db, request.params.id), 'edit');
    const locale = requestLocale(request);
    try {
      const summary = await confirmImport(db, { importId: request.params.id, mapping: request.body.mapping, actor: originOf(request) });
      return presentImportSummary(request.params.id, summary);
    } catch (error) {
      // Row errors carry their message in the caller's language.
      if (isAppError(error) && error.code === 'kinerja.import_invalid' && error.details) {
        const errors = (error.details.errors as RowError[]).map((e) => presentRowError(e, locale));
        throw new AppError('kinerja.import_invalid', { params: error.params, details: { ...error.details, errors } });
      }
      throw error;
    }
  });
}
