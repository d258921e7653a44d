/** HTTP routes for people and their roles in units. */
import { z } from 'zod';
import { AppError } from '../../errors/errors.ts';
import { originOf, requireAuth } from '../../http/authenticate.ts';
import { email, emptyBody, errorResponses, idParams, localeSchema, noContent, personName, roleSchema, uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { canManageMembersOf, canManageUser, canViewUnit, canViewUser, type Actor } from '../access/policies.ts';
import { unitPath, unitsBelow } from '../units/queries.ts';
import { presentUser, userSchema } from './presenters.ts';
import { createUser, removeMembership, resetPassword, resetTwoFactor, setMembership, updateUser } from './manage-users.ts';
import { loadUser, type UserWithMemberships } from './queries.ts';

const membershipParams = z.strictObject({ id: uuid, unitId: uuid });

export async function userRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db } = services;
  /** A person as the caller may see them: only memberships in units the caller can see. */
  const present = (actor: Actor, u: UserWithMemberships) =>
    presentUser(u.user, { memberships: u.memberships.filter((_, i) => actor.userId === u.user.id || canViewUnit(actor, u.paths[i] ?? [])) });

  /** Loads a person the caller may see, or answers 404 as if they did not exist. */
  async function visibleUser(actor: ReturnType<typeof requireAuth>, userId: string): Promise<UserWithMemberships> {
    const target = await loadUser(db, userId);
    if (!target || !canViewUser(actor, target.user.id, target.paths)) throw new AppError('not_found');
    return target;
  }

  app.get('/users', {
    schema: {
      tags: ['users'],
      summary: 'People with a role in a unit or below it (default: every unit the caller administers)',
      querystring: z.strictObject({ unitId: uuid.optional() }),
      response: { 200: z.object({ items: z.array(userSchema) }), ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    let roots: string[];
    if (request.query.unitId) {
      const path = await unitPath(db, request.query.unitId);
      if (!canViewUnit(auth, path)) throw new AppError('not_found');
      if (!canManageMembersOf(auth, path)) throw new AppError('forbidden');
      roots = [request.query.unitId];
    } else {
      roots = auth.memberships.filter((m) => m.role === 'admin').map((m) => m.unitId);
    }
    const unitIds = (await unitsBelow(db, roots)).map((u) => u.id);
    const visible = new Set((await unitsBelow(db, auth.memberships.map((m) => m.unitId))).map((u) => u.id));
    if (unitIds.length === 0) return { items: [] };
    const rows = await db
      .selectFrom('users as u')
      .innerJoin('memberships as m', 'm.user_id', 'u.id')
      .selectAll('u')
      .select(['m.unit_id', 'm.role'])
      .where('u.id', 'in', db.selectFrom('memberships').select('user_id').where('unit_id', 'in', unitIds))
      .orderBy('u.name')
      .orderBy('u.id')
      .execute();
    const byUser = new Map<string, { user: (typeof rows)[number]; memberships: { unit_id: string; role: (typeof rows)[number]['role'] }[] }>();
    for (const row of rows) {
      const entry = byUser.get(row.id) ?? { user: row, memberships: [] };
      if (visible.has(row.unit_id)) entry.memberships.push({ unit_id: row.unit_id, role: row.role });
      byUser.set(row.id, entry);
    }
    return { items: [...byUser.values()].map((e) => presentUser(e.user, { memberships: e.memberships })) };
  });

  app.post('/users', {
    schema: {
      tags: ['users'],
      summary: 'Create an account with a role in a unit; answers a one-time password to hand over',
      body: z.strictObject({ email, name: personName, unitId: uuid, role: roleSchema, locale: localeSchema.optional() }),
      response: { 201: z.object({ user: userSchema, temporaryPassword: z.string() }), ...errorResponses },
    },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const path = await unitPath(db, request.body.unitId);
    if (!canViewUnit(auth, path)) throw new AppError('not_found');
    if (!canManageMembersOf(auth, path)) throw new AppError('forbidden');
    const { user, temporaryPassword } = await createUser(db, request.body, originOf(request));
    return reply.status(201).send({ user: presentUser(user, { memberships: [{ unit_id: request.body.unitId, role: request.body.role }] }), temporaryPassword });
  });

  app.get('/users/:id', {
    schema: { tags: ['users'], summary: 'One person', params: idParams, response: { 200: userSchema, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    return present(auth, await visibleUser(auth, request.params.id));
  });

  app.patch('/users/:id', {
    schema: {
      tags: ['users'],
      summary: 'Rename, disable or re-enable an account',
      params: idParams,
      body: z.strictObject({ name: personName.optional(), disabled: z.boolean().optional(), locale: localeSchema.optional() }),
      response: { 200: userSchema, ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const target = await visibleUser(auth, request.params.id);
    if (!canManageUser(auth, target.user.id, target.paths)) throw new AppError('forbidden');
    await updateUser(db, target.user.id, request.body, originOf(request));
    services.auth.forget(target.user.id);
    return present(auth, (await loadUser(db, target.user.id))!);
  });

  /** The person and unit of a membership change, checked: both visible, and the unit administered. */
  async function membershipTarget(actor: ReturnType<typeof requireAuth>, userId: string, unitId: string): Promise<UserWithMemberships> {
    const target = await visibleUser(actor, userId);
    const path = await unitPath(db, unitId);
    if (!canViewUnit(actor, path)) throw new AppError('not_found');
    if (!canManageMembersOf(actor, path)) throw new AppError('forbidden');
    return target;
  }

  app.put('/users/:id/memberships/:unitId', {
    schema: {
      tags: ['users'],
      summary: 'Give a person a role in a unit (or change it)',
      params: membershipParams,
      body: z.strictObject({ role: roleSchema }),
      response: { 200: userSchema, ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const target = await membershipTarget(auth, request.params.id, request.params.unitId);
    await setMembership(db, target.user.id, request.params.unitId, request.body.role, originOf(request));
    services.auth.forget(target.user.id);
    return present(auth, (await loadUser(db, target.user.id))!);
  });

  app.delete('/users/:id/memberships/:unitId', {
    schema: { tags: ['users'], summary: 'Take a person’s role in a unit away', params: membershipParams, response: { 200: userSchema, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    const target = await membershipTarget(auth, request.params.id, request.params.unitId);
    await removeMembership(db, target.user.id, request.params.unitId, originOf(request));
    services.auth.forget(target.user.id);
    return present(auth, (await loadUser(db, target.user.id))!);
  });

  app.post('/users/:id/reset-password', {
    schema: {
      tags: ['users'],
      summary: 'Give a person a new one-time password (they are signed out and must change it)',
      params: idParams,
      body: emptyBody,
      response: { 200: z.object({ temporaryPassword: z.string() }), ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const target = await visibleUser(auth, request.params.id);
    if (!canManageUser(auth, target.user.id, target.paths)) throw new AppError('forbidden');
    const temporaryPassword = await resetPassword(db, target.user.id, originOf(request));
    services.auth.forget(target.user.id);
    return { temporaryPassword };
  });

  app.post('/users/:id/reset-two-factor', {
    schema: {
      tags: ['users'],
      summary: 'Switch off two-factor sign-in for a person who lost their authenticator (they are signed out)',
      params: idParams,
      body: emptyBody,
      response: { 204: noContent, ...errorResponses },
    },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const target = await visibleUser(auth, request.params.id);
    if (!canManageUser(auth, target.user.id, target.paths)) throw new AppError('forbidden');
    await resetTwoFactor(db, target.user.id, originOf(request));
    services.auth.forget(target.user.id);
    return reply.status(204).send(null);
  });
}
