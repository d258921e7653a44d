/** HTTP routes for a person's own API tokens. */
import { z } from 'zod';
import { originOf, requireAuth } from '../../http/authenticate.ts';
import { errorResponses, idParams, noContent } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { createToken, listTokens, revokeToken, tokenSchema } from './tokens.ts';

export async function tokenRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db } = services;

  app.get('/tokens', {
    schema: { tags: ['tokens'], summary: 'The caller’s active API tokens', response: { 200: z.object({ items: z.array(tokenSchema) }), ...errorResponses } },
  }, async (request) => ({ items: await listTokens(db, requireAuth(request).user.id) }));

  app.post('/tokens', {
    schema: {
      tags: ['tokens'],
      summary: 'Create an API token; the secret is shown only in this answer',
      body: z.strictObject({ name: z.string().trim().min(1).max(100), expiresInDays: z.number().int().min(1).max(3650).optional() }),
      response: { 201: z.object({ token: tokenSchema, secret: z.string() }), ...errorResponses },
    },
  }, async (request, reply) => {
    const created = await createToken(db, { userId: requireAuth(request).user.id, ...request.body }, originOf(request));
    return reply.status(201).send(created);
  });

  app.delete('/tokens/:id', {
    schema: { tags: ['tokens'], summary: 'Revoke an API token', params: idParams, response: { 204: noContent, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    await revokeToken(db, auth.user.id, request.params.id, originOf(request));
    services.auth.forget(auth.user.id);
    return reply.status(204).send(null);
  });
}
