/** The moderation API (/api/v1/portal-feedback): the queue, the count of new messages, a status change. */
import { z } from 'zod';
import { AppError } from '../../../errors/errors.ts';
import { originOf, requireAuth } from '../../../http/authenticate.ts';
import { errorResponses, idParams, uuid } from '../../../http/schemas.ts';
import type { App } from '../../../http/types.ts';
import type { Services } from '../../../services.ts';
import { unitPath, unitPaths, unitsBelow } from '../../units/queries.ts';
import { feedbackKinds } from './form.ts';
import { countNewFeedback, feedbackStatuses, findFeedback, listFeedback, setFeedbackStatus } from './moderation.ts';
import { canModerateFeedback, canReadFeedback } from './policies.ts';
import { feedbackSchema, presentFeedback } from './presenters.ts';

const listQuery = z.strictObject({
  status: z.enum(feedbackStatuses).optional(),
  kind: z.enum(feedbackKinds).optional(),
  /** This unit and the units below it. */
  unitId: uuid.optional(),
  page: z.coerce.number().int().min(1).max(10_000).optional(),
});
const statusBody = z.strictObject({
  status: z.enum(feedbackStatuses),
  /** Internal, never shown to the citizen. Left out: the note stays; null: removed. */
  note: z.string().trim().max(2000).nullable().optional(),
});
const PAGE_SIZE = 50;

export async function feedbackApiRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db, config } = services;

  /** The units whose feedback the caller sees: where they have any role, and below. */
  async function visibleUnitIds(memberships: readonly { unitId: string }[]): Promise<string[]> {
    return (await unitsBelow(db, memberships.map((m) => m.unitId))).map((u) => u.id);
  }

  app.get('/portal-feedback', {
    schema: {
      tags: ['portal'], summary: 'Citizens’ feedback on the articles of the caller’s units, newest first', querystring: listQuery,
      response: { 200: z.object({ items: z.array(feedbackSchema), total: z.number(), page: z.number(), pageSize: z.number() }), ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const { status, kind, unitId, page = 1 } = request.query;
    let unitIds = await visibleUnitIds(auth.memberships);
    if (unitId !== undefined) {
      if (!canReadFeedback(auth, await unitPath(db, unitId))) throw new AppError('not_found');
      const below = new Set((await unitsBelow(db, [unitId])).map((u) => u.id));
      unitIds = unitIds.filter((id) => below.has(id));
    }
    const { items, total } = await listFeedback(db, { unitIds, status, kind, page, pageSize: PAGE_SIZE });
    const paths = await unitPaths(db, [...new Set(items.map((r) => r.unit_id))]);
    return {
      items: items.map((row) => presentFeedback(config, row, canModerateFeedback(auth, paths.get(row.unit_id) ?? []))),
      total, page, pageSize: PAGE_SIZE,
    };
  });

  app.get('/portal-feedback/summary', {
    schema: { tags: ['portal'], summary: 'How many feedback messages of the caller’s units are new', response: { 200: z.object({ new: z.number() }), ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    return { new: await countNewFeedback(db, await visibleUnitIds(auth.memberships)) };
  });

  app.patch('/portal-feedback/:id', {
    schema: {
      tags: ['portal'], summary: 'Mark a feedback message answered, closed, spam or new again, with an internal note',
      params: idParams, body: statusBody, response: { 200: feedbackSchema, ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const existing = await findFeedback(db, request.params.id);
    const path = existing ? await unitPath(db, existing.unit_id) : [];
    if (!existing || !canReadFeedback(auth, path)) throw new AppError('not_found');
    if (!canModerateFeedback(auth, path)) throw new AppError('forbidden');
    const row = await setFeedbackStatus(db, {
      id: existing.id, status: request.body.status, note: request.body.note, actor: { ...originOf(request), userId: auth.user.id },
    });
    return presentFeedback(config, row, true);
  });
}
