/**
 * The list of sensitive terms (SARA, hate speech, unverified claims) that asks for a second look
 * before submission. Terms without a unit apply everywhere and are kept by top administrators; a
 * unit's administrators add terms for their unit (and so for the units below it).
 */
import { z } from 'zod';
import { AppError } from '../../errors/errors.ts';
import { originOf, requireAuth } from '../../http/authenticate.ts';
import { errorResponses, idParams, noContent, uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { atLeast, canViewUnit, isTopAdmin, roleOn } from '../access/policies.ts';
import { recordAudit } from '../audit/record.ts';
import { cleanPlainText } from '../compose/rich-text.ts';
import { unitPath } from '../units/queries.ts';

const termSchema = z.object({ id: z.string(), unitId: z.string().nullable(), term: z.string(), category: z.string() });
const category = z.enum(['sara', 'hate', 'unverified', 'other']);

export async function sensitiveTermRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db } = services;

  app.get('/sensitive-terms', {
    schema: { tags: ['content settings'], summary: 'Terms that apply to a unit (everywhere, and the unit’s and its parents’ own); without unitId, the terms for everywhere', querystring: z.strictObject({ unitId: uuid.optional() }), response: { 200: z.object({ items: z.array(termSchema) }), ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const path = request.query.unitId ? await unitPath(db, request.query.unitId) : [];
    if (request.query.unitId && !canViewUnit(auth, path)) throw new AppError('not_found');
    const rows = await db.selectFrom('sensitive_terms').select(['id', 'unit_id', 'term', 'category'])
      .where((eb) => eb.or([eb('unit_id', 'is', null), ...(path.length > 0 ? [eb('unit_id', 'in', path)] : [])]))
      .orderBy('category').orderBy('term').execute();
    return { items: rows.map((r) => ({ id: r.id, unitId: r.unit_id, term: r.term, category: r.category })) };
  });

  app.post('/sensitive-terms', {
    schema: { tags: ['content settings'], summary: 'Add a term (unit admins for their unit; top admins for everywhere)', body: z.strictObject({ unitId: uuid.nullable().default(null), term: z.string().trim().min(2).max(100), category }), response: { 201: termSchema, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const { unitId, category: kind } = request.body;
    if (unitId === null) {
      if (!isTopAdmin(auth)) throw new AppError('forbidden');
    } else {
      const path = await unitPath(db, unitId);
      if (!canViewUnit(auth, path)) throw new AppError('not_found');
      if (!atLeast(roleOn(auth, path), 'admin')) throw new AppError('forbidden');
    }
    const term = cleanPlainText(request.body.term).toLowerCase();
    const taken = await db.selectFrom('sensitive_terms').select('id').where('term', '=', term)
      .where((eb) => (unitId === null ? eb('unit_id', 'is', null) : eb('unit_id', '=', unitId))).executeTakeFirst();
    if (taken) throw new AppError('conflict', { details: { issues: [{ path: 'term', message: 'istilah ini sudah ada (this term is already listed)' }] } });
    const row = await db.transaction().execute(async (trx) => {
      const created = await trx.insertInto('sensitive_terms').values({ unit_id: unitId, term, category: kind }).returning(['id', 'unit_id', 'term', 'category']).executeTakeFirstOrThrow();
      await recordAudit(trx, originOf(request), { action: 'sensitive_term.create', entityType: 'sensitive_term', entityId: created.id, unitId, after: created });
      return created;
    });
    return reply.status(201).send({ id: row.id, unitId: row.unit_id, term: row.term, category: row.category });
  });

  app.delete('/sensitive-terms/:id', {
    schema: { tags: ['content settings'], summary: 'Remove a term', params: idParams, response: { 204: noContent, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const row = await db.selectFrom('sensitive_terms').selectAll().where('id', '=', request.params.id).executeTakeFirst();
    if (!row) throw new AppError('not_found');
    if (row.unit_id === null) {
      if (!isTopAdmin(auth)) throw new AppError('forbidden');
    } else {
      const path = await unitPath(db, row.unit_id);
      if (!canViewUnit(auth, path)) throw new AppError('not_found');
      if (!atLeast(roleOn(auth, path), 'admin')) throw new AppError('forbidden');
    }
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('sensitive_terms').where('id', '=', row.id).execute();
      await recordAudit(trx, originOf(request), { action: 'sensitive_term.delete', entityType: 'sensitive_term', entityId: row.id, unitId: row.unit_id, before: { term: row.term, category: row.category } });
    });
    return reply.status(204).send(null);
  });
}
