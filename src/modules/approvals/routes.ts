/** Approval routes: a unit's policy, the approver's inbox, and the decisions on a post. */
import { z } from 'zod';
import { AppError } from '../../errors/errors.ts';
import { originOf, requireAuth } from '../../http/authenticate.ts';
import { errorResponses, idParams, uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { atLeast, canApproveTier, canManageApprovalPolicy, canViewUnit } from '../access/policies.ts';
import { presentFor } from '../posts/present-for.ts';
import { postSchema, scheduledOf } from '../posts/presenters.ts';
import { decisionBody, requestChangesBody } from '../posts/schemas.ts';
import { unitPath, unitsBelow } from '../units/queries.ts';
import { approvalState, decisionsOf } from './approval-state.ts';
import { approvePost, requestChanges, reviewAfter } from './decide-post.ts';
import { policyFor, savePolicy } from './policy.ts';
import { enqueuePost } from '../publishing/jobs.ts';

const policySchema = z.object({
  unitId: z.string(), tierUnitIds: z.array(z.string()), sertaMertaDirectRole: z.string().nullable(), crowdingPerHour: z.number(), configured: z.boolean(),
});
const policyBody = z.strictObject({
  /** Who approves each tier, in order: this unit or a unit above it. An empty list: no approval needed. */
  tierUnitIds: z.array(uuid).max(3),
  sertaMertaDirectRole: z.enum(['editor', 'approver', 'admin']).nullable().default(null),
  crowdingPerHour: z.number().int().min(1).max(100).default(3),
});
const unitParams = z.strictObject({ unitId: uuid });

const inboxItem = z.object({
  id: z.string(), title: z.string(), unit: z.object({ id: z.string(), name: z.string() }), author: z.object({ id: z.string(), name: z.string() }),
  urgent: z.boolean(), tier: z.number(), tiers: z.number(), submittedAt: z.string().nullable(),
  scheduled: z.object({ utc: z.string(), local: z.string(), timeZone: z.string(), zoneName: z.string() }).nullable(),
});

export async function approvalRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db, config } = services;

  app.get('/units/:unitId/approval-policy', {
    schema: { tags: ['approvals'], summary: 'The unit’s approval policy (defaults when it has none)', params: unitParams, response: { 200: policySchema, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    if (!canViewUnit(auth, await unitPath(db, request.params.unitId))) throw new AppError('not_found');
    return policyFor(db, request.params.unitId);
  });

  app.put('/units/:unitId/approval-policy', {
    schema: { tags: ['approvals'], summary: 'Set the unit’s approval tiers (0–3), serta-merta direct role and crowding limit', params: unitParams, body: policyBody, response: { 200: policySchema, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const path = await unitPath(db, request.params.unitId);
    if (!canViewUnit(auth, path)) throw new AppError('not_found');
    if (!canManageApprovalPolicy(auth, path)) throw new AppError('forbidden');
    return savePolicy(db, request.params.unitId, request.body, originOf(request));
  });

  app.get('/approvals/inbox', {
    schema: { tags: ['approvals'], summary: 'Posts waiting for the caller’s decision, serta-merta first, then oldest submission', response: { 200: z.object({ items: z.array(inboxItem) }), ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const approverUnits = auth.memberships.filter((m) => atLeast(m.role, 'approver')).map((m) => m.unitId);
    const units = await unitsBelow(db, approverUnits);
    if (units.length === 0) return { items: [] };
    const candidates = await db.selectFrom('posts').innerJoin('units', 'units.id', 'posts.unit_id').innerJoin('users', 'users.id', 'posts.author_id')
      .selectAll('posts').select(['units.name as unit_name', 'units.timezone', 'users.name as author_name'])
      .where('posts.status', '=', 'in_review').where('posts.unit_id', 'in', units.map((u) => u.id))
      .where('posts.author_id', '<>', auth.user.id)
      .orderBy('posts.urgent', 'desc').orderBy('posts.submitted_at').limit(500).execute();
    const items = [];
    for (const post of candidates) {
      const state = approvalState(post, await policyFor(db, post.unit_id), await decisionsOf(db, post.id));
      if (!state.currentTierUnitId) continue;
      if (!canApproveTier(auth, post.author_id, await unitPath(db, state.currentTierUnitId))) continue;
      if (state.decisions.some((d) => d.round === post.review_round && d.decision === 'approved' && d.approver.id === auth.user.id)) continue;
      items.push({
        id: post.id, title: post.title, unit: { id: post.unit_id, name: post.unit_name }, author: { id: post.author_id, name: post.author_name },
        urgent: post.urgent, tier: state.currentTier!, tiers: state.tiers, submittedAt: post.submitted_at?.toISOString() ?? null,
        scheduled: scheduledOf(post, post.timezone),
      });
    }
    return { items };
  });

  const decisions = [
    { path: 'approve', summary: 'Approve the tier waiting for the caller (never one’s own post)', body: decisionBody, run: approvePost },
    { path: 'request-changes', summary: 'Send the post back to its author with a note', body: requestChangesBody, run: requestChanges },
    { path: 'review-after', summary: 'Confirm a serta-merta post published without an approver', body: decisionBody, run: reviewAfter },
  ] as const;
  for (const decision of decisions) {
    app.post(`/posts/:id/${decision.path}`, {
      schema: { tags: ['approvals'], summary: decision.summary, params: idParams, body: decision.body, response: { 200: postSchema, ...errorResponses } },
    }, async (request) => {
      const actor = requireAuth(request);
      const body = (request.body ?? {}) as { version?: number; note?: string };
      const caller = { actor, origin: originOf(request) };
      const aggregate = await decision.run(db, { postId: request.params.id, version: body.version, note: body.note, caller } as never);
      if (aggregate.post.status === 'scheduled') await enqueuePost(services, aggregate.post.id);
      return presentFor(db, config, aggregate, actor);
    });
  }

}
