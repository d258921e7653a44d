/** HTTP routes for posts: write, edit, preview, the workflow steps, versions and comments. */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors/errors.ts';
import { originOf, requireAuth } from '../../http/authenticate.ts';
import { errorResponses, idParams, uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { canCommentOnPost, canViewPost, canWritePost, type Actor } from '../access/policies.ts';
import { crowdingWarningSchema } from '../calendar/schemas.ts';
import { cleanPlainText, htmlToPlainText, sanitizeBody } from '../compose/rich-text.ts';
import { portalBase } from '../portal/urls.ts';
import { unitPath, unitsBelow } from '../units/queries.ts';
import { addComment, listComments, peopleWhoCanSee } from './comments.ts';
import { checkVariants, hintsFor, resolveVariants } from './draft.ts';
import { presentFor } from './present-for.ts';
import { checkSchema, hintSchema, postSchema, postSummarySchema, presentVariant, scheduledOf, variantSchema } from './presenters.ts';
import { publishUrgentNow } from './publish-urgent.ts';
import { listPosts, loadPost, sensitiveTermsFor, targetChannel } from './queries.ts';
import { createPost, loadMaterial, updatePost, versionConflict, type Caller } from './save-post.ts';
import { changeStatus, reschedulePost, schedulePost, unschedulePost } from './schedule-post.ts';
import {
  actionBody, checkBody, commentBody, compareQuery, createPostBody, listPostsQuery, scheduleBody, submitBody, updatePostBody, versionParams,
} from './schemas.ts';
import { submitPost } from './submit-post.ts';
import { enqueuePost } from '../publishing/jobs.ts';
import { compareSnapshots, getVersion, listVersions } from './versions.ts';

const commentSchema = z.object({
  id: z.string(), body: z.string(), author: z.object({ id: z.string(), name: z.string() }),
  mentions: z.array(z.object({ id: z.string(), name: z.string() })), createdAt: z.string(),
});
const versionSummarySchema = z.object({ version: z.number(), action: z.string(), author: z.object({ id: z.string(), name: z.string() }).nullable(), at: z.string(), status: z.string() });
const scheduledAnswer = z.object({ post: postSchema, crowding: z.array(crowdingWarningSchema) });

/**
 * The id an unsaved post is previewed with. Its short links have the real links' length (codes are
 * always eight characters), so counters and checks are exact; the real codes, made from the id the
 * post gets when it is saved, replace them then. A post being edited is previewed with its own id.
 */
export const PREVIEW_POST_ID = '00000000-0000-4000-8000-000000000000';
const previewBody = checkBody.extend({
  /** The post being edited, whose short links the preview should show. */
  postId: uuid.optional(),
});

export function callerOf(request: FastifyRequest): Caller {
  return { actor: requireAuth(request), origin: originOf(request) };
}

export async function postRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db, config } = services;
  const saveOptions = { portalBase: portalBase(config) };

  /** The post, after checking the caller may see it (404 otherwise) and, when asked, write it (403). */
  async function visiblePost(actor: Actor, postId: string, need: 'view' | 'write' | 'comment' = 'view') {
    const aggregate = await loadPost(db, postId);
    const path = aggregate ? await unitPath(db, aggregate.post.unit_id) : [];
    if (!aggregate || !canViewPost(actor, path)) throw new AppError('not_found');
    if (need === 'write' && !canWritePost(actor, path)) throw new AppError('forbidden');
    if (need === 'comment' && !canCommentOnPost(actor, path)) throw new AppError('forbidden');
    return aggregate;
  }

  /** A failed save keeps nothing half-written; a version conflict brings the newer post to compare. */
  async function withConflictDetails<T>(actor: Actor, postId: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof AppError && error.code === 'post.version_conflict') {
        const current = await loadPost(db, postId);
        if (current) throw versionConflict(current.post.version, await presentFor(db, config, current, actor));
      }
      throw error;
    }
  }

  app.get('/posts', {
    schema: { tags: ['posts'], summary: 'Posts in the units the caller can see, newest change first', querystring: listPostsQuery, response: { 200: z.object({ items: z.array(postSummarySchema), nextCursor: z.string().nullable() }), ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const { unitId, mine, ...rest } = request.query;
    let units = await unitsBelow(db, auth.memberships.map((m) => m.unitId));
    if (unitId) {
      if (!units.some((u) => u.id === unitId)) throw new AppError('not_found');
      const below = new Set((await unitsBelow(db, [unitId])).map((u) => u.id));
      units = units.filter((u) => below.has(u.id));
    }
    const { rows, nextCursor } = await listPosts(db, { ...rest, unitIds: units.map((u) => u.id), authorId: mine === 'true' ? auth.user.id : undefined });
    return {
      items: rows.map((r) => ({
        id: r.id,
        unit: { id: r.unit_id, name: r.unit_name },
        author: { id: r.author_id, name: r.author_name },
        rubric: r.rubric_id ? { id: r.rubric_id, slug: r.rubric_slug ?? '', name: r.rubric_name ?? '' } : null,
        title: r.title,
        status: r.status,
        urgent: r.urgent,
        needsPostReview: r.needs_post_review,
        networks: r.networks,
        scheduled: scheduledOf(r, r.timezone),
        version: r.version,
        updatedAt: r.updated_at.toISOString(),
      })),
      nextCursor,
    };
  });

  app.post('/posts', {
    schema: { tags: ['posts'], summary: 'Write a post (a draft) in a unit', body: createPostBody, response: { 201: postSchema, ...errorResponses } },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const path = await unitPath(db, request.body.unitId);
    if (!canViewPost(caller.actor, path)) throw new AppError('not_found');
    if (!canWritePost(caller.actor, path)) throw new AppError('forbidden');
    const aggregate = await createPost(db, request.body, caller, saveOptions);
    return reply.status(201).send(await presentFor(db, config, aggregate, caller.actor));
  });

  app.post('/posts/preview', {
    schema: {
      tags: ['posts'],
      summary: 'What a draft would become: each network’s adapted variant, rule checks and quality hints (nothing is saved)',
      body: previewBody,
      response: { 200: z.object({ bodyText: z.string(), variants: z.array(variantSchema), checks: z.array(checkSchema), hints: z.array(hintSchema) }), ...errorResponses },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const input = request.body;
    const path = await unitPath(db, input.unitId);
    if (!canViewPost(caller.actor, path)) throw new AppError('not_found');
    if (!canWritePost(caller.actor, path)) throw new AppError('forbidden');
    if (input.postId) await visiblePost(caller.actor, input.postId);
    const { media, channels } = await loadMaterial(db, caller.actor, path, input);
    const rubric = input.rubricId ? await db.selectFrom('rubrics').select('slug').where('id', '=', input.rubricId).executeTakeFirst() : undefined;
    const bodyText = htmlToPlainText(sanitizeBody(input.bodyHtml));
    const master = {
      title: cleanPlainText(input.title), bodyText, summary: cleanPlainText(input.summary), portalUrl: input.portalUrl ?? null,
      tags: input.tags, rubricSlug: rubric?.slug ?? null, urgent: input.urgent, media,
    };
    const networks = [...new Set([...input.variants.map((v) => v.network), ...channels.map((c) => c.network)])];
    const overrides = Object.fromEntries(channels.map((c) => [c.network, targetChannel(c).limitOverrides]));
    const variants = resolveVariants(master, networks, input.variants, [], overrides, { base: saveOptions.portalBase, postId: input.postId ?? PREVIEW_POST_ID });
    return {
      bodyText,
      variants: variants.map(presentVariant),
      checks: checkVariants(variants, media, channels.map(targetChannel)),
      hints: hintsFor(master, await sensitiveTermsFor(db, path)),
    };
  });

  app.get('/posts/:id', {
    schema: { tags: ['posts'], summary: 'One post with its variants, targets, checks, hints, approval and the caller’s possible actions', params: idParams, response: { 200: postSchema, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    return presentFor(db, config, await visiblePost(auth, request.params.id), auth);
  });

  app.patch('/posts/:id', {
    schema: {
      tags: ['posts'],
      summary: 'Edit a post. Send the version you edited; a newer one answers 409 with it. An edit after approval goes back to review.',
      params: idParams, body: updatePostBody, response: { 200: postSchema, ...errorResponses },
    },
  }, async (request) => {
    const caller = callerOf(request);
    await visiblePost(caller.actor, request.params.id, 'write');
    const aggregate = await withConflictDetails(caller.actor, request.params.id, () => updatePost(db, request.params.id, request.body, caller, saveOptions));
    if (aggregate.post.status === 'scheduled') await enqueuePost(services, aggregate.post.id);
    return presentFor(db, config, aggregate, caller.actor);
  });

  const simpleActions = [
    { path: 'submit', summary: 'Send to review (checks every network’s rules; flagged wording needs acknowledgeSensitive)', body: submitBody },
    { path: 'withdraw', summary: 'Take the post back to draft', body: actionBody },
    { path: 'cancel', summary: 'Cancel the post', body: actionBody },
    { path: 'restore', summary: 'Bring a cancelled post back as a draft', body: actionBody },
    { path: 'unschedule', summary: 'Take a scheduled post off the queue (it stays approved)', body: actionBody },
    { path: 'publish-now', summary: 'Serta-merta: publish now without an approver (designated role; reviewed afterwards)', body: submitBody },
  ] as const;
  for (const action of simpleActions) {
    app.post(`/posts/:id/${action.path}`, {
      schema: { tags: ['posts'], summary: action.summary, params: idParams, body: action.body, response: { 200: postSchema, ...errorResponses } },
    }, async (request) => {
      const caller = callerOf(request);
      const postId = request.params.id;
      await visiblePost(caller.actor, postId, 'write');
      const body = (request.body ?? {}) as { version?: number; acknowledgeSensitive?: boolean };
      const run = () => {
        switch (action.path) {
          case 'submit': return submitPost(db, { postId, version: body.version, acknowledgeSensitive: body.acknowledgeSensitive, caller });
          case 'publish-now': return publishUrgentNow(db, { postId, version: body.version, acknowledgeSensitive: body.acknowledgeSensitive, caller });
          case 'unschedule': return unschedulePost(db, { postId, version: body.version, caller });
          default: return changeStatus(db, { postId, action: action.path, version: body.version, caller });
        }
      };
      const aggregate = await withConflictDetails(caller.actor, postId, run);
      if (aggregate.post.status === 'scheduled') await enqueuePost(services, postId);
      return presentFor(db, config, aggregate, caller.actor);
    });
  }

  for (const action of [{ path: 'schedule', run: schedulePost, summary: 'Schedule an approved post (time in the unit’s zone unless an offset is given; never in the past)' }, { path: 'reschedule', run: reschedulePost, summary: 'Move a post to another time (calendar drag); re-checks the rules of approved posts' }] as const) {
    app.post(`/posts/:id/${action.path}`, {
      schema: { tags: ['posts'], summary: action.summary, params: idParams, body: scheduleBody, response: { 200: scheduledAnswer, ...errorResponses } },
    }, async (request) => {
      const caller = callerOf(request);
      await visiblePost(caller.actor, request.params.id, 'write');
      const { aggregate, crowding } = await withConflictDetails(caller.actor, request.params.id, () => action.run(db, { postId: request.params.id, ...request.body, caller }));
      if (aggregate.post.status === 'scheduled') await enqueuePost(services, aggregate.post.id);
      return { post: await presentFor(db, config, aggregate, caller.actor), crowding };
    });
  }

  app.get('/posts/:id/versions', {
    schema: { tags: ['posts'], summary: 'Every version of the post, newest first', params: idParams, response: { 200: z.object({ items: z.array(versionSummarySchema) }), ...errorResponses } },
  }, async (request) => {
    await visiblePost(requireAuth(request), request.params.id);
    return { items: await listVersions(db, request.params.id) };
  });

  app.get('/posts/:id/versions/:version', {
    schema: { tags: ['posts'], summary: 'One version of the post, whole', params: versionParams, response: { 200: z.object({ version: z.number(), action: z.string(), author: z.object({ id: z.string(), name: z.string() }).nullable(), at: z.string(), snapshot: z.record(z.string(), z.unknown()) }), ...errorResponses } },
  }, async (request) => {
    await visiblePost(requireAuth(request), request.params.id);
    return getVersion(db, request.params.id, request.params.version);
  });

  app.get('/posts/:id/compare', {
    schema: {
      tags: ['posts'], summary: 'What changed between two versions, field by field with word diffs', params: idParams, querystring: compareQuery,
      response: { 200: z.object({ from: versionSummarySchema.omit({ status: true }), to: versionSummarySchema.omit({ status: true }), changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown(), diff: z.array(z.object({ op: z.enum(['equal', 'insert', 'delete']), text: z.string() })).optional() })) }), ...errorResponses },
    },
  }, async (request) => {
    await visiblePost(requireAuth(request), request.params.id);
    const [from, to] = await Promise.all([getVersion(db, request.params.id, request.query.from), getVersion(db, request.params.id, request.query.to)]);
    const { snapshot: a, ...fromMeta } = from;
    const { snapshot: b, ...toMeta } = to;
    return { from: fromMeta, to: toMeta, changes: compareSnapshots(a, b) };
  });

  app.get('/posts/:id/comments', {
    schema: { tags: ['posts'], summary: 'Internal comments on the post, oldest first', params: idParams, response: { 200: z.object({ items: z.array(commentSchema) }), ...errorResponses } },
  }, async (request) => {
    await visiblePost(requireAuth(request), request.params.id);
    return { items: await listComments(db, request.params.id) };
  });

  app.get('/posts/:id/people', {
    schema: { tags: ['posts'], summary: 'People who can see the post: whom a comment may mention', params: idParams, response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) }), ...errorResponses } },
  }, async (request) => {
    const aggregate = await visiblePost(requireAuth(request), request.params.id);
    return { items: await peopleWhoCanSee(db, await unitPath(db, aggregate.post.unit_id)) };
  });

  app.post('/posts/:id/comments', {
    schema: { tags: ['posts'], summary: 'Comment on the post; mentioned people are notified', params: idParams, body: commentBody, response: { 201: commentSchema, ...errorResponses } },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const aggregate = await visiblePost(caller.actor, request.params.id, 'comment');
    const comment = await addComment(db, { postId: aggregate.post.id, unitId: aggregate.post.unit_id, body: request.body.body, mentions: request.body.mentions, caller });
    return reply.status(201).send(comment);
  });
}
