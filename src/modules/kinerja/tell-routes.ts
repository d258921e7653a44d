/**
 * `POST /api/v1/kinerja/indicators/:id/tell` ("Ceritakan"): an indicator's result as a draft post
 * in its unit, with the performance card as pictures (see tell-this.ts). Editors and up of the
 * unit; 404 for those who cannot see its kinerja, 403 for those who may only read it.
 */
import { z } from 'zod';
import { emptyBody, errorResponses, idParams } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { mediaStorageFor } from '../media/storage.ts';
import { portalBase } from '../portal/urls.ts';
import { callerOf } from '../posts/routes.ts';
import { networkId } from '../posts/schemas.ts';
import { tellIndicator } from './tell-this.ts';

const picture = z.object({ id: z.string(), width: z.number(), height: z.number() });
const tellOut = z.object({
  postId: z.string().describe('The new draft post'),
  status: z.literal('draft'),
  media: z.object({
    portrait: picture.describe('1080×1350, attached; every network but X uses it'),
    landscape: picture.describe('1200×675, attached; X uses it'),
    story: picture.describe('1080×1920, kept in the media library for a story posted by hand; not attached'),
  }),
  targets: z.array(z.object({ channelId: z.string(), network: networkId })),
  skipped: z.array(z.object({ channelId: z.string(), network: networkId, reason: z.enum(['no_picture_posts', 'not_allowed']) })),
});

export async function kinerjaTellRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db, config } = services;
  const context = { db, storage: mediaStorageFor(config), portalBase: portalBase(config) };

  app.post('/kinerja/indicators/:id/tell', {
    schema: {
      tags: ['kinerja'],
      summary: 'Tell this: a draft post from one indicator’s result, with the performance card pictures and the unit’s connected accounts as targets (editors and up)',
      params: idParams,
      body: emptyBody,
      response: { 201: tellOut, ...errorResponses },
    },
  }, async (request, reply) => {
    const result = await tellIndicator(context, request.params.id, callerOf(request));
    return reply.status(201).send({
      postId: result.post.post.id,
      status: 'draft' as const,
      media: result.media,
      targets: result.targets,
      skipped: result.skipped,
    });
  });
}
