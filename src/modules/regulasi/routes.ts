/**
 * HTTP routes for regulations (regulasi): list with filters, record / edit / remove (editors of the
 * responsible unit), link posts to a regulation, and live readability scoring for the editor.
 */
import { z } from 'zod';
import { AppError } from '../../errors/errors.ts';
import { originOf, requireAuth } from '../../http/authenticate.ts';
import { errorResponses, idParams, noContent } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { canReadRegulations, canViewPost, canViewUnit, canWritePost, canWriteRegulation, type Actor } from '../access/policies.ts';
import { mediaStorageFor } from '../media/storage.ts';
import { portalBase } from '../portal/urls.ts';
import { explainRegulation } from './explain-this.ts';
import { unitPath, unitPaths } from '../units/queries.ts';
import { linkPost, unlinkPost } from './link-posts.ts';
import { presentRegulation, presentRelatedPost } from './presenters.ts';
import { listRegulations, regulationById, regulationsOfPost, relatedPosts, type RegulationRecord } from './queries.ts';
import { readability } from './readability.ts';
import { createRegulation, deleteRegulation, updateRegulation } from './save-regulation.ts';
import {
  createRegulationBody, linkParams, linkPostBody, listRegulationsQuery, readabilityBody, readabilitySchema, regulationDetailSchema, regulationSchema,
  updateRegulationBody,
} from './schemas.ts';

/** What "Explain this" answers: the new draft, its pictures and where it will go. */
const explainAnswer = z.object({
  postId: z.string(),
  images: z.array(z.object({ mediaId: z.string(), alt: z.string(), width: z.number(), height: z.number() })),
  channels: z.array(z.object({ id: z.string(), name: z.string(), network: z.string() })),
  skipped: z.array(z.object({ id: z.string(), name: z.string(), network: z.string(), reason: z.string() })),
  /** Things the person should know, Indonesian and English (e.g. no channel to post to). */
  notes: z.array(z.object({ id: z.string(), en: z.string() })),
});

