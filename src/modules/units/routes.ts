/** HTTP routes for the unit hierarchy (province → regency/city → agency/bureau). */
import { z } from 'zod';
import { AppError } from '../../errors/errors.ts';
import { originOf, requireAuth } from '../../http/authenticate.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { canCreateUnitUnder, canEditUnit, canViewUnit, isTopAdmin } from '../access/policies.ts';
import { findUnit, unitPath, unitsBelow } from './queries.ts';
import { presentUnit, unitSchema } from './presenters.ts';
import { createUnit, updateUnit } from './save-unit.ts';
import { createUnitBody, updateUnitBody } from './schemas.ts';

export async function unitRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db } = services;

  app.get('/units', {
    schema: { tags: ['units'], summary: 'Units the caller may see (their units and everything below), flat', response: { 200: z.object({ items: z.array(unitSchema) }), ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const units = await unitsBelow(db, auth.memberships.map((m) => m.unitId));
    return { items: units.map(presentUnit) };
  });

  app.get('/units/:id', {
    schema: { tags: ['units'], summary: 'One unit', params: idParams, response: { 200: unitSchema, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const path = await unitPath(db, request.params.id);
    if (!canViewUnit(auth, path)) throw new AppError('not_found');
    const unit = await findUnit(db, request.params.id);
    if (!unit) throw new AppError('not_found');
    return presentUnit(unit);
  });

  app.get('/units/:id/path', {
    schema: {
      tags: ['units'],
      summary: 'The unit and the units above it, up to the top (names and kinds; e.g. to choose who approves a tier)',
      params: idParams,
      response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), shortName: z.string().nullable(), kind: z.string() })) }), ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const path = await unitPath(db, request.params.id);
    if (!canViewUnit(auth, path)) throw new AppError('not_found');
    const rows = await db.selectFrom('units').select(['id', 'name', 'short_name', 'kind']).where('id', 'in', path).execute();
    return { items: path.map((id) => rows.find((r) => r.id === id)!).map((r) => ({ id: r.id, name: r.name, shortName: r.short_name, kind: r.kind })) };
  });

  app.post('/units', {
    schema: { tags: ['units'], summary: 'Create a unit under a parent the caller administers', body: createUnitBody, response: { 201: unitSchema, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const { parentId } = request.body;
    if (parentId === null) {
      // A new top unit (another province) is for administrators of an existing top unit.
      if (!isTopAdmin(auth)) throw new AppError('forbidden');
    } else {
      const path = await unitPath(db, parentId);
      if (!canViewUnit(auth, path)) throw new AppError('not_found');
      if (!canCreateUnitUnder(auth, path)) throw new AppError('forbidden');
    }
    const unit = await createUnit(db, request.body, originOf(request));
    return reply.status(201).send(presentUnit(unit));
  });

  app.patch('/units/:id', {
    schema: { tags: ['units'], summary: 'Change a unit’s name, time zone, logo, contact or two-factor rule', params: idParams, body: updateUnitBody, response: { 200: unitSchema, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const path = await unitPath(db, request.params.id);
    if (!canViewUnit(auth, path)) throw new AppError('not_found');
    if (!canEditUnit(auth, path)) throw new AppError('forbidden');
    const unit = await updateUnit(db, request.params.id, request.body, originOf(request));
    services.auth.forget();
    return presentUnit(unit);
  });
}
