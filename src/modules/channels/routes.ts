/**
 * Channels: a unit's accounts on the networks. Here a channel is what the composer needs (who it
 * posts as, and the account's own limits, e.g. a Mastodon instance allowing 1,000 characters); the
 * Publishing issue adds the connection itself.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, invalidField } from '../../errors/errors.ts';
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
import { connectorFor, loaded } from '../publishing/connectors/index.ts';
import { chooseSignInAccount, finishSignIn, oauthClientFor, pendingSignIn, startSignIn } from '../publishing/sign-in.ts';
import type { Network } from '../networks/limits.ts';

export const channelSchema = z.object({
  id: z.string(), unitId: z.string(), network: z.string(), name: z.string(), handle: z.string(), avatarUrl: z.string().nullable(),
  limitOverrides: z.record(z.string(), z.unknown()), disabled: z.boolean(), createdAt: z.string(),
  connection: z.enum(['unconnected', 'connected', 'needs_reconnect']),
  connectionReason: z.string().nullable(),
  connectionReasonEn: z.string().nullable(),
  connectedAt: z.string().nullable(),
  /** When the stored token runs out (Siar renews it before then). */
  tokenExpiresAt: z.string().nullable(),
  sandbox: z.boolean(),
  baseUrl: z.string().nullable(),
  /** In lists: whether the caller may publish to it (an editor of the channel's unit). */
  usable: z.boolean().optional(),
});

export function presentChannel(row: ChannelRow): z.infer<typeof channelSchema> {
  return {
    id: row.id, unitId: row.unit_id, network: row.network, name: row.name, handle: row.handle, avatarUrl: row.avatar_url,
    limitOverrides: (row.limit_overrides ?? {}) as Record<string, unknown>, disabled: row.disabled, createdAt: row.created_at.toISOString(),
    connection: row.connection, connectionReason: row.connection_reason, connectionReasonEn: row.connection_reason_en, connectedAt: row.connected_at?.toISOString() ?? null,
    tokenExpiresAt: row.token_expires_at?.toISOString() ?? null, sandbox: row.sandbox, baseUrl: row.base_url,
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

  /** Where the network sends people back after signing in; one address for every network. */
  const callbackUrl = (request: FastifyRequest): string => `${(services.config.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '')}/api/v1/oauth/callback`;
  const connectors = (network: Network) => (services.connectors ?? connectorFor)(network);

  app.post('/channels/:id/sign-in', {
    schema: {
      tags: ['channels'],
      summary: 'Start signing in at the network (OAuth 2, PKCE where supported): gives the consent page to open. `practice`: sign in to the sandbox’s practice account instead',
      params: idParams,
      body: z.strictObject({ practice: z.boolean().default(false) }),
      response: { 200: z.object({ authorizeUrl: z.string(), expiresAt: z.string() }), ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const channel = await managedChannel(request, request.params.id);
    const network = channel.network as Network;
    const lazy = connectors(network);
    if (!lazy) throw invalidField('network', 'Siar belum bisa menerbitkan ke jaringan ini (no connector for this network yet)');
    const connector = await loaded(lazy);
    const practiceUrl = services.sandboxNetworkUrls?.[network];
    if (request.body.practice && !practiceUrl) throw invalidField('practice', 'sandbox latihan tidak berjalan di server ini (the practice sandbox is not running on this server)');
    const sandbox = request.body.practice;
    const baseUrl = sandbox ? practiceUrl! : (connector.defaultBaseUrl ?? channel.base_url ?? '');
    if (!baseUrl) throw invalidField('network', 'alamat server jaringan belum diketahui (the network’s server address is not known)');
    const client = oauthClientFor(network, { sandbox, redirectUri: callbackUrl(request), configured: services.config.oauthClients });
    if (!client) throw invalidField('network', `aplikasi ${network} belum didaftarkan di konfigurasi (SIAR_OAUTH_CLIENTS); minta admin server, atau pakai akun latihan (no ${network} app is configured; ask the server admin, or use a practice account)`);
    const started = await startSignIn({ db, connector, channel, userId: auth.user.id, baseUrl, sandbox, client });
    return { authorizeUrl: started.authorizeUrl, expiresAt: started.expiresAt.toISOString() };
  });

  app.get('/oauth/callback', {
    // Checked here rather than by the hook: a person signed out meanwhile is sent to sign in.
    config: { auth: 'none' },
    schema: {
      tags: ['channels'],
      summary: 'Where the network sends the person back after signing in; redirects to the channel settings with the outcome',
      querystring: z.object({ state: z.string().max(200).default(''), code: z.string().max(4000).optional(), error: z.string().max(200).optional(), error_description: z.string().max(1000).optional() }),
    },
  }, async (request, reply) => {
    // Signed out meanwhile (the session expired at the network's consent page): sign in, then come
    // back here with the same answer, which is still good for a few minutes.
    if (!request.auth) return reply.redirect(`/admin/login?${new URLSearchParams({ next: request.url }).toString()}`);
    const auth = requireAuth(request);
    if (auth.user.mustChangePassword) throw new AppError('auth.password_change_required');
    if (auth.totpRequired) throw new AppError('auth.totp_setup_required');
    const back = (params: Record<string, string>) => reply.redirect(`/admin/content-settings?${new URLSearchParams(params).toString()}`);
    try {
      const outcome = await finishSignIn({
        db, keyring: services.keyring, connectorFor: connectors, loadConnector: loaded,
        state: request.query.state, code: request.query.code, error: request.query.error, userId: auth.user.id,
        client: (network, row) => oauthClientFor(network, { sandbox: row.sandbox, redirectUri: row.redirect_uri, configured: services.config.oauthClients }),
        origin: originOf(request),
      });
      return outcome.kind === 'connected'
        ? back({ signIn: 'connected', channel: outcome.channel.id })
        : back({ signIn: 'choose', channel: outcome.channelId, state: outcome.state });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // Shown on the settings page; the person can start again from there.
      const issues = (error.details as { issues?: { message: string }[] } | undefined)?.issues;
      return back({ signIn: 'error', message: issues?.map((i) => i.message).join('; ') ?? error.message });
    }
  });

  app.get('/oauth/pending/:state', {
    schema: {
      tags: ['channels'],
      summary: 'The accounts a sign-in gave access to (Facebook Pages, LinkedIn pages), to choose one',
      params: z.strictObject({ state: z.string().max(200) }),
      response: { 200: z.object({ channelId: z.string(), accounts: z.array(z.object({ externalAccountId: z.string(), handle: z.string(), name: z.string() })) }), ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const { row, grant } = await pendingSignIn(db, services.keyring, request.params.state, auth.user.id);
    return { channelId: row.channel_id, accounts: (grant.accounts ?? []).map(({ externalAccountId, handle, name }) => ({ externalAccountId, handle, name })) };
  });

  app.post('/oauth/pending/:state/choose', {
    schema: {
      tags: ['channels'],
      summary: 'Connect the channel to the chosen account of a sign-in',
      params: z.strictObject({ state: z.string().max(200) }),
      body: z.strictObject({ externalAccountId: z.string().min(1).max(200) }),
      response: { 200: channelSchema, ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const { row } = await pendingSignIn(db, services.keyring, request.params.state, auth.user.id);
    await managedChannel(request, row.channel_id);
    const connected = await chooseSignInAccount({ db, keyring: services.keyring, connectorFor: connectors, state: request.params.state, userId: auth.user.id, externalAccountId: request.body.externalAccountId, origin: originOf(request) });
    return presentChannel(connected);
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