export async function regulationRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db } = services;

  function reader(actor: Actor): void {
    if (!canReadRegulations(actor)) throw new AppError('forbidden');
  }

  /** The regulation (404 when it does not exist) and whether the caller may write it. */
  async function load(actor: Actor, id: string): Promise<{ regulation: RegulationRecord; canEdit: boolean }> {
    reader(actor);
    const regulation = await regulationById(db, id);
    if (!regulation) throw new AppError('not_found');
    return { regulation, canEdit: canWriteRegulation(actor, await unitPath(db, regulation.unit_id)) };
  }

  /** The post (404 when the caller cannot see it, 403 when they cannot write it) and its unit. */
  async function writablePost(actor: Actor, postId: string): Promise<{ unitId: string }> {
    const post = await db.selectFrom('posts').select(['id', 'unit_id']).where('id', '=', postId).executeTakeFirst();
    const path = post ? await unitPath(db, post.unit_id) : [];
    if (!post || !canViewPost(actor, path)) throw new AppError('not_found');
    if (!canWritePost(actor, path)) throw new AppError('forbidden');
    return { unitId: post.unit_id };
  }

  /** Linked posts the caller may see (other units' drafts stay private). */
  async function visibleRelated(actor: Actor, regulationId: string) {
    const posts = await relatedPosts(db, regulationId);
    const paths = await unitPaths(db, [...new Set(posts.map((p) => p.unit_id))]);
    return posts.filter((p) => canViewPost(actor, paths.get(p.unit_id) ?? [])).map(presentRelatedPost);
  }

  async function detail(actor: Actor, id: string) {
    const { regulation, canEdit } = await load(actor, id);
    return { ...presentRegulation(regulation, canEdit), posts: await visibleRelated(actor, id) };
  }

  app.get('/regulations', {
    schema: {
      tags: ['regulations'], summary: 'Regulations, newest first, filtered by type, year, status, unit (and below) and words',
      querystring: listRegulationsQuery,
      response: { 200: z.object({ items: z.array(regulationSchema), total: z.number(), page: z.number(), pageSize: z.number() }), ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    reader(auth);
    const result = await listRegulations(db, request.query);
    const paths = await unitPaths(db, [...new Set(result.items.map((r) => r.unit_id))]);
    return { ...result, items: result.items.map((r) => presentRegulation(r, canWriteRegulation(auth, paths.get(r.unit_id) ?? []))) };
  });

  app.post('/regulations', {
    schema: { tags: ['regulations'], summary: 'Record a regulation and its explanation (editors of the unit)', body: createRegulationBody, response: { 201: regulationDetailSchema, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const path = await unitPath(db, request.body.unitId);
    if (!canViewUnit(auth, path)) throw new AppError('not_found');
    if (!canWriteRegulation(auth, path)) throw new AppError('forbidden');
    const created = await createRegulation(db, request.body, originOf(request));
    return reply.status(201).send({ ...presentRegulation(created, true), posts: [] });
  });

  app.post('/regulations/readability', {
    schema: { tags: ['regulations'], summary: 'Readability of a text for an Indonesian reader: score, label, long sentences, legal jargon, passive-heavy sentences', body: readabilityBody, response: { 200: readabilitySchema, ...errorResponses } },
  }, async (request) => {
    requireAuth(request);
    return readability(request.body.text);
  });

  app.get('/regulations/:id', {
    schema: { tags: ['regulations'], summary: 'One regulation with its explanation and the linked posts the caller can see', params: idParams, response: { 200: regulationDetailSchema, ...errorResponses } },
  }, async (request) => detail(requireAuth(request), request.params.id));

  app.patch('/regulations/:id', {
    schema: { tags: ['regulations'], summary: 'Edit a regulation or its explanation (names the version it was made on)', params: idParams, body: updateRegulationBody, response: { 200: regulationDetailSchema, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const { canEdit } = await load(auth, request.params.id);
    if (!canEdit) throw new AppError('forbidden');
    await updateRegulation(db, request.params.id, request.body, originOf(request));
    return detail(auth, request.params.id);
  });

  app.delete('/regulations/:id', {
    schema: { tags: ['regulations'], summary: 'Remove a regulation record (linked posts stay, unlinked)', params: idParams, response: { 204: noContent, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const { canEdit } = await load(auth, request.params.id);
    if (!canEdit) throw new AppError('forbidden');
    await deleteRegulation(db, request.params.id, originOf(request));
    return reply.status(204).send(null);
  });

  app.post('/regulations/:id/posts', {
    schema: { tags: ['regulations'], summary: 'Link a post to the regulation it explains (editors of the post)', params: idParams, body: linkPostBody, response: { 200: regulationDetailSchema, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const { regulation } = await load(auth, request.params.id);
    const { unitId } = await writablePost(auth, request.body.postId);
    await linkPost(db, { regulationId: regulation.id, postId: request.body.postId, unitId, actor: originOf(request) });
    return detail(auth, regulation.id);
  });

  app.delete('/regulations/:id/posts/:postId', {
    schema: { tags: ['regulations'], summary: 'Unlink a post from a regulation', params: linkParams, response: { 204: noContent, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const { regulation } = await load(auth, request.params.id);
    const { unitId } = await writablePost(auth, request.params.postId);
    if (!(await unlinkPost(db, { regulationId: regulation.id, postId: request.params.postId, unitId, actor: originOf(request) }))) throw new AppError('not_found');
    return reply.status(204).send(null);
  });

  app.post('/regulations/:id/explain', {
    schema: {
      tags: ['regulations'],
      summary: 'Explain this: a draft post of the regulation\'s unit from its explanation, with the explainer carousel and the unit\'s connected channels (editors of the unit)',
      params: idParams,
      response: { 201: explainAnswer, ...errorResponses },
    },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const { regulation } = await load(auth, request.params.id);
    if (!canWritePost(auth, await unitPath(db, regulation.unit_id))) throw new AppError('forbidden');
    const top = await db.selectFrom('units').select('name').where('parent_id', 'is', null).orderBy('created_at').limit(1).executeTakeFirst();
    const base = portalBase(services.config);
    const result = await explainRegulation({
      db, storage: mediaStorageFor(services.config), regulationId: regulation.id, caller: { actor: auth, origin: originOf(request) },
      save: { portalBase: base }, siteName: top?.name ?? regulation.unit_name, portalPageOf: (slug) => `${base}/regulasi/${encodeURIComponent(slug)}`,
    });
    const notes = [];
    if (result.channels.length === 0) {
      notes.push({ id: 'Belum ada akun terhubung yang boleh Anda pakai: draf dibuat tanpa tujuan. Tambahkan akun di draf sebelum mengajukannya.', en: 'There is no connected account you may use: the draft has no targets. Add accounts to the draft before submitting it.' });
    }
    if (result.skipped.length > 0) {
      notes.push({ id: `Akun ${result.skipped.map((c) => c.name).join(', ')} tidak dipakai: jaringannya tidak menerima gambar ini.`, en: `Accounts ${result.skipped.map((c) => c.name).join(', ')} were left out: their networks do not take these pictures.` });
    }
    return reply.status(201).send({ postId: result.post.post.id, images: result.images, channels: result.channels, skipped: result.skipped, notes });
  });

  app.get('/posts/:id/regulations', {
    schema: { tags: ['regulations'], summary: 'The regulations a post is linked to', params: idParams, response: { 200: z.object({ items: z.array(regulationSchema) }), ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    reader(auth);
    const post = await db.selectFrom('posts').select('unit_id').where('id', '=', request.params.id).executeTakeFirst();
    if (!post || !canViewPost(auth, await unitPath(db, post.unit_id))) throw new AppError('not_found');
    const items = await regulationsOfPost(db, request.params.id);
    const paths = await unitPaths(db, [...new Set(items.map((r) => r.unit_id))]);
    return { items: items.map((r) => presentRegulation(r, canWriteRegulation(auth, paths.get(r.unit_id) ?? []))) };
  });
}
