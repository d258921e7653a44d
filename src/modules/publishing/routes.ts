/** Publishing routes: a target's attempts, trying a failed target again, and taking down or correcting a published one. */
import { z } from 'zod';
import { AppError } from '../../errors/errors.ts';
import { originOf, requireAuth } from '../../http/authenticate.ts';
import { emptyBody, errorResponses, uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { canChangePublished, canViewPost, canWritePost } from '../access/policies.ts';
import { editOnNetwork, removeFromNetwork } from './after-publishing.ts';
import { connectorFor } from './connectors/index.ts';
import { unitPath } from '../units/queries.ts';
import { enqueuePost } from './jobs.ts';
import { retryTarget } from './retry-target.ts';

const targetParams = z.strictObject({ id: uuid, targetId: uuid });

export async function publishingRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db } = services;

  async function postPath(postId: string): Promise<string[]> {
    const post = await db.selectFrom('posts').select('unit_id').where('id', '=', postId).executeTakeFirst();
    return post ? unitPath(db, post.unit_id) : [];
  }

  app.get('/posts/:id/targets/:targetId/attempts', {
    schema: {
      tags: ['publishing'], summary: 'Every attempt to publish one target: when, by which worker, and what happened', params: targetParams,
      response: { 200: z.object({ items: z.array(z.object({ attempt: z.number(), startedAt: z.string(), finishedAt: z.string().nullable(), outcome: z.string().nullable(), code: z.string().nullable(), detail: z.string().nullable() })) }), ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    if (!canViewPost(auth, await postPath(request.params.id))) throw new AppError('not_found');
    const rows = await db.selectFrom('publish_attempts').innerJoin('post_targets', 'post_targets.id', 'publish_attempts.target_id')
      .selectAll('publish_attempts').where('post_targets.post_id', '=', request.params.id).where('publish_attempts.target_id', '=', request.params.targetId)
      .orderBy('publish_attempts.started_at').execute();
    return { items: rows.map((r) => ({ attempt: r.attempt, startedAt: r.started_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null, outcome: r.outcome, code: r.code, detail: r.detail })) };
  });

  app.post('/posts/:id/targets/:targetId/retry', {
    schema: { tags: ['publishing'], summary: 'Try a failed target again now', params: targetParams, body: emptyBody, response: { 202: z.object({ queued: z.number() }), ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const path = await postPath(request.params.id);
    if (!canViewPost(auth, path)) throw new AppError('not_found');
    if (!canWritePost(auth, path)) throw new AppError('forbidden');
    await retryTarget(db, { postId: request.params.id, targetId: request.params.targetId, origin: originOf(request) });
    return reply.status(202).send({ queued: await enqueuePost(services, request.params.id) });
  });

  const deps = () => ({ db, keyring: services.keyring, connectorFor: services.connectors ?? connectorFor });
  async function mayChange(request: Parameters<typeof requireAuth>[0], postId: string): Promise<void> {
    const auth = requireAuth(request);
    const path = await postPath(postId);
    if (!canViewPost(auth, path)) throw new AppError('not_found');
    if (!canChangePublished(auth, path)) throw new AppError('forbidden');
  }

  app.post('/posts/:id/targets/:targetId/remove', {
    schema: { tags: ['publishing'], summary: 'Take a published target down from its network (every part of its thread); approvers', params: targetParams, body: emptyBody, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await mayChange(request, request.params.id);
    await removeFromNetwork({ ...deps(), postId: request.params.id, targetId: request.params.targetId, origin: originOf(request) });
    return reply.status(204).send(null);
  });

  app.post('/posts/:id/targets/:targetId/edit', {
    schema: {
      tags: ['publishing'],
      summary: 'Correct the text of a published target on its network, where the network allows edits (one text per thread part, from the first); approvers',
      params: targetParams,
      body: z.strictObject({ texts: z.array(z.string().trim().min(1).max(70_000)).min(1).max(25), title: z.string().trim().min(1).max(300).nullable().default(null) }),
      response: { 204: z.null(), ...errorResponses },
    },
  }, async (request, reply) => {
    await mayChange(request, request.params.id);
    await editOnNetwork({ ...deps(), postId: request.params.id, targetId: request.params.targetId, texts: request.body.texts, title: request.body.title, origin: originOf(request) });
    return reply.status(204).send(null);
  });
}
