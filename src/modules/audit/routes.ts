/**
 * Reading the audit log: admins see the entries of the units they administer, top admins also the
 * entries tied to no unit (sign-ins, account changes), and everyone their own actions.
 */
import { z } from 'zod';
import { AppError } from '../../errors/errors.ts';
import { requireAuth } from '../../http/authenticate.ts';
import { errorResponses, uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { canVerifyAudit, canViewAuditOf, isTopAdmin } from '../access/policies.ts';
import { unitPath, unitsBelow } from '../units/queries.ts';
import { verifyAuditChain } from './verify.ts';

const entrySchema = z.object({
  id: z.string(),
  seq: z.number(),
  at: z.string(),
  actor: z.object({ id: z.string().nullable(), name: z.string().nullable(), email: z.string().nullable() }).nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  unitId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string(),
});

const dateish = z.iso.datetime({ offset: true }).or(z.iso.date());

export async function auditRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db } = services;

  app.get('/audit', {
    schema: {
      tags: ['audit'],
      summary: 'Audit entries, newest first, filtered',
      querystring: z.strictObject({
        unitId: uuid.optional(),
        actorId: uuid.optional(),
        action: z.string().max(100).optional(),
        entityType: z.string().max(100).optional(),
        from: dateish.optional(),
        to: dateish.optional(),
        cursor: z.coerce.number().int().min(1).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: { 200: z.object({ items: z.array(entrySchema), nextCursor: z.string().nullable() }), ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const q = request.query;
    if (q.unitId && !canViewAuditOf(auth, await unitPath(db, q.unitId))) throw new AppError('not_found');
    const adminRoots = auth.memberships.filter((m) => m.role === 'admin').map((m) => m.unitId);
    const visibleUnits = (await unitsBelow(db, adminRoots)).map((u) => u.id);
    const topAdmin = isTopAdmin(auth);

    let query = db
      .selectFrom('audit_log as a')
      .leftJoin('users as u', 'u.id', 'a.actor_id')
      .selectAll('a')
      .select(['u.name as actor_name', 'u.email as actor_email'])
      .where((eb) =>
        eb.or([
          eb('a.actor_id', '=', auth.user.id),
          ...(visibleUnits.length > 0 ? [eb('a.unit_id', 'in', visibleUnits)] : []),
          ...(topAdmin ? [eb('a.unit_id', 'is', null)] : []),
        ]),
      );
    if (q.unitId) query = query.where('a.unit_id', '=', q.unitId);
    if (q.actorId) query = query.where('a.actor_id', '=', q.actorId);
    if (q.action) query = query.where('a.action', '=', q.action);
    if (q.entityType) query = query.where('a.entity_type', '=', q.entityType);
    if (q.from) query = query.where('a.at', '>=', new Date(q.from));
    if (q.to) query = query.where('a.at', '<', q.to.length === 10 ? new Date(new Date(q.to).getTime() + 86_400_000) : new Date(q.to));
    if (q.cursor) query = query.where('a.seq', '<', q.cursor);
    const rows = await query.orderBy('a.seq', 'desc').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => ({
        id: r.id,
        seq: r.seq,
        at: r.at.toISOString(),
        actor: r.actor_id || r.actor_label ? { id: r.actor_id, name: r.actor_name ?? null, email: r.actor_email ?? r.actor_label } : null,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        unitId: r.unit_id,
        ip: r.ip,
        userAgent: r.user_agent,
        requestId: r.request_id,
        before: r.before,
        after: r.after,
        hash: r.hash,
      })),
      nextCursor: rows.length > q.limit ? String(page.at(-1)!.seq) : null,
    };
  });

  app.get('/audit/verify', {
    schema: {
      tags: ['audit'],
      summary: 'Recompute the whole audit hash chain',
      response: { 200: z.object({ ok: z.boolean(), checked: z.number(), firstBrokenSeq: z.number().nullable(), reason: z.string().nullable() }), ...errorResponses },
    },
  }, async (request) => {
    if (!canVerifyAudit(requireAuth(request))) throw new AppError('forbidden');
    return verifyAuditChain(db);
  });
}
