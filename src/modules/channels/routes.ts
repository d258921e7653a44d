/**
 * Channels: a unit's accounts on the networks. Here a channel is what the composer needs (who it
 * posts as, and the account's own limits, e.g. a Mastodon instance allowing 1,000 characters); the
 * Publishing issue adds the connection itself.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors/errors.ts';
import { originOf, requireAuth } from '../../http/authenticate.ts';
import { emptyBody, errorResponses, idParams, uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { ChannelRow } from '../../db/schema.ts';
import type { Services } from '../../services.ts';
import { canManageChannels, canUseChannel, canViewUnit } from '../access/policies.ts';
import { recordAudit } from '../audit/record.ts';
import { cleanPlainText } from '../compose/rich-text.ts';
import { overridesSchema } from '../networks/schemas.ts';
import { networkId } from '../posts/schemas.ts';
import { unitPath, unitPaths, unitsBelow } from '../units/queries.ts';
import { connectChannel, disconnectChannel } from '../publishing/connect-channel.ts';
import { connectorFor } from '../publishing/connectors/index.ts';

export const channelSchema = z.object({
  id: z.string(), unitId: z.string(), network: z.string(), name: z.string(), handle: z.string(), avatarUrl: z.string().nullable(),
  limitOverrides: z.record(z.string(), z.unknown()), disabled: z.boolean(), createdAt: z.string(),
  connection: z.enum(['unconnected', 'connected', 'needs_reconnect']),
  connectionReason: z.string().nullable(),
  connectedAt: z.string().nullable(),
  sandbox: z.boolean(),
  baseUrl: z.string().nullable(),
  /** In lists: whether the caller may publish to it (an editor of the channel's unit). */
  usable: z.boolean().optional(),
});

export function presentChannel(row: ChannelRow): z.infer<typeof channelSchema> {
  return {
    id: row.id, unitId: row.unit_id, network: row.network, name: row.name, handle: row.handle, avatarUrl: row.avatar_url,
    limitOverrides: (row.limit_overrides ?? {}) as Record<string, unknown>, disabled: row.disabled, createdAt: row.created_at.toISOString(),
    connection: row.connection, connectionReason: row.connection_reason, connectedAt: row.connected_at?.toISOString() ?? null, sandbox: row.sandbox, baseUrl: row.base_url,
  };
}

const createBody = z.strictObject({
  unitId: uuid,
  network: networkId,
  name: z.string().trim().min(1).max(120),
  handle: z.string().trim().min(1).max(200),
  avatarUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().default(null),
  limitOverrides: overridesSchema.default({}),
});
const updateBody = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  avatarUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
  limitOverrides: overridesSchema.optional(),
  disabled: z.boolean().optional(),
});

