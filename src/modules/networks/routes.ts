/**
 * HTTP routes for the composer: each network's rules (for counters as the person types) and a check
 * of a draft against the chosen networks. Any signed-in person may use them; they read no data.
 */
import { z } from 'zod';
import { errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { DEFAULT_LIMITS, NETWORK_NAMES, NETWORKS } from './limits.ts';
import { validateRequestSchema } from './schemas.ts';
import { validateAll } from './validate.ts';

const issueSchema = z.object({
  severity: z.enum(['error', 'warning']),
  network: z.string(),
  rule: z.string(),
  measured: z.union([z.number(), z.string()]),
  limit: z.union([z.number(), z.string()]),
  message: z.object({ id: z.string(), en: z.string() }),
});

export async function networkRoutes(app: App): Promise<void> {
  app.get('/networks', {
    schema: {
      tags: ['networks'],
      summary: 'Every network with its default content rules',
      response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), limits: z.record(z.string(), z.unknown()) })) }), ...errorResponses },
    },
  }, async () => ({ items: NETWORKS.map((id) => ({ id, name: NETWORK_NAMES[id], limits: DEFAULT_LIMITS[id] as unknown as Record<string, unknown> })) }));

  app.post('/networks/validate', {
    schema: {
      tags: ['networks'],
      summary: 'Check a post against the rules of the chosen networks (errors block, warnings advise)',
      body: validateRequestSchema,
      response: {
        200: z.object({
          ok: z.boolean(),
          results: z.array(z.object({
            network: z.string(),
            ok: z.boolean(),
            issues: z.array(issueSchema),
            counters: z.array(z.object({ used: z.number(), limit: z.number(), unit: z.string() })),
          })),
        }),
        ...errorResponses,
      },
    },
  }, async (request) => {
    const { networks, post, overrides } = request.body;
    const results = validateAll(networks, post, overrides);
    return { ok: results.every((r) => r.ok), results };
  });
}
