/** Rubrics: the portal's sections a post belongs to. Everyone reads them; top admins change them. */
import { z } from 'zod';
import { AppError } from '../../errors/errors.ts';
import { originOf, requireAuth } from '../../http/authenticate.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { RubricRow } from '../../db/schema.ts';
import type { Services } from '../../services.ts';
import { canManageRubrics } from '../access/policies.ts';
import { recordAudit } from '../audit/record.ts';
import { cleanPlainText } from '../compose/rich-text.ts';
import { slugify } from '../units/slug.ts';

const rubricSchema = z.object({ id: z.string(), slug: z.string(), name: z.string(), description: z.string().nullable(), position: z.number(), archived: z.boolean() });
const present = (r: RubricRow): z.infer<typeof rubricSchema> => ({ id: r.id, slug: r.slug, name: r.name, description: r.description, position: r.position, archived: r.archived });

export async function rubricRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db } = services;

  app.get('/rubrics', {
    schema: { tags: ['rubrics'], summary: 'Portal sections (rubrik), in order', response: { 200: z.object({ items: z.array(rubricSchema) }), ...errorResponses } },
  }, async (request) => {
    requireAuth(request);
    return { items: (await db.selectFrom('rubrics').selectAll().orderBy('position').orderBy('name').execute()).map(present) };
  });

  app.post('/rubrics', {
    schema: { tags: ['rubrics'], summary: 'Add a rubric (top administrators)', body: z.strictObject({ name: z.string().trim().min(2).max(80), description: z.string().trim().max(300).nullable().default(null), position: z.number().int().min(0).max(1000).default(100) }), response: { 201: rubricSchema, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    if (!canManageRubrics(auth)) throw new AppError('forbidden');
    const name = cleanPlainText(request.body.name);
    const slug = slugify(name);
    if (await db.selectFrom('rubrics').select('id').where('slug', '=', slug).executeTakeFirst()) {
      throw new AppError('conflict', { details: { issues: [{ path: 'name', message: 'rubrik ini sudah ada (this rubric already exists)' }] } });
    }
    const row = await db.transaction().execute(async (trx) => {
      const created = await trx.insertInto('rubrics').values({ slug, name, description: request.body.description, position: request.body.position }).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, originOf(request), { action: 'rubric.create', entityType: 'rubric', entityId: created.id, after: present(created) });
      return created;
    });
    return reply.status(201).send(present(row));
  });

  app.patch('/rubrics/:id', {
    schema: { tags: ['rubrics'], summary: 'Rename, reorder or archive a rubric (top administrators)', params: idParams, body: z.strictObject({ name: z.string().trim().min(2).max(80).optional(), description: z.string().trim().max(300).nullable().optional(), position: z.number().int().min(0).max(1000).optional(), archived: z.boolean().optional() }), response: { 200: rubricSchema, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    if (!canManageRubrics(auth)) throw new AppError('forbidden');
    const before = await db.selectFrom('rubrics').selectAll().where('id', '=', request.params.id).executeTakeFirst();
    if (!before) throw new AppError('not_found');
    const input = request.body;
    const row = await db.transaction().execute(async (trx) => {
      const updated = await trx.updateTable('rubrics').set({
        ...(input.name !== undefined ? { name: cleanPlainText(input.name) } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        ...(input.archived !== undefined ? { archived: input.archived } : {}),
      }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, originOf(request), { action: 'rubric.update', entityType: 'rubric', entityId: before.id, before: present(before), after: present(updated) });
      return updated;
    });
    return present(row);
  });
}