export async function channelRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db } = services;

  /** The channel, when the caller administers its unit: 404 when they cannot see it, 403 when they may not manage it. */
  async function managedChannel(request: FastifyRequest, id: string): Promise<ChannelRow> {
    const auth = requireAuth(request);
    const channel = await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
    const path = channel ? await unitPath(db, channel.unit_id) : [];
    if (!channel || !canViewUnit(auth, path)) throw new AppError('not_found');
    if (!canManageChannels(auth, path)) throw new AppError('forbidden');
    return channel;
  }

  app.get('/channels', {
    schema: { tags: ['channels'], summary: 'Channels of the units the caller can see, and of the units above them (which their posts may use)', querystring: z.strictObject({ unitId: uuid.optional() }), response: { 200: z.object({ items: z.array(channelSchema) }), ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    let unitIds: string[];
    if (request.query.unitId) {
      unitIds = await unitPath(db, request.query.unitId);
      if (!canViewUnit(auth, unitIds)) throw new AppError('not_found');
    } else {
      unitIds = (await unitsBelow(db, auth.memberships.map((m) => m.unitId))).map((u) => u.id);
    }
    if (unitIds.length === 0) return { items: [] };
    const rows = await db.selectFrom('channels').selectAll().where('unit_id', 'in', unitIds).orderBy('network').orderBy('name').execute();
    const paths = await unitPaths(db, [...new Set(rows.map((r) => r.unit_id))]);
    return { items: rows.map((row) => ({ ...presentChannel(row), usable: !row.disabled && canUseChannel(auth, paths.get(row.unit_id) ?? []) })) };
  });

  app.post('/channels', {
    schema: { tags: ['channels'], summary: 'Add a unit’s account on a network (unit admins)', body: createBody, response: { 201: channelSchema, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const input = request.body;
    const path = await unitPath(db, input.unitId);
    if (!canViewUnit(auth, path)) throw new AppError('not_found');
    if (!canManageChannels(auth, path)) throw new AppError('forbidden');
    const taken = await db.selectFrom('channels').select('id').where('network', '=', input.network).where('handle', '=', input.handle).executeTakeFirst();
    if (taken) throw new AppError('conflict', { details: { issues: [{ path: 'handle', message: 'akun ini sudah terdaftar (this account is already registered)' }] } });
    const row = await db.transaction().execute(async (trx) => {
      const created = await trx.insertInto('channels').values({
        unit_id: input.unitId, network: input.network, name: cleanPlainText(input.name), handle: cleanPlainText(input.handle),
        avatar_url: input.avatarUrl, limit_overrides: JSON.stringify(input.limitOverrides),
      }).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, originOf(request), { action: 'channel.create', entityType: 'channel', entityId: created.id, unitId: input.unitId, after: presentChannel(created) });
      return created;
    });
    return reply.status(201).send(presentChannel(row));
  });

  app.post('/channels/:id/connect', {
    schema: {
      tags: ['channels'],
      summary: 'Connect the account with credentials (Telegram: botToken + chatId; Bluesky: identifier + appPassword; Mastodon: accessToken), checked against the network first; stored encrypted',
      params: idParams,
      body: z.strictObject({
        baseUrl: z.url({ protocol: /^https?$/ }).max(500),
        credentials: z.record(z.string().regex(/^[A-Za-z]{1,40}$/), z.string().min(1).max(4000)).refine((c) => Object.keys(c).length > 0 && Object.keys(c).length <= 10, 'isi kredensial (give the credentials)'),
      }),
      response: { 200: channelSchema, ...errorResponses },
    },
  }, async (request) => {
    const channel = await managedChannel(request, request.params.id);
    // A practice account is one on this Siar's own sandbox, recognised by its address.
    const baseUrl = request.body.baseUrl.replace(/\/+$/, '');
    const sandbox = (services.sandboxUrls ?? []).includes(baseUrl);
    const updated = await connectChannel({ db, keyring: services.keyring, connectorFor: services.connectors ?? connectorFor, channel, input: { ...request.body, baseUrl, sandbox }, origin: originOf(request) });
    return presentChannel(updated);
  });

  app.post('/channels/:id/disconnect', {
    schema: { tags: ['channels'], summary: 'Forget the account’s credentials', params: idParams, body: emptyBody, response: { 200: channelSchema, ...errorResponses } },
  }, async (request) => {
    const channel = await managedChannel(request, request.params.id);
    return presentChannel(await disconnectChannel(db, channel, originOf(request)));
  });

  app.patch('/channels/:id', {
    schema: { tags: ['channels'], summary: 'Change a channel’s name, avatar, own limits, or switch it off', params: idParams, body: updateBody, response: { 200: channelSchema, ...errorResponses } },
  }, async (request) => {
    const before = await managedChannel(request, request.params.id);
    const input = request.body;
    const row = await db.transaction().execute(async (trx) => {
      const updated = await trx.updateTable('channels').set({
        ...(input.name !== undefined ? { name: cleanPlainText(input.name) } : {}),
        ...(input.avatarUrl !== undefined ? { avatar_url: input.avatarUrl } : {}),
        ...(input.limitOverrides !== undefined ? { limit_overrides: JSON.stringify(input.limitOverrides) } : {}),
        ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
        updated_at: new Date(),
      }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, originOf(request), { action: 'channel.update', entityType: 'channel', entityId: before.id, unitId: before.unit_id, before: presentChannel(before), after: presentChannel(updated) });
      return updated;
    });
    return presentChannel(row);
  });
}
